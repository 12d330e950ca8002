"""Consent, sharing and the access log through the pages."""

import pytest

from haven.access.models import Consent, Share
from haven.audit.models import AuditEvent
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(personas.social_worker, personas.centre_laocai)


def consent_post(personas, **overrides):
    data = {
        "purpose": "share",
        "decision": "given",
        "recipient_organisation": str(personas.shelter_hanoi.pk),
        "given_by": "person",
        "informed_in_language": "Tiếng Việt",
    }
    data.update(overrides)
    return data


def test_record_consent_share_and_withdraw_through_the_pages(personas, login, case):
    client = login(personas.social_worker)
    base = f"/cases/{case.reference}"
    assert client.post(f"{base}/consents/", consent_post(personas)).status_code == 302
    consent = Consent.objects.get()
    response = client.post(
        f"{base}/shares/",
        {
            "recipient": personas.shelter_hanoi.pk,
            "sections": ["identity", "support"],
            "basis": "consent",
            "consent": consent.pk,
        },
    )
    assert response.status_code == 302
    assert Share.objects.get().organisation == personas.shelter_hanoi
    shelter = login(personas.shelter_worker)
    assert shelter.get(f"{base}/").status_code == 200

    client = login(personas.social_worker)
    client.post(f"{base}/consents/{consent.pk}/withdraw/")
    assert login(personas.shelter_worker).get(f"{base}/").status_code == 404


def test_a_refused_share_shows_the_reason_and_saves_nothing(personas, login, case):
    client = login(personas.social_worker)
    response = client.post(
        f"/cases/{case.reference}/shares/",
        {
            "recipient": personas.shelter_hanoi.pk,
            "sections": ["identity"],
            "basis": "consent",
        },
        follow=True,
    )
    assert "Choose the consent this share rests on." in response.content.decode()
    assert not Share.objects.exists()


def test_invalid_consent_input_is_explained(personas, login, case):
    client = login(personas.social_worker)
    response = client.post(
        f"/cases/{case.reference}/consents/",
        consent_post(personas, informed_in_language="", purpose="nope"),
        follow=True,
    )
    html = response.content.decode()
    assert "This field is required." in html
    assert "Select a valid choice." in html
    assert not Consent.objects.exists()


@pytest.mark.parametrize("persona", ["shelter_worker", "stranger", "analyst", "administrator"])
def test_only_the_owning_side_can_record_consent_or_share(personas, login, case, persona):
    client = login(getattr(personas, persona))
    base = f"/cases/{case.reference}"
    assert client.post(f"{base}/consents/", consent_post(personas)).status_code == 404
    assert client.post(f"{base}/shares/", {}).status_code == 404
    assert not Consent.objects.exists()


def test_a_share_reader_cannot_change_consent(personas, login, case):
    share = Share.objects.create(
        case=case,
        organisation=personas.shelter_hanoi,
        sections="identity",
        basis="law",
        legal_basis="x",
        created_by=personas.social_worker,
    )
    client = login(personas.shelter_worker)
    assert client.post(f"/cases/{case.reference}/shares/{share.pk}/end/").status_code == 404
    share.refresh_from_db()
    assert share.is_active


def test_supervisors_see_who_accessed_a_case(personas, login, case):
    login(personas.social_worker).get(f"/cases/{case.reference}/")
    client = login(personas.supervisor)
    response = client.get(f"/cases/{case.reference}/access-log/")
    assert response.status_code == 200
    html = response.content.decode()
    assert personas.social_worker.username in html
    assert "opened the case" in html
    assert AuditEvent.objects.filter(action="case.access_log").exists()


@pytest.mark.parametrize("persona", ["social_worker", "stranger", "analyst"])
def test_others_cannot_see_the_access_log(personas, login, case, persona):
    client = login(getattr(personas, persona))
    assert client.get(f"/cases/{case.reference}/access-log/").status_code == 404


def test_the_share_form_offers_the_given_consents_to_share_only(personas, login, case):
    client = login(personas.social_worker)
    base = f"/cases/{case.reference}"

    def offered():
        html = client.get(f"{base}/").content.decode()
        select = html.split('<select name="consent"', 1)[1].split("</select>", 1)[0]
        return [part.split('"', 1)[0] for part in select.split('value="')[1:]]

    assert offered() == [""]
    client.post(f"{base}/consents/", consent_post(personas))
    client.post(f"{base}/consents/", consent_post(personas, purpose="support"))
    client.post(f"{base}/consents/", consent_post(personas, decision="refused"))
    given = Consent.objects.get(purpose="share", decision="given")
    assert Consent.objects.count() == 3
    assert offered() == ["", str(given.pk)]
    client.post(f"{base}/consents/{given.pk}/withdraw/")
    assert offered() == [""]
