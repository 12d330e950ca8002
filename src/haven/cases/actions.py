"""Every change of state to a case: one function each, atomic, with timeline and audit.

Views and the API parse input and check access, then call these.
"""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from haven.access import actions as access_actions
from haven.audit import log as audit
from haven.cases import documents, references
from haven.cases.models import (
    AccompanyingChild,
    Case,
    Document,
    EntryRoute,
    Handover,
    Reception,
    Task,
    TimelineEvent,
)
from haven.errors import ActionRefused
from haven.people.models import ADULT_AGE, IdentityDocument, Person, age_on


@dataclasses.dataclass
class NewDocument:
    kind: str
    uploaded: object  # a Django UploadedFile, already validated
    content_type: str


@dataclasses.dataclass
class NewHandover:
    to_organisation: object
    handed_over_at: datetime.datetime
    record_number: str = ""
    notes: str = ""


def add_event(case, kind, *, user=None, organisation=None, at=None, **data) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case,
        kind=kind,
        actor=user if getattr(user, "is_authenticated", False) else None,
        organisation=organisation,
        at=at or timezone.now(),
        data=data,
    )


def _case_province(reception_fields: dict):
    """Cases are filed under the province in force, even if a former one was given."""
    return reception_fields["province"].current_unit()


@transaction.atomic
def receive_person(
    *,
    user,
    organisation,
    person_fields: dict,
    reception_fields: dict,
    identity_document: dict | None = None,
    children: list[dict] = (),
    new_documents: list[NewDocument] = (),
    handover: NewHandover | None = None,
    existing_person: Person | None = None,
    ip_address: str = "",
) -> Case:
    """Record a reception: the person (new or known), a new case, her children, documents.

    `reception_fields` holds Reception field values (entry_route, received_at, province…).
    A known person with a new case is linked to her latest earlier case (re-trafficking).
    """
    received_at = reception_fields["received_at"]
    if existing_person is None:
        person = Person.objects.create(**person_fields)
        if identity_document and identity_document.get("number"):
            IdentityDocument.objects.create(person=person, **identity_document)
    else:
        person = existing_person
    province = _case_province(reception_fields)
    case = Case.objects.create(
        reference=references.next_reference(province.code, received_at.year),
        person=person,
        owner=organisation,
        province=province,
        opened_at=received_at,
        previous_case=person.cases.order_by("-opened_at").first(),
    )
    age = age_on(person.date_of_birth, person.birth_year, received_at.date())
    reception = Reception.objects.create(
        case=case,
        received_by=organisation,
        recorded_by=user,
        age_at_reception=age,
        is_child=age is not None and age < ADULT_AGE,
        **reception_fields,
    )
    add_event(
        case,
        TimelineEvent.Kind.OPENED,
        user=user,
        organisation=organisation,
        at=received_at,
        reference=case.reference,
    )
    add_event(
        case,
        TimelineEvent.Kind.RECEIVED,
        user=user,
        organisation=organisation,
        at=received_at,
        entry_route=reception.entry_route,
        reception=reception.pk,
    )
    for child_fields in children:
        relationship = child_fields.pop("relationship", "")
        child = Person.objects.create(**child_fields)
        AccompanyingChild.objects.create(
            reception=reception, child=child, relationship=relationship
        )
    for new_document in new_documents:
        add_document(
            case=case,
            reception=reception,
            user=user,
            organisation=organisation,
            new_document=new_document,
            log=False,
        )
    if handover is not None:
        record_handover(
            case=case, user=user, from_organisation=organisation, handover=handover, log=False
        )
    _open_reception_work(case, reception, organisation)
    audit.record(
        "reception.create",
        user=user,
        organisation=organisation,
        obj=case,
        ip_address=ip_address,
        details={
            "reference": case.reference,
            "entry_route": reception.entry_route,
            "person_id": person.pk,
            "known_person": existing_person is not None,
        },
    )
    return case


