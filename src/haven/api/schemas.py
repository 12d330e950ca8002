"""What the API returns, section by section as the case page shows it.

A section the caller does not see is `null` (never an empty string that could be taken for
"nothing recorded"). Builders take the `CaseAccess` from the access policy and nothing else.
"""

import datetime
from typing import Literal

from ninja import Field, Schema

from haven.access.models import DOCUMENT_SECTIONS, Section


class Named(Schema):
    code: str
    name: str


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class CaseSummary(Schema):
    reference: str
    status: str
    status_label: str
    identification_status: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    province: Named
    owner: Named
    is_child: bool
    person_name: str | None = Field(
        description="Null when the caller's organisation does not see the identity section."
    )


class CaseList(Page):
    results: list[CaseSummary]


class CaseAccessOut(Schema):
    sections: list[str]
    can_write: bool
    can_share: bool


class IdentityDocumentOut(Schema):
    kind: str
    number: str
    issuing_country: str | None


class PersonOut(Schema):
    full_name: str
    other_names: str
    sex: str
    date_of_birth: datetime.date | None
    birth_year: int | None
    birth_year_estimated: bool
    is_child: bool
    ethnicity: Named | None
    nationality: Named | None
    languages: str
    needs_interpreter: bool
    home_province: Named | None
    home_commune: Named | None
    home_address: str
    phone: str
    identity_documents: list[IdentityDocumentOut]


class PersonWithCases(PersonOut):
    other_cases: list[str] = Field(
        description="References of her other cases that the caller may open."
    )


class DocumentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


class CaseDetail(CaseSummary):
    access: CaseAccessOut
    person: PersonOut | None
    documents: list[DocumentOut]


class AccountOut(Schema):
    destination_country: Named | None
    exploitation_forms: list[str]
    recruitment: str
    exploitation_from: datetime.date | None
    exploitation_to: datetime.date | None
    account: str


class NeedsOut(Schema):
    medical: bool
    shelter: bool
    food: bool
    clothing: bool
    safety: bool


class ChildOut(Schema):
    full_name: str
    sex: str
    date_of_birth: datetime.date | None
    birth_year: int | None
    relationship: str


class ReceptionOut(Schema):
    id: int
    entry_route: str
    received_by: Named
    received_at: datetime.datetime
    province: Named
    commune: Named | None
    place_detail: str
    age_at_reception: int | None
    is_child: bool
    border_kind: str
    handed_over_by: str
    foreign_authority: str
    handover_record_number: str
    persons_on_list: int | None
    police_operation: str
    rescued: bool
    return_country: Named | None
    travel_document_status: str
    reported_at: str
    foreign_agency_contact: str | None = Field(description="Identity section.")
    situation: AccountOut | None = Field(description="Trafficking account section.")
    needs: NeedsOut | None = Field(description="Support section.")
    needs_notes: str | None = Field(description="Health section.")
    children: list[ChildOut] | None = Field(description="Identity section.")


class ReceptionCreated(Schema):
    reference: str
    url: str


class ConsentOut(Schema):
    id: int
    purpose: str
    decision: str
    recipient_organisation: Named | None
    recipient_kind: str
    given_by: str
    informed_in_language: str
    interpreter_used: bool
    decided_at: datetime.datetime
    withdrawn_at: datetime.datetime | None


class ShareOut(Schema):
    id: int
    organisation: Named
    sections: list[str]
    basis: str
    consent_id: int | None
    legal_basis: str
    created_at: datetime.datetime
    ended_at: datetime.datetime | None
    ended_reason: str


class ConsentWithdrawn(Schema):
    consent: ConsentOut
    shares_ended: list[int]


# Inputs ------------------------------------------------------------------------------------


class ChildIn(Schema):
    full_name: str
    sex: Literal["F", "M", "X", "U"]
    date_of_birth: datetime.date | None = None
    approximate_age: int | None = None
    relationship: str = ""


class ReceptionIn(Schema):
    """A reception, validated by the same rules as the reception page. Places are given by
    code (province "15", commune "02788"), countries by ISO 3166 code ("KH"), organisations
    by short code. Route fields of another route are ignored."""

    entry_route: Literal["border_handover", "police", "return_from_abroad", "self_report"]
    organisation: str | None = Field(
        None, description="Receiving organisation's code; default: the caller's only one."
    )
    received_at: datetime.datetime
    province: str
    commune: str | None = None
    place_detail: str = ""
    full_name: str
    other_names: str = ""
    sex: Literal["F", "M", "X", "U"]
    date_of_birth: datetime.date | None = None
    approximate_age: int | None = None
    ethnicity: str | None = None
    languages: str = ""
    needs_interpreter: bool = False
    nationality: str | None = None
    document_kind: str | None = None
    document_number: str = ""
    phone: str = ""
    home_province: str | None = None
    home_commune: str | None = None
    home_address: str = ""
    border_kind: str | None = None
    handed_over_by: str | None = None
    foreign_authority: str = ""
    handover_record_number: str = ""
    persons_on_list: int | None = None
    police_operation: str = ""
    rescued: bool = False
    return_country: str | None = None
    foreign_agency_contact: str = ""
    travel_document_status: str | None = None
    reported_at: str | None = None
    destination_country: str | None = None
    exploitation_forms: list[str] = []
    recruitment: str | None = None
    exploitation_from: datetime.date | None = None
    exploitation_to: datetime.date | None = None
    account: str = ""
    need_medical: bool = False
    need_shelter: bool = False
    need_food: bool = False
    need_clothing: bool = False
    need_safety: bool = False
    needs_notes: str = ""
    handover_to: str | None = Field(None, description="Organisation code.")
    handover_at: datetime.datetime | None = None
    handover_record: str = ""
    children: list[ChildIn] = []


