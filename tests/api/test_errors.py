"""One error shape, in the requested language."""

from tests.api.conftest import reception_payload


def _shape(response):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_vietnamese_is_the_default_and_english_on_request(world, token_for, api):
    ref = world["case"].reference
    vi = _shape(api().get(f"/api/v1/cases/{ref}"))
    en = _shape(api(language="en").get(f"/api/v1/cases/{ref}"))
    assert vi["code"] == en["code"] == "not_authenticated"
    assert en["message"].startswith("Sign in")
    assert vi["message"] != en["message"]
    token = token_for(world["personas"].stranger.memberships.get().organisation)
    assert _shape(api(token, "en").get(f"/api/v1/cases/{ref}"))["message"] == "Not found."
    assert _shape(api(token, "vi").get(f"/api/v1/cases/{ref}"))["message"] != "Not found."
    assert _shape(api(token, "fr").get("/api/v1/nothing-here"))["code"] == "not_found"


def test_field_messages_come_from_the_reception_form(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    payload = reception_payload(date_of_birth="2099-01-01", commune="99999", border_kind=None)
    error = _shape(api(token, "en").post("/api/v1/receptions", payload))
    assert error["code"] == "invalid"
    assert error["fields"]["date_of_birth"] == ["The date of birth cannot be in the future."]
    assert error["fields"]["commune"] == [
        "This place is not in Haven's list. Choose one from the list."
    ]
    assert error["fields"]["border_kind"] == ["This field is required."]
    vi = _shape(api(token, "vi").post("/api/v1/receptions", payload))
    assert vi["fields"]["border_kind"] != ["This field is required."]


def test_schema_errors_name_the_field(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    error = _shape(api(token, "en").post("/api/v1/receptions", {"entry_route": "by_air"}))
    assert error["code"] == "invalid"
    assert "entry_route" in error["fields"] and "full_name" in error["fields"]
    assert error["fields"]["full_name"] == ["This field is required."]
    error = _shape(api(token, "en").get("/api/v1/cases", {"page_size": 1000}))
    assert list(error["fields"]) == ["page_size"]


def test_refusals_of_actions_carry_their_field(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    ref = world["case"].reference
    response = api(token, "en").post(
        f"/api/v1/cases/{ref}/consents",
        {"purpose": "share", "decision": "given", "informed_in_language": "vi"},
    )
    error = _shape(response)
    assert response.status_code == 422 and error["code"] == "refused"
    assert list(error["fields"]) == ["recipient_organisation"]


def test_unknown_paths_answer_in_the_same_shape(api):
    response = api(language="en").get("/api/v1/cases/x/y/z")
    assert response.status_code == 404 and _shape(response)["code"] == "not_found"


def test_the_schema_is_published(api, client):
    schema = api().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/receptions" in schema["paths"]
    assert "Idempotency-Key" in schema["info"]["description"]
    assert client.get("/api/v1/docs").status_code == 200
