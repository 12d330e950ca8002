"""THE access policy: who may see and change which cases.

Nothing else in Haven decides this. Views, the API, exports and reports start from
`cases_visible_to(user)` or `get_case_for(...)`, so a forgotten check cannot leak a case.
Refusals raise Http404, so a reference number does not reveal that a case exists.

Rules, one per line so coverage proves each:
- case workers, intake officers and supervisors see cases their organisation owns;
- supervisors also see cases owned by their organisation's child units;
- an organisation that received or was handed the person sees that case;
- analysts and administrators see no case content (analysts get aggregates elsewhere).
"""

from django.db.models import Q
from django.http import Http404

from haven.agencies.models import Membership, Organisation, Role
from haven.cases.models import Case

CASE_READER_ROLES = {Role.INTAKE_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR}
CASE_WRITER_ROLES = {Role.INTAKE_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR}
RECEPTION_ROLES = {Role.INTAKE_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR}


def active_memberships(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)


def organisation_ids(user, roles) -> set[int]:
    """Ids of the user's organisations in which they hold one of `roles`."""
    return set(
        active_memberships(user).filter(role__in=roles).values_list("organisation_id", flat=True)
    )


def _descendant_ids(root_ids: set[int]) -> set[int]:
    """The organisations below `root_ids` in the hierarchy (breadth-first, cycle-safe)."""
    found: set[int] = set()
    frontier = set(root_ids)
    while frontier:
        children = set(
            Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found - root_ids
        found |= frontier
    return found


def cases_visible_to(user):
    """Every case the user may open. Empty for analysts, administrators and strangers."""
    reader_orgs = organisation_ids(user, CASE_READER_ROLES)
    if not reader_orgs:
        return Case.objects.none()
    supervised = _descendant_ids(organisation_ids(user, {Role.SUPERVISOR}))
    condition = Q(owner_id__in=reader_orgs)
    condition |= Q(owner_id__in=supervised)
    condition |= Q(receptions__received_by_id__in=reader_orgs)
    condition |= Q(handovers__to_organisation_id__in=reader_orgs)
    ids = Case.objects.filter(condition).values("id")
    return Case.objects.filter(id__in=ids)


def cases_writable_by(user):
    """Cases the user may change: their organisations' own (and child units', for supervisors)."""
    writer_orgs = organisation_ids(user, CASE_WRITER_ROLES)
    if not writer_orgs:
        return Case.objects.none()
    supervised = _descendant_ids(organisation_ids(user, {Role.SUPERVISOR}))
    return Case.objects.filter(Q(owner_id__in=writer_orgs) | Q(owner_id__in=supervised))


def get_case_for(user, reference: str, *, for_write: bool = False) -> Case:
    """The case with `reference` if the user may see it (or change it); otherwise Http404."""
    queryset = cases_writable_by(user) if for_write else cases_visible_to(user)
    case = (
        queryset.select_related("person", "owner", "province").filter(reference=reference).first()
    )
    if case is None:
        raise Http404("No such case")
    return case


def reception_organisations(user):
    """Organisations on whose behalf the user may record a reception."""
    return Organisation.objects.filter(
        id__in=organisation_ids(user, RECEPTION_ROLES), is_active=True
    ).order_by("name_vi")


def can_record_reception(user) -> bool:
    return bool(organisation_ids(user, RECEPTION_ROLES))
