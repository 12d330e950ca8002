"""Case search at registry scale: a capped count, references searched apart from names,
the name index on PostgreSQL, and the long selects written from kept option lists."""

import pytest
from django.db import connection

from haven.access.models import Share
from haven.audit.models import AuditEvent
from haven.cases import choices, search
from haven.cases.models import Case
from haven.cases.search import CappedPaginator, looks_like_reference
from haven.people.models import Person
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


def _share_support_only(personas, case):
    """The Hà Nội shelter sees the case's support section, not who she is."""
    Share.objects.create(
        case=case,
        organisation=personas.shelter_hanoi,
        sections="support",
        basis=Share.Basis.CONSENT,
        created_by=personas.border_guard,
    )


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
    _share_support_only(personas, hoa)
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


# The case's copy of the person's search key (Case.name_key, cases migration 0005) -----------


def _person_based(personas, user, query):
    """The cases a name query found before the key was copied onto the case: matched through
    the person's own key, under the same access and identity rules."""
    from haven.access import policy
    from haven.access.models import Section
    from haven.people.text import fold_tokens

    cases = policy.cases_visible_to(user) & policy.cases_with_section(user, Section.IDENTITY)
    for token in fold_tokens(query):
        cases = cases.filter(person__name_key__contains=f" {token}")
    return set(cases.values_list("reference", flat=True))


def test_a_new_case_carries_its_persons_search_key(personas):
    (hoa,) = _cases(personas, ["Nguyễn Thị Hoà"])
    assert hoa.name_key == hoa.person.name_key == " nguyen thi hoa"
    assert Case.objects.get(pk=hoa.pk).name_key == " nguyen thi hoa"


def test_a_renamed_person_renames_the_key_on_each_of_her_cases(personas, login):
    (first,) = _cases(personas, ["Nguyễn Thị Hoà"])
    second = make_case(
        personas.border_guard, personas.border_post_laocai, existing_person=first.person
    )
    person = Person.objects.get(pk=first.person_id)
    person.full_name = "Trần Thị Mai"
    person.other_names = "Mây"
    person.save()
    keys = set(Case.objects.filter(pk__in=[first.pk, second.pk]).values_list("name_key", flat=True))
    assert keys == {" tran thi mai may"} == {Person.objects.get(pk=person.pk).name_key}
    client = login(personas.border_guard)

    def refs(q):
        return {c.reference for c in client.get("/cases/", {"q": q}).context["page"].object_list}

    assert refs("hoa") == set()
    assert refs("Trần Mai") == refs("may") == {first.reference, second.reference}


def test_saving_a_person_without_a_new_name_writes_no_case(personas):
    from django.test.utils import CaptureQueriesContext

    (hoa,) = _cases(personas, ["Nguyễn Thị Hoà"])
    person = Person.objects.get(pk=hoa.person_id)
    person.languages = "Tiếng Việt"
    with CaptureQueriesContext(connection) as captured:
        person.save()
    assert not [q for q in captured if "cases_case" in q["sql"]]


def test_saving_a_case_field_does_not_read_the_person(personas):
    from django.test.utils import CaptureQueriesContext

    (hoa,) = _cases(personas, ["Nguyễn Thị Hoà"])
    case = Case.objects.get(pk=hoa.pk)
    case.status = "screening"
    with CaptureQueriesContext(connection) as captured:
        case.save(update_fields=["status"])
    assert len(captured) == 1 and "people_person" not in captured[0]["sql"]
    # Given another person, the key follows her even when only the person is named.
    other = Person.objects.get(pk=_cases(personas, ["Lò Thị Mỷ"])[0].person_id)
    case.person = other
    case.save(update_fields=["person"])
    assert Case.objects.get(pk=hoa.pk).name_key == " lo thi my"


@pytest.mark.parametrize(
    "query",
    ["Nguyễn Linh", "nguyen linh", "NGUYỄN", "linh", "Thị", "thi lan", "tran", "ngu", "lan tran"],
)
def test_name_search_finds_what_matching_through_the_person_found(personas, login, query):
    names = ["Nguyễn Thị Linh", "Nguyen Van Linh", "Trần Thị Lan", "Nguyễn Thị Lan Anh", "Lê Linh"]
    _cases(personas, names)
    make_case(
        personas.social_worker, personas.centre_laocai, person={"full_name": "Nguyễn Thị Linh"}
    )
    user = personas.border_guard
    expected = _person_based(personas, user, query)
    page = login(user).get("/cases/", {"q": query}).context["page"]
    assert {c.reference for c in page.object_list} == expected
    assert expected  # every query finds something here


