"""A case of the Lào Cai centre; the Hà Nội shelter is listed in the directory and she
consented to share with it."""

import dataclasses
from decimal import Decimal

import pytest

from haven.access import actions as access_actions
from haven.access.models import Consent
from haven.referrals import actions
from haven.referrals.models import Funding, Provider, ProviderKind, join_codes
from haven.support import actions as support_actions
from tests.factories import make_case, province


@dataclasses.dataclass
class World:
    case: object
    consent: object
    shelter_entry: object


def list_provider(
    organisation,
    *,
    user,
    services=("essential_needs", "psychological"),
    provinces=("01",),
    funds=Decimal("50000000"),
    places=10,
    occupancy=2,
    **fields,
):
    provider = Provider(
        organisation=organisation,
        maintained_by=organisation,
        name_vi=organisation.name_vi,
        name_en=organisation.name_en,
        kind=fields.pop("kind", ProviderKind.STATE_FACILITY),
        services=join_codes(services),
        places=places,
        occupancy=occupancy,
        **fields,
    )
    fundings = [Funding(source="IOM", amount=funds, remaining=funds)] if funds else []
    return actions.save_provider(
        user=user, provider=provider, provinces=[province(c) for c in provinces], fundings=fundings
    )


def refer(personas, world, **overrides):
    fields = {
        "user": personas.social_worker,
        "organisation": personas.centre_laocai,
        "case": world.case,
        "to_organisation": personas.shelter_hanoi,
        "services": ["essential_needs", "psychological"],
        "sections": ["identity", "support"],
        "basis": "consent",
        "consent": world.consent,
        "note": "Cần chỗ ở từ tuần sau",
    }
    fields.update(overrides)
    return actions.send_referral(**fields)


@pytest.fixture
def world(personas):
    case = make_case(
        personas.social_worker,
        personas.centre_laocai,
        person={"full_name": "Lý Thị Mai", "languages": "Tiếng Việt, tiếng Khơ-me"},
    )
    support_actions.add_service(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=case,
        support_type="psychological",
    )
    consent = access_actions.record_consent(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=case,
        purpose=Consent.Purpose.SHARE,
        decision="given",
        informed_in_language="Tiếng Việt",
        recipient_organisation=personas.shelter_hanoi,
    )
    entry = list_provider(personas.shelter_hanoi, user=personas.shelter_worker)
    return World(case=case, consent=consent, shelter_entry=entry)
