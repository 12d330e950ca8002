"""Shares of a case with other organisations: for the owning side only."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from haven.access import actions, policy
from haven.access.forms import EndShareForm, ShareForm
from haven.agencies.models import Organisation
from haven.api import common, idempotency, intake, schemas
from haven.api.auth import needs
from haven.api.models import Scope

router = Router(tags=["shares"])


@router.get(
    "/cases/{reference}/shares",
    response=common.responses(200, list[schemas.ShareOut]),
    auth=needs(Scope.CASES_READ),
    summary="Who the case is shared with (owning organisation only)",
)
def list_shares(request, reference: str = common.REFERENCE):
    case = common.case_for(request, reference, for_write=True)
    common.audit_view(request, case, "shares")
    return [schemas.share(s) for s in case.shares.select_related("organisation")]


@router.post(
    "/cases/{reference}/shares",
    response=common.responses(201, schemas.ShareOut),
    auth=needs(Scope.SHARES_WRITE, common.may_change_case),
    summary="Open sections of the case to another organisation; send an Idempotency-Key",
)
def create_share(request, payload: schemas.ShareIn, reference: str = common.REFERENCE):
    user = common.user(request)
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    values = payload.model_dump()

    def create():
        data = {k: v for k, v in values.items() if v is not None and v != ""}
        data["recipient"] = intake.Codes().pk(Organisation, data.get("recipient", ""))
        form = ShareForm(data, case=case)
        common.require_valid(form, _("The case was not shared: correct the fields listed."))
        cleaned = form.cleaned_data
        share = actions.share_case(
            user=user,
            organisation=organisation,
            case=case,
            recipient=cleaned["recipient"],
            sections=cleaned["sections"],
            basis=cleaned["basis"],
            consent=cleaned.get("consent"),
            legal_basis=cleaned.get("legal_basis", ""),
            user_is_supervisor=policy.supervises(user, case),
        )
        return 201, common.dump(schemas.ShareOut, schemas.share(share))

    return idempotency.run(request, values, create)


@router.post(
    "/cases/{reference}/shares/{share_id}/end",
    response=common.responses(200, schemas.ShareOut),
    auth=needs(Scope.SHARES_WRITE, common.may_change_case),
    summary="End a share",
)
def end_share(
    request,
    payload: schemas.EndShareIn | None = None,
    reference: str = common.REFERENCE,
    share_id: int = common.OBJECT_ID,
):
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    share = get_object_or_404(case.shares, pk=share_id)
    form = EndShareForm({"reason": payload.reason if payload else ""})
    common.require_valid(form, _("The request was not accepted: correct the fields listed."))
    share = actions.end_share(
        user=common.user(request),
        organisation=organisation,
        share=share,
        reason=form.cleaned_data["reason"],
    )
    return schemas.share(share)
