"""Idle sessions end, cookies are secure behind HTTPS, and every form needs a CSRF token."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.accounts.production import load_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_an_idle_session_is_signed_out_after_the_idle_time(personas, login, settings):
    idle = settings.SESSION_COOKIE_AGE
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = login(personas.border_guard)
        assert client.get("/").status_code == 200
        # Activity restarts the clock (IdleSessionMiddleware): two spans of 2/3 of the
        # idle time each add up to more than it, yet the user is still signed in.
        for _ in range(2):
            clock.shift(datetime.timedelta(seconds=idle * 2 // 3))
            assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(seconds=idle + 1))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_session_is_saved_once_a_refresh_interval_not_on_every_request(personas, login, settings):
    from django.contrib.sessions.models import Session

    settings.HAVEN_SESSION_REFRESH_SECONDS = refresh = 60  # as deployed (tests: 0)
    idle = settings.SESSION_COOKIE_AGE
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = login(personas.border_guard)
        assert client.get("/").status_code == 200
        key = client.session.session_key
        expires = Session.objects.get(pk=key).expire_date
        # Within the interval: nothing written, the expiry stays where it was.
        clock.shift(datetime.timedelta(seconds=refresh // 2))
        assert client.get("/").status_code == 200
        assert Session.objects.get(pk=key).expire_date == expires
        # That request did not move it, yet the session lasts until the idle time less the
        # interval after it.
        clock.shift(datetime.timedelta(seconds=idle - refresh))
        assert client.get("/").status_code == 200
        # That one came after the interval: saved, its expiry idle time from now.
        assert Session.objects.get(pk=key).expire_date == timezone.now() + datetime.timedelta(
            seconds=idle
        )
        clock.shift(datetime.timedelta(seconds=idle + 1))
        response = client.get("/")
    assert response.status_code == 302


def test_the_idle_time_comes_from_the_environment(monkeypatch, tmp_path):
    production = load_settings(monkeypatch, tmp_path)
    assert production.SESSION_COOKIE_AGE == 30 * 60
    assert "haven.accounts.sessions.IdleSessionMiddleware" in production.MIDDLEWARE
    assert production.HAVEN_SESSION_REFRESH_SECONDS == 60
    tuned = load_settings(monkeypatch, tmp_path, HAVEN_SESSION_IDLE_SECONDS="600")
    assert tuned.SESSION_COOKIE_AGE == 600


def test_cookies_are_secure_in_production_and_not_in_the_plain_http_demo(monkeypatch, tmp_path):
    production = load_settings(monkeypatch, tmp_path)
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    demo = load_settings(monkeypatch, tmp_path, HAVEN_DEMO="1")
    assert not demo.SESSION_COOKIE_SECURE and not demo.CSRF_COOKIE_SECURE


def test_the_session_cookie_of_a_real_sign_in_is_secure_and_http_only(personas, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.HAVEN_2FA_REQUIRED = False
    client = Client()
    form = client.get("/accounts/login/", secure=True)
    assert form.cookies["csrftoken"]["secure"]
    response = client.post(
        "/accounts/login/", {"username": "border.laocai", "password": PASSWORD}, secure=True
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_post_without_a_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "border.laocai", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# Views allowed to skip Django's CSRF check, each with the reason it is safe.
CSRF_EXEMPT = {
    "api:not-found": "answers 404 to any method under /api/v1/ and changes nothing",
}


def _views(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _views(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or entry.pattern}", entry.callback


def test_no_view_is_exempt_from_csrf():
    # django-ninja marks its views exempt and checks CSRF itself for cookie-authenticated calls.
    exempt = [
        name
        for name, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
        and not view.__module__.startswith("ninja.")
        and name not in CSRF_EXEMPT
    ]
    assert exempt == []
