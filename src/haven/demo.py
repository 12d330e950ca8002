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
from haven.cases import actions, identification, returns, workflow
from haven.cases.models import Case, EntryRoute, ExploitationForm, Reception, Recruitment
from haven.people.names import random_name
from haven.places.models import Country, Ethnicity, Province
from haven.support import actions as support_actions

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
        "languages": "tiếng Việt, tiếng Mông",
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
        case = actions.receive_person(
            user=users[username],
            organisation=orgs[org_code],
            person_fields=_random_person(rng, received, home, ethnicities),
            reception_fields=reception,
            handover=handover,
        )
        _progress(case, rng, users, orgs, handover is not None)
    return count


def load(cases: int = 60) -> dict:
    orgs = load_organisations()
    users = load_users(orgs)
    created = load_cases(orgs, users, count=cases)
    providers = load_providers(orgs, users)
    return {
        "organisations": len(orgs),
        "users": len(users),
        "cases_created": created,
        "providers": providers,
    }


# Who decides identification in each demo province.
DECIDERS = {"15": ("ca.laocai", "ca-laocai"), "91": ("ca.angiang", "ca-angiang")}
EVIDENCE = [
    ("own_statement", "Lời khai của người được tiếp nhận"),
    ("sign", "Được giải cứu cùng những người khác"),
]


def _progress(case, rng: random.Random, users, orgs, handed_over: bool) -> None:
    """Move a demo case on through the real actions, as far as its age makes plausible."""
    received_on = timezone.localtime(case.opened_at).date()
    today = timezone.localdate()
    age_days = (today - received_on).days
    if age_days < 5 or rng.random() < 0.2:
        return  # still waiting: its due work shows in the inbox
    if handed_over:
        actions.transfer_case(
            user=users["bp.cklaocai"],
            organisation=case.owner,
            case=case,
            to_organisation=orgs["ctxh-laocai"],
        )
    owner_user = next(u for u, org, *_ in USERS if org == case.owner.code)
    actor = {"user": users[owner_user], "organisation": case.owner}
    for step in case.return_steps.all():
        returns.complete_step(
            **actor,
            step=step,
            cost=rng.choice([None, 1500000, 3200000]),
            paid_by=case.owner if rng.random() < 0.5 else None,
        )
    if case.return_steps.exists():
        returns.record_wish(**actor, case=case, wish=rng.choice(["go_home", "facility"]))
    identification.record_screening(
        **actor,
        case=case,
        acts=["recruitment", "transport"],
        means=["deception"],
        purposes=["forced_marriage"],
    )
    decider, decider_org = DECIDERS.get(case.province.code, DECIDERS["15"])
    status = rng.choices(["victim", "being_identified", "not_victim"], [6, 3, 1])[0]
    identification.decide_identification(
        user=users[decider],
        organisation=orgs[decider_org],
        case=case,
        status=status,
        decided_on=received_on + datetime.timedelta(days=min(age_days, rng.randint(1, 10))),
        evidence=EVIDENCE,
        legal_basis="Law 53/2024/QH15 Art. 32",
        referred_to="Tư vấn việc làm tại xã" if status == "not_victim" else "",
    )
    if status == "not_victim":
        return
    workflow.transition(case, "support", **actor)
    support_actions.save_plan(
        **actor,
        case=case,
        made_with_her=rng.random() < 0.85,
        her_goals="Học nghề và về sống gần gia đình",
        her_choices="Không muốn quay lại nơi làm việc cũ",
    )
    start = received_on + datetime.timedelta(days=1)
    days = min(rng.randint(10, 90), max(age_days - 2, 1))
    support_actions.add_service(
        **actor,
        case=case,
        support_type="essential_needs",
        status="delivered",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=days - 1),
        quantity=days,
        unit="day",
        paid_by=case.owner,
        funding_source="Ngân sách tỉnh",
    )
    support_actions.add_service(
        **actor,
        case=case,
        support_type="medical",
        status="delivered",
        starts_on=start,
        cost=rng.choice([350000, 800000, 1200000]),
        paid_by=case.owner,
        funding_source="Ngân sách tỉnh",
    )
    if status == "victim":
        planned = support_actions.add_service(**actor, case=case, support_type="vocational")
        if rng.random() < 0.2:
            support_actions.decline_service(**actor, service=planned, reason="Chưa sẵn sàng")
    support_actions.assess_risk(
        **actor,
        case=case,
        subject=rng.choice(["person", "relatives"]),
        level=rng.choice(["low", "medium", "high"]),
        risks=["stigma"],
    )
    if age_days < 120 or status != "victim":
        return
    support_actions.reintegrate(
        **actor, case=case, reintegrated_on=received_on + datetime.timedelta(days=100)
    )
    for visit in case.follow_up_visits.filter(due_on__lt=today):
        if rng.random() < 0.75:  # the rest stay overdue, as in the field
            late = rng.choice([0, 0, 0, 5, 20])
            support_actions.record_visit(
                **actor,
                visit=visit,
                visited_on=min(visit.due_on + datetime.timedelta(days=late), today),
                wellbeing=rng.choice(["good", "fair"]),
                income=rng.choice(["fair", "poor"]),
                housing="good",
                safety="good",
                re_trafficking_risk=rng.choice(["low", "medium"]),
            )


