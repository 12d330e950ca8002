"""Informed consent and the shares of a case with other organisations.

Law 53/2024 Art. 3(10): nothing about a victim or a person being identified is disclosed
without her consent (or her legal representative's) unless a law allows it. A `Share`
therefore rests either on a given `Consent` or on a recorded legal basis, and names the
sections of the record it opens. Withdrawing the consent ends its shares at once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.access.fields import EncryptedTextField
from haven.agencies.models import OrganisationKind


class Section(models.TextChoices):
    IDENTITY = "identity", _("identity and contact")
    ACCOUNT = "account", _("trafficking account")
    HEALTH = "health", _("health")
    SAFETY = "safety", _("safety")
    SUPPORT = "support", _("support")
    LEGAL = "legal", _("legal")


ALL_SECTIONS = frozenset(Section.values)
# Which section of the record each kind of uploaded document belongs to.
DOCUMENT_SECTIONS = {
    "identity": Section.IDENTITY,
    "medical": Section.HEALTH,
    "handover_record": Section.ACCOUNT,
    "persons_list": Section.ACCOUNT,
    "other": Section.LEGAL,
}


class Consent(models.Model):
    class Purpose(models.TextChoices):
        SUPPORT = "support", _("receive support")
        SHARE = "share", _("share her information with another organisation")
        FOLLOW_UP = "follow_up", _("be contacted for follow-up")
        LEGAL = "legal", _("take part in legal proceedings")

    class Decision(models.TextChoices):
        GIVEN = "given", _("given")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class GivenBy(models.TextChoices):
        PERSON = "person", _("the person herself")
        REPRESENTATIVE = "representative", _("her legal representative")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    recipient_organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("recipient organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_kind = models.CharField(
        _("or any organisation of the kind"),
        max_length=32,
        choices=OrganisationKind.choices,
        blank=True,
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    given_by = models.CharField(
        _("decided by"), max_length=16, choices=GivenBy.choices, default=GivenBy.PERSON
    )
    representative_name = EncryptedTextField(_("legal representative's name"), blank=True)
    informed_in_language = models.CharField(_("informed in language"), max_length=100)
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    decided_at = models.DateTimeField(_("decided at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_decision_display()}"

    def covers(self, organisation) -> bool:
        """Whether this consent, if given, allows sharing with `organisation`."""
        if self.recipient_organisation_id is not None:
            return self.recipient_organisation_id == organisation.pk
        return self.recipient_kind == organisation.kind


class Share(models.Model):
    """Sections of one case opened to one organisation, on one basis, until ended."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("her informed consent")
        BEST_INTERESTS = "best_interests", _("a supervisor's best-interests decision for a child")
        COURT_ORDER = "court_order", _("a court or prosecutor's order")
        LAW = "law", _("a provision of law")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="shares"
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("shared with"),
        on_delete=models.PROTECT,
        related_name="case_shares",
    )
    sections = models.CharField(_("sections"), max_length=200)
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shares",
    )
    legal_basis = models.CharField(_("legal basis cited"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, db_index=True)
    ended_reason = models.CharField(_("why it ended"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [models.Index(fields=["organisation", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.case} → {self.organisation}"

    @property
    def section_set(self) -> frozenset[str]:
        return frozenset(s for s in self.sections.split(",") if s)

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def section_labels(self) -> list[str]:
        labels = dict(Section.choices)
        return [str(labels[s]) for s in Section.values if s in self.section_set]
