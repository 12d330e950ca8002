"""Due work: one row per thing someone must do by a date, feeding every inbox.

Actions create tasks (a verification due 3 days after a self-report, a follow-up visit, a
return step, a closure to approve…) and close them when the work is done, so an inbox is
one indexed query, not a scan of every kind of record.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Task(models.Model):
    class Kind(models.TextChoices):
        INITIAL_VERIFICATION = "initial_verification", _("initial verification with police")
        IDENTIFICATION = "identification", _("identification decision")
        RETURN_STEP = "return_step", _("return from abroad step")
        ESSENTIAL_NEEDS_CAP = "essential_needs_cap", _("essential-needs support reaches its cap")
        RISK_REVIEW = "risk_review", _("risk re-assessment")
        FOLLOW_UP_VISIT = "follow_up_visit", _("follow-up visit")
        CLOSURE_APPROVAL = "closure_approval", _("closure to approve")
        REFERRAL_RESPONSE = "referral_response", _("referral to accept or decline")
        REFERRAL_RETURNED = "referral_returned", _("referral declined or overdue")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("for"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # The record the task is about, e.g. "support.followupvisit:12".
    source = models.CharField(max_length=64, blank=True, db_index=True)
    label = models.CharField(_("detail"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["organisation", "done_at", "due_at"]),
            # An inbox: the open tasks of an organisation in the order shown; with the case
            # and kind at hand, its counts read the index alone.
            models.Index(
                fields=["organisation", "due_at", "id"],
                include=["case", "kind"],
                condition=models.Q(done_at__isnull=True),
                name="cases_task_open_inbox",
            ),
        ]

    @property
    def referral_id(self) -> int | None:
        """For a referral task, the referral it is about (its source is "referrals.referral:N")."""
        label, _, pk = self.source.partition(":")
        return int(pk) if label == "referrals.referral" and pk.isdigit() else None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_at < timezone.now()
