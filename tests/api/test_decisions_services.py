"""Identification decisions and services through the API: the owner's actions, their records,
their refusals (stranger and analyst: 404; a token without the scope: 403)."""

import datetime

from haven.audit.models import AuditEvent
from haven.cases.models import IdentificationDecision
from haven.support.models import Service

DECISION = {
    "status": "victim",
    "decided_on": str(datetime.date.today()),
    "evidence": ["own_statement", "sign"],
    "evidence_description": "Rescued with two other women.",
    "legal_basis": "Law 53/2024/QH15 Art. 32",
}


def test_the_owner_decides_once_per_idempotency_key_and_lists(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    ref = world["case"].reference
    url = f"/api/v1/cases/{ref}/decisions"
    first = api(token).post(url, DECISION, headers={"Idempotency-Key": "d-1"})
    assert first.status_code == 201, first.content
    assert {e["kind"] for e in first.json()["evidence"]} == {"own_statement", "sign"}
    again = api(token).post(url, DECISION, headers={"Idempotency-Key": "d-1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert IdentificationDecision.objects.filter(case=world["case"]).count() == 1
    listed = api(token).get(url)
    assert listed.status_code == 200 and [d["id"] for d in listed.json()] == [first.json()["id"]]
    view = AuditEvent.objects.filter(action="case.view").latest("id")
    assert view.details["part"] == "decisions" and view.details["via"] == "api"


def test_an_invalid_decision_is_422_with_fields(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    ref = world["case"].reference
    response = api(token, "en").post(
        f"/api/v1/cases/{ref}/decisions", {**DECISION, "status": "undecided", "evidence": []}
    )
    assert response.status_code == 422
    assert {"status", "evidence"} <= set(response.json()["error"]["fields"])


def test_decisions_are_not_found_for_others(world, token_for, api, login, client):
    personas = world["personas"]
    ref = world["case"].reference
    url = f"/api/v1/cases/{ref}/decisions"
    for organisation in (personas.border_post_angiang, personas.shelter_hanoi):
        token = token_for(organisation)
        assert api(token).get(url).status_code == 404
        assert api(token).post(url, DECISION).status_code == 404
    login(personas.analyst)
    assert api().get(url).status_code == 404
    assert IdentificationDecision.objects.count() == 0


def test_deciding_needs_the_decisions_scope(world, token_for, api):
    token = token_for(world["personas"].centre_laocai, scopes=["cases:read"])
    ref = world["case"].reference
    response = api(token).post(f"/api/v1/cases/{ref}/decisions", DECISION)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert api(token).get(f"/api/v1/cases/{ref}/decisions").status_code == 200


def test_the_owner_records_a_service_once_and_she_declines_it(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    ref = world["case"].reference
    url = f"/api/v1/cases/{ref}/services"
    body = {"support_type": "legal_information", "paid_by": "ctxh-laocai"}
    first = api(token).post(url, body, headers={"Idempotency-Key": "s-1"})
    assert first.status_code == 201, first.content
    assert first.json()["paid_by"]["code"] == "ctxh-laocai"
    again = api(token).post(url, body, headers={"Idempotency-Key": "s-1"})
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Service.objects.filter(case=world["case"]).count() == 1
    declined = api(token).post(f"{url}/{first.json()['id']}/decline", {"reason": "not now"})
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["declined_reason"] == "not now"
    assert AuditEvent.objects.filter(action="service.decline").count() == 1
    listed = api(token).get(url).json()
    assert [s["status"] for s in listed] == ["declined"]


def test_the_shared_organisation_reads_services_but_cannot_change_them(world, token_for, api):
    personas = world["personas"]
    owner = token_for(personas.centre_laocai)
    ref = world["case"].reference
    url = f"/api/v1/cases/{ref}/services"
    made = api(owner).post(url, {"support_type": "legal_information"}).json()
    shelter = token_for(personas.shelter_hanoi)
    assert [s["id"] for s in api(shelter).get(url).json()] == [made["id"]]
    assert api(shelter).post(url, {"support_type": "legal_information"}).status_code == 404
    assert api(shelter).post(f"{url}/{made['id']}/decline").status_code == 404
    assert Service.objects.get(pk=made["id"]).status == "planned"


def test_services_are_not_found_for_strangers_and_analysts(world, token_for, api, login):
    personas = world["personas"]
    ref = world["case"].reference
    url = f"/api/v1/cases/{ref}/services"
    stranger = token_for(personas.border_post_angiang)
    assert api(stranger).get(url).status_code == 404
    assert api(stranger).post(url, {"support_type": "legal_information"}).status_code == 404
    login(personas.analyst)
    assert api().get(url).status_code == 404
    assert Service.objects.filter(case=world["case"]).count() == 0


def test_services_need_the_services_scope(world, token_for, api):
    token = token_for(world["personas"].centre_laocai, scopes=["cases:read"])
    ref = world["case"].reference
    response = api(token).post(
        f"/api/v1/cases/{ref}/services", {"support_type": "legal_information"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_a_service_she_may_not_have_is_refused(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    ref = world["case"].reference
    response = api(token, "en").post(
        f"/api/v1/cases/{ref}/services", {"support_type": "no_such_type"}
    )
    assert response.status_code == 422 and "support_type" in response.json()["error"]["fields"]
