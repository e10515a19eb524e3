"""Who may do what with a cluster. The cluster is the object of every rule.

- Staff of the forming federation (or above) manage it: create, members, leader and deputy.
- The people of a member unit (of the year asked, or of any year when none is given) see the
  cluster's page: its members, agreement, scores and ranks, and nothing else of the others.
- The officers and leaders of the leader unit draft the agreement and score the others; those
  of each member accept the agreement and score their own unit.
"""

import rules

from federation import rules as tree
from federation.models import memberships_of


def member_units(cluster) -> set[int]:
    """The ids of the units that were ever members of ``cluster`` (read once per cluster)."""
    cache = getattr(cluster, "_member_unit_ids", None)
    if cache is None:
        cache = set(cluster.members.values_list("organization_id", flat=True))
        cluster._member_unit_ids = cache
    return cache


@rules.predicate
def manages(user, cluster) -> bool:
    return cluster is not None and tree.is_unit_staff(user, cluster.forming_unit)


@rules.predicate
def reads_forming(user, cluster) -> bool:
    return cluster is not None and tree.is_subtree_reader(user, cluster.forming_unit)


@rules.predicate
def in_member_unit(user, cluster) -> bool:
    if cluster is None:
        return False
    units = member_units(cluster)
    return any(m.organization_id in units for m in memberships_of(user))


can_manage = tree.is_superuser | manages
can_view = can_manage | reads_forming | in_member_unit

rules.add_perm("clusters.manage_cluster", can_manage)
rules.add_perm("clusters.view_cluster", can_view)
rules.add_perm("clusters.create_cluster", tree.is_superuser | tree.is_unit_staff)
