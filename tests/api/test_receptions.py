"""Receptions through the API: the action, its records, and idempotent retries."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from haven.api import idempotency
from haven.api.models import IdempotencyKey
from haven.audit.models import AuditEvent
from haven.cases.models import Case, TimelineEvent
from tests.api.conftest import reception_payload


def test_a_reception_is_recorded_as_the_page_records_it(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    response = api(token).post("/api/v1/receptions", reception_payload())
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.owner == world["personas"].centre_laocai
    assert case.person.full_name == "Lò Thị Mai"
    assert case.person.documents.get().number == "001199012345"
    assert case.receptions.get().exploitation_forms == "forced_marriage"
    kinds = set(case.timeline.values_list("kind", flat=True))
    assert {TimelineEvent.Kind.OPENED, TimelineEvent.Kind.RECEIVED} <= kinds
    event = AuditEvent.objects.filter(action="reception.create").latest("id")
    assert event.details["reference"] == case.reference
    assert api(token).get(response.json()["url"]).status_code == 200


def test_children_are_validated_and_recorded(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    bad = reception_payload(children=[{"full_name": "Bé", "sex": "F", "approximate_age": 30}])
    response = api(token, "en").post("/api/v1/receptions", bad)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["children.0.approximate_age"]
    good = reception_payload(children=[{"full_name": "Bé Na", "sex": "F", "approximate_age": 3}])
    response = api(token).post("/api/v1/receptions", good)
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.receptions.get().accompanying_children.get().child.full_name == "Bé Na"


def test_a_retry_with_the_same_key_returns_the_first_result(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    headers = {"Idempotency-Key": "register-row-17"}
    payload = reception_payload()
    before = AuditEvent.objects.filter(action="reception.create").count()
    first = api(token).post("/api/v1/receptions", payload, headers=headers)
    retry = api(token).post("/api/v1/receptions", payload, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Case.objects.filter(person__full_name="Lò Thị Mai").count() == 1
    assert AuditEvent.objects.filter(action="reception.create").count() == before + 1
    assert AuditEvent.objects.filter(action="api.replay").count() == 1
    stored = IdempotencyKey.objects.get()
    assert (
        "Lò"
        not in IdempotencyKey.objects.filter(pk=stored.pk)
        .values_list("response_body", flat=True)
        .get()
    )  # encrypted at rest


def test_the_same_key_with_another_body_is_refused(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    headers = {"Idempotency-Key": "k1"}
    api(token).post("/api/v1/receptions", reception_payload(), headers=headers)
    other = api(token, "en").post(
        "/api/v1/receptions", reception_payload(full_name="Khác"), headers=headers
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["error"]["fields"]


def test_keys_are_per_client_and_a_failure_is_not_stored(world, token_for, api):
    personas = world["personas"]
    headers = {"Idempotency-Key": "same"}
    bad = api(token_for(personas.centre_laocai)).post(
        "/api/v1/receptions", reception_payload(full_name=""), headers=headers
    )
    assert bad.status_code == 422 and not IdempotencyKey.objects.exists()
    payload = reception_payload()
    one = api(token_for(personas.centre_laocai)).post(
        "/api/v1/receptions", payload, headers=headers
    )
    two = api(token_for(personas.border_post_laocai)).post(
        "/api/v1/receptions", payload, headers=headers
    )
    assert one.json()["reference"] != two.json()["reference"]


def test_keys_expire(world, token_for, api, settings, time_machine):
    token = token_for(world["personas"].centre_laocai)
    headers = {"Idempotency-Key": "old"}
    payload = reception_payload()
    time_machine.move_to(timezone.now())
    first = api(token).post("/api/v1/receptions", payload, headers=headers)
    time_machine.shift(25 * 3600)
    again = api(token).post("/api/v1/receptions", payload, headers=headers)
    assert again.status_code == 201 and again.json() != first.json()
    assert idempotency.purge_expired() == 0  # the expired one was replaced


def test_a_retry_that_raced_the_first_gets_its_result(world, token_for, api, monkeypatch):
    """The retry looked before the first committed, then met its key: it replays it."""
    token = token_for(world["personas"].centre_laocai)
    headers = {"Idempotency-Key": "race"}
    payload = reception_payload()
    first = api(token).post("/api/v1/receptions", payload, headers=headers)
    real = idempotency._stored
    calls = []

    def stale_then_real(user, key):
        calls.append(key)
        return None if len(calls) == 1 else real(user, key)

    monkeypatch.setattr(idempotency, "_stored", stale_then_real)
    retry = api(token).post("/api/v1/receptions", payload, headers=headers)
    assert retry.status_code == 201 and retry.json() == first.json()
    assert Case.objects.filter(person__full_name="Lò Thị Mai").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_retries_create_one_case(personas, token_for):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot be shared by threads")
    from django.test import Client

    from tests.api.conftest import Api

    token = token_for(personas.centre_laocai)
    results = []

    def send():
        response = Api(Client(), token).post(
            "/api/v1/receptions",
            reception_payload(received_at="2025-08-01T09:00:00+07:00"),
            headers={"Idempotency-Key": "both-at-once"},
        )
        results.append((response.status_code, response.json()))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in results} == {201}
    assert len({body["reference"] for _, body in results}) == 1
    assert Case.objects.filter(person__full_name="Lò Thị Mai").count() == 1
