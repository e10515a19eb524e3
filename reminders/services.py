"""Dispatch of reminders, exactly once.

1. :func:`plan` works out, for one day, every (rule, recipient, occurrence) due, with queries
   issued per rule and in batches, never per unit.
2. :func:`dispatch` writes them as ``Delivery`` rows with INSERT ... ON CONFLICT DO NOTHING: a
   second tick, a racing worker or a retried task inserts nothing new.
3. :func:`process_pending` claims pending deliveries in batches (``SELECT ... FOR UPDATE SKIP
   LOCKED`` on PostgreSQL) and, in the same transaction, writes their outbox emails and in-app
   notifications and marks them done. A worker killed in the middle loses its transaction: the
   rows are pending again and the next run does them, once.
4. Emails leave through :func:`outbox_send`, called by a Celery task with retries.
"""

import datetime as dt
import json
import logging
import re
import smtplib
import socket
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.template.defaultfilters import linebreaksbr, urlize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from emulation.mail import render_email
from emulation.workflow import SENT
from federation.models import SUBTREE_ROLES, Membership, Organization, Role
from registrations.models import DeadlineExtension, Registration
from registrations.selectors import participants
from reminders.models import (
    Audience,
    Delivery,
    DeliveryStatus,
    Event,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ReminderRule,
    UserPreference,
)
from reminders.texts import PLACEHOLDERS, default_rules, fill

log = logging.getLogger(__name__)

BATCH = 1000
# At most this many unit names are listed under one parent in a digest or a reviewer's notice.
LIST_LIMIT = 30
MAX_ATTEMPTS = 5


def create_default_rules(campaign: Campaign) -> list[ReminderRule]:
    if campaign.reminder_rules.exists():
        return []
    return ReminderRule.objects.bulk_create(ReminderRule(**row) for row in default_rules(campaign))


# ---------------------------------------------------------------------------------------------
# Events and audiences.


@dataclass(frozen=True)
class Occurrence:
    key: str
    date: dt.date
    phase: object = None
    milestone: object = None


def occurrences(rule: ReminderRule) -> list[Occurrence]:
    """Every dated instance of the rule's event in its campaign."""
    campaign = rule.campaign
    if rule.event == Event.REGISTRATION_DEADLINE:
        day = campaign.registration_deadline
        return [Occurrence(f"registration:{day}", day)] if day else []
    if rule.event in (Event.REPORT_DEADLINE, Event.PHASE_START):
        phases = [rule.phase] if rule.phase_id else list(campaign.phases.all())
        result = []
        for phase in phases:
            day = phase.report_deadline if rule.event == Event.REPORT_DEADLINE else phase.start
            if day:
                result.append(Occurrence(f"{rule.event}:{phase.pk}:{day}", day, phase=phase))
        return result
    milestones = [rule.milestone] if rule.milestone_id else list(campaign.milestones.all())
    return [Occurrence(f"milestone:{m.pk}:{m.date}", m.date, milestone=m) for m in milestones]


def _report_models():
    """PhaseReport and ReportExtension when the reports app is installed (None otherwise: then
    no unit counts as having reported)."""
    try:
        return apps.get_model("reports", "PhaseReport"), apps.get_model(
            "reports", "ReportExtension"
        )
    except LookupError:
        return None, None


def submitted_ids(rule: ReminderRule, occurrence: Occurrence, today: dt.date) -> list:
    """Subqueries of the ids of the units that had sent what the event asks for by ``today``
    (or may still send it: their deadline was extended past ``today``)."""
    campaign = rule.campaign
    sent_by_today = Q(status__in=SENT) & (
        Q(submitted_at__isnull=True) | Q(submitted_at__date__lte=today)
    )
    if occurrence.phase is not None:
        report, extension = _report_models()
        if report is None:
            return []
        ids = report.objects.filter(sent_by_today, phase=occurrence.phase).values("organization_id")
        extended = extension.objects.filter(phase=occurrence.phase, until__gte=today).values(
            "organization_id"
        )
    else:
        ids = Registration.objects.filter(sent_by_today, campaign=campaign).values(
            "organization_id"
        )
        extended = DeadlineExtension.objects.filter(campaign=campaign, until__gte=today).values(
            "organization_id"
        )
    if today > occurrence.date:
        return [ids.order_by(), extended.order_by()]
    return [ids.order_by()]


