"""The batched dispatch: the same messages as rendering each email from its templates, and a
number of queries that does not grow with the number of late units."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from federation.models import Membership, Role
from federation.services.imports import NewUnit, organizations_bulk_create
from reminders.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    OutboxMessage,
    OutboxStatus,
    UserPreference,
)
from reminders.services.dispatch import dispatch
from reminders.services.processing import Reader, nobody_reason
from reminders.services.rendering import address_error, message_for

pytestmark = pytest.mark.django_db


def test_the_2017_demo_gets_the_messages_its_templates_render():
    """Every email and notification of four days of the 2017 plan equals what rendering the
    three templates for that delivery gives (the per-message reference path)."""
    call_command("seed_demo", stdout=io.StringIO())
    for day in ("2017-03-30", "2017-04-01", "2017-09-08", "2017-09-16"):
        dispatch(today=dt.date.fromisoformat(day), include_closed=True)
    assert_messages_match_templates(minimum=400)


def expected_emails(delivery) -> list[tuple]:
    """(address, person id, error) of each email of ``delivery``, worked out one delivery at a
    time from the models (the reference the batched processing must give)."""

    def wants(user) -> bool:
        preference = UserPreference.objects.filter(user=user).first()
        return preference is None or preference.email_enabled

    if delivery.user_id:
        user = delivery.user
        if not wants(user):
            return []
        return [(user.email, user.pk, address_error(user.email))]
    if delivery.department_id:
        memberships = Membership.objects.filter(department=delivery.department)
        mailbox = delivery.department.email
    else:
        memberships = Membership.objects.filter(
            organization=delivery.organization, role__in=(Role.OFFICER, Role.LEADER)
        )
        mailbox = delivery.organization.email
    people = sorted(
        {m.user for m in memberships.filter(user__is_active=True).select_related("user")},
        key=lambda user: user.pk,
    )
    expected, seen = [], set()
    for user in people:
        if not wants(user):
            continue
        if user.email and user.email.lower() in seen:
            continue
        seen.add(user.email.lower())
        expected.append((user.email, user.pk, address_error(user.email)))
    if mailbox and mailbox.lower() not in seen:
        expected.append((mailbox, None, address_error(mailbox)))
    if not expected:
        reason = nobody_reason(
            department=bool(delivery.department_id),
            readers=[Reader(u.pk, u.email, wants(u)) for u in people],
        )
        expected.append(("", None, reason))
    return expected


def assert_messages_match_templates(minimum: int) -> None:
    deliveries = Delivery.objects.select_related("rule", "organization", "department", "user")
    assert deliveries.count() >= minimum
    assert not deliveries.filter(status=DeliveryStatus.PENDING).exists()
    emails: dict[int, list] = {}
    for message in OutboxMessage.objects.order_by("pk"):
        emails.setdefault(message.delivery_id, []).append(message)
    notes: dict[int, list] = {}
    for note in Notification.objects.order_by("user_id"):
        notes.setdefault(note.delivery_id, []).append(note)
    for delivery in deliveries:
        subject, text, html, body, link = message_for(delivery.rule, delivery.context)
        written = emails.get(delivery.pk, [])
        for email in written:
            assert (email.subject, email.text, email.html) == (subject, text, html), delivery
            assert email.status == (
                OutboxStatus.FAILED if email.last_error else OutboxStatus.QUEUED
            )
            # The unit it is filed under: the unit reminded, or the department's.
            if delivery.department_id:
                assert email.organization_id == delivery.department.organization_id
                assert email.department_id == delivery.department_id
            else:
                assert email.organization_id == delivery.organization_id
        assert [(e.recipient, e.user_id, e.last_error) for e in written] == expected_emails(
            delivery
        ), delivery
        for note in notes.get(delivery.pk, []):
            assert (note.subject, note.body, note.link) == (subject, body, link)
    assert any(notes.values())


def test_odd_unit_names_and_rule_texts_still_match_the_templates(world, campaign):
    """A unit name urlize would turn into a link, HTML in a name, a rule whose unit sits inside
    a link: the emails are still what the templates render."""
    world.unit_b.name = "Công đoàn Cty <b>A&B</b> www.ab-c.com.vn"
    world.unit_b.save()
    world.unit_a.name = 'Công đoàn "Gamma" & Co'
    world.unit_a.save()
    campaign.reminder_rules.filter(offset_days=-7).update(
        body="Kính gửi {unit}: {link}{unit} - xem {link}?u={unit}.\n\n{unit}"
    )
    dispatch(today=dt.date(2030, 3, 24))
    dispatch(today=dt.date(2030, 3, 30))
    assert_messages_match_templates(minimum=10)


def add_late_units(world, count: int) -> None:
    """``count`` grassroots units under a district, each with a mailbox and an officer."""
    organizations_bulk_create(
        [
            NewUnit(f"NB-P-X{i:04d}", f"Công đoàn cơ sở số {i}", "grassroots", "NB-P", email=e)
            for i in range(count)
            for e in [f"x{i}@example.vn"]
        ]
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"x{i}", email=f"o{i}@example.vn", password="!") for i in range(count)
    )
    from federation.models import Organization

    units = Organization.objects.filter(code__startswith="NB-P-X").order_by("code")
    Membership.objects.bulk_create(
        Membership(user=user, organization=unit, role=Role.OFFICER)
        for user, unit in zip(
            User.objects.filter(username__in=[u.username for u in users]).order_by("username"),
            units,
            strict=True,
        )
    )


# The queries of the overdue day of the small world, whatever the number of late units (under
# one batch of limits.BATCH deliveries; each further batch adds the same few queries), the
# grading deadline's score sheets (1) included.
OVERDUE_DAY_QUERIES = 28


@pytest.mark.parametrize("count", [10, 200])
def test_the_queries_of_a_dispatch_do_not_grow_with_the_units(
    world, campaign, count, django_assert_max_num_queries
):
    add_late_units(world, count)
    with django_assert_max_num_queries(OVERDUE_DAY_QUERIES):
        result = dispatch(today=dt.date(2030, 4, 1))
    assert result.processed == result.created >= count
    # Each added unit: one email to its officer's own address, one to its mailbox.
    assert result.emails >= 2 * count
    assert Notification.objects.filter(user__username__startswith="x").count() == count
    queued = OutboxMessage.objects.filter(status=OutboxStatus.QUEUED)
    assert sorted(result.outbox_ids) == sorted(queued.values_list("pk", flat=True))
    assert queued.filter(recipient__startswith="x").count() == count
    assert queued.filter(recipient__startswith="o", user__username__startswith="x").count() == count
