"""Units and members per branch and kind (:class:`~federation.models.BranchUnitCount`).

Every change to the tree adds its difference to the counters of the units concerned and of
their ancestors, through :func:`emulation.rollups.add`: creation and changes of a unit from
:meth:`Organization.save`, bulk creation from ``organizations_bulk_create``, moves and merges
from the services (:func:`move_branches`), deletion from a ``post_delete`` receiver.
:func:`rebuild` recomputes every counter from the tree itself with one ``GROUP BY`` over the
path prefix per level; it repairs counters after a change made behind the services' back (a
raw UPDATE) and is the reference the tests compare the running counters to.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Substr

from emulation import rollups

CHUNK = 5000


def _model():
    from federation.models import BranchUnitCount

    return BranchUnitCount


def _ids_of(paths: Iterable[str]) -> dict[str, int]:
    from federation.models import Organization

    paths = sorted(set(paths))
    ids: dict[str, int] = {}
    for start in range(0, len(paths), CHUNK):
        ids.update(
            Organization.objects.filter(path__in=paths[start : start + CHUNK])
            .order_by()
            .values_list("path", "id")
        )
    return ids


def count(changes: Iterable[tuple[str, str, int, int]]) -> int:
    """Add changes, given as (path, kind, units, members) with signed numbers, to the counters
    of each unit and of its ancestors (those that exist: a deleted unit has no row)."""
    from federation.models import Organization

    deltas: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for path, kind, units, members in changes:
        for branch in rollups.branch_paths(path, Organization.steplen):
            delta = deltas[(branch, kind)]
            delta[0] += units
            delta[1] += members or 0
    if not deltas:
        return 0
    ids = _ids_of(branch for branch, _kind in deltas)
    rows = [
        {"branch": ids[branch], "kind": kind, "units": units, "members": members}
        for (branch, kind), (units, members) in deltas.items()
        if branch in ids
    ]
    return rollups.add(_model(), rows, keys=["branch", "kind"], sums=["units", "members"])


def move_branches(moves) -> None:
    """Branches moved, none below another (``federation.signals.Moved`` records: ``unit_id``,
    ``old_path``, ``new_path``): the totals of each leave its old ancestors and join the new
    ones (its own and its units' rows stay), in three queries for all of them."""
    from federation.models import Organization

    moves = list(moves)
    if not moves:
        return
    totals = defaultdict(list)
    rows = _model().objects.filter(branch_id__in=[m.unit_id for m in moves])
    for branch_id, kind, units, members in rows.values_list(
        "branch_id", "kind", "units", "members"
    ):
        totals[branch_id].append((kind, units, members))
    steplen = Organization.steplen
    chains = {
        path: rollups.branch_paths(path, steplen)[:-1]
        for move in moves
        for path in (move.old_path, move.new_path)
    }
    ids = _ids_of(p for chain in chains.values() for p in chain)
    changes = []
    for move in moves:
        for chain, sign in ((chains[move.old_path], -1), (chains[move.new_path], 1)):
            for branch in chain:
                if branch in ids:
                    changes += [
                        {
                            "branch": ids[branch],
                            "kind": kind,
                            "units": sign * u,
                            "members": sign * m,
                        }
                        for kind, u, m in totals[move.unit_id]
                    ]
    rollups.add(_model(), changes, keys=["branch", "kind"], sums=["units", "members"])


COUNTED_FIELDS = {"kind", "is_active", "member_count"}


def own(kind: str, is_active: bool, members: int) -> tuple[str, int] | None:
    """What one unit adds to its branches: its kind and members, when it is active."""
    return (kind, members or 0) if is_active else None


def changed(path: str, before: tuple | None, after: tuple | None) -> None:
    """One unit's own contribution (see :func:`own`) changed: created, closed, new kind or
    new number of members."""
    if before == after:
        return
    changes = []
    if before:
        changes.append((path, before[0], -1, -before[1]))
    if after:
        changes.append((path, after[0], 1, after[1]))
    count(changes)


def deleted(sender, instance, **kwargs) -> None:
    """``post_delete`` of a unit: its ancestors count it no more (its own row went with it)."""
    if instance.is_active:
        count([(instance.path, instance.kind, -1, -(instance.member_count or 0))])


def rebuild(organization_model=None, model=None) -> int:
    """Recompute every counter from the tree (one GROUP BY per level of the tree). A migration
    passes its historical models."""
    from federation.models import Organization

    organization_model = organization_model or Organization
    model = model or _model()
    steplen = Organization.steplen
    with transaction.atomic():
        model.objects.all().delete()
        deepest = organization_model.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
        ids = dict(organization_model.objects.order_by().values_list("path", "id"))
        written = 0
        for level in range(1, deepest + 1):
            grouped = (
                organization_model.objects.filter(is_active=True, depth__gte=level)
                .order_by()
                .annotate(prefix=Substr("path", 1, level * steplen))
                .values("prefix", "kind")
                .annotate(units=Count("id"), members=Sum("member_count"))
            )
            rows = [
                model(
                    branch_id=ids[row["prefix"]],
                    kind=row["kind"],
                    units=row["units"],
                    members=row["members"] or 0,
                )
                for row in grouped
                if row["prefix"] in ids
            ]
            model.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
    return written
