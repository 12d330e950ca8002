"""The API object: routers, authentication, errors, and the contract in the OpenAPI text."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from haven.api import errors
from haven.api.routers import (
    cases,
    consents,
    decisions,
    persons,
    providers,
    receptions,
    referrals,
    services,
    shares,
    statistics,
)

DESCRIPTION = """
Haven's JSON API. It applies the same access policy, the same validation and the same
actions as Haven's pages, and writes the same audit records.

**Authentication.** Either the signed-in browser session (send the `X-CSRFToken` header on
POST), or an API client token: `Authorization: Bearer hvn_…`. API clients are created,
listed and revoked by an administrator of their organisation (page `/api/clients/`); only a
hash of the token is stored and the token is shown once. **An API client acts as its
organisation with the rights of a case worker there**, and only within its scopes:
`cases:read`, `receptions:write`, `consents:write`, `shares:write`, `decisions:write`,
`services:write`, `referrals:write`, `providers:read`, `statistics:read`. A revoked or
unknown token gets `401`; a missing scope `403 insufficient_scope`. Statistics are for
analysts and supervisors only, so an API client (a case worker) always gets `404` there.

**Errors.** Every error has the body
`{"error": {"code": "…", "message": "…", "fields": {"field": ["…"]}}}`. Messages are in
the language of `Accept-Language` (`vi`, the default, or `en`). Anything the caller may
not see is `404 not_found`: a reference does not reveal whether a case exists.

**Idempotency.** Send `Idempotency-Key: <any unique string up to 255 characters>` with every
create. A retry with the same key (same user or client) returns the first result, status and
body, with `Idempotent-Replayed: true`, even while the first request is still running; the
same key with a different body is `422 idempotency_key_reused`. A failed request stores
nothing. Keys expire after 24 hours (`HAVEN_IDEMPOTENCY_TTL_HOURS`).

**Pagination.** Lists of cases take `page` (from 1) and `page_size` (at most 100) and return
`count`, `pages` and `results`.
"""

api = NinjaAPI(
    title="Haven API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

for module in (
    cases,
    persons,
    receptions,
    consents,
    shares,
    decisions,
    services,
    providers,
    referrals,
    statistics,
):
    api.add_router("", module.router)

__all__ = ["api", "_"]
