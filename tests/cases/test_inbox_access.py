"""The inbox shows exactly the open tasks of the user's organisations (and of the units a
supervisor oversees) on cases the user may see, plus referrals to answer; and the indexes
behind the inbox and the case lists exist."""

import datetime

from django.db import connection
from django.utils import timezone

from haven.access import policy
from haven.access.models import Share
from haven.agencies.models import Role
from haven.cases import tasks
from haven.cases.models import Case, Task
from tests.factories import OrganisationFactory, make_case, member, shared_case


def _due(days=1):
    return timezone.now() + datetime.timedelta(days=days)


def _by_the_rule(user):
    """The inbox as the access policy states it, row by row."""
    policy.forget(user)
    orgs = policy.organisation_ids(user, policy.CASE_READER_ROLES) | policy.supervised_ids(user)
    visible = set(policy.cases_visible_to(user).values_list("id", flat=True))
    return {
        t.pk
        for t in Task.objects.filter(done_at__isnull=True, organisation_id__in=orgs)
        if t.case_id in visible or t.kind == Task.Kind.REFERRAL_RESPONSE
    }


def _inbox(user):
    policy.forget(user)
    return {t.pk for t in tasks.inbox(user)}


def test_the_inbox_shows_only_tasks_on_cases_the_user_sees(personas):
    shelter = personas.shelter_hanoi
    shared, _consent, _share = shared_case(personas)
    unshared = make_case(personas.social_worker, personas.centre_laocai)
    ended, _c, ended_share = shared_case(personas)
    Share.objects.filter(pk=ended_share.pk).update(ended_at=timezone.now())
    on_shared = tasks.open_task(shared, Task.Kind.FOLLOW_UP_VISIT, shelter, _due())
    on_unshared = tasks.open_task(unshared, Task.Kind.FOLLOW_UP_VISIT, shelter, _due())
    on_ended = tasks.open_task(ended, Task.Kind.FOLLOW_UP_VISIT, shelter, _due(-1))
    to_answer = tasks.open_task(unshared, Task.Kind.REFERRAL_RESPONSE, shelter, _due(2))
    done = tasks.open_task(shared, Task.Kind.RISK_REVIEW, shelter, _due())
    tasks.close_tasks(shared, Task.Kind.RISK_REVIEW)

    seen = _inbox(personas.shelter_worker)
    assert on_shared.pk in seen and to_answer.pk in seen
    assert on_unshared.pk not in seen  # the case is not shared with the shelter
    assert on_ended.pk not in seen  # the share has ended
    assert done.pk not in seen
    assert seen == _by_the_rule(personas.shelter_worker)
    # The shelter's tasks are not the centre's: the centre sees the case but not the task.
    assert not seen & _inbox(personas.social_worker)


def test_the_inbox_of_an_unrelated_organisation_is_empty(personas):
    case = make_case(personas.social_worker, personas.centre_laocai)
    tasks.open_task(case, Task.Kind.FOLLOW_UP_VISIT, personas.centre_laocai, _due())
    stranger = member(OrganisationFactory(code="elsewhere"), Role.CASE_WORKER, "elsewhere.cw")
    analyst = member(personas.centre_laocai, Role.ANALYST, "centre.analyst")
    assert _inbox(stranger) == set()
    assert _inbox(analyst) == set()  # analysts see no case content, nor its tasks


def test_a_supervisor_sees_the_tasks_of_units_below_on_their_cases(personas):
    case = make_case(personas.social_worker, personas.centre_laocai)
    other = make_case(personas.shelter_worker, personas.shelter_hanoi)
    below = tasks.open_task(case, Task.Kind.FOLLOW_UP_VISIT, personas.centre_laocai, _due())
    elsewhere = tasks.open_task(other, Task.Kind.FOLLOW_UP_VISIT, personas.centre_laocai, _due())
    seen = _inbox(personas.supervisor)
    assert below.pk in seen
    assert elsewhere.pk not in seen  # a task of the centre, on a case nobody shared with it
    assert seen == _by_the_rule(personas.supervisor)
    assert _inbox(personas.social_worker) == _by_the_rule(personas.social_worker)


def test_the_inbox_page_counts_what_it_shows(personas, login):
    shared, _consent, _share = shared_case(personas)
    unshared = make_case(personas.social_worker, personas.centre_laocai)
    shelter = personas.shelter_hanoi
    tasks.open_task(shared, Task.Kind.FOLLOW_UP_VISIT, shelter, _due(-2))
    tasks.open_task(unshared, Task.Kind.FOLLOW_UP_VISIT, shelter, _due(-2))
    response = login(personas.shelter_worker).get("/inbox/")
    assert response.status_code == 200
    assert response.context["open_count"] == 1
    assert response.context["overdue_count"] == 1
    assert unshared.reference not in response.content.decode()


