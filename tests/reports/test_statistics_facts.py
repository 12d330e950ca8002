"""The statistics' facts kept by triggers (PostgreSQL, `factstore`): after every kind of
edit the work makes, the facts are exactly what computing them afresh gives, and the
report counted from them is still the Python reference's."""

import datetime

import pytest
from django.db import connection

from haven.agencies.models import FrameworkRole, Organisation
from haven.cases.models import Case, IdentificationDecision, Reception
from haven.people.actions import merge_persons, undo_merge
from haven.people.models import Person
from haven.places.models import Ethnicity, Province
from haven.referrals.models import Referral
from haven.reports import factstore, statistics
from haven.reports.models import StatisticsFact
from haven.reports.periods import Period
from haven.support.models import FollowUpVisit, Service
from tests.reports.test_statistics_sql_parity import (
    assert_same,
    make_varied_registry,
    python_report,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers: PostgreSQL only"),
]

# Every column, the chains included (`factstore._chains`).
COLUMNS = [c.strip() for c in f"{factstore.COLUMNS}, {factstore.CHAIN_COLUMNS}".split(",")]


@pytest.fixture
def varied_registry(db):
    return make_varied_registry()


def kept_facts() -> list[tuple]:
    return sorted(StatisticsFact.objects.values_list(*COLUMNS), key=repr)


class _Undo(Exception):
    pass


def fresh_facts() -> list[tuple]:
    """The facts as a full recomputation gives them (then undone)."""
    from django.db import transaction

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                factstore.rebuild(cursor)
            found = kept_facts()
            raise _Undo
    except _Undo:
        return found


def assert_facts_true():
    kept = kept_facts()
    assert kept, "no facts at all"
    assert kept == fresh_facts()


def test_synth_and_hand_made_records_have_their_facts(varied_registry):
    assert_facts_true()
    chained = StatisticsFact.objects.filter(kind=factstore.KIND_SERVICE, prior_day__isnull=False)
    assert chained.exists(), "no service follows another of the same person"
    kinds = set(StatisticsFact.objects.values_list("kind", flat=True))
    assert kinds == {
        factstore.KIND_RECEPTION,
        factstore.KIND_DECISION,
        factstore.KIND_SERVICE,
        factstore.KIND_VISIT,
        factstore.KIND_REFERRAL,
    }
    assert StatisticsFact.objects.filter(kind=factstore.KIND_VISIT).count() == (
        FollowUpVisit.objects.count()
    )
    assert StatisticsFact.objects.filter(kind=factstore.KIND_REFERRAL).count() == (
        Referral.objects.count()
    )
    delivered = Service.objects.filter(status=Service.Status.DELIVERED).count()
    assert StatisticsFact.objects.filter(kind=factstore.KIND_SERVICE).count() == delivered
    assert StatisticsFact.objects.filter(kind=factstore.KIND_RECEPTION).count() == (
        Reception.objects.count()
    )


def test_the_chain_columns_are_the_chains_in_order():
    assert COLUMNS[-len(factstore._chains()) :] == list(factstore._chains())


def test_every_kind_of_edit_keeps_the_facts_true(varied_registry, django_user_model):
    user = django_user_model.objects.create(username="facts-editor")
    case = Case.objects.filter(receptions__isnull=False, decisions__isnull=False).first()
    person = case.person

    # The person: each counted value on its own.
    for field, value in [
        ("sex", "M" if person.sex == "F" else "F"),
        ("date_of_birth", datetime.date(1999, 2, 28)),
        ("birth_year", 1999),
        ("ethnicity", Ethnicity.objects.exclude(pk=person.ethnicity_id).first()),
    ]:
        setattr(person, field, value)
        person.save()
        assert_facts_true()

    # Merged into another record, then the merge undone.
    other = Person.objects.exclude(pk=person.pk).filter(merged_into__isnull=True).first()
    merge = merge_persons(user=user, kept=other, merged=person)
    assert set(StatisticsFact.objects.filter(case_id=case.pk).values_list("person", flat=True)) == {
        other.pk
    }
    assert_facts_true()
    undo_merge(user=user, merge=merge)
    assert_facts_true()

    # The case's first reception moves to another province and receiving organisation;
    # a new, earlier reception becomes the origin; a reception is removed.
    first = case.receptions.order_by("received_at", "id").first()
    first.province = Province.objects.filter(successor__isnull=False).first()
    first.received_by = Organisation.objects.exclude(pk=first.received_by_id).first()
    first.save()
    assert_facts_true()
    earlier = Reception.objects.get(pk=first.pk)
    earlier.pk = None
    earlier.received_at = first.received_at - datetime.timedelta(days=3)
    earlier.entry_route = "hotline"
    earlier.save()
    assert_facts_true()
    earlier.delete()
    assert_facts_true()

    # Decisions and services: added, changed, withdrawn, deleted.
    decision = case.decisions.first()
    decision.status = "victim"
    decision.decided_on = decision.decided_on - datetime.timedelta(days=40)
    decision.save()
    assert_facts_true()
    IdentificationDecision.objects.filter(pk=decision.pk).delete()
    assert_facts_true()
    service = Service.objects.filter(case=case).first() or Service.objects.first()
    service.status = Service.Status.PLANNED
    service.save()
    assert_facts_true()
    Service.objects.filter(pk=service.pk).update(status=Service.Status.DELIVERED, cost=777)
    assert_facts_true()

    # A follow-up visit made, late; a referral answered, then removed.
    visit = FollowUpVisit.objects.filter(visited_on__isnull=True).first()
    visit.case = case
    visit.visited_on = visit.due_on + datetime.timedelta(days=2)
    visit.save()
    assert_facts_true()
    referral = Referral.objects.order_by("pk").first()
    Referral.objects.filter(pk=referral.pk).update(
        case=case, status="accepted", decided_at=referral.created_at + datetime.timedelta(days=4)
    )
    assert_facts_true()
    assert StatisticsFact.objects.filter(
        kind=factstore.KIND_REFERRAL, event_id=referral.pk, case_id=case.pk, status="accepted"
    ).exists()

    # The case itself, an organisation's role, a province's successor.
    Case.objects.filter(pk=case.pk).update(
        province=Province.objects.filter(valid_to__isnull=True).last(),
        previous_case=Case.objects.exclude(pk=case.pk).first(),
    )
    assert_facts_true()
    organisation = Organisation.objects.filter(pk=first.received_by_id).get()
    organisation.framework_role = next(
        role for role in FrameworkRole.values if role != organisation.framework_role
    )
    organisation.save()
    assert_facts_true()
    Province.objects.filter(pk=first.province_id).update(successor=None)
    assert_facts_true()


