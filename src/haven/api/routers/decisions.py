"""Identification decisions of a case: read with her account, decided by the owning side."""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from haven.access import policy
from haven.access.models import Section
from haven.api import common, idempotency, schemas
from haven.api.auth import needs
from haven.api.models import Scope
from haven.cases import identification
from haven.cases.journey_forms import DecisionForm

router = Router(tags=["identification"])


class EvidenceOut(Schema):
    kind: str
    description: str


class DecisionOut(Schema):
    id: int
    status: str
    decided_on: datetime.date
    organisation: schemas.Named
    governing_law: str
    legal_basis: str
    referred_to: str
    in_vietnam: bool
    notes: str
    evidence: list[EvidenceOut]
    recorded_at: datetime.datetime


class DecisionIn(Schema):
    status: str = Field(description="Identification status decided (not `undecided`).")
    decided_on: datetime.date
    evidence: list[str] = Field(description="Kinds of evidence and signs cited (Art. 32).")
    evidence_description: str = ""
    legal_basis: str = "Law 53/2024/QH15 Art. 32"
    in_vietnam: bool = True
    referred_to: str = ""
    notes: str = ""


def decision(d) -> dict:
    return {
        "id": d.pk,
        "status": d.status,
        "decided_on": d.decided_on,
        "organisation": schemas.named(d.organisation),
        "governing_law": d.governing_law,
        "legal_basis": d.legal_basis,
        "referred_to": d.referred_to,
        "in_vietnam": d.in_vietnam,
        "notes": d.notes,
        "evidence": [{"kind": e.kind, "description": e.description} for e in d.evidence.all()],
        "recorded_at": d.recorded_at,
    }


@router.get(
    "/cases/{reference}/decisions",
    response=common.responses(200, list[DecisionOut]),
    auth=needs(Scope.CASES_READ),
    summary="Identification decisions (with the account section, as the page shows them)",
)
def list_decisions(request, reference: str = common.REFERENCE):
    case = common.case_for(request, reference)
    if not policy.case_access(common.user(request), case).sees(Section.ACCOUNT):
        raise Http404("No such case")
    common.audit_view(request, case, "decisions")
    decisions = case.decisions.select_related("organisation").prefetch_related("evidence")
    return [decision(d) for d in decisions]


@router.post(
    "/cases/{reference}/decisions",
    response=common.responses(201, DecisionOut),
    auth=needs(Scope.DECISIONS_WRITE, common.may_change_case),
    summary="Decide her identification status, citing evidence; send an Idempotency-Key",
)
def create_decision(request, payload: DecisionIn, reference: str = common.REFERENCE):
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    values = payload.model_dump(mode="json")

    def create():
        form = DecisionForm(values, case=case)
        common.require_valid(form, _("The decision was not recorded: correct the fields listed."))
        data = form.cleaned_data
        made = identification.decide_identification(
            user=common.user(request),
            organisation=organisation,
            case=case,
            status=data["status"],
            decided_on=data["decided_on"],
            evidence=[(k, data["evidence_description"]) for k in data["evidence"]],
            legal_basis=data["legal_basis"],
            referred_to=data["referred_to"],
            in_vietnam=data["in_vietnam"],
            notes=data["notes"],
        )
        return 201, common.dump(DecisionOut, decision(made))

    return idempotency.run(request, values, create)
