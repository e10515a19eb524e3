"""Dispatch: the deliveries due on a day written once (INSERT ... ON CONFLICT DO NOTHING: a
second tick, a racing worker or a retried task inserts nothing new), then processed."""

import datetime as dt
import json
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from reminders.models import Audience, Delivery, DeliveryStatus
from reminders.services import limits
from reminders.services.council import council_notices
from reminders.services.grading import grading_reminders
from reminders.services.planning import (
    DELIVERY_COLUMNS,
    _base_context,
    audience_units,
    due_rules,
    resolve,
)
from reminders.services.processing import DispatchResult, process_pending
from reminders.services.rows import _insert, _now


def dispatch(**kwargs) -> DispatchResult:
    with translation.override(settings.LANGUAGE_CODE):
        return _dispatch(**kwargs)


def _dispatch(
    *,
    today: dt.date | None = None,
    include_closed: bool = False,
    campaign_ids=None,
    send: Callable[[list[int]], None] | None = None,
    process: bool = True,
) -> DispatchResult:
    """Write the deliveries due on ``today`` (once) and process every pending one.

    ``send`` receives the ids of the queued outbox messages of each processed batch after it
    commits (the Celery task enqueues them; the command sends them at once).
    """
    today = today or timezone.localdate()
    result = DispatchResult()
    buffer: list[tuple] = []

    def flush():
        # ON CONFLICT DO NOTHING: a delivery written before (a second tick, a racing worker)
        # is skipped; the row count says how many are new.
        result.created += _insert(Delivery, DELIVERY_COLUMNS, buffer, ignore_conflicts=True)
        buffer.clear()

    created_at = _now()
    for rule, occurrence in due_rules(
        today, include_closed=include_closed, campaign_ids=campaign_ids
    ):
        if rule.audience in UNIT_AUDIENCES:
            due, created = _insert_unit_deliveries(rule, occurrence, today)
            result.due += due
            result.created += created
            continue
        for due in resolve(rule, occurrence, today):
            result.due += 1
            buffer.append(due.values(created_at))
            if len(buffer) >= limits.BATCH:
                flush()
    flush()
    if campaign_ids is None:
        # The council's notices belong to no campaign: a dispatch limited to some campaigns
        # leaves them out.
        due, created = council_notices(today=today)
        result.due += due
        result.created += created
        # Nor the grading deadline's reminders, which belong to a score sheet.
        due, created = grading_reminders(today=today)
        result.due += due
        result.created += created
    if process:
        process_pending(result=result, send=send)
    return result


UNIT_AUDIENCES = (Audience.NOT_SUBMITTED, Audience.ALL_UNITS)


def _insert_unit_deliveries(rule, occurrence, today) -> tuple[int, int]:
    """The deliveries of a rule to units in one INSERT ... SELECT ... ON CONFLICT DO NOTHING
    (130,000 rows without a round trip through Python); returns (due, created). The context
    is the rule's base context plus the unit's name, built by the database's JSON functions."""
    units = audience_units(rule, occurrence, today).order_by().values("id", "name")
    sql, params = units.query.sql_with_params()
    base = json.dumps(_base_context(rule, occurrence, today))
    if connection.vendor == "postgresql":
        context = "%s::jsonb || jsonb_build_object('unit', u.name)"
    else:
        context = "json_patch(%s, json_object('unit', u.name))"
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        # "WHERE true": SQLite needs it to read ON CONFLICT after INSERT ... SELECT.
        cursor.execute(
            f"""INSERT INTO {table} (campaign_id, rule_id, recipient, occurrence, organization_id,
                context, status, created_at)
            SELECT %s, %s, 'org:' || u.id, %s, u.id, {context}, %s, %s
            FROM ({sql}) u WHERE true
            ON CONFLICT DO NOTHING""",
            [
                rule.campaign_id,
                rule.pk,
                occurrence.key,
                base,
                DeliveryStatus.PENDING,
                _now(),
                *params,
            ],
        )
        created = max(cursor.rowcount, 0)
    return units.count(), created
