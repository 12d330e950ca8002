"""Every list page and API list runs a number of SQL queries that does not grow with its rows.

Each entry below opens a list as one persona with a few rows, adds several times more rows of
the same kinds (related objects filled in, so a missing select_related/prefetch_related would
show as one query per row), opens it again and asserts both counts are equal and under a stated
bound (no +1/+2 allowance is needed: every count below is exactly flat). One request runs
first, unmeasured, so per-process caches (content types, rules) are warm for both measured
requests; it is not needed by any list today, but keeps the comparison about rows alone.

Lists covered: the inbox, the match review queue, the reports drill-down, the import list and
an import's report, the API clients page, a case's access log, the lists on a case's pages
(consents and shares, decisions, services, risk assessments, conferences), a directory entry's
assessments, and every GET list of the JSON API but /cases.

Covered elsewhere, and not repeated here: the case list and work list
(tests/cases/test_search.py), the directory, referral list, capacity building and a case's
referrals (tests/referrals/test_pages.py), the administration lists
(tests/administration/test_views.py) and GET /api/v1/cases (tests/api/test_cases.py).
"""

import dataclasses
import datetime
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.access import actions as access_actions
from haven.access.models import Consent, Share
from haven.agencies.models import Role
from haven.api import clients
from haven.api.models import Scope
from haven.audit import log as audit
from haven.cases import identification
from haven.cases.models import AccompanyingChild, Reception
from haven.imports.models import RegisterImport
from haven.people import actions as people_actions
from haven.people.models import IdentityDocument, Person
from haven.places.models import Country
from haven.referrals import actions as referral_actions
from haven.referrals.models import Provider, QualityDomain
from haven.support import actions as support_actions
from tests.factories import OrganisationFactory, make_case, member, reception_fields
from tests.imports.helpers import csv_bytes, make_register_import, row
from tests.referrals.conftest import list_provider

FEW, MORE = 2, 8  # rows before, rows added before the second measurement (5x as many)


@dataclasses.dataclass
class World:
    personas: object
    case: object  # a case of the Lào Cai centre: the subject of per-case lists
    token: str  # an API token of the centre, every scope
    grown: int = 0  # how many times `grow` ran: makes each new row distinct


@pytest.fixture
def world(personas):
    case = make_case(personas.social_worker, personas.centre_laocai)
    admin = member(personas.centre_laocai, Role.ADMINISTRATOR, "admin.ctxh")
    _client, token = clients.create_client(
        admin=admin, organisation=personas.centre_laocai, name="Register", scopes=Scope.values
    )
    return World(personas=personas, case=case, token=token)


# ---- what each list's rows are made of -------------------------------------------------------


def open_cases(w: World):
    """A case of the centre: its person, owner, province, reception and identification task."""
    make_case(w.personas.social_worker, w.personas.centre_laocai, person={"full_name": "Lò Thị"})


def match_and_merge(w: World):
    """A pending pair of persons to review and a merge of two others, all of the centre."""
    a, b, kept, merged = (
        make_case(w.personas.social_worker, w.personas.centre_laocai).person for _ in range(4)
    )
    people_actions.note_match(a, b, score=0.9, explanation=[], source="registry")
    people_actions.merge_persons(user=w.personas.social_worker, kept=kept, merged=merged)


def register_import(w: World):
    make_register_import(w.personas.social_worker, w.personas.centre_laocai, csv_bytes([row()]))


def import_with_rows(w: World):
    """A new import of `grown` rows, each with errors (listed in its report table): the
    detail page shows the newest import."""
    bad = [row(name=f"Người {i}", sex="?", born="not a date") for i in range(w.grown or 1)]
    make_register_import(w.personas.social_worker, w.personas.centre_laocai, csv_bytes(bad))