# The referral network: directory entries, funds, a few referrals, an assessment, a training.
# (organisation code or None for an outside service, maintainer, names, kind, services,
#  provinces, who they take, languages, care, places, occupancy, funding (source, amount, left))
PROVIDERS = [
    (
        "shelter-hanoi",
        "shelter-hanoi",
        "Nhà tạm lánh Ngôi nhà Bình yên Hà Nội",
        "Peace House Shelter Hanoi",
        "state_facility",
        ["essential_needs", "medical", "psychological", "legal_information", "vocational"],
        ["01"],
        {"takes_children": True},
        ["hmn"],
        ["mental_health"],
        30,
        24,
        ("Ngân sách thành phố Hà Nội", 900_000_000, 310_000_000),
    ),
    (
        "ctxh-laocai",
        "ctxh-laocai",
        "Trung tâm Công tác xã hội tỉnh Lào Cai",
        "Lao Cai Social Work Centre",
        "state_facility",
        ["essential_needs", "medical", "psychological", "interpretation", "travel_costs"],
        ["15"],
        {"takes_men": True},
        ["hmn", "dao", "tyz"],
        [],
        20,
        20,
        ("Ngân sách tỉnh Lào Cai", 400_000_000, 0),
    ),
    (
        "osso-hanoi",
        "osso-hanoi",
        "Văn phòng Hỗ trợ một cửa Hội Phụ nữ Hà Nội",
        "Hanoi Women's Union OSSO",
        "osso",
        ["legal_information", "psychological", "legal_aid"],
        ["01"],
        {},
        [],
        [],
        None,
        0,
        None,
    ),
    (
        "ngo-songmoi",
        "ngo-songmoi",
        "Tổ chức Sống Mới (phi chính phủ, dữ liệu mẫu)",
        "New Life Organisation (NGO, demo)",
        "ngo",
        ["vocational", "allowance", "psychological", "schooling"],
        ["15", "01"],
        {"takes_children": True, "takes_men": True},
        ["hmn", "en"],
        ["hiv"],
        12,
        5,
        ("Dự án tái hòa nhập (nhà tài trợ, dữ liệu mẫu)", 600_000_000, 420_000_000),
    ),
    (
        "hotline-111",
        "hotline-111",
        "Tổng đài 111",
        "Hotline 111",
        "hotline",
        ["legal_information", "psychological"],
        [],
        {"takes_children": True, "takes_men": True, "nationwide": True},
        [],
        [],
        None,
        0,
        None,
    ),
    (
        None,
        "syt-laocai",
        "Trung tâm Trợ giúp pháp lý Nhà nước tỉnh Lào Cai (dữ liệu mẫu)",
        "Lao Cai State Legal Aid Centre (demo)",
        "legal_aid",
        ["legal_aid", "legal_information"],
        ["15"],
        {"takes_children": True, "takes_men": True},
        ["hmn"],
        [],
        None,
        0,
        ("Ngân sách nhà nước", 120_000_000, 80_000_000),
    ),
    (
        None,
        "syt-angiang",
        "Trường Trung cấp nghề dân tộc nội trú An Giang (dữ liệu mẫu)",
        "An Giang Ethnic Vocational School (demo)",
        "vocational",
        ["vocational", "schooling"],
        ["91"],
        {"takes_men": True},
        ["km"],
        [],
        15,
        9,
        ("Quỹ học bổng (dữ liệu mẫu)", 200_000_000, 150_000_000),
    ),
    (
        None,
        "syt-angiang",
        "Nhà Bình Minh - tạm lánh cho trẻ em An Giang (dữ liệu mẫu)",
        "Dawn House children's shelter, An Giang (demo)",
        "ngo",
        ["essential_needs", "psychological", "schooling"],
        ["91"],
        {"takes_children": True, "takes_adults": False, "takes_men": True},
        ["km"],
        [],
        10,
        6,
        ("UNICEF (dữ liệu mẫu)", 300_000_000, 90_000_000),
    ),
    (
        None,
        "ubnd-banlau",
        "Nhóm tự lực phụ nữ Bản Lầu (dữ liệu mẫu)",
        "Ban Lau women's self-help group (demo)",
        "self_help",
        ["psychological", "vocational"],
        ["15"],
        {},
        ["hmn"],
        [],
        None,
        0,
        None,
    ),
]


