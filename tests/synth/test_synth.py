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
