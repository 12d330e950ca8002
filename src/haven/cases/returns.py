"""Planning and recording the steps of a return from abroad (Law 53/2024 Art. 30)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit import log as audit
from haven.cases import tasks
from haven.cases.actions import add_event
from haven.cases.models import ReturnStep, Task, TimelineEvent
from haven.errors import ActionRefused
from haven.rules import lookup as rules

ADULT_STEPS = [
    ReturnStep.Kind.VERIFY_IDENTITY,
    ReturnStep.Kind.COORDINATE_FOREIGN_AGENCY,
    ReturnStep.Kind.ARRANGE_PAPERS,
    ReturnStep.Kind.ARRANGE_TRAVEL,
    ReturnStep.Kind.RECEIVE_AT_BORDER,
    ReturnStep.Kind.HAND_OVER_TO_SOCIAL_AFFAIRS,
]


def plan_return(*, case, organisation, started: datetime.date, is_child: bool) -> list:
    """The standard steps with due dates from the rules; the mission owns its own steps,
    the rest wait for an organisation to be named and sit in the owner's inbox meanwhile."""
    offsets = rules.value("deadline.return_step_days", on=started, province=case.province)
    kinds = ADULT_STEPS + ([ReturnStep.Kind.ESCORT_OR_NOTIFY_RELATIVES] if is_child else [])
    steps = []
    for kind in kinds:
        mine = ReturnStep.RESPONSIBLE_ROLE[kind] == organisation.framework_role
        step = ReturnStep.objects.create(
            case=case,
            kind=kind,
            organisation=organisation if mine else None,
            due_on=started + datetime.timedelta(days=int(offsets[kind])),
        )
        tasks.open_task(
            case,
            Task.Kind.RETURN_STEP,
            organisation,
            step.due_on,
            source=tasks.source_of(step),
            label=kind,
        )
        steps.append(step)
    return steps


@transaction.atomic
def assign_step(*, user, organisation, step: ReturnStep, to_organisation) -> ReturnStep:
    expected = ReturnStep.RESPONSIBLE_ROLE[step.kind]
    if to_organisation.framework_role != expected:
        raise ActionRefused(
            _("This step belongs to an organisation with the framework role “%(role)s”.")
            % {"role": to_organisation.get_framework_role_display()}
        )
    step.organisation = to_organisation
    step.save(update_fields=["organisation"])
    tasks.close_tasks(step.case, Task.Kind.RETURN_STEP, source=tasks.source_of(step))
    tasks.open_task(
        step.case,
        Task.Kind.RETURN_STEP,
        to_organisation,
        step.due_on,
        source=tasks.source_of(step),
        label=step.kind,
    )
    audit.record(
        "return_step.assign",
        user=user,
        organisation=organisation,
        obj=step,
        details={"case": step.case.reference, "to": to_organisation.pk},
    )
    return step


@transaction.atomic
def complete_step(
    *,
    user,
    organisation,
    step: ReturnStep,
    status=ReturnStep.Status.DONE,
    cost=None,
    paid_by=None,
    notes="",
) -> ReturnStep:
    if step.status != ReturnStep.Status.PENDING:
        raise ActionRefused(_("This step is already recorded."))
    step.status = status
    step.done_at = timezone.now()
    step.done_by = user
    step.cost = cost
    step.paid_by = paid_by
    step.notes = notes
    step.save()
    tasks.close_tasks(step.case, Task.Kind.RETURN_STEP, source=tasks.source_of(step))
    add_event(
        step.case,
        TimelineEvent.Kind.NOTE,
        user=user,
        organisation=organisation,
        return_step=step.kind,
        step_status=status,
    )
    audit.record(
        "return_step.complete",
        user=user,
        organisation=organisation,
        obj=step,
        details={"case": step.case.reference, "status": status},
    )
    return step


@transaction.atomic
def record_wish(*, user, organisation, case, wish: str):
    """Her own wish decides where she goes after return (Art. 30)."""
    case.return_wish = wish
    case.save(update_fields=["return_wish"])
    add_event(case, TimelineEvent.Kind.NOTE, user=user, organisation=organisation, return_wish=wish)
    audit.record(
        "case.return_wish",
        user=user,
        organisation=organisation,
        obj=case,
        details={"reference": case.reference, "wish": wish},
    )
    return case
