"""administration/scope.py: who manages which organisations and users."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from haven.access import policy
from haven.administration import scope as scopes
from haven.agencies.models import Membership, Organisation, OrganisationKind, Role
from tests.factories import OrganisationFactory, UserFactory, member, province

pytestmark = pytest.mark.django_db


def org_codes(user):
    return set(
        scopes.organisations_managed(scopes.admin_scope(user)).values_list("code", flat=True)
    )


def usernames(user):
    return set(scopes.users_managed(scopes.admin_scope(user)).values_list("username", flat=True))


def test_a_national_administrator_manages_every_organisation(personas, provincial):
    scope = scopes.admin_scope(personas.administrator)
    assert scope.national
    assert org_codes(personas.administrator) == set(
        Organisation.objects.values_list("code", flat=True)
    )


def test_a_national_administrator_manages_every_user_but_themselves_and_superusers(
    personas, provincial
):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    managed = usernames(personas.administrator)
    assert {
        "border.laocai",
        "stranger.angiang",
        "analyst",
        "admin.laocai",
        "clerk.angiang",
    } <= managed
    assert "admin" not in managed
    assert "root" not in managed


def test_a_provincial_administrator_manages_organisations_of_their_province_only(
    personas, provincial
):
    scope = scopes.admin_scope(provincial.admin_laocai)
    assert not scope.national
    assert scope.provinces == {province("15").pk}
    assert org_codes(provincial.admin_laocai) == {
        "syt-laocai",
        "ctxh-laocai",
        "dbp-laocai",
        "snv-laocai",
    }
    assert org_codes(provincial.admin_angiang) == {"dbp-angiang", "snv-angiang"}


def test_an_organisation_serving_two_provinces_is_managed_nationally_only(personas, provincial):
    both = OrganisationFactory(code="both")
    both.provinces.set([province("15"), province("91")])
    assert "both" not in org_codes(provincial.admin_laocai)
    assert "both" not in org_codes(provincial.admin_angiang)
    assert "both" in org_codes(personas.administrator)


def test_an_administrator_of_two_provinces_manages_both(personas, provincial):
    both = OrganisationFactory(code="both")
    both.provinces.set([province("15"), province("91")])
    Membership.objects.create(
        user=provincial.admin_laocai,
        organisation=provincial.home_affairs_angiang,
        role=Role.ADMINISTRATOR,
    )
    assert {"both", "snv-angiang", "snv-laocai"} <= org_codes(provincial.admin_laocai)


def test_a_provincial_administrator_manages_users_of_their_province_only(personas, provincial):
    assert usernames(provincial.admin_laocai) == {
        "border.laocai",
        "ctxh.laocai",
        "supervisor.laocai",
    }
    assert usernames(provincial.admin_angiang) == {"stranger.angiang", "clerk.angiang"}


def test_a_user_active_in_two_provinces_is_managed_nationally_only(personas, provincial):
    Membership.objects.create(
        user=personas.social_worker,
        organisation=personas.border_post_angiang,
        role=Role.CASE_WORKER,
    )
    assert "ctxh.laocai" not in usernames(provincial.admin_laocai)
    assert "ctxh.laocai" not in usernames(provincial.admin_angiang)
    assert "ctxh.laocai" in usernames(personas.administrator)
    Membership.objects.filter(
        organisation=personas.border_post_angiang, user=personas.social_worker
    ).update(is_active=False)
    assert "ctxh.laocai" in usernames(provincial.admin_laocai)


def test_users_without_a_membership_in_the_province_are_not_provincial(personas, provincial):
    UserFactory(username="nobody")
    former = member(personas.border_post_angiang, Role.CASE_WORKER, "former.angiang")
    former.memberships.update(is_active=False)
    assert not {"nobody", "former.angiang"} & usernames(provincial.admin_laocai)
    assert "former.angiang" in usernames(provincial.admin_angiang)
    assert {"nobody", "former.angiang"} <= usernames(personas.administrator)


@pytest.mark.parametrize(
    "persona", ["border_guard", "shelter_worker", "supervisor", "stranger", "analyst", "consul"]
)
def test_other_roles_administer_nothing(personas, persona):
    scope = scopes.admin_scope(getattr(personas, persona))
    assert not scope.can_administer
    assert not scopes.organisations_managed(scope).exists()
    assert not scopes.users_managed(scope).exists()


def test_a_non_administrator_scope_costs_no_query_once_her_memberships_are_read(
    personas, django_assert_num_queries
):
    """Every page asks whether to show the administration link: for most users that is
    answered from the memberships the request has already read for its access checks."""
    worker = personas.shelter_worker
    policy.organisation_ids(worker, {Role.CASE_WORKER})  # what a page's access checks read
    with django_assert_num_queries(0):
        assert not scopes.admin_scope(worker).can_administer


def test_anonymous_administers_nothing(personas):
    assert not scopes.admin_scope(AnonymousUser()).can_administer


def test_an_administrator_of_a_mission_abroad_is_not_national(personas):
    admin = member(personas.consulate_phnompenh, Role.ADMINISTRATOR, "admin.phnompenh")
    assert personas.consulate_phnompenh.kind == OrganisationKind.MISSION
    assert not scopes.admin_scope(admin).can_administer


def test_an_inactive_administrator_membership_or_organisation_gives_nothing(personas, provincial):
    provincial.admin_laocai.memberships.update(is_active=False)
    assert not scopes.admin_scope(provincial.admin_laocai).can_administer
    Organisation.objects.filter(pk=personas.ministry.pk).update(is_active=False)
    assert not scopes.admin_scope(personas.administrator).can_administer


def test_provinces_a_provincial_administrator_may_assign(personas, provincial):
    laocai = scopes.admin_scope(provincial.admin_laocai)
    assert scopes.may_serve(laocai, [province("15").pk])
    assert not scopes.may_serve(laocai, [province("15").pk, province("91").pk])
    assert not scopes.may_serve(laocai, [])  # no national organisations from a province
    assert scopes.may_serve(scopes.admin_scope(personas.administrator), [])


def test_roles_are_granted_only_in_managed_active_organisations(personas, provincial):
    laocai = scopes.admin_scope(provincial.admin_laocai)
    assert scopes.may_grant_in(laocai, personas.centre_laocai)
    assert not scopes.may_grant_in(laocai, personas.border_post_angiang)
    assert not scopes.may_grant_in(laocai, personas.ministry)
    personas.centre_laocai.is_active = False
    assert not scopes.may_grant_in(laocai, personas.centre_laocai)


def test_single_rows_out_of_scope_are_404(personas, provincial):
    laocai = scopes.admin_scope(provincial.admin_laocai)
    with pytest.raises(Http404):
        scopes.get_organisation_for(laocai, personas.border_post_angiang.pk)
    with pytest.raises(Http404):
        scopes.get_user_for(laocai, personas.stranger.pk)
    with pytest.raises(Http404):
        scopes.get_user_for(laocai, provincial.admin_laocai.pk)
    with pytest.raises(Http404):
        scopes.get_membership_for(laocai, personas.stranger.memberships.get().pk)
    assert scopes.get_user_for(laocai, personas.border_guard.pk) == personas.border_guard
