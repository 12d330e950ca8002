"""The API refuses and allows exactly as the pages do, with a session and with tokens.

Sessions are covered route by route in tests/test_authorization_matrix.py; here the same
personas call with their organisation's API client token instead.
"""

import pytest

from tests.api.conftest import reception_payload

# persona → organisation whose token they use (API clients are case workers there)
TOKEN_ORGS = {
    "owner": "centre_laocai",
    "parent_department": "health_dept_laocai",  # supervisors' unit: a token is no supervisor
    "shared_with_consent": "shelter_hanoi",
    "consent_refused": "consulate_phnompenh",
    "stranger": "border_post_angiang",
    "anonymous": None,
}
READERS = {"owner", "shared_with_consent"}
OWNERS = {"owner"}
RECORDERS = set(TOKEN_ORGS) - {"anonymous"}

ROUTES = [
    ("get", "/api/v1/cases/{ref}", READERS),
    ("get", "/api/v1/cases/{ref}/person", READERS),
    ("get", "/api/v1/cases/{ref}/receptions", READERS),
    ("get", "/api/v1/cases/{ref}/consents", OWNERS),
    ("get", "/api/v1/cases/{ref}/shares", OWNERS),
    ("post", "/api/v1/cases/{ref}/consents", OWNERS),
    ("post", "/api/v1/cases/{ref}/consents/{consent}/withdraw", OWNERS),
    ("post", "/api/v1/cases/{ref}/shares", OWNERS),
    ("post", "/api/v1/cases/{ref}/shares/{share}/end", OWNERS),
    ("post", "/api/v1/receptions", RECORDERS),
]


@pytest.fixture
def tokens(world, token_for):
    personas = world["personas"]
    return {
        persona: token_for(getattr(personas, org)) if org else None
        for persona, org in TOKEN_ORGS.items()
    }


@pytest.mark.parametrize(("method", "template", "allowed"), ROUTES)
def test_token_access_matches_the_pages(world, tokens, api, method, template, allowed):
    url = template.format(
        ref=world["case"].reference, consent=world["consent"].pk, share=world["share"].pk
    )
    failures = []
    for persona, token in tokens.items():
        response = getattr(api(token), method)(url)
        code = response.status_code
        if persona == "anonymous":
            ok = code == 401
        elif persona in allowed:
            ok = code not in (401, 403, 404) and code < 500
        else:
            ok = code == 404
        if not ok:
            failures.append(f"{persona}: {code} {response.content[:200]!r}")
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)


def test_the_list_holds_only_cases_the_caller_may_open(world, tokens, api):
    seen = {
        persona: [c["reference"] for c in api(token).get("/api/v1/cases").json()["results"]]
        for persona, token in tokens.items()
        if token
    }
    ref = world["case"].reference
    assert seen == {
        "owner": [ref],
        "parent_department": [],
        "shared_with_consent": [ref],
        "consent_refused": [],
        "stranger": [],
    }


def test_analyst_and_administrator_sessions_see_no_case(world, api, login, client):
    personas = world["personas"]
    for user in (personas.analyst, personas.administrator):
        login(user)
        assert api().get("/api/v1/cases").json()["count"] == 0
        assert api().get(f"/api/v1/cases/{world['case'].reference}").status_code == 404
        response = api().post("/api/v1/receptions", reception_payload())
        assert response.status_code == 404


def test_supervisor_session_sees_the_units_case_but_its_token_does_not(world, api, login, tokens):
    login(world["personas"].supervisor)
    ref = world["case"].reference
    assert api().get(f"/api/v1/cases/{ref}").status_code == 200
    client = api(tokens["parent_department"])
    assert client.get(f"/api/v1/cases/{ref}").status_code == 404
