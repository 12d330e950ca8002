"""The append-only, hash-chained audit log.

Each row's hash covers its own content and the previous row's hash, so altering or deleting
any row breaks the chain from there on (`haven audit verify`). Appends are serialised
through the single `AuditHead` row, locked for the length of the writing transaction.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True)
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True, db_index=True)
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]


class AuditHead(models.Model):
    """One row: the hash and id of the newest audit event."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
