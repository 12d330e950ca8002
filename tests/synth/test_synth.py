import pytest
from django.core.management import call_command
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
    counts = generator.run(200)
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
    with pytest.raises(RuntimeError, match="generator broke"):
        generator.run(200)
    assert Person.objects.count() == 0
    assert Case.objects.count() == 0
