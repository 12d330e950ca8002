"""Consents and shares through the API: the owner's actions, their records, their refusals."""

from haven.access.models import Consent, Share
from haven.audit.models import AuditEvent


def test_the_owner_records_and_withdraws_consent_ending_its_shares(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    ref = world["case"].reference
    listed = api(token).get(f"/api/v1/cases/{ref}/consents").json()
    assert {c["decision"] for c in listed} == {"given", "refused"}
    response = api(token).post(
        f"/api/v1/cases/{ref}/consents",
        {"purpose": "follow_up", "decision": "given", "informed_in_language": "Tiếng Việt"},
        headers={"Idempotency-Key": "c-1"},
    )
    assert response.status_code == 201
    assert AuditEvent.objects.filter(action="consent.record").count() == 3
    withdrawn = api(token).post(f"/api/v1/cases/{ref}/consents/{world['consent'].pk}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["shares_ended"] == [world["share"].pk]
    assert Share.objects.get(pk=world["share"].pk).ended_at is not None
    again = api(token, "en").post(f"/api/v1/cases/{ref}/consents/{world['consent'].pk}/withdraw")
    assert again.status_code == 422 and again.json()["error"]["code"] == "refused"


def test_the_owner_shares_and_ends_sharing(world, token_for, api):
    personas = world["personas"]
    token = token_for(personas.centre_laocai)
    ref = world["case"].reference
    response = api(token).post(
        f"/api/v1/cases/{ref}/shares",
        {
            "recipient": personas.consulate_phnompenh.code,
            "sections": ["support"],
            "basis": "law",
            "legal_basis": "Law 53/2024 Art. 30",
        },
    )
    assert response.status_code == 201, response.content
    share = Share.objects.get(pk=response.json()["id"])
    assert share.section_set == {"support"}
    consul = token_for(personas.consulate_phnompenh)
    assert api(consul).get(f"/api/v1/cases/{ref}").json()["person"] is None
    ended = api(token).post(f"/api/v1/cases/{ref}/shares/{share.pk}/end", {"reason": "done"})
    assert ended.status_code == 200 and ended.json()["ended_reason"] == "done"
    assert api(consul).get(f"/api/v1/cases/{ref}").status_code == 404


def test_sharing_on_a_refused_consent_is_refused(world, token_for, api):
    personas = world["personas"]
    token = token_for(personas.centre_laocai)
    ref = world["case"].reference
    refused = Consent.objects.get(decision="refused")
    response = api(token, "en").post(
        f"/api/v1/cases/{ref}/shares",
        {
            "recipient": personas.consulate_phnompenh.code,
            "sections": ["identity"],
            "basis": "consent",
            "consent": refused.pk,
        },
    )
    assert response.status_code == 422
    assert "consent" in response.json()["error"]["fields"]


def test_the_shared_organisation_cannot_change_anything(world, token_for, api):
    token = token_for(world["personas"].shelter_hanoi)
    ref = world["case"].reference
    assert api(token).get(f"/api/v1/cases/{ref}/consents").status_code == 404
    response = api(token).post(
        f"/api/v1/cases/{ref}/shares", {"recipient": "x", "sections": [], "basis": "law"}
    )
    assert response.status_code == 404
