"""Whole journeys through a case, as the issue describes them."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from haven.access import actions as access_actions
from haven.access import policy
from haven.cases import identification, returns, tasks, workflow
from haven.cases.models import CaseStatus, ReturnStep, Task
from haven.errors import ActionRefused
from haven.support import actions
from haven.support.models import Service
from tests.factories import make_case, province

pytestmark = pytest.mark.django_db
EVIDENCE = [("own_statement", "Her statement at the border"), ("sign", "Rescued with others")]


def decide(personas, case, status="victim", **overrides):
    fields = {
        "user": personas.border_guard,
        "organisation": personas.border_post_laocai,
        "case": case,
        "status": status,
        "decided_on": timezone.localdate(),
        "evidence": EVIDENCE,
        "legal_basis": "Law 53/2024/QH15 Art. 32",
    }
    fields.update(overrides)
    return identification.decide_identification(**fields)


def owner(personas):
    return {"user": personas.social_worker, "organisation": personas.centre_laocai}


@pytest.fixture
def transferred(personas):
    """Received by the border post, identified, then owned by the Lào Cai centre."""
    case = make_case(personas.border_guard, personas.border_post_laocai)
    identification.record_screening(
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        case=case,
        acts=["transport"],
        means=["deception"],
        purposes=["forced_marriage"],
    )
    decide(personas, case)
    type(case).objects.filter(pk=case.pk).update(owner=personas.centre_laocai)
    case.refresh_from_db()
    return case


def test_border_handover_journey_to_closure(personas, transferred):
    case = transferred
    assert case.status == CaseStatus.SCREENING
    assert case.identification_status == "victim"
    workflow.transition(case, CaseStatus.SUPPORT, **owner(personas))
    actions.save_plan(
        **owner(personas),
        case=case,
        made_with_her=True,
        her_goals="Học nghề may và về nhà với mẹ",
        her_choices="Không về xã cũ",
    )
    actions.add_service(
        **owner(personas),
        case=case,
        support_type="essential_needs",
        status="delivered",
        starts_on=timezone.localdate() - datetime.timedelta(30),
        ends_on=timezone.localdate(),
        quantity=30,
        unit="day",
        cost=1_500_000,
        paid_by=personas.centre_laocai,
        funding_source="provincial budget",
    )
    actions.add_service(**owner(personas), case=case, support_type="vocational")
    actions.assess_risk(
        **owner(personas),
        case=case,
        subject="relatives",
        level="high",
        risks=["threats"],
        measures="Commune police visits",
    )
    visits = actions.reintegrate(**owner(personas), case=case, reintegrated_on=timezone.localdate())
    assert [v.due_on.month for v in visits] == [
        actions._add_months(timezone.localdate(), m).month for m in (1, 3, 6, 12)
    ]
    closure = actions.request_closure(**owner(personas), case=case, reason="reintegrated")
    with pytest.raises(ActionRefused, match="Only a supervisor"):
        actions.approve_closure(**owner(personas), closure=closure)
    actions.approve_closure(
        user=personas.supervisor, organisation=personas.health_dept_laocai, closure=closure
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert not case.tasks.filter(done_at__isnull=True).exists()
    kinds = list(case.timeline.values_list("kind", flat=True))
    assert kinds.count("status") >= 4  # screening, decision, support, follow-up, closed


def test_police_rescue_with_a_child(personas):
    born = timezone.localdate() - datetime.timedelta(days=16 * 365)
    case = make_case(
        personas.border_guard,
        personas.border_post_laocai,
        person={"date_of_birth": born},
        reception={
            "entry_route": "police",
            "border_kind": "",
            "handed_over_by": "",
            "rescued": True,
        },
    )
    screening = identification.record_screening(
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        case=case,
        acts=["recruitment"],
        means=[],
        purposes=["sexual"],
    )
    assert screening.is_child and screening.indicators_met  # a child needs no means
    decide(personas, case)
    workflow.transition(
        case,
        CaseStatus.SUPPORT,
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
    )
    schooling = actions.add_service(
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        case=case,
        support_type="schooling",
    )
    assert schooling.status == "planned"


def test_return_from_abroad_plans_the_steps_and_her_wish_decides(personas):
    case = make_case(
        personas.consul,
        personas.consulate_phnompenh,
        reception={
            "entry_route": "return_from_abroad",
            "border_kind": "",
            "handed_over_by": "",
            "travel_document_status": "needs_document",
            "province": province("91"),
        },
    )
    steps = list(case.return_steps.all())
    assert [s.kind for s in steps] == [k.value for k in returns.ADULT_STEPS]
    mine = [s for s in steps if s.organisation_id == personas.consulate_phnompenh.pk]
    assert {s.kind for s in mine} == {
        "coordinate_foreign_agency",
        "arrange_papers",
        "arrange_travel",
    }
    assert tasks.inbox(personas.consul).filter(kind=Task.Kind.RETURN_STEP).count() == 6
    with pytest.raises(ActionRefused, match="framework role"):
        returns.assign_step(
            user=personas.consul,
            organisation=personas.consulate_phnompenh,
            step=steps[0],
            to_organisation=personas.shelter_hanoi,
        )
    returns.complete_step(
        user=personas.consul,
        organisation=personas.consulate_phnompenh,
        step=mine[0],
        cost=2_000_000,
        paid_by=personas.consulate_phnompenh,
    )
    returns.record_wish(
        user=personas.consul, organisation=personas.consulate_phnompenh, case=case, wish="facility"
    )
    case.refresh_from_db()
    assert case.return_wish == "facility"
    assert tasks.inbox(personas.consul).filter(kind=Task.Kind.RETURN_STEP).count() == 5


def test_a_returning_child_gets_an_escort_step(personas):
    born = timezone.localdate() - datetime.timedelta(days=14 * 365)
    case = make_case(
        personas.consul,
        personas.consulate_phnompenh,
        person={"date_of_birth": born},
        reception={
            "entry_route": "return_from_abroad",
            "border_kind": "",
            "handed_over_by": "",
            "travel_document_status": "needs_document",
        },
    )
    assert case.return_steps.filter(kind=ReturnStep.Kind.ESCORT_OR_NOTIFY_RELATIVES).exists()


def test_self_report_must_be_verified_within_three_days(personas):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        case = make_case(
            personas.border_guard,
            personas.border_post_laocai,
            reception={
                "entry_route": "self_report",
                "reported_at": "commune",
                "border_kind": "",
                "handed_over_by": "",
                "received_at": timezone.now(),
            },
        )
        task = case.tasks.get(kind=Task.Kind.INITIAL_VERIFICATION)
        assert task.due_at == timezone.now() + datetime.timedelta(days=3)
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, 0, tzinfo=datetime.UTC), tick=False):
        assert tasks.overdue(tasks.inbox(personas.border_guard)).filter(pk=task.pk).exists()
        identification.record_screening(
            user=personas.border_guard,
            organisation=personas.border_post_laocai,
            case=case,
            acts=[],
            means=[],
            purposes=[],
        )
        assert not tasks.inbox(personas.border_guard).filter(pk=task.pk).exists()


def test_a_person_being_identified_is_refused_a_service_her_status_does_not_allow(personas):
    case = make_case(
        personas.consul,
        personas.consulate_phnompenh,
        reception={
            "entry_route": "return_from_abroad",
            "border_kind": "",
            "handed_over_by": "",
            "travel_document_status": "needs_document",
        },
    )
    decide(
        personas,
        case,
        status="being_identified",
        in_vietnam=False,
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
    )
    with pytest.raises(ActionRefused, match="not available to a person with the status"):
        actions.add_service(
            user=personas.consul,
            organisation=personas.consulate_phnompenh,
            case=case,
            support_type="legal_aid",
        )
    assert not Service.objects.exists()
    allowed = actions.add_service(
        user=personas.consul,
        organisation=personas.consulate_phnompenh,
        case=case,
        support_type="essential_needs",
    )
    assert allowed.support_type == "essential_needs"


def test_a_declined_service_is_recorded_and_respected(personas, transferred):
    planned = actions.add_service(**owner(personas), case=transferred, support_type="psychological")
    actions.decline_service(**owner(personas), service=planned, reason="Chưa sẵn sàng")
    planned.refresh_from_db()
    assert planned.status == "declined"
    assert planned.declined_reason == "Chưa sẵn sàng"
    with pytest.raises(ActionRefused):
        actions.deliver_service(**owner(personas), service=planned, starts_on=timezone.localdate())


def test_essential_needs_are_capped_and_an_extension_names_its_approver(personas, transferred):
    start = timezone.localdate() - datetime.timedelta(days=130)
    with pytest.raises(ActionRefused, match="the limit is 120"):
        actions.add_service(
            **owner(personas),
            case=transferred,
            support_type="essential_needs",
            status="delivered",
            starts_on=start,
            ends_on=start + datetime.timedelta(days=124),
        )
    extension = actions.extend_essential_needs(
        **owner(personas),
        case=transferred,
        extra_days=30,
        approved_by_name="Bà Lò Thị Hạnh, Giám đốc Trung tâm",
        approving_organisation=personas.centre_laocai,
        approved_on=timezone.localdate(),
    )
    service = actions.add_service(
        **owner(personas),
        case=transferred,
        support_type="essential_needs",
        status="delivered",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=124),
    )
    assert service.pk and extension.approved_by_name.startswith("Bà Lò")
    cap = transferred.tasks.get(kind=Task.Kind.ESSENTIAL_NEEDS_CAP)
    assert timezone.localtime(cap.due_at).date() == start + datetime.timedelta(days=150)


def test_a_rate_prices_a_service_when_no_cost_is_given(personas, transferred):
    from haven.rules.models import Parameter

    Parameter.objects.create(
        key="rate.essential_needs",
        value={"amount": 60000, "unit": "day"},
        valid_from=datetime.date(2025, 1, 1),
        source="demo rate",
    )
    service = actions.add_service(
        **owner(personas), case=transferred, support_type="essential_needs", quantity=10, unit="day"
    )
    assert service.cost == 600000


def test_consent_withdrawal_stops_sharing_during_support(personas, transferred, login):
    given = access_actions.record_consent(
        **owner(personas),
        case=transferred,
        purpose="share",
        decision="given",
        recipient_organisation=personas.shelter_hanoi,
        informed_in_language="Tiếng Việt",
    )
    access_actions.share_case(
        **owner(personas),
        case=transferred,
        recipient=personas.shelter_hanoi,
        sections={"support"},
        basis="consent",
        consent=given,
    )
    assert policy.cases_visible_to(personas.shelter_worker).filter(pk=transferred.pk).exists()
    access_actions.withdraw_consent(**owner(personas), consent=given)
    assert not policy.cases_visible_to(personas.shelter_worker).filter(pk=transferred.pk).exists()


def test_a_re_trafficked_person_gets_a_second_case_linked_to_the_first(personas, transferred):
    from haven.cases import actions as case_actions
    from tests.factories import reception_fields

    second = case_actions.receive_person(
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        person_fields={},
        reception_fields=reception_fields(),
        existing_person=transferred.person,
    )
    assert second.previous_case == transferred
    assert second.identification_status == "undecided"  # a new case is decided afresh


def test_an_overdue_follow_up_shows_in_the_inbox(personas, transferred, login):
    workflow.transition(transferred, CaseStatus.SUPPORT, **owner(personas))
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        actions.reintegrate(
            **owner(personas), case=transferred, reintegrated_on=datetime.date(2026, 1, 10)
        )
    with time_machine.travel(datetime.datetime(2026, 2, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        overdue = tasks.overdue(tasks.inbox(personas.social_worker))
        assert [t.kind for t in overdue] == ["follow_up_visit"]
        page = login(personas.social_worker).get("/inbox/")
        assert page.status_code == 200
        html = page.content.decode()
        assert transferred.reference in html and "overdue" in html
        visit = transferred.follow_up_visits.order_by("due_on").first()
        actions.record_visit(
            **owner(personas),
            visit=visit,
            visited_on=datetime.date(2026, 2, 19),
            wellbeing="good",
            income="fair",
            housing="good",
            safety="good",
            re_trafficking_risk="low",
        )
        assert not tasks.overdue(tasks.inbox(personas.social_worker)).exists()
        assert visit.on_time is False


def test_reopening_needs_a_reason_and_keeps_the_closure(personas, transferred):
    closure = actions.request_closure(**owner(personas), case=transferred, reason="moved_away")
    actions.approve_closure(
        user=personas.supervisor, organisation=personas.health_dept_laocai, closure=closure
    )
    with pytest.raises(ActionRefused, match="why the case is reopened"):
        actions.reopen(**owner(personas), case=transferred, reason=" ")
    actions.reopen(**owner(personas), case=transferred, reason="She came back to the centre")
    transferred.refresh_from_db()
    closure.refresh_from_db()
    assert transferred.status == CaseStatus.SUPPORT and closure.reopened_at is not None


def test_identification_is_decided_only_by_authorised_organisations(personas):
    case = make_case(personas.shelter_worker, personas.shelter_hanoi)
    from haven.agencies.models import OrganisationKind

    ngo = personas.shelter_hanoi
    ngo.framework_role = "other"
    ngo.kind = OrganisationKind.NGO
    ngo.save()
    with pytest.raises(ActionRefused, match="not authorised"):
        decide(personas, case, user=personas.shelter_worker, organisation=ngo)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"evidence": []}, "at least one item"),
        ({"legal_basis": ""}, "Cite the article"),
        ({"status": "not_victim"}, "referred instead"),
        ({"decided_on": datetime.date(2099, 1, 1)}, "future"),
    ],
)
def test_a_decision_needs_evidence_a_basis_and_a_date(personas, overrides, message):
    case = make_case(personas.border_guard, personas.border_post_laocai)
    with pytest.raises(ActionRefused, match=message):
        decide(personas, case, **overrides)
    case.refresh_from_db()
    assert case.identification_status == "undecided"


def test_the_governing_law_follows_the_date(personas):
    case = make_case(
        personas.border_guard,
        personas.border_post_laocai,
        reception={"received_at": timezone.make_aware(datetime.datetime(2025, 3, 1))},
    )
    old = decide(personas, case, decided_on=datetime.date(2025, 4, 1))
    new = decide(personas, case, decided_on=datetime.date(2025, 8, 1))
    assert old.governing_law == "law_66_2011"
    assert new.governing_law == "law_53_2024"
