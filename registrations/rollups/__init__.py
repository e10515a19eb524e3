"""Counters of registrations per branch of the union tree, kept by the services.

For every unit that has registrations of a campaign in its subtree (itself included), the tables
of ``registrations/models.py`` hold the totals of that subtree:

- ``RegistrationCount``: units per status of their registration, by the counted units' kind and
  level (0: the branch itself, 1: a unit directly below it, 2: further below, so the reviewer's
  queue reads its direct children's counts from one row per status); for registrations awaiting
  review or approved, also their works and products (count, estimated value, units with one);
- ``ThemeChoiceCount``: units that chose each theme;
- ``TargetSum``: alike targets (``Target.key``) per theme: units, targets and their sum;
- ``TargetLabel``: the name and unit of measure shown for a key.

Themes, targets and works count only for registrations awaiting review or approved
(``COUNTED_CONTENT``): the consolidation counts "approved" or "approved and awaiting review",
and the unit can edit its content only in the other states, so an edit of a draft never touches
these tables. A registration counts when its unit takes part in the campaign (active, strictly
below the issuer); the branches counted are the issuer and the units below it.

Every service that creates a registration or changes its status calls :func:`record` inside its
transaction: one upsert per table for the unit and all its ancestors (``emulation.rollups.add``).
:func:`rebuild` recomputes a campaign's counters from the base tables with one ``GROUP BY`` per
level of the tree over the path prefix; it is the reference the tests compare the counters to,
and what bulk loads (the demo, the benchmark) call. A change of the tree (a move, a merge, a
change of kind: ``federation.signals.tree_changed``) moves the counters by its difference
(:func:`apply_tree_changes`): a moved unit's own rows, the totals of its subtree, leave its old
ancestors and join the new ones; a closed unit's or a new kind's own registrations go through
:func:`record`. Only a subtree that enters a campaign's issuer's subtree is counted from the
base tables, that subtree alone. The cost is that of a few upserts (plus the subtree that
enters), whatever the size of the tree.

Public reads for other apps: :func:`status_counts`, :func:`theme_counts`, :func:`target_sums`.

The code lives in modules by topic and every name is importable from here:

- :mod:`~registrations.rollups.recording`: what counts, the tables' keys and :func:`record`;
- :mod:`~registrations.rollups.rebuilding`: :func:`rebuild` and the partial rebuilds;
- :mod:`~registrations.rollups.tree`: changes of the tree (connects the ``tree_changed`` receiver);
- :mod:`~registrations.rollups.reads`: the reads of the counters.
"""

from registrations.rollups.reads import (
    REGISTRATION_STATUSES,
    BranchFigures,
    branch_figures,
    level_figures,
    status_counts,
    target_sums,
    theme_counts,
    themes_chosen,
)
from registrations.rollups.rebuilding import (
    BATCH,
    campaigns_over,
    rebuild,
    rebuild_all,
    rebuild_over,
)
from registrations.rollups.recording import (
    COUNTED_CONTENT,
    REGISTRATION_KEYS,
    REGISTRATION_SUMS,
    STEPLEN,
    TARGET_KEYS,
    TARGET_SUMS,
    THEME_KEYS,
    counts_in,
    record,
)
from registrations.rollups.tree import TABLES, apply_tree_changes, on_tree_changed

__all__ = [
    "BATCH",
    "COUNTED_CONTENT",
    "REGISTRATION_KEYS",
    "REGISTRATION_STATUSES",
    "REGISTRATION_SUMS",
    "STEPLEN",
    "TABLES",
    "TARGET_KEYS",
    "TARGET_SUMS",
    "THEME_KEYS",
    "BranchFigures",
    "apply_tree_changes",
    "branch_figures",
    "campaigns_over",
    "counts_in",
    "level_figures",
    "on_tree_changed",
    "rebuild",
    "rebuild_all",
    "rebuild_over",
    "record",
    "status_counts",
    "target_sums",
    "theme_counts",
    "themes_chosen",
]
