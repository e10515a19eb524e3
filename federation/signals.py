from dataclasses import dataclass

from django.dispatch import Signal

from federation.models import Organization

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


def apply_tree_changes(changes, *, moved, own_changed) -> set[int]:
    """Apply the records of a ``tree_changed`` (in the order they happened) to an app's counters,
    by differences: ``moved(moves)`` takes consecutive :class:`Moved` records together (a
    merge's); ``own_changed(unit_id, path, before=..., after=...)`` takes a unit's own records
    away as counted for a unit of ``before`` and adds them for one of ``after`` (``kind`` and
    ``is_active``; None: not counted). Both return the ids of the campaigns changed, and so
    does this."""
    touched: set[int] = set()
    moves = []
    for change in [*changes, None]:
        if isinstance(change, Moved):
            moves.append(change)  # consecutive moves (a merge's) go together
            continue
        if moves:
            touched |= moved(moves)
            moves = []
        if isinstance(change, Closed):
            kind = Organization.objects.filter(pk=change.unit_id).values_list("kind", flat=True)
            before = {"kind": kind.first(), "is_active": True}
            touched |= own_changed(change.unit_id, change.path, before=before, after=None)
        elif isinstance(change, KindChanged):
            active = Organization.objects.filter(pk=change.unit_id, is_active=True).exists()
            touched |= own_changed(
                change.unit_id,
                change.path,
                before={"kind": change.old_kind, "is_active": active},
                after={"kind": change.new_kind, "is_active": active},
            )
    return touched
