"""The authorization matrix: every URL pattern × every persona, allow or deny.

A URL pattern added without an entry here fails `test_every_url_pattern_is_in_the_matrix`.
Outcomes: ALLOW (served: not 404/403, not sent to login, no server error), DENY (404, so
existence does not leak), LOGIN (anonymous: redirected to the login page), OK (public pages).
Each request runs in a savepoint that is rolled back, so one persona's POST cannot change
what the next persona meets.
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from haven.access.models import Share
from haven.api.clients import create_client
from haven.people import actions as people_actions
from haven.referrals import actions as referral_actions
from haven.referrals.models import Provider
from haven.support import actions as support_actions
from tests.factories import make_case, shared_case
from tests.imports.helpers import csv_bytes, make_register_import, row

ALLOW, DENY, LOGIN, OK = "allow", "deny", "login", "ok"
UNAUTH = "unauthenticated"  # the API's answer to an anonymous call: 401 with a JSON error
PERSONAS = [
    "owner",  # case worker of the owning organisation
    "supervisor",  # supervisor of the owner's parent organisation
    "shared_with_consent",  # organisation the case is shared with under her consent
    "consent_refused",  # organisation she refused consent to share with
    "stranger",  # same kind of organisation, another province
    "analyst",
    "administrator",
    "anonymous",
]


def everyone(outcome, anonymous=LOGIN):
    return {p: (anonymous if p == "anonymous" else outcome) for p in PERSONAS}


def only(allowed, *, anonymous=LOGIN):
    return {
        p: (anonymous if p == "anonymous" else ALLOW if p in allowed else DENY) for p in PERSONAS
    }


CASE_READERS = {"owner", "supervisor", "shared_with_consent"}
CASE_OWNERS = {"owner", "supervisor"}
RECORDERS = {"owner", "supervisor", "shared_with_consent", "consent_refused", "stranger"}
ADMINS = {"administrator"}
IMPORTERS = {"owner"}  # who records receptions for the organisation whose register it is
STATISTICS = {"supervisor", "analyst"}  # aggregates: analysts, and supervisors for their provinces
NO_JOB = "/reports/exports/00000000-0000-0000-0000-000000000000"  # requester-only: 404 to others

# route name: (method, url template, expectations)
MATRIX = {
    "cases:home": ("get", "/", everyone(ALLOW)),
    "cases:list": ("get", "/cases/?q=hoa", everyone(ALLOW)),
    "cases:detail": ("get", "/cases/{ref}/", only(CASE_READERS)),
    "cases:document": ("get", "/cases/{ref}/documents/{document}/", only(CASE_READERS)),
    "cases:reception-new": ("get", "/receptions/new/police/", only(RECORDERS)),
    "access:consent-create": ("post", "/cases/{ref}/consents/", only(CASE_OWNERS)),
    "access:consent-withdraw": (
        "post",
        "/cases/{ref}/consents/{consent}/withdraw/",
        only(CASE_OWNERS),
    ),
    "access:share-create": ("post", "/cases/{ref}/shares/", only(CASE_OWNERS)),
    "access:share-end": ("post", "/cases/{ref}/shares/{share}/end/", only(CASE_OWNERS)),
    "access:access-log": ("get", "/cases/{ref}/access-log/", only({"supervisor"})),
    "cases:inbox": ("get", "/inbox/", everyone(ALLOW)),
    "cases:identification": ("get", "/cases/{ref}/identification/", only(CASE_OWNERS)),
    "cases:support": ("get", "/cases/{ref}/support/", only(CASE_READERS)),
    "cases:safety": ("get", "/cases/{ref}/safety/", only(CASE_OWNERS)),
    "cases:follow-up": ("get", "/cases/{ref}/follow-up/", only(CASE_READERS)),
    "cases:closure": ("get", "/cases/{ref}/closure/", only(CASE_READERS)),
    **{
        name: ("post", url, only(CASE_OWNERS))
        for name, url in {
            "cases:screen": "/cases/{ref}/screenings/",
            "cases:decide": "/cases/{ref}/decisions/",
            "cases:status": "/cases/{ref}/status/",
            "cases:return-wish": "/cases/{ref}/return-wish/",
            "cases:step-done": "/cases/{ref}/return-steps/1/done/",
            "cases:step-assign": "/cases/{ref}/return-steps/1/assign/",
            "cases:plan": "/cases/{ref}/support/plan/",
            "cases:service-add": "/cases/{ref}/support/services/",
            "cases:service-deliver": "/cases/{ref}/support/services/1/deliver/",
            "cases:service-decline": "/cases/{ref}/support/services/{service}/decline/",
            "cases:extension-add": "/cases/{ref}/support/extensions/",
            "cases:risk-add": "/cases/{ref}/safety/assessments/",
            "cases:incident-add": "/cases/{ref}/safety/incidents/",
            "cases:reintegrate": "/cases/{ref}/follow-up/reintegrate/",
            "cases:visit": "/cases/{ref}/follow-up/visits/1/",
            "cases:conference-add": "/cases/{ref}/follow-up/conferences/",
            "cases:closure-request": "/cases/{ref}/closure/request/",
            "cases:closure-approve": "/cases/{ref}/closure/{closure}/approve/",
            "cases:closure-refuse": "/cases/{ref}/closure/1/refuse/",
            "cases:reopen": "/cases/{ref}/closure/reopen/",
        }.items()
    },
    "referrals:directory": ("get", "/directory/", everyone(ALLOW)),
    "referrals:provider": ("get", "/directory/{provider}/", everyone(ALLOW)),
    "referrals:provider-new": ("get", "/directory/new/", only(RECORDERS | ADMINS)),
    "referrals:provider-edit": (
        "get",
        "/directory/{provider}/edit/",
        only({"shared_with_consent", "administrator"}),
    ),
    "referrals:assessment-new": (
        "post",
        "/directory/{provider}/assessments/",
        only({"supervisor", "shared_with_consent", "administrator"}),
    ),
    "referrals:case": ("get", "/cases/{ref}/referrals/", only(CASE_OWNERS)),
    "referrals:create": ("post", "/cases/{ref}/referrals/new/", only(CASE_OWNERS)),
    "referrals:list": ("get", "/referrals/", only(RECORDERS)),
    "referrals:detail": ("get", "/referrals/{referral}/", only(CASE_READERS)),
    "referrals:accept": ("post", "/referrals/{referral}/accept/", only({"shared_with_consent"})),
    "referrals:decline": ("post", "/referrals/{referral}/decline/", only({"shared_with_consent"})),
    "referrals:withdraw": ("post", "/referrals/{referral}/withdraw/", only(CASE_OWNERS)),
    "referrals:feedback": (
        "post",
        "/referrals/{referral}/feedback/",
        only({"shared_with_consent"}),
    ),
    "referrals:activities": ("get", "/capacity-building/", everyone(ALLOW)),
    "referrals:activity-new": ("get", "/capacity-building/new/", only(RECORDERS | ADMINS)),
    "people:review": ("get", "/people/matches/", only(RECORDERS)),
    "people:decide": ("post", "/people/matches/{match}/", only(CASE_OWNERS)),
    # Whoever reviews matches may start the registry-wide search (refused with 403).
    "people:registry-search": ("post", "/people/matches/registry-search/", only(RECORDERS)),
    "people:registry-search-progress": (
        "get",
        "/people/matches/registry-search/progress/",
        only(RECORDERS),
    ),
    "people:undo": ("post", "/people/merges/{merge}/undo/", only(CASE_OWNERS)),
    "places:commune-options": ("get", "/places/communes/?province=1", everyone(ALLOW)),
    "administration:index": ("get", "/manage/", only(ADMINS)),
    "administration:organisations": ("get", "/manage/organisations/", only(ADMINS)),
    "administration:organisation-new": ("get", "/manage/organisations/new/", only(ADMINS)),
    "administration:organisation": ("get", "/manage/organisations/{org}/", only(ADMINS)),
    "administration:organisation-active": (
        "post",
        "/manage/organisations/{org}/active/",
        only(ADMINS),
    ),
    "administration:users": ("get", "/manage/users/", only(ADMINS)),
    "administration:user-new": ("get", "/manage/users/new/", only(ADMINS)),
    "administration:user": ("get", "/manage/users/{user}/", only(ADMINS)),
    "administration:user-password": ("get", "/manage/users/{user}/password/", only(ADMINS)),
    "administration:user-active": ("post", "/manage/users/{user}/active/", only(ADMINS)),
    "administration:membership-add": ("get", "/manage/users/{user}/memberships/", only(ADMINS)),
    "administration:membership-active": (
        "post",
        "/manage/memberships/{membership}/active/",
        only(ADMINS),
    ),
    "accounts:otp-setup": ("get", "/accounts/2fa/setup/", everyone(OK)),
    "accounts:otp-verify": ("get", "/accounts/2fa/verify/", everyone(OK)),
    "health": ("get", "/health/", everyone(OK, anonymous=OK)),
    "ready": ("get", "/ready/", everyone(OK, anonymous=OK)),
    "login": ("get", "/accounts/login/", everyone(OK, anonymous=OK)),
    "logout": ("post", "/accounts/logout/", everyone(OK, anonymous=OK)),
    "password_change": ("get", "/accounts/password_change/", everyone(ALLOW)),
    "password_change_done": ("get", "/accounts/password_change/done/", everyone(ALLOW)),
    "password_reset": ("get", "/accounts/password_reset/", everyone(OK, anonymous=OK)),
    "password_reset_done": ("get", "/accounts/password_reset/done/", everyone(OK, anonymous=OK)),
    "password_reset_confirm": ("get", "/accounts/reset/MQ/bad-token/", everyone(OK, anonymous=OK)),
    "password_reset_complete": ("get", "/accounts/reset/done/", everyone(OK, anonymous=OK)),
    "set_language": ("post", "/i18n/setlang/", everyone(OK, anonymous=OK)),
    # API (session here; tokens: tests/api/test_parity.py). POSTs carry no body: who may not
    # write is refused (404) before the body is validated (422 for those who may).
    "api:api-root": ("get", "/api/v1/", everyone(DENY, anonymous=DENY)),
    "api:not-found": ("get", "/api/v1/no-such-thing", everyone(DENY, anonymous=DENY)),
    "api:openapi-json": ("get", "/api/v1/openapi.json", everyone(OK, anonymous=OK)),
    "api:openapi-view": ("get", "/api/v1/docs", everyone(OK, anonymous=OK)),
    "api:list_cases": ("get", "/api/v1/cases?q=hoa", everyone(ALLOW, anonymous=UNAUTH)),
    "api:get_case": ("get", "/api/v1/cases/{ref}", only(CASE_READERS, anonymous=UNAUTH)),
    "api:get_person": ("get", "/api/v1/cases/{ref}/person", only(CASE_READERS, anonymous=UNAUTH)),
    "api:list_receptions": (
        "get",
        "/api/v1/cases/{ref}/receptions",
        only(CASE_READERS, anonymous=UNAUTH),
    ),
    "api:create_reception": ("post", "/api/v1/receptions", only(RECORDERS, anonymous=UNAUTH)),
    "api:list_consents": (
        "get",
        "/api/v1/cases/{ref}/consents",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:create_consent": (
        "post",
        "/api/v1/cases/{ref}/consents",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:withdraw_consent": (
        "post",
        "/api/v1/cases/{ref}/consents/{consent}/withdraw",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:list_shares": ("get", "/api/v1/cases/{ref}/shares", only(CASE_OWNERS, anonymous=UNAUTH)),
    "api:create_share": ("post", "/api/v1/cases/{ref}/shares", only(CASE_OWNERS, anonymous=UNAUTH)),
    "api:end_share": (
        "post",
        "/api/v1/cases/{ref}/shares/{share}/end",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:list_decisions": (
        "get",
        "/api/v1/cases/{ref}/decisions",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:create_decision": (
        "post",
        "/api/v1/cases/{ref}/decisions",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:list_services": (
        "get",
        "/api/v1/cases/{ref}/services",
        only(CASE_READERS, anonymous=UNAUTH),
    ),
    "api:create_service": (
        "post",
        "/api/v1/cases/{ref}/services",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:decline_service": (
        "post",
        "/api/v1/cases/{ref}/services/{service}/decline",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:list_providers": ("get", "/api/v1/providers", everyone(ALLOW, anonymous=UNAUTH)),
    "api:get_provider": ("get", "/api/v1/providers/{provider}", everyone(ALLOW, anonymous=UNAUTH)),
    "api:list_referrals": ("get", "/api/v1/referrals", only(RECORDERS, anonymous=UNAUTH)),
    "api:get_referral": (
        "get",
        "/api/v1/referrals/{referral}",
        only(CASE_READERS, anonymous=UNAUTH),
    ),
    "api:create_referral": (
        "post",
        "/api/v1/cases/{ref}/referrals",
        only(CASE_OWNERS, anonymous=UNAUTH),
    ),
    "api:accept_referral": (
        "post",
        "/api/v1/referrals/{referral}/accept",
        only({"shared_with_consent"}, anonymous=UNAUTH),
    ),
    "api:decline_referral": (
        "post",
        "/api/v1/referrals/{referral}/decline",
        only({"shared_with_consent"}, anonymous=UNAUTH),
    ),
    "api:get_statistics": ("get", "/api/v1/statistics", only(STATISTICS, anonymous=UNAUTH)),
    "api:clients": ("get", "/api/clients/", only(ADMINS)),
    "api:client-revoke": ("post", "/api/clients/{client}/revoke/", only(ADMINS)),
    "reports:dashboard": ("get", "/reports/", only(STATISTICS)),
    "reports:table-export": ("get", "/reports/tables/received.province.csv", only(STATISTICS)),
    "reports:drilldown": ("get", "/reports/cases/?route=police", only(STATISTICS)),
    "reports:export-create": ("post", "/reports/exports/", only(STATISTICS)),
    "reports:export": ("get", f"{NO_JOB}/", everyone(DENY)),
    "reports:export-progress": ("get", f"{NO_JOB}/progress/", everyone(DENY)),
    "reports:export-download": ("get", f"{NO_JOB}/download/", everyone(DENY)),
    "imports:upload": ("get", "/imports/", only(RECORDERS)),
    "imports:detail": ("get", "/imports/{import}/", only(IMPORTERS)),
    "imports:check": ("post", "/imports/{import}/check/", only(IMPORTERS)),
    "imports:run": ("post", "/imports/{import}/run/", only(IMPORTERS)),
    "imports:progress": ("get", "/imports/{import}/progress/", only(IMPORTERS)),
    "imports:report": ("get", "/imports/{import}/report.csv", only(IMPORTERS)),
}


def route_names():
    """namespace:name of every URL pattern, Django's own admin site excepted."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner == "admin":
                    continue
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_url_pattern_is_in_the_matrix():
    names = route_names()
    assert None not in names, "every URL pattern needs a name"
    assert names - set(MATRIX) == set(), "add these URL patterns to the matrix"
    assert set(MATRIX) - names == set(), "these matrix entries match no URL pattern"


