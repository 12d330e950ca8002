"""Every change to the referral network: one atomic function each, with its audit record
and, when it concerns a case, its timeline event and due work (Task) in the same
transaction. Views and the API call these.

Before a referral is accepted the receiving organisation sees only the referral's
`summary`, fixed when it is sent: her age group (never her age or date of birth), sex,
whether she is a child, her identification status, the province of the case, the services
asked for, the languages she speaks (as codes), whether she needs an interpreter, and any
special care (HIV, disability, mental health) the sender chose to disclose; plus the
sender's note. Never her name, identifiers, contacts, account or documents. Accepting opens
exactly the sections the referral names, through `access.actions.share_case` on the
referral's consent or legal basis; accepting a transfer moves ownership through
`cases.actions.transfer_case`.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.access import actions as access_actions
from haven.access import policy
from haven.access.models import ALL_SECTIONS
from haven.audit import log as audit
from haven.cases import tasks
from haven.cases.actions import add_event, transfer_case
from haven.cases.models import CaseStatus, Task, TimelineEvent
from haven.errors import ActionRefused
from haven.referrals import matching
from haven.referrals.models import (
    Activity,
    Assessment,
    Care,
    Participants,
    Provider,
    Referral,
    join_codes,
)
from haven.rules import lookup as rules
from haven.support.models import Service, SupportType

AGE_GROUPS = [
    (0, 11, "0–11"),
    (12, 15, "12–15"),
    (16, 17, "16–17"),
    (18, 24, "18–24"),
    (25, 34, "25–34"),
    (35, 200, "35+"),
]


def age_group(age: int | None) -> str:
    if age is None:
        return ""
    return next(label for low, high, label in AGE_GROUPS if low <= age <= high)


def decision_summary(case, services, care) -> dict:
    """What the receiving organisation sees before it accepts: only what it needs to decide
    whether it can take her."""
    person = case.person
    return {
        "age_group": age_group(person.age),
        "child": person.is_child,
        "sex": person.sex,
        "identification_status": case.identification_status,
        "province": case.province_id,
        "needs": sorted(services),
        "languages": sorted(matching.languages_in(person.languages)),
        "needs_interpreter": person.needs_interpreter,
        "care": sorted(care),
    }


def _timeline(referral, action, *, user, organisation, **data):
    add_event(
        referral.case,
        TimelineEvent.Kind.NOTE,
        user=user,
        organisation=organisation,
        action=action,
        referral=referral.pk,
        **data,
    )


def _audit(referral, action, *, user, organisation, **details):
    audit.record(
        action,
        user=user,
        organisation=organisation,
        obj=referral,
        details={
            "case": referral.case.reference,
            "to": referral.to_organisation_id,
            "from": referral.from_organisation_id,
            **details,
        },
    )


def response_due(case, sent_at: datetime.datetime) -> datetime.datetime:
    days = rules.value(
        "deadline.referral_response_days",
        on=timezone.localtime(sent_at).date(),
        province=case.province,
    )
    return sent_at + datetime.timedelta(days=int(days))


@transaction.atomic
def send_referral(
    *,
    user,
    organisation,
    case,
    to_organisation,
    services,
    basis,
    kind=Referral.Kind.REFERRAL,
    sections=(),
    consent=None,
    legal_basis: str = "",
    disclose_care=(),
    note: str = "",
    provider=None,
) -> Referral:
    """Refer her (or transfer her case) to `to_organisation`, on her consent or a basis in
    law. The receiver must answer by the rule's deadline."""
    services = set(services)
    sections = set(sections) if kind == Referral.Kind.REFERRAL else set(ALL_SECTIONS)
    if case.status == CaseStatus.CLOSED:
        raise ActionRefused(_("The case is closed."))
    if to_organisation.pk == case.owner_id:
        raise ActionRefused(_("This organisation already owns the case."), field="to_organisation")
    if not to_organisation.is_active:
        raise ActionRefused(_("This organisation is no longer active."), field="to_organisation")
    if not services or not services <= set(SupportType.values):
        raise ActionRefused(_("Choose the services you ask for."), field="services")
    if not sections or not sections <= ALL_SECTIONS:
        raise ActionRefused(
            _("Choose the sections to share when it is accepted."), field="sections"
        )
    if not set(disclose_care) <= set(Care.values):
        raise ActionRefused(_("Unknown kind of care."), field="disclose_care")
    access_actions.check_basis(
        user_is_supervisor=policy.supervises(user, case),
        case=case,
        organisation=to_organisation,
        basis=basis,
        consent=consent,
        legal_basis=legal_basis,
    )
    if case.referrals.filter(
        to_organisation=to_organisation, status=Referral.Status.PENDING
    ).exists():
        raise ActionRefused(
            _("A referral to this organisation is already waiting for an answer."),
            field="to_organisation",
        )
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        kind=kind,
        from_organisation=organisation,
        to_organisation=to_organisation,
        provider=provider or Provider.objects.filter(organisation=to_organisation).first(),
        services=join_codes(services),
        sections=join_codes(sections),
        basis=basis,
        consent=consent if basis == "consent" else None,
        legal_basis=legal_basis,
        summary=decision_summary(case, services, disclose_care),
        note=note,
        created_by=user,
        created_at=now,
        due_at=response_due(case, now),
    )
    source = tasks.source_of(referral)
    tasks.open_task(
        case,
        Task.Kind.REFERRAL_RESPONSE,
        to_organisation,
        referral.due_at,
        source=source,
        label=str(organisation)[:200],
    )
    # She is referred again: earlier declined or overdue referrals have been acted on.
    tasks.close_tasks(case, Task.Kind.REFERRAL_RETURNED)
    _timeline(
        referral,
        "referral.send",
        user=user,
        organisation=organisation,
        referral_kind=kind,
        to_organisation=to_organisation.pk,
    )
    _audit(
        referral,
        "referral.send",
        user=user,
        organisation=organisation,
        kind=kind,
        services=sorted(services),
        sections=sorted(sections),
        basis=basis,
    )
    return referral


