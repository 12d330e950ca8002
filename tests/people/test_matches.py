"""Likely matches at reception, the review queue, merge and undo, and who may see what."""

import datetime

import pytest

from haven.cases import actions as case_actions
from haven.cases.models import Case
from haven.errors import ActionRefused
from haven.people import actions, matching
from haven.people.models import MatchDecision, Merge, Person
from tests.cases.reception_data import reception_post
from tests.factories import make_case, person_fields

pytestmark = pytest.mark.django_db
# The known woman as another agency types her: no diacritics, day and month swapped, no
# phone or document.
DISGUISED = {
    "full_name": "Nguyen Thi Hoa",
    "date_of_birth": "1999-02-04",
    "phone": "",
    "document_kind": "",
    "document_number": "",
}


@pytest.fixture
def known(personas):
    """Nguyễn Thị Hoà, registered by the border post with her phone number."""
    return make_case(
        personas.border_guard,
        personas.border_post_laocai,
        person={
            "full_name": "Nguyễn Thị Hoà",
            "date_of_birth": datetime.date(1999, 4, 2),
            "phone": "0912345678",
        },
    )


def post(client, organisation, **overrides):
    return client.post(
        "/receptions/new/police/", reception_post("police", organisation, **overrides)
    )


def test_a_likely_match_is_shown_before_a_new_person_is_created(personas, login, known):
    client = login(personas.border_guard)
    response = post(
        client,
        personas.border_post_laocai,
        **DISGUISED,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is she already known to Haven?" in html
    assert known.reference in html and "Nguyễn Thị Hoà" in html
    assert "date of birth (day and month swapped" in html  # the evidence, labelled
    assert Person.objects.count() == 1  # nothing created yet


def test_same_person_adds_a_case_to_the_known_person(personas, login, known):
    client = login(personas.border_guard)
    response = post(
        client,
        personas.border_post_laocai,
        **DISGUISED,
        match_choice=str(known.person.pk),
    )
    assert response.status_code == 302
    assert Person.objects.count() == 1
    new_case = Case.objects.exclude(pk=known.pk).get()
    assert new_case.person == known.person and new_case.previous_case == known


def test_different_person_is_created_and_the_answer_kept(personas, login, known):
    client = login(personas.border_guard)
    response = post(
        client,
        personas.border_post_laocai,
        **DISGUISED,
        match_choice="new",
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2
    answer = MatchDecision.objects.get()
    assert answer.decision == "different" and answer.decided_by == personas.border_guard


def test_a_match_the_user_may_not_see_reveals_only_whom_to_contact(personas, login, known):
    client = login(personas.stranger)
    response = post(
        client,
        personas.border_post_angiang,
        **{**DISGUISED, "phone": "0912 345 678"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "you may not see" in html and personas.border_post_laocai.name in html
    assert known.reference not in html and "1999" not in html.split("matches")[-1]
    assert response.context["match_panel"].visible == []  # she is not offered to choose
    response = post(
        client,
        personas.border_post_angiang,
        **{**DISGUISED, "phone": "0912 345 678"},
        match_choice=str(known.person.pk),
    )
    assert response.status_code == 200  # a hidden person cannot be chosen
    post(
        client,
        personas.border_post_angiang,
        **{**DISGUISED, "phone": "0912 345 678"},
        match_choice="new",
    )
    queued = MatchDecision.objects.get()
    assert queued.decision == "pending" and queued.source == "reception"


def test_two_women_with_the_same_common_name_and_other_birth_dates_are_not_suggested(
    personas, known
):
    other = Person(
        **person_fields(full_name="Nguyễn Thị Hoa", date_of_birth=datetime.date(1987, 11, 23))
    )
    assert matching.suggest(other) == []


def test_merge_keeps_both_records_counts_her_once_and_can_be_undone(personas):
    first = make_case(personas.border_guard, personas.border_post_laocai)
    second = make_case(
        personas.social_worker, personas.centre_laocai, person={"full_name": "Nguyen Thi Hoa"}
    )
    merge = actions.merge_persons(user=personas.supervisor, kept=first.person, merged=second.person)
    second.person.refresh_from_db()
    assert second.person.merged_into == first.person
    assert Person.objects.count() == 2
    distinct = {p.canonical_id for p in Person.objects.all()}
    assert distinct == {first.person.pk}
    actions.undo_merge(user=personas.supervisor, merge=merge)
    second.person.refresh_from_db()
    assert second.person.merged_into is None
    with pytest.raises(ActionRefused):
        actions.undo_merge(user=personas.supervisor, merge=Merge.objects.get())


def test_a_chain_of_merges_stays_one_level_and_undoes_cleanly(personas):
    a, b, c = (
        make_case(personas.border_guard, personas.border_post_laocai).person for _ in range(3)
    )
    actions.merge_persons(user=personas.border_guard, kept=b, merged=c)
    second = actions.merge_persons(user=personas.border_guard, kept=a, merged=b)
    assert set(Person.objects.filter(merged_into=a).values_list("pk", flat=True)) == {b.pk, c.pk}
    actions.undo_merge(user=personas.border_guard, merge=second)
    c.refresh_from_db()
    assert c.merged_into_id == b.pk


def test_the_review_queue_shows_only_pairs_the_user_can_see_both_of(personas, login):
    mine = make_case(personas.border_guard, personas.border_post_laocai).person
    mine_too = make_case(personas.border_guard, personas.border_post_laocai).person
    theirs = make_case(personas.stranger, personas.border_post_angiang).person
    visible = actions.note_match(mine, mine_too, score=0.9, explanation=[], source="registry")
    hidden = actions.note_match(mine, theirs, score=0.9, explanation=[], source="registry")
    client = login(personas.border_guard)
    queue = client.get("/people/matches/").context["pending"]
    assert [m.pk for m in queue] == [visible.pk]
    assert client.post(f"/people/matches/{hidden.pk}/", {"decision": "same"}).status_code == 404
    client.post(f"/people/matches/{visible.pk}/", {"decision": "same"})
    visible.refresh_from_db()
    assert visible.decision == "same"
    assert Merge.objects.get().merged == mine_too


def test_registry_search_fills_the_queue_once(personas):
    for name in ("Nguyễn Thị Hoà", "Nguyen Thi Hoa"):
        case_actions.receive_person(
            user=personas.border_guard,
            organisation=personas.border_post_laocai,
            person_fields=person_fields(full_name=name, phone="0912345678"),
            reception_fields={
                "entry_route": "police",
                "province": known_province(),
                "received_at": datetime.datetime.now(datetime.UTC),
            },
        )
    assert actions.dedupe_registry() == 1
    assert actions.dedupe_registry() == 0
    assert MatchDecision.objects.get().source == "registry"


def known_province():
    from haven.places.models import Province

    return Province.objects.get(code="15")
