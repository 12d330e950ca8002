"""TOTP two-factor authentication, required of everyone who can see identities."""

import datetime
import re

import pytest
import time_machine
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.audit.models import AuditEvent
from tests.accounts.helpers import current_code, verify_second_factor
from tests.accounts.production import load_settings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def required(settings):
    """The production default, stated here rather than inherited from tests/settings.py."""
    settings.HAVEN_2FA_REQUIRED = True


@pytest.fixture
def signed_in(client):
    """Sign in with the password only: the first factor."""

    def _signed_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return _signed_in


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


@pytest.mark.parametrize(
    "persona", ["border_guard", "shelter_worker", "supervisor", "administrator"]
)
def test_roles_that_can_see_identities_are_sent_to_enrol(personas, signed_in, persona):
    response = signed_in(getattr(personas, persona)).get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fcases%2F"


def test_a_user_with_a_device_is_sent_to_verify(personas, signed_in):
    enrolled(personas.consul)
    response = signed_in(personas.consul).get("/")
    assert response["Location"] == f"{VERIFY}?next=%2F"


def test_staff_need_a_second_factor_for_the_admin(db, signed_in):
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = signed_in(staff).get("/admin/")
    assert response["Location"].startswith(f"{SETUP}?next=")


def test_an_analyst_without_identities_is_not_asked(personas, signed_in):
    assert signed_in(personas.analyst).get("/").status_code == 200


def test_htmx_requests_reload_the_whole_page_on_the_two_factor_step(personas, signed_in):
    response = signed_in(personas.border_guard).get("/cases/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{SETUP}?next=%2Fcases%2F"


def test_sign_in_and_out_language_and_the_two_factor_pages_stay_open(personas, signed_in):
    client = signed_in(personas.border_guard)
    assert client.get("/accounts/login/").status_code == 200
    assert client.get(SETUP).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "vi", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_the_secret_and_a_server_drawn_qr_code(personas, signed_in):
    response = signed_in(personas.border_guard).get(SETUP)
    device = TOTPDevice.objects.get(user=personas.border_guard, confirmed=False)
    page = response.content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert secret.replace(" ", "") in device.config_url
    assert re.search(r'<svg width="\d+" height="\d+" class="qr"><title>', page)
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", page))  # no inline script
    assert "no-store" in response["Cache-Control"]
    # A reload shows the same secret: the pending device is kept until it is confirmed.
    assert signed_in(personas.border_guard).get(SETUP).content.decode().count(secret) == 1
    assert TOTPDevice.objects.filter(user=personas.border_guard).count() == 1


def test_enrolling_with_the_right_code_verifies_the_session(personas, signed_in, clock):
    client = signed_in(personas.border_guard)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=personas.border_guard)
    response = client.post(SETUP, {"token": "000000", "next": "/cases/"})
    assert response.status_code == 200
    assert "That code was not accepted." in response.content.decode()
    assert client.get("/cases/").status_code == 302
    clock.shift(datetime.timedelta(seconds=30))  # past the throttle after a wrong code
    code = current_code(device)
    response = client.post(SETUP, {"token": f"{code[:3]} {code[3:]}", "next": "/cases/"})
    assert response["Location"] == "/cases/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/cases/").status_code == 200
    assert [a for a in actions() if a.startswith("otp.")] == ["otp.failed", "otp.enrolled"]


def test_verifying_with_the_right_code_opens_the_pages(personas, signed_in, clock):
    device = enrolled(personas.shelter_worker)
    client = signed_in(personas.shelter_worker)
    assert client.get(SETUP)["Location"] == f"{VERIFY}?next=%2F"  # no second enrolment
    response = client.post(VERIFY, {"token": "123456", "next": "/cases/"})
    assert "That code was not accepted." in response.content.decode()
    assert "otp.failed" in actions()
    clock.shift(datetime.timedelta(seconds=30))
    response = client.post(VERIFY, {"token": current_code(device), "next": "/cases/"})
    assert response["Location"] == "/cases/"
    assert "otp.verified" in actions()
    assert client.get("/cases/").status_code == 200


def test_a_code_cannot_be_used_twice(personas, signed_in, clock):
    device = enrolled(personas.shelter_worker)
    client = signed_in(personas.shelter_worker)
    code = current_code(device)
    assert client.post(VERIFY, {"token": code})["Location"] == "/"
    client.logout()
    client = signed_in(personas.shelter_worker)
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_every_new_sign_in_asks_for_a_new_code(personas, client, clock):
    device = enrolled(personas.shelter_worker)
    client.post("/accounts/login/", {"username": "shelter.hanoi", "password": PASSWORD})
    assert client.get("/")["Location"] == f"{VERIFY}?next=%2F"
    client.post(VERIFY, {"token": current_code(device)})
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    clock.shift(datetime.timedelta(seconds=30))
    client.post("/accounts/login/", {"username": "shelter.hanoi", "password": PASSWORD})
    assert client.get("/").status_code == 302


def test_next_must_stay_on_this_site(personas, signed_in):
    device = enrolled(personas.shelter_worker)
    response = signed_in(personas.shelter_worker).post(
        VERIFY, {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_login_fixture_signs_in_with_a_second_factor(personas, login):
    assert login(personas.border_guard).get("/cases/").status_code == 200


def test_verify_second_factor_helper_is_what_opens_the_pages(personas, client):
    client.force_login(personas.border_guard)
    assert client.get("/cases/").status_code == 302
    verify_second_factor(client, personas.border_guard)
    assert client.get("/cases/").status_code == 200


# --- switched off (the demo), visibly ------------------------------------------------------


def test_when_switched_off_nobody_is_asked_and_pages_say_so(personas, client, settings):
    settings.HAVEN_2FA_REQUIRED = False
    client.cookies["django_language"] = "en"
    assert (
        "Two-factor authentication is switched off"
        in client.get("/accounts/login/").content.decode()
    )
    client.post("/accounts/login/", {"username": "border.laocai", "password": PASSWORD})
    page = client.get("/cases/")
    assert page.status_code == 200
    assert "although your role needs it" in page.content.decode()


def test_when_required_the_login_page_carries_no_notice(db, client):
    client.cookies["django_language"] = "en"
    assert "switched off" not in client.get("/accounts/login/").content.decode()


def test_required_by_default_and_off_by_default_in_the_demo(monkeypatch, tmp_path):
    assert load_settings(monkeypatch, tmp_path).HAVEN_2FA_REQUIRED is True
    assert load_settings(monkeypatch, tmp_path, HAVEN_DEMO="1").HAVEN_2FA_REQUIRED is False
    demo_with_2fa = load_settings(monkeypatch, tmp_path, HAVEN_DEMO="1", HAVEN_2FA_REQUIRED="1")
    assert demo_with_2fa.HAVEN_2FA_REQUIRED is True


def test_the_json_api_refuses_an_unverified_session_in_its_own_shape(personas, signed_in):
    try:
        resolve("/api/v1/cases")
    except Resolver404:
        pytest.skip("the JSON API is not installed in this tree")
    response = signed_in(personas.border_guard).get("/api/v1/cases")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