def late_units(rule: ReminderRule, occurrence: Occurrence, today: dt.date):
    """The participating units that have not sent what the event asks for (one query)."""
    units = participants(rule.campaign)
    for done in submitted_ids(rule, occurrence, today):
        units = units.exclude(pk__in=done)
    return units


def audience_units(rule: ReminderRule, occurrence: Occurrence, today: dt.date):
    if rule.audience == Audience.ALL_UNITS:
        return participants(rule.campaign)
    return late_units(rule, occurrence, today)


UNIT_FIELDS = ("id", "path", "name", "short_name", "email")


def _iter_units(queryset) -> Iterable[tuple]:
    return queryset.order_by("path").values_list(*UNIT_FIELDS).iterator(chunk_size=BATCH)


def _names_of_paths(paths: Iterable[str]) -> dict[str, str]:
    names = {}
    paths = list(paths)
    for start in range(0, len(paths), BATCH):
        for path, name, short in Organization.objects.filter(
            path__in=paths[start : start + BATCH]
        ).values_list("path", "name", "short_name"):
            names[path] = name or short
    return names


def _listing(names: list[str]) -> str:
    if len(names) <= LIST_LIMIT:
        return ", ".join(names)
    return _("%(names)s and %(count)d more units") % {
        "names": ", ".join(names[:LIST_LIMIT]),
        "count": len(names) - LIST_LIMIT,
    }


def _link(rule: ReminderRule) -> str:
    if rule.event == Event.REGISTRATION_DEADLINE:
        path = reverse("registrations:index")
    else:
        path = rule.campaign.get_absolute_url()
    return settings.SITE_URL.rstrip("/") + path


def campaign_label(campaign: Campaign) -> str:
    if campaign.document_number:
        return _("Plan %(number)s of %(year)d") % {
            "number": campaign.document_number,
            "year": campaign.year,
        }
    return campaign.title[:80]


@dataclass
class Due:
    """One due delivery, before it is written."""

    rule: ReminderRule
    occurrence: Occurrence
    recipient: str
    label: str
    context: dict
    organization_id: int | None = None
    user_id: int | None = None
    department_id: int | None = None

    def values(self, created_at) -> tuple:
        """The row's values in the order of :data:`DELIVERY_COLUMNS`."""
        return (
            self.rule.campaign_id,
            self.rule.pk,
            self.recipient,
            self.occurrence.key,
            self.organization_id,
            self.user_id,
            self.department_id,
            json.dumps(self.context),
            DeliveryStatus.PENDING,
            created_at,
        )


DELIVERY_COLUMNS = (
    "campaign",
    "rule",
    "recipient",
    "occurrence",
    "organization",
    "user",
    "department",
    "context",
    "status",
    "created_at",
)


def _insert(
    model,
    columns: tuple[str, ...],
    rows: list[tuple],
    *,
    ignore_conflicts=False,
    returning: tuple[str, ...] = (),
):
    """INSERT plain tuples, many rows per statement, without building model instances (which
    cost more than the database's own work at 130,000 rows). Returns the number of rows
    inserted, or with ``returning`` (columns) the inserted rows' values of those columns."""
    if not rows:
        return [] if returning else 0
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, min(BATCH, _max_params() // len(columns)))
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if returning:
        suffix += " RETURNING " + ", ".join(
            quote(model._meta.get_field(c).column) for c in returning
        )
    inserted, returned = 0, []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
                f"VALUES {', '.join([one] * len(chunk))}{suffix}",
                [value for row in chunk for value in row],
            )
            if returning:
                returned.extend(cursor.fetchall())
            else:
                inserted += max(cursor.rowcount, 0)
    return returned if returning else inserted


def _max_params() -> int:
    """How many parameters one statement may take: SQLite says it (32,766 since 3.32, where
    Django assumes 999); psycopg2 interpolates them on the client (no limit)."""
    limit = connection.features.max_query_params
    if limit is None:
        return 1_000_000
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11+
        number = getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER", None)
        if getlimit is not None and number is not None:
            return getlimit(number)
    return limit


