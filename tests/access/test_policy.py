import pytest

from haven.access import policy
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case(personas.social_worker, personas.centre_laocai)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("social_worker", True),  # owning organisation's case worker
        ("supervisor", True),  # supervisor of the owner's parent organisation
        ("border_guard", False),  # another organisation, no reception or handover
        ("stranger", False),  # same kind of organisation, other province
        ("shelter_worker", False),
        ("consul", False),
        ("analyst", False),  # aggregates only
        ("administrator", False),  # manages users, never reads cases
    ],
)
def test_who_sees_a_case(personas, login, case, persona, sees):
    user = getattr(personas, persona)
    assert policy.cases_visible_to(user).filter(pk=case.pk).exists() is sees
    status = login(user).get(f"/cases/{case.reference}/").status_code
    assert status == (200 if sees else 404)


def test_the_receiving_organisation_sees_the_case_but_cannot_change_it(personas):
    case = make_case(personas.border_guard, personas.border_post_laocai)
    case.owner = personas.centre_laocai
    case.save()
    assert policy.cases_visible_to(personas.border_guard).filter(pk=case.pk).exists()
    assert not policy.cases_writable_by(personas.border_guard).filter(pk=case.pk).exists()


def test_an_inactive_membership_gives_no_access(personas, case):
    personas.social_worker.memberships.update(is_active=False)
    assert not policy.cases_visible_to(personas.social_worker).exists()


def test_an_inactive_organisation_gives_no_access(personas, case):
    personas.centre_laocai.is_active = False
    personas.centre_laocai.save()
    assert not policy.cases_visible_to(personas.social_worker).exists()


def test_anonymous_sees_nothing(case):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.cases_visible_to(AnonymousUser()).exists()
