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

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = text.nfc(self.full_name)
        self.other_names = text.nfc(self.other_names)
        # Leading space: search matches the start of any word with `contains " token"`.
        self.name_key = " " + " ".join(
            filter(None, [text.fold(self.full_name), text.fold(self.other_names)])
        )
        phone = identifiers.normalise_phone(self.phone)
        self.phone_index = crypto.blind_index(phone) if phone else ""
        if self.date_of_birth:
            self.birth_year = self.date_of_birth.year
            self.birth_year_estimated = False
        super().save(*args, **kwargs)

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
