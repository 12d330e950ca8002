"""The case state machine: allowed transitions and their guards, in one table.

`CASE_TRANSITIONS[current][next]` is a guard: it returns None when the move is allowed, or
a translated sentence saying why not. `transition()` is the only code that changes
`Case.status`; it appends a timeline event and an audit record, or changes nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit import log as audit
from haven.cases.models import Case, CaseStatus, IdentificationStatus, TimelineEvent
from haven.errors import ActionRefused

S = CaseStatus
SUPPORTED_STATUSES = {
    IdentificationStatus.VICTIM,
    IdentificationStatus.BEING_IDENTIFIED,
    IdentificationStatus.ACCOMPANYING_CHILD,
}


class InvalidTransition(ActionRefused):
    pass


def _always(case, **context):
    return None


def _identified_for_support(case, **context):
    if case.identification_status not in SUPPORTED_STATUSES:
        return _(
            "Support starts once she is identified as a victim, as a person being "
            "identified, or as an accompanying child."
        )
    return None


def _reintegrated(case, **context):
    if not context.get("reintegrated_on"):
        return _("Give the date she was reintegrated.")
    return None


def _closure_approved(case, **context):
    if not context.get("closure_approved"):
        return _("A case is closed only when a supervisor approves the closure.")
    return None


def _reopen_reason(case, **context):
    if not (context.get("reason") or "").strip():
        return _("Say why the case is reopened.")
    return None


CASE_TRANSITIONS = {
    S.RECEIVED: {
        S.SCREENING: _always,
        S.SUPPORT: _identified_for_support,
        S.CLOSED: _closure_approved,
    },
    S.SCREENING: {S.SUPPORT: _identified_for_support, S.CLOSED: _closure_approved},
    S.SUPPORT: {S.FOLLOW_UP: _reintegrated, S.CLOSED: _closure_approved},
    S.FOLLOW_UP: {S.SUPPORT: _always, S.CLOSED: _closure_approved},
    S.CLOSED: {S.SUPPORT: _reopen_reason},
}


def allowed_next(case) -> list[str]:
    return list(CASE_TRANSITIONS.get(case.status, {}))


@transaction.atomic
def transition(
    given: Case, to: str, *, user, organisation, legal_basis: str = "", **context
) -> Case:
    """Move the case to status `to`, or raise InvalidTransition and change nothing.

    The row is locked and re-read; the caller's instance is updated too, so a later save()
    of it cannot write the old status back.
    """
    case = Case.objects.select_for_update().get(pk=given.pk)
    guards = CASE_TRANSITIONS.get(case.status, {})
    if to not in guards:
        raise InvalidTransition(
            _("A case cannot go from “%(current)s” to “%(next)s”.")
            % {"current": CaseStatus(case.status).label, "next": CaseStatus(to).label}
        )
    refusal = guards[to](case, **context)
    if refusal:
        raise InvalidTransition(refusal)
    previous = case.status
    case.status = to
    if to == S.CLOSED:
        case.closed_at = timezone.now()
    elif previous == S.CLOSED:
        case.closed_at = None
    if to == S.FOLLOW_UP:
        case.reintegrated_on = context["reintegrated_on"]
    case.save(update_fields=["status", "closed_at", "reintegrated_on"])
    given.status, given.closed_at = case.status, case.closed_at
    given.reintegrated_on = case.reintegrated_on
    from haven.cases.actions import add_event  # actions imports this module's callers

    add_event(
        case,
        TimelineEvent.Kind.STATUS,
        user=user,
        organisation=organisation,
        previous=previous,
        status=to,
        legal_basis=legal_basis,
    )
    audit.record(
        "case.transition",
        user=user,
        organisation=organisation,
        obj=case,
        details={"reference": case.reference, "from": previous, "to": to},
    )
    return case
