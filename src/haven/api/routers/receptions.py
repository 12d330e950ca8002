"""Receptions: recorded through `receive_person`, validated by the reception page's form."""

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from haven.access import policy
from haven.api import common, idempotency, intake, schemas
from haven.api.auth import needs
from haven.api.errors import ApiError
from haven.api.models import Scope
from haven.audit import log as audit

router = Router(tags=["receptions"])


@router.get(
    "/cases/{reference}/receptions",
    response=common.responses(200, list[schemas.ReceptionOut]),
    auth=needs(Scope.CASES_READ),
    summary="The receptions of a case, with the sections the caller sees",
)
def list_receptions(request, reference: str = common.REFERENCE):
    user = common.user(request)
    case = common.case_for(request, reference)
    access = policy.case_access(user, case)
    receptions = case.receptions.select_related(
        "received_by", "province", "commune", "return_country", "destination_country"
    ).prefetch_related("accompanying_children__child")
    audit.record(
        "case.view",
        user=user,
        obj=case,
        ip_address=common.client_ip(request),
        details={
            "reference": case.reference,
            "sections": sorted(access.sections),
            "part": "receptions",
            "via": "api",
        },
    )
    return [schemas.reception(r, access) for r in receptions]


@router.post(
    "/receptions",
    response=common.responses(201, schemas.ReceptionCreated),
    auth=needs(Scope.RECEPTIONS_WRITE, common.may_record_reception),
    summary="Record a reception (opens a case); send an Idempotency-Key",
)
def create_reception(request, payload: schemas.ReceptionIn):
    user = common.user(request)
    values = payload.model_dump()

    def create():
        received = intake.build(values, user=user)
        if not received.is_valid():
            raise ApiError(
                422,
                "invalid",
                _("The reception was not saved: correct the fields listed."),
                received.errors(),
            )
        case = received.receive(user=user, ip_address=common.client_ip(request))
        return 201, common.dump(
            schemas.ReceptionCreated,
            {
                "reference": case.reference,
                "url": reverse("api:get_case", kwargs={"reference": case.reference}),
            },
        )

    return idempotency.run(request, values, create)
