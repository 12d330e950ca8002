"""Cases: the list (search) and one case, section by section."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Query, Router, Schema

from haven.access import policy
from haven.access.models import Section
from haven.api import common, intake, schemas
from haven.api.auth import needs
from haven.api.models import Scope
from haven.audit import log as audit
from haven.cases.search import CaseSearchForm, filter_cases
from haven.places.models import Province

router = Router(tags=["cases"])


class CaseFilters(Schema):
    q: str = F("", description="Name (with or without diacritics) or reference.")
    province: str = F("", description="Province code, e.g. 15.")
    status: str = ""
    route: str = F("", description="Entry route of any of its receptions.")
    children: bool = False
    page: int = F(1, ge=1, le=100_000)
    page_size: int = F(25, ge=1, le=settings.HAVEN_API_MAX_PAGE_SIZE)


def _search_form(filters: CaseFilters) -> CaseSearchForm:
    data = filters.model_dump(exclude={"page", "page_size"})
    if data["province"]:
        data["province"] = intake.Codes().pk(Province, data["province"])
    return CaseSearchForm({k: v for k, v in data.items() if v not in ("", False)})


@router.get(
    "/cases",
    response=common.responses(200, schemas.CaseList),
    auth=needs(Scope.CASES_READ),
    summary="Search the cases the caller may open",
)
def list_cases(request, filters: Query[CaseFilters]):
    user = common.user(request)
    form = _search_form(filters)
    common.require_valid(form, _("The request was not accepted: correct the fields listed."))
    with_identity = policy.cases_with_section(user, Section.IDENTITY)
    cases = filter_cases(
        policy.cases_visible_to(user), form.cleaned_data, identity_visible=with_identity
    )
    count = cases.count()
    start = (filters.page - 1) * filters.page_size
    page = list(
        cases.select_related("person", "owner", "province").order_by("-opened_at", "-id")[
            start : start + filters.page_size
        ]
    )
    identity_ids = (
        set(with_identity.filter(id__in=[c.pk for c in page]).values_list("id", flat=True))
        if page
        else set()
    )
    audit.record(
        "case.search",
        user=user,
        ip_address=common.client_ip(request),
        details={"results": count, "via": "api"},
    )
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": (count + filters.page_size - 1) // filters.page_size,
        "results": [schemas.case_summary(c, identity=c.pk in identity_ids) for c in page],
    }


@router.get(
    "/cases/{reference}",
    response=common.responses(200, schemas.CaseDetail),
    auth=needs(Scope.CASES_READ),
    summary="One case, with the sections the caller sees",
)
def get_case(request, reference: str = common.REFERENCE):
    user = common.user(request)
    case = common.case_for(request, reference)
    access = policy.case_access(user, case)
    audit.record(
        "case.view",
        user=user,
        obj=case,
        ip_address=common.client_ip(request),
        details={"reference": case.reference, "sections": sorted(access.sections), "via": "api"},
    )
    return schemas.case_detail(case, access)
