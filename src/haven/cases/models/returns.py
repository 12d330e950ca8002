"""The steps of a return from abroad and of a border handover (Law 53/2024 Art. 30)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.agencies.models import FrameworkRole


class ReturnStep(models.Model):
    class Kind(models.TextChoices):
        VERIFY_IDENTITY = "verify_identity", _("verify identity with public security")
        COORDINATE_FOREIGN_AGENCY = (
            "coordinate_foreign_agency",
            _("coordinate with the foreign agency"),
        )
        ARRANGE_PAPERS = "arrange_papers", _("arrange travel papers")
        ARRANGE_TRAVEL = "arrange_travel", _("arrange travel and its cost")
        RECEIVE_AT_BORDER = "receive_at_border", _("receive her at the border")
        HAND_OVER_TO_SOCIAL_AFFAIRS = (
            "hand_over_to_social_affairs",
            _("hand her over to the social-affairs body"),
        )
        ESCORT_OR_NOTIFY_RELATIVES = (
            "escort_or_notify_relatives",
            _("escort the child or notify her relatives"),
        )

    class Status(models.TextChoices):
        PENDING = "pending", _("to do")
        DONE = "done", _("done")
        NOT_NEEDED = "not_needed", _("not needed")

    # Which framework role carries each step, by the framework's division of duties.
    RESPONSIBLE_ROLE = {
        Kind.VERIFY_IDENTITY: FrameworkRole.PUBLIC_SECURITY,
        Kind.COORDINATE_FOREIGN_AGENCY: FrameworkRole.FOREIGN_AFFAIRS,
        Kind.ARRANGE_PAPERS: FrameworkRole.FOREIGN_AFFAIRS,
        Kind.ARRANGE_TRAVEL: FrameworkRole.FOREIGN_AFFAIRS,
        Kind.RECEIVE_AT_BORDER: FrameworkRole.DEFENCE,
        Kind.HAND_OVER_TO_SOCIAL_AFFAIRS: FrameworkRole.DEFENCE,
        Kind.ESCORT_OR_NOTIFY_RELATIVES: FrameworkRole.SOCIAL_AFFAIRS,
    }

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="return_steps",
    )
    kind = models.CharField(_("step"), max_length=40, choices=Kind.choices)
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cost = models.DecimalField(
        _("cost (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    paid_by = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("paid by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("return step")
        verbose_name_plural = _("return steps")
