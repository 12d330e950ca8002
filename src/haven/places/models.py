"""Administrative units and countries.

Vietnam reorganised on 1 July 2025: 63 provinces became 34 and districts were abolished.
Units therefore carry validity dates; a former province points to the province that
succeeded it, so records made before the change still resolve.
"""

import datetime

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

REORGANISATION_DATE = datetime.date(2025, 7, 1)


class BilingualName(models.Model):
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    # Folded name (no diacritics, lower case) for search.
    search_key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def __str__(self) -> str:
        return self.name


class ProvinceQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(valid_from__lte=on).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on)
        )


class Province(BilingualName):
    """A provincial-level unit. Current units have GSO codes ("01"); former ones "L" + code."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("centrally-run city")

    code = models.CharField(_("code"), max_length=8, unique=True)
    gso_code = models.CharField(_("statistics office code"), max_length=4)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def current_unit(self) -> "Province":
        """The unit in force today that covers this one (itself if it is current)."""
        unit = self
        while unit.successor_id is not None:
            unit = unit.successor
        return unit


class Commune(BilingualName):
    """A commune, ward or special zone (level 2 since 1 July 2025)."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        WARD = "ward", _("ward")
        SPECIAL_ZONE = "special_zone", _("special zone")

    code = models.CharField(_("code"), max_length=8, unique=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class Country(BilingualName):
    code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    alpha3 = models.CharField(max_length=3, unique=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Ethnicity(BilingualName):
    """One of Vietnam's 54 recognised ethnic groups (plus foreign / unknown)."""

    code = models.CharField(_("code"), max_length=4, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnicity")
        verbose_name_plural = _("ethnicities")


def communes_of(province_id) -> models.QuerySet:
    """The communes in force of a province; for a former province, those of its successor."""
    provinces = Province.objects.filter(
        models.Q(pk=province_id) | models.Q(predecessors__id=province_id)
    ).values("pk")
    return Commune.objects.filter(province_id__in=provinces)