class ConsentIn(Schema):
    purpose: Literal["support", "share", "follow_up", "legal"]
    decision: Literal["given", "refused"]
    recipient_organisation: str | None = Field(None, description="Organisation code.")
    recipient_kind: str = ""
    given_by: Literal["person", "representative"] = "person"
    representative_name: str = ""
    informed_in_language: str
    interpreter_used: bool = False


class ShareIn(Schema):
    recipient: str = Field(description="Organisation code.")
    sections: list[Literal["identity", "account", "health", "safety", "support", "legal"]]
    basis: Literal["consent", "best_interests", "court_order", "law"]
    consent: int | None = Field(None, description="Id of the consent to share it rests on.")
    legal_basis: str = ""


class EndShareIn(Schema):
    reason: str = ""


# Builders ----------------------------------------------------------------------------------


def named(obj) -> dict | None:
    if obj is None:
        return None
    return {"code": obj.code, "name": obj.name}


def case_summary(case, *, identity: bool) -> dict:
    return {
        "reference": case.reference,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "identification_status": case.identification_status,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "province": named(case.province),
        "owner": named(case.owner),
        "is_child": case.person.is_child,
        "person_name": case.person.full_name if identity else None,
    }


def person(p, documents) -> dict:
    return {
        "full_name": p.full_name,
        "other_names": p.other_names,
        "sex": p.sex,
        "date_of_birth": p.date_of_birth,
        "birth_year": p.birth_year,
        "birth_year_estimated": p.birth_year_estimated,
        "is_child": p.is_child,
        "ethnicity": named(p.ethnicity),
        "nationality": named(p.nationality),
        "languages": p.languages,
        "needs_interpreter": p.needs_interpreter,
        "home_province": named(p.home_province),
        "home_commune": named(p.home_commune),
        "home_address": p.home_address,
        "phone": p.phone,
        "identity_documents": [
            {
                "kind": d.kind,
                "number": d.number,
                "issuing_country": d.issuing_country.code if d.issuing_country else None,
            }
            for d in documents
        ],
    }


def case_detail(case, access) -> dict:
    data = case_summary(case, identity=access.sees(Section.IDENTITY))
    data["access"] = {
        "sections": sorted(access.sections),
        "can_write": access.can_write,
        "can_share": access.can_share,
    }
    data["person"] = None
    if access.sees(Section.IDENTITY):
        documents = case.person.documents.select_related("issuing_country")
        data["person"] = person(case.person, documents)
    data["documents"] = [
        {
            "id": d.pk,
            "kind": d.kind,
            "content_type": d.content_type,
            "size": d.size,
            "uploaded_at": d.uploaded_at,
        }
        for d in case.documents.all()
        if access.sees(DOCUMENT_SECTIONS[d.kind])
    ]
    return data


def reception(r, access) -> dict:
    identity = access.sees(Section.IDENTITY)
    return {
        "id": r.pk,
        "entry_route": r.entry_route,
        "received_by": named(r.received_by),
        "received_at": r.received_at,
        "province": named(r.province),
        "commune": named(r.commune),
        "place_detail": r.place_detail,
        "age_at_reception": r.age_at_reception,
        "is_child": r.is_child,
        "border_kind": r.border_kind,
        "handed_over_by": r.handed_over_by,
        "foreign_authority": r.foreign_authority,
        "handover_record_number": r.handover_record_number,
        "persons_on_list": r.persons_on_list,
        "police_operation": r.police_operation,
        "rescued": r.rescued,
        "return_country": named(r.return_country),
        "travel_document_status": r.travel_document_status,
        "reported_at": r.reported_at,
        "foreign_agency_contact": r.foreign_agency_contact if identity else None,
        "situation": {
            "destination_country": named(r.destination_country),
            "exploitation_forms": r.exploitation_form_codes,
            "recruitment": r.recruitment,
            "exploitation_from": r.exploitation_from,
            "exploitation_to": r.exploitation_to,
            "account": r.account,
        }
        if access.sees(Section.ACCOUNT)
        else None,
        "needs": {
            "medical": r.need_medical,
            "shelter": r.need_shelter,
            "food": r.need_food,
            "clothing": r.need_clothing,
            "safety": r.need_safety,
        }
        if access.sees(Section.SUPPORT)
        else None,
        "needs_notes": r.needs_notes if access.sees(Section.HEALTH) else None,
        "children": [
            {
                "full_name": link.child.full_name,
                "sex": link.child.sex,
                "date_of_birth": link.child.date_of_birth,
                "birth_year": link.child.birth_year,
                "relationship": link.relationship,
            }
            for link in r.accompanying_children.all()
        ]
        if identity
        else None,
    }


def consent(c) -> dict:
    return {
        "id": c.pk,
        "purpose": c.purpose,
        "decision": c.decision,
        "recipient_organisation": named(c.recipient_organisation),
        "recipient_kind": c.recipient_kind,
        "given_by": c.given_by,
        "informed_in_language": c.informed_in_language,
        "interpreter_used": c.interpreter_used,
        "decided_at": c.decided_at,
        "withdrawn_at": c.withdrawn_at,
    }


def share(s) -> dict:
    return {
        "id": s.pk,
        "organisation": named(s.organisation),
        "sections": sorted(s.section_set),
        "basis": s.basis,
        "consent_id": s.consent_id,
        "legal_basis": s.legal_basis,
        "created_at": s.created_at,
        "ended_at": s.ended_at,
        "ended_reason": s.ended_reason,
    }