def _locked_pending(referral) -> Referral:
    referral = (
        Referral.objects.select_for_update()
        .select_related("case", "from_organisation", "to_organisation")
        .get(pk=referral.pk)
    )
    if referral.status != Referral.Status.PENDING:
        raise ActionRefused(_("This referral has already been answered or withdrawn."))
    return referral


@transaction.atomic
def accept_referral(*, user, organisation, referral) -> Referral:
    """The receiver accepts: the named sections open to it on the referral's basis (or the
    case becomes its own, for a transfer)."""
    referral = _locked_pending(referral)
    case = referral.case
    if referral.kind == Referral.Kind.TRANSFER:
        access_actions.check_basis(
            user_is_supervisor=policy.supervises(referral.created_by, case),
            case=case,
            organisation=referral.to_organisation,
            basis=referral.basis,
            consent=referral.consent,
            legal_basis=referral.legal_basis,
        )
        transfer_case(
            user=user,
            organisation=organisation,
            case=case,
            to_organisation=referral.to_organisation,
            reason=f"referral {referral.pk}",
        )
    else:
        # The sender decided what to share and on what basis; acceptance carries it out.
        referral.share = access_actions.share_case(
            user=referral.created_by,
            organisation=referral.from_organisation,
            case=case,
            recipient=referral.to_organisation,
            sections=referral.section_codes,
            basis=referral.basis,
            consent=referral.consent,
            legal_basis=referral.legal_basis,
            user_is_supervisor=policy.supervises(referral.created_by, case),
        )
    case.services.filter(
        status=Service.Status.PLANNED,
        provider__isnull=True,
        support_type__in=referral.service_codes,
    ).update(provider=referral.to_organisation)
    referral.status = Referral.Status.ACCEPTED
    referral.decided_by = user
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "decided_by", "decided_at", "share"])
    source = tasks.source_of(referral)
    tasks.close_tasks(case, Task.Kind.REFERRAL_RESPONSE, source=source)
    tasks.close_tasks(case, Task.Kind.REFERRAL_RETURNED, source=source)
    _timeline(referral, "referral.accept", user=user, organisation=organisation)
    _audit(
        referral, "referral.accept", user=user, organisation=organisation, share=referral.share_id
    )
    return referral


@transaction.atomic
def decline_referral(*, user, organisation, referral, reason: str, detail: str = "") -> Referral:
    """The receiver declines, saying why; the referral comes back to the sender's inbox."""
    if reason not in Referral.DeclineReason.values:
        raise ActionRefused(_("Say why you decline."), field="reason")
    if reason == Referral.DeclineReason.OTHER and not detail.strip():
        raise ActionRefused(_("Say more about why you decline."), field="detail")
    referral = _locked_pending(referral)
    now = timezone.now()
    referral.status = Referral.Status.DECLINED
    referral.decided_by = user
    referral.decided_at = now
    referral.decline_reason = reason
    referral.decline_detail = detail
    referral.save(
        update_fields=["status", "decided_by", "decided_at", "decline_reason", "decline_detail"]
    )
    source = tasks.source_of(referral)
    tasks.close_tasks(referral.case, Task.Kind.REFERRAL_RESPONSE, source=source)
    tasks.close_tasks(referral.case, Task.Kind.REFERRAL_RETURNED, source=source)
    tasks.open_task(
        referral.case,
        Task.Kind.REFERRAL_RETURNED,
        referral.from_organisation,
        now,
        source=source,
        label=str(referral.get_decline_reason_display())[:200],
    )
    _timeline(referral, "referral.decline", user=user, organisation=organisation, reason=reason)
    _audit(referral, "referral.decline", user=user, organisation=organisation, reason=reason)
    return referral


