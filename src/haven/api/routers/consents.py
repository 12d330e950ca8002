"""Her consents on a case: for the owning side only, through the consent actions."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from haven.access import actions
from haven.access.forms import ConsentForm
from haven.agencies.models import Organisation
from haven.api import common, idempotency, intake, schemas
from haven.api.auth import needs
from haven.api.models import Scope

router = Router(tags=["consents"])


@router.get(
    "/cases/{reference}/consents",
    response=common.responses(200, list[schemas.ConsentOut]),
    auth=needs(Scope.CASES_READ),
    summary="Her consents (owning organisation only)",
)
def list_consents(request, reference: str = common.REFERENCE):
    case = common.case_for(request, reference, for_write=True)
    common.audit_view(request, case, "consents")
    return [schemas.consent(c) for c in case.consents.select_related("recipient_organisation")]


@router.post(
    "/cases/{reference}/consents",
    response=common.responses(201, schemas.ConsentOut),
    auth=needs(Scope.CONSENTS_WRITE, common.may_change_case),
    summary="Record her decision on one purpose; send an Idempotency-Key",
)
def create_consent(request, payload: schemas.ConsentIn, reference: str = common.REFERENCE):
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    values = payload.model_dump()

    def create():
        data = {k: v for k, v in values.items() if v is not None and v != ""}
        if "recipient_organisation" in data:
            data["recipient_organisation"] = intake.Codes().pk(
                Organisation, data["recipient_organisation"]
            )
        form = ConsentForm(data)
        common.require_valid(form, _("The consent was not recorded: correct the fields listed."))
        consent = actions.record_consent(
            user=common.user(request), organisation=organisation, case=case, **form.cleaned_data
        )
        return 201, common.dump(schemas.ConsentOut, schemas.consent(consent))

    return idempotency.run(request, values, create)


@router.post(
    "/cases/{reference}/consents/{consent_id}/withdraw",
    response=common.responses(200, schemas.ConsentWithdrawn),
    auth=needs(Scope.CONSENTS_WRITE, common.may_change_case),
    summary="Withdraw a given consent; the shares resting on it end",
)
def withdraw_consent(
    request, reference: str = common.REFERENCE, consent_id: int = common.OBJECT_ID
):
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    consent = get_object_or_404(case.consents, pk=consent_id)
    ended = actions.withdraw_consent(
        user=common.user(request), organisation=organisation, consent=consent
    )
    consent.refresh_from_db()
    return {"consent": schemas.consent(consent), "shares_ended": [s.pk for s in ended]}
