"""Referrals: the ones the caller's organisations sent and received, sending one from a case
(owning side), and answering one (receiving side), through the referral actions and the
referral access rules. Before acceptance the receiver sees only the decision summary."""

import datetime
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Query, Router, Schema

from haven.access import policy
from haven.agencies.models import Organisation
from haven.api import common, idempotency, intake, schemas
from haven.api.auth import needs
from haven.api.models import Scope
from haven.audit import log as audit
from haven.referrals import access, actions
from haven.referrals.forms import DeclineForm, ReferralForm
from haven.referrals.models import Referral

router = Router(tags=["referrals"])
LIST_LIMIT = 100  # as the page


class ReferralOut(Schema):
    id: int
    kind: str
    status: str
    case: str | None = F(description="Case reference, if the caller may open the case.")
    from_organisation: schemas.Named
    to_organisation: schemas.Named
    services: list[str]
    sections: list[str]
    basis: str
    legal_basis: str
    summary: dict[str, Any]
    note: str
    created_at: datetime.datetime
    due_at: datetime.datetime


class ReferralLists(Schema):
    received: list[ReferralOut]
    received_count: int
    sent: list[ReferralOut]
    sent_count: int


class ReferralFilters(Schema):
    status: str = F("", description="Only referrals with this status.")


class ReferralIn(Schema):
    to_organisation: str = F(description="Organisation code (listed in the directory).")
    kind: str = "referral"
    services: list[str]
    sections: list[str] = []
    basis: str
    consent: int | None = F(None, description="Id of her consent to share.")
    legal_basis: str = ""
    disclose_care: list[str] = []
    note: str = ""


class ReferralDeclineIn(Schema):
    reason: str
    detail: str = ""


def referral(r, visible_case_ids) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "status": r.status,
        "case": r.case.reference if r.case_id in visible_case_ids else None,
        "from_organisation": schemas.named(r.from_organisation),
        "to_organisation": schemas.named(r.to_organisation),
        "services": r.service_codes,
        "sections": r.section_codes,
        "basis": r.basis,
        "legal_basis": r.legal_basis,
        "summary": r.summary,
        "note": r.note,
        "created_at": r.created_at,
        "due_at": r.due_at,
    }


def _rows(user, referrals) -> list[dict]:
    referrals = list(referrals)
    visible = set(
        policy.cases_visible_to(user)
        .filter(pk__in={r.case_id for r in referrals})
        .values_list("pk", flat=True)
    )
    return [referral(r, visible) for r in referrals]


def may_work_referrals(request, acting_user) -> bool:
    return bool(access.working_org_ids(acting_user))


def may_answer(request, acting_user) -> bool:
    """Precondition of answering the referral in the path: its receiving side only."""
    pk = request.resolver_match.kwargs.get("referral_id", "")
    if not str(pk).isdigit() or not 1 <= int(pk) <= 2**31 - 1:
        raise Http404("No such referral")
    request.haven_referral = access.get_referral_for(acting_user, int(pk), side="receiver")
    return True


@router.get(
    "/referrals",
    response=common.responses(200, ReferralLists),
    auth=needs(Scope.CASES_READ, may_work_referrals),
    summary="Referrals received and sent by the caller's organisations (latest 100 each)",
)
def list_referrals(request, filters: Query[ReferralFilters]):
    user = common.user(request)
    ids = access.working_org_ids(user)
    base = Referral.objects.select_related("case", "from_organisation", "to_organisation")
    if filters.status in Referral.Status.values:
        base = base.filter(status=filters.status)
    received = base.filter(to_organisation_id__in=ids)
    sent = base.filter(from_organisation_id__in=ids)
    return {
        "received": _rows(user, received[:LIST_LIMIT]),
        "received_count": received.count(),
        "sent": _rows(user, sent[:LIST_LIMIT]),
        "sent_count": sent.count(),
    }


@router.get(
    "/referrals/{referral_id}",
    response=common.responses(200, ReferralOut),
    auth=needs(Scope.CASES_READ),
    summary="One referral (sending or receiving side)",
)
def get_referral(request, referral_id: int = common.OBJECT_ID):
    user = common.user(request)
    found = access.get_referral_for(user, referral_id)
    is_sender = found.from_organisation_id in access.working_org_ids(user)
    audit.record(
        "referral.view",
        user=user,
        obj=found,
        ip_address=common.client_ip(request),
        details={"case": found.case.reference, "sender": is_sender, "via": "api"},
    )
    return _rows(user, [found])[0]


@router.post(
    "/cases/{reference}/referrals",
    response=common.responses(201, ReferralOut),
    auth=needs(Scope.REFERRALS_WRITE, common.may_change_case),
    summary="Refer her (or transfer her case) to an organisation; send an Idempotency-Key",
)
def create_referral(request, payload: ReferralIn, reference: str = common.REFERENCE):
    user = common.user(request)
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    values = payload.model_dump(mode="json")

    def create():
        data = {k: v for k, v in values.items() if v is not None and v != ""}
        data["to_organisation"] = intake.Codes().pk(Organisation, data.get("to_organisation", ""))
        form = ReferralForm(data, case=case)
        common.require_valid(form, _("The referral was not sent: correct the fields listed."))
        d = form.cleaned_data
        sent = actions.send_referral(
            user=user,
            organisation=organisation,
            case=case,
            to_organisation=d["to_organisation"],
            kind=d["kind"],
            services=d["services"],
            sections=d["sections"],
            basis=d["basis"],
            consent=d["consent"],
            legal_basis=d["legal_basis"],
            disclose_care=d["disclose_care"],
            note=d["note"],
        )
        return 201, common.dump(ReferralOut, _rows(user, [sent])[0])

    return idempotency.run(request, values, create)


@router.post(
    "/referrals/{referral_id}/accept",
    response=common.responses(200, ReferralOut),
    auth=needs(Scope.REFERRALS_WRITE, may_answer),
    summary="Accept a referral (receiving side): the sections it names open to you",
)
def accept_referral(request, referral_id: int = common.OBJECT_ID):
    found = request.haven_referral
    accepted = actions.accept_referral(
        user=common.user(request), organisation=found.to_organisation, referral=found
    )
    return _rows(common.user(request), [accepted])[0]


@router.post(
    "/referrals/{referral_id}/decline",
    response=common.responses(200, ReferralOut),
    auth=needs(Scope.REFERRALS_WRITE, may_answer),
    summary="Decline a referral (receiving side), saying why",
)
def decline_referral(request, payload: ReferralDeclineIn, referral_id: int = common.OBJECT_ID):
    found = request.haven_referral
    form = DeclineForm(payload.model_dump())
    common.require_valid(form, _("The request was not accepted: correct the fields listed."))
    declined = actions.decline_referral(
        user=common.user(request),
        organisation=found.to_organisation,
        referral=found,
        reason=form.cleaned_data["reason"],
        detail=form.cleaned_data["detail"],
    )
    return _rows(common.user(request), [declined])[0]
