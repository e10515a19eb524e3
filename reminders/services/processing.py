"""Processing: pending deliveries claimed in batches (``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL) become outbox emails and in-app notifications in the same transaction that marks
them done. A worker killed in the middle loses its transaction: the rows are pending again and
the next run does them, once."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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


def _claim(limit: int, after: int = 0, only=None) -> list[int]:
    """The ids of up to ``limit`` pending deliveries above ``after``, locked for this
    transaction (rows another worker holds are skipped). A run claims upwards from where its
    last batch ended: the index then never walks back over the rows it has just marked done,
    whose old versions stay in the index until vacuum (a scan from the start would cost more
    with every batch). Rows skipped below that point belong to a worker that sends them, or,
    if that worker dies, to the next run."""
    queryset = Delivery.objects.filter(status=DeliveryStatus.PENDING, id__gt=after).order_by("id")
    if only is not None:
        queryset = queryset.filter(id__in=only)
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return list(queryset.values_list("id", flat=True)[:limit])


class Reader(NamedTuple):
    """A person who reads a unit's or a department's messages: in the app always, by email
    at their own address unless they turned reminder emails off."""

    user_id: int
    email: str
    wants_email: bool


def _readers(filters: dict, key: str) -> dict[int, list[Reader]]:
    """The active people of each unit or department (``key``), in the order of their ids,
    each once, with their address and whether they want reminder emails (one query)."""
    readers: dict[int, list[Reader]] = defaultdict(list)
    rows = (
        Membership.objects.filter(user__is_active=True, **filters)
        .values_list(key, "user_id", "user__email", "user__reminder_preference__email_enabled")
        .order_by(key, "user_id")
        .distinct()  # a person with two roles in the unit, once
    )
    for owner, user_id, email, enabled in rows:
        readers[owner].append(Reader(user_id, email or "", enabled is not False))
    return readers


def unit_readers(org_ids: set[int]) -> dict[int, list[Reader]]:
    """The officers and leaders who hold a membership of each unit."""
    if not org_ids:
        return {}
    return _readers(
        {"organization_id__in": org_ids, "role__in": (Role.OFFICER, Role.LEADER)},
        "organization_id",
    )


def department_readers(dept_ids: set[int]) -> dict[int, list[Reader]]:
    """The people who hold a membership in each department."""
    if not dept_ids:
        return {}
    return _readers({"department_id__in": dept_ids}, "department_id")


def email_opted_out(user_ids: set[int]) -> set[int]:
    if not user_ids:
        return set()
    return set(
        UserPreference.objects.filter(user_id__in=user_ids, email_enabled=False).values_list(
            "user_id", flat=True
        )
    )


class Target(NamedTuple):
    """One email of a delivery: the address, the person it is for (None: a mailbox) and why
    it cannot leave ("" when it can)."""

    address: str
    user_id: int | None
    error: str = ""


def targets_for(
    *,
    user_id: int | None,
    user_email: str = "",
    user_wants_email: bool = True,
    readers: list[Reader] = (),
    mailbox: str = "",
    nobody=None,
) -> list[Target]:
    """Where the email of one delivery goes.

    A delivery to a person: their own address, unless they turned reminder emails off (then
    no email at all). A delivery to a unit or a department: the own address of each of its
    people who did not turn reminder emails off, then its mailbox when it has one (an address
    already among the people's is not written twice). A person without an address still gets
    a row, failed, so the outbox shows whom the reminder missed; and when nobody at all can
    receive it, one failed row says why (``nobody()``, called only then)."""
    if user_id is not None:
        if not user_wants_email:
            return []
        return [Target(user_email or "", user_id)]
    targets, seen = [], set()
    for reader in readers:
        if reader.wants_email:
            key = reader.email.strip().lower()
            if key and key in seen:
                continue
            seen.add(key)
            targets.append(Target(reader.email, reader.user_id))
    if mailbox and mailbox.strip().lower() not in seen:
        targets.append(Target(mailbox, None))
    if not targets and nobody is not None:
        targets.append(Target("", None, nobody()))
    return targets


def nobody_reason(*, department: bool, readers: list[Reader]) -> str:
    """Why a unit's (or a department's) reminder reaches no one by email."""
    if department:
        if readers:
            return _(
                "The department has no mailbox and its people have turned reminder emails off."
            )
        return _("The department has no mailbox and nobody holds a membership in it.")
    if readers:
        return _(
            "The unit has no email address and its officers and leaders have turned reminder "
            "emails off."
        )
    return _("The unit has no email address and no officer or leader holds a membership of it.")


def process_pending(
    *, result: DispatchResult | None = None, send=None, only=None
) -> DispatchResult:
    """Claim pending deliveries batch by batch and turn them into emails and notifications
    (``only``: these deliveries' ids and no other, for a page that made one)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _process_pending(result=result or DispatchResult(), send=send, only=only)


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
    "department__organization_id",
    "user__email",
    "user__reminder_preference__email_enabled",
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
    "organization",
    "user",
    "department",
)
NOTIFICATION_COLUMNS = ("user", "subject", "body", "link", "delivery", "created_at")


