"""Creating, closing and listing due work (the inbox)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from haven.access import policy
from haven.cases.models import Task


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def open_task(case, kind, organisation, due, *, source: str = "", label: str = "") -> Task:
    """Add a task; `due` may be a date (due at the end of that day) or a datetime."""
    due_at = due if isinstance(due, datetime.datetime) else _end_of_day(due)
    return Task.objects.create(
        case=case, kind=kind, organisation=organisation, due_at=due_at, source=source, label=label
    )


def close_tasks(case, kind, *, source: str | None = None) -> int:
    tasks = Task.objects.filter(case=case, kind=kind, done_at__isnull=True)
    if source is not None:
        tasks = tasks.filter(source=source)
    return tasks.update(done_at=timezone.now())


def move_due(case, kind, due, *, source: str | None = None) -> int:
    due_at = due if isinstance(due, datetime.datetime) else _end_of_day(due)
    tasks = Task.objects.filter(case=case, kind=kind, done_at__isnull=True)
    if source is not None:
        tasks = tasks.filter(source=source)
    return tasks.update(due_at=due_at)


def source_of(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def inbox(user):
    """Open tasks of the user's organisations (and, for supervisors, of units below them),
    on cases they may see."""
    orgs = policy.organisation_ids(user, policy.CASE_READER_ROLES) | policy.supervised_ids(user)
    if not orgs:
        return Task.objects.none()
    # A referral to answer is due before its case is shared: it shows (linking to the
    # referral's summary, never the case) although the case itself is not yet visible.
    # The open tasks of the organisations are read from their partial index in the order
    # shown (with case and kind included, the counts need no table row), and each is checked
    # against the cases the user sees without fetching those cases.
    return (
        Task.objects.filter(done_at__isnull=True, organisation_id__in=orgs)
        .filter(policy.visible_case_condition(user) | Q(kind=Task.Kind.REFERRAL_RESPONSE))
        .select_related("case", "organisation")
        .order_by("due_at", "id")
    )


def overdue_condition(now=None) -> Q:
    """Open tasks past their due time, as a condition (for a filter or a counted subset)."""
    return Q(due_at__lt=now or timezone.now())


def overdue(queryset):
    return queryset.filter(overdue_condition())
