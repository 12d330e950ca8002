"""The synthetic demo data set: organisations, one user each, and cases. No real persons.

Idempotent: organisations and users are matched on their codes; cases are only generated
into an empty registry.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from haven.agencies.models import (
    FrameworkRole,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from haven.cases import actions
from haven.cases.models import Case, EntryRoute, ExploitationForm, Reception, Recruitment
from haven.people.names import random_name
from haven.places.models import Country, Ethnicity, Province

DEMO_PASSWORD = "haven-demo-2026"  # noqa: S105  (printed by `haven load_demo`; demo only)

K = OrganisationKind
R = FrameworkRole
# code, Vietnamese name, English name, kind, framework role, parent code, province codes, country
ORGANISATIONS = [
    ("moh", "Bộ Y tế", "Ministry of Health", K.MINISTRY, R.SOCIAL_AFFAIRS, None, [], None),
    (
        "mps",
        "Bộ Công an",
        "Ministry of Public Security",
        K.MINISTRY,
        R.PUBLIC_SECURITY,
        None,
        [],
        None,
    ),
    (
        "bdbp",
        "Bộ Tư lệnh Bộ đội Biên phòng",
        "Border Guard Command",
        K.BORDER_GUARD,
        R.DEFENCE,
        None,
        [],
        None,
    ),
    (
        "mofa",
        "Bộ Ngoại giao",
        "Ministry of Foreign Affairs",
        K.MINISTRY,
        R.FOREIGN_AFFAIRS,
        None,
        [],
        None,
    ),
    (
        "syt-laocai",
        "Sở Y tế tỉnh Lào Cai",
        "Lao Cai Department of Health",
        K.PROVINCIAL_DEPARTMENT,
        R.SOCIAL_AFFAIRS,
        "moh",
        ["15"],
        None,
    ),
    (
        "ctxh-laocai",
        "Trung tâm Công tác xã hội tỉnh Lào Cai",
        "Lao Cai Social Work Centre",
        K.FACILITY,
        R.SOCIAL_AFFAIRS,
        "syt-laocai",
        ["15"],
        None,
    ),
    (
        "ca-laocai",
        "Công an tỉnh Lào Cai",
        "Lao Cai Provincial Police",
        K.POLICE,
        R.PUBLIC_SECURITY,
        "mps",
        ["15"],
        None,
    ),
    (
        "bdbp-laocai",
        "Bộ đội Biên phòng tỉnh Lào Cai",
        "Lao Cai Border Guard Command",
        K.BORDER_GUARD,
        R.DEFENCE,
        "bdbp",
        ["15"],
        None,
    ),
    (
        "dbp-cklaocai",
        "Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai",
        "Lao Cai International Border Gate Post",
        K.BORDER_GUARD,
        R.DEFENCE,
        "bdbp-laocai",
        ["15"],
        None,
    ),
    (
        "ubnd-banlau",
        "Ủy ban nhân dân xã Bản Lầu",
        "Ban Lau Commune People's Committee",
        K.COMMUNE,
        R.OTHER,
        None,
        ["15"],
        None,
    ),
    (
        "syt-angiang",
        "Sở Y tế tỉnh An Giang",
        "An Giang Department of Health",
        K.PROVINCIAL_DEPARTMENT,
        R.SOCIAL_AFFAIRS,
        "moh",
        ["91"],
        None,
    ),
    (
        "ca-angiang",
        "Công an tỉnh An Giang",
        "An Giang Provincial Police",
        K.POLICE,
        R.PUBLIC_SECURITY,
        "mps",
        ["91"],
        None,
    ),
    (
        "bdbp-angiang",
        "Bộ đội Biên phòng tỉnh An Giang",
        "An Giang Border Guard Command",
        K.BORDER_GUARD,
        R.DEFENCE,
        "bdbp",
        ["91"],
        None,
    ),
    (
        "shelter-hanoi",
        "Nhà tạm lánh Ngôi nhà Bình yên Hà Nội",
        "Peace House Shelter Hanoi",
        K.FACILITY,
        R.SOCIAL_AFFAIRS,
        None,
        ["01"],
        None,
    ),
    (
        "osso-hanoi",
        "Văn phòng Hỗ trợ một cửa Hội Phụ nữ Hà Nội",
        "Hanoi Women's Union OSSO",
        K.OSSO,
        R.OTHER,
        None,
        ["01"],
        None,
    ),
    (
        "dsq-campuchia",
        "Đại sứ quán Việt Nam tại Campuchia",
        "Embassy of Viet Nam in Cambodia",
        K.MISSION,
        R.FOREIGN_AFFAIRS,
        "mofa",
        [],
        "KH",
    ),
    (
        "ngo-songmoi",
        "Tổ chức Sống Mới (phi chính phủ, dữ liệu mẫu)",
        "New Life Organisation (NGO, demo)",
        K.NGO,
        R.OTHER,
        None,
        ["15", "01"],
        None,
    ),
    ("hotline-111", "Tổng đài 111", "Hotline 111", K.HOTLINE, R.OTHER, "moh", [], None),
]
# username, organisation code, role, display name
USERS = [
    ("bp.cklaocai", "dbp-cklaocai", Role.INTAKE_OFFICER, "Border guard, Lào Cai border gate"),
    ("ca.laocai", "ca-laocai", Role.CASE_WORKER, "Police officer, Lào Cai"),
    ("syt.laocai", "syt-laocai", Role.SUPERVISOR, "Supervisor, Lào Cai Department of Health"),
    ("ctxh.laocai", "ctxh-laocai", Role.CASE_WORKER, "Social worker, Lào Cai centre"),
    ("ubnd.banlau", "ubnd-banlau", Role.INTAKE_OFFICER, "Commune officer, Bản Lầu"),
    ("bp.angiang", "bdbp-angiang", Role.INTAKE_OFFICER, "Border guard, An Giang"),
    ("ca.angiang", "ca-angiang", Role.CASE_WORKER, "Police officer, An Giang"),
    ("syt.angiang", "syt-angiang", Role.SUPERVISOR, "Supervisor, An Giang Department of Health"),
    ("shelter.hanoi", "shelter-hanoi", Role.CASE_WORKER, "Shelter worker, Hà Nội"),
    ("osso.hanoi", "osso-hanoi", Role.INTAKE_OFFICER, "One-stop office, Hà Nội"),
    ("dsq.phnompenh", "dsq-campuchia", Role.CASE_WORKER, "Consular officer, Phnom Penh"),
    ("ngo.songmoi", "ngo-songmoi", Role.CASE_WORKER, "NGO case worker"),
    ("hotline.111", "hotline-111", Role.INTAKE_OFFICER, "Hotline counsellor"),
    ("analyst.moh", "moh", Role.ANALYST, "Analyst, Ministry of Health"),
    ("admin.moh", "moh", Role.ADMINISTRATOR, "Administrator, Ministry of Health"),
]
# Which users record receptions on which route, and where.
ROUTE_RECORDERS = [
    (EntryRoute.BORDER_HANDOVER, "bp.cklaocai", "dbp-cklaocai", "15", "CN"),
    (EntryRoute.BORDER_HANDOVER, "bp.angiang", "bdbp-angiang", "91", "KH"),
    (EntryRoute.POLICE, "ca.laocai", "ca-laocai", "15", "CN"),
    (EntryRoute.POLICE, "ca.angiang", "ca-angiang", "91", "KH"),
    (EntryRoute.RETURN_FROM_ABROAD, "dsq.phnompenh", "dsq-campuchia", "91", "KH"),
    (EntryRoute.SELF_REPORT, "ubnd.banlau", "ubnd-banlau", "15", "CN"),
    (EntryRoute.SELF_REPORT, "osso.hanoi", "osso-hanoi", "01", "MY"),
    (EntryRoute.SELF_REPORT, "hotline.111", "hotline-111", "01", "MM"),
]


def load_organisations() -> dict[str, Organisation]:
    provinces = {p.code: p for p in Province.objects.filter(valid_to__isnull=True)}
    orgs: dict[str, Organisation] = {}
    for code, name_vi, name_en, kind, role, parent, province_codes, country in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "kind": kind,
                "framework_role": role,
                "parent": orgs.get(parent),
                "country": Country.objects.get(code=country) if country else None,
            },
        )
        org.provinces.set([provinces[c] for c in province_codes])
        orgs[code] = org
    return orgs


def load_users(orgs: dict[str, Organisation]) -> dict[str, User]:
    users = {}
    for username, org_code, role, display in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": display}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organisation=orgs[org_code], role=role)
        users[username] = user
    return users


def _random_person(rng: random.Random, received: datetime.datetime, home: Province, ethnicities):
    sex = "F" if rng.random() < 0.8 else "M"
    family, middle, given = random_name(rng, sex)
    age = rng.choice([15, 16, 17] * 2 + list(range(18, 45)))
    born = received.date() - datetime.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
    communes = list(home.communes.all()[:40])
    return {
        "full_name": f"{family} {middle} {given}",
        "other_names": "",
        "sex": sex,
        "date_of_birth": born if rng.random() < 0.8 else None,
        "birth_year": None if rng.random() < 0.8 else born.year,
        "ethnicity": rng.choice(ethnicities),
        "languages": "Tiếng Việt",
        "needs_interpreter": False,
        "nationality": Country.objects.get(code="VN"),
        "home_province": home,
        "home_commune": rng.choice(communes) if communes else None,
        "home_address": f"Thôn {rng.randint(1, 12)}",
        "phone": f"09{rng.randint(10**7, 10**8 - 1)}",
    }


@transaction.atomic
def load_cases(orgs, users, count: int = 60, seed: int = 2026) -> int:
    if Case.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    ethnicities = list(Ethnicity.objects.filter(code__in=["01", "02", "03", "05", "08", "09"]))
    provinces = {p.code: p for p in Province.objects.filter(valid_to__isnull=True)}
    for _ in range(count):
        route, username, org_code, province_code, destination = rng.choice(ROUTE_RECORDERS)
        received = now - datetime.timedelta(days=rng.randint(1, 540), hours=rng.randint(0, 23))
        province = provinces[province_code]
        reception = {
            "entry_route": route,
            "received_at": received,
            "province": province,
            "commune": province.communes.order_by("code").first(),
            "place_detail": "",
            "destination_country": Country.objects.get(code=destination),
            "exploitation_forms": rng.choice(
                [
                    ExploitationForm.SEXUAL,
                    ExploitationForm.FORCED_MARRIAGE,
                    ExploitationForm.ONLINE_SCAM,
                    ExploitationForm.FORCED_LABOUR,
                ]
            ),
            "recruitment": rng.choice(Recruitment.values),
            "need_medical": rng.random() < 0.5,
            "need_shelter": rng.random() < 0.7,
            "need_food": True,
            "need_clothing": rng.random() < 0.4,
            "need_safety": rng.random() < 0.3,
        }
        if route == EntryRoute.BORDER_HANDOVER:
            reception.update(
                border_kind="land",
                handed_over_by=Reception.HandedOverBy.FOREIGN_AUTHORITY,
                foreign_authority="Foreign border authority (demo)",
                handover_record_number=f"BB-{rng.randint(100, 999)}",
                persons_on_list=rng.randint(1, 12),
            )
        elif route == EntryRoute.POLICE:
            reception.update(police_operation="Demo operation", rescued=rng.random() < 0.6)
        elif route == EntryRoute.RETURN_FROM_ABROAD:
            reception.update(
                return_country=Country.objects.get(code=destination),
                travel_document_status=Reception.TravelDocumentStatus.NEEDS_DOCUMENT,
            )
        else:
            reception.update(
                reported_at={
                    "ubnd-banlau": "commune",
                    "osso-hanoi": "osso",
                    "hotline-111": "hotline",
                }[org_code]
            )
        home = rng.choice(list(provinces.values()))
        handover = None
        if route in {EntryRoute.BORDER_HANDOVER, EntryRoute.POLICE} and province_code == "15":
            handover = actions.NewHandover(
                to_organisation=orgs["ctxh-laocai"],
                handed_over_at=received + datetime.timedelta(hours=6),
                record_number=f"BG-{rng.randint(1000, 9999)}",
            )
        actions.receive_person(
            user=users[username],
            organisation=orgs[org_code],
            person_fields=_random_person(rng, received, home, ethnicities),
            reception_fields=reception,
            handover=handover,
        )
    return count


def load(cases: int = 60) -> dict:
    orgs = load_organisations()
    users = load_users(orgs)
    created = load_cases(orgs, users, count=cases)
    return {"organisations": len(orgs), "users": len(users), "cases_created": created}
