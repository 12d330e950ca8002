"""Every change administrators make: one function each, atomic, with its audit record.

Each action re-checks the actor's scope inside its transaction, so the API and any later
caller cannot skip the check; out-of-scope targets raise Http404 like the views do.
Nothing is ever deleted: users, memberships and organisations are deactivated.
"""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from haven.administration import scope as scopes
from haven.agencies.models import Membership, Organisation, Role, User
from haven.audit import log as audit
from haven.errors import ActionRefused

ORGANISATION_FIELDS = ("code", "name_vi", "name_en", "kind", "framework_role", "parent", "country")
USER_FIELDS = ("username", "first_name", "last_name", "email")


def _value(value):
    """A JSON-safe audit value: model instances by primary key."""
    return getattr(value, "pk", value)


def _apply(instance, fields: dict) -> dict:
    """Set `fields` on `instance`; return {name: [old, new]} for those that changed."""
    changes = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if _value(old) != _value(new):
            changes[name] = [_value(old), _value(new)]
            setattr(instance, name, new)
    return changes


def creates_cycle(organisation, parent) -> bool:
    """Whether making `parent` the parent of `organisation` would close a loop."""
    seen = set()
    while parent is not None and parent.pk not in seen:
        if organisation is not None and parent.pk == organisation.pk:
            return True
        seen.add(parent.pk)
        parent = parent.parent
    return False


def _check_organisation_fields(scope, fields: dict, provinces, current=None) -> None:
    if not scopes.may_serve(scope, [p.pk for p in provinces]):
        raise Http404("Provinces outside the administrator's scope")
    parent = fields.get("parent")
    if creates_cycle(current, parent):
        raise ActionRefused(_("An organisation cannot be placed below itself."))
    unchanged = current is not None and parent is not None and parent.pk == current.parent_id
    if parent is not None and not unchanged:
        scopes.get_organisation_for(scope, parent.pk)


@transaction.atomic
def create_organisation(*, actor, fields: dict, provinces, ip_address="") -> Organisation:
    scope = scopes.admin_scope(actor)
    if not scope.can_administer:
        raise Http404("Not an administrator")
    _check_organisation_fields(scope, fields, provinces)
    organisation = Organisation.objects.create(
        **{name: fields.get(name) for name in ORGANISATION_FIELDS if name in fields}
    )
    organisation.provinces.set(provinces)
    audit.record(
        "organisation.create",
        user=actor,
        organisation=organisation,
        obj=organisation,
        ip_address=ip_address,
        details={
            **{name: _value(fields.get(name)) for name in ORGANISATION_FIELDS},
            "provinces": sorted(p.code for p in provinces),
        },
    )
    return organisation


