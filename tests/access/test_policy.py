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


def test_after_ownership_moves_the_former_owner_sees_nothing_without_a_share(personas):
    case = make_case(personas.border_guard, personas.border_post_laocai)
    case.owner = personas.centre_laocai
    case.save()
    assert not policy.cases_visible_to(personas.border_guard).filter(pk=case.pk).exists()
    assert policy.cases_visible_to(personas.social_worker).filter(pk=case.pk).exists()


def test_a_handover_shares_the_case_read_only_with_the_receiver(personas):
    import datetime

    from django.utils import timezone

    from haven.cases import actions

    case = make_case(
        personas.border_guard,
        personas.border_post_laocai,
        handover=actions.NewHandover(
            to_organisation=personas.centre_laocai,
            handed_over_at=timezone.now() - datetime.timedelta(hours=1),
        ),
    )
    access = policy.case_access(personas.social_worker, case)
    assert "identity" in access.sections
    assert "legal" not in access.sections
    assert not access.can_write
    assert not policy.cases_writable_by(personas.social_worker).filter(pk=case.pk).exists()
    share = case.shares.get()
    assert share.basis == "law"
    assert "Art. 30" in share.legal_basis


def test_an_inactive_membership_gives_no_access(personas, case):
    personas.social_worker.memberships.update(is_active=False)
    policy.forget(personas.social_worker)
    assert not policy.cases_visible_to(personas.social_worker).exists()


def test_an_inactive_organisation_gives_no_access(personas, case):
    personas.centre_laocai.is_active = False
    personas.centre_laocai.save()
    policy.forget(personas.social_worker)
    assert not policy.cases_visible_to(personas.social_worker).exists()


def test_anonymous_sees_nothing(case):
    from django.contrib.auth.models import AnonymousUser

    assert not policy.cases_visible_to(AnonymousUser()).exists()
