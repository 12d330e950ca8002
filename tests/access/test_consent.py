"""Consent and sharing: Law 53/2024 Art. 3(10) — nothing shared without consent or law."""

import datetime

import pytest
from django.utils import timezone

from haven.access import actions, policy
from haven.access.models import Consent, Share
from haven.audit.models import AuditEvent
from haven.errors import ActionRefused
from tests.factories import make_case

pytestmark = pytest.mark.django_db


ACCOUNT = "Bị lừa sang biên giới làm việc"


@pytest.fixture
def case(personas):
    return make_case(
        personas.social_worker,
        personas.centre_laocai,
        reception={"account": ACCOUNT, "needs_notes": "HIV test pending"},
    )


def consent(personas, case, **overrides):
    fields = {
        "user": personas.social_worker,
        "organisation": personas.centre_laocai,
        "case": case,
        "purpose": Consent.Purpose.SHARE,
        "decision": Consent.Decision.GIVEN,
        "recipient_organisation": personas.shelter_hanoi,
        "informed_in_language": "Tiếng Việt",
    }
    fields.update(overrides)
    return actions.record_consent(**fields)


def share(personas, case, **overrides):
    fields = {
        "user": personas.social_worker,
        "organisation": personas.centre_laocai,
        "case": case,
        "recipient": personas.shelter_hanoi,
        "sections": {"identity", "support"},
        "basis": Share.Basis.CONSENT,
    }
    fields.update(overrides)
    return actions.share_case(**fields)


def test_sharing_with_consent_opens_only_the_shared_sections(personas, login, case):
    given = consent(personas, case)
    share(personas, case, consent=given)
    access = policy.case_access(personas.shelter_worker, case)
    assert access.sections == {"identity", "support"}
    assert not access.can_write and not access.can_share and not access.can_export
    response = login(personas.shelter_worker).get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert case.person.full_name in html
    assert ACCOUNT not in html  # the account section is not shared
    assert "HIV test pending" not in html  # nor health
    owner_html = login(personas.social_worker).get(f"/cases/{case.reference}/").content.decode()
    assert ACCOUNT in owner_html and "HIV test pending" in owner_html


def test_without_the_identity_section_the_name_is_hidden_and_unsearchable(personas, login, case):
    share(
        personas,
        case,
        basis=Share.Basis.COURT_ORDER,
        legal_basis="Order 7/2026",
        sections={"support"},
    )
    client = login(personas.shelter_worker)
    detail = client.get(f"/cases/{case.reference}/").content.decode()
    assert case.person.full_name not in detail
    listing = client.get("/cases/").content.decode()
    assert case.reference in listing and case.person.full_name not in listing
    by_name = client.get("/cases/", {"q": "Nguyen Thi Hoa"}).context["page"]
    assert by_name.paginator.count == 0
    by_reference = client.get("/cases/", {"q": case.reference}).context["page"]
    assert by_reference.paginator.count == 1


def test_sharing_without_consent_or_legal_basis_is_refused(personas, case):
    with pytest.raises(ActionRefused, match="Choose the consent"):
        share(personas, case)
    with pytest.raises(ActionRefused, match="Cite the decision"):
        share(personas, case, basis=Share.Basis.COURT_ORDER)
    assert not Share.objects.exists()
    assert not policy.cases_visible_to(personas.shelter_worker).exists()


def test_a_refused_consent_cannot_carry_a_share(personas, case):
    refused = consent(personas, case, decision=Consent.Decision.REFUSED)
    with pytest.raises(ActionRefused, match="refused or withdrawn"):
        share(personas, case, consent=refused)


def test_a_consent_for_another_organisation_does_not_cover_this_one(personas, case):
    given = consent(personas, case, recipient_organisation=personas.consulate_phnompenh)
    with pytest.raises(ActionRefused, match="does not cover"):
        share(personas, case, consent=given)


def test_a_consent_for_a_kind_of_organisation_covers_that_kind(personas, case):
    given = consent(personas, case, recipient_organisation=None, recipient_kind="facility")
    assert share(personas, case, consent=given).organisation == personas.shelter_hanoi


def test_withdrawing_consent_ends_the_share_at_once(personas, login, case):
    given = consent(personas, case)
    active = share(personas, case, consent=given)
    client = login(personas.shelter_worker)
    assert client.get(f"/cases/{case.reference}/").status_code == 200

    ended = actions.withdraw_consent(
        user=personas.social_worker, organisation=personas.centre_laocai, consent=given
    )

    assert [s.pk for s in ended] == [active.pk]
    assert client.get(f"/cases/{case.reference}/").status_code == 404
    assert not policy.cases_visible_to(personas.shelter_worker).exists()
    given.refresh_from_db()
    assert given.decision == "withdrawn" and given.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="consent.withdraw").exists()
    assert case.timeline.filter(kind="consent", data__decision="withdrawn").exists()


def test_a_court_order_is_a_legal_basis(personas, case):
    ordered = share(
        personas,
        case,
        basis=Share.Basis.COURT_ORDER,
        legal_basis="Decision 12/2026/QĐ-VKS of the provincial procuracy",
    )
    assert policy.case_access(personas.shelter_worker, case).sections == {"identity", "support"}
    assert ordered.consent is None


def test_a_childs_consent_is_given_by_her_legal_representative(personas):
    born = timezone.localdate() - datetime.timedelta(days=15 * 365)
    child_case = make_case(
        personas.social_worker, personas.centre_laocai, person={"date_of_birth": born}
    )
    with pytest.raises(ActionRefused, match="legal representative"):
        consent(personas, child_case)
    given = consent(
        personas, child_case, given_by="representative", representative_name="Lò Văn Sáng (father)"
    )
    assert given.representative_name == "Lò Văn Sáng (father)"


def test_a_best_interests_decision_needs_a_supervisor_and_a_child(personas):
    born = timezone.localdate() - datetime.timedelta(days=15 * 365)
    child_case = make_case(
        personas.social_worker, personas.centre_laocai, person={"date_of_birth": born}
    )
    adult_case = make_case(personas.social_worker, personas.centre_laocai)
    basis = {"basis": Share.Basis.BEST_INTERESTS, "legal_basis": "Child protection conference"}
    with pytest.raises(ActionRefused, match="Only a supervisor"):
        share(personas, child_case, **basis)
    with pytest.raises(ActionRefused, match="children only"):
        share(personas, adult_case, user_is_supervisor=True, **basis)
    assert share(personas, child_case, user_is_supervisor=True, **basis).basis == "best_interests"


def test_ending_a_share_removes_access(personas, case):
    active = share(personas, case, consent=consent(personas, case))
    actions.end_share(
        user=personas.social_worker, organisation=personas.centre_laocai, share=active
    )
    assert not policy.cases_visible_to(personas.shelter_worker).exists()
    with pytest.raises(ActionRefused):
        actions.end_share(
            user=personas.social_worker, organisation=personas.centre_laocai, share=active
        )


def test_only_a_given_consent_can_be_withdrawn(personas, case):
    refused = consent(personas, case, decision=Consent.Decision.REFUSED)
    with pytest.raises(ActionRefused):
        actions.withdraw_consent(
            user=personas.social_worker, organisation=personas.centre_laocai, consent=refused
        )
