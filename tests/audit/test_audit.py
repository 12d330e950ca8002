import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from haven.audit import log
from haven.audit.models import AuditEvent
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(personas):
    for _ in range(3):
        make_case(personas.border_guard, personas.border_post_laocai)
    return list(AuditEvent.objects.order_by("id"))


def test_actions_and_views_leave_audit_records(personas, login, chain):
    case_ref = chain[0].details["reference"]
    login(personas.border_guard).get(f"/cases/{case_ref}/")
    last = AuditEvent.objects.order_by("-id").first()
    assert last.action == "case.view"
    assert last.actor_id == personas.border_guard.pk
    assert last.details["reference"] == case_ref


def test_an_intact_chain_verifies(chain, capsys):
    assert log.verify().ok
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_an_altered_row_is_named(chain):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.view", chain[1].pk]
        )
    result = log.verify()
    assert not result.ok
    assert result.first_bad_id == chain[1].pk
    with pytest.raises(CommandError, match=f"row {chain[1].pk}"):
        call_command("audit", "verify")


def test_a_deleted_row_is_detected_at_the_next_row(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[1].pk])
    result = log.verify()
    assert not result.ok
    assert result.first_bad_id == chain[2].pk


def test_deleting_the_newest_row_is_detected(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    assert not log.verify().ok


def test_logins_and_failed_logins_are_recorded(personas, client):
    client.post("/accounts/login/", {"username": "border.laocai", "password": "wrong"})
    client.post(
        "/accounts/login/",
        {"username": "border.laocai", "password": "correct horse battery staple"},
    )
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-2:] == ["login_failed", "login"]
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.details == {"username": "border.laocai"}
