"""Who may see and act on referrals, directory entries and the capacity-building log.

Built only on the primitives of `haven.access.policy` (memberships, roles, the hierarchy),
with the same conventions: refusals are Http404, so a referral's existence does not leak.
- A referral is seen by staff of the sending and of the receiving organisation, and by
  supervisors above either; the sender's side withdraws it, the receiver's side answers it
  and reports back. Before acceptance the receiver sees only its `summary`.
- The directory is reference information: every member of an active organisation reads it.
  An entry is kept current by the staff of the organisation that maintains it (for an
  organisation in Haven, itself) and by administrators.
- Quality assessments are recorded by the maintaining organisation (self-assessment),
  supervisors and administrators; activities by staff and administrators.
"""

from django.db.models import Q
from django.http import Http404

from haven.access import policy
from haven.agencies.models import Role
from haven.referrals.models import Provider, Referral

STAFF_ROLES = policy.CASE_WRITER_ROLES
ENTRY_ROLES = STAFF_ROLES | {Role.ADMINISTRATOR}


def working_org_ids(user) -> set[int]:
    """Organisations the user works referrals for: their own (staff roles) and, as a
    supervisor, every unit below."""
    own = policy.organisation_ids(user, STAFF_ROLES)
    return own | policy.supervised_ids(user)


def referrals_visible_to(user):
    ids = working_org_ids(user)
    if not ids:
        return Referral.objects.none()
    return Referral.objects.filter(Q(from_organisation_id__in=ids) | Q(to_organisation_id__in=ids))


def get_referral_for(user, pk: int, *, side: str | None = None) -> Referral:
    """The referral if the user may see it; `side` "sender" or "receiver" to act on it."""
    ids = working_org_ids(user)
    queryset = referrals_visible_to(user)
    if side == "sender":
        queryset = queryset.filter(from_organisation_id__in=ids)
    elif side == "receiver":
        queryset = queryset.filter(to_organisation_id__in=ids)
    referral = (
        queryset.select_related("case", "from_organisation", "to_organisation", "provider")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def can_use_directory(user) -> bool:
    return policy.active_memberships(user).exists() if user.is_authenticated else False


def require_directory(user) -> None:
    if not can_use_directory(user):
        raise Http404("No such page")


def is_administrator(user) -> bool:
    return bool(policy.organisation_ids(user, {Role.ADMINISTRATOR}))


def can_list_providers(user) -> bool:
    """Staff may list their own organisation or an outside service; administrators any."""
    return bool(policy.organisation_ids(user, ENTRY_ROLES))


def entry_organisations(user):
    """Organisations on whose behalf the user may list or keep entries."""
    from haven.agencies.models import Organisation

    return Organisation.objects.filter(
        id__in=policy.organisation_ids(user, ENTRY_ROLES), is_active=True
    ).order_by("name_vi")


def can_edit_provider(user, provider: Provider) -> bool:
    if is_administrator(user):
        return True
    return provider.maintained_by_id in policy.organisation_ids(user, ENTRY_ROLES)


def get_provider_for_edit(user, pk: int) -> Provider:
    provider = Provider.objects.filter(pk=pk).first()
    if provider is None or not can_edit_provider(user, provider):
        raise Http404("No such provider")
    return provider


def assessing_organisations(user, provider: Provider):
    """Organisations the user may assess `provider` for: the maintaining one (a
    self-assessment) and those where they supervise or administer."""
    from haven.agencies.models import Organisation

    ids = policy.organisation_ids(user, {Role.SUPERVISOR, Role.ADMINISTRATOR})
    if provider.maintained_by_id in policy.organisation_ids(user, STAFF_ROLES):
        ids.add(provider.maintained_by_id)
    return Organisation.objects.filter(id__in=ids, is_active=True).order_by("name_vi")


def can_record_activities(user) -> bool:
    return bool(policy.organisation_ids(user, ENTRY_ROLES))