def _now():
    """The current time as the database takes it in a raw query."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _base_context(rule: ReminderRule, occurrence: Occurrence, today: dt.date) -> dict:
    return {
        "deadline": occurrence.date.strftime("%d/%m/%Y"),
        "days_left": (occurrence.date - today).days,
        "link": _link(rule),
        "campaign": campaign_label(rule.campaign),
        "phase": occurrence.phase.name if occurrence.phase is not None else "",
    }


def resolve(rule: ReminderRule, occurrence: Occurrence, today: dt.date) -> Iterable[Due]:
    """The deliveries of ``rule`` for ``occurrence`` as seen on ``today`` (a few queries per
    rule, whatever the number of units)."""
    base = _base_context(rule, occurrence, today)
    if rule.audience in (Audience.NOT_SUBMITTED, Audience.ALL_UNITS):
        for pk, _path, name, _short, _email in _iter_units(audience_units(rule, occurrence, today)):
            yield Due(
                rule, occurrence, f"org:{pk}", name, {**base, "unit": name}, organization_id=pk
            )
        return
    late = list(_iter_units(late_units(rule, occurrence, today)))
    step = Organization.steplen
    by_parent: dict[str, list[str]] = defaultdict(list)
    for _pk, path, name, _short, _email in late:
        by_parent[path[:-step]].append(name)
    if rule.audience == Audience.DEPARTMENT:
        department = rule.campaign.receiving_department
        if department is None or not late:
            return
        parents = _names_of_paths(by_parent)
        groups = [
            {
                "parent": parents.get(path, path),
                "count": len(names),
                "units": names[:LIST_LIMIT],
                "more": max(0, len(names) - LIST_LIMIT),
            }
            for path, names in sorted(by_parent.items())
        ]
        yield Due(
            rule,
            occurrence,
            f"dept:{department.pk}",
            str(department),
            {**base, "unit": department.name, "groups": groups, "late_count": len(late)},
            department_id=department.pk,
        )
        return
    # Reviewers: the leaders and staff of the unit directly above each late unit.
    per_user: dict[int, list[str]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    labels: dict[int, str] = {}
    paths = list(by_parent)
    for start in range(0, len(paths), BATCH):
        rows = (
            Membership.objects.filter(
                role__in=SUBTREE_ROLES,
                organization__path__in=paths[start : start + BATCH],
                organization__is_active=True,
                user__is_active=True,
            )
            .values_list("user_id", "organization__path", "user__full_name", "user__username")
            .order_by("user_id", "organization__path")
        )
        for user_id, path, full_name, username in rows:
            if (user_id, path) not in seen:
                seen.add((user_id, path))
                per_user[user_id].extend(by_parent[path])
            labels[user_id] = full_name or username
    for user_id, names in sorted(per_user.items()):
        yield Due(
            rule,
            occurrence,
            f"user:{user_id}",
            labels[user_id],
            {**base, "unit": _listing(names), "late_count": len(names)},
            user_id=user_id,
        )


def campaigns_for(today: dt.date, *, include_closed: bool):
    statuses = [CampaignStatus.ACTIVE] + ([CampaignStatus.CLOSED] if include_closed else [])
    return Campaign.objects.filter(status__in=statuses).select_related("receiving_department")


def due_rules(today: dt.date, *, include_closed: bool = False, campaign_ids=None):
    """(rule, occurrence) pairs that fire on ``today``."""
    campaigns = campaigns_for(today, include_closed=include_closed)
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=campaign_ids)
    rules = (
        ReminderRule.objects.filter(is_active=True, campaign__in=campaigns)
        .select_related("campaign__receiving_department__organization", "phase", "milestone")
        .prefetch_related("campaign__phases", "campaign__milestones")
        .order_by("campaign_id", "event", "offset_days", "id")
    )
    for rule in rules:
        for occurrence in occurrences(rule):
            if occurrence.date + dt.timedelta(days=rule.offset_days) == today:
                yield rule, occurrence


def plan(today: dt.date, *, include_closed: bool = False, campaign_ids=None) -> Iterable[Due]:
    for rule, occurrence in due_rules(
        today, include_closed=include_closed, campaign_ids=campaign_ids
    ):
        yield from resolve(rule, occurrence, today)


@dataclass
class DispatchResult:
    due: int = 0
    created: int = 0
    processed: int = 0
    emails: int = 0
    notifications: int = 0
    outbox_ids: list = field(default_factory=list)


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
            if len(buffer) >= BATCH:
                flush()
    flush()
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


# ---------------------------------------------------------------------------------------------
# Processing: deliveries become emails and notifications.


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


def address_error(address: str) -> str:
    """Why ``address`` cannot receive mail ("" when it can)."""
    if not address:
        return _("No email address is recorded.")
    try:
        validate_email(address)
    except ValidationError:
        return _("The email address “%(address)s” is not valid.") % {"address": address}
    return ""


MARK = "\u2063REMINDER-BODY\u2063"
UNIT_MARK = "\u2063REMINDER-UNIT\u2063"
# A unit name with one of these may be turned into a link by urlize: its message is rendered
# on its own.
URLIZABLE = re.compile(r"[.@:\s\u2063]")


def body_html(body: str) -> str:
    """The body as the HTML template shows it (``{{ body|linebreaksbr|urlize }}``)."""
    return urlize(linebreaksbr(body, autoescape=True), autoescape=True)


def _html_body(rule: ReminderRule, ctx: dict, body: str, cache: dict) -> str:
    """``body_html(body)`` without running urlize on each of 130,000 bodies (half a
    millisecond each): the body of a rule and occurrence is turned into HTML once with a marker
    for the unit's name, then each message puts its escaped unit name in. Checked against the
    full rendering on the first message; a unit name that urlize could touch, or a rule whose
    text does not allow it, renders each message in full."""
    unit = str(ctx.get("unit", ""))
    if URLIZABLE.search(unit.replace(" ", "")):
        return body_html(body)
    key = (
        "html",
        rule.pk,
        tuple(sorted((k, str(v)) for k, v in ctx.items() if k in PLACEHOLDERS and k != "unit")),
    )
    shell = cache.get(key)
    if shell is None:
        shell = body_html(fill(rule.body, {**ctx, "unit": UNIT_MARK}))
        if shell.replace(UNIT_MARK, escape(unit)) != body_html(body):
            shell = False
        cache[key] = shell
    if shell is False:
        return body_html(body)
    return shell.replace(UNIT_MARK, escape(unit))


def _shells(rule_id: int, cache: dict) -> tuple[str, str]:
    """The text and HTML of the reminder email rendered once per rule around a marker, so that
    a batch of thousands of deliveries renders the templates once, not once per unit."""
    if rule_id not in cache:
        context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, "body": MARK}
        cache[rule_id] = (
            render_to_string("emails/reminder-body.txt", context),
            render_to_string("emails/reminder-body.html", context),
        )
    return cache[rule_id]


def message_for(
    rule: ReminderRule | None, context: dict, cache: dict | None = None
) -> tuple[str, str, str, str, str]:
    """(subject, text, html, notification body, link) of a delivery of ``rule`` (None: the
    weekly digest) with its ``context``. With ``cache``, the reminder templates are rendered
    once per rule (see :func:`_shells`); without, once per message (the reference rendering,
    which gives the same text)."""
    ctx = context
    if rule is None:
        subject, text, html = render_email("weekly-digest", ctx)
        return subject, text, html, text, ctx.get("link", "")
    subject = " ".join(fill(rule.subject, ctx).split())
    body = fill(rule.body, ctx)
    if ctx.get("groups") or cache is None:
        _subject, text, html = render_email("reminder", {**ctx, "subject": subject, "body": body})
    else:
        text_shell, html_shell = _shells(rule.pk, cache)
        text = text_shell.replace(MARK, body)
        html = html_shell.replace(MARK, _html_body(rule, ctx, body, cache))
    return subject, text, html, text, ctx.get("link", "")


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
            ids = _claim(BATCH, after)
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


# ---------------------------------------------------------------------------------------------
# The outbox.

TEMPORARY_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    socket.timeout,
    TimeoutError,
    ConnectionError,
)


def is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    return isinstance(error, TEMPORARY_ERRORS)


class TemporaryFailure(Exception):
    """A send failed for a reason that may pass; the task retries it later."""


def outbox_send(message_id: int, *, final: bool = False) -> str:
    """Send one outbox message unless it was sent already; returns its status.

    Raises :class:`TemporaryFailure` on a temporary SMTP error (the row goes back to queued
    with the error, to be retried), unless ``final``: then it is marked failed. A permanent
    error marks it failed at once. Nothing is dropped: every failure stays in the outbox.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status in (OutboxStatus.SENT, OutboxStatus.FAILED):
            return message.status if message else "missing"
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    email = EmailMultiAlternatives(
        message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [message.recipient]
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded
        temporary = is_temporary(error) and not final and message.attempts < MAX_ATTEMPTS
        message.status = OutboxStatus.QUEUED if temporary else OutboxStatus.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["status", "last_error", "updated_at"])
        log.warning("outbox %s: %s", message.pk, message.last_error)
        if temporary:
            raise TemporaryFailure(message.last_error) from error
        return message.status
    message.status = OutboxStatus.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    return message.status


