"""The administration screens: scope, refusals (404), audit, input errors, query counts."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from haven.administration import actions
from haven.agencies.models import Membership, Organisation, OrganisationKind, Role, User
from haven.audit import log as audit
from haven.audit.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory, make_case, member, province

pytestmark = pytest.mark.django_db

STRONG = "Dừa xiêm chín vàng 2025"


def org_form(**overrides):
    data = {
        "code": "ctxh-sapa",
        "name_vi": "Trung tâm công tác xã hội Sa Pa",
        "name_en": "Sa Pa social work centre",
        "kind": OrganisationKind.FACILITY,
        "framework_role": "social_affairs",
        "provinces": [province("15").pk],
    }
    data.update(overrides)
    return data


def user_form(organisation, **overrides):
    data = {
        "username": "ctxh.sapa",
        "first_name": "Hoà",
        "last_name": "Nguyễn Thị",
        "email": "hoa@example.org",
        "organisation": organisation.pk,
        "role": Role.CASE_WORKER,
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return data


def actions_logged():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def url_cases(personas, provincial):
    """Every administration URL with the method that changes or shows it."""
    org = personas.centre_laocai.pk
    user = personas.social_worker.pk
    membership = personas.social_worker.memberships.get().pk
    return [
        ("get", "/manage/"),
        ("get", "/manage/organisations/"),
        ("get", "/manage/organisations/new/"),
        ("post", "/manage/organisations/new/"),
        ("get", f"/manage/organisations/{org}/"),
        ("post", f"/manage/organisations/{org}/"),
        ("post", f"/manage/organisations/{org}/active/"),
        ("get", "/manage/users/"),
        ("get", "/manage/users/new/"),
        ("post", "/manage/users/new/"),
        ("get", f"/manage/users/{user}/"),
        ("post", f"/manage/users/{user}/"),
        ("post", f"/manage/users/{user}/password/"),
        ("post", f"/manage/users/{user}/active/"),
        ("post", f"/manage/users/{user}/memberships/"),
        ("post", f"/manage/memberships/{membership}/active/"),
    ]


# Who gets in


@pytest.mark.parametrize(
    "persona", ["border_guard", "shelter_worker", "supervisor", "stranger", "analyst", "consul"]
)
def test_non_administrators_get_404_everywhere(personas, provincial, login, persona):
    client = login(getattr(personas, persona))
    before = AuditEvent.objects.count()
    for method, url in url_cases(personas, provincial):
        data = {"active": "0"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert AuditEvent.objects.count() == before
    assert personas.social_worker.memberships.get().is_active


def test_anonymous_is_sent_to_sign_in(personas, provincial, client):
    for method, url in url_cases(personas, provincial):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert "/accounts/login/" in response["Location"]


def test_the_administration_link_shows_for_administrators_only(personas, provincial, login):
    assert b'href="/manage/"' in login(personas.administrator).get("/").content
    assert b'href="/manage/"' in login(provincial.admin_laocai).get("/").content
    assert b'href="/manage/"' not in login(personas.social_worker).get("/").content


def test_administrators_cannot_open_case_pages(personas, provincial, login):
    case = make_case(personas.social_worker, personas.centre_laocai)
    for admin in (personas.administrator, provincial.admin_laocai):
        assert login(admin).get(f"/cases/{case.reference}/").status_code == 404


# Organisations


def test_a_national_administrator_lists_every_organisation(personas, provincial, login):
    page = login(personas.administrator).get("/manage/organisations/").context["page"]
    assert page.paginator.count == Organisation.objects.count()


def test_a_provincial_administrator_lists_their_province_only(personas, provincial, login):
    page = login(provincial.admin_laocai).get("/manage/organisations/").context["page"]
    assert {o.code for o in page.object_list} == {
        "syt-laocai",
        "ctxh-laocai",
        "dbp-laocai",
        "snv-laocai",
    }


def test_organisation_filters(personas, provincial, login):
    client = login(personas.administrator)

    def codes(**params):
        page = client.get("/manage/organisations/", params).context["page"]
        return {o.code for o in page.object_list}

    assert codes(province=province("91").pk) == {"dbp-angiang", "snv-angiang"}
    assert codes(kind=OrganisationKind.BORDER_GUARD) == {"dbp-laocai", "dbp-angiang"}
    assert codes(framework_role="foreign_affairs") == {"dsq-kh"}
    assert codes(q="angiang") == {"dbp-angiang", "snv-angiang"}
    personas.shelter_hanoi.is_active = False
    personas.shelter_hanoi.save()
    assert "shelter-hanoi" not in codes()
    assert codes(status="inactive") == {"shelter-hanoi"}


def test_the_organisation_list_answers_htmx_with_rows_only(personas, login):
    response = login(personas.administrator).get(
        "/manage/organisations/", {"q": "laocai"}, HTTP_HX_REQUEST="true"
    )
    assert b"ctxh-laocai" in response.content
    assert b"<html" not in response.content


def test_a_provincial_administrator_gets_404_for_another_province(personas, provincial, login):
    client = login(provincial.admin_laocai)
    angiang = personas.border_post_angiang
    assert client.get(f"/manage/organisations/{angiang.pk}/").status_code == 404
    response = client.post(f"/manage/organisations/{angiang.pk}/", org_form(code="dbp-angiang"))
    assert response.status_code == 404
    assert (
        client.post(f"/manage/organisations/{angiang.pk}/active/", {"active": "0"}).status_code
        == 404
    )
    angiang.refresh_from_db()
    assert angiang.is_active
    assert client.get(f"/manage/organisations/{personas.ministry.pk}/").status_code == 404


def test_a_provincial_administrator_creates_an_organisation_in_their_province(
    personas, provincial, login
):
    client = login(provincial.admin_laocai)
    response = client.post(
        "/manage/organisations/new/", org_form(parent=personas.health_dept_laocai.pk)
    )
    created = Organisation.objects.get(code="ctxh-sapa")
    assert response.status_code == 302
    assert response["Location"] == f"/manage/organisations/{created.pk}/"
    assert list(created.provinces.values_list("code", flat=True)) == ["15"]
    assert created.parent == personas.health_dept_laocai
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.actor_id == provincial.admin_laocai.pk
    assert event.object_id == str(created.pk)
    assert event.details["provinces"] == ["15"]


@pytest.mark.parametrize("codes", [["91"], ["15", "91"], []])
def test_a_provincial_administrator_cannot_create_outside_their_province(
    personas, provincial, login, codes
):
    client = login(provincial.admin_laocai)
    data = org_form(provinces=[province(c).pk for c in codes])
    response = client.post("/manage/organisations/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["provinces"]
    assert not Organisation.objects.filter(code="ctxh-sapa").exists()
    assert not AuditEvent.objects.filter(action="organisation.create").exists()
    # What was typed comes back for correction.
    assert "Sa Pa social work centre" in response.content.decode()


def test_a_provincial_administrator_cannot_hang_an_organisation_outside_their_scope(
    personas, provincial, login
):
    client = login(provincial.admin_laocai)
    response = client.post("/manage/organisations/new/", org_form(parent=personas.ministry.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["parent"]
    with pytest.raises(Http404, match="No such organisation"):
        actions.create_organisation(
            actor=provincial.admin_laocai,
            fields={**org_form(), "parent": provincial.home_affairs_angiang},
            provinces=[province("15")],
        )


def test_the_actions_recheck_provinces(personas, provincial):
    with pytest.raises(Http404, match="scope"):
        actions.create_organisation(
            actor=provincial.admin_laocai, fields=org_form(), provinces=[province("91")]
        )
    assert not Organisation.objects.filter(code="ctxh-sapa").exists()


def test_a_national_administrator_creates_a_national_organisation(personas, login):
    client = login(personas.administrator)
    response = client.post(
        "/manage/organisations/new/",
        org_form(code="bca", kind=OrganisationKind.MINISTRY, provinces=[]),
    )
    assert response.status_code == 302
    assert not Organisation.objects.get(code="bca").provinces.exists()


def test_editing_an_organisation_is_audited_with_its_changes(personas, provincial, login):
    client = login(provincial.admin_laocai)
    centre = personas.centre_laocai
    data = org_form(
        code=centre.code,
        name_vi=centre.name_vi,
        name_en="Lào Cai social work centre",
        kind=centre.kind,
        framework_role=centre.framework_role,
        parent=centre.parent_id,  # outside the province, kept as it was
    )
    response = client.post(f"/manage/organisations/{centre.pk}/", data)
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.name_en == "Lào Cai social work centre"
    assert centre.parent == personas.health_dept_laocai
    event = AuditEvent.objects.get(action="organisation.change")
    assert event.details["changes"]["name_en"][1] == "Lào Cai social work centre"


def test_an_organisation_cannot_be_placed_below_itself(personas, login):
    client = login(personas.administrator)
    ministry = personas.ministry
    data = org_form(
        code=ministry.code,
        name_vi=ministry.name_vi,
        name_en=ministry.name_en,
        kind=ministry.kind,
        provinces=[],
        parent=personas.centre_laocai.pk,  # a grandchild of the ministry
    )
    response = client.post(f"/manage/organisations/{ministry.pk}/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["parent"]
    ministry.refresh_from_db()
    assert ministry.parent is None


def test_a_duplicate_code_is_refused_with_a_message(personas, login):
    response = login(personas.administrator).post(
        "/manage/organisations/new/", org_form(code="ctxh-laocai")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_deactivating_and_reactivating_an_organisation(personas, provincial, login):
    client = login(provincial.admin_laocai)
    centre = personas.centre_laocai
    client.post(f"/manage/organisations/{centre.pk}/active/", {"active": "0"})
    centre.refresh_from_db()
    assert not centre.is_active
    assert Organisation.objects.filter(pk=centre.pk).exists()
    client.post(f"/manage/organisations/{centre.pk}/active/", {"active": "1"})
    centre.refresh_from_db()
    assert centre.is_active
    assert actions_logged()[-2:] == ["organisation.deactivate", "organisation.reactivate"]


def test_an_administrator_cannot_deactivate_their_own_organisation(personas, provincial, login):
    client = login(provincial.admin_laocai)
    own = provincial.home_affairs_laocai
    response = client.post(f"/manage/organisations/{own.pk}/active/", {"active": "0"}, follow=True)
    own.refresh_from_db()
    assert own.is_active
    assert "cannot deactivate the organisation through which you administer" in (
        response.content.decode()
    )


# Users


def test_a_provincial_administrator_lists_their_province_users_only(personas, provincial, login):
    page = login(provincial.admin_laocai).get("/manage/users/").context["page"]
    assert {u.username for u in page.object_list} == {
        "border.laocai",
        "ctxh.laocai",
        "supervisor.laocai",
    }


def test_user_filters(personas, provincial, login):
    client = login(personas.administrator)

    def names(**params):
        return {
            u.username for u in client.get("/manage/users/", params).context["page"].object_list
        }

    assert names(role=Role.ADMINISTRATOR) == {"admin.laocai", "admin.angiang"}
    assert names(organisation=provincial.home_affairs_angiang.pk) == {
        "admin.angiang",
        "clerk.angiang",
    }
    assert names(q="laocai") == {
        "border.laocai",
        "ctxh.laocai",
        "supervisor.laocai",
        "admin.laocai",
    }


def test_a_provincial_administrator_gets_404_for_another_province_user(personas, provincial, login):
    client = login(provincial.admin_laocai)
    stranger = personas.stranger
    membership = stranger.memberships.get()
    assert client.get(f"/manage/users/{stranger.pk}/").status_code == 404
    assert client.post(f"/manage/users/{stranger.pk}/", {"user-username": "x"}).status_code == 404
    response = client.post(
        f"/manage/users/{stranger.pk}/password/",
        {"password-new_password1": STRONG, "password-new_password2": STRONG},
    )
    assert response.status_code == 404
    assert client.post(f"/manage/users/{stranger.pk}/active/", {"active": "0"}).status_code == 404
    response = client.post(
        f"/manage/users/{stranger.pk}/memberships/",
        {"membership-organisation": personas.centre_laocai.pk, "membership-role": "case_worker"},
    )
    assert response.status_code == 404
    response = client.post(f"/manage/memberships/{membership.pk}/active/", {"active": "0"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    assert stranger.check_password("correct horse battery staple")
    assert list(stranger.memberships.values_list("is_active", flat=True)) == [True]


def test_creating_a_user_with_a_first_role(personas, provincial, login):
    client = login(provincial.admin_laocai)
    response = client.post("/manage/users/new/", user_form(personas.centre_laocai))
    user = User.objects.get(username="ctxh.sapa")
    assert response.status_code == 302
    assert user.check_password(STRONG)
    assert user.last_name == "Nguyễn Thị"
    membership = user.memberships.get()
    assert (membership.organisation, membership.role) == (personas.centre_laocai, Role.CASE_WORKER)
    assert actions_logged()[-2:] == ["user.create", "membership.create"]
    assert STRONG not in str(AuditEvent.objects.values_list("details", flat=True))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "short", "password2": "short"}, "password2"),
        ({"password1": "password12345", "password2": "password12345"}, "password2"),
        ({"password2": STRONG + "x"}, "password2"),
        ({"username": "CTXH.LAOCAI"}, "username"),
        ({"username": "has space"}, "username"),
        ({"role": "root"}, "role"),
    ],
)
def test_bad_user_input_is_refused_and_kept(personas, provincial, login, overrides, field):
    client = login(provincial.admin_laocai)
    response = client.post("/manage/users/new/", user_form(personas.centre_laocai, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "hoa@example.org" in response.content.decode()
    assert not User.objects.filter(email="hoa@example.org").exists()


def test_a_provincial_administrator_cannot_grant_roles_outside_their_scope(
    personas, provincial, login
):
    client = login(provincial.admin_laocai)
    angiang = personas.border_post_angiang
    response = client.post("/manage/users/new/", user_form(angiang))
    assert response.status_code == 400
    assert response.context["form"].errors["organisation"]
    assert not User.objects.filter(username="ctxh.sapa").exists()
    target = personas.border_guard
    for organisation in (angiang, personas.ministry):
        response = client.post(
            f"/manage/users/{target.pk}/memberships/",
            {"membership-organisation": organisation.pk, "membership-role": "administrator"},
        )
        assert response.status_code == 400
        assert response.context["membership_form"].errors["organisation"]
    assert target.memberships.count() == 1
    with pytest.raises(Http404, match="No such organisation"):
        actions.add_membership(
            actor=provincial.admin_laocai,
            user=target,
            organisation=angiang,
            role=Role.ADMINISTRATOR,
        )
    assert target.memberships.count() == 1


@pytest.mark.parametrize("who", ["national", "provincial"])
def test_nobody_can_change_their_own_account_or_roles(personas, provincial, login, who):
    admin = personas.administrator if who == "national" else provincial.admin_laocai
    own = admin.memberships.get()
    other_org = personas.health_dept_laocai
    client = login(admin)
    assert client.get(f"/manage/users/{admin.pk}/").status_code == 404
    response = client.post(
        f"/manage/users/{admin.pk}/memberships/",
        {"membership-organisation": other_org.pk, "membership-role": "supervisor"},
    )
    assert response.status_code == 404
    assert client.post(f"/manage/memberships/{own.pk}/active/", {"active": "0"}).status_code == 404
    assert client.post(f"/manage/users/{admin.pk}/active/", {"active": "0"}).status_code == 404
    with pytest.raises(Http404, match="No such user"):
        actions.add_membership(
            actor=admin, user=admin, organisation=other_org, role=Role.SUPERVISOR
        )
    assert admin.memberships.count() == 1
    page = client.get("/manage/users/").context["page"]
    assert admin.username not in {u.username for u in page.object_list}


def test_editing_a_user_is_audited(personas, provincial, login):
    client = login(provincial.admin_laocai)
    target = personas.social_worker
    data = {
        "user-username": target.username,
        "user-first_name": "Lan",
        "user-last_name": "Trần",
        "user-email": "lan@example.org",
    }
    assert client.post(f"/manage/users/{target.pk}/", data).status_code == 302
    target.refresh_from_db()
    assert (target.first_name, target.email) == ("Lan", "lan@example.org")
    event = AuditEvent.objects.get(action="user.change")
    assert set(event.details["changes"]) == {"first_name", "last_name", "email"}


def test_a_taken_username_is_refused_and_input_kept(personas, provincial, login):
    client = login(provincial.admin_laocai)
    target = personas.social_worker
    data = {
        "user-username": "Border.Laocai",
        "user-first_name": "Lan",
        "user-last_name": "",
        "user-email": "lan@example.org",
    }
    response = client.post(f"/manage/users/{target.pk}/", data)
    assert response.status_code == 400
    assert response.context["details_form"].errors["username"]
    assert "lan@example.org" in response.content.decode()
    target.refresh_from_db()
    assert target.username == "ctxh.laocai"


def test_setting_a_password_is_validated_and_audited(personas, provincial, login):
    client = login(provincial.admin_laocai)
    target = personas.social_worker
    url = f"/manage/users/{target.pk}/password/"
    weak = {"password-new_password1": "12345678", "password-new_password2": "12345678"}
    response = client.post(url, weak)
    assert response.status_code == 400
    assert response.context["password_form"].errors["new_password2"]
    good = {"password-new_password1": STRONG, "password-new_password2": STRONG}
    assert client.post(url, good).status_code == 302
    target.refresh_from_db()
    assert target.check_password(STRONG)
    assert actions_logged()[-1] == "user.set_password"


def test_deactivating_a_user_signs_them_out_and_deletes_nothing(personas, provincial, login):
    target = personas.social_worker
    client = login(target)
    assert client.get("/").status_code == 200
    actions.set_user_active(actor=provincial.admin_laocai, user=target, active=False)
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    target.refresh_from_db()
    assert not target.is_active
    assert target.memberships.filter(is_active=True).exists()
    assert actions_logged()[-1] == "user.deactivate"


def test_deactivating_a_user_through_the_screen(personas, provincial, login):
    client = login(provincial.admin_laocai)
    target = personas.social_worker
    assert client.post(f"/manage/users/{target.pk}/active/", {"active": "0"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert client.post(f"/manage/users/{target.pk}/active/", {"active": "maybe"}).status_code == 400


# Memberships


def test_granting_deactivating_and_regranting_a_role(personas, provincial, login):
    client = login(provincial.admin_laocai)
    target = personas.social_worker
    grant = {
        "membership-organisation": personas.border_post_laocai.pk,
        "membership-role": Role.INTAKE_OFFICER,
    }
    assert client.post(f"/manage/users/{target.pk}/memberships/", grant).status_code == 302
    membership = target.memberships.get(organisation=personas.border_post_laocai)
    response = client.post(f"/manage/users/{target.pk}/memberships/", grant)
    assert response.status_code == 400
    assert "already has this role" in response.content.decode()
    client.post(f"/manage/memberships/{membership.pk}/active/", {"active": "0"})
    membership.refresh_from_db()
    assert not membership.is_active
    assert client.post(f"/manage/users/{target.pk}/memberships/", grant).status_code == 302
    membership.refresh_from_db()
    assert membership.is_active
    assert target.memberships.count() == 2
    assert actions_logged()[-3:] == [
        "membership.create",
        "membership.deactivate",
        "membership.reactivate",
    ]
    event = AuditEvent.objects.filter(action="membership.create").last()
    assert event.organisation_id == personas.border_post_laocai.pk
    assert event.details["role"] == Role.INTAKE_OFFICER


def test_a_provincial_administrator_may_appoint_a_provincial_administrator(
    personas, provincial, login
):
    client = login(provincial.admin_laocai)
    target = personas.border_guard
    grant = {
        "membership-organisation": provincial.home_affairs_laocai.pk,
        "membership-role": Role.ADMINISTRATOR,
    }
    assert client.post(f"/manage/users/{target.pk}/memberships/", grant).status_code == 302
    from haven.administration import scope as scopes

    scope = scopes.admin_scope(target)
    assert not scope.national
    assert scope.provinces == {province("15").pk}


def test_an_inactive_membership_elsewhere_cannot_be_reactivated(personas, provincial, login):
    target = member(personas.border_post_laocai, Role.INTAKE_OFFICER, "moved")
    elsewhere = Membership.objects.create(
        user=target,
        organisation=personas.border_post_angiang,
        role=Role.INTAKE_OFFICER,
        is_active=False,
    )
    client = login(provincial.admin_laocai)
    assert client.get(f"/manage/users/{target.pk}/").status_code == 200
    response = client.post(f"/manage/memberships/{elsewhere.pk}/active/", {"active": "1"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.is_active


# Lists do not grow queries with rows


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_use_the_same_number_of_queries_for_3_or_30_rows(personas, provincial, login):
    client = login(provincial.admin_laocai)
    urls = ("/manage/organisations/", "/manage/users/")

    def add(n):
        for _ in range(n):
            organisation = OrganisationFactory(parent=personas.health_dept_laocai)
            organisation.provinces.set([province("15")])
            user = member(organisation, Role.CASE_WORKER)
            Membership.objects.create(
                user=user, organisation=personas.centre_laocai, role="analyst"
            )

    add(3)
    few = {url: _queries(client, url) for url in urls}
    add(20)
    many = {url: _queries(client, url) for url in urls}
    assert many == few
    assert max(many.values()) <= 20


# The audit chain holds


def test_every_change_is_in_a_sound_audit_chain(personas, provincial):
    admin = provincial.admin_laocai
    organisation = actions.create_organisation(
        actor=admin, fields=org_form(), provinces=[province("15")]
    )
    user = actions.create_user(
        actor=admin,
        fields={"username": "new.one"},
        password=STRONG,
        organisation=organisation,
        role=Role.CASE_WORKER,
    )
    actions.change_user(actor=admin, user=user, fields={"email": "n@example.org"})
    actions.change_user(actor=admin, user=user, fields={"email": "n@example.org"})  # no change
    membership = user.memberships.get()
    actions.set_membership_active(actor=admin, membership=membership, active=False)
    actions.set_user_active(actor=admin, user=user, active=False)
    actions.set_organisation_active(actor=admin, organisation=organisation, active=False)
    assert actions_logged() == [
        "organisation.create",
        "user.create",
        "membership.create",
        "user.change",
        "membership.deactivate",
        "user.deactivate",
        "organisation.deactivate",
    ]
    assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {admin.pk}
    assert audit.verify().ok


def test_a_superuser_is_out_of_every_administrator_reach(personas, login):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    Membership.objects.create(user=root, organisation=personas.ministry, role=Role.ANALYST)
    assert login(personas.administrator).get(f"/manage/users/{root.pk}/").status_code == 404


def test_reading_the_administration_pages_is_audited(personas, login):
    from haven.audit.models import AuditEvent

    login(personas.administrator).get("/manage/users/")
    event = AuditEvent.objects.filter(action="administration.view").latest("id")
    assert event.actor_id == personas.administrator.pk
    assert event.details["page"] == "administration:users"