def test_after_edits_the_report_is_still_pythons(varied_registry, django_user_model):
    user = django_user_model.objects.create(username="facts-merger")
    persons = list(Person.objects.filter(merged_into__isnull=True, cases__isnull=False)[:6])
    for kept, merged in zip(persons[::2], persons[1::2], strict=True):
        merge_persons(user=user, kept=kept, merged=merged)
    for person in persons[:3]:
        Person.objects.filter(pk=person.pk).update(sex="M" if person.sex == "F" else "F")
    Service.objects.filter(status=Service.Status.PLANNED).update(
        status=Service.Status.DELIVERED, starts_on=datetime.date(2025, 8, 1)
    )
    for period in (Period.quarter(2025, 3), Period.year(2025)):
        assert_same(statistics.build(period), python_report(period))


def test_refresh_statistics_computes_the_same_facts_and_is_audited(varied_registry, capsys):
    from django.core.management import call_command

    from haven.audit.models import AuditEvent

    before = kept_facts()
    StatisticsFact.objects.filter(kind=factstore.KIND_SERVICE).delete()  # damaged by hand
    call_command("refresh_statistics")
    assert kept_facts() == before
    assert f"{len(before):,} facts" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="statistics.refresh").exists()


def _save_two_services_at_once(template: Service, case_ids: list, starts_on=None) -> list:
    """Two copies of `template` (on the given cases) saved by two transactions at once: the
    second saves while the first, already saved, still holds its transaction open. Returns
    the errors either met."""
    import threading
    import time

    from django.db import connections, transaction

    first_saved = threading.Event()
    errors = []

    def add_service(case_id, wait_for=None, hold=0.0):
        try:
            if wait_for is not None:
                wait_for.wait(timeout=10)
            with transaction.atomic():
                service = Service.objects.get(pk=template.pk)
                service.pk = None
                service.case_id = case_id
                service.starts_on = starts_on or service.starts_on
                service.save()
                first_saved.set()
                time.sleep(hold)  # still uncommitted while the other transaction writes
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add_service, args=(case_ids[0],), kwargs={"hold": 1.0}),
        threading.Thread(target=add_service, args=(case_ids[1],), kwargs={"wait_for": first_saved}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transactions_adding_to_one_case_leave_each_fact_once():
    """The second transaction's refresh waits for the first's (the per-case advisory lock);
    without it, it would not see the first's new facts to delete and would add them again."""
    from django.core.management import call_command

    call_command("synth", persons=30, seed=3)
    template = Service.objects.filter(status=Service.Status.DELIVERED).first()
    assert not _save_two_services_at_once(template, [template.case_id, template.case_id])
    case_facts = StatisticsFact.objects.filter(case_id=template.case_id, kind=3)
    delivered = Service.objects.filter(case_id=template.case_id, status="delivered")
    assert case_facts.count() == delivered.count()
    assert_facts_true()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transactions_adding_to_one_persons_cases_leave_her_chains_true():
    """Each transaction chains the person's facts again under a per-person lock, so the
    second waits for the first and sees its service; without the lock, the second would
    chain her services without the first's."""
    from django.core.management import call_command

    call_command("synth", persons=30, seed=3)
    template = Service.objects.filter(status=Service.Status.DELIVERED).first()
    first_case = Case.objects.get(pk=template.case_id)
    second_case = Case.objects.get(pk=first_case.pk)
    second_case.pk = None
    second_case.reference = f"{first_case.reference}-2"
    second_case.save()
    later = datetime.date.today()
    assert not _save_two_services_at_once(template, [first_case.pk, second_case.pk], later)
    newest = StatisticsFact.objects.filter(kind=factstore.KIND_SERVICE, day=later)
    assert newest.count() == 2
    assert_facts_true()