@transaction.atomic
def change_organisation(
    *, actor, organisation, fields: dict, provinces, ip_address=""
) -> Organisation:
    scope = scopes.admin_scope(actor)
    current = scopes.get_organisation_for(scope, organisation.pk)
    _check_organisation_fields(scope, fields, provinces, current=current)
    changes = _apply(current, {k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    before = sorted(current.provinces.values_list("code", flat=True))
    after = sorted(p.code for p in provinces)
    if before != after:
        changes["provinces"] = [before, after]
        current.provinces.set(provinces)
    if changes:
        current.save()
        audit.record(
            "organisation.change",
            user=actor,
            organisation=current,
            obj=current,
            ip_address=ip_address,
            details={"changes": changes},
        )
    return current


@transaction.atomic
def set_organisation_active(*, actor, organisation, active: bool, ip_address="") -> Organisation:
    scope = scopes.admin_scope(actor)
    current = scopes.get_organisation_for(scope, organisation.pk)
    if not active and current.pk in scope.admin_organisation_ids:
        raise ActionRefused(
            _("You cannot deactivate the organisation through which you administer.")
        )
    if current.is_active != active:
        current.is_active = active
        current.save(update_fields=["is_active"])
        audit.record(
            "organisation.reactivate" if active else "organisation.deactivate",
            user=actor,
            organisation=current,
            obj=current,
            ip_address=ip_address,
        )
    return current


def _check_grant(scope, organisation, role: str) -> None:
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    if not scopes.may_grant_in(scope, organisation):
        raise Http404("No such organisation")


@transaction.atomic
def create_user(
    *, actor, fields: dict, password: str, organisation, role: str, ip_address=""
) -> User:
    """A new user with a first membership, so every user belongs somewhere from the start."""
    scope = scopes.admin_scope(actor)
    _check_grant(scope, organisation, role)
    user = User(**{name: fields.get(name, "") for name in USER_FIELDS})
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit.record(
        "user.create",
        user=actor,
        obj=user,
        ip_address=ip_address,
        details={"username": user.username},
    )
    audit.record(
        "membership.create",
        user=actor,
        organisation=organisation,
        obj=membership,
        ip_address=ip_address,
        details={"user": user.pk, "organisation": organisation.pk, "role": role},
    )
    return user


@transaction.atomic
def change_user(*, actor, user, fields: dict, ip_address="") -> User:
    scope = scopes.admin_scope(actor)
    current = scopes.get_user_for(scope, user.pk)
    changes = _apply(current, {k: v for k, v in fields.items() if k in USER_FIELDS})
    if changes:
        current.save(update_fields=list(changes))
        audit.record(
            "user.change",
            user=actor,
            obj=current,
            ip_address=ip_address,
            details={"changes": changes},
        )
    return current


@transaction.atomic
def set_user_password(*, actor, user, password: str, ip_address="") -> User:
    """The password is validated by the form; it never reaches the audit log."""
    scope = scopes.admin_scope(actor)
    current = scopes.get_user_for(scope, user.pk)
    current.set_password(password)
    current.save(update_fields=["password"])
    audit.record("user.set_password", user=actor, obj=current, ip_address=ip_address)
    return current


@transaction.atomic
def set_user_active(*, actor, user, active: bool, ip_address="") -> User:
    """An inactive user cannot sign in, and their open sessions stop working at once."""
    scope = scopes.admin_scope(actor)
    current = scopes.get_user_for(scope, user.pk)
    if current.is_active != active:
        current.is_active = active
        current.save(update_fields=["is_active"])
        audit.record(
            "user.reactivate" if active else "user.deactivate",
            user=actor,
            obj=current,
            ip_address=ip_address,
        )
    return current


@transaction.atomic
def add_membership(*, actor, user, organisation, role: str, ip_address="") -> Membership:
    """Grant `role` in `organisation`; an earlier, deactivated grant is reactivated."""
    scope = scopes.admin_scope(actor)
    target = scopes.get_user_for(scope, user.pk)
    _check_grant(scope, organisation, role)
    membership = Membership.objects.filter(user=target, organisation=organisation, role=role)
    membership = membership.first()
    if membership is not None and membership.is_active:
        raise ActionRefused(_("This user already has this role in this organisation."))
    if membership is None:
        membership = Membership.objects.create(user=target, organisation=organisation, role=role)
        action = "membership.create"
    else:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        action = "membership.reactivate"
    audit.record(
        action,
        user=actor,
        organisation=organisation,
        obj=membership,
        ip_address=ip_address,
        details={"user": target.pk, "organisation": organisation.pk, "role": role},
    )
    return membership


@transaction.atomic
def set_membership_active(*, actor, membership, active: bool, ip_address="") -> Membership:
    scope = scopes.admin_scope(actor)
    current = scopes.get_membership_for(scope, membership.pk)
    if active:
        _check_grant(scope, current.organisation, current.role)
    if current.is_active != active:
        current.is_active = active
        current.save(update_fields=["is_active"])
        audit.record(
            "membership.reactivate" if active else "membership.deactivate",
            user=actor,
            organisation=current.organisation,
            obj=current,
            ip_address=ip_address,
            details={
                "user": current.user_id,
                "organisation": current.organisation_id,
                "role": current.role,
            },
        )
    return current
