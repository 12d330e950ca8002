"""Statistics through the API: analysts (the whole country) and supervisors (their provinces)
only, released with the exports' disclosure control by default; audited as the dashboard."""

import datetime

from haven.audit.models import AuditEvent

URL = "/api/v1/statistics"


def _period():
    today = datetime.date.today()
    return {"start": str(today - datetime.timedelta(days=30)), "end": str(today)}


def test_an_analyst_gets_released_tables(world, api, login):
    login(world["personas"].analyst)
    response = api().get(URL, _period())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["released"] is True and body["threshold"] > 0
    received = next(m for m in body["measures"] if m["key"] == "received")
    # One person received: a count below the threshold is hidden, never published.
    assert received["total"] is None
    for table in received["tables"]:
        assert table["withheld"] or table["grand_total"] in (None, 0)
    event = AuditEvent.objects.filter(action="report.view").latest("id")
    assert event.details["via"] == "api" and event.details["release"] is True


def test_unreleased_tables_show_the_counts(world, api, login):
    login(world["personas"].analyst)
    body = api().get(URL, {**_period(), "release": "false"}).json()
    assert body["released"] is False
    received = next(m for m in body["measures"] if m["key"] == "received")
    assert received["total"] == 1


def test_a_supervisor_counts_their_provinces_only(world, api, login):
    login(world["personas"].supervisor)
    assert api().get(URL, {**_period(), "province": "15"}).status_code == 200
    outside = api("", "en").get(URL, {**_period(), "province": "89"})
    assert outside.status_code == 422 and "province" in outside.json()["error"]["fields"]


def test_case_workers_and_api_clients_see_no_statistics(world, api, login, token_for):
    personas = world["personas"]
    login(personas.social_worker)
    assert api().get(URL).status_code == 404
    token = token_for(personas.centre_laocai)
    assert api(token).get(URL).status_code == 404
    assert not AuditEvent.objects.filter(action="report.view").exists()


def test_statistics_need_the_statistics_scope(world, api, token_for):
    token = token_for(world["personas"].centre_laocai, scopes=["cases:read"])
    response = api(token).get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_an_invalid_period_is_422(world, api, login):
    login(world["personas"].analyst)
    today = datetime.date.today()
    response = api(None, "en").get(URL, {"start": str(today), "end": "2000-01-01"})
    assert response.status_code == 422 and "end" in response.json()["error"]["fields"]
