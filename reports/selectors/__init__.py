"""Reads that the report pages share, by topic: ``common`` (campaign, unit, statuses, phases),
``progress`` (progress, totals and the roll-up), ``overdue``, ``dashboard``, ``queue``,
``inbox``, ``report`` (one unit's report) and ``start``."""
