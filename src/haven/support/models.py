"""Her support plan and the services delivered; safety; follow-up; case conferences; closure.

Eligibility by status, the essential-needs cap and the rates are rule parameters (see
haven.rules), never literals here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.access.fields import EncryptedTextField


class SupportType(models.TextChoices):
    """Law 53/2024 Art. 37, by the letter of the law."""

    ESSENTIAL_NEEDS = "essential_needs", _("(a) essential needs")
    MEDICAL = "medical", _("(b) medical care")
    INTERPRETATION = "interpretation", _("(c) interpretation")
    LEGAL_INFORMATION = "legal_information", _("(d) legal information")
    LEGAL_AID = "legal_aid", _("(đ) legal aid")
    TRAVEL_COSTS = "travel_costs", _("(e) travel costs")
    PSYCHOLOGICAL = "psychological", _("(g) psychological support")
    SCHOOLING = "schooling", _("(h) schooling")
    VOCATIONAL = "vocational", _("(i) vocational training, counselling and job help")
    ALLOWANCE = "allowance", _("(k) initial-difficulty allowance and loans")


class SupportPlan(models.Model):
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="support_plan",
    )
    made_with_her = models.BooleanField(
        _("made with her"),
        default=True,
        help_text=_("She took part in making the plan."),
    )
    her_goals = EncryptedTextField(_("her goals, in her words"), blank=True)
    her_choices = EncryptedTextField(_("her choices and wishes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")


class Service(models.Model):
    """One support service: planned, delivered, or declined by her."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DELIVERED = "delivered", _("delivered")
        DECLINED = "declined", _("declined by her")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="services"
    )
    support_type = models.CharField(_("support"), max_length=32, choices=SupportType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    provider = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    cost = models.DecimalField(
        _("cost (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    paid_by = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("paying organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    declined_reason = EncryptedTextField(_("why she declined"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")


class CapExtension(models.Model):
    """An extension of the essential-needs cap, with who approved it (Decree 162/2025 Art. 17)."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="cap_extensions",
    )
    extra_days = models.PositiveIntegerField(_("extra days"))
    approved_by_name = models.CharField(_("approved by (name and title)"), max_length=200)
    approving_organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("approving organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField(_("approved on"))
    reason = EncryptedTextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("essential-needs extension")
        verbose_name_plural = _("essential-needs extensions")


class RiskAssessment(models.Model):
    """Framework Art. 9: risks to her or her relatives, and what protects them."""

    class Subject(models.TextChoices):
        PERSON = "person", _("her")
        RELATIVES = "relatives", _("her relatives")

    class Level(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    class Risk(models.TextChoices):
        THREATS = "threats", _("threats from traffickers")
        DEBT = "debt", _("debt")
        STIGMA = "stigma", _("stigma")
        SAME_PLACE = "same_place", _("return to the place she was recruited from")
        RE_TRAFFICKING = "re_trafficking", _("re-trafficking")
        VIOLENCE = "violence", _("violence at home")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="risk_assessments",
    )
    subject = models.CharField(_("about"), max_length=16, choices=Subject.choices)
    risks = models.CharField(_("risks"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    measures = EncryptedTextField(_("protective measures"), blank=True)
    measures_by = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("measures carried out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    she_asked_for_protection = models.BooleanField(_("she asked for protection"), default=False)
    after_incident = EncryptedTextField(_("after this incident"), blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    next_review_on = models.DateField(_("next review"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-assessed_at"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")


class FollowUpVisit(models.Model):
    class Rating(models.TextChoices):
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("poor")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="follow_up_visits",
    )
    due_on = models.DateField(_("due"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("visiting organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    wellbeing = models.CharField(_("wellbeing"), max_length=8, choices=Rating.choices, blank=True)
    income = models.CharField(_("income"), max_length=8, choices=Rating.choices, blank=True)
    housing = models.CharField(_("housing"), max_length=8, choices=Rating.choices, blank=True)
    safety = models.CharField(_("safety"), max_length=8, choices=Rating.choices, blank=True)
    re_trafficking_risk = models.CharField(
        _("re-trafficking risk"), max_length=8, choices=RiskAssessment.Level.choices, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    @property
    def on_time(self) -> bool | None:
        if self.visited_on is None:
            return None
        return self.visited_on <= self.due_on


class CaseConference(models.Model):
    class Reason(models.TextChoices):
        DECLINES_HELP = "declines_help", _("she declines help")
        HIV = "hiv", _("HIV")
        MENTAL_HEALTH = "mental_health", _("mental illness")
        DISABILITY = "disability", _("disability")
        LANGUAGE = "language", _("ethnic-minority language")
        MALE = "male", _("male victim")
        CHILD = "child", _("child")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    held_on = models.DateField(_("held on"))
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices)
    organisations = models.ManyToManyField(
        "agencies.Organisation", verbose_name=_("agencies taking part"), related_name="+"
    )
    decisions = EncryptedTextField(_("decisions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")


class Closure(models.Model):
    class Reason(models.TextChoices):
        REINTEGRATED = "reintegrated", _("reintegrated")
        DECLINED = "declined", _("declined further support")
        MOVED_AWAY = "moved_away", _("moved away")
        TRANSFERRED = "transferred", _("transferred")
        DIED = "died", _("died")
        NOT_VICTIM = "not_victim", _("not a victim, referred elsewhere")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="closures"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    refused_reason = models.CharField(_("why approval was refused"), max_length=300, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.CharField(_("why it was reopened"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
