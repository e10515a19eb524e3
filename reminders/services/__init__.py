"""Dispatch of reminders, exactly once.

1. :func:`plan` works out, for one day, every (rule, recipient, occurrence) due, with queries
   issued per rule and in batches, never per unit (:mod:`~reminders.services.planning`).
2. :func:`dispatch` writes them as ``Delivery`` rows with INSERT ... ON CONFLICT DO NOTHING: a
   second tick, a racing worker or a retried task inserts nothing new
   (:mod:`~reminders.services.dispatch`).
3. :func:`process_pending` claims pending deliveries in batches (``SELECT ... FOR UPDATE SKIP
   LOCKED`` on PostgreSQL) and, in the same transaction, writes their outbox emails and in-app
   notifications and marks them done (:mod:`~reminders.services.processing`, with the texts
   from :mod:`~reminders.services.rendering`). A worker killed in the middle loses its
   transaction: the rows are pending again and the next run does them, once.
4. Emails leave through :func:`outbox_send`, called by a Celery task with retries
   (:mod:`~reminders.services.outbox`).

The weekly digest (:mod:`~reminders.services.digest`) and the in-app notices of review
transitions (:mod:`~reminders.services.notifications`) use the same outbox and notifications.
Every name is importable from here; the batch sizes live in :mod:`~reminders.services.limits`
(patch them there).
"""

from reminders.services.digest import weekly_digest, weekly_digest_context
from reminders.services.dispatch import UNIT_AUDIENCES, dispatch
from reminders.services.limits import BATCH, LIST_LIMIT, MAX_ATTEMPTS
from reminders.services.notifications import (
    notifications_mark_read,
    notify_transition,
    preference_set,
)
from reminders.services.outbox import (
    TEMPORARY_ERRORS,
    TemporaryFailure,
    is_temporary,
    outbox_resend,
    outbox_send,
    stale_sending,
    waiting_queued,
)
from reminders.services.planning import (
    DELIVERY_COLUMNS,
    UNIT_FIELDS,
    Due,
    Occurrence,
    audience_units,
    campaign_label,
    campaigns_for,
    create_default_rules,
    due_rules,
    late_units,
    occurrences,
    plan,
    resolve,
    submitted_ids,
)
from reminders.services.processing import (
    NOTIFICATION_COLUMNS,
    OUTBOX_COLUMNS,
    PENDING_FIELDS,
    DispatchResult,
    email_opted_out,
    process_pending,
)
from reminders.services.rendering import (
    MARK,
    UNIT_MARK,
    URLIZABLE,
    address_error,
    body_html,
    message_for,
)
from reminders.texts import fill

__all__ = [
    "BATCH",
    "DELIVERY_COLUMNS",
    "LIST_LIMIT",
    "MARK",
    "MAX_ATTEMPTS",
    "NOTIFICATION_COLUMNS",
    "OUTBOX_COLUMNS",
    "PENDING_FIELDS",
    "TEMPORARY_ERRORS",
    "UNIT_AUDIENCES",
    "UNIT_FIELDS",
    "UNIT_MARK",
    "URLIZABLE",
    "DispatchResult",
    "Due",
    "Occurrence",
    "TemporaryFailure",
    "address_error",
    "audience_units",
    "body_html",
    "campaign_label",
    "campaigns_for",
    "create_default_rules",
    "dispatch",
    "due_rules",
    "email_opted_out",
    "fill",
    "is_temporary",
    "late_units",
    "message_for",
    "notifications_mark_read",
    "notify_transition",
    "occurrences",
    "outbox_resend",
    "outbox_send",
    "plan",
    "preference_set",
    "process_pending",
    "resolve",
    "stale_sending",
    "submitted_ids",
    "waiting_queued",
    "weekly_digest",
    "weekly_digest_context",
]
