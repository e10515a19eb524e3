"""Reads that the registration pages share, by topic: ``common`` (campaign, unit, units above
and below, who takes part, counts and progress), ``registration`` (one unit's registration),
``queue`` (the reviewer's queue), ``summary`` (the consolidation of a subtree) and ``start``."""
