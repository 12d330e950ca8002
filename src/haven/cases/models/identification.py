"""Screening against identification indicators, and identification decisions.

Trafficking = an act, by a means, for a purpose of exploitation; for a child the means are
not required. A decision cites at least one item of evidence from the Law 53/2024 Art. 32
list and the law that governed it on its date.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.access.fields import EncryptedTextField
from haven.cases.models.core import IdentificationStatus

LAW_53_IN_FORCE = datetime.date(2025, 7, 1)


class Act(models.TextChoices):
    RECRUITMENT = "recruitment", _("recruitment")
    TRANSPORT = "transport", _("transport")
    TRANSFER = "transfer", _("transfer or handing over")
    HARBOURING = "harbouring", _("harbouring")
    RECEIPT = "receipt", _("receipt of the person")


class Means(models.TextChoices):
    FORCE = "force", _("threat or use of force")
    ABDUCTION = "abduction", _("abduction")
    DECEPTION = "deception", _("fraud or deception")
    ABUSE_OF_VULNERABILITY = "vulnerability", _("abuse of power or of a position of vulnerability")
    DEBT = "debt", _("debt bondage")
    PAYMENT = "payment", _("payment to a person in control of her")
    CONFISCATION = "confiscation", _("confiscation of documents")


class Purpose(models.TextChoices):
    SEXUAL = "sexual", _("sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("forced labour or services")
    SLAVERY = "slavery", _("slavery or practices similar to slavery")
    ORGANS = "organs", _("removal of organs")
    FORCED_MARRIAGE = "forced_marriage", _("forced marriage")
    CRIMINALITY = "criminality", _("forced criminality, including online scams")
    SURROGACY = "surrogacy", _("forced surrogacy")
    OTHER = "other", _("other inhumane purpose")


class Screening(models.Model):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="screenings"
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("screened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screening officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    screened_at = models.DateTimeField(_("screened at"), default=timezone.now)
    acts = models.CharField(_("acts"), max_length=200, blank=True)
    means = models.CharField(_("means"), max_length=200, blank=True)
    purposes = models.CharField(_("purposes of exploitation"), max_length=200, blank=True)
    is_child = models.BooleanField(_("she was a child"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-screened_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    @staticmethod
    def codes(value: str) -> list[str]:
        return [c for c in value.split(",") if c]

    @property
    def indicators_met(self) -> bool:
        """Act and purpose present, and a means unless she is a child."""
        has_means = bool(self.codes(self.means)) or self.is_child
        return bool(self.codes(self.acts)) and bool(self.codes(self.purposes)) and has_means


class IdentificationDecision(models.Model):
    class GoverningLaw(models.TextChoices):
        LAW_66_2011 = (
            "law_66_2011",
            _("Law 66/2011/QH12 on Prevention and Suppression of Human Trafficking"),
        )
        LAW_53_2024 = (
            "law_53_2024",
            _("Law 53/2024/QH15 on Prevention and Combat of Human Trafficking"),
        )

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="decisions"
    )
    status = models.CharField(
        _("decision"),
        max_length=32,
        choices=[c for c in IdentificationStatus.choices if c[0] != IdentificationStatus.UNDECIDED],
    )
    decided_on = models.DateField(_("date of the decision"))
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    governing_law = models.CharField(
        _("governing law"), max_length=32, choices=GoverningLaw.choices
    )
    legal_basis = models.CharField(_("article cited"), max_length=200)
    referred_to = models.CharField(
        _("referred instead to (not a victim)"),
        max_length=300,
        blank=True,
    )
    in_vietnam = models.BooleanField(
        _("she is in Vietnam"),
        default=True,
        help_text=_("A person being identified abroad is eligible for fewer support types."),
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")

    @staticmethod
    def law_on(day: datetime.date) -> str:
        if day >= LAW_53_IN_FORCE:
            return IdentificationDecision.GoverningLaw.LAW_53_2024
        return IdentificationDecision.GoverningLaw.LAW_66_2011


class DecisionEvidence(models.Model):
    """One item of evidence or one sign cited by a decision (Law 53/2024 Art. 32)."""

    class Kind(models.TextChoices):
        JUDICIAL_DOCUMENT = (
            "judicial_document",
            _("document of a court, procuracy or investigating body"),
        )
        RESCUER_DOCUMENT = "rescuer_document", _("document of the body that rescued her")
        MISSION_DOCUMENT = "mission_document", _("document of a Vietnamese mission abroad")
        AUTHORITY_DOCUMENT = (
            "authority_document",
            _("document of another Vietnamese or foreign authority"),
        )
        OWN_STATEMENT = "own_statement", _("her own statement")
        RELATIVE_STATEMENT = "relative_statement", _("statement of her relatives")
        TRAFFICKER_STATEMENT = "trafficker_statement", _("statement of the trafficker")
        WITNESS_STATEMENT = "witness_statement", _("statement of other victims or witnesses")
        OTHER_EVIDENCE = "other_evidence", _("other lawful evidence")
        SIGN = "sign", _("signs, e.g. rescued together with other victims")

    decision = models.ForeignKey(
        IdentificationDecision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    description = EncryptedTextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