def _open_reception_work(case, reception, organisation) -> None:
    """The due work a reception starts: verification of a self-report within the legal
    limit (Art. 27), the steps of a return from abroad (Art. 30)."""
    from haven.cases import returns, tasks
    from haven.rules import lookup as rules

    received_on = timezone.localtime(reception.received_at).date()
    if reception.entry_route == EntryRoute.SELF_REPORT:
        days = rules.value(
            "deadline.self_report_verification_days", on=received_on, province=case.province
        )
        tasks.open_task(
            case,
            Task.Kind.INITIAL_VERIFICATION,
            organisation,
            reception.received_at + datetime.timedelta(days=int(days)),
        )
    elif reception.entry_route == EntryRoute.RETURN_FROM_ABROAD:
        returns.plan_return(
            case=case, organisation=organisation, started=received_on, is_child=reception.is_child
        )
    else:
        days = rules.value("deadline.identification_days", on=received_on, province=case.province)
        tasks.open_task(
            case,
            Task.Kind.IDENTIFICATION,
            organisation,
            received_on + datetime.timedelta(days=int(days)),
        )


@transaction.atomic
def add_document(
    *, case, user, organisation, new_document: NewDocument, reception=None, log: bool = True
) -> Document:
    stored = documents.store(new_document.uploaded)
    document = Document.objects.create(
        case=case,
        reception=reception,
        kind=new_document.kind,
        content_type=new_document.content_type,
        uploaded_by=user,
        **stored,
    )
    add_event(
        case,
        TimelineEvent.Kind.DOCUMENT,
        user=user,
        organisation=organisation,
        document=document.pk,
        document_kind=document.kind,
    )
    if log:
        audit.record(
            "document.create",
            user=user,
            organisation=organisation,
            obj=document,
            details={"case": case.reference},
        )
    return document


@transaction.atomic
def record_handover(
    *, case, user, from_organisation, handover: NewHandover, log: bool = True
) -> Handover:
    row = Handover.objects.create(
        case=case,
        from_organisation=from_organisation,
        to_organisation=handover.to_organisation,
        handed_over_at=handover.handed_over_at,
        record_number=handover.record_number,
        notes=handover.notes,
        recorded_by=user,
    )
    if handover.to_organisation.pk != case.owner_id:
        access_actions.share_for_handover(user=user, case=case, recipient=handover.to_organisation)
    add_event(
        case,
        TimelineEvent.Kind.HANDOVER,
        user=user,
        organisation=from_organisation,
        at=handover.handed_over_at,
        to_organisation=handover.to_organisation.pk,
        record_number=handover.record_number,
    )
    if log:
        audit.record(
            "handover.create",
            user=user,
            organisation=from_organisation,
            obj=row,
            details={"case": case.reference, "to": handover.to_organisation.pk},
        )
    return row


TRANSFER_SENDER_SECTIONS = ("identity", "account")
# Stored in English, translated when shown (see access.actions.HANDOVER_LEGAL_BASIS).
TRANSFER_LEGAL_BASIS = gettext_noop("coordination framework Art. 8 (transfer)")


@transaction.atomic
def transfer_case(*, user, organisation, case, to_organisation, reason: str = "") -> Case:
    """Move ownership of the case. The sender keeps a read-only view of identity and account,
    so the border post or police unit can still answer for what it recorded."""
    from haven.access.models import Share

    if to_organisation.pk == case.owner_id:
        raise ActionRefused(_("The case is already owned by this organisation."))
    previous = case.owner
    Case.objects.filter(pk=case.pk).update(owner=to_organisation)
    case.owner = to_organisation
    case.shares.filter(organisation=to_organisation, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_reason=gettext_noop("became the owner")
    )
    Share.objects.create(
        case=case,
        organisation=previous,
        sections=",".join(TRANSFER_SENDER_SECTIONS),
        basis=Share.Basis.LAW,
        legal_basis=TRANSFER_LEGAL_BASIS,
        created_by=user,
    )
    add_event(
        case,
        TimelineEvent.Kind.HANDOVER,
        user=user,
        organisation=organisation,
        transfer_from=previous.pk,
        transfer_to=to_organisation.pk,
    )
    audit.record(
        "case.transfer",
        user=user,
        organisation=organisation,
        obj=case,
        details={
            "reference": case.reference,
            "from": previous.pk,
            "to": to_organisation.pk,
            "reason": reason[:200],
        },
    )
    return case
