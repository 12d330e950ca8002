"""A small hand-counted registry built through the real actions.

In the period (the last 30 days):
- Hoà: received by the Lào Cai border post (border handover, defence, Lào Cai, adult F,
  forced marriage in China) on day −10, identified as a victim on day −9; then received by
  the Hà Nội shelter on day −5 as a *new Person record* that record linkage later merged
  into hers (police route, Hà Nội), identified again on day −4. Two services delivered,
  one on each case (100,000 + 50,000 VND, paid by the shelter, "State budget").
- Minh: a boy of 16, self-reported at the Hà Nội shelter on day −8 (forced labour and
  online scam), identified as a victim on day −7.
- Lan: received by the Lào Cai social work centre on day −400 (before the period) and
  again on day −3 (police route, Lào Cai): re-trafficked.
So: received 3 persons (Lào Cai 2, Hà Nội 1; F 2, M 1), identified 2, supported 1.
"""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from haven.cases import identification
from haven.people.models import Person
from haven.places.models import Country
from haven.reports.periods import Period
from haven.support import actions as support_actions
from tests.factories import make_case, province


@dataclasses.dataclass
class Registry:
    period: Period
    hoa: object
    hoa_again: object
    minh: object
    lan_before: object
    lan: object


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def decide(user, organisation, case, days: int, status="victim"):
    return identification.decide_identification(
        user=user,
        organisation=organisation,
        case=case,
        status=status,
        decided_on=timezone.localdate() - datetime.timedelta(days=days),
        evidence=[("own_statement", "")],
        legal_basis="Law 53/2024 Art. 32",
    )


@pytest.fixture
def registry(personas) -> Registry:
    today = timezone.localdate()
    china = Country.objects.get(code="CN")
    hoa = make_case(
        personas.border_guard,
        personas.border_post_laocai,
        person={
            "full_name": "Nguyễn Thị Hoà",
            "sex": "F",
            "date_of_birth": datetime.date(2000, 5, 17),
        },
        reception={
            "received_at": days_ago(10),
            "province": province("15"),
            "destination_country": china,
            "exploitation_forms": "forced_marriage",
        },
    )
    decide(personas.border_guard, personas.border_post_laocai, hoa, 9)
    hoa_again = make_case(
        personas.shelter_worker,
        personas.shelter_hanoi,
        person={
            "full_name": "Nguyen Thi Hoa",
            "sex": "F",
            "date_of_birth": datetime.date(2000, 5, 17),
        },
        reception={
            "entry_route": "police",
            "received_at": days_ago(5),
            "province": province("01"),
            "border_kind": "",
            "handed_over_by": "",
        },
    )
    Person.objects.filter(pk=hoa_again.person_id).update(merged_into=hoa.person_id)
    decide(personas.shelter_worker, personas.shelter_hanoi, hoa_again, 4)
    for case, user, organisation, day, cost in (
        (hoa, personas.border_guard, personas.border_post_laocai, 6, 100000),
        (hoa_again, personas.shelter_worker, personas.shelter_hanoi, 4, 50000),
    ):
        support_actions.add_service(
            user=user,
            organisation=organisation,
            case=case,
            support_type="legal_information",
            status="delivered",
            starts_on=today - datetime.timedelta(days=day),
            cost=cost,
            paid_by=personas.shelter_hanoi,
            funding_source="State budget",
        )
    minh = make_case(
        personas.shelter_worker,
        personas.shelter_hanoi,
        person={
            "full_name": "Lò Văn Minh",
            "sex": "M",
            "date_of_birth": today.replace(year=today.year - 16) - datetime.timedelta(days=30),
        },
        reception={
            "entry_route": "self_report",
            "received_at": days_ago(8),
            "province": province("01"),
            "border_kind": "",
            "handed_over_by": "",
            "reported_at": "hotline",
            "exploitation_forms": "forced_labour,online_scam",
        },
    )
    decide(personas.shelter_worker, personas.shelter_hanoi, minh, 7)
    lan_before = make_case(
        personas.social_worker,
        personas.centre_laocai,
        person={
            "full_name": "Vàng Thị Lan",
            "sex": "F",
            "date_of_birth": datetime.date(1995, 1, 2),
        },
        reception={"received_at": days_ago(400), "province": province("15")},
    )
    lan = make_case(
        personas.social_worker,
        personas.centre_laocai,
        existing_person=lan_before.person,
        reception={
            "entry_route": "police",
            "received_at": days_ago(3),
            "province": province("15"),
            "border_kind": "",
            "handed_over_by": "",
        },
    )
    period = Period(today - datetime.timedelta(days=30), today)
    return Registry(period, hoa, hoa_again, minh, lan_before, lan)
