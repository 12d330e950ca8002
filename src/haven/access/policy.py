"""THE access policy: who may see and do what with which case, section by section.

Nothing else in Haven decides this. Views, the API, exports and reports start from
`cases_visible_to(user)`, `get_case_for(...)` and `case_access(...)`, so a forgotten check
cannot leak a case. Refusals raise Http404, so a reference does not reveal that a case exists.

Rules, one per line so coverage proves each:
- intake officers, case workers and supervisors see every section of the cases their
  organisation owns, and may change, share and export them;
- supervisors have the same over cases owned by their organisation's child units, and see
  who accessed those cases;
- an organisation with an active share sees the sections the share names, read-only;
- analysts and administrators see no case content (analysts get aggregates elsewhere);
- whoever reads cases reviews possible matches among the persons they see, and may start a
  registry-wide search that adds pairs to that queue.
"""

import dataclasses

from django.db.models import Q
from django.http import Http404

from haven.access.models import ALL_SECTIONS, Share
from haven.agencies.models import Membership, Organisation, Role
from haven.cases.models import Case

CASE_READER_ROLES = frozenset({Role.INTAKE_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR})
CASE_WRITER_ROLES = frozenset({Role.INTAKE_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR})
RECEPTION_ROLES = frozenset({Role.INTAKE_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR})


def active_memberships(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)


def _memberships(user) -> list[tuple[int, str]]:
    """(organisation id, role) of the user's active memberships, cached on the user object
    for the request, as Django caches permissions (`_perm_cache`)."""
    cached = getattr(user, "_haven_memberships", None)
    if cached is None:
        cached = list(active_memberships(user).values_list("organisation_id", "role"))
        if getattr(user, "is_authenticated", False):
            user._haven_memberships = cached
    return cached


def forget(user) -> None:
    """Drop what was cached about the user's memberships (after changing them)."""
    for name in ("_haven_memberships", "_haven_supervised"):
        user.__dict__.pop(name, None)


def supervised_ids(user) -> set[int]:
    """The units below the user's supervisor organisations: walked once per request, since
    every access question of a page needs it."""
    cached = getattr(user, "_haven_supervised", None)
    if cached is None:
        cached = descendant_ids(organisation_ids(user, {Role.SUPERVISOR}))
        if getattr(user, "is_authenticated", False):
            user._haven_supervised = cached
    return cached


def organisation_ids(user, roles) -> set[int]:
    """Ids of the user's organisations in which they hold one of `roles`."""
    return {org_id for org_id, role in _memberships(user) if role in roles}


def descendant_ids(root_ids: set[int]) -> set[int]:
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


def _owning_ids(user) -> set[int]:
    """Organisations whose cases the user works in full: their own and, as supervisor, below."""
    return organisation_ids(user, CASE_WRITER_ROLES) | supervised_ids(user)


def active_shares():
    return Share.objects.filter(ended_at__isnull=True)


def cases_visible_to(user):
    """Every case the user may open. Empty for analysts, administrators and strangers."""
    reader_orgs = organisation_ids(user, CASE_READER_ROLES)
    if not reader_orgs:
        return Case.objects.none()
    shared = active_shares().filter(organisation_id__in=reader_orgs)
    return Case.objects.filter(Q(owner_id__in=_owning_ids(user)) | Q(id__in=_case_ids(shared)))


# Up to this many shared cases are carried as a list of ids, beyond it as a subquery.
SHARED_IDS_LISTED = 1000


def _case_ids(shares):
    """The shared case ids: a list while they are few, a subquery when there are many.

    With a list, PostgreSQL answers `owner IN (...) OR id IN (...)` from the owner and
    primary-key indexes, so the cost follows the organisation's own cases; `OR id IN
    (SELECT ...)` makes it check every case it walks against the shares. But an organisation
    that most of a province's cases are shared with (its social work centre: 15,710 cases at
    200,000 persons) then sent every id with every query, and parsing, planning and matching
    them took 200-800 ms a page; the subquery, read from the index of active shares (access
    migration 0002), takes 10-130 ms there. Either way, the same cases.
    """
    shares = shares.order_by()
    ids = list(shares.values_list("case_id", flat=True).distinct()[: SHARED_IDS_LISTED + 1])
    if len(ids) <= SHARED_IDS_LISTED:
        return ids
    return shares.values("case_id")


def visible_case_condition(user, field: str = "case") -> Q:
    """`cases_visible_to(user)` as a condition on rows with a foreign key `field` to a case
    (or on cases themselves, `field="id"`), for lists of such rows (the inbox): the same
    rule, with ownership checked on the case row the list joins anyway and the shared ones
    as a subquery. So the query neither fetches every case of the organisation nor carries
    their ids: a subquery of the owned cases made PostgreSQL hash all 74,000 of a large
    organisation's cases for every inbox (240 ms at a million)."""
    reader_orgs = organisation_ids(user, CASE_READER_ROLES)
    if not reader_orgs:
        return Q(pk__in=[])
    owner = "owner_id__in" if field in ("id", "pk") else f"{field}__owner_id__in"
    shared = active_shares().filter(organisation_id__in=reader_orgs).order_by().values("case_id")
    return Q(**{owner: _owning_ids(user)}) | Q(**{f"{field}__in": shared})


