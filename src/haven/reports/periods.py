"""Reporting periods: any range of days, and the month / quarter / year buckets of a trend.

Dates are local (Asia/Ho_Chi_Minh); a period includes both its first and its last day.
"""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.places.models import REORGANISATION_DATE


class Granularity:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CHOICES = [(MONTH, _("month")), (QUARTER, _("quarter")), (YEAR, _("year"))]


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends before it starts")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = datetime.date(year, 3 * quarter - 2, 1)
        return cls(start, _next_month(start, 3) - datetime.timedelta(days=1))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = datetime.date(year, month, 1)
        return cls(start, _next_month(start, 1) - datetime.timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def start_at(self) -> datetime.datetime:
        """The first instant of the period, in the project's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_before(self) -> datetime.datetime:
        """The first instant after the period."""
        day_after = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))

    @property
    def before_reorganisation(self) -> bool:
        """Whether part of the period falls before the 63 provinces became 34."""
        return self.start < REORGANISATION_DATE

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def buckets(self, granularity: str) -> list[str]:
        """The keys of every bucket that overlaps the period, in order."""
        keys, day = [], self.start
        while day <= self.end:
            key = bucket_key(day, granularity)
            if not keys or keys[-1] != key:
                keys.append(key)
            day = _next_month(day.replace(day=1), 1)
        return keys


def _next_month(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def bucket_key(day: datetime.date, granularity: str) -> str:
    if granularity == Granularity.YEAR:
        return f"{day.year}"
    if granularity == Granularity.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def local_date(value) -> datetime.date:
    """The local calendar date of a datetime (or the date itself)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def default_period(today: datetime.date | None = None) -> Period:
    """The last full quarter: what the periodic report usually covers."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    return Period.quarter(year, quarter)


def default_granularity(period: Period) -> str:
    days = (period.end - period.start).days
    if days > 3 * 366:
        return Granularity.YEAR
    if days > 366:
        return Granularity.QUARTER
    return Granularity.MONTH