def test_the_inbox_counts_up_to_its_cap_and_says_more(personas, login, monkeypatch, settings):
    from haven.cases import journey_views

    case = make_case(personas.social_worker, personas.centre_laocai)
    Task.objects.filter(case=case).delete()  # what opening the case put in the inbox
    centre = personas.centre_laocai
    client = login(personas.social_worker)
    monkeypatch.setattr(journey_views, "INBOX_COUNT_CAP", 3)
    for days in (-3, -2, 1):
        tasks.open_task(case, Task.Kind.FOLLOW_UP_VISIT, centre, _due(days))
    response = client.get("/inbox/")
    # Three open (two overdue): at the cap, counted exactly.
    assert (response.context["open_count"], response.context["overdue_count"]) == (3, 2)
    assert not response.context["open_capped"]
    for days in (-1, 2):
        tasks.open_task(case, Task.Kind.FOLLOW_UP_VISIT, centre, _due(days))
    response = client.get("/inbox/")
    # Five open, three overdue: the overdue ones come first in due order, so their count
    # is exact; the open count stops at the cap.
    assert (response.context["open_count"], response.context["overdue_count"]) == (3, 3)
    assert response.context["open_capped"] and not response.context["overdue_capped"]
    assert "More than 3 items due" in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert "Hơn 3 việc đến hạn" in client.get("/inbox/").content.decode()
    tasks.open_task(case, Task.Kind.FOLLOW_UP_VISIT, centre, _due(-4))
    response = client.get("/inbox/")
    assert response.context["overdue_capped"]


def test_the_inbox_pages_through_its_tasks_in_due_order(personas, login, monkeypatch):
    from haven.cases import journey_views

    case = make_case(personas.social_worker, personas.centre_laocai)
    Task.objects.filter(case=case).delete()  # what opening the case put in the inbox
    centre = personas.centre_laocai
    monkeypatch.setattr(journey_views, "INBOX_PAGE_SIZE", 2)
    made = [
        tasks.open_task(case, Task.Kind.FOLLOW_UP_VISIT, centre, _due(days))
        for days in (3, -2, 1, -1, 2)
    ]
    in_due_order = [t.pk for t in sorted(made, key=lambda t: t.due_at)]
    client = login(personas.social_worker)

    def shown(page):
        response = client.get("/inbox/", {"page": page})
        assert response.status_code == 200
        return response, [t.pk for t in response.context["tasks"]]

    first, ids = shown(1)
    assert ids == in_due_order[:2]
    assert (first.context["pages"], first.context["open_count"]) == (3, 5)
    assert "Page 1 of 3" in first.content.decode()
    assert shown(2)[1] == in_due_order[2:4]
    last, ids = shown(3)
    assert ids == in_due_order[4:]
    assert [t.overdue for t in last.context["tasks"]] == [False]
    # Pages that do not exist answer with one that does, as case search does.
    assert shown(99)[1] == in_due_order[4:]
    assert shown("x")[1] == in_due_order[:2]
    assert shown(-1)[1] == in_due_order[:2]
    # Every row says what it is and when it is due.
    assert [t.kind_label for t in first.context["tasks"]] == ["follow-up visit"] * 2


def test_the_list_and_inbox_indexes_are_declared_and_built():
    assert "cases_case_owner_opened" in {i.name for i in Case._meta.indexes}
    assert "cases_task_open_inbox" in {i.name for i in Task._meta.indexes}


def test_the_indexes_exist_in_the_database(db):
    with connection.cursor() as cursor:
        case_indexes = connection.introspection.get_constraints(cursor, Case._meta.db_table)
        task_indexes = connection.introspection.get_constraints(cursor, Task._meta.db_table)
    assert case_indexes["cases_case_owner_opened"]["columns"][:3] == ["owner_id", "opened_at", "id"]
    assert task_indexes["cases_task_open_inbox"]["columns"][:3] == [
        "organisation_id",
        "due_at",
        "id",
    ]


def test_the_visibility_condition_is_the_visibility_rule(personas):
    shared_case(personas)
    make_case(personas.social_worker, personas.centre_laocai)
    make_case(personas.shelter_worker, personas.shelter_hanoi)
    for user in (
        personas.shelter_worker,
        personas.social_worker,
        personas.supervisor,
        personas.stranger,
        personas.analyst,
        personas.administrator,
    ):
        policy.forget(user)
        by_condition = set(
            Case.objects.filter(policy.visible_case_condition(user, "id")).values_list(
                "id", flat=True
            )
        )
        assert by_condition == set(policy.cases_visible_to(user).values_list("id", flat=True))
