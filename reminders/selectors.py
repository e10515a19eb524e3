import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from reminders.models import Notification, ReminderRule
from reminders.services.planning import occurrences, resolve
from reminders.texts import fill

PREVIEW_LIMIT = 50


@dataclass
class Preview:
    occurrence: object = None
    fire_date: dt.date | None = None
    recipients: list = field(default_factory=list)
    total: int = 0
    subject: str = ""
    body: str = ""


def preview(rule: ReminderRule, today: dt.date | None = None) -> Preview:
    """Who the rule would reach at its next occurrence (or its last one, when all are past),
    as the data stands, and the message the first of them would read."""
    today = today or timezone.localdate()
    result = Preview()
    chosen = None
    for occurrence in sorted(occurrences(rule), key=lambda o: o.date):
        fire = occurrence.date + dt.timedelta(days=rule.offset_days)
        chosen = (occurrence, fire)
        if fire >= today:
            break
    if chosen is None:
        return result
    result.occurrence, result.fire_date = chosen
    for due in resolve(rule, result.occurrence, result.fire_date):
        if result.total < PREVIEW_LIMIT:
            result.recipients.append(due.label)
        if result.total == 0:
            result.subject = fill(rule.subject, due.context)
            result.body = fill(rule.body, due.context)
        result.total += 1
    return result


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
