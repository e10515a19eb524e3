"""Reminders (issue 7): the dispatch of the day after a registration deadline that no unit met.

The setup step adds a campaign of the national root (so every one of the 132,236 units but the
root takes part) with the default reminder rules, a receiving department at the root and no
registration at all. The job's untimed ``prepare`` gives every participating unit a mailbox and
an officer (bulk inserts, about 130,000 users and memberships at full size) and its ``cleanup``
removes them again, so that the pages, measured before the jobs, never see them.

The job times :func:`reminders.services.dispatch` of the day after the deadline (one delivery,
one email and one notification per unit, plus the reviewers' notices and the department's
digest), then of the same day again, which must create nothing. After each run ``reset``
deletes the deliveries, emails and notifications it wrote, so the job can be repeated.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse

from benchmarks.scenario import Scenario, setup_step
from campaigns.models import Campaign, CampaignStatus
from federation.models import Department, Membership, Organization, Role
from registrations.selectors.common import participants

SLUG = "bench-nhac-viec"
DEADLINE = dt.date(2030, 3, 31)
# Mailboxes and officers the job adds are recognisable by these, to be removed afterwards.
MAIL_DOMAIN = "cd.bench-nhac-viec.example.vn"
USER_PREFIX = "bench-rem-"
BATCH = 5000


@setup_step
def reminders_campaign(scenario: Scenario, *, create: bool) -> None:
    if create:
        with transaction.atomic():
            department = Department.objects.create(
                organization=scenario.root,
                name="Ban Chính sách - Pháp luật Tổng Liên đoàn",
                email="cspl@tld.example.vn",
            )
            # The default rules come with the campaign (reminders.signals).
            Campaign.objects.create(
                issuer=scenario.root,
                year=DEADLINE.year,
                title=f"Phong trào thi đua năm {DEADLINE.year}",
                slug=SLUG,
                status=CampaignStatus.ACTIVE,
                registration_deadline=DEADLINE,
                receiving_department=department,
            )
    scenario.extra["reminders_campaign"] = Campaign.objects.get(issuer=scenario.root, slug=SLUG)


def prepare(scenario: Scenario) -> dict:
    """A mailbox for every participating unit that has none and an officer for every unit."""
    campaign = scenario.extra["reminders_campaign"]
    units = participants(campaign)
    User = get_user_model()
    with transaction.atomic():
        units.filter(email="").update(email=f"unit@{MAIL_DOMAIN}")
        if not User.objects.filter(username__startswith=USER_PREFIX).exists():
            ids = list(units.order_by("path").values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                # "!" is an unusable password (no hashing: 130,000 of them).
                users = User.objects.bulk_create(
                    [
                        User(
                            username=f"{USER_PREFIX}{pk}",
                            email=f"officer{pk}@{MAIL_DOMAIN}",
                            full_name=f"Cán bộ công đoàn {pk}",
                            password="!",
                        )
                        for pk in chunk
                    ]
                )
                if users and users[0].pk is None:  # no RETURNING: read the ids back
                    by_name = dict(
                        User.objects.filter(username__in=[u.username for u in users]).values_list(
                            "username", "pk"
                        )
                    )
                    for user in users:
                        user.pk = by_name[user.username]
                Membership.objects.bulk_create(
                    [
                        Membership(user_id=user.pk, organization_id=pk, role=Role.OFFICER)
                        for pk, user in zip(chunk, users, strict=True)
                    ]
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # A worker that has run before has its URLconf loaded (the links in the emails need it);
    # loading it takes a second or more and is not the dispatch's work.
    reverse("registrations:index")
    return {"units": units.count()}


def cleanup(scenario: Scenario) -> None:
    """Remove what ``prepare`` added."""
    reset(scenario)
    User = get_user_model()
    with transaction.atomic():
        people = User.objects.filter(username__startswith=USER_PREFIX)
        Membership.objects.filter(user__in=people).delete()
        _raw_delete(people)
        Organization.objects.filter(email=f"unit@{MAIL_DOMAIN}").update(email="")


def reset(scenario: Scenario) -> None:
    """Delete the deliveries, emails and notifications of the campaign (not timed)."""
    from reminders.models import Delivery, Notification, OutboxMessage

    campaign = scenario.extra["reminders_campaign"]
    deliveries = Delivery.objects.filter(campaign=campaign)
    with transaction.atomic():
        Notification.objects.filter(delivery__in=deliveries).delete()
        OutboxMessage.objects.filter(delivery__in=deliveries).delete()
        _raw_delete(deliveries)


def _raw_delete(queryset) -> None:
    """One DELETE, without Django's collector (its rows are no longer referenced)."""
    sql, params = queryset.values("pk").query.sql_with_params()
    table = queryset.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({sql})", params)


def dispatch_late_units(scenario: Scenario, watch) -> None:
    """The day after the deadline, then the same day again (which must create nothing)."""
    from reminders.models import Delivery, Notification, OutboxMessage
    from reminders.services.dispatch import dispatch

    campaign = scenario.extra["reminders_campaign"]
    day = DEADLINE + dt.timedelta(days=1)
    with watch.step("first day"):
        first = dispatch(today=day, campaign_ids=[campaign.pk])
    with watch.step("same day again"):
        second = dispatch(today=day, campaign_ids=[campaign.pk])
    deliveries = Delivery.objects.filter(campaign=campaign)
    watch.note(
        due=first.due,
        deliveries=deliveries.count(),
        emails=OutboxMessage.objects.filter(delivery__in=deliveries).count(),
        notifications=Notification.objects.filter(delivery__in=deliveries).count(),
        created_again=second.created + second.processed,
    )
    if second.created or second.processed:
        raise AssertionError(f"the same day again created {second.created} deliveries")
    if first.processed != first.created:
        raise AssertionError(f"{first.created} deliveries written, {first.processed} processed")
