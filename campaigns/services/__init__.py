"""Every change to a campaign plan, keyword-only and in one transaction (permission, lock,
validation, write, audit entry), by topic: ``campaign`` (create, edit, publish, close, copy),
``plan`` (themes and phases), ``days`` (milestones, the catalogue of days, calendar addresses)
and ``common`` (fields, locks, the audit entry)."""
