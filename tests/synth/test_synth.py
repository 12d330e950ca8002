import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.db.models import Count

from haven.audit import log
from haven.cases.models import Case, Reception
from haven.people.models import Person

pytestmark = pytest.mark.django_db


def test_synth_builds_a_consistent_registry(capsys):
    call_command("synth", "--persons", "300", "--batch", "97")
    out = capsys.readouterr().out
    assert "Created" in out
    persons, cases = Person.objects.count(), Case.objects.count()
    assert persons >= 300 and cases == persons
    assert Reception.objects.count() == cases
    duplicates = persons - 300
    assert 0 < duplicates < 40  # about 5% registered twice by another agency
    assert Case.objects.values("reference").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    assert log.verify().ok  # the synthetic audit rows are chained like real ones
    assert not Case.objects.exclude(person__isnull=False).exists()
    person = Person.objects.exclude(phone="").first()
    assert person.phone.startswith("09")  # stored encrypted, read back in clear
    assert Person.objects.filter(merged_into__isnull=False).count() <= duplicates


def test_synth_adds_to_an_existing_registry_without_clashes(personas):
    from tests.factories import make_case

    make_case(personas.border_guard, personas.border_post_laocai)
    call_command("synth", "--persons", "50")
    make_case(personas.border_guard, personas.border_post_laocai)  # sequences moved on
    assert log.verify().ok


def test_synth_refuses_a_bad_count():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="positive"):
        call_command("synth", "--persons", "0")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_synth_writes_on_a_second_connection_outside_a_transaction(capsys):
    """On PostgreSQL, outside a caller's transaction, a second connection writes the rows
    while the first generates: everything must land, referrals included, and chain."""
    from django.db import connection

    from haven.referrals.models import Referral
    from haven.synth.registry import Generator

    generator = Generator(seed=5, batch=50)
    assert (generator.pipe is not None) == (connection.vendor == "postgresql")
    before = schema()
    counts = generator.run(200)
    if connection.vendor == "postgresql":
        # The tables were empty: indexes and keys were dropped, then built after the rows.
        assert len(generator.pipe.bulk.indexes) > 50 and len(generator.pipe.bulk.keys) > 10
        # The statistics' triggers were off during the load; the facts were computed after.
        from haven.reports.models import StatisticsFact

        assert StatisticsFact.objects.filter(kind=1).count() == Reception.objects.count()
        assert len(before[2]) > 10
    assert schema() == before
    assert Person.objects.count() == counts["persons"]
    assert Case.objects.count() == counts["cases"] == Reception.objects.count()
    assert Referral.objects.count() == counts["referrals"] > 0
    accepted = Referral.objects.filter(status__in=["accepted", "completed"])
    assert not accepted.filter(share__isnull=True).exists()  # acceptance opened a share
    assert log.verify().ok
    # Sequences moved past the written ids: a normal insert after synth does not clash.
    last = Case.objects.order_by("-pk").first()
    assert (
        Case.objects.create(
            reference="X-1", person=last.person, owner=last.owner, province=last.province
        ).pk
        > last.pk
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_synth_rolls_back_everything_when_generation_fails(monkeypatch):
    from haven.synth.registry import Generator

    generator = Generator(seed=5, batch=20)
    calls = {"n": 0}
    real = generator.person

    def failing():
        calls["n"] += 1
        if calls["n"] == 120:
            raise RuntimeError("generator broke")
        real()

    monkeypatch.setattr(generator, "person", failing)
    before = schema()
    with pytest.raises(RuntimeError, match="generator broke"):
        generator.run(200)
    assert Person.objects.count() == 0
    assert Case.objects.count() == 0
    assert schema() == before  # the dropped indexes and keys came back with the rollback


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bulk_load_checks_every_foreign_key_when_it_adds_them_back(monkeypatch):
    """Into empty tables the keys are added back after the rows, and adding them checks
    every row: a row pointing nowhere fails the whole load, which rolls back."""
    from django.db import connection

    from haven.agencies.models import Organisation
    from haven.support.models import FollowUpVisit
    from haven.synth.registry import Generator

    if connection.vendor != "postgresql":
        pytest.skip("bulk loading is PostgreSQL's")
    generator = Generator(seed=5, batch=50)
    real = generator._generate

    def with_a_dangling_row(*args):
        real(*args)
        visits = generator.writers[FollowUpVisit]
        organisation = Organisation.objects.order_by("pk").values_list("pk", flat=True)[0]
        visits.add(
            id=10**8, case_id=10**9, organisation_id=organisation, due_on=datetime.date(2025, 1, 1)
        )
        visits.flush()

    monkeypatch.setattr(generator, "_generate", with_a_dangling_row)
    before = schema()
    with pytest.raises(RuntimeError, match="writing the synthetic registry failed") as failed:
        generator.run(60)
    assert isinstance(failed.value.__cause__, IntegrityError)
    assert "foreign key" in str(failed.value.__cause__)
    assert Person.objects.count() == 0
    assert FollowUpVisit.objects.count() == 0
    assert schema() == before


def schema() -> tuple:
    """Every index and constraint of the database, as PostgreSQL would recreate them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint ORDER BY 1, 2"
        )
        constraints = tuple(cursor.fetchall())
        cursor.execute(  # the statistics' triggers, and whether each is enabled
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
            "WHERE NOT tgisinternal ORDER BY 1, 2"
        )
        return tuple(indexes), constraints, tuple(cursor.fetchall())