def api_client(w: World):
    """A client of the ministry, made by its administrator; every other one is revoked."""
    made, _token = clients.create_client(
        admin=w.personas.administrator,
        organisation=w.personas.ministry,
        name=f"System {w.grown}",
        scopes=["cases:read"],
    )
    if w.grown % 2:
        clients.revoke_client(admin=w.personas.administrator, client=made)


def access_event(w: World):
    """The social worker opening the case (an audit event of the case)."""
    audit.record(
        "case.view",
        user=w.personas.social_worker,
        obj=w.case,
        ip_address="10.0.0.1",
        details={"reference": w.case.reference},
    )


def consent(w: World):
    access_actions.record_consent(
        user=w.personas.social_worker,
        organisation=w.personas.centre_laocai,
        case=w.case,
        purpose=Consent.Purpose.SHARE,
        decision="given",
        informed_in_language="Tiếng Việt",
        recipient_organisation=OrganisationFactory(),
    )


def share(w: World):
    access_actions.share_case(
        user=w.personas.social_worker,
        organisation=w.personas.centre_laocai,
        case=w.case,
        recipient=OrganisationFactory(),
        sections={"support"},
        basis=Share.Basis.LAW,
        legal_basis="Law 53/2024 Art. 30",
    )


def consent_and_share(w: World):
    consent(w)
    share(w)


def decision(w: World):
    identification.decide_identification(
        user=w.personas.social_worker,
        organisation=w.personas.centre_laocai,
        case=w.case,
        status="victim",
        decided_on=timezone.localdate(),
        evidence=[("own_statement", "She told us."), ("sign", "Rescued with others.")],
        legal_basis="Law 53/2024/QH15 Art. 32",
    )


def service(w: World):
    support_actions.add_service(
        user=w.personas.social_worker,
        organisation=w.personas.centre_laocai,
        case=w.case,
        support_type="legal_information",
        provider=OrganisationFactory(),
        paid_by=OrganisationFactory(),
    )


def risk_assessment(w: World):
    support_actions.assess_risk(
        user=w.personas.social_worker,
        organisation=w.personas.centre_laocai,
        case=w.case,
        subject="person",
        level="medium",
        measures="Đổi chỗ ở",
        measures_by=OrganisationFactory(),
    )


def conference(w: World):
    """A case conference with two organisations at the table."""
    support_actions.hold_conference(
        user=w.personas.social_worker,
        organisation=w.personas.centre_laocai,
        case=w.case,
        held_on=timezone.localdate(),
        reason="declines_help",
        organisations=[OrganisationFactory(), OrganisationFactory()],
        decisions=f"Gặp lại sau {w.grown} tuần",
    )


def reception(w: World):
    """Another reception of the case, with a child accompanying her."""
    received = Reception.objects.create(
        case=w.case,
        received_by=w.personas.centre_laocai,
        recorded_by=w.personas.social_worker,
        age_at_reception=25,
        is_child=False,
        **reception_fields(return_country=Country.objects.get(code="CN")),
    )
    child = Person.objects.create(full_name="Lò Văn Bé", sex="M")
    AccompanyingChild.objects.create(reception=received, child=child, relationship="son")


def other_case_and_document(w: World):
    """Another case of the same person, and another identity document of hers."""
    person = w.case.person
    make_case(w.personas.social_worker, w.personas.centre_laocai, existing_person=person)
    IdentityDocument.objects.create(
        person=person,
        kind="passport",
        number=f"C{1000000 + w.grown}",
        issuing_country=Country.objects.get(code="VN"),
    )


def provider(w: World):
    list_provider(OrganisationFactory(), user=w.personas.shelter_worker, provinces=("01", "15"))


def shelter_entry(w: World):
    """The Hà Nội shelter's entry in the directory (listed on first use)."""
    found = Provider.objects.filter(organisation=w.personas.shelter_hanoi).first()
    return found or list_provider(w.personas.shelter_hanoi, user=w.personas.shelter_worker)


