"""Which organisations and users an administrator may manage. Nothing else decides this.

Views and actions start from `admin_scope(user)` and the querysets below, and fetch single
rows through the `get_*_for` helpers, which raise Http404 so existence does not leak.

Rules, one condition per line so coverage proves each:
- an administrator holds an active administrator membership in an active organisation;
- a national administrator's organisation serves no province and is not a mission abroad;
  they manage every organisation and user;
- a provincial administrator's provinces P are those their organisations serve; they manage
  organisations serving at least one province in P and none outside P, and users with at
  least one membership in such an organisation and no active membership elsewhere;
- nobody manages their own account (no self-escalation), nor a superuser (Django's admin);
- roles are granted only in managed organisations; organisations a provincial administrator
  creates or changes serve at least one province, all of them in P.
"""

import dataclasses

from django.db.models import Q
from django.http import Http404

from haven.access.policy import organisation_ids
from haven.agencies.models import Membership, Organisation, OrganisationKind, Role, User

ServedProvince = Organisation.provinces.through
VIETNAM = "VN"


@dataclasses.dataclass(frozen=True)
class AdminScope:
    actor: object
    national: bool
    provinces: frozenset[int]  # P: the provinces a provincial administrator manages
    admin_organisation_ids: frozenset[int]  # where the actor holds the administrator role

    @property
    def can_administer(self) -> bool:
        return self.national or bool(self.provinces)


def admin_scope(user) -> AdminScope:
    """What `user` administers; compute once per request and pass it on. Her memberships
    are read once per request (`policy.organisation_ids`, shared with the access checks);
    beyond them, two queries for an administrator and none for anyone else."""
    org_ids = frozenset(organisation_ids(user, {Role.ADMINISTRATOR}))
    if not org_ids:
        return AdminScope(user, False, frozenset(), frozenset())
    served = ServedProvince.objects.filter(organisation_id__in=org_ids)
    national = (
        Organisation.objects.filter(id__in=org_ids)
        .exclude(id__in=served.values("organisation_id"))  # serves no province
        .exclude(kind=OrganisationKind.MISSION)  # a mission serves none either, yet is abroad
        .filter(Q(country__isnull=True) | Q(country__code=VIETNAM))  # sits in Vietnam
        .exists()
    )
    provinces = frozenset(served.values_list("province_id", flat=True))
    return AdminScope(user, national, provinces, org_ids)


def organisations_managed(scope: AdminScope):
    """Organisations the administrator may see and change (active or not)."""
    if scope.national:
        return Organisation.objects.all()
    if not scope.provinces:
        return Organisation.objects.none()
    inside = ServedProvince.objects.filter(province_id__in=scope.provinces)
    outside = ServedProvince.objects.exclude(province_id__in=scope.provinces)
    return Organisation.objects.filter(id__in=inside.values("organisation_id")).exclude(
        id__in=outside.values("organisation_id")
    )


def users_managed(scope: AdminScope):
    """Users the administrator may see and change: never themselves, never a superuser."""
    users = User.objects.exclude(pk=scope.actor.pk)  # no self-escalation
    users = users.exclude(is_superuser=True)  # superusers are managed in Django's admin only
    if scope.national:
        return users
    if not scope.provinces:
        return User.objects.none()
    managed = organisations_managed(scope).values("id")
    inside = Membership.objects.filter(organisation_id__in=managed)
    active_outside = Membership.objects.filter(is_active=True).exclude(organisation_id__in=managed)
    users = users.filter(id__in=inside.values("user_id"))  # belongs here (now or before)
    return users.exclude(id__in=active_outside.values("user_id"))  # and nowhere else now


def memberships_managed(scope: AdminScope):
    """Memberships the administrator may deactivate or reactivate."""
    return Membership.objects.filter(
        user__in=users_managed(scope).values("id"),
        organisation__in=organisations_managed(scope).values("id"),
    )


def may_serve(scope: AdminScope, province_ids) -> bool:
    """Whether an organisation the administrator creates or changes may serve these provinces."""
    province_ids = set(province_ids)
    if scope.national:
        return True
    if not province_ids:
        return False  # a provincial administrator cannot create a national organisation
    return province_ids <= scope.provinces


def may_grant_in(scope: AdminScope, organisation) -> bool:
    """Whether the administrator may grant roles in `organisation`."""
    if not organisation.is_active:
        return False
    return organisations_managed(scope).filter(pk=organisation.pk).exists()


def get_organisation_for(scope: AdminScope, pk) -> Organisation:
    organisation = organisations_managed(scope).filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def get_user_for(scope: AdminScope, pk) -> User:
    user = users_managed(scope).filter(pk=pk).first()
    if user is None:
        raise Http404("No such user")
    return user


def get_membership_for(scope: AdminScope, pk) -> Membership:
    membership = memberships_managed(scope).select_related("user", "organisation").filter(pk=pk)
    membership = membership.first()
    if membership is None:
        raise Http404("No such membership")
    return membership
