"""Rules that change by decree or by province: dated rows with a source, never literals.

A parameter has a key, a JSON value, validity dates and the document it comes from. A
province may override the national value (provinces adapt the framework). Values marked
"to confirm" in `source` are documented defaults awaiting a legal reading.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Parameter(models.Model):
    key = models.CharField(_("key"), max_length=100, db_index=True)
    province = models.ForeignKey(
        "places.Province",
        verbose_name=_("province (empty: national)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source (law, decree, decision)"), max_length=300)
    description = models.CharField(_("what it means"), max_length=300, blank=True)

    class Meta:
        ordering = ["key", "province_id", "-valid_from"]
        verbose_name = _("rule parameter")
        verbose_name_plural = _("rule parameters")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "province", "valid_from"], name="unique_parameter_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.valid_from})"
