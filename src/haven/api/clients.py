"""API clients: created and revoked by an administrator of their organisation; tokens.

A client acts as its organisation with the rights of a case worker there, and only within
its scopes. Each client has its own service account (a user with no password and one
case-worker membership), so the access policy, the actions and the audit log need nothing
special for it. Revoking deactivates the account: its token then gets 401.
"""

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access import policy
from haven.agencies.models import Membership, Organisation, Role, User
from haven.api.models import ApiClient, Scope
from haven.audit import log as audit
from haven.errors import ActionRefused

TOKEN_PREFIX = "hvn_"  # noqa: S105 (a marker that tells tokens apart, not a secret)
CLIENT_ROLE = Role.CASE_WORKER
# last_used_at is written at most this often, so reads do not each take a write lock.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def administered_organisations(user):
    """Organisations whose API clients `user` manages: where they are an administrator."""
    return Organisation.objects.filter(
        id__in=policy.organisation_ids(user, {Role.ADMINISTRATOR}), is_active=True
    )


def clients_managed_by(user):
    return ApiClient.objects.filter(organisation__in=administered_organisations(user))


@transaction.atomic
def create_client(*, admin, organisation, name: str, scopes) -> tuple[ApiClient, str]:
    """Create a client and return it with its token, which is not stored and not shown again."""
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= set(Scope.values):
        raise ActionRefused(_("Choose at least one scope."), field="scopes")
    if not administered_organisations(admin).filter(pk=organisation.pk).exists():
        raise ActionRefused(_("You do not administer this organisation."), field="organisation")
    if not name.strip():
        raise ActionRefused(_("Give the client a name."), field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    account = User(username=f"api-{organisation.code}-{secrets.token_hex(4)}"[:150])
    account.set_unusable_password()
    account.save()
    Membership.objects.create(user=account, organisation=organisation, role=CLIENT_ROLE)
    client = ApiClient.objects.create(
        organisation=organisation,
        name=name.strip(),
        scopes=",".join(scopes),
        user=account,
        token_hash=hash_token(token),
        token_prefix=token[:12],
        created_by=admin,
    )
    audit.record(
        "api_client.create",
        user=admin,
        organisation=organisation,
        obj=client,
        details={"name": client.name, "scopes": scopes, "token_prefix": client.token_prefix},
    )
    return client, token


@transaction.atomic
def revoke_client(*, admin, client: ApiClient) -> ApiClient:
    client = ApiClient.objects.select_for_update().select_related("user").get(pk=client.pk)
    if client.revoked_at is not None:
        raise ActionRefused(_("This client was already revoked."))
    client.revoked_at = timezone.now()
    client.revoked_by = admin
    client.save(update_fields=["revoked_at", "revoked_by"])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    Membership.objects.filter(user=client.user).update(is_active=False)
    audit.record(
        "api_client.revoke",
        user=admin,
        organisation=client.organisation_id,
        obj=client,
        details={"name": client.name, "token_prefix": client.token_prefix},
    )
    return client


def authenticate(token: str) -> ApiClient | None:
    """The active client whose token this is, or None (unknown, revoked, or deactivated)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hash_token(token)
    client = (
        ApiClient.objects.select_related("user", "organisation").filter(token_hash=digest).first()
    )
    if client is None or not hmac.compare_digest(client.token_hash, digest):
        return None
    if client.revoked_at is not None:
        return None
    if not client.user.is_active or not client.organisation.is_active:
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
