"""Security headers on real responses, and `check --deploy` clean in production mode."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from tests.accounts.production import clean_environment, load_settings, security_settings

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def production(monkeypatch, tmp_path, settings):
    """Apply production's security settings to this test run (tests/settings.py aside)."""
    module = load_settings(monkeypatch, tmp_path)
    for name, value in security_settings(module).items():
        if name not in {"DEBUG", "ALLOWED_HOSTS", "SECRET_KEY"}:
            setattr(settings, name, value)
    return module


def test_the_content_security_policy_allows_no_inline_script(production, client):
    response = client.get("/accounts/login/", secure=True)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_frames_referrers_and_sniffing_are_refused(production, client):
    response = client.get("/accounts/login/", secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"  # see settings: no-referrer breaks CSRF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_is_sent_over_https_only(production, client):
    assert client.get("/accounts/login/", secure=True)["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


def test_https_behind_the_proxy_is_recognised(production, client):
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" in response


def test_pages_carry_no_inline_script_or_event_handler(personas, login, production):
    client = login(personas.border_guard)
    for url in ("/accounts/login/", "/", "/cases/", "/accounts/2fa/verify/?next=/"):
        page = client.get(url, secure=True, follow=True).content.decode().lower()
        for tag in page.split("<script")[1:]:
            assert " src=" in tag.split(">", 1)[0], url
        assert " onclick=" not in page and " onload=" not in page, url


def test_check_deploy_is_clean_with_production_settings(production):
    with override_settings(**security_settings(production)):
        try:
            call_command("check", deploy=True, fail_level="WARNING")
        except SystemCheckError as error:  # pragma: no cover - the message is the diagnosis
            pytest.fail(str(error))


def test_check_deploy_notices_a_weakened_setting(production):
    weakened = {**security_settings(production), "SESSION_COOKIE_SECURE": False}
    # W010: Django names the sessions app, not its middleware (W012), since Haven's
    # session middleware is a subclass (haven.accounts.sessions); the same warning.
    with override_settings(**weakened), pytest.raises(SystemCheckError, match="W010"):
        call_command("check", deploy=True, fail_level="WARNING")


def test_the_haven_command_reports_no_deploy_issue(monkeypatch, tmp_path):
    """The real thing: `haven check --deploy` in a fresh process with only production env."""
    clean_environment(monkeypatch, tmp_path)
    result = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "haven", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
