"""The shared cases in the access policy: carried as a list of ids while they are few and as
a subquery beyond `policy.SHARED_IDS_LISTED`; either way the same cases."""

import pytest
from django.db import connection

from haven.access import policy
from haven.access.models import Section, Share
from haven.cases.models import Case
from tests.factories import make_case, shared_case

pytestmark = pytest.mark.django_db


def _share(case, organisation, sections, by, ended=False):
    from django.utils import timezone

    return Share.objects.create(
        case=case,
        organisation=organisation,
        sections=sections,
        basis=Share.Basis.CONSENT,
        created_by=by,
        ended_at=timezone.now() if ended else None,
    )


@pytest.fixture
def shared(personas):
    """Three Lào Cai cases shared with the Hà Nội shelter (one without identity, one ended),
    and the shelter's own case."""
    shared_case(personas)
    made = [make_case(personas.border_guard, personas.border_post_laocai) for _ in range(3)]
    _share(made[0], personas.shelter_hanoi, "identity,support", personas.border_guard)
    _share(made[1], personas.shelter_hanoi, "support", personas.border_guard)
    _share(made[2], personas.shelter_hanoi, "identity", personas.border_guard, ended=True)
    make_case(personas.shelter_worker, personas.shelter_hanoi)
    return made


def _ids(queryset):
    return set(queryset.values_list("id", flat=True))


@pytest.mark.parametrize("listed", [0, 1, 1000])
def test_listed_or_as_a_subquery_the_shared_cases_are_the_same(
    personas, shared, listed, monkeypatch
):
    users = [
        personas.shelter_worker,
        personas.social_worker,
        personas.supervisor,
        personas.border_guard,
        personas.stranger,
        personas.analyst,
    ]
    expected = {}
    for user in users:
        policy.forget(user)
        expected[user.pk] = (
            _ids(policy.cases_visible_to(user)),
            _ids(policy.cases_with_section(user, Section.IDENTITY)),
        )
    monkeypatch.setattr(policy, "SHARED_IDS_LISTED", listed)
    for user in users:
        policy.forget(user)
        visible = _ids(policy.cases_visible_to(user))
        assert (visible, _ids(policy.cases_with_section(user, Section.IDENTITY))) == expected[
            user.pk
        ]
        by_condition = _ids(Case.objects.filter(policy.visible_case_condition(user, "id")))
        assert by_condition == visible
    shelter = expected[personas.shelter_worker.pk]
    assert shared[0].pk in shelter[1] and shared[1].pk in shelter[0] - shelter[1]
    assert shared[2].pk not in shelter[0]


def test_many_shared_cases_go_as_a_subquery_and_a_name_still_needs_identity(
    personas, shared, login, monkeypatch
):
    monkeypatch.setattr(policy, "SHARED_IDS_LISTED", 1)
    sql = str(policy.cases_visible_to(personas.shelter_worker).query)
    assert "access_share" in sql  # the ids are not carried in the query
    page = login(personas.shelter_worker).get("/cases/", {"q": "hoa"}).context["page"]
    # Of the Lào Cai cases (all "Nguyễn Thị Hoà") only those sharing identity are found.
    found = {c.pk for c in page.object_list}
    assert shared[0].pk in found and shared[1].pk not in found and shared[2].pk not in found


def test_the_active_share_index_exists():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Share._meta.db_table)
    assert indexes["access_share_active_case"]["columns"] == ["organisation_id", "case_id"]
