"""Tokens, scopes, revocation, CSRF for sessions, and the API client pages."""

import hashlib

import pytest
from django.test import Client

from haven.api import clients
from haven.api.models import ApiClient
from haven.audit.models import AuditEvent
from tests.api.conftest import reception_payload


def test_only_a_hash_of_the_token_is_stored(world, token_for):
    token = token_for(world["personas"].centre_laocai)
    stored = ApiClient.objects.get()
    assert token.startswith("hvn_") and len(token) > 40
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(ApiClient.objects.values()))
    assert stored.token_prefix == token[:12]


def test_a_client_acts_as_a_case_worker_of_its_organisation(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    case = api(token).get(f"/api/v1/cases/{world['case'].reference}").json()
    assert case["access"]["can_write"] is True
    event = AuditEvent.objects.filter(action="case.view").latest("id")
    assert event.actor_username.startswith("api-ctxh-laocai-")
    assert event.details["via"] == "api"
    assert ApiClient.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    ("scopes", "method", "path", "allowed"),
    [
        (["receptions:write"], "get", "/api/v1/cases", False),
        (["cases:read"], "get", "/api/v1/cases", True),
        (["cases:read"], "post", "/api/v1/receptions", False),
        (["receptions:write"], "post", "/api/v1/receptions", True),
        (["cases:read"], "post", "/api/v1/cases/{ref}/consents", False),
        (["consents:write"], "post", "/api/v1/cases/{ref}/consents/{consent}/withdraw", True),
        (["consents:write"], "post", "/api/v1/cases/{ref}/shares/{share}/end", False),
        (["shares:write"], "post", "/api/v1/cases/{ref}/shares/{share}/end", True),
    ],
)
def test_a_client_works_only_within_its_scopes(
    world, token_for, api, scopes, method, path, allowed
):
    token = token_for(world["personas"].centre_laocai, scopes=scopes)
    url = path.format(
        ref=world["case"].reference, consent=world["consent"].pk, share=world["share"].pk
    )
    data = reception_payload() if path.endswith("receptions") else None
    response = getattr(api(token), method)(url, data) if data else getattr(api(token), method)(url)
    if allowed:
        assert response.status_code in (200, 201), response.content
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "insufficient_scope"


def test_revoked_and_unknown_tokens_get_401(world, token_for, api, org_admin):
    personas = world["personas"]
    token = token_for(personas.centre_laocai)
    assert api(token).get("/api/v1/cases").status_code == 200
    client = ApiClient.objects.get()
    clients.revoke_client(admin=client.created_by, client=client)
    for bad in (token, "hvn_" + "x" * 43, "not-a-token"):
        response = api(bad).get("/api/v1/cases")
        assert response.status_code == 401, bad
        assert response.json()["error"]["code"] == "not_authenticated"
    assert AuditEvent.objects.filter(action="api_client.revoke").count() == 1


def test_a_bad_token_is_not_rescued_by_a_session(world, api, login):
    login(world["personas"].social_worker)
    assert api().get("/api/v1/cases").status_code == 200
    assert api("hvn_wrong").get("/api/v1/cases").status_code == 401


def test_a_deactivated_organisation_deactivates_its_clients(world, token_for, api):
    centre = world["personas"].centre_laocai
    token = token_for(centre)
    centre.is_active = False
    centre.save()
    assert api(token).get("/api/v1/cases").status_code == 401


def test_session_posts_need_the_csrf_token(world, api):
    personas = world["personas"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.social_worker)
    from tests.accounts.helpers import verify_second_factor

    verify_second_factor(browser, personas.social_worker)
    browser.get("/api/v1/cases")  # reads need no token
    response = api(http=browser).post("/api/v1/receptions", reception_payload())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    browser.get("/")  # a page sets the CSRF cookie, as the browser would have it
    token = browser.cookies["csrftoken"].value
    response = api(http=browser).post(
        "/api/v1/receptions", reception_payload(), headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.content


def test_tokens_need_no_csrf_token(world, token_for, api):
    browser = Client(enforce_csrf_checks=True)
    token = token_for(world["personas"].centre_laocai)
    response = api(token, http=browser).post("/api/v1/receptions", reception_payload())
    assert response.status_code == 201


# The pages where administrators manage clients ----------------------------------------------


def test_an_administrator_creates_sees_once_lists_and_revokes_clients(world, login, org_admin):
    centre = world["personas"].centre_laocai
    admin = org_admin(centre, "admin.ctxh")
    client = login(admin)
    response = client.post(
        "/api/clients/",
        {"organisation": centre.pk, "name": "Sổ tiếp nhận", "scopes": ["cases:read"]},
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token and token.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    listed = client.get("/api/clients/")
    assert token.encode() not in listed.content
    assert ApiClient.objects.get().token_prefix.encode() in listed.content
    assert AuditEvent.objects.filter(action="api_client.create").count() == 1
    row = ApiClient.objects.get()
    assert client.post(f"/api/clients/{row.pk}/revoke/").status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None and not row.user.is_active


def test_an_administrator_of_another_organisation_cannot_touch_them(
    world, login, org_admin, token_for
):
    personas = world["personas"]
    token_for(personas.centre_laocai)
    row = ApiClient.objects.get()
    other = login(org_admin(personas.border_post_angiang, "admin.angiang"))
    assert row.token_prefix.encode() not in other.get("/api/clients/").content
    assert other.post(f"/api/clients/{row.pk}/revoke/").status_code == 404
    response = other.post(
        "/api/clients/",
        {"organisation": personas.centre_laocai.pk, "name": "x", "scopes": ["cases:read"]},
    )
    assert response.status_code == 400
    assert ApiClient.objects.count() == 1


def test_case_workers_have_no_client_page(world, login):
    assert login(world["personas"].social_worker).get("/api/clients/").status_code == 404
