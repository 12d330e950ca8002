"""Review indicators (framework Art. 11 and the practitioners' monitoring needs), each
overall, per province and over time.

- days from reception to identification: per case, its first decision dated in the period;
- days from reception to first service: per case, its first service delivered, in the period;
- days from referral to acceptance, referrals accepted and declined (haven.referrals);
- support plans made with her: plans made in the period;
- follow-up visits done on time: visits due in the period (and by today);
- re-trafficking: persons received in the period on a case that follows an earlier case of
  hers (`Case.previous_case`);
- funds used against funds available (providers' funds, haven.referrals).

An indicator that rests on data Haven does not hold yet says so (`NotAvailable`) instead of
showing a zero.
"""

import dataclasses
import statistics as stats
from collections import defaultdict

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.reports.facts import _province_filter, by_case_ids
from haven.reports.periods import Period, bucket_key, local_date
from haven.support.models import FollowUpVisit, Service, SupportPlan

ALL = "all"


@dataclasses.dataclass
class NotAvailable:
    reason: str

    def __bool__(self) -> bool:
        return False


@dataclasses.dataclass
class Figure:
    """One indicator value over `n` cases (or persons, visits, plans)."""

    n: int
    value: float | None  # a median of days, or a share in [0, 1]
    detail: str = ""
    hidden: bool = False

    def shown(self):
        return None if self.hidden else self.value


@dataclasses.dataclass
class Indicator:
    key: str
    title: str
    kind: str  # "days" (median) or "share"
    overall: Figure | None = None
    by_province: dict = dataclasses.field(default_factory=dict)  # province id → Figure
    by_time: dict = dataclasses.field(default_factory=dict)  # bucket key → Figure
    unavailable: NotAvailable | None = None

    def figures(self):
        if self.overall is not None:
            yield self.overall
        yield from self.by_province.values()
        yield from self.by_time.values()


@dataclasses.dataclass
class Indicators:
    items: list[Indicator]
    funds: dict | NotAvailable

    def release(self, limit: int) -> None:
        """Hide every figure that rests on fewer than `limit` cases."""
        for indicator in self.items:
            for figure in indicator.figures():
                if figure.n < limit:
                    figure.hidden = True

    def get(self, key: str) -> Indicator:
        return next(i for i in self.items if i.key == key)


def _days_figure(values: list[int]) -> Figure:
    return Figure(len(values), float(stats.median(values)) if values else None)


def _share_figure(flags: list[bool]) -> Figure:
    return Figure(len(flags), (sum(flags) / len(flags)) if flags else None)


def _grouped(key, title, kind, samples, granularity, make):
    """`samples`: (province id, date, value) → overall, per province and per bucket."""
    by_province, by_time = defaultdict(list), defaultdict(list)
    for province, day, value in samples:
        by_province[province].append(value)
        by_time[bucket_key(day, granularity)].append(value)
    return Indicator(
        key,
        title,
        kind,
        overall=make([value for _p, _d, value in samples]),
        by_province={p: make(v) for p, v in by_province.items()},
        by_time={b: make(v) for b, v in sorted(by_time.items())},
    )


def _first_in_period(facts, earlier_cases: set) -> list[tuple]:
    """(province, first day, days since the case was opened) per case whose first event
    (decision, service) falls in the period: `facts` are the period's events, oldest first."""
    first: dict[int, tuple] = {}
    for fact in facts:
        if fact.case_id in earlier_cases or fact.case_id in first:
            continue
        first[fact.case_id] = (fact.province, fact.day, (fact.day - fact.opened).days)
    return list(first.values())


def _cases_with_earlier(queryset, case_ids, field: str, start) -> set:
    """Of `case_ids`, those with an event before `start` (one indexed probe per case)."""
    found: set = set()
    ids = sorted(set(case_ids))
    for chunk in by_case_ids(queryset, ids):
        found.update(
            chunk.filter(**{f"{field}__lt": start})
            .order_by()
            .values_list("case_id", flat=True)
            .distinct()
        )
    return found


def days_to_identification(period: Period, decisions) -> list[tuple]:
    """Cases whose first decision falls in the period, from the period's decisions."""
    from haven.cases.models import IdentificationDecision

    earlier = _cases_with_earlier(
        IdentificationDecision.objects, [f.case_id for f in decisions], "decided_on", period.start
    )
    return _first_in_period(decisions, earlier)


def days_to_first_service(period: Period, supported) -> list[tuple]:
    """Cases whose first service delivered falls in the period."""
    delivered = Service.objects.filter(status=Service.Status.DELIVERED)
    earlier = _cases_with_earlier(
        delivered, [f.case_id for f in supported], "starts_on", period.start
    )
    return _first_in_period(supported, earlier)


def plans_made_with_her(period: Period, provinces) -> list[tuple]:
    rows = (
        SupportPlan.objects.filter(
            created_at__gte=period.start_at, created_at__lt=period.end_before
        )
        .filter(_province_filter("case__province", provinces))
        .values_list("case__province_id", "created_at", "made_with_her")
    )
    return [(province, local_date(at), made) for province, at, made in rows]


def visits_on_time(period: Period, provinces) -> list[tuple]:
    """Visits due in the period and already due today: on time if made by the due date."""
    last_day = min(period.end, timezone.localdate())
    rows = (
        FollowUpVisit.objects.filter(due_on__gte=period.start, due_on__lte=last_day)
        .filter(_province_filter("case__province", provinces))
        .values_list("case__province_id", "due_on", "visited_on")
    )
    return [
        (province, due, visited is not None and visited <= due) for province, due, visited in rows
    ]