def assessment(w: World):
    """A quality assessment of the shelter by the Lào Cai health department."""
    referral_actions.record_assessment(
        user=w.personas.supervisor,
        organisation=w.personas.health_dept_laocai,
        provider=shelter_entry(w),
        assessed_on=datetime.date(2026, 1, 1),
        **dict.fromkeys(QualityDomain.values, 3),
    )


def referrals_both_ways(w: World):
    """A referral the centre sends, and one it receives from the Lào Cai border post."""
    personas = w.personas
    if not Provider.objects.filter(organisation=personas.centre_laocai).exists():
        list_provider(personas.centre_laocai, user=personas.social_worker, provinces=("15",))
    law = {"basis": "law", "legal_basis": "Law 53/2024/QH15 Art. 3", "sections": ["support"]}
    referral_actions.send_referral(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=make_case(personas.social_worker, personas.centre_laocai),
        to_organisation=OrganisationFactory(),
        services=["psychological"],
        **law,
    )
    referral_actions.send_referral(
        user=personas.border_guard,
        organisation=personas.border_post_laocai,
        case=make_case(personas.border_guard, personas.border_post_laocai),
        to_organisation=personas.centre_laocai,
        services=["psychological"],
        **law,
    )


# ---- where the lists are --------------------------------------------------------------------


def drilldown_url(w) -> str:
    """The cases received in the last 30 days (the default period is the last full quarter)."""
    today = timezone.localdate()
    return f"/reports/cases/?start={today - datetime.timedelta(days=30)}&end={today}"


def newest_import(w: World) -> str:
    return f"/imports/{RegisterImport.objects.latest('id').pk}/"


def case_url(suffix):
    return lambda w: f"/api/v1/cases/{w.case.reference}/{suffix}"


# ---- how many rows a response lists ---------------------------------------------------------


def html_count(pattern: str) -> Callable:
    return lambda response: len(re.findall(pattern, response.content.decode()))


def json_count(*keys: str) -> Callable:
    def count(response):
        data = response.json()
        return sum(len(data[k]) for k in keys) if keys else len(data)

    return count


@dataclasses.dataclass
class ListCase:
    persona: str | None  # who opens the page; None: the centre's API token
    url: Callable  # World -> URL (after growing: the import detail shows the newest import)
    grow: Callable  # World -> None: adds one row (or one of each kind of row) the user sees
    rows: Callable  # response -> how many rows it lists
    bound: int  # the most queries the request may take
    per_grow: int = 1  # rows listed per call of `grow`


