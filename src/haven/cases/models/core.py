"""Cases, receptions on each entry route, handovers, documents and the case timeline.

A person may have several cases over time (re-trafficking). Every step of a case appends a
`TimelineEvent`; nothing on the timeline is edited or deleted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.access.fields import EncryptedTextField


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    SCREENING = "screening", _("screening and identification")
    SUPPORT = "support", _("in support")
    FOLLOW_UP = "follow_up", _("reintegration and follow-up")
    CLOSED = "closed", _("closed")


class IdentificationStatus(models.TextChoices):
    UNDECIDED = "undecided", _("not yet decided")
    BEING_IDENTIFIED = "being_identified", _("person being identified as a victim")
    VICTIM = "victim", _("victim")
    NOT_VICTIM = "not_victim", _("not a victim")
    ACCOMPANYING_CHILD = "accompanying_child", _("accompanying child")


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    owner = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    province = models.ForeignKey(
        "places.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province in force where the case was opened."),
    )
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=CaseStatus.choices,
        default=CaseStatus.RECEIVED,
        db_index=True,
    )
    identification_status = models.CharField(
        _("identification status"),
        max_length=32,
        choices=IdentificationStatus.choices,
        default=IdentificationStatus.UNDECIDED,
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The person's `name_key`, copied onto the case so a name search reads the owner's
    # cases of that name from one index (owner, name_key; cases migration 0005) instead of
    # every person of that name in the registry. Kept in step by `save` here and by
    # `Person.save` when a name changes.
    name_key = models.CharField(max_length=520, default="", editable=False)

    class ReturnWish(models.TextChoices):
        GO_HOME = "go_home", _("go home")
        FACILITY = "facility", _("go to a support facility")
        OTHER_COMMUNITY = "other_community", _("settle in another community")

    return_wish = models.CharField(
        _("her wish after return"), max_length=20, choices=ReturnWish.choices, blank=True
    )
    reintegrated_on = models.DateField(_("reintegrated on"), null=True, blank=True)
    previous_case = models.ForeignKey(
        "self",
        verbose_name=_("earlier case of the same person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_cases",
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # An organisation's case lists, newest first (work list, case list), read in
            # order. With the status and person included, "which cases does it own", the
            # work list's count of open cases and a name search's walk through its cases
            # (joining the person) read the index alone.
            models.Index(
                fields=["owner", "-opened_at", "-id"],
                include=["status", "person"],
                name="cases_case_owner_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        """Copy the person's search key whenever the person is written (always on create)."""
        fields = kwargs.get("update_fields")
        if fields is None or not {"person", "person_id", "name_key"}.isdisjoint(fields):
            self.name_key = self.person.name_key
            if fields is not None:
                kwargs["update_fields"] = {*fields, "name_key"}
        super().save(*args, **kwargs)


class ReferenceSequence(models.Model):
    """The last number used for case references per province code and year."""

    province_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province_code", "year"], name="unique_reference_seq")
        ]


class EntryRoute(models.TextChoices):
    BORDER_HANDOVER = "border_handover", _("handover at a land or sea border")
    POLICE = "police", _("rescued or received by police")
    RETURN_FROM_ABROAD = "return_from_abroad", _("return from abroad through a mission")
    SELF_REPORT = "self_report", _("self-reported or self-returned")


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", _("sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("forced labour")
    FORCED_MARRIAGE = "forced_marriage", _("forced marriage")
    ONLINE_SCAM = "online_scam", _("forced criminality in online scam compounds")
    SURROGACY = "surrogacy", _("forced surrogacy or sale of a baby")
    ORGAN_REMOVAL = "organ_removal", _("removal of organs")
    BEGGING = "begging", _("forced begging")
    OTHER = "other", _("other or not known")


class Recruitment(models.TextChoices):
    JOB_OFFER = "job_offer", _("false job offer")
    ONLINE = "online", _("online or social media contact")
    MARRIAGE = "marriage", _("marriage or relationship")
    ACQUAINTANCE = "acquaintance", _("family member or acquaintance")
    ABDUCTION = "abduction", _("abduction or force")
    DEBT = "debt", _("debt")
    UNKNOWN = "unknown", _("not known")


