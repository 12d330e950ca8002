"""Lockout after repeated failed logins (django-axes), per username and address."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from haven.audit.models import AuditEvent
from tests.accounts.production import load_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def lockout_rules(settings):
    """The production defaults, stated here so the tests do not depend on tests/settings.py."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    settings.HAVEN_2FA_REQUIRED = False  # lockout is about the password step only


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def sign_in(client, username, password, address=OFFICE):
    client.cookies["django_language"] = "en"
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, times, address=OFFICE):
    return [sign_in(client, username, "wrong", address) for _ in range(times)][-1]


def test_four_failures_still_allow_the_right_password(personas, client):
    assert fail(client, "border.laocai", 4).status_code == 200  # the form again, with an error
    assert sign_in(client, "border.laocai", PASSWORD).status_code == 302


def test_the_fifth_failure_locks_out_even_the_right_password(personas, client):
    response = fail(client, "border.laocai", 5)
    assert response.status_code == 429
    response = sign_in(client, "border.laocai", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_is_a_translated_page_not_bare_text(personas, client):
    response = fail(client, "border.laocai", 5)
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "<h1>Sign-in blocked</h1>" in text
    assert "Try again in 30 minutes." in text
    assert '<html lang="en">' in text


def test_failed_logins_during_a_lockout_still_reach_the_audit_log(personas, client):
    fail(client, "border.laocai", 5)
    sign_in(client, "border.laocai", PASSWORD)
    sign_in(client, "border.laocai", "wrong again")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions.count("login_failed") == 7
    assert actions.count("account.locked_out") >= 1
    assert "login" not in actions
    locked = AuditEvent.objects.filter(action="account.locked_out").first()
    assert locked.details == {"username": "border.laocai"}
    assert locked.ip_address == OFFICE


def test_the_lockout_ends_after_the_cool_off(personas, client, clock):
    fail(client, "border.laocai", 5)
    clock.shift(datetime.timedelta(minutes=29))
    assert sign_in(client, "border.laocai", PASSWORD).status_code == 429
    # That refused attempt restarted the 30 minutes (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    clock.shift(datetime.timedelta(minutes=31))
    assert sign_in(client, "border.laocai", PASSWORD).status_code == 302


def test_the_lockout_is_per_username_and_address(personas, client):
    fail(client, "border.laocai", 5)
    assert sign_in(client, "border.laocai", PASSWORD, address=ELSEWHERE).status_code == 302
    client.logout()
    assert sign_in(client, "shelter.hanoi", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(personas, client):
    fail(client, "border.laocai", 4)
    assert sign_in(client, "border.laocai", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "border.laocai", 4).status_code == 200


def test_limits_come_from_the_environment(monkeypatch, tmp_path):
    production = load_settings(monkeypatch, tmp_path)
    assert production.AXES_FAILURE_LIMIT == 5
    assert production.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert production.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    tuned = load_settings(
        monkeypatch, tmp_path, HAVEN_LOCKOUT_ATTEMPTS="3", HAVEN_LOCKOUT_MINUTES="10"
    )
    assert tuned.AXES_FAILURE_LIMIT == 3
    assert tuned.AXES_COOLOFF_TIME.total_seconds() == 10 * 60
