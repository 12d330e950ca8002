"""An uploaded register and the column mapping each organisation last used.

The uploaded file is kept, encrypted, outside the web root (as case documents are), with
the import's audit records; its name and the validation report are encrypted too.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.access.fields import EncryptedTextField


class ColumnMapping(models.Model):
    """Haven field → column heading, as the organisation last mapped its register."""

    organisation = models.OneToOneField(
        "agencies.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="import_mapping",
    )
    columns = models.JSONField(_("columns"), default=dict)
    default_route = models.CharField(_("entry route"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")


class RegisterImport(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("not imported")

    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="register_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    original_name = EncryptedTextField(_("file name"))
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    headers = models.JSONField(_("column headings"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    mapping = models.JSONField(_("columns used"), default=dict)
    default_route = models.CharField(_("entry route"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    progress = models.PositiveIntegerField(_("rows checked"), default=0)
    # The row-by-row report: JSON, encrypted (it quotes names and numbers from the file).
    report = EncryptedTextField(_("report"), blank=True)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    duplicate_count = models.PositiveIntegerField(_("rows with likely duplicates"), default=0)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    case_references = models.JSONField(_("cases opened"), default=list)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.uploaded_at:%Y-%m-%d}"
