"""Support, safety, follow-up, conferences and closure: one atomic action each, with
timeline event and audit record."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access import policy
from haven.audit import log as audit
from haven.cases import tasks, workflow
from haven.cases.actions import add_event
from haven.cases.models import CaseStatus, Task, TimelineEvent
from haven.errors import ActionRefused
from haven.rules import lookup as rules
from haven.support import eligibility
from haven.support.models import (
    CapExtension,
    CaseConference,
    Closure,
    FollowUpVisit,
    RiskAssessment,
    Service,
    SupportPlan,
    SupportType,
)


def _log(action, *, user, organisation, obj, case, **details):
    add_event(
        case,
        TimelineEvent.Kind.NOTE,
        user=user,
        organisation=organisation,
        action=action,
        **{k: v for k, v in details.items() if isinstance(v, (str, int))},
    )
    audit.record(
        action,
        user=user,
        organisation=organisation,
        obj=obj,
        details={"case": case.reference, **details},
    )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return datetime.date(year, month, min(day.day, last_day))


@transaction.atomic
def save_plan(*, user, organisation, case, made_with_her, her_goals, her_choices) -> SupportPlan:
    plan, created = SupportPlan.objects.update_or_create(
        case=case,
        defaults={
            "made_with_her": made_with_her,
            "her_goals": her_goals,
            "her_choices": her_choices,
        },
        create_defaults={
            "made_with_her": made_with_her,
            "her_goals": her_goals,
            "her_choices": her_choices,
            "created_by": user,
        },
    )
    _log(
        "support_plan.save",
        user=user,
        organisation=organisation,
        obj=plan,
        case=case,
        made_with_her=made_with_her,
        created=int(created),
    )
    return plan


# Essential needs -------------------------------------------------------------------------


def essential_needs_allowance(case, on: datetime.date) -> int:
    cap = int(rules.value("cap.essential_needs_days", on=on, province=case.province))
    extra = case.cap_extensions.aggregate(total=Sum("extra_days"))["total"] or 0
    return cap + extra


def essential_needs_days_used(case, exclude=None) -> int:
    services = case.services.filter(support_type=SupportType.ESSENTIAL_NEEDS).exclude(
        status=Service.Status.DECLINED
    )
    if exclude is not None:
        services = services.exclude(pk=exclude.pk)
    return sum((s.ends_on - s.starts_on).days + 1 for s in services if s.starts_on and s.ends_on)


def _check_cap(case, starts_on, ends_on, exclude=None):
    if not (starts_on and ends_on):
        return
    allowance = essential_needs_allowance(case, starts_on)
    used = essential_needs_days_used(case, exclude) + (ends_on - starts_on).days + 1
    if used > allowance:
        raise ActionRefused(
            _(
                "Essential-needs support would reach %(used)s days; the limit is %(limit)s. "
                "Record an extension approved by the facility director or the provincial "
                "health department first."
            )
            % {"used": used, "limit": allowance},
            field="ends_on",
        )


def _cap_task(case, organisation):
    first = (
        case.services.filter(support_type=SupportType.ESSENTIAL_NEEDS, starts_on__isnull=False)
        .exclude(status=Service.Status.DECLINED)
        .order_by("starts_on")
        .first()
    )
    if first is None:
        return
    due = first.starts_on + datetime.timedelta(
        days=essential_needs_allowance(case, first.starts_on)
    )
    if not tasks.move_due(case, Task.Kind.ESSENTIAL_NEEDS_CAP, due):
        tasks.open_task(case, Task.Kind.ESSENTIAL_NEEDS_CAP, organisation, due)


def _default_cost(case, support_type, quantity, on):
    """Rate × quantity when a rate is configured for that support type and date."""
    if quantity is None:
        return None
    try:
        rate = rules.value(f"rate.{support_type}", on=on, province=case.province)
    except rules.MissingRule:
        return None
    return (Decimal(str(rate["amount"])) * Decimal(quantity)).quantize(Decimal("1"))


@transaction.atomic
def add_service(
    *,
    user,
    organisation,
    case,
    support_type,
    status=Service.Status.PLANNED,
    provider=None,
    starts_on=None,
    ends_on=None,
    quantity=None,
    unit="",
    cost=None,
    paid_by=None,
    funding_source="",
    notes="",
) -> Service:
    if status == Service.Status.DECLINED:
        raise ActionRefused(_("Record the service first, then record that she declined it."))
    on = starts_on or timezone.localdate()
    if support_type not in eligibility.eligible_types(case, on=on):
        raise ActionRefused(
            _(
                "“%(type)s” is not available to a person with the status “%(status)s” "
                "(Law 53/2024 Art. 37)."
            )
            % {
                "type": SupportType(support_type).label,
                "status": case.get_identification_status_display(),
            },
            field="support_type",
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise ActionRefused(_("The service ends before it starts."), field="ends_on")
    if status == Service.Status.DELIVERED and not starts_on:
        raise ActionRefused(_("Give the date the service was delivered."), field="starts_on")
    if support_type == SupportType.ESSENTIAL_NEEDS:
        _check_cap(case, starts_on, ends_on)
    if cost is None:
        cost = _default_cost(case, support_type, quantity, on)
    service = Service.objects.create(
        case=case,
        support_type=support_type,
        status=status,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        quantity=quantity,
        unit=unit,
        cost=cost,
        paid_by=paid_by,
        funding_source=funding_source,
        notes=notes,
        recorded_by=user,
    )
    if support_type == SupportType.ESSENTIAL_NEEDS:
        _cap_task(case, organisation)
    _log(
        "service.add",
        user=user,
        organisation=organisation,
        obj=service,
        case=case,
        support_type=support_type,
        status=status,
    )
    return service


@transaction.atomic
def deliver_service(
    *,
    user,
    organisation,
    service: Service,
    starts_on,
    ends_on=None,
    quantity=None,
    cost=None,
    paid_by=None,
) -> Service:
    if service.status != Service.Status.PLANNED:
        raise ActionRefused(_("Only a planned service can be marked delivered."))
    if service.support_type == SupportType.ESSENTIAL_NEEDS:
        _check_cap(service.case, starts_on, ends_on, exclude=service)
    service.status = Service.Status.DELIVERED
    service.starts_on, service.ends_on = starts_on, ends_on
    service.quantity = quantity if quantity is not None else service.quantity
    service.cost = (
        cost
        if cost is not None
        else (
            service.cost
            or _default_cost(service.case, service.support_type, service.quantity, starts_on)
        )
    )
    service.paid_by = paid_by or service.paid_by
    service.save()
    _log(
        "service.deliver",
        user=user,
        organisation=organisation,
        obj=service,
        case=service.case,
        support_type=service.support_type,
    )
    return service


@transaction.atomic
def decline_service(*, user, organisation, service: Service, reason: str = "") -> Service:
    """Her refusal is recorded and respected: the service is not delivered."""
    if service.status == Service.Status.DELIVERED:
        raise ActionRefused(_("A service already delivered cannot be declined."))
    service.status = Service.Status.DECLINED
    service.declined_reason = reason
    service.save(update_fields=["status", "declined_reason"])
    if service.support_type == SupportType.ESSENTIAL_NEEDS:
        _cap_task(service.case, organisation)
    _log(
        "service.decline",
        user=user,
        organisation=organisation,
        obj=service,
        case=service.case,
        support_type=service.support_type,
    )
    return service


@transaction.atomic
def extend_essential_needs(
    *,
    user,
    organisation,
    case,
    extra_days,
    approved_by_name,
    approving_organisation,
    approved_on,
    reason="",
) -> CapExtension:
    if extra_days <= 0:
        raise ActionRefused(_("An extension adds at least one day."), field="extra_days")
    if not approved_by_name.strip():
        raise ActionRefused(_("Name who approved the extension."), field="approved_by_name")
    extension = CapExtension.objects.create(
        case=case,
        extra_days=extra_days,
        approved_by_name=approved_by_name,
        approving_organisation=approving_organisation,
        approved_on=approved_on,
        reason=reason,
        recorded_by=user,
    )
    _cap_task(case, organisation)
    _log(
        "essential_needs.extend",
        user=user,
        organisation=organisation,
        obj=extension,
        case=case,
        extra_days=extra_days,
        approved_by=approved_by_name,
    )
    return extension


# Safety ----------------------------------------------------------------------------------


@transaction.atomic
def assess_risk(
    *,
    user,
    organisation,
    case,
    subject,
    level,
    risks=(),
    measures="",
    measures_by=None,
    she_asked_for_protection=False,
    after_incident="",
) -> RiskAssessment:
    days = rules.value("schedule.risk_review_days", province=case.province)[level]
    assessment = RiskAssessment.objects.create(
        case=case,
        subject=subject,
        level=level,
        risks=",".join(risks),
        measures=measures,
        measures_by=measures_by,
        she_asked_for_protection=she_asked_for_protection,
        after_incident=after_incident,
        assessed_by=user,
        next_review_on=timezone.localdate() + datetime.timedelta(days=int(days)),
    )
    tasks.close_tasks(case, Task.Kind.RISK_REVIEW)
    tasks.open_task(
        case,
        Task.Kind.RISK_REVIEW,
        organisation,
        assessment.next_review_on,
        source=tasks.source_of(assessment),
        label=subject,
    )
    _log(
        "risk.assess",
        user=user,
        organisation=organisation,
        obj=assessment,
        case=case,
        subject=subject,
        level=level,
    )
    return assessment


@transaction.atomic
def report_incident(*, user, organisation, case, description: str):
    """An incident makes a re-assessment due at once."""
    if not description.strip():
        raise ActionRefused(_("Describe the incident."), field="description")
    tasks.close_tasks(case, Task.Kind.RISK_REVIEW)
    task = tasks.open_task(
        case, Task.Kind.RISK_REVIEW, organisation, timezone.now(), label="incident"
    )
    add_event(
        case, TimelineEvent.Kind.NOTE, user=user, organisation=organisation, action="risk.incident"
    )
    audit.record(
        "risk.incident",
        user=user,
        organisation=organisation,
        obj=case,
        details={"reference": case.reference},
    )
    return task


# Reintegration and follow-up ----------------------------------------------------------------


@transaction.atomic
def reintegrate(
    *, user, organisation, case, reintegrated_on: datetime.date, visiting_organisation=None
) -> list[FollowUpVisit]:
    """She is back in a community: follow-up visits are scheduled by the rules."""
    if reintegrated_on > timezone.localdate():
        raise ActionRefused(
            _("The reintegration date cannot be in the future."), field="reintegrated_on"
        )
    workflow.transition(
        case,
        CaseStatus.FOLLOW_UP,
        user=user,
        organisation=organisation,
        reintegrated_on=reintegrated_on,
    )
    months = rules.value("schedule.follow_up_months", on=reintegrated_on, province=case.province)
    visitor_org = visiting_organisation or organisation
    visits = []
    for offset in months:
        visit = FollowUpVisit.objects.create(
            case=case,
            due_on=_add_months(reintegrated_on, int(offset)),
            organisation=visitor_org,
        )
        tasks.open_task(
            case,
            Task.Kind.FOLLOW_UP_VISIT,
            visitor_org,
            visit.due_on,
            source=tasks.source_of(visit),
            label=f"+{offset}",
        )
        visits.append(visit)
    return visits


@transaction.atomic
def record_visit(
    *,
    user,
    organisation,
    visit: FollowUpVisit,
    visited_on,
    wellbeing,
    income,
    housing,
    safety,
    re_trafficking_risk,
    notes="",
) -> FollowUpVisit:
    if visit.visited_on is not None:
        raise ActionRefused(_("This visit is already recorded."))
    if visited_on > timezone.localdate():
        raise ActionRefused(_("The visit cannot be in the future."), field="visited_on")
    visit.visited_on = visited_on
    visit.visitor = user
    visit.wellbeing, visit.income, visit.housing, visit.safety = (
        wellbeing,
        income,
        housing,
        safety,
    )
    visit.re_trafficking_risk = re_trafficking_risk
    visit.notes = notes
    visit.save()
    tasks.close_tasks(visit.case, Task.Kind.FOLLOW_UP_VISIT, source=tasks.source_of(visit))
    _log(
        "follow_up.visit",
        user=user,
        organisation=organisation,
        obj=visit,
        case=visit.case,
        on_time=int(bool(visit.on_time)),
    )
    return visit


@transaction.atomic
def hold_conference(
    *, user, organisation, case, held_on, reason, organisations, decisions
) -> CaseConference:
    if not decisions.strip():
        raise ActionRefused(_("Record what the conference decided."), field="decisions")
    conference = CaseConference.objects.create(
        case=case, held_on=held_on, reason=reason, decisions=decisions, recorded_by=user
    )
    conference.organisations.set(organisations)
    _log(
        "conference.hold",
        user=user,
        organisation=organisation,
        obj=conference,
        case=case,
        reason=reason,
    )
    return conference


# Closure ---------------------------------------------------------------------------------


@transaction.atomic
def request_closure(*, user, organisation, case, reason, notes="") -> Closure:
    if case.status == CaseStatus.CLOSED:
        raise ActionRefused(_("The case is already closed."))
    if case.closures.filter(approved_at__isnull=True, refused_reason="").exists():
        raise ActionRefused(_("A closure is already waiting for approval."))
    closure = Closure.objects.create(case=case, reason=reason, notes=notes, requested_by=user)
    days = rules.value("deadline.closure_approval_days", province=case.province)
    tasks.open_task(
        case,
        Task.Kind.CLOSURE_APPROVAL,
        case.owner,
        timezone.localdate() + datetime.timedelta(days=int(days)),
        source=tasks.source_of(closure),
        label=reason,
    )
    _log(
        "closure.request",
        user=user,
        organisation=organisation,
        obj=closure,
        case=case,
        reason=reason,
    )
    return closure


def _pending_closure(closure: Closure):
    if closure.approved_at is not None or closure.refused_reason:
        raise ActionRefused(_("This closure has already been decided."))


@transaction.atomic
def approve_closure(*, user, organisation, closure: Closure) -> Closure:
    _pending_closure(closure)
    case = closure.case
    if not policy.supervises(user, case):
        raise ActionRefused(_("Only a supervisor can approve a closure."))
    if closure.requested_by_id == user.pk:
        raise ActionRefused(_("A closure is approved by someone other than who requested it."))
    closure.approved_by = user
    closure.approved_at = timezone.now()
    closure.save(update_fields=["approved_by", "approved_at"])
    workflow.transition(
        case,
        CaseStatus.CLOSED,
        user=user,
        organisation=organisation,
        closure_approved=True,
        legal_basis=closure.reason,
    )
    # Nothing stays due on a closed case.
    case.tasks.filter(done_at__isnull=True).update(done_at=timezone.now())
    audit.record(
        "closure.approve",
        user=user,
        organisation=organisation,
        obj=closure,
        details={"case": case.reference, "reason": closure.reason},
    )
    return closure


@transaction.atomic
def refuse_closure(*, user, organisation, closure: Closure, reason: str) -> Closure:
    _pending_closure(closure)
    if not policy.supervises(user, closure.case):
        raise ActionRefused(_("Only a supervisor can refuse a closure."))
    if not reason.strip():
        raise ActionRefused(_("Say why the closure is refused."), field="reason")
    closure.refused_reason = reason
    closure.save(update_fields=["refused_reason"])
    tasks.close_tasks(closure.case, Task.Kind.CLOSURE_APPROVAL, source=tasks.source_of(closure))
    _log("closure.refuse", user=user, organisation=organisation, obj=closure, case=closure.case)
    return closure


@transaction.atomic
def reopen(*, user, organisation, case, reason: str):
    workflow.transition(
        case, CaseStatus.SUPPORT, user=user, organisation=organisation, reason=reason
    )
    closure = case.closures.filter(approved_at__isnull=False).first()
    if closure is not None:
        closure.reopened_at = timezone.now()
        closure.reopen_reason = reason
        closure.save(update_fields=["reopened_at", "reopen_reason"])
    audit.record(
        "case.reopen",
        user=user,
        organisation=organisation,
        obj=case,
        details={"reference": case.reference},
    )
    return case