def outbox_resend(message: OutboxMessage) -> OutboxMessage:
    """Put a failed (or stuck) message back in the queue."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != OutboxStatus.SENT:
            message.status = OutboxStatus.QUEUED
            message.save(update_fields=["status", "updated_at"])
    return message


def stale_sending(minutes: int = 30) -> list[int]:
    """Messages left "sending" by a worker that died: queued again."""
    limit = timezone.now() - dt.timedelta(minutes=minutes)
    stale = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, updated_at__lt=limit)
    ids = list(stale.values_list("pk", flat=True))
    stale.update(status=OutboxStatus.QUEUED)
    return ids


def waiting_queued(minutes: int = 30) -> list[int]:
    """Messages queued for a while (their task was lost, or the broker was down)."""
    limit = timezone.now() - dt.timedelta(minutes=minutes)
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, updated_at__lt=limit).values_list(
            "pk", flat=True
        )
    )


# ---------------------------------------------------------------------------------------------
# Notifications and preferences.


def notifications_mark_read(*, user, ids=None) -> int:
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


def preference_set(*, user, email_enabled: bool) -> UserPreference:
    preference, _created = UserPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled}
    )
    return preference


# ---------------------------------------------------------------------------------------------
# The weekly digest to the receiving department.


def _status_counts(queryset, group_length: int) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        queryset.annotate(branch=Substr("organization__path", 1, group_length))
        .values("branch", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["branch"]][row["status"]] = row["n"]
    return counts


def weekly_digest_context(campaign: Campaign, today: dt.date) -> dict:
    """Registrations and reports by status per child unit of the issuer, what changed in the
    week, the late units and the next deadlines and milestones (a handful of grouped queries)."""
    issuer = campaign.issuer
    group_length = len(issuer.path) + Organization.steplen
    week_start = today - dt.timedelta(days=7)
    children = list(
        Organization.objects.children_of(issuer).filter(is_active=True).values_list("path", "name")
    )
    units = participants(campaign)
    totals: dict[str, int] = defaultdict(int)
    for row in (
        units.annotate(branch=Substr("path", 1, group_length))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by()
    ):
        totals[row["branch"]] = row["n"]
    registrations = Registration.objects.filter(campaign=campaign)
    reg_counts = _status_counts(registrations, group_length)
    report_model, _ext = _report_models()
    phase = (
        campaign.phases.filter(start__lte=today).order_by("-start").first()
        or campaign.phases.order_by("start").first()
    )
    rep_counts = {}
    if report_model is not None and phase is not None:
        rep_counts = _status_counts(report_model.objects.filter(phase=phase), group_length)
    rows = []
    for path, name in children:
        reg = reg_counts.get(path, {})
        rep = rep_counts.get(path, {})
        rows.append(
            {
                "name": name,
                "units": totals.get(path, 0),
                "registrations": {
                    "submitted": reg.get("submitted", 0),
                    "approved": reg.get("approved", 0),
                    "returned": reg.get("returned", 0),
                    "draft": reg.get("draft", 0),
                },
                "reports": {
                    "submitted": rep.get("submitted", 0),
                    "approved": rep.get("approved", 0),
                    "returned": rep.get("returned", 0),
                    "draft": rep.get("draft", 0),
                },
            }
        )
    changed = {
        "registrations_submitted": registrations.filter(submitted_at__date__gt=week_start).count(),
        "registrations_reviewed": registrations.filter(reviewed_at__date__gt=week_start).count(),
        "reports_submitted": 0,
        "reports_reviewed": 0,
    }
    if report_model is not None:
        reports = report_model.objects.filter(campaign=campaign)
        changed["reports_submitted"] = reports.filter(submitted_at__date__gt=week_start).count()
        changed["reports_reviewed"] = reports.filter(reviewed_at__date__gt=week_start).count()
    late = []
    probe = ReminderRule(
        campaign=campaign, event=Event.REGISTRATION_DEADLINE, audience="not_submitted"
    )
    deadlines = []
    if campaign.registration_deadline:
        deadlines.append((campaign.registration_deadline, _("Registration"), None))
    for each in campaign.phases.all():
        if each.report_deadline:
            deadlines.append(
                (each.report_deadline, _("Report on %(phase)s") % {"phase": each.name}, each)
            )
    for day, label, each in deadlines:
        if day < today:
            occurrence = Occurrence("", day, phase=each)
            count = late_units(probe, occurrence, today).count()
            if count:
                late.append({"label": label, "deadline": day.strftime("%d/%m/%Y"), "count": count})
    upcoming = [
        {"label": label, "date": day.strftime("%d/%m/%Y")}
        for day, label, _each in sorted(deadlines, key=lambda x: x[0])
        if day >= today
    ][:5]
    for milestone in campaign.milestones.filter(date__gte=today).select_related("holiday")[:5]:
        upcoming.append(
            {"label": milestone.holiday.name, "date": milestone.date.strftime("%d/%m/%Y")}
        )
    return {
        "campaign": campaign_label(campaign),
        "week_start": (week_start + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "week_end": today.strftime("%d/%m/%Y"),
        "phase": phase.name if phase else "",
        "rows": rows,
        "changed": changed,
        "late": late,
        "upcoming": upcoming,
        "link": settings.SITE_URL.rstrip("/") + campaign.get_absolute_url(),
    }


def weekly_digest(*, today: dt.date | None = None, send=None) -> DispatchResult:
    """One digest per active campaign and week to its receiving department, once."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return _weekly_digest(today, send)


