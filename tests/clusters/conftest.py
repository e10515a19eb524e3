"""A cluster of the province (formed by its staff) for 2026: grassroots units A (leader) and C
of two districts and D (deputy), with an officer each for C and D. Unit B is not a member."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from clusters.models import ClusterKind, MemberRole
from clusters.services.membership import cluster_create, member_add, role_set
from federation.models import OrganizationKind, Role
from tests.factories import make_member, make_unit

YEAR = 2026


@dataclass
class ClusterWorld:
    world: object
    cluster: object
    unit_d: object
    officer_c: object
    officer_d: object


def make_cluster(world, *, year=YEAR) -> ClusterWorld:
    unit_d = make_unit(
        "NB-Q-D", "Công đoàn cơ sở Delta Quế", OrganizationKind.GRASSROOTS, world.district_q
    )
    cluster = cluster_create(
        actor=world.staff,
        forming_unit=world.province,
        kind=ClusterKind.CLUSTER,
        name="Cụm thi đua số 1",
        term_start=year - 1,
        term_end=year + 1,
    )
    members = {
        unit.code: member_add(actor=world.staff, cluster=cluster, organization=unit, year=year)
        for unit in (world.unit_a, world.unit_c, unit_d)
    }
    role_set(actor=world.staff, member=members["NB-P-A"], role=MemberRole.LEADER)
    role_set(actor=world.staff, member=members["NB-Q-D"], role=MemberRole.DEPUTY)
    return ClusterWorld(
        world=world,
        cluster=cluster,
        unit_d=unit_d,
        officer_c=make_member(world.unit_c, Role.OFFICER, "officer_c"),
        officer_d=make_member(unit_d, Role.OFFICER, "officer_d"),
    )


@pytest.fixture
def cw(world):
    return make_cluster(world)


CRITERIA = [("Phát triển đoàn viên", Decimal(40)), ("Chăm lo đời sống đoàn viên", Decimal(60))]
