"""Which support types her status makes her eligible for (Law 53/2024 Art. 37, as data)."""

from django.utils import timezone

from haven.cases.identification import latest_decision
from haven.cases.models import IdentificationStatus
from haven.rules import lookup as rules

S = IdentificationStatus


def category(case) -> str | None:
    """Her eligibility category, or None when she may not receive victim support."""
    nationality = case.person.nationality
    if nationality is not None and nationality.code != "VN":
        return "foreigner"
    status = case.identification_status
    if status == S.VICTIM:
        return "victim"
    if status == S.ACCOMPANYING_CHILD:
        return "accompanying_child"
    if status == S.NOT_VICTIM:
        return None
    # Being identified, or received and not yet decided: the interim entitlements apply.
    decision = latest_decision(case)
    in_vietnam = decision.in_vietnam if decision else True
    return "being_identified_in_vietnam" if in_vietnam else "being_identified_abroad"


def eligible_types(case, on=None) -> set[str]:
    group = category(case)
    if group is None:
        return set()
    table = rules.value(
        "support.eligibility", on=on or timezone.localdate(), province=case.province
    )
    return set(table.get(group, []))
