"""A de-identified export in the Human Trafficking Case Data Standard (HTCDS 2.0), with
k-anonymity over its quasi-identifiers.

One record per person (canonical id) whose case was opened in the period: her first case
there. No name, date of birth, contact, identity number, reference or Haven id leaves;
records are shuffled and numbered afresh. Quasi-identifiers (what could be matched against
outside knowledge) are generalised step by step, the one with the most distinct values
first (Sweeney's Datafly), until at most `MAX_SUPPRESSED` of the records sit in a class
smaller than k; those records are then left out. Every published combination of
quasi-identifiers is therefore shared by at least k records.

Haven fields mapped (see ../shared/reference/htcds-2.0-field-standards.csv): prs_Gender,
vic_AgeWhenTrafficked, prs_Citizenship, prs_MailingState, prs_MailingCountry, hte_Type,
hte_Country, hte_Date (year), vic_TraffickingStatus, vic_TraffickingStatusDecisionMakingOrg,
vic_TypeOfExploitation, vic_MethodOfRecruitment, vic_RelationshipToTrafficker, cas_Status,
spl_Type. Not held by Haven (left out): names, contact, marital status, education,
languages as ISO codes, methods of control, perpetrators, geolocations.
"""

import random
from collections import Counter
from collections.abc import Callable

from django.conf import settings

from haven.cases.models import Case, IdentificationDecision, Reception
from haven.people.models import age_on
from haven.places.models import Country, Province
from haven.reports.facts import CHUNK, _canonical, _person_value, _province_filter
from haven.reports.periods import Period, local_date
from haven.support.models import Service

SUPPRESSED = "*"
MAX_SUPPRESSED = 0.05  # share of records that may be left out instead of generalising more

FIELDS = [
    "htcds_RecordNumber",
    "prs_Gender",
    "vic_AgeWhenTrafficked",
    "prs_Citizenship",
    "prs_MailingState",
    "prs_MailingCountry",
    "hte_Type",
    "hte_Country",
    "hte_Date",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_TypeOfExploitation",
    "vic_MethodOfRecruitment",
    "vic_RelationshipToTrafficker",
    "cas_Status",
    "spl_Type",
]
QUASI_IDENTIFIERS = [
    "prs_Gender",
    "vic_AgeWhenTrafficked",
    "prs_Citizenship",
    "prs_MailingState",
    "hte_Country",
    "hte_Date",
]

GENDER = {"F": "Feminine", "M": "Masculine", "X": "NonSpecifiedUnknown", "U": "NonSpecifiedUnknown"}
STATUS = {
    "victim": "ActualVictimOfTrafficking",
    "not_victim": "NotAVictimOfTrafficking",
    "being_identified": "PossibleVictimOfTrafficking",
    "accompanying_child": "PossibleVictimOfTrafficking",
    "undecided": "PossibleVictimOfTrafficking",
}
DECIDING_ORG = {
    "public_security": "Police",
    "defence": "NonPoliceGovernmentalOrganization",
    "social_affairs": "NonPoliceGovernmentalOrganization",
    "foreign_affairs": "NonPoliceGovernmentalOrganization",
    "other": "Other",
}
EXPLOITATION = {
    "sexual": "SexualExploitation",
    "forced_labour": "ForcedLabour",
    "forced_marriage": "ForcedMarriage",
    "online_scam": "Other",
    "surrogacy": "Surrogacy",
    "organ_removal": "OrganRemoval",
    "begging": "ForcedBegging",
    "other": "Other",
}
RECRUITMENT = {
    "online": "ThroughOnlineSocialNetworks",
    "acquaintance": "ThroughFamilyOrFamilyEvents",
    "job_offer": "Other",
    "marriage": "Other",
    "abduction": "Other",
    "debt": "Other",
}
CASE_STATUS = {
    "received": "Active",
    "screening": "Active",
    "support": "Active",
    "follow_up": "FollowUp",
    "closed": "Closed",
}
SUPPORT_PLAN_TYPE = {
    "essential_needs": "SocialCare",
    "medical": "Health",
    "interpretation": "SocialCare",
    "legal_information": "Legal",
    "legal_aid": "Legal",
    "travel_costs": "Financial",
    "psychological": "Health",
    "schooling": "Education",
    "vocational": "Livelihood",
    "allowance": "Financial",
}


