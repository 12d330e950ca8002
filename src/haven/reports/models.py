"""Background jobs: a row per request, run by `haven worker`.

This small table is Haven's job queue. It began with long report exports (hence its name)
and also carries the registry-wide search for duplicate persons, which writes pairs to the
review queue instead of a file. A worker claims the oldest pending job (a conditional
UPDATE, so two workers never run the same one), reports its progress as it goes, and leaves
an export's file under the protected files directory, served only to the user who asked.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        STATISTICS = "statistics", _("periodic statistics report")
        HTCDS = "htcds", _("de-identified HTCDS export")
        REGISTRY_DEDUPE = "registry_dedupe", _("registry-wide search for duplicates")

    # Kinds that write a file for their requester; the others change the registry.
    EXPORT_KINDS = frozenset({Kind.STATISTICS, Kind.HTCDS})

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("report"), max_length=16, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, blank=True)
    # Period, province filter, release flag; never anything about a person.
    params = models.JSONField(_("parameters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("step"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Touched while a worker runs the job; a running job whose heartbeat stopped is failed
    # by the next worker (`jobs.fail_stale`): its worker died.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    storage_name = models.CharField(max_length=64, blank=True)
    # What a job that writes no file found, e.g. {"added": 12} pairs; never about a person.
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            # One registry-wide search at a time: a second request finds the first instead.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="registry_dedupe", status__in=["pending", "running"]),
                name="one_active_registry_dedupe",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class StatisticsFact(models.Model):
    """One reception, identification decision or delivered service with every value the
    statistics count it by, kept by database triggers (PostgreSQL; see `factstore`, which
    also says what each column holds). Derived data: never edited by the application."""

    kind = models.PositiveSmallIntegerField()  # factstore.KIND_*
    event_id = models.BigIntegerField()
    case_id = models.BigIntegerField()
    person = models.BigIntegerField()  # canonical person id
    at = models.DateTimeField(null=True)  # receptions: when
    day = models.DateField(null=True)  # decisions and services: the day
    opened_at = models.DateTimeField(null=True)
    scope_a = models.BigIntegerField(null=True)
    scope_b = models.BigIntegerField(null=True)
    province = models.BigIntegerField(null=True)
    former = models.BigIntegerField(null=True)
    route = models.TextField(null=True)
    role = models.TextField(null=True)
    sex = models.TextField(null=True)
    age = models.IntegerField(null=True)
    ethnicity = models.BigIntegerField(null=True)
    destination = models.BigIntegerField(null=True)
    forms = models.TextField(null=True)
    re = models.BooleanField()
    status = models.TextField()
    support_type = models.TextField()
    cost = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    paid_by = models.BigIntegerField(null=True)
    funding_source = models.TextField()
    first_of_case = models.BooleanField()
    flag = models.BooleanField(null=True)  # a visit made on time
    until = models.DateTimeField(null=True)  # a referral answered
    # The person's previous (or next) fact of the kind, kept for the national counts
    # (`factstore._chains` says which fact each names).
    prior_at = models.DateTimeField(null=True)
    prior_day = models.DateField(null=True)
    next_day = models.DateField(null=True)
    prior_type_day = models.DateField(null=True)
    prior_payer_day = models.DateField(null=True)
    prior_source_day = models.DateField(null=True)
    # The row keys of the single-valued breakdowns, as the report shows them.
    k_province = models.TextField()
    k_former = models.TextField()
    k_route = models.TextField()
    k_role = models.TextField()
    k_sex = models.TextField()
    k_age = models.TextField()
    k_child = models.TextField()
    k_ethnicity = models.TextField()
    k_destination = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["case_id"], name="haven_fact_case"),
            models.Index(fields=["kind", "at"], name="haven_fact_at"),
            models.Index(fields=["kind", "day"], name="haven_fact_day"),
            # A person's facts, chained again when one of them changes.
            models.Index(fields=["person"], name="haven_fact_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.event_id}"
