"""Every change to a phase report, an indicator or a reporting date: each function checks the
permission, runs in one transaction, locks the row it changes, validates, writes and records
the change in the audit log. By topic: ``drafts``, ``transitions``, ``extensions``, ``config``
(indicators and reporting dates), ``checks`` (what the officer typed) and ``common``."""
