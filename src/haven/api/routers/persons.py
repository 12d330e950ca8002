"""The person of a case: only through a case the caller may open, and only with its identity
section. There is no search of persons across the registry."""

from django.http import Http404
from ninja import Router

from haven.access import policy
from haven.access.models import Section
from haven.api import common, schemas
from haven.api.auth import needs
from haven.api.models import Scope
from haven.audit import log as audit

router = Router(tags=["persons"])


@router.get(
    "/cases/{reference}/person",
    response=common.responses(200, schemas.PersonWithCases),
    auth=needs(Scope.CASES_READ),
    summary="The person of a case, if the caller sees her identity",
)
def get_person(request, reference: str = common.REFERENCE):
    user = common.user(request)
    case = common.case_for(request, reference)
    access = policy.case_access(user, case)
    if not access.sees(Section.IDENTITY):
        raise Http404("Identity not shared")
    audit.record(
        "case.view",
        user=user,
        obj=case,
        ip_address=common.client_ip(request),
        details={
            "reference": case.reference,
            "sections": [Section.IDENTITY],
            "part": "person",
            "via": "api",
        },
    )
    person = case.person
    data = schemas.person(person, person.documents.select_related("issuing_country"))
    data["other_cases"] = list(
        policy.cases_visible_to(user)
        .filter(person=person)
        .exclude(pk=case.pk)
        .order_by("-opened_at")
        .values_list("reference", flat=True)
    )
    return data
