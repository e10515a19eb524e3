"""Changes of the tree (a move, a merge, a change of kind: ``federation.signals.tree_changed``)
applied to the counters by their difference; the receiver of that signal is connected here."""

from collections import defaultdict

from campaigns.models import Campaign
from emulation import rollups
from federation import signals as federation_signals
from federation.models import Organization
from registrations.models import Level, Registration, RegistrationCount, TargetSum, ThemeChoiceCount
from registrations.rollups.rebuilding import _branches, campaigns_over, rebuild, rebuild_over
from registrations.rollups.recording import (
    REGISTRATION_KEYS,
    REGISTRATION_SUMS,
    STEPLEN,
    TARGET_KEYS,
    TARGET_SUMS,
    THEME_KEYS,
    _level,
    counts_in,
    record,
)

# The counter tables, their keys and their sums.
TABLES = (
    (RegistrationCount, REGISTRATION_KEYS, REGISTRATION_SUMS),
    (ThemeChoiceCount, THEME_KEYS, ["units"]),
    (TargetSum, TARGET_KEYS, TARGET_SUMS),
)


def _carried(model, sums, total: dict, branch: tuple[int, int], depth: int, sign: int) -> dict:
    """A row of a moved unit's counters (``total``: the totals of its subtree) as it adds, times
    ``sign``, to the counters of ``branch`` (id, depth), an ancestor of the unit at ``depth``:
    the unit itself is a child or deeper below it, the units below the unit are deeper."""
    row = total | {name: sign * total[name] for name in sums}
    row["branch"] = branch[0]
    if model is RegistrationCount:
        own = total["level"] == Level.SELF
        row["level"] = _level(depth, branch[1]) if own else Level.DEEPER
    return row


def _moved(moves: list) -> set[int]:
    """Units moved with their subtrees (``federation.signals.Moved``, none below another): in
    each campaign whose issuer was or is above a moved unit, the rows of the unit itself (the
    totals of its subtree) leave the old ancestors (from the issuer down) and join the new
    ones, one upsert per table for all of them. A subtree that enters the issuer's subtree is
    counted first (:func:`rebuild` ``under`` it, a work as long as the subtree); one that leaves
    it loses its rows. The rows inside a subtree stay: its units and the levels between them
    are the same. Returns the ids of the campaigns changed."""
    campaigns = list(campaigns_over([p for m in moves for p in (m.old_path, m.new_path)]))
    plan = []  # (move, campaign, was inside, is inside)
    entered: dict[int, list[str]] = defaultdict(list)
    for move in moves:
        for campaign in campaigns:
            issuer = campaign.issuer.path
            if move.new_path.startswith(issuer) and not issuer.startswith(move.new_path):
                was_in = move.old_path.startswith(issuer)
                plan.append((move, campaign, was_in, True))
                if not was_in:
                    entered[campaign.pk].append(move.new_path)
            elif move.old_path.startswith(issuer) and not issuer.startswith(move.new_path):
                plan.append((move, campaign, True, False))
    for campaign in campaigns:
        if entered[campaign.pk]:
            rebuild(campaign, under=entered[campaign.pk])
    if not plan:
        return set()
    chains = {
        path: rollups.branch_paths(path, STEPLEN)[:-1]
        for move in moves
        for path in (move.old_path, move.new_path)
    }
    ids = dict(
        Organization.objects.filter(
            path__in={p for chain in chains.values() for p in chain}
        ).values_list("path", "pk")
    )

    def carry(model, sums, total, campaign, end, sign):
        depth = len(end) // STEPLEN
        return [
            _carried(model, sums, total, (ids[path], len(path) // STEPLEN), depth, sign)
            for path in chains[end]
            if path.startswith(campaign.issuer.path) and path in ids
        ]

    rows, left = rollups.carried_rows(TABLES, plan, carry)
    rollups.apply_carried(TABLES, rows, left, _branches)
    return {campaign.pk for _move, campaign, _was, _is in plan}


def _own_changed(unit_id: int, path: str, *, before: dict | None, after: dict | None) -> set[int]:
    """The unit's own registrations counted as a unit of ``before`` (its fields ``kind`` and
    ``is_active``; None: not counted) and now of ``after``: :func:`record` takes them away as
    they were and adds them as they are, a few upserts per campaign (one call per campaign:
    it reads the unit's branches from one issuer down). Returns the ids of the campaigns
    changed."""
    registrations = list(
        Registration.objects.filter(organization_id=unit_id).select_related("campaign__issuer")
    )
    changes: dict[int, list] = defaultdict(list)
    for registration in registrations:
        for fields, status_before, status_after in (
            (before, registration.status, None),
            (after, None, registration.status),
        ):
            if fields is None:
                continue
            unit = Organization(pk=unit_id, path=path, depth=len(path) // STEPLEN, **fields)
            if counts_in(registration.campaign, unit):
                as_counted = Registration(
                    pk=registration.pk, campaign=registration.campaign, organization=unit
                )
                changes[registration.campaign_id].append((as_counted, status_before, status_after))
    for campaign_changes in changes.values():
        record(campaign_changes)
    return set(changes)


def on_tree_changed(sender=None, *, paths=(), changes=None, **kwargs) -> None:
    """Receiver of ``federation.signals.tree_changed``: sent inside the transaction of a move, a
    merge or a change of kind. With ``changes`` (what the federation's services send), the
    counters move by the change's difference (``federation.signals.apply_tree_changes``);
    without, the branches the affected units' paths go through, before and after it, are
    recomputed."""
    if changes is not None:
        touched = federation_signals.apply_tree_changes(
            changes, moved=_moved, own_changed=_own_changed
        )
        Campaign.figures_changed(touched)
        return
    rebuild_over(paths)
    Campaign.figures_changed(campaigns_over([path for path in paths if path]))


federation_signals.tree_changed.connect(on_tree_changed, dispatch_uid="registrations-rollups")