@pytest.fixture
def world(personas):
    """A case of the Lào Cai centre, shared with the Hà Nội shelter under consent; the
    consulate was refused consent."""
    case, given, share = shared_case(personas)
    service = support_actions.add_service(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=case,
        support_type="legal_information",
    )
    closure = support_actions.request_closure(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=case,
        reason="declined",
    )
    provider = Provider.objects.create(
        organisation=personas.shelter_hanoi,
        maintained_by=personas.shelter_hanoi,
        name_vi="Nhà tạm lánh",
        kind="state_facility",
        services=",essential_needs,",
    )
    referral = referral_actions.send_referral(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=case,
        to_organisation=personas.shelter_hanoi,
        services=["essential_needs"],
        sections=["support"],
        basis=Share.Basis.CONSENT,
        consent=given,
    )
    twin = make_case(personas.social_worker, personas.centre_laocai).person
    match = people_actions.note_match(
        case.person, twin, score=0.9, explanation=[], source="registry"
    )
    other = make_case(personas.social_worker, personas.centre_laocai).person
    merge = people_actions.merge_persons(
        user=personas.social_worker, kept=case.person, merged=other
    )
    users = {
        "owner": personas.social_worker,
        "supervisor": personas.supervisor,
        "shared_with_consent": personas.shelter_worker,
        "consent_refused": personas.consul,
        "stranger": personas.stranger,
        "analyst": personas.analyst,
        "administrator": personas.administrator,
        "anonymous": None,
    }
    ids = {
        "ref": case.reference,
        "document": case.documents.get().pk,
        "consent": given.pk,
        "provider": provider.pk,
        "referral": referral.pk,
        "share": share.pk,
        "match": match.pk,
        "merge": merge.pk,
        "service": service.pk,
        "closure": closure.pk,
        "org": personas.centre_laocai.pk,
        "user": personas.social_worker.pk,
        "membership": personas.social_worker.memberships.get().pk,
        "client": create_client(
            admin=personas.administrator,
            organisation=personas.ministry,
            name="Hotline",
            scopes=["cases:read"],
        )[0].pk,
        "import": make_register_import(
            personas.social_worker, personas.centre_laocai, csv_bytes([row()])
        ).pk,
    }
    return users, ids


def outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code in (403, 404):
        return DENY
    if response.status_code == 401:
        return UNAUTH
    if response.status_code in (301, 302) and location.startswith("/accounts/login/"):
        return LOGIN
    return ALLOW


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(world, login, client, name):
    users, ids = world
    method, template, expectations = MATRIX[name]
    url = template.format(**ids)
    failures = []
    for persona in PERSONAS:
        with transaction.atomic():
            if users[persona] is None:
                client.logout()
            else:
                login(users[persona])
            response = getattr(client, method)(url)
            got = outcome(response)
            transaction.set_rollback(True)
        expected = expectations[persona]
        ok = got in (ALLOW, LOGIN) if expected == OK else got == expected
        if not ok:
            failures.append(f"{persona}: expected {expected}, got {got} ({response.status_code})")
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)


def test_django_admin_is_for_superusers_only(world, login, client):
    users, _ = world
    for persona, user in users.items():
        if user is None:
            client.logout()
        else:
            login(user)
        response = client.get("/admin/")
        assert response.status_code == 302, persona
        assert response["Location"].startswith("/admin/login/"), persona
