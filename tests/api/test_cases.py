"""Cases, persons and receptions through the API: sections, filters, pages, queries, audit."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.access import actions as access_actions
from haven.access.models import Share
from haven.audit.models import AuditEvent
from tests.factories import make_case


def test_a_share_without_identity_returns_no_name(world, token_for, api):
    personas = world["personas"]
    case = world["case"]
    access_actions.share_case(
        user=personas.social_worker,
        organisation=personas.centre_laocai,
        case=case,
        recipient=personas.consulate_phnompenh,
        sections={"support"},
        basis=Share.Basis.LAW,
        legal_basis="Law 53/2024 Art. 30",
    )
    token = token_for(personas.consulate_phnompenh)
    detail = api(token).get(f"/api/v1/cases/{case.reference}").json()
    assert detail["person_name"] is None and detail["person"] is None
    assert detail["access"]["sections"] == ["support"]
    assert detail["documents"] == []  # an identity document: identity section
    assert "Hoà" not in str(detail)
    listed = api(token).get("/api/v1/cases").json()["results"]
    assert listed[0]["person_name"] is None
    assert api(token).get("/api/v1/cases", {"q": "hoa"}).json()["count"] == 0
    assert api(token).get(f"/api/v1/cases/{case.reference}/person").status_code == 404
    reception = api(token).get(f"/api/v1/cases/{case.reference}/receptions").json()[0]
    assert reception["children"] is None and reception["situation"] is None
    assert reception["needs"] is not None and reception["needs_notes"] is None


def test_the_shared_organisation_sees_the_shared_sections(world, token_for, api):
    token = token_for(world["personas"].shelter_hanoi)
    ref = world["case"].reference
    detail = api(token).get(f"/api/v1/cases/{ref}").json()
    assert detail["person"]["full_name"] == "Nguyễn Thị Hoà"
    assert detail["access"] == {
        "sections": ["identity", "support"],
        "can_write": False,
        "can_share": False,
    }
    assert len(detail["documents"]) == 1
    person = api(token).get(f"/api/v1/cases/{ref}/person").json()
    assert person["other_cases"] == []


def test_reads_write_the_pages_audit_records(world, token_for, api):
    token = token_for(world["personas"].centre_laocai)
    ref = world["case"].reference
    before = AuditEvent.objects.count()
    api(token).get("/api/v1/cases", {"q": "hoa"})
    api(token).get(f"/api/v1/cases/{ref}")
    api(token).get(f"/api/v1/cases/{ref}/person")
    api(token).get(f"/api/v1/cases/{ref}/receptions")
    actions = list(AuditEvent.objects.order_by("id")[before:].values_list("action", flat=True))
    assert actions == ["case.search", "case.view", "case.view", "case.view"]


def test_filters_and_pages(world, token_for, api):
    personas = world["personas"]
    for name in ("Trần Thị Bình", "Lê Thị Cúc", "Phạm Thị Dung"):
        make_case(
            personas.social_worker,
            personas.centre_laocai,
            person={"full_name": name},
            reception={"entry_route": "police", "border_kind": "", "handed_over_by": ""},
        )
    token = token_for(personas.centre_laocai)
    page = api(token).get("/api/v1/cases", {"page_size": 3}).json()
    assert (page["count"], page["pages"], len(page["results"])) == (4, 2, 3)
    second = api(token).get("/api/v1/cases", {"page_size": 3, "page": 2}).json()
    assert len(second["results"]) == 1
    assert api(token).get("/api/v1/cases", {"route": "police"}).json()["count"] == 3
    assert api(token).get("/api/v1/cases", {"q": "cuc"}).json()["count"] == 1
    assert api(token).get("/api/v1/cases", {"province": "15"}).json()["count"] == 4
    assert api(token).get("/api/v1/cases", {"province": "01"}).json()["count"] == 0
    assert api(token).get("/api/v1/cases", {"status": "closed"}).json()["count"] == 0
    assert api(token).get("/api/v1/cases", {"status": "nope"}).status_code == 422


def test_the_list_does_not_grow_queries_with_its_length(world, token_for, api):
    personas = world["personas"]
    token = token_for(personas.centre_laocai)
    api(token).get("/api/v1/cases")  # warm up caches (content types, sequences)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api(token).get("/api/v1/cases").status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        make_case(personas.social_worker, personas.centre_laocai)
    assert count() == few