TBODY_ROW = r"<tr[ >](?!\s*<th)"
# Each bound is the count measured when this was written plus 3 (the same on SQLite and
# PostgreSQL); the counts themselves do not change between few and many rows.
CASES = {
    "/inbox/": ListCase(
        "social_worker", lambda w: "/inbox/", open_cases, html_count(TBODY_ROW), 15
    ),
    "/people/matches/": ListCase(
        "social_worker",
        lambda w: "/people/matches/",
        match_and_merge,
        html_count(r'value="same"|/people/merges/\d+/undo/'),
        21,
        per_grow=2,
    ),
    "/reports/cases/": ListCase(
        "supervisor", drilldown_url, open_cases, html_count(r'<td><a href="/cases/'), 22
    ),
    "/imports/": ListCase(
        "social_worker",
        lambda w: "/imports/",
        register_import,
        html_count(r'<li><a href="/imports/\d+/"'),
        15,
    ),
    "/imports/<id>/": ListCase(
        "social_worker", newest_import, import_with_rows, html_count(r"<tr>\s*<td>"), 13
    ),
    "/api/clients/": ListCase(
        "administrator",
        lambda w: "/api/clients/",
        api_client,
        html_count(r"<tr>\s*<td>"),
        17,
    ),
    "/cases/<ref>/access-log/": ListCase(
        "supervisor",
        lambda w: f"/cases/{w.case.reference}/access-log/",
        access_event,
        html_count(r"<tr><td>"),
        22,
    ),
    "/cases/<ref>/": ListCase(
        "social_worker",
        lambda w: f"/cases/{w.case.reference}/",
        consent_and_share,
        html_count(r"/consents/\d+/withdraw/|/shares/\d+/end/"),
        32,
        per_grow=2,
    ),
    "/cases/<ref>/identification/": ListCase(
        "social_worker",
        lambda w: f"/cases/{w.case.reference}/identification/",
        decision,
        html_count(r"She told us\."),
        23,
    ),
    "/cases/<ref>/support/": ListCase(
        "social_worker",
        lambda w: f"/cases/{w.case.reference}/support/",
        service,
        html_count(r"/support/services/\d+/deliver/"),
        28,
    ),
    "/cases/<ref>/safety/": ListCase(
        "social_worker",
        lambda w: f"/cases/{w.case.reference}/safety/",
        risk_assessment,
        html_count(r"<div><p><strong>"),
        21,
    ),
    "/cases/<ref>/follow-up/": ListCase(
        "social_worker",
        lambda w: f"/cases/{w.case.reference}/follow-up/",
        conference,
        html_count(r"Gặp lại sau"),
        24,
    ),
    "/directory/<id>/": ListCase(
        "social_worker",
        lambda w: f"/directory/{shelter_entry(w).pk}/",
        assessment,
        html_count(r"<td><strong>[^<]*</strong></td></tr>"),
        19,
    ),
    "/api/v1/cases/<ref>/consents": ListCase(None, case_url("consents"), consent, json_count(), 12),
    "/api/v1/cases/<ref>/shares": ListCase(None, case_url("shares"), share, json_count(), 12),
    "/api/v1/cases/<ref>/decisions": ListCase(
        None, case_url("decisions"), decision, json_count(), 14
    ),
    "/api/v1/cases/<ref>/services": ListCase(None, case_url("services"), service, json_count(), 13),
    "/api/v1/cases/<ref>/receptions": ListCase(
        None, case_url("receptions"), reception, json_count(), 15
    ),
    "/api/v1/cases/<ref>/person": ListCase(
        None,
        case_url("person"),
        other_case_and_document,
        json_count("other_cases", "identity_documents"),
        15,
        per_grow=2,
    ),
    "/api/v1/providers": ListCase(
        None, lambda w: "/api/v1/providers", provider, json_count("results"), 9
    ),
    "/api/v1/referrals": ListCase(
        None,
        lambda w: "/api/v1/referrals",
        referrals_both_ways,
        json_count("received", "sent"),
        13,
        per_grow=2,
    ),
}


def queries_for(client, w: World, case: ListCase, headers: dict) -> tuple[int, int]:
    """(queries, rows listed) for one request of the list."""
    url = case.url(w)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:500]
    return len(captured), case.rows(response)


def grow(w: World, case: ListCase, n: int) -> None:
    for _ in range(n):
        w.grown += 1
        case.grow(w)


@pytest.mark.parametrize("name", list(CASES))
def test_query_count_does_not_grow_with_the_rows_listed(world, login, client, name):
    case = CASES[name]
    headers = {}
    if case.persona is None:
        headers = {"Authorization": f"Bearer {world.token}"}
    else:
        client = login(getattr(world.personas, case.persona))

    grow(world, case, FEW)
    queries_for(client, world, case, headers)  # warm-up: per-process caches
    few_queries, few_rows = queries_for(client, world, case, headers)
    grow(world, case, MORE)
    # Again: growing may save organisations, which empties the kept option lists.
    queries_for(client, world, case, headers)
    many_queries, many_rows = queries_for(client, world, case, headers)

    assert many_rows >= few_rows + MORE * case.per_grow, (
        f"{name}: the added rows are not listed ({few_rows} then {many_rows})"
    )
    assert many_queries == few_queries, (
        f"{name}: {few_queries} queries for {few_rows} rows, {many_queries} for {many_rows}"
    )
    assert many_queries <= case.bound, f"{name}: {many_queries} queries (bound {case.bound})"
