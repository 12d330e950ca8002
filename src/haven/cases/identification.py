"""Screening and identification decisions (Law 53/2024 Art. 32)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit import log as audit
from haven.cases import tasks
from haven.cases.actions import add_event
from haven.cases.models import (
    CaseStatus,
    DecisionEvidence,
    IdentificationDecision,
    IdentificationStatus,
    Screening,
    Task,
    TimelineEvent,
)
from haven.errors import ActionRefused
from haven.rules import lookup as rules


@transaction.atomic
def record_screening(
    *, user, organisation, case, acts, means, purposes, notes="", screened_at=None
) -> Screening:
    """Record the indicators found. It also counts as the initial verification of a
    self-report, and moves a newly received case into screening."""
    screening = Screening.objects.create(
        case=case,
        organisation=organisation,
        screened_by=user,
        screened_at=screened_at or timezone.now(),
        acts=",".join(acts),
        means=",".join(means),
        purposes=",".join(purposes),
        is_child=case.person.is_child,
        notes=notes,
    )
    tasks.close_tasks(case, Task.Kind.INITIAL_VERIFICATION)
    add_event(
        case,
        TimelineEvent.Kind.NOTE,
        user=user,
        organisation=organisation,
        screening=screening.pk,
        indicators_met=screening.indicators_met,
    )
    audit.record(
        "screening.create",
        user=user,
        organisation=organisation,
        obj=screening,
        details={"case": case.reference, "indicators_met": screening.indicators_met},
    )
    if case.status == CaseStatus.RECEIVED:
        from haven.cases.workflow import transition

        transition(case, CaseStatus.SCREENING, user=user, organisation=organisation)
    return screening


def may_decide(organisation, on) -> bool:
    return organisation.framework_role in rules.value("identification.authorised_roles", on=on)


@transaction.atomic
def decide_identification(
    *,
    user,
    organisation,
    case,
    status,
    decided_on,
    evidence,
    legal_basis,
    referred_to="",
    in_vietnam=True,
    notes="",
) -> IdentificationDecision:
    """Decide her status, citing evidence. `evidence` is a list of (kind, description)."""
    if decided_on > timezone.localdate():
        raise ActionRefused(_("The decision cannot be dated in the future."), field="decided_on")
    if decided_on < timezone.localtime(case.opened_at).date():
        raise ActionRefused(
            _("The decision cannot be dated before the reception."), field="decided_on"
        )
    if not may_decide(organisation, decided_on):
        raise ActionRefused(
            _(
                "Your organisation is not authorised to decide identification; "
                "refer the case to the police, border guards or social-affairs "
                "body."
            )
        )
    if not evidence:
        raise ActionRefused(
            _("Cite at least one item of evidence or sign (Art. 32)."), field="evidence"
        )
    if not legal_basis.strip():
        raise ActionRefused(_("Cite the article the decision rests on."), field="legal_basis")
    if status == IdentificationStatus.NOT_VICTIM and not referred_to.strip():
        raise ActionRefused(_("Say where she was referred instead."), field="referred_to")
    decision = IdentificationDecision.objects.create(
        case=case,
        status=status,
        decided_on=decided_on,
        organisation=organisation,
        decided_by=user,
        governing_law=IdentificationDecision.law_on(decided_on),
        legal_basis=legal_basis,
        referred_to=referred_to,
        in_vietnam=in_vietnam,
        notes=notes,
    )
    DecisionEvidence.objects.bulk_create(
        DecisionEvidence(decision=decision, kind=kind, description=description)
        for kind, description in evidence
    )
    previous = case.identification_status
    case.identification_status = status
    case.save(update_fields=["identification_status"])
    tasks.close_tasks(case, Task.Kind.IDENTIFICATION)
    tasks.close_tasks(case, Task.Kind.INITIAL_VERIFICATION)
    add_event(
        case,
        TimelineEvent.Kind.STATUS,
        user=user,
        organisation=organisation,
        identification=status,
        previous=previous,
        governing_law=decision.governing_law,
        legal_basis=legal_basis,
    )
    audit.record(
        "identification.decide",
        user=user,
        organisation=organisation,
        obj=decision,
        details={
            "case": case.reference,
            "status": status,
            "evidence": sorted(kind for kind, _ in evidence),
        },
    )
    return decision


def latest_decision(case) -> IdentificationDecision | None:
    return case.decisions.order_by("-decided_on", "-id").first()
