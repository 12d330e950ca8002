"""Referrals through the API: the sender refers (once per Idempotency-Key), the receiver
sees the summary and answers; strangers and analysts get 404, a token without the scope 403."""

import pytest

from haven.audit.models import AuditEvent
from haven.referrals.models import Provider, Referral


@pytest.fixture
def directory(world):
    personas = world["personas"]
    return Provider.objects.create(
        organisation=personas.shelter_hanoi,
        maintained_by=personas.shelter_hanoi,
        name_vi="Nhà tạm lánh",
        kind="state_facility",
        services=",essential_needs,",
    )


def _body(world):
    return {
        "to_organisation": world["personas"].shelter_hanoi.code,
        "services": ["essential_needs"],
        "sections": ["support"],
        "basis": "consent",
        "consent": world["consent"].pk,
        "note": "Needs a place tonight.",
    }


def test_the_owner_refers_once_and_the_receiver_accepts(world, directory, token_for, api):
    personas = world["personas"]
    owner = token_for(personas.centre_laocai)
    url = f"/api/v1/cases/{world['case'].reference}/referrals"
    first = api(owner).post(url, _body(world), headers={"Idempotency-Key": "r-1"})
    assert first.status_code == 201, first.content
    again = api(owner).post(url, _body(world), headers={"Idempotency-Key": "r-1"})
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Referral.objects.count() == 1
    pk = first.json()["id"]
    assert api(owner).get("/api/v1/referrals").json()["sent_count"] == 1
    shelter = token_for(personas.shelter_hanoi)
    received = api(shelter).get("/api/v1/referrals").json()
    assert [r["id"] for r in received["received"]] == [pk]
    one = api(shelter).get(f"/api/v1/referrals/{pk}")
    assert one.status_code == 200 and one.json()["summary"]["needs"] == ["essential_needs"]
    view = AuditEvent.objects.filter(action="referral.view").latest("id")
    assert view.details == {"case": world["case"].reference, "sender": False, "via": "api"}
    accepted = api(shelter).post(f"/api/v1/referrals/{pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert api(owner).post(f"/api/v1/referrals/{pk}/accept").status_code == 404


def test_the_receiver_declines_saying_why(world, directory, token_for, api):
    personas = world["personas"]
    owner = token_for(personas.centre_laocai)
    url = f"/api/v1/cases/{world['case'].reference}/referrals"
    pk = api(owner).post(url, _body(world)).json()["id"]
    shelter = token_for(personas.shelter_hanoi)
    invalid = api(shelter, "en").post(f"/api/v1/referrals/{pk}/decline", {"reason": "bored"})
    assert invalid.status_code == 422 and "reason" in invalid.json()["error"]["fields"]
    declined = api(shelter).post(f"/api/v1/referrals/{pk}/decline", {"reason": "no_place"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"


def test_referrals_are_not_found_for_strangers_and_analysts(
    world, directory, token_for, api, login
):
    personas = world["personas"]
    owner = token_for(personas.centre_laocai)
    url = f"/api/v1/cases/{world['case'].reference}/referrals"
    pk = api(owner).post(url, _body(world)).json()["id"]
    stranger = token_for(personas.border_post_angiang)
    assert api(stranger).post(url, _body(world)).status_code == 404
    assert api(stranger).get(f"/api/v1/referrals/{pk}").status_code == 404
    assert api(stranger).post(f"/api/v1/referrals/{pk}/accept").status_code == 404
    assert api(stranger).get("/api/v1/referrals").json()["received_count"] == 0
    login(personas.analyst)
    assert api().get("/api/v1/referrals").status_code == 404
    assert api().get(f"/api/v1/referrals/{pk}").status_code == 404
    assert Referral.objects.get(pk=pk).status == "pending"


def test_referring_and_answering_need_the_referrals_scope(world, directory, token_for, api):
    personas = world["personas"]
    url = f"/api/v1/cases/{world['case'].reference}/referrals"
    reader = token_for(personas.centre_laocai, scopes=["cases:read"])
    refused = api(reader).post(url, _body(world))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"
    pk = api(token_for(personas.centre_laocai)).post(url, _body(world)).json()["id"]
    shelter_reader = token_for(personas.shelter_hanoi, scopes=["cases:read"])
    assert api(shelter_reader).post(f"/api/v1/referrals/{pk}/accept").status_code == 403
    assert api(shelter_reader).get(f"/api/v1/referrals/{pk}").status_code == 200