def re_trafficking(received_facts) -> list[tuple]:
    """(province, day, re-trafficked?) per person received, from her first reception."""
    seen: dict[int, tuple] = {}
    flagged: set[int] = set()
    for fact in received_facts:
        seen.setdefault(fact.person, (fact.province, fact.day))
        if fact.re_trafficked:
            flagged.add(fact.person)
    return [(province, day, person in flagged) for person, (province, day) in seen.items()]


def _referral_model():
    if not apps.is_installed("haven.referrals"):
        return None
    try:
        return apps.get_model("referrals", "Referral")
    except LookupError:
        return None


REFERRALS_UNAVAILABLE = "referrals"


def referral_indicators(period: Period, provinces, granularity: str) -> list[Indicator]:
    """Referrals accepted and declined, and days from sending to acceptance, by the date a
    referral was sent. Not available until the referral network (issue 5) is installed."""
    titles = [
        ("referral_days", _("Days from referral to acceptance (median)"), "days"),
        ("referral_accepted", _("Referrals accepted, of those answered"), "share"),
    ]
    model = _referral_model()
    if model is None:
        reason = NotAvailable(_("Not available: the referral network is not installed yet."))
        return [Indicator(k, t, kind, unavailable=reason) for k, t, kind in titles]
    accepted = {"accepted", "completed"}
    rows = (
        model.objects.filter(created_at__gte=period.start_at, created_at__lt=period.end_before)
        .filter(_province_filter("case__province", provinces))
        .values_list("case__province_id", "created_at", "decided_at", "status")
    )
    days, answers = [], []
    for province, created, decided, status in rows:
        day = local_date(created)
        if status in accepted | {"declined"}:
            answers.append((province, day, status in accepted))
        if status in accepted and decided is not None:
            days.append((province, day, (local_date(decided) - day).days))
    return [
        _grouped(titles[0][0], titles[0][1], "days", days, granularity, _days_figure),
        _grouped(titles[1][0], titles[1][1], "share", answers, granularity, _share_figure),
    ]


def funds(period: Period, provinces, used: int) -> dict | NotAvailable:
    """Funds used (`used`: the cost of services delivered) against providers' funds
    available."""
    if not apps.is_installed("haven.referrals"):
        return {
            "used": used,
            "available": NotAvailable(
                _(
                    "Not available: providers' funds come with the "
                    "referral network, not installed yet."
                )
            ),
        }
    funding = apps.get_model("referrals", "Funding")
    current = funding.objects.exclude(valid_until__lt=period.start)
    if provinces is not None:
        current = current.filter(provider__provinces__in=provinces).distinct()
    amounts = current.values_list("amount", "remaining")
    amount = sum(int(a) for a, _r in amounts)
    remaining = sum(int(r) for _a, r in amounts)
    return {"used": used, "available": amount, "remaining": remaining}


TITLES = {
    "days_to_identification": _("Days from reception to identification (median)"),
    "days_to_first_service": _("Days from reception to first service (median)"),
    "re_trafficking": _("Persons received again after an earlier case (re-trafficking)"),
    "visits_on_time": _("Follow-up visits made on time"),
    "referral_days": _("Days from referral to acceptance (median)"),
    "referral_accepted": _("Referrals accepted, of those answered"),
}


def from_groups(key: str, kind: str, groups: dict) -> Indicator:
    """An indicator from figures already counted by the database (`aggregates`):
    `groups`: {"overall" | "province" | "time": {key: (n, median days | persons flagged)}}."""

    def figure(n, value):
        if kind == "days":
            return Figure(n, None if value is None else float(value))
        return Figure(n, (value / n) if n else None)

    overall = groups.get("overall", {}).get("", (0, None if kind == "days" else 0))
    return Indicator(
        key,
        TITLES[key],
        kind,
        overall=figure(*overall),
        by_province={int(p): figure(*v) for p, v in groups.get("province", {}).items()},
        by_time={b: figure(*v) for b, v in sorted(groups.get("time", {}).items())},
    )


def build(
    period: Period,
    provinces,
    granularity: str,
    *,
    received=None,
    decisions=None,
    supported=None,
    counted: dict | None = None,
) -> Indicators:
    """The indicators, from the period's facts; or, on PostgreSQL, `counted`: the
    fact-based ones already counted by the database (`aggregates.indicators_from`), with
    "funds_used"."""
    if counted is None:
        counted = {
            "days_to_identification": _grouped(
                "days_to_identification",
                TITLES["days_to_identification"],
                "days",
                days_to_identification(period, decisions),
                granularity,
                _days_figure,
            ),
            "days_to_first_service": _grouped(
                "days_to_first_service",
                TITLES["days_to_first_service"],
                "days",
                days_to_first_service(period, supported),
                granularity,
                _days_figure,
            ),
            "re_trafficking": _grouped(
                "re_trafficking",
                TITLES["re_trafficking"],
                "share",
                re_trafficking(received),
                granularity,
                _share_figure,
            ),
            "funds_used": sum(fact.cost for fact in supported),
        }
    items = [
        counted["days_to_identification"],
        counted["days_to_first_service"],
        _grouped(
            "plans_made_with_her",
            _("Support plans made with her"),
            "share",
            plans_made_with_her(period, provinces),
            granularity,
            _share_figure,
        ),
        counted.get("visits_on_time")
        or _grouped(
            "visits_on_time",
            TITLES["visits_on_time"],
            "share",
            visits_on_time(period, provinces),
            granularity,
            _share_figure,
        ),
        counted["re_trafficking"],
        *(counted.get("referrals") or referral_indicators(period, provinces, granularity)),
    ]
    return Indicators(items, funds(period, provinces, counted["funds_used"]))
