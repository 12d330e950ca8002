"""Provincial administrators in Lào Cai ("15") and An Giang ("91"), beside the personas."""

import dataclasses

import pytest

from haven.agencies.models import FrameworkRole, OrganisationKind, Role
from tests.factories import OrganisationFactory, member, province


@dataclasses.dataclass
class Provincial:
    home_affairs_laocai: object  # Lào Cai department of home affairs, serves "15"
    home_affairs_angiang: object  # An Giang department of home affairs, serves "91"
    admin_laocai: object  # administrator of the Lào Cai department
    admin_angiang: object  # administrator of the An Giang department
    clerk_angiang: object  # case worker in An Giang: out of Lào Cai's reach


@pytest.fixture
def provincial(personas) -> Provincial:
    laocai = OrganisationFactory(
        code="snv-laocai",
        kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
        framework_role=FrameworkRole.OTHER,
        parent=personas.ministry,
    )
    laocai.provinces.set([province("15")])
    angiang = OrganisationFactory(
        code="snv-angiang",
        kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
        framework_role=FrameworkRole.OTHER,
        parent=personas.ministry,
    )
    angiang.provinces.set([province("91")])
    return Provincial(
        home_affairs_laocai=laocai,
        home_affairs_angiang=angiang,
        admin_laocai=member(laocai, Role.ADMINISTRATOR, "admin.laocai"),
        admin_angiang=member(angiang, Role.ADMINISTRATOR, "admin.angiang"),
        clerk_angiang=member(angiang, Role.CASE_WORKER, "clerk.angiang"),
    )
