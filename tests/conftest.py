"""Personas: named users in named organisations, as in the field."""

import dataclasses

import pytest
from django.utils import translation

from haven.agencies.models import FrameworkRole, OrganisationKind, Role
from tests.accounts.helpers import verify_second_factor
from tests.factories import OrganisationFactory, member, province

K = OrganisationKind
R = FrameworkRole


@dataclasses.dataclass
class Personas:
    border_post_laocai: object
    shelter_hanoi: object
    consulate_phnompenh: object
    health_dept_laocai: object
    centre_laocai: object
    border_post_angiang: object
    ministry: object
    border_guard: object  # intake officer at the Lào Cai border post
    shelter_worker: object  # case worker at the Hà Nội shelter
    consul: object  # case worker at the mission in Phnom Penh
    social_worker: object  # case worker at the Lào Cai social work centre
    supervisor: object  # supervisor at the Lào Cai health department, parent of the centre
    stranger: object  # intake officer at a border post in An Giang: same kind, other province
    analyst: object
    administrator: object


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Actions called directly by tests speak English; pages still follow each request's
    language (Vietnamese by default)."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def protected_files(settings, tmp_path):
    """Each test stores its uploaded documents in a folder of its own."""
    settings.PROTECTED_FILES_DIR = tmp_path / "files"
    return settings.PROTECTED_FILES_DIR


@pytest.fixture
def personas(db) -> Personas:
    ministry = OrganisationFactory(code="moh", kind=K.MINISTRY, framework_role=R.SOCIAL_AFFAIRS)
    health_laocai = OrganisationFactory(
        code="syt-laocai", kind=K.PROVINCIAL_DEPARTMENT, parent=ministry
    )
    health_laocai.provinces.set([province("15")])
    centre_laocai = OrganisationFactory(code="ctxh-laocai", kind=K.FACILITY, parent=health_laocai)
    centre_laocai.provinces.set([province("15")])
    border_laocai = OrganisationFactory(
        code="dbp-laocai", kind=K.BORDER_GUARD, framework_role=R.DEFENCE
    )
    border_laocai.provinces.set([province("15")])
    border_angiang = OrganisationFactory(
        code="dbp-angiang", kind=K.BORDER_GUARD, framework_role=R.DEFENCE
    )
    border_angiang.provinces.set([province("91")])
    shelter = OrganisationFactory(code="shelter-hanoi", kind=K.FACILITY)
    shelter.provinces.set([province("01")])
    consulate = OrganisationFactory(code="dsq-kh", kind=K.MISSION, framework_role=R.FOREIGN_AFFAIRS)
    return Personas(
        border_post_laocai=border_laocai,
        shelter_hanoi=shelter,
        consulate_phnompenh=consulate,
        health_dept_laocai=health_laocai,
        centre_laocai=centre_laocai,
        border_post_angiang=border_angiang,
        ministry=ministry,
        border_guard=member(border_laocai, Role.INTAKE_OFFICER, "border.laocai"),
        shelter_worker=member(shelter, Role.CASE_WORKER, "shelter.hanoi"),
        consul=member(consulate, Role.CASE_WORKER, "consul.phnompenh"),
        social_worker=member(centre_laocai, Role.CASE_WORKER, "ctxh.laocai"),
        supervisor=member(health_laocai, Role.SUPERVISOR, "supervisor.laocai"),
        stranger=member(border_angiang, Role.INTAKE_OFFICER, "stranger.angiang"),
        analyst=member(ministry, Role.ANALYST, "analyst"),
        administrator=member(ministry, Role.ADMINISTRATOR, "admin"),
    )


@pytest.fixture
def login(client, settings):
    """Sign a persona in; pages come in English unless `language="vi"` (the default locale)."""

    def _login(user, language="en"):
        client.force_login(user)
        verify_second_factor(client, user)  # as if the code from their phone had been typed
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return _login
