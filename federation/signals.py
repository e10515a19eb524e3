from dataclasses import dataclass

from django.dispatch import Signal

# Sent inside the merge transaction with source, target and by: apps above the union tree
# listen to it to move their records from the merged unit to the one that absorbs it.
organization_merged = Signal()

# Sent inside the transaction of a change that puts existing units under other ancestors or
# changes what they count as: a move, a merge, a change of kind. ``paths`` holds the affected
# units' paths before and after the change; ``changes`` describes it, in the order it happened,
# as :class:`Moved`, :class:`Closed` and :class:`KindChanged` records (consecutive moves are
# of units none of which is below another, as a merge's children). Apps that keep
# per-branch counters of their own records (registrations, reports) listen to it to move
# their counters by the change's difference (or, sent without ``changes``, to recompute the
# branches the paths go through). Creating a new unit does not send it: a new unit has no
# records yet.
tree_changed = Signal()

# Sent inside the transaction of a change to what units show without moving them: units
# created (one by one or imported), edited (name, code, members…) or deleted. ``paths`` holds
# the paths of the changed units (for an import, of the existing units the new ones were put
# under). Apps whose pages show units (the campaigns' dashboards) listen to it to let their
# cached pages go.
units_changed = Signal()


@dataclass(frozen=True)
class Moved:
    """A unit moved, with its whole subtree, from ``old_path`` to ``new_path``: the totals of
    its subtree leave its old ancestors and join the new ones."""

    unit_id: int
    old_path: str
    new_path: str


@dataclass(frozen=True)
class Closed:
    """A unit at ``path`` became inactive (merged into another): its own records count no more
    (the units below it, if any, still do)."""

    unit_id: int
    path: str


@dataclass(frozen=True)
class KindChanged:
    """A unit at ``path`` changed kind: its own records count under ``new_kind`` instead of
    ``old_kind``."""

    unit_id: int
    path: str
    old_kind: str
    new_kind: str