def region(gso_code: str) -> str:
    """Vietnam's three macro-regions, by the statistics office's province code."""
    try:
        number = int(gso_code)
    except (TypeError, ValueError):
        return SUPPRESSED
    if number < 38:
        return "North"
    if number < 70:
        return "Central"
    return "South"


def _age(value, level):
    if value in ("", None):
        return ""
    age = int(value)
    if level == 0:
        return str(age)
    if level == 1:
        low = age // 5 * 5
        return f"{low}-{low + 4}"
    if level == 2:
        low = age // 10 * 10
        return f"{low}-{low + 9}"
    if level == 3:
        return "0-17" if age < 18 else "18+"
    return SUPPRESSED


def _year(value, level):
    if not value:
        return ""
    if level == 0:
        return str(value)
    if level == 1:
        low = int(value) // 5 * 5
        return f"{low}-{low + 4}"
    return SUPPRESSED


def _province(value, level):
    if not value:
        return ""
    name, gso = value
    if level == 0:
        return name
    if level == 1:
        return region(gso)
    return SUPPRESSED


def _country(value, level):
    if not value:
        return ""
    if level == 0:
        return value
    if level == 1:
        return "VN" if value == "VN" else "OTHER"
    return SUPPRESSED


def _gender(value, level):
    return value if level == 0 else SUPPRESSED


# Each quasi-identifier's generalisation: (level) → value, and its highest level.
HIERARCHIES: dict[str, tuple[Callable, int]] = {
    "prs_Gender": (_gender, 1),
    "vic_AgeWhenTrafficked": (_age, 4),
    "prs_Citizenship": (_country, 2),
    "prs_MailingState": (_province, 2),
    "hte_Country": (_country, 2),
    "hte_Date": (_year, 2),
}


