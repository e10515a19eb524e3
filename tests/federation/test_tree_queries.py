"""The subtree rule written once (``federation.models``): ``subtree_of``, ``children_of`` and
the conditions ``subtree_q``, ``subtrees_q`` and ``children_q``, directly or through a foreign
key, give what treebeard's own walks of the tree give."""

from django.db import connection

from federation.models import (
    BranchUnitCount,
    Membership,
    Organization,
    children_q,
    subtree_q,
    subtrees_q,
)
from tests.factories import bulk_units


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_subtree_and_children_equal_treebeards(world):
    bulk_units("NB-Q", 4, "BQ")
    bulk_units("NB-P-A", 3, "BA")
    units = list(Organization.objects.all())
    assert len(units) == 14
    for unit in units:
        unit.refresh_from_db()
        below = {unit.pk} | {u.pk for u in Organization.objects.get_descendants(unit)}
        children = {u.pk for u in Organization.objects.get_children(unit)}
        assert pks(Organization.objects.subtree_of(unit)) == below, unit.code
        assert pks(Organization.objects.children_of(unit)) == children, unit.code
        assert pks(Organization.objects.filter(subtree_q(unit.path))) == below
        assert pks(Organization.objects.filter(children_q(unit.path))) == children
        # Through a foreign key: the counters of the branches below the unit.
        branches = set(
            BranchUnitCount.objects.filter(subtree_q(unit, "branch__")).values_list(
                "branch_id", flat=True
            )
        )
        assert branches == below
        child_rows = BranchUnitCount.objects.filter(children_q(unit, "branch__"))
        assert set(child_rows.values_list("branch_id", flat=True)) == children
    both = subtrees_q([world.district, world.district_q.path])
    expected = {world.district.pk, world.district_q.pk, world.unit_a.pk, world.unit_b.pk}
    expected |= {world.unit_c.pk} | pks(Organization.objects.filter(code__startswith="B"))
    assert pks(Organization.objects.filter(both)) == expected
    assert not Organization.objects.filter(subtrees_q([])).exists()


def test_memberships_through_the_unit(world):
    seen = Membership.objects.filter(subtree_q(world.district, "organization__"))
    assert set(seen.values_list("user__username", flat=True)) == {
        "officer_a",
        "officer_b",
        "leader",
    }


def test_sqlite_walks_the_path_index_below_a_root():
    """On SQLite the prefix condition carries a range of the path column (LIKE cannot use its
    index); not for a root, whose subtree is read faster in one scan."""
    below = str(Organization.objects.filter(subtree_q("00010002")).query)
    root = str(Organization.objects.filter(subtree_q("0001")).query)
    if connection.vendor == "sqlite":
        assert ">=" in below and "<=" in below
    else:
        assert ">=" not in below
    assert ">=" not in root and "LIKE" in root.upper()