def _weekly_digest(today: dt.date, send) -> DispatchResult:
    year, week, _day = today.isocalendar()
    rows = []
    for campaign in Campaign.objects.filter(
        status=CampaignStatus.ACTIVE, receiving_department__isnull=False
    ).select_related("issuer", "receiving_department"):
        department = campaign.receiving_department
        rows.append(
            Delivery(
                campaign=campaign,
                rule=None,
                recipient=f"dept:{department.pk}",
                occurrence=f"week:{year}-W{week:02d}",
                department=department,
                context=weekly_digest_context(campaign, today),
            )
        )
    before = Delivery.objects.count()
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    created = Delivery.objects.count() - before
    result = process_pending(send=send)
    result.created = created
    return result


# ---------------------------------------------------------------------------------------------
# In-app notifications of review transitions (the workflow's signal, after commit).


def _transition_labels() -> dict:
    return {
        "submit": _("sent for review"),
        "approve": _("approved"),
        "return": _("returned with a comment"),
        "reopen": _("reopened for a new revision"),
    }


def _object_link(instance) -> str:
    campaign_id = getattr(instance, "campaign_id", None)
    organization_id = getattr(instance, "organization_id", None)
    if type(instance).__name__ == "Registration" and campaign_id and organization_id:
        return reverse("registrations:unit", args=[campaign_id, organization_id])
    if hasattr(instance, "get_absolute_url"):
        return instance.get_absolute_url()
    return ""


def notify_transition(*, instance, transition: str, by, comment: str = "") -> int:
    """Tell the people concerned, in the app: the unit's reviewers above when it sends
    something; the unit's officers and leaders when it is approved, returned or reopened."""
    organization = getattr(instance, "organization", None)
    label = _transition_labels().get(transition)
    if organization is None or label is None:
        return 0
    if transition == "submit":
        if organization.depth <= 1:
            return 0
        users = Membership.objects.filter(
            organization__path=organization.parent_path, role__in=SUBTREE_ROLES
        )
    else:
        users = Membership.objects.filter(
            organization=organization, role__in=(Role.OFFICER, Role.LEADER)
        )
    user_ids = set(users.filter(user__is_active=True).values_list("user_id", flat=True))
    user_ids.discard(getattr(by, "pk", None))
    if not user_ids:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(object)s of %(unit)s: %(action)s") % {
            "object": str(instance._meta.verbose_name).capitalize(),
            "unit": organization.name,
            "action": label,
        }
    link = _object_link(instance)
    Notification.objects.bulk_create(
        Notification(user_id=user_id, subject=subject[:255], body=comment or "", link=link)
        for user_id in sorted(user_ids)
    )
    return len(user_ids)
