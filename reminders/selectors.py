import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from federation.models import Organization
from reminders.models import (
    Delivery,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ReminderRule,
)
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


def outbox_for(user):
    """The emails ``user`` may read in the outbox: a superuser all of them; provincial staff
    those of the units of their branch (the unit a reminder was for, the reviewer's, the
    department's or the council's unit), and of their branch's campaigns for the emails that
    name no unit. Never another branch's."""
    if user.is_superuser:
        return OutboxMessage.objects.all()
    visible = Organization.objects.visible_to(user)
    return OutboxMessage.objects.filter(
        Q(organization__in=visible)
        | Q(organization__isnull=True, delivery__campaign__issuer__in=visible)
    )


def outbox_page_rows(user, status: str = ""):
    """The outbox rows as the page lists them, newest first, with their unit, person,
    department and delivery in the same query (their bodies left out)."""
    queryset = outbox_for(user)
    if status in OutboxStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.select_related("organization", "user", "department", "delivery").defer(
        "text", "html", "delivery__context"
    )


def digest_campaigns(user):
    """The active campaigns whose digest ``user`` may preview and send, with a receiving
    department (one query; the permission is read from the user's memberships)."""
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.ACTIVE, receiving_department__isnull=False
    ).select_related("issuer", "receiving_department")
    if not user.is_superuser:
        campaigns = campaigns.filter(issuer__in=Organization.objects.visible_to(user))
    return [
        c for c in campaigns.order_by("-year", "pk") if user.has_perm("reminders.send_digest", c)
    ]


def digests_for(user):
    """The digests sent to receiving departments (weekly and on demand) that ``user`` may
    read: those of the campaigns issued in their branch. Each with the count of its emails by
    status."""
    queryset = Delivery.objects.filter(
        rule__isnull=True, campaign__isnull=False, department__isnull=False
    )
    if not user.is_superuser:
        queryset = queryset.filter(campaign__issuer__in=Organization.objects.visible_to(user))
    return queryset.select_related("campaign", "department")


def digest_list(user):
    return (
        digests_for(user)
        .defer("context")
        .annotate(
            emails_total=Count("emails"),
            emails_sent=Count("emails", filter=Q(emails__status=OutboxStatus.SENT)),
            emails_failed=Count("emails", filter=Q(emails__status=OutboxStatus.FAILED)),
        )
        .order_by("-id")
    )