def cases_with_section(user, section: str):
    """Cases in which the user sees `section`: their owning organisations' and those shared
    with them including it. Name search uses this, so a name cannot find a case whose
    identity was not shared."""
    reader_orgs = organisation_ids(user, CASE_READER_ROLES)
    if not reader_orgs:
        return Case.objects.none()
    shared = active_shares().filter(organisation_id__in=reader_orgs, sections__contains=section)
    return Case.objects.filter(Q(owner_id__in=_owning_ids(user)) | Q(id__in=_case_ids(shared)))


def cases_writable_by(user):
    """Cases the user may change, share and export: those of their owning organisations."""
    owning = _owning_ids(user)
    if not owning:
        return Case.objects.none()
    return Case.objects.filter(owner_id__in=owning)


@dataclasses.dataclass(frozen=True)
class CaseAccess:
    """What one user may do with one case."""

    sections: frozenset[str]
    can_write: bool
    can_share: bool
    can_export: bool
    can_see_access_log: bool

    def sees(self, section: str) -> bool:
        return section in self.sections


def case_access(user, case) -> CaseAccess:
    owns = case.owner_id in _owning_ids(user)
    supervises = case.owner_id in _supervised_or_own_supervisor_ids(user)
    sections: set[str] = set(ALL_SECTIONS) if owns else set()
    if not owns:
        reader_orgs = organisation_ids(user, CASE_READER_ROLES)
        for share in active_shares().filter(case=case, organisation_id__in=reader_orgs):
            sections |= share.section_set
    return CaseAccess(
        sections=frozenset(sections),
        can_write=owns,
        can_share=owns,
        can_export=owns,
        can_see_access_log=supervises,
    )


def supervises(user, case) -> bool:
    """Whether the user is a supervisor of the owning organisation or of one above it."""
    return case.owner_id in _supervised_or_own_supervisor_ids(user)


def _supervised_or_own_supervisor_ids(user) -> set[int]:
    return organisation_ids(user, {Role.SUPERVISOR}) | supervised_ids(user)


def get_case_for(
    user, reference: str, *, for_write: bool = False, related=("person", "owner", "province")
) -> Case:
    """The case with `reference` if the user may see it (or change it); otherwise Http404.
    `related`: the relations read with it (select_related)."""
    queryset = cases_writable_by(user) if for_write else cases_visible_to(user)
    case = queryset.select_related(*related).filter(reference=reference).first()
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


def can_review_matches(user) -> bool:
    """Whether the user works on the review queue of possible matches (and may start a
    registry-wide search for them): anyone who reads cases. Each pair in the queue is still
    shown only to those who see both persons."""
    return bool(organisation_ids(user, CASE_READER_ROLES))


def acting_organisation(user, case):
    """The organisation the user acts for on a case they may change: the owner if they work
    there, else the supervising organisation above it."""
    owner_roles = {org_id for org_id, role in _memberships(user) if role in CASE_WRITER_ROLES}
    if case.owner_id in owner_roles:
        return case.owner
    for org_id in organisation_ids(user, {Role.SUPERVISOR}):
        if case.owner_id in descendant_ids({org_id}) | {org_id}:
            return Organisation.objects.get(pk=org_id)
    raise Http404("No such case")


# Statistics --------------------------------------------------------------------------------
# Rules for aggregates (haven.reports), one condition per line:
# - analysts and supervisors see statistics; nobody else does (they are refused with 404);
# - statistics are aggregates only: no view of haven.reports shows a name or case content;
# - a national scope comes from a membership in an organisation that serves no province, is
#   not a mission abroad and sits in Vietnam (as for administrators): every province;
# - otherwise the scope is the provinces (current units) the user's organisations serve;
# - drill-down from a count to cases goes through `cases_visible_to`, so an analyst, who
#   opens no case, sees counts but never the cases behind them.
STATISTICS_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})
VIETNAM = "VN"


@dataclasses.dataclass(frozen=True)
class StatisticsScope:
    """Whose aggregates a user may see: all provinces, or the current units in `provinces`."""

    national: bool
    provinces: frozenset[int]
    organisation_ids: frozenset[int]

    @property
    def allowed(self) -> bool:
        return self.national or bool(self.provinces)


def statistics_scope(user) -> StatisticsScope:
    """What `user` may count. Two queries; compute once per request."""
    from haven.places.models import Province

    org_ids = frozenset(organisation_ids(user, STATISTICS_ROLES))
    if not org_ids:
        return StatisticsScope(False, frozenset(), frozenset())
    served = Organisation.provinces.through.objects.filter(organisation_id__in=org_ids)
    national = (
        Organisation.objects.filter(id__in=org_ids)
        .exclude(id__in=served.values("organisation_id"))
        .exclude(kind="mission")
        .filter(Q(country__isnull=True) | Q(country__code=VIETNAM))
        .exists()
    )
    served_ids = served.values_list("province_id", flat=True)
    # A former province served stands for the unit that succeeded it.
    current = Province.objects.filter(Q(id__in=served_ids) | Q(predecessors__id__in=served_ids))
    provinces = frozenset(current.filter(valid_to__isnull=True).values_list("id", flat=True))
    return StatisticsScope(national, provinces, org_ids)


def get_statistics_scope(user) -> StatisticsScope:
    """The user's statistics scope, or Http404 for anyone who may see no statistics."""
    scope = statistics_scope(user)
    if not scope.allowed:
        raise Http404("No statistics")
    return scope


def can_see_statistics(user) -> bool:
    return bool(organisation_ids(user, STATISTICS_ROLES))
