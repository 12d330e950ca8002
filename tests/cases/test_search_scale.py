"""Case search at registry scale: a capped count, references searched apart from names,
the name index on PostgreSQL, and the long selects written from kept option lists."""

import pytest
from django.db import connection

from haven.access.models import Share
from haven.audit.models import AuditEvent
from haven.cases import choices, search
from haven.cases.models import Case
from haven.cases.search import CappedPaginator, looks_like_reference
from tests.factories import OrganisationFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("15-2026-00042", True),
        ("15-2026", True),
        ("L01-2024", True),
        ("15", True),
        ("Nguyễn Thị Hoà", False),
        ("hoa nguyen", False),
        ("", False),
    ],
)
def test_a_query_with_digits_is_a_reference(query, expected):
    assert looks_like_reference(query) is expected


def _cases(personas, names):
    return [
        make_case(personas.border_guard, personas.border_post_laocai, person={"full_name": n})
        for n in names
    ]


def test_the_count_stops_at_the_cap_and_says_there_are_more(personas, login, monkeypatch, settings):
    monkeypatch.setattr(search, "SEARCH_CAP", 3)
    made = _cases(personas, [f"Lê Thị Mai {c}" for c in "abcde"])
    client = login(personas.border_guard)
    for params in ({"q": "le mai"}, {}):
        response = client.get("/cases/", params)
        page = response.context["page"]
        assert page.paginator.count == 3
        assert page.paginator.capped
        assert page.paginator.num_pages == 1
        assert len(page.object_list) == 3
        # The newest first, as without a cap.
        newest = sorted(made, key=lambda c: (c.opened_at, c.pk), reverse=True)[:3]
        assert [c.reference for c in page.object_list] == [c.reference for c in newest]
    event = AuditEvent.objects.filter(action="case.search").order_by("-id").first()
    assert event.details == {"results": 3, "more": True}


def test_below_the_cap_the_count_is_exact(personas, login, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_CAP", 3)
    _cases(personas, ["Lê Thị Mai", "Lê Thị Lan", "Trần Văn Nam"])
    page = login(personas.border_guard).get("/cases/", {"q": "le thi"}).context["page"]
    assert page.paginator.count == 2
    assert not page.paginator.capped
    event = AuditEvent.objects.filter(action="case.search").order_by("-id").first()
    assert event.details == {"results": 2}


def test_the_capped_message_is_shown(personas, login, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_CAP", 1)
    _cases(personas, ["Lê Thị Mai", "Lê Thị Lan"])
    client = login(personas.border_guard)
    client.cookies["django_language"] = "en"
    html = client.get("/cases/", {"q": "le"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 1 cases" in html or "Hơn 1 hồ sơ" in html


def test_pages_of_a_one_pass_search_follow_the_order(personas):
    made = _cases(personas, [f"Lê Thị {c}" for c in "abcdefg"])
    ordered = Case.objects.filter(pk__in=[c.pk for c in made]).order_by("-opened_at", "-id")
    paginator = CappedPaginator(ordered.select_related("person"), 3, cap=5, one_pass=True)
    assert paginator.count == 5 and paginator.capped and paginator.num_pages == 2
    pages = [list(paginator.page(n).object_list) for n in (1, 2)]
    assert [c.pk for c in pages[0] + pages[1]] == [c.pk for c in ordered][:5]


def test_a_reference_query_does_not_search_names_and_a_name_query_not_references(personas, login):
    hoa, nam = _cases(personas, ["Nguyễn Thị Hoà", "Trần Văn Nam"])
    client = login(personas.border_guard)

    def refs(q):
        return [c.reference for c in client.get("/cases/", {"q": q}).context["page"].object_list]

    assert refs(hoa.reference) == [hoa.reference]
    assert refs(hoa.reference.lower()) == [hoa.reference]
    prefix = hoa.reference.rsplit("-", 1)[0]  # province and year: both cases
    assert set(refs(prefix)) == {hoa.reference, nam.reference}
    assert refs("nam") == [nam.reference]


def test_a_name_is_not_matched_where_identity_was_not_shared(personas, login):
    (hoa,) = _cases(personas, ["Nguyễn Thị Hoà"])
    Share.objects.create(
        case=hoa,
        organisation=personas.shelter_hanoi,
        sections="support",
        basis=Share.Basis.CONSENT,
        created_by=personas.border_guard,
    )
    client = login(personas.shelter_worker)
    # The case is visible by reference, its name is not searchable nor shown.
    page = client.get("/cases/", {"q": hoa.reference}).context["page"]
    assert [c.reference for c in page.object_list] == [hoa.reference]
    assert page.identity_ids == set()
    assert client.get("/cases/", {"q": "hoa"}).context["page"].paginator.count == 0
    # Shared with the identity section, the name finds it.
    Share.objects.filter(case=hoa).update(sections="identity,support")
    page = client.get("/cases/", {"q": "hoa nguyen"}).context["page"]
    assert [c.reference for c in page.object_list] == [hoa.reference]
    assert page.identity_ids == {hoa.pk}


def test_an_unrelated_organisation_finds_nothing_by_name_or_reference(personas, login):
    (hoa,) = _cases(personas, ["Nguyễn Thị Hoà"])
    client = login(personas.stranger)
    for q in ("hoa", hoa.reference, ""):
        assert client.get("/cases/", {"q": q}).context["page"].paginator.count == 0
    assert client.get(f"/cases/{hoa.reference}/").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_name_search_has_a_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_name_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition and "name_key" in definition


def test_fast_select_escapes_and_marks_the_chosen_option():
    widget = choices.FastSelect(options=[("", "—"), ("1", "A & <B>"), ("2", "C")])
    widget.is_required = True
    html = widget.render("org", 1, attrs={"id": "id_org", "required": True})
    assert html.startswith('<select name="org" id="id_org" required>')
    assert '<option value="1" selected>A &amp; &lt;B&gt;</option>' in html
    assert '<option value="2">C</option>' in html


def test_kept_options_follow_a_new_organisation(personas, login):
    client = login(personas.border_guard)
    client.get("/receptions/new/police/")  # keeps the lists of this process
    added = OrganisationFactory(
        code="new-shelter", name_vi="Nhà tạm lánh mới", name_en="Nhà tạm lánh mới"
    )
    html = client.get("/receptions/new/police/").content.decode()
    assert f'<option value="{added.pk}">Nhà tạm lánh mới</option>' in html
    choices.forget()


def test_kept_options_do_not_accept_what_the_queryset_refuses(personas, login):
    client = login(personas.border_guard)
    client.get("/receptions/new/police/")
    html = client.get("/receptions/new/police/").content.decode()
    assert 'name="nationality"' in html and 'name="handover_to"' in html
    assert 'hx-get="/places/communes/"' in html or "hx-get=" in html


def test_a_name_search_with_a_route_lists_each_case_once(personas, login):
    hoa, _nam = _cases(personas, ["Nguyễn Thị Hoà", "Trần Văn Nam"])
    client = login(personas.border_guard)
    page = client.get("/cases/", {"q": "hoa", "route": "border_handover"}).context["page"]
    assert [c.reference for c in page.object_list] == [hoa.reference]
    assert page.paginator.count == 1
    page = client.get("/cases/", {"q": "hoa", "route": "police"}).context["page"]
    assert page.paginator.count == 0
