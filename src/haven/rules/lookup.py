"""Reading rule parameters as they stood on a date, for a province."""

import datetime

from django.db.models import Q
from django.utils import timezone

from haven.rules.models import Parameter


class MissingRule(LookupError):
    """No parameter is in force for this key and date: configuration is incomplete."""


def value(key: str, *, on: datetime.date | None = None, province=None):
    """The value in force on `on` (default today); a province's own row wins over the national."""
    on = on or timezone.localdate()
    rows = (
        Parameter.objects.filter(key=key, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(Q(province__isnull=True) | Q(province=province))
        .order_by("province_id", "-valid_from")
    )
    found = None
    for row in rows:
        if row.province_id is not None:
            return row.value
        found = row if found is None else found
    if found is None:
        raise MissingRule(f"No rule '{key}' is in force on {on}")
    return found.value


def source(key: str, *, on: datetime.date | None = None) -> str:
    on = on or timezone.localdate()
    row = (
        Parameter.objects.filter(key=key, valid_from__lte=on, province__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    return row.source if row else ""
