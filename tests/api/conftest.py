"""API fixtures: the matrix's world (a shared case), tokens for organisations, JSON calls."""

import json

import pytest

from haven.agencies.models import Role
from haven.api import clients
from haven.api.models import Scope
from tests.factories import member, shared_case

ALL_SCOPES = list(Scope.values)


@pytest.fixture
def world(personas):
    """A case of the Lào Cai centre shared with the Hà Nội shelter under her consent
    (identity and support only); the consulate was refused consent."""
    case, given, share = shared_case(personas)
    return {"case": case, "consent": given, "share": share, "personas": personas}


@pytest.fixture
def org_admin():
    """An administrator of a given organisation (who manages its API clients)."""

    def _admin(organisation, username=None):
        return member(organisation, Role.ADMINISTRATOR, username)

    return _admin


@pytest.fixture
def token_for(org_admin):
    """A new API client of `organisation` with `scopes`; returns its token."""
    admins = {}

    def _token(organisation, scopes=ALL_SCOPES, name="Register"):
        if organisation.pk not in admins:
            admins[organisation.pk] = org_admin(organisation)
        _client, token = clients.create_client(
            admin=admins[organisation.pk], organisation=organisation, name=name, scopes=scopes
        )
        return token

    return _token


class Api:
    """JSON calls on Django's test client, with a token or with the client's session."""

    def __init__(self, client, token=None, language=None):
        self.client = client
        self.token = token
        self.language = language

    def _headers(self, headers):
        out = dict(headers or {})
        if self.token:
            out["Authorization"] = f"Bearer {self.token}"
        if self.language:
            out.setdefault("Accept-Language", self.language)
        return out

    def get(self, path, params=None, headers=None):
        return self.client.get(path, params or {}, headers=self._headers(headers))

    def post(self, path, data=None, headers=None):
        payload = "" if data is None else json.dumps(data, default=str)
        return self.client.post(
            path, payload, content_type="application/json", headers=self._headers(headers)
        )


@pytest.fixture
def api(client):
    def _api(token=None, language=None, http=None):
        return Api(http or client, token, language)

    return _api


def reception_payload(**overrides) -> dict:
    import datetime

    from django.utils import timezone

    data = {
        "entry_route": "border_handover",
        "received_at": (timezone.now() - datetime.timedelta(hours=3)).isoformat(),
        "province": "15",
        "commune": "02788",
        "full_name": "Lò Thị Mai",
        "sex": "F",
        "date_of_birth": "2001-03-09",
        "nationality": "VN",
        "destination_country": "CN",
        "exploitation_forms": ["forced_marriage"],
        "border_kind": "land",
        "handed_over_by": "foreign_authority",
        "foreign_authority": "Hekou border police",
        "need_shelter": True,
        "document_kind": "citizen_id",
        "document_number": "001199012345",
    }
    data.update(overrides)
    return data
