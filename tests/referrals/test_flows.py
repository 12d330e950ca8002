"""Referral flows: send, accept, decline, overdue, withdraw, feedback, transfer."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from haven.access import actions as access_actions
from haven.access import policy
from haven.audit.models import AuditEvent
from haven.cases import tasks
from haven.cases.models import Task, TimelineEvent
from haven.errors import ActionRefused
from haven.referrals import actions
from haven.referrals.models import Referral
from haven.rules import lookup as rules
from tests.referrals.conftest import refer


def events(case, action):
    return TimelineEvent.objects.filter(case=case, data__action=action).count()


def inbox_kinds(user):
    policy.forget(user)
    return [(t.kind, t.source) for t in tasks.inbox(user)]


def test_sending_opens_the_receivers_task_and_fixes_what_it_sees(personas, world):
    referral = refer(personas, world, disclose_care=["hiv"])
    days = rules.value("deadline.referral_response_days", province=world.case.province)
    assert referral.status == Referral.Status.PENDING
    assert referral.due_at - referral.created_at == datetime.timedelta(days=days)
    task = Task.objects.get(kind=Task.Kind.REFERRAL_RESPONSE)
    assert task.organisation == personas.shelter_hanoi
    assert task.source == tasks.source_of(referral)
    assert referral.summary == {
        "age_group": actions.age_group(world.case.person.age),
        "child": False,
        "sex": "F",
        "identification_status": "undecided",
        "province": world.case.province_id,
        "needs": ["essential_needs", "psychological"],
        "languages": ["km"],
        "needs_interpreter": False,
        "care": ["hiv"],
    }
    assert "Lý" not in str(referral.summary)
    assert events(world.case, "referral.send") == 1
    assert AuditEvent.objects.filter(action="referral.send", object_id=str(referral.pk)).exists()
    # Nothing is shared before acceptance.
    assert not world.case.shares.filter(organisation=personas.shelter_hanoi).exists()


def test_accepting_shares_exactly_the_named_sections(personas, world):
    referral = refer(personas, world)
    actions.accept_referral(
        user=personas.shelter_worker, organisation=personas.shelter_hanoi, referral=referral
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.share.section_set == {"identity", "support"}
    assert referral.share.consent == world.consent
    access = policy.case_access(personas.shelter_worker, world.case)
    assert access.sections == {"identity", "support"}
    assert not access.can_write
    assert not Task.objects.filter(kind=Task.Kind.REFERRAL_RESPONSE, done_at__isnull=True).exists()
    assert events(world.case, "referral.accept") == 1
    assert AuditEvent.objects.filter(action="referral.accept").exists()
    assert AuditEvent.objects.filter(action="share.create").exists()
    # The planned service now names its provider.
    assert world.case.services.get(support_type="psychological").provider == personas.shelter_hanoi


def test_a_referral_is_answered_once(personas, world):
    referral = refer(personas, world)
    actions.accept_referral(
        user=personas.shelter_worker, organisation=personas.shelter_hanoi, referral=referral
    )
    with pytest.raises(ActionRefused):
        actions.decline_referral(
            user=personas.shelter_worker,
            organisation=personas.shelter_hanoi,
            referral=referral,
            reason="no_place",
        )


def test_a_declined_referral_returns_to_the_senders_inbox(personas, world):
    referral = refer(personas, world)
    actions.decline_referral(
        user=personas.shelter_worker,
        organisation=personas.shelter_hanoi,
        referral=referral,
        reason="no_place",
        detail="Hết chỗ",
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
    assert referral.decline_reason == "no_place"
    source = tasks.source_of(referral)
    assert (Task.Kind.REFERRAL_RETURNED, source) in inbox_kinds(personas.social_worker)
    assert (Task.Kind.REFERRAL_RETURNED, source) in inbox_kinds(personas.supervisor)
    assert not Task.objects.filter(kind=Task.Kind.REFERRAL_RESPONSE, done_at__isnull=True).exists()
    assert not world.case.shares.filter(organisation=personas.shelter_hanoi).exists()
    assert events(world.case, "referral.decline") == 1
    # Referring her again is acting on it: the returned item leaves the inbox.
    refer(personas, world)
    assert (Task.Kind.REFERRAL_RETURNED, source) not in inbox_kinds(personas.social_worker)


def test_declining_needs_a_reason(personas, world):
    referral = refer(personas, world)
    with pytest.raises(ActionRefused):
        actions.decline_referral(
            user=personas.shelter_worker,
            organisation=personas.shelter_hanoi,
            referral=referral,
            reason="other",
            detail=" ",
        )


def test_an_overdue_referral_returns_to_the_sender_once(personas, world):
    referral = refer(personas, world)
    assert actions.return_overdue_referrals() == 0
    with time_machine.travel(referral.due_at + datetime.timedelta(hours=1), tick=False):
        out = io.StringIO()
        call_command("return_overdue_referrals", stdout=out)
        assert "Returned 1" in out.getvalue()
        assert actions.return_overdue_referrals() == 0  # once only
        referral.refresh_from_db()
        assert referral.returned_at == timezone.now()
        assert referral.is_overdue
        source = tasks.source_of(referral)
        assert (Task.Kind.REFERRAL_RETURNED, source) in inbox_kinds(personas.social_worker)
        assert events(world.case, "referral.overdue") == 1
        assert AuditEvent.objects.filter(action="referral.overdue").exists()
        # Still open to a late answer; answering clears the sender's item.
        actions.accept_referral(
            user=personas.shelter_worker, organisation=personas.shelter_hanoi, referral=referral
        )
        assert (Task.Kind.REFERRAL_RETURNED, source) not in inbox_kinds(personas.social_worker)


def test_withdrawing_closes_the_receivers_task(personas, world):
    referral = refer(personas, world)
    actions.withdraw_referral(
        user=personas.social_worker, organisation=personas.centre_laocai, referral=referral
    )
    assert not Task.objects.filter(done_at__isnull=True, kind__startswith="referral").exists()
    with pytest.raises(ActionRefused):
        actions.accept_referral(
            user=personas.shelter_worker, organisation=personas.shelter_hanoi, referral=referral
        )


def test_feedback_comes_back_to_the_sender(personas, world):
    referral = refer(personas, world)
    with pytest.raises(ActionRefused):
        actions.record_feedback(
            user=personas.shelter_worker,
            organisation=personas.shelter_hanoi,
            referral=referral,
            outcome="delivered",
        )
    actions.accept_referral(
        user=personas.shelter_worker, organisation=personas.shelter_hanoi, referral=referral
    )
    actions.record_feedback(
        user=personas.shelter_worker,
        organisation=personas.shelter_hanoi,
        referral=referral,
        outcome="delivered",
        feedback="Đã tư vấn 4 buổi",
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    assert referral.feedback == "Đã tư vấn 4 buổi"
    assert events(world.case, "referral.feedback") == 1


def test_a_withdrawn_consent_stops_the_acceptance(personas, world):
    referral = refer(personas, world)
    access_actions.withdraw_consent(
        user=personas.social_worker, organisation=personas.centre_laocai, consent=world.consent
    )
    with pytest.raises(ActionRefused, match="refused or withdrawn"):
        actions.accept_referral(
            user=personas.shelter_worker, organisation=personas.shelter_hanoi, referral=referral
        )


def test_sending_checks_the_basis_and_duplicates(personas, world):
    with pytest.raises(ActionRefused, match="does not cover"):
        refer(personas, world, to_organisation=personas.consulate_phnompenh)
    with pytest.raises(ActionRefused):
        refer(personas, world, basis="law", consent=None, legal_basis="")
    with pytest.raises(ActionRefused):
        refer(personas, world, sections=[])
    refer(personas, world)
    with pytest.raises(ActionRefused, match="already waiting"):
        refer(personas, world)


def test_a_transfer_moves_ownership(personas, world):
    referral = refer(personas, world, kind=Referral.Kind.TRANSFER, sections=[])
    actions.accept_referral(
        user=personas.shelter_worker, organisation=personas.shelter_hanoi, referral=referral
    )
    world.case.refresh_from_db()
    assert world.case.owner == personas.shelter_hanoi
    policy.forget(personas.shelter_worker)
    assert policy.case_access(personas.shelter_worker, world.case).can_write
    assert AuditEvent.objects.filter(action="case.transfer").exists()


def test_the_receiver_sees_a_referral_to_answer_in_its_inbox_without_the_case(
    personas, world, login
):
    referral = refer(personas, world)
    inbox = tasks.inbox(personas.shelter_worker)
    assert [t.referral_id for t in inbox] == [referral.pk]
    html = login(personas.shelter_worker).get("/inbox/").content.decode()
    assert f"/referrals/{referral.pk}/" in html
    assert referral.case.reference not in html
