"""The referral network: a directory of service providers with their capacity and funds,
referrals between organisations, quality assessments and the capacity-building log.

Practitioners found victims with no funded programme while funded programmes found no one
to support (seed 003): the directory puts places and remaining funds next to a person's
needs, and a referral stays visible to both sides until it is answered.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haven.access.fields import EncryptedTextField
from haven.access.models import Share


def codes(value: str) -> list[str]:
    """The codes of a comma-joined field (",a,b," or "a,b")."""
    return [c for c in (value or "").split(",") if c]


def join_codes(values) -> str:
    """Stored with a comma at each end, so `contains=",code,"` finds one code exactly."""
    values = sorted(set(values))
    return f",{','.join(values)}," if values else ""


class ProviderKind(models.TextChoices):
    STATE_FACILITY = "state_facility", _("state social protection facility or shelter")
    OSSO = "osso", _("one-stop service office")
    NGO = "ngo", _("non-governmental organisation")
    LEGAL_AID = "legal_aid", _("legal aid centre")
    HEALTH = "health", _("health facility")
    VOCATIONAL = "vocational", _("vocational school")
    SELF_HELP = "self_help", _("self-help group")
    HOTLINE = "hotline", _("hotline")
    OTHER = "other", _("other service")


class Language(models.TextChoices):
    """Languages a provider's staff speak, beyond Vietnamese (which every provider is assumed
    to speak). Codes are ISO 639 where one exists."""

    KHMER = "km", _("Khmer")
    HMONG = "hmn", _("Hmong")
    TAY = "tyz", _("Tày")
    THAI = "tai", _("Thái")
    NUNG = "nut", _("Nùng")
    DAO = "dao", _("Dao")
    MUONG = "mtq", _("Mường")
    CHINESE = "zh", _("Chinese")
    JARAI = "jra", _("Jarai")
    EDE = "rad", _("Ê-đê")
    BAHNAR = "bdq", _("Bahnar")
    CHAM = "cja", _("Cham")
    LAO = "lo", _("Lao")
    ENGLISH = "en", _("English")
    SIGN = "vsl", _("Vietnamese sign language")


class Care(models.TextChoices):
    """Special care a provider offers; also what a referral may disclose as needed."""

    HIV = "hiv", _("HIV care")
    DISABILITY = "disability", _("disability access and care")
    MENTAL_HEALTH = "mental_health", _("mental health care")


class Provider(models.Model):
    """One entry of the directory: an organisation in Haven (linked 1:1), or an outside
    service listed with its focal person by the organisation that maintains the entry."""

    organisation = models.OneToOneField(
        "agencies.Organisation",
        verbose_name=_("organisation in Haven"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provider_entry",
        help_text=_("Empty for an outside service that does not use Haven."),
    )
    maintained_by = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("entry kept current by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProviderKind.choices)
    description = models.TextField(_("what they do"), blank=True, max_length=2000)
    services = models.CharField(_("services offered"), max_length=300, blank=True)
    nationwide = models.BooleanField(_("serves the whole country"), default=False)
    provinces = models.ManyToManyField(
        "places.Province", verbose_name=_("provinces served"), blank=True, related_name="+"
    )
    communes = models.ManyToManyField(
        "places.Commune", verbose_name=_("communes served"), blank=True, related_name="+"
    )
    takes_women = models.BooleanField(_("takes women"), default=True)
    takes_men = models.BooleanField(_("takes men"), default=False)
    takes_children = models.BooleanField(_("takes children"), default=False)
    takes_adults = models.BooleanField(_("takes adults"), default=True)
    languages = models.CharField(
        _("languages spoken besides Vietnamese"), max_length=200, blank=True
    )
    care = models.CharField(_("special care offered"), max_length=100, blank=True)
    places = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Residential places; empty for a service without places."),
    )
    occupancy = models.PositiveIntegerField(_("places taken now"), default=0)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    focal_person = models.CharField(_("focal person"), max_length=200, blank=True)
    focal_phone = models.CharField(_("focal person's phone"), max_length=50, blank=True)
    focal_email = models.EmailField(_("focal person's e-mail"), blank=True)
    is_active = models.BooleanField(_("listed"), default=True)
    updated_at = models.DateTimeField(
        _("last confirmed current"), default=timezone.now, db_index=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("listed on"), default=timezone.now)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def service_codes(self) -> list[str]:
        return codes(self.services)

    @property
    def language_codes(self) -> list[str]:
        return codes(self.languages)

    @property
    def care_codes(self) -> list[str]:
        return codes(self.care)

    @property
    def free_places(self) -> int | None:
        return None if self.places is None else max(self.places - self.occupancy, 0)

    def is_stale(self, stale_after_days: int, now=None) -> bool:
        now = now or timezone.now()
        return self.updated_at < now - datetime.timedelta(days=stale_after_days)


class Funding(models.Model):
    """Money a provider has for victim support, with where it comes from and what is left."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="fundings"
    )
    source = models.CharField(_("source (budget, donor, project)"), max_length=200)
    services = models.CharField(
        _("for services"),
        max_length=300,
        blank=True,
        help_text=_("Empty: any service the provider offers."),
    )
    amount = models.DecimalField(_("amount (VND)"), max_digits=16, decimal_places=0)
    remaining = models.DecimalField(_("remaining (VND)"), max_digits=16, decimal_places=0)
    valid_until = models.DateField(_("available until"), null=True, blank=True)

    class Meta:
        ordering = ["valid_until", "id"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")

    def __str__(self) -> str:
        return self.source

    @property
    def service_codes(self) -> list[str]:
        return codes(self.services)

    def is_current(self, on: datetime.date) -> bool:
        return self.valid_until is None or self.valid_until >= on


class Referral(models.Model):
    """A request from the owning organisation to a provider organisation to serve her (or to
    take over her case). Until it is accepted the receiver sees only `summary`; accepting it
    opens the named sections through a `Share` (or, for a transfer, moves ownership)."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("referral for services")
        TRANSFER = "transfer", _("transfer of the case")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")
        COMPLETED = "completed", _("service reported")

    class DeclineReason(models.TextChoices):
        NO_PLACE = "no_place", _("no free place")
        NO_FUNDS = "no_funds", _("no funds")
        NOT_OFFERED = "not_offered", _("service not offered")
        NOT_ELIGIBLE = "not_eligible", _("outside who we can take")
        LANGUAGE = "language", _("no one speaks her language")
        OTHER = "other", _("other")

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        PARTLY = "partly", _("partly delivered")
        NOT_DELIVERED = "not_delivered", _("not delivered")
        SHE_DECLINED = "she_declined", _("she declined the service")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="referrals"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REFERRAL)
    from_organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("directory entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    services = models.CharField(_("services asked for"), max_length=300)
    sections = models.CharField(_("sections shared on acceptance"), max_length=200, blank=True)
    basis = models.CharField(_("basis for sharing"), max_length=16, choices=Share.Basis.choices)
    consent = models.ForeignKey(
        "access.Consent",
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.CharField(_("legal basis cited"), max_length=300, blank=True)
    # What the receiver sees before accepting: fixed when sent (see actions.SUMMARY_FIELDS).
    summary = models.JSONField(_("what the receiver sees before accepting"), default=dict)
    note = EncryptedTextField(_("note for the receiving organisation"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"), db_index=True)
    returned_at = models.DateTimeField(
        _("returned to the sender as overdue"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("why declined"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    decline_detail = EncryptedTextField(_("more about why"), blank=True)
    share = models.ForeignKey(
        Share,
        verbose_name=_("share opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        _("service outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    feedback = EncryptedTextField(_("feedback to the sender"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("feedback by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    feedback_at = models.DateTimeField(_("feedback at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            models.Index(fields=["from_organisation", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation}"

    @property
    def service_codes(self) -> list[str]:
        return codes(self.services)

    @property
    def section_codes(self) -> list[str]:
        return codes(self.sections)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.PENDING and self.due_at < timezone.now()


class QualityDomain(models.TextChoices):
    """The domains of the UNIAP shelter assessment tool (seed 003)."""

    FACILITIES = "facilities", _("facilities")
    SAFETY = "safety", _("safety and security")
    HEALTH = "health", _("health and psychological support")
    COUNSELLING = "counselling", _("counselling")
    ENVIRONMENT = "environment", _("environment and management")
    STAFFING = "staffing", _("staffing and case management")
    VISION = "vision", _("vision and philosophy")


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Assessment(models.Model):
    """One quality assessment of a provider, each domain scored 1 (far below the standard)
    to 5 (well above it). Kept over time, so a provider's scores can be followed."""

    class Kind(models.TextChoices):
        SELF = "self", _("self-assessment")
        EXTERNAL = "external", _("external assessment")

    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessor_organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    tool = models.CharField(
        _("tool"), max_length=200, default="UNIAP shelter and service assessment tool"
    )
    facilities = models.PositiveSmallIntegerField(_("facilities"), validators=SCORE)
    safety = models.PositiveSmallIntegerField(_("safety and security"), validators=SCORE)
    health = models.PositiveSmallIntegerField(
        _("health and psychological support"), validators=SCORE
    )
    counselling = models.PositiveSmallIntegerField(_("counselling"), validators=SCORE)
    environment = models.PositiveSmallIntegerField(
        _("environment and management"), validators=SCORE
    )
    staffing = models.PositiveSmallIntegerField(_("staffing and case management"), validators=SCORE)
    vision = models.PositiveSmallIntegerField(_("vision and philosophy"), validators=SCORE)
    notes = models.TextField(_("findings and recommendations"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("quality assessment")
        verbose_name_plural = _("quality assessments")

    @property
    def scores(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, code)) for code, label in QualityDomain.choices]

    @property
    def overall(self) -> float:
        values = [getattr(self, code) for code in QualityDomain.values]
        return round(sum(values) / len(values), 1)


class Activity(models.Model):
    """A training or awareness activity (framework articles on training and communication)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("training")
        AWARENESS = "awareness", _("awareness or communication activity")
        WORKSHOP = "workshop", _("workshop or forum")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    held_from = models.DateField(_("from"))
    held_to = models.DateField(_("until"), null=True, blank=True)
    province = models.ForeignKey(
        "places.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organiser = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="activities_held",
    )
    facilitators = models.CharField(_("facilitators"), max_length=300, blank=True)
    for_organisations = models.ManyToManyField(
        "agencies.Organisation",
        verbose_name=_("for organisations"),
        blank=True,
        related_name="activities_attended",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-held_from", "-id"]
        verbose_name = _("capacity-building activity")
        verbose_name_plural = _("capacity-building activities")

    def __str__(self) -> str:
        return self.title


class ParticipantRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("social worker or counsellor")
    SHELTER_STAFF = "shelter_staff", _("shelter staff or manager")
    POLICE = "police", _("police officer")
    BORDER_GUARD = "border_guard", _("border guard")
    HEALTH = "health", _("health worker")
    LEGAL = "legal", _("legal aid officer or lawyer")
    COMMUNE = "commune", _("commune official")
    WOMENS_UNION = "womens_union", _("Women's Union officer")
    NGO = "ngo", _("NGO staff or volunteer")
    TEACHER = "teacher", _("teacher or vocational trainer")
    COMMUNITY = "community", _("community member")
    SURVIVOR = "survivor", _("survivor or self-help group member")
    OTHER = "other", _("other")


class Participants(models.Model):
    """How many took part in one role, by sex."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    other = models.PositiveIntegerField(_("other or not stated"), default=0)

    class Meta:
        verbose_name = _("participants")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["activity", "role"], name="unique_activity_role")
        ]

    @property
    def total(self) -> int:
        return self.women + self.men + self.other