def raw_records(period: Period, provinces=None) -> list[dict]:
    """One record per person whose case was opened in the period, before generalisation.
    Quasi-identifiers hold raw values (the generaliser reads them)."""
    cases = (
        Case.objects.filter(opened_at__gte=period.start_at, opened_at__lt=period.end_before)
        .filter(_province_filter("province", provinces))
        .order_by("opened_at", "id")
        .values(
            "id",
            "status",
            "identification_status",
            "opened_at",
            canonical=_canonical("person__"),
            sex=_person_value("person__", "sex"),
            dob=_person_value("person__", "date_of_birth"),
            birth_year=_person_value("person__", "birth_year"),
            nationality=_person_value("person__", "nationality_id"),
            home=_person_value("person__", "home_province_id"),
        )
    )
    firsts: dict[int, dict] = {}
    for case in cases:
        firsts.setdefault(case["canonical"], case)
    chosen = list(firsts.values())
    case_ids = [c["id"] for c in chosen]
    receptions, deciders, supports = {}, {}, {}
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start : start + CHUNK]
        for row in (
            Reception.objects.filter(case_id__in=chunk)
            .order_by("case_id", "received_at", "id")
            .values("case_id", "destination_country_id", "exploitation_forms", "recruitment")
        ):
            receptions.setdefault(row["case_id"], row)
        for case_id, role in (
            IdentificationDecision.objects.filter(case_id__in=chunk)
            .order_by("case_id", "decided_on", "id")
            .values_list("case_id", "organisation__framework_role")
        ):
            deciders[case_id] = role  # the latest decision's
        for case_id, support_type in Service.objects.filter(
            case_id__in=chunk, status=Service.Status.DELIVERED
        ).values_list("case_id", "support_type"):
            supports.setdefault(case_id, set()).add(SUPPORT_PLAN_TYPE.get(support_type, ""))
    countries = dict(Country.objects.values_list("id", "code"))
    provinces_by_id = {p.pk: p for p in Province.objects.select_related("successor").all()}

    def home(pk):
        if pk is None:
            return None
        unit = provinces_by_id[pk]
        unit = unit.successor or unit
        return (unit.name_vi, unit.gso_code)

    records = []
    for case in chosen:
        reception = receptions.get(case["id"], {})
        opened = local_date(case["opened_at"])
        forms = [c for c in (reception.get("exploitation_forms") or "").split(",") if c]
        records.append(
            {
                "prs_Gender": GENDER.get(case["sex"], "NonSpecifiedUnknown"),
                "vic_AgeWhenTrafficked": age_on(case["dob"], case["birth_year"], opened),
                "prs_Citizenship": countries.get(case["nationality"], ""),
                "prs_MailingState": home(case["home"]),
                "prs_MailingCountry": "VN" if case["home"] else "",
                "hte_Type": "Exploitation",
                "hte_Country": countries.get(reception.get("destination_country_id"), ""),
                "hte_Date": opened.year,
                "vic_TraffickingStatus": STATUS.get(case["identification_status"], ""),
                "vic_TraffickingStatusDecisionMakingOrg": DECIDING_ORG.get(
                    deciders.get(case["id"]), ""
                ),
                "vic_TypeOfExploitation": ";".join(
                    sorted({EXPLOITATION.get(f, "Other") for f in forms})
                ),
                "vic_MethodOfRecruitment": RECRUITMENT.get(reception.get("recruitment"), ""),
                "vic_RelationshipToTrafficker": "Acquainted"
                if reception.get("recruitment") == "acquaintance"
                else "",
                "cas_Status": CASE_STATUS.get(case["status"], ""),
                "spl_Type": ";".join(sorted(t for t in supports.get(case["id"], ()) if t)),
            }
        )
    return records


def _generalise(qi: str, value, level: int):
    function, top = HIERARCHIES[qi]
    return SUPPRESSED if level >= top else function(value, level)


def _generalised(record: dict, levels: dict) -> tuple:
    return tuple(_generalise(qi, record[qi], levels[qi]) for qi in QUASI_IDENTIFIERS)


def anonymise(records: list[dict], k: int, max_suppressed: float = MAX_SUPPRESSED):
    """(published records, levels used, number left out). Every published combination of
    quasi-identifiers occurs at least k times."""
    levels = dict.fromkeys(QUASI_IDENTIFIERS, 0)
    allowed = int(len(records) * max_suppressed)
    while True:
        keys = [_generalised(r, levels) for r in records]
        sizes = Counter(keys)
        outliers = sum(size for size in sizes.values() if size < k)
        if outliers <= allowed:
            break
        candidates = [qi for qi in QUASI_IDENTIFIERS if levels[qi] < HIERARCHIES[qi][1]]
        if not candidates:
            break
        position = {qi: i for i, qi in enumerate(QUASI_IDENTIFIERS)}
        distinct = {qi: len({key[position[qi]] for key in keys}) for qi in candidates}
        levels[max(candidates, key=lambda qi: distinct[qi])] += 1
    published = []
    for record, key in zip(records, keys, strict=True):
        if sizes[key] < k:
            continue
        out = dict(record)
        out.update(zip(QUASI_IDENTIFIERS, key, strict=True))
        published.append(out)
    random.SystemRandom().shuffle(published)
    for number, record in enumerate(published, start=1):
        record["htcds_RecordNumber"] = f"R{number:06d}"
    return published, levels, len(records) - len(published)


def export(period: Period, provinces=None, k: int | None = None):
    """The de-identified HTCDS records for the period: (records, levels, left out)."""
    k = k or int(getattr(settings, "HAVEN_K_ANONYMITY", 11))
    return anonymise(raw_records(period, provinces), k)
