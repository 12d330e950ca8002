"""Support services of a case (Law 53/2024 Art. 37): read with its support section,
recorded and declined by the owning side through the support actions."""

import datetime
import decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from haven.access import policy
from haven.access.models import Section
from haven.agencies.models import Organisation
from haven.api import common, idempotency, intake, schemas
from haven.api.auth import needs
from haven.api.models import Scope
from haven.support import actions
from haven.support.forms import DeclineForm, ServiceForm

router = Router(tags=["services"])


class ServiceOut(Schema):
    id: int
    support_type: str
    status: str
    provider: schemas.Named | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    quantity: decimal.Decimal | None
    unit: str
    cost: decimal.Decimal | None
    paid_by: schemas.Named | None
    funding_source: str
    declined_reason: str
    recorded_at: datetime.datetime


class ServiceIn(Schema):
    support_type: str = Field(description="Support type (Law 53/2024 Art. 37).")
    status: str = Field("planned", description="`planned` or `delivered`.")
    provider: str | None = Field(None, description="Organisation code.")
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    quantity: decimal.Decimal | None = None
    unit: str = ""
    cost: decimal.Decimal | None = None
    paid_by: str | None = Field(None, description="Organisation code.")
    funding_source: str = ""


class DeclineIn(Schema):
    reason: str = ""


def service(s) -> dict:
    return {
        "id": s.pk,
        "support_type": s.support_type,
        "status": s.status,
        "provider": schemas.named(s.provider),
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "quantity": s.quantity,
        "unit": s.unit,
        "cost": s.cost,
        "paid_by": schemas.named(s.paid_by),
        "funding_source": s.funding_source,
        "declined_reason": s.declined_reason,
        "recorded_at": s.recorded_at,
    }


@router.get(
    "/cases/{reference}/services",
    response=common.responses(200, list[ServiceOut]),
    auth=needs(Scope.CASES_READ),
    summary="Support services (with the support section, as the page shows them)",
)
def list_services(request, reference: str = common.REFERENCE):
    case = common.case_for(request, reference)
    if not policy.case_access(common.user(request), case).sees(Section.SUPPORT):
        raise Http404("No such case")
    common.audit_view(request, case, "services")
    return [service(s) for s in case.services.select_related("provider", "paid_by")]


@router.post(
    "/cases/{reference}/services",
    response=common.responses(201, ServiceOut),
    auth=needs(Scope.SERVICES_WRITE, common.may_change_case),
    summary="Plan or record a service; send an Idempotency-Key",
)
def create_service(request, payload: ServiceIn, reference: str = common.REFERENCE):
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    values = payload.model_dump(mode="json")

    def create():
        data = {k: v for k, v in values.items() if v is not None and v != ""}
        codes = intake.Codes()
        for name in ("provider", "paid_by"):
            if name in data:
                data[name] = codes.pk(Organisation, data[name])
        form = ServiceForm(data, case=case)
        common.require_valid(form, _("The service was not recorded: correct the fields listed."))
        made = actions.add_service(
            user=common.user(request), organisation=organisation, case=case, **form.cleaned_data
        )
        return 201, common.dump(ServiceOut, service(made))

    return idempotency.run(request, values, create)


@router.post(
    "/cases/{reference}/services/{service_id}/decline",
    response=common.responses(200, ServiceOut),
    auth=needs(Scope.SERVICES_WRITE, common.may_change_case),
    summary="Record that she declined a service",
)
def decline_service(
    request,
    payload: DeclineIn | None = None,
    reference: str = common.REFERENCE,
    service_id: int = common.OBJECT_ID,
):
    case = common.case_for(request, reference, for_write=True)
    organisation = common.acting_for(request, case)
    found = get_object_or_404(case.services, pk=service_id)
    form = DeclineForm({"reason": payload.reason if payload else ""}, case=case)
    common.require_valid(form, _("The request was not accepted: correct the fields listed."))
    declined = actions.decline_service(
        user=common.user(request),
        organisation=organisation,
        service=found,
        reason=form.cleaned_data["reason"],
    )
    return service(declined)
