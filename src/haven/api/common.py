"""Small helpers every router uses: documented error responses, the case, the caller."""

import re

from django.http import Http404
from ninja import Path

from haven.access import policy
from haven.api.errors import ApiError, ErrorOut, form_fields
from haven.audit import log as audit

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
REFERENCE_PATTERN = r"^[0-9A-Za-z-]{1,32}$"
REFERENCE = Path(..., pattern=REFERENCE_PATTERN, description="Case reference.")
OBJECT_ID = Path(..., ge=1, le=2**31 - 1)


def responses(status: int, schema) -> dict:
    """The success response and every error the API can answer with."""
    return {status: schema, **ERRORS, 409: ErrorOut}


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def user(request):
    """The acting user: the signed-in person, or the API client's service account."""
    return request.auth


def case_for(request, reference: str, *, for_write: bool = False):
    """The case through THE access policy: 404 if the caller may not see (or change) it."""
    cached = getattr(request, "haven_writable_case", None)
    if cached is not None and cached.reference == reference:
        return cached
    return policy.get_case_for(user(request), reference, for_write=for_write)


def may_record_reception(request, acting_user) -> bool:
    """Precondition of creating a reception (see `auth.needs`)."""
    return policy.can_record_reception(acting_user)


def may_change_case(request, acting_user) -> bool:
    """Precondition of changing the case named in the path: 404 unless the caller may."""
    reference = request.resolver_match.kwargs.get("reference", "")
    if not re.fullmatch(REFERENCE_PATTERN, reference):
        raise Http404("No such case")
    request.haven_writable_case = policy.get_case_for(acting_user, reference, for_write=True)
    return True


def acting_for(request, case):
    """The organisation the caller acts for on `case` (the pages' own rule)."""
    return policy.acting_organisation(user(request), case)


def dump(schema, data: dict) -> dict:
    """`data` validated against `schema`, as JSON-ready values (for idempotent replay)."""
    return schema.model_validate(data).model_dump(mode="json")


def audit_view(request, case, part: str) -> None:
    """The page's `case.view` record, for a part of the case read through the API."""
    access = policy.case_access(user(request), case)
    audit.record(
        "case.view",
        user=user(request),
        obj=case,
        ip_address=client_ip(request),
        details={
            "reference": case.reference,
            "sections": sorted(access.sections),
            "part": part,
            "via": "api",
        },
    )


def require_valid(form, message: str) -> None:
    """A 422 naming every field to correct under `message`, unless `form` is valid."""
    if not form.is_valid():
        raise ApiError(422, "invalid", message, form_fields(form))
