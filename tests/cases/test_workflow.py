"""Walk the transition table: every allowed move works when its guard is met, every other
move is refused with a message and changes nothing."""

import datetime

import pytest

from haven.audit.models import AuditEvent
from haven.cases import workflow
from haven.cases.models import Case, CaseStatus
from tests.factories import make_case

pytestmark = pytest.mark.django_db
GUARD_CONTEXT = {
    "reintegrated_on": datetime.date(2026, 1, 1),
    "closure_approved": True,
    "reason": "She asked for help again",
}


def at(personas, status, identification="victim"):
    case = make_case(personas.border_guard, personas.border_post_laocai)
    Case.objects.filter(pk=case.pk).update(status=status, identification_status=identification)
    return Case.objects.get(pk=case.pk)


ALLOWED = [(s, n) for s, nexts in workflow.CASE_TRANSITIONS.items() for n in nexts]
REFUSED = [
    (s, n)
    for s in CaseStatus.values
    for n in CaseStatus.values
    if n != s and n not in workflow.CASE_TRANSITIONS.get(s, {})
]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transitions_with_their_guard_met(personas, current, target):
    case = at(personas, current)
    moved = workflow.transition(
        case,
        target,
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        **GUARD_CONTEXT,
    )
    assert moved.status == target
    assert case.timeline.filter(kind="status", data__status=target).exists()
    assert AuditEvent.objects.filter(action="case.transition", details__to=target).exists()


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_guards_refuse_without_their_condition(personas, current, target):
    case = at(personas, current, identification="undecided")
    guard = workflow.CASE_TRANSITIONS[current][target]
    if guard is workflow._always:
        pytest.skip("this move has no condition")
    with pytest.raises(workflow.InvalidTransition):
        workflow.transition(
            case, target, user=personas.border_guard, organisation=personas.border_post_laocai
        )
    case.refresh_from_db()
    assert case.status == current


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_moves_not_in_the_table_are_refused_and_change_nothing(personas, current, target):
    case = at(personas, current)
    events = case.timeline.count()
    with pytest.raises(workflow.InvalidTransition, match="cannot go from"):
        workflow.transition(
            case,
            target,
            user=personas.border_guard,
            organisation=personas.border_post_laocai,
            **GUARD_CONTEXT,
        )
    case.refresh_from_db()
    assert case.status == current
    assert case.timeline.count() == events
