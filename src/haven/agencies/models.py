"""Organisations that work cases, and the people who use Haven on their behalf.

Ministry names change (the 2025 merger moved social affairs to the Ministry of Health), so
an organisation's name is data and what it may do follows from its *framework role*.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class FrameworkRole(models.TextChoices):
    SOCIAL_AFFAIRS = "social_affairs", _("social affairs")
    PUBLIC_SECURITY = "public_security", _("public security")
    DEFENCE = "defence", _("defence (border guards)")
    FOREIGN_AFFAIRS = "foreign_affairs", _("foreign affairs")
    OTHER = "other", _("other")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("ministry")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("provincial department")
    BORDER_GUARD = "border_guard", _("border guard command or post")
    POLICE = "police", _("police unit")
    MISSION = "mission", _("embassy or consulate")
    FACILITY = "facility", _("social protection facility or shelter")
    OSSO = "osso", _("one-stop service office")
    COMMUNE = "commune", _("commune People's Committee")
    NGO = "ngo", _("non-governmental organisation")
    HOTLINE = "hotline", _("hotline")


class Organisation(models.Model):
    code = models.SlugField(_("short code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    framework_role = models.CharField(
        _("framework role"), max_length=32, choices=FrameworkRole.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    provinces = models.ManyToManyField(
        "places.Province", verbose_name=_("provinces served"), blank=True, related_name="+"
    )
    # Embassies and consulates sit abroad; everyone else is in Vietnam.
    country = models.ForeignKey(
        "places.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in to Haven. What they may do comes from their memberships."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    INTAKE_OFFICER = "intake_officer", _("intake officer")
    CASE_WORKER = "case_worker", _("case worker")
    SUPERVISOR = "supervisor", _("supervisor")
    ANALYST = "analyst", _("analyst")
    ADMINISTRATOR = "administrator", _("administrator")


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
