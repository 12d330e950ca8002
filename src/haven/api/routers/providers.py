"""The directory of service providers: reference information, read-only, for every member
of an active organisation (as the directory pages; they write no audit record, nor does this)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field as F
from ninja import Query, Router, Schema

from haven.api import common, schemas
from haven.api.auth import needs
from haven.api.models import Scope
from haven.referrals import access, matching
from haven.referrals.models import Provider, ProviderKind
from haven.support.models import SupportType

router = Router(tags=["providers"])


def may_use_directory(request, acting_user) -> bool:
    return access.can_use_directory(acting_user)


class ProviderOut(Schema):
    id: int
    organisation: schemas.Named | None
    maintained_by: schemas.Named
    name_vi: str
    name_en: str
    kind: str
    description: str
    services: list[str]
    nationwide: bool
    provinces: list[str]
    takes_women: bool
    takes_men: bool
    takes_children: bool
    takes_adults: bool
    languages: list[str]
    care: list[str]
    places: int | None
    occupancy: int
    address: str
    phone: str
    email: str
    focal_person: str
    focal_phone: str
    focal_email: str
    is_active: bool
    updated_at: datetime.datetime
    stale: bool


class ProviderList(schemas.Page):
    results: list[ProviderOut]


class ProviderFilters(Schema):
    service: str = F("", description="Support type offered.")
    kind: str = ""
    province: str = F("", description="Province code, e.g. 15 (or nationwide).")
    q: str = F("", max_length=200, description="Name, Vietnamese or English.")
    page: int = F(1, ge=1, le=100_000)
    page_size: int = F(25, ge=1, le=settings.HAVEN_API_MAX_PAGE_SIZE)


def provider(p, stale_days: int) -> dict:
    return {
        "id": p.pk,
        "organisation": schemas.named(p.organisation),
        "maintained_by": schemas.named(p.maintained_by),
        "name_vi": p.name_vi,
        "name_en": p.name_en,
        "kind": p.kind,
        "description": p.description,
        "services": p.service_codes,
        "nationwide": p.nationwide,
        "provinces": sorted(pr.code for pr in p.provinces.all()),
        "takes_women": p.takes_women,
        "takes_men": p.takes_men,
        "takes_children": p.takes_children,
        "takes_adults": p.takes_adults,
        "languages": p.language_codes,
        "care": p.care_codes,
        "places": p.places,
        "occupancy": p.occupancy,
        "address": p.address,
        "phone": p.phone,
        "email": p.email,
        "focal_person": p.focal_person,
        "focal_phone": p.focal_phone,
        "focal_email": p.focal_email,
        "is_active": p.is_active,
        "updated_at": p.updated_at,
        "stale": p.is_stale(stale_days),
    }


def _providers():
    return Provider.objects.select_related("organisation", "maintained_by").prefetch_related(
        "provinces"
    )


@router.get(
    "/providers",
    response=common.responses(200, ProviderList),
    auth=needs(Scope.PROVIDERS_READ, may_use_directory),
    summary="The directory of service providers (listed entries)",
)
def list_providers(request, filters: Query[ProviderFilters]):
    providers = _providers().filter(is_active=True).order_by("name_vi", "id")
    if filters.service in SupportType.values:
        providers = providers.filter(services__contains=f",{filters.service},")
    if filters.kind in ProviderKind.values:
        providers = providers.filter(kind=filters.kind)
    if filters.province:
        providers = providers.filter(
            Q(provinces__code=filters.province) | Q(nationwide=True)
        ).distinct()
    query = filters.q.strip().replace("\x00", "")
    if query:
        providers = providers.filter(Q(name_vi__icontains=query) | Q(name_en__icontains=query))
    count = providers.count()
    start = (filters.page - 1) * filters.page_size
    stale_days = matching.stale_after_days()
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": (count + filters.page_size - 1) // filters.page_size,
        "results": [provider(p, stale_days) for p in providers[start : start + filters.page_size]],
    }


@router.get(
    "/providers/{provider_id}",
    response=common.responses(200, ProviderOut),
    auth=needs(Scope.PROVIDERS_READ, may_use_directory),
    summary="One entry of the directory",
)
def get_provider(request, provider_id: int = common.OBJECT_ID):
    found = get_object_or_404(_providers(), pk=provider_id)
    return provider(found, matching.stale_after_days())