@transaction.atomic
def withdraw_referral(*, user, organisation, referral) -> Referral:
    referral = _locked_pending(referral)
    referral.status = Referral.Status.WITHDRAWN
    referral.save(update_fields=["status"])
    source = tasks.source_of(referral)
    tasks.close_tasks(referral.case, Task.Kind.REFERRAL_RESPONSE, source=source)
    tasks.close_tasks(referral.case, Task.Kind.REFERRAL_RETURNED, source=source)
    _timeline(referral, "referral.withdraw", user=user, organisation=organisation)
    _audit(referral, "referral.withdraw", user=user, organisation=organisation)
    return referral


@transaction.atomic
def record_feedback(*, user, organisation, referral, outcome: str, feedback: str = "") -> Referral:
    """The receiver reports back to the sender on the service delivered."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if referral.status not in (Referral.Status.ACCEPTED, Referral.Status.COMPLETED):
        raise ActionRefused(_("Report on a referral once it is accepted."))
    if outcome not in Referral.Outcome.values:
        raise ActionRefused(_("Choose what happened."), field="outcome")
    referral.status = Referral.Status.COMPLETED
    referral.outcome = outcome
    referral.feedback = feedback
    referral.feedback_by = user
    referral.feedback_at = timezone.now()
    referral.save(update_fields=["status", "outcome", "feedback", "feedback_by", "feedback_at"])
    _timeline(referral, "referral.feedback", user=user, organisation=organisation, outcome=outcome)
    _audit(referral, "referral.feedback", user=user, organisation=organisation, outcome=outcome)
    return referral


@transaction.atomic
def return_overdue_referrals(now=None) -> int:
    """Referrals not answered by their due time come back to the sender's inbox, once.

    The receiver may still answer; the sender may withdraw and refer elsewhere. Run daily
    (`haven return_overdue_referrals`, before `haven send_reminders`)."""
    now = now or timezone.now()
    overdue = list(
        Referral.objects.select_for_update()
        .filter(status=Referral.Status.PENDING, due_at__lt=now, returned_at__isnull=True)
        .select_related("case", "from_organisation")
    )
    for referral in overdue:
        referral.returned_at = now
        referral.save(update_fields=["returned_at"])
        tasks.open_task(
            referral.case,
            Task.Kind.REFERRAL_RETURNED,
            referral.from_organisation,
            now,
            source=tasks.source_of(referral),
            label=_("no answer in time"),
        )
        _timeline(referral, "referral.overdue", user=None, organisation=None)
        _audit(referral, "referral.overdue", user=None, organisation=None)
    return len(overdue)


# --- The directory ---------------------------------------------------------------------


@transaction.atomic
def save_provider(
    *, user, provider: Provider, provinces=None, communes=None, fundings=None, removed_fundings=()
) -> Provider:
    """Create or update an entry; saving confirms it is current (`updated_at`)."""
    created = provider.pk is None
    provider.updated_at = timezone.now()
    provider.updated_by = user
    provider.save()
    if provinces is not None:
        provider.provinces.set(provinces)
    if communes is not None:
        provider.communes.set(communes)
    for funding in removed_fundings:
        funding.delete()
    for funding in fundings or ():
        funding.provider = provider
        funding.save()
    audit.record(
        "provider.create" if created else "provider.update",
        user=user,
        organisation=provider.maintained_by,
        obj=provider,
        details={"places": provider.places, "occupancy": provider.occupancy},
    )
    return provider


@transaction.atomic
def record_assessment(*, user, organisation, provider: Provider, **fields) -> Assessment:
    own = organisation.pk in {provider.maintained_by_id, provider.organisation_id}
    assessment = Assessment.objects.create(
        provider=provider,
        assessor_organisation=organisation,
        recorded_by=user,
        kind=Assessment.Kind.SELF if own else Assessment.Kind.EXTERNAL,
        **fields,
    )
    audit.record(
        "provider.assess",
        user=user,
        organisation=organisation,
        obj=assessment,
        details={"provider": provider.pk, "overall": assessment.overall},
    )
    return assessment


@transaction.atomic
def record_activity(
    *, user, organisation, fields: dict, for_organisations=(), participants=()
) -> Activity:
    """A training or awareness activity; `participants` are (role, women, men, other)."""
    activity = Activity.objects.create(organiser=organisation, recorded_by=user, **fields)
    activity.for_organisations.set(for_organisations)
    seen = set()
    for role, women, men, other in participants:
        if role in seen:
            raise ActionRefused(_("Each role once, please."), field="participants")
        seen.add(role)
        if women or men or other:
            Participants.objects.create(
                activity=activity, role=role, women=women or 0, men=men or 0, other=other or 0
            )
    audit.record(
        "activity.create",
        user=user,
        organisation=organisation,
        obj=activity,
        details={"kind": activity.kind},
    )
    return activity