@transaction.atomic
def load_providers(orgs, users) -> int:
    """Directory entries (matched on organisation or name), then, into an empty network,
    a few referrals made through the real actions."""
    from decimal import Decimal

    from haven.access import actions as access_actions
    from haven.referrals import actions as referral_actions
    from haven.referrals.models import Funding, Provider, Referral, join_codes

    provinces = {p.code: p for p in Province.objects.filter(valid_to__isnull=True)}
    for (
        org_code,
        keeper,
        name_vi,
        name_en,
        kind,
        services,
        province_codes,
        takes,
        languages,
        care,
        places,
        occupancy,
        funding,
    ) in PROVIDERS:
        organisation = orgs[org_code] if org_code else None
        lookup = {"organisation": organisation} if organisation else {"name_vi": name_vi}
        provider = Provider.objects.filter(**lookup).first() or Provider(**lookup)
        provider.maintained_by = orgs[keeper]
        provider.name_vi, provider.name_en, provider.kind = name_vi, name_en, kind
        provider.services = join_codes(services)
        provider.languages, provider.care = join_codes(languages), join_codes(care)
        provider.places, provider.occupancy = places, occupancy
        for field, value in {
            "takes_women": True,
            "takes_men": False,
            "takes_children": False,
            "takes_adults": True,
            "nationwide": False,
            **takes,
        }.items():
            setattr(provider, field, value)
        provider.focal_person = provider.focal_person or "Cán bộ đầu mối (dữ liệu mẫu)"
        fundings = []
        if funding and (provider.pk is None or not provider.fundings.exists()):
            source, amount, left = funding
            fundings = [Funding(source=source, amount=Decimal(amount), remaining=Decimal(left))]
        referral_actions.save_provider(
            user=users["admin.moh"],
            provider=provider,
            provinces=[provinces[c] for c in province_codes],
            fundings=fundings,
        )
    if Referral.objects.exists():
        return len(PROVIDERS)
    actor = {"user": users["ctxh.laocai"], "organisation": orgs["ctxh-laocai"]}
    cases = [
        c
        for c in Case.objects.filter(owner=orgs["ctxh-laocai"], status="support")
        .select_related("person")
        .order_by("opened_at")[:6]
        if not c.person.is_child
    ]
    shelter, shelter_user = orgs["shelter-hanoi"], users["shelter.hanoi"]
    for index, case in enumerate(cases[:3]):
        consent = access_actions.record_consent(
            **actor,
            case=case,
            purpose="share",
            decision="given",
            informed_in_language="Tiếng Việt",
            recipient_organisation=shelter,
        )
        referral = referral_actions.send_referral(
            **actor,
            case=case,
            to_organisation=shelter,
            services=["essential_needs", "psychological"],
            sections=["support", "health"],
            basis="consent",
            consent=consent,
            note="Cần chỗ ở an toàn (dữ liệu mẫu)",
        )
        if index == 0:
            referral_actions.accept_referral(
                user=shelter_user, organisation=shelter, referral=referral
            )
            referral_actions.record_feedback(
                user=shelter_user,
                organisation=shelter,
                referral=referral,
                outcome="delivered",
                feedback="Đã tham vấn tâm lý 6 buổi (dữ liệu mẫu)",
            )
        elif index == 1:
            referral_actions.decline_referral(
                user=shelter_user, organisation=shelter, referral=referral, reason="no_place"
            )
    referral_actions.record_assessment(
        user=users["syt.laocai"],
        organisation=orgs["syt-laocai"],
        provider=Provider.objects.get(organisation=orgs["ctxh-laocai"]),
        assessed_on=timezone.localdate() - datetime.timedelta(days=200),
        facilities=3,
        safety=4,
        health=3,
        counselling=2,
        environment=3,
        staffing=2,
        vision=3,
        notes="Cần thêm cán bộ tham vấn (dữ liệu mẫu)",
    )
    referral_actions.record_activity(
        user=users["syt.laocai"],
        organisation=orgs["syt-laocai"],
        fields={
            "kind": "training",
            "title": "Tập huấn tiếp cận lấy nạn nhân làm trung tâm",
            "topics": "Quyền của nạn nhân; bảo mật thông tin",
            "held_from": timezone.localdate() - datetime.timedelta(days=60),
            "province": provinces["15"],
        },
        for_organisations=[orgs["dbp-cklaocai"], orgs["ca-laocai"], orgs["ubnd-banlau"]],
        participants=[("border_guard", 3, 14, 0), ("police", 2, 6, 0), ("commune", 5, 2, 0)],
    )
    return len(PROVIDERS)