class Reception(models.Model):
    """One reception of a person by an organisation, on one entry route."""

    class BorderKind(models.TextChoices):
        LAND = "land", _("land border")
        SEA = "sea", _("sea border")

    class HandedOverBy(models.TextChoices):
        BORDER_GUARDS = "border_guards", _("Vietnamese border guards")
        FOREIGN_AUTHORITY = "foreign_authority", _("a foreign authority")

    class TravelDocumentStatus(models.TextChoices):
        HAS_PASSPORT = "has_passport", _("has her own passport")
        NEEDS_DOCUMENT = "needs_document", _("needs a travel document")
        DOCUMENT_ISSUED = "document_issued", _("travel document issued")
        UNKNOWN = "unknown", _("not known")

    class ReportedAt(models.TextChoices):
        COMMUNE = "commune", _("commune People's Committee")
        POLICE = "police", _("police")
        BORDER_POST = "border_post", _("border post")
        FACILITY = "facility", _("social protection facility")
        OSSO = "osso", _("one-stop service office")
        NGO = "ngo", _("NGO")
        HOTLINE = "hotline", _("hotline 111")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="receptions"
    )
    entry_route = models.CharField(_("entry route"), max_length=32, choices=EntryRoute.choices)
    received_by = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"))
    province = models.ForeignKey(
        "places.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "places.Commune",
        verbose_name=_("commune or ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_detail = models.CharField(_("place (border gate, address)"), max_length=200, blank=True)
    age_at_reception = models.PositiveSmallIntegerField(
        _("age at reception"), null=True, blank=True
    )
    is_child = models.BooleanField(_("child at reception"), default=False)

    # Border handover
    border_kind = models.CharField(
        _("border"), max_length=8, choices=BorderKind.choices, blank=True
    )
    handed_over_by = models.CharField(
        _("handed over by"), max_length=32, choices=HandedOverBy.choices, blank=True
    )
    foreign_authority = models.CharField(_("foreign authority"), max_length=200, blank=True)
    handover_record_number = models.CharField(
        _("handover record number"), max_length=100, blank=True
    )
    persons_on_list = models.PositiveIntegerField(
        _("persons on the handover list"), null=True, blank=True
    )
    # Police
    police_operation = models.CharField(_("police operation or unit"), max_length=200, blank=True)
    rescued = models.BooleanField(_("rescued in an operation"), default=False)
    # Return from abroad
    return_country = models.ForeignKey(
        "places.Country",
        verbose_name=_("returning from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    foreign_agency_contact = EncryptedTextField(_("foreign agency contact"), blank=True)
    travel_document_status = models.CharField(
        _("travel document"), max_length=32, choices=TravelDocumentStatus.choices, blank=True
    )
    # Self-report
    reported_at = models.CharField(
        _("reported at"), max_length=32, choices=ReportedAt.choices, blank=True
    )

    # The situation as she tells it
    destination_country = models.ForeignKey(
        "places.Country",
        verbose_name=_("country where exploited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exploitation_forms = models.CharField(
        _("forms of exploitation"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated codes."),
    )
    recruitment = models.CharField(
        _("how she was recruited"), max_length=32, choices=Recruitment.choices, blank=True
    )
    exploitation_from = models.DateField(_("exploited from"), null=True, blank=True)
    exploitation_to = models.DateField(_("exploited until"), null=True, blank=True)
    account = EncryptedTextField(_("her account, in her words"), blank=True)

    # Immediate needs
    need_medical = models.BooleanField(_("medical care"), default=False)
    need_shelter = models.BooleanField(_("shelter"), default=False)
    need_food = models.BooleanField(_("food"), default=False)
    need_clothing = models.BooleanField(_("clothing"), default=False)
    need_safety = models.BooleanField(_("safety"), default=False)
    needs_notes = EncryptedTextField(_("notes on immediate needs"), blank=True)

    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")

    def __str__(self) -> str:
        return f"{self.case} · {self.get_entry_route_display()}"

    @property
    def exploitation_form_codes(self) -> list[str]:
        return [c for c in self.exploitation_forms.split(",") if c]

    def exploitation_form_labels(self) -> list[str]:
        labels = dict(ExploitationForm.choices)
        return [str(labels.get(code, code)) for code in self.exploitation_form_codes]


class AccompanyingChild(models.Model):
    reception = models.ForeignKey(
        Reception,
        verbose_name=_("reception"),
        on_delete=models.CASCADE,
        related_name="accompanying_children",
    )
    child = models.ForeignKey(
        "people.Person", verbose_name=_("child"), on_delete=models.PROTECT, related_name="+"
    )
    relationship = models.CharField(_("relationship"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("accompanying child")
        verbose_name_plural = _("accompanying children")


class Handover(models.Model):
    """A person handed from one organisation to another, with the official record."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="handovers"
    )
    from_organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handed over at"))
    record_number = models.CharField(_("record number"), max_length=100, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["handed_over_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")


class Document(models.Model):
    """An uploaded file, encrypted on disk outside the web root."""

    class Kind(models.TextChoices):
        HANDOVER_RECORD = "handover_record", _("handover record")
        PERSONS_LIST = "persons_list", _("list of persons")
        IDENTITY = "identity", _("identity document copy")
        MEDICAL = "medical", _("medical record")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents"
    )
    reception = models.ForeignKey(
        Reception,
        verbose_name=_("reception"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class TimelineEvent(models.Model):
    """One step in a case's history: who did what, when. Append-only."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        RECEIVED = "received", _("person received")
        HANDOVER = "handover", _("handed over")
        DOCUMENT = "document", _("document added")
        STATUS = "status", _("status changed")
        CONSENT = "consent", _("consent recorded")
        SHARE = "share", _("shared with another organisation")
        SHARE_ENDED = "share_ended", _("sharing ended")
        NOTE = "note", _("note")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="timeline"
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Short structured facts (codes and ids, never free text about the person).
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
