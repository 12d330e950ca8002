"""API clients (other systems acting for one organisation) and idempotency keys.

An API client acts through its own service account, a user who cannot sign in and holds one
case-worker membership in the client's organisation: the access policy, the actions and the
audit log then treat it exactly as a case worker there, and attribute what it did to it.
Only a SHA-256 hash of its token is stored; the token is shown once, when it is created.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.access.fields import EncryptedTextField


class Scope(models.TextChoices):
    CASES_READ = "cases:read", _("read cases, receptions, persons, consents and shares")
    RECEPTIONS_WRITE = "receptions:write", _("record receptions")
    CONSENTS_WRITE = "consents:write", _("record and withdraw consents")
    SHARES_WRITE = "shares:write", _("share cases and end shares")
    DECISIONS_WRITE = "decisions:write", _("record identification decisions")
    SERVICES_WRITE = "services:write", _("record services and that she declined one")
    REFERRALS_WRITE = "referrals:write", _("send, accept and decline referrals")
    PROVIDERS_READ = "providers:read", _("read the directory of service providers")
    STATISTICS_READ = "statistics:read", _("read aggregate statistics")


class ApiClient(models.Model):
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.CharField(_("scopes"), max_length=300)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=16, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split(",") if s)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):
    """The first successful result of a create, replayed for a retry with the same key.

    Keys are per user (an API client's service account is a user) and expire after
    `IDEMPOTENCY_TTL`. The stored body is encrypted: it may hold personal data.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response_body = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")
        ]
