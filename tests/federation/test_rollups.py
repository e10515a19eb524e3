"""Units and members per branch: the running counters always equal a recount of the tree."""

import pytest
from django.db import connection

from federation import rollups, selectors
from federation.models import BranchUnitCount, Organization
from federation.models import OrganizationKind as K
from federation.services.imports import NewUnit, organizations_bulk_create
from federation.services.units import (
    organization_delete,
    organization_merge,
    organization_move,
    organization_update,
)
from federation.signals import tree_changed
from tests.factories import bulk_units, make_unit


def snapshot() -> dict[tuple[int, str], tuple[int, int]]:
    """Every non-zero counter, to compare with what ``rollups.rebuild`` computes."""
    return {
        (b, k): (u, m)
        for b, k, u, m in BranchUnitCount.objects.values_list(
            "branch_id", "kind", "units", "members"
        )
        if u or m
    }


def assert_counts_match():
    running = snapshot()
    rollups.rebuild()
    assert running == snapshot()


def counts(unit):
    unit.refresh_from_db()
    return selectors.unit_counts([unit.pk])[unit.pk]


@pytest.fixture
def signals():
    received = []

    def listener(sender, paths, **kwargs):
        received.append(sorted(paths))

    tree_changed.connect(listener)
    yield received
    tree_changed.disconnect(listener)


def test_world_counts(world):
    assert counts(world.province) == {"units": 6, "grassroots": 3, "members": 240}
    assert counts(world.district) == {"units": 3, "grassroots": 2, "members": 200}
    assert counts(world.unit_a) == {"units": 1, "grassroots": 1, "members": 120}
    assert selectors.unit_counts([world.province.pk], K.LOCAL)[world.province.pk]["units"] == 2
    assert_counts_match()


def test_children_with_rollup_reads_counters(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        children, totals = selectors.children_with_rollup(world.province)
    assert totals[world.district.path] == {"units": 3, "grassroots": 2, "members": 200}
    assert totals[world.district_q.path] == {"units": 2, "grassroots": 1, "members": 40}
    assert [c.code for c in children] == ["NB-P", "NB-Q"]


def test_bulk_create_and_save_keep_counts(world):
    bulk_units("NB-Q", 25, "BQ")
    assert counts(world.district_q) == {"units": 27, "grassroots": 26, "members": 290}
    assert counts(world.national)["units"] == 32
    organization_update(org=world.unit_c, by=world.staff, data={"member_count": 45})
    assert counts(world.province)["members"] == 245 + 250
    assert_counts_match()


def test_kind_change_moves_the_unit_between_kinds(world, signals):
    organization_update(org=world.unit_c, by=world.staff, data={"kind": K.UPPER})
    assert counts(world.district_q) == {"units": 2, "grassroots": 0, "members": 0}
    assert signals == [[world.unit_c.path]]
    assert_counts_match()


def test_move_takes_the_totals_along(world, signals):
    old_path = world.unit_b.path
    organization_move(org=world.unit_b, new_parent=world.district_q, by=world.staff)
    world.unit_b.refresh_from_db()
    assert counts(world.district) == {"units": 2, "grassroots": 1, "members": 120}
    assert counts(world.district_q) == {"units": 3, "grassroots": 2, "members": 120}
    assert counts(world.province)["units"] == 6
    assert signals == [sorted([old_path, world.unit_b.path])]
    assert_counts_match()


def test_move_of_a_branch_with_units_below(world, any_kind_anywhere):
    bulk_units("NB-P", 10, "BP")
    organization_move(org=world.district, by=world.admin, new_parent=world.national)
    assert counts(world.province) == {"units": 3, "grassroots": 1, "members": 40}
    assert counts(world.national)["units"] == 17
    assert_counts_match()


def test_merge_moves_children_and_closes_the_source(world, signals):
    make_unit("NB-P-A1", "Tổ công đoàn A1", K.GRASSROOTS, world.unit_a, member_count=5)
    organization_merge(source=world.district, target=world.district_q, by=world.staff)
    assert counts(world.district_q) == {"units": 5, "grassroots": 4, "members": 245}
    assert counts(world.province)["units"] == 6  # 7 units, the merged district closed
    assert len(signals) == 1
    assert_counts_match()


def test_delete_takes_the_unit_off(world):
    leaf = make_unit("NB-Q-X", "Công đoàn cơ sở X", K.GRASSROOTS, world.district_q, member_count=7)
    assert counts(world.district_q)["members"] == 47
    organization_delete(org=leaf, by=world.staff)
    assert counts(world.district_q) == {"units": 2, "grassroots": 1, "members": 40}
    assert not BranchUnitCount.objects.filter(branch_id=leaf.pk).exists()
    assert_counts_match()


def test_subtree_delete_outside_the_services(world):
    bulk_units("NB-Q", 5, "BQ")
    Organization.objects.get(pk=world.district_q.pk).delete()
    assert counts(world.province) == {"units": 4, "grassroots": 2, "members": 200}
    assert_counts_match()


def test_rebuild_repairs_a_change_behind_the_services_back(world):
    Organization.objects.filter(pk=world.unit_a.pk).update(is_active=False)
    assert counts(world.district)["units"] == 3  # not seen yet
    rollups.rebuild()
    assert counts(world.district) == {"units": 2, "grassroots": 1, "members": 80}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_units_created_at_once_under_one_parent():
    import threading

    from django.db import connections

    province = make_unit("P", "Tỉnh", K.PROVINCIAL)
    left = make_unit("L", "Trái", K.LOCAL, province)
    right = make_unit("R", "Phải", K.LOCAL, province)
    errors = []

    def work(parent, prefix):
        try:
            for i in range(10):
                organizations_bulk_create(
                    [
                        NewUnit(
                            f"{prefix}{i}", f"Cơ sở {i}", K.GRASSROOTS, parent.code, member_count=3
                        )
                    ]
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=a) for a in ((left, "L-"), (right, "R-"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts(province) == {"units": 23, "grassroots": 20, "members": 60}
    assert_counts_match()


def test_rebuild_counters_command(world):
    from io import StringIO

    from django.core.management import call_command

    BranchUnitCount.objects.filter(branch=world.province).update(units=999)
    out = StringIO()
    call_command("rebuild_counters", stdout=out)
    assert "units:" in out.getvalue()
    assert counts(world.province)["units"] == 6
