"""Persons received by Haven's agencies, and their identity documents.

Names are stored exactly as given (NFC); `name_key` is derived for diacritic-free search.
Addresses, phone and document numbers are encrypted; the phone and document numbers also
carry a blind index for exact lookup.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.access import crypto
from haven.access.fields import EncryptedTextField
from haven.people import identifiers, text

ADULT_AGE = 18


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    OTHER = "X", _("other")
    UNKNOWN = "U", _("unknown")


def age_on(date_of_birth: datetime.date | None, birth_year: int | None, on: datetime.date):
    """Age in whole years on `on`; from the year alone the lowest possible age. None if unknown."""
    if date_of_birth:
        before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
        return on.year - date_of_birth.year - before_birthday
    if birth_year:
        return max(on.year - birth_year - 1, 0)
    return None


class Person(models.Model):
    full_name = models.CharField(_("full name as given"), max_length=200)
    other_names = models.CharField(_("other names"), max_length=300, blank=True)
    name_key = models.CharField(max_length=520, db_index=True, editable=False)
    # The folded given name (the last word), for finding candidate matches quickly.
    given_key = models.CharField(max_length=60, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # Known when only the year, or an approximate age, is known.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_year_estimated = models.BooleanField(_("year of birth is an estimate"), default=False)
    ethnicity = models.ForeignKey(
        "places.Ethnicity",
        verbose_name=_("ethnicity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    nationality = models.ForeignKey(
        "places.Country",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_province = models.ForeignKey(
        "places.Province",
        verbose_name=_("home province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_commune = models.ForeignKey(
        "places.Commune",
        verbose_name=_("home commune or ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_address = EncryptedTextField(_("home address (village, street)"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Set when record linkage finds this record is the same woman as another: every original
    # record is kept, and statistics count the person once, by `canonical_id`.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("same person as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            # The reception lookup: given name, a near birth year and the family-name prefix
            # in one index, with what ranks the candidates and the id, so ranking them is an
            # index-only scan that reads no table row.
            models.Index(
                fields=["given_key", "birth_year", "name_key"],
                opclasses=["varchar_pattern_ops", "int2_ops", "varchar_pattern_ops"],
                include=["date_of_birth", "phone_index", "merged_into", "id"],
                name="person_name_lookup",
            )
        ]

    # The `name_key` last read or written: None when not known (a new or deferred row).
    _saved_name_key = None

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = text.nfc(self.full_name)
        self.other_names = text.nfc(self.other_names)
        # Leading space: search matches the start of any word with `contains " token"`.
        self.name_key = " " + " ".join(
            filter(None, [text.fold(self.full_name), text.fold(self.other_names)])
        )
        words = text.fold_tokens(self.full_name)
        self.given_key = words[-1][:60] if words else ""
        phone = identifiers.normalise_phone(self.phone)
        self.phone_index = crypto.blind_index(phone) if phone else ""
        if self.date_of_birth:
            self.birth_year = self.date_of_birth.year
            self.birth_year_estimated = False
        adding = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        written = fields is None or "name_key" in fields
        if not adding and written and self.name_key != self._saved_name_key:
            # Her cases carry a copy of the key for name search (Case.name_key).
            self.cases.exclude(name_key=self.name_key).update(name_key=self.name_key)
        if written:
            self._saved_name_key = self.name_key

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the stored `name_key`, so `save` updates her cases only on a new name."""
        instance = super().from_db(db, field_names, values)
        instance._saved_name_key = instance.__dict__.get("name_key")
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._saved_name_key = None  # not known again until the next save

    @property
    def canonical_id(self) -> int:
        return self.merged_into_id or self.pk

    def age_on(self, on: datetime.date) -> int | None:
        return age_on(self.date_of_birth, self.birth_year, on)

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_child(self) -> bool:
        """Under 18 today. With only a year of birth, a child while she may still be under 18."""
        age = self.age
        return age is not None and age < ADULT_AGE


class IdentityDocument(models.Model):
    class Kind(models.TextChoices):
        CITIZEN_ID = "citizen_id", _("citizen identity card (12 digits)")
        OLD_ID = "old_id", _("old identity card (9 digits)")
        PASSPORT = "passport", _("passport")
        TRAVEL_DOCUMENT = "travel_document", _("travel document issued abroad")
        BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
        FOREIGN_ID = "foreign_id", _("foreign identity document")
        OTHER = "other", _("other document")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    number = EncryptedTextField(_("number"))
    number_index = models.CharField(max_length=64, db_index=True, editable=False)
    issuing_country = models.ForeignKey(
        "places.Country",
        verbose_name=_("issuing country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        self.number_index = crypto.blind_index(identifiers.normalise_document_number(self.number))
        super().save(*args, **kwargs)


class MatchDecision(models.Model):
    """Whether two person records are the same woman: suggested by linkage, answered by a
    person. Answers are kept, so the same pair is not asked about again."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("to review")
        SAME = "same", _("same person")
        DIFFERENT = "different", _("different persons")

    class Source(models.TextChoices):
        RECEPTION = "reception", _("at reception")
        REGISTRY = "registry", _("registry-wide search")

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("match score"))
    explanation = models.JSONField(_("evidence per field"), default=list)
    source = models.CharField(_("found"), max_length=16, choices=Source.choices)
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=Decision.choices,
        default=Decision.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        "agencies.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="unique_match_pair"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="match_pair_ordered"
            ),
        ]


class Merge(models.Model):
    """`merged` was linked to `kept` as the same woman. Both records stay; undo unlinks."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # Records that pointed at `merged` and were re-pointed at `kept`, to restore on undo.
    repointed = models.JSONField(default=list)
    match = models.ForeignKey(
        MatchDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_by = models.ForeignKey("agencies.User", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        "agencies.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