def _process_pending(*, result: DispatchResult, send, only=None) -> DispatchResult:
    """Each batch is one transaction of a fixed number of queries, whatever its size: claim,
    read the deliveries (joined to their addresses), their rules, the people of their units
    and departments with their addresses and opt-outs, write the emails and notifications in
    multi-row INSERTs (the emails' ids come back by RETURNING), mark the deliveries done in one
    UPDATE."""
    rules: dict[int, ReminderRule] = {}
    shells: dict = {}
    addresses: dict[str, str] = {}  # address -> why it cannot receive mail ("" if it can)
    after = 0
    while True:
        with transaction.atomic():
            ids = _claim(limits.BATCH, after, only)
            if not ids:
                break
            after = ids[-1]
            rows = list(
                Delivery.objects.filter(pk__in=ids).order_by("id").values_list(*PENDING_FIELDS)
            )
            unknown = {row[1] for row in rows if row[1] is not None and row[1] not in rules}
            if unknown:
                rules.update(ReminderRule.objects.in_bulk(unknown))
            org_readers = unit_readers({row[3] for row in rows if row[3] and not row[5]})
            dept_readers = department_readers({row[4] for row in rows if row[4] and not row[5]})
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
                dept_org_id,
                user_email,
                user_wants,
            ) in rows:
                rule = rules.get(rule_id) if rule_id is not None else None
                subject, text, html, note, link = message_for(rule, ctx, shells)
                subject = subject[:255]
                wants_email = rule is None or rule.sends_email
                wants_note = rule is None or rule.sends_in_app
                if user_id:
                    # A person: a reviewer, a council member.
                    readers = ()
                    notified = (user_id,)
                    targets = targets_for(
                        user_id=user_id,
                        user_email=user_email,
                        user_wants_email=user_wants is not False,
                    )
                    unit_id = org_id
                elif dept_id:
                    readers = dept_readers.get(dept_id, [])
                    notified = [reader.user_id for reader in readers]
                    targets = targets_for(
                        user_id=None,
                        readers=readers,
                        mailbox=dept_email or "",
                        nobody=lambda readers=readers: nobody_reason(
                            department=True, readers=readers
                        ),
                    )
                    unit_id = org_id or dept_org_id
                else:
                    readers = org_readers.get(org_id, [])
                    notified = [reader.user_id for reader in readers]
                    targets = targets_for(
                        user_id=None,
                        readers=readers,
                        mailbox=org_email or "",
                        nobody=lambda readers=readers: nobody_reason(
                            department=False, readers=readers
                        ),
                    )
                    unit_id = org_id
                if wants_email:
                    for target in targets:
                        error = target.error
                        if not error:
                            if target.address not in addresses:
                                addresses[target.address] = address_error(target.address)
                            error = addresses[target.address]
                        status = OutboxStatus.FAILED if error else OutboxStatus.QUEUED
                        emails.append(
                            (
                                target.address[:254],
                                subject,
                                text,
                                html,
                                status,
                                0,
                                error,
                                pk,
                                now,
                                now,
                                unit_id,
                                target.user_id,
                                dept_id,
                            )
                        )
                if wants_note:
                    notes.extend(
                        (reader, subject, note, link, pk, now) for reader in sorted(notified)
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
