"""Processing: pending deliveries claimed in batches (``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL) become outbox emails and in-app notifications in the same transaction that marks
them done. A worker killed in the middle loses its transaction: the rows are pending again and
the next run does them, once."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from federation.models import Membership, Role
from reminders.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ReminderRule,
    UserPreference,
)
from reminders.services import limits
from reminders.services.rendering import address_error, message_for
from reminders.services.rows import _insert, _now


@dataclass
class DispatchResult:
    due: int = 0
    created: int = 0
    processed: int = 0
    emails: int = 0
    notifications: int = 0
    outbox_ids: list = field(default_factory=list)


def _claim(limit: int, after: int = 0) -> list[int]:
    """The ids of up to ``limit`` pending deliveries above ``after``, locked for this
    transaction (rows another worker holds are skipped). A run claims upwards from where its
    last batch ended: the index then never walks back over the rows it has just marked done,
    whose old versions stay in the index until vacuum (a scan from the start would cost more
    with every batch). Rows skipped below that point belong to a worker that sends them, or,
    if that worker dies, to the next run."""
    queryset = Delivery.objects.filter(status=DeliveryStatus.PENDING, id__gt=after).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return list(queryset.values_list("id", flat=True)[:limit])


def _unit_members(org_ids: set[int]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    if org_ids:
        for org_id, user_id in Membership.objects.filter(
            organization_id__in=org_ids,
            role__in=(Role.OFFICER, Role.LEADER),
            user__is_active=True,
        ).values_list("organization_id", "user_id"):
            members[org_id].add(user_id)
    return members


def _department_members(dept_ids: set[int]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    if dept_ids:
        for dept_id, user_id in Membership.objects.filter(
            department_id__in=dept_ids, user__is_active=True
        ).values_list("department_id", "user_id"):
            members[dept_id].add(user_id)
    return members


def email_opted_out(user_ids: set[int]) -> set[int]:
    if not user_ids:
        return set()
    return set(
        UserPreference.objects.filter(user_id__in=user_ids, email_enabled=False).values_list(
            "user_id", flat=True
        )
    )


def process_pending(*, result: DispatchResult | None = None, send=None) -> DispatchResult:
    """Claim pending deliveries batch by batch and turn them into emails and notifications."""
    with translation.override(settings.LANGUAGE_CODE):
        return _process_pending(result=result or DispatchResult(), send=send)


# What a batch reads of each delivery: plain values, no model instances.
PENDING_FIELDS = (
    "id",
    "rule_id",
    "context",
    "organization_id",
    "department_id",
    "user_id",
    "organization__email",
    "department__email",
    "user__email",
)
OUTBOX_COLUMNS = (
    "recipient",
    "subject",
    "text",
    "html",
    "status",
    "attempts",
    "last_error",
    "delivery",
    "created_at",
    "updated_at",
)
NOTIFICATION_COLUMNS = ("user", "subject", "body", "link", "delivery", "created_at")


def _process_pending(*, result: DispatchResult, send) -> DispatchResult:
    """Each batch is one transaction of a fixed number of queries, whatever its size: claim,
    read the deliveries (joined to their addresses), their rules, the readers of their units
    and departments and the opt-outs, write the emails and notifications in multi-row
    INSERTs (the emails' ids come back by RETURNING), mark the deliveries done in one UPDATE."""
    rules: dict[int, ReminderRule] = {}
    shells: dict = {}
    addresses: dict[str, str] = {}  # address -> why it cannot receive mail ("" if it can)
    after = 0
    while True:
        with transaction.atomic():
            ids = _claim(limits.BATCH, after)
            if not ids:
                break
            after = ids[-1]
            rows = list(
                Delivery.objects.filter(pk__in=ids).order_by("id").values_list(*PENDING_FIELDS)
            )
            unknown = {row[1] for row in rows if row[1] is not None and row[1] not in rules}
            if unknown:
                rules.update(ReminderRule.objects.in_bulk(unknown))
            org_members = _unit_members({row[3] for row in rows if row[3]})
            dept_members = _department_members({row[4] for row in rows if row[4]})
            opted_out = email_opted_out({row[5] for row in rows if row[5]})
            now = _now()
            emails, notes = [], []
            for (
                pk,
                rule_id,
                ctx,
                org_id,
                dept_id,
                user_id,
                org_email,
                dept_email,
                user_email,
            ) in rows:
                rule = rules.get(rule_id) if rule_id is not None else None
                subject, text, html, note, link = message_for(rule, ctx, shells)
                subject = subject[:255]
                wants_email = rule is None or rule.sends_email
                wants_note = rule is None or rule.sends_in_app
                if org_id:
                    address = org_email
                    readers = org_members.get(org_id, ())
                elif dept_id:
                    address = dept_email
                    readers = dept_members.get(dept_id, ())
                else:
                    address = user_email
                    readers = (user_id,)
                    if user_id in opted_out:
                        wants_email = False
                if wants_email:
                    if address not in addresses:
                        addresses[address] = address_error(address)
                    error = addresses[address]
                    status = OutboxStatus.FAILED if error else OutboxStatus.QUEUED
                    emails.append(
                        (address[:254], subject, text, html, status, 0, error, pk, now, now)
                    )
                if wants_note:
                    notes.extend(
                        (reader, subject, note, link, pk, now) for reader in sorted(readers)
                    )
            if connection.features.can_return_rows_from_bulk_insert:
                written = _insert(OutboxMessage, OUTBOX_COLUMNS, emails, returning=("id", "status"))
            else:  # SQLite before 3.35: read the ids back
                _insert(OutboxMessage, OUTBOX_COLUMNS, emails)
                written = OutboxMessage.objects.filter(delivery_id__in=ids).values_list(
                    "pk", "status"
                )
            _insert(Notification, NOTIFICATION_COLUMNS, notes)
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.DONE, processed_at=timezone.now()
            )
            queued_ids = sorted(pk for pk, status in written if status == OutboxStatus.QUEUED)
            if send is not None and queued_ids:
                transaction.on_commit(lambda queued_ids=queued_ids: send(queued_ids))
        result.processed += len(ids)
        result.emails += len(emails)
        result.notifications += len(notes)
        result.outbox_ids.extend(queued_ids)
    return result