def test_another_organisations_worker_finds_none_of_them_by_name(personas, login):
    _cases(personas, ["Nguyễn Thị Hoà"])
    mine = make_case(
        personas.shelter_worker, personas.shelter_hanoi, person={"full_name": "Nguyễn Thị Lan"}
    )
    page = login(personas.shelter_worker).get("/cases/", {"q": "nguyen"}).context["page"]
    assert [c.reference for c in page.object_list] == [mine.reference]
    assert _person_based(personas, personas.shelter_worker, "nguyen") == {mine.reference}


def test_the_api_search_matches_names_on_the_case_with_the_identity_rule(personas):
    from haven.access.models import Section
    from haven.cases.search import filter_cases

    (hoa,) = _cases(personas, ["Nguyễn Thị Hoà"])
    _share_support_only(personas, hoa)
    user = personas.shelter_worker

    def found(q):
        from haven.access import policy

        policy.forget(user)
        visible, identity = (
            policy.cases_visible_to(user),
            policy.cases_with_section(user, Section.IDENTITY),
        )
        return list(filter_cases(visible, {"q": q}, identity_visible=identity))

    assert found("hoa") == []
    Share.objects.filter(case=hoa).update(sections=f"{Section.IDENTITY},support")
    assert found("hoà nguyễn") == [hoa]


def test_the_migration_fills_the_key_of_existing_cases(personas):
    import importlib

    migration = importlib.import_module("haven.cases.migrations.0005_case_name_key")
    hoa, lan = _cases(personas, ["Nguyễn Thị Hoà", "Trần Thị Lan"])
    Case.objects.update(name_key="")

    class Editor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    migration.fill(None, Editor())
    assert dict(Case.objects.values_list("pk", "name_key")) == {
        hoa.pk: " nguyen thi hoa",
        lan.pk: " tran thi lan",
    }


def test_synthetic_cases_carry_their_persons_key():
    from haven.synth.registry import Generator

    Generator(seed=9, batch=40).run(60)
    cases = Case.objects.select_related("person")
    assert cases.count() >= 60
    assert all(c.name_key == c.person.name_key and c.name_key.startswith(" ") for c in cases)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_the_case_name_index_holds_every_prefix_of_every_word():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_name_prefixes'")
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT haven_name_prefixes(' le thi  anh'), haven_name_prefixes('')")
        prefixes, empty = cursor.fetchone()
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'case_owner_name_trgm'")
        assert cursor.fetchone() is None  # the trigram index it replaced is gone
    assert "USING gin (haven_name_prefixes((name_key)::text))" in definition
    assert sorted(prefixes) == ["a", "an", "anh", "l", "le", "t", "th", "thi"]
    assert empty == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_a_name_search_asks_the_prefix_index_for_its_rarer_words_only(personas):
    from haven.access import policy
    from haven.access.models import Section

    user = personas.border_guard
    visible = policy.cases_visible_to(user)
    identity = policy.cases_with_section(user, Section.IDENTITY)

    def sql(q):
        return str(search.filter_cases(visible, {"q": q}, identity_visible=identity).query)

    assert "haven_name_prefixes" in sql("Nguyễn Linh") and "linh" in sql("Nguyễn Linh")
    assert "nguyen" not in sql("Nguyễn Linh").split("@>")[1].split("AND")[0]
    assert "haven_name_prefixes" not in sql("Nguyễn Thị")  # every word frequent: LIKE only


def test_common_words_are_still_required_when_a_rarer_word_goes_through_the_index(personas, login):
    """ "Nguyễn" and "Thị" are left out of the index condition when a rarer word is there,
    and checked on the rows it found: the cases found are the same."""
    assert search._frequent("nguyen") and search._frequent("thi")
    assert search._frequent("ng") and not search._frequent("linh")
    _cases(personas, ["Nguyễn Thị Linh", "Nguyễn Văn Linh", "Trần Linh", "Nguyễn Thị Lan"])
    client = login(personas.border_guard)

    def found(query):
        page = client.get("/cases/", {"q": query}).context["page"]
        return sorted(case.person.full_name for case in page.object_list)

    assert found("Nguyễn Linh") == ["Nguyễn Thị Linh", "Nguyễn Văn Linh"]
    assert found("nguyen thi linh") == ["Nguyễn Thị Linh"]
    assert found("Thị") == ["Nguyễn Thị Lan", "Nguyễn Thị Linh"]  # all common: all indexed
