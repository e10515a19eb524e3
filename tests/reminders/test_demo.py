"""Time travel on the 2017 demo plan (closed: an explicit --today still dispatches it)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from federation.models import Organization
from registrations.models import Registration
from registrations.selectors.common import participants
from reminders.models import Audience, Delivery, Notification, OutboxMessage
from reminders.services.dispatch import dispatch
from reminders.services.planning import late_units, occurrences

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(demo_seeded):
    """The 2017 plan of the demo, seeded once for this module."""
    return Campaign.objects.get(year=2017)


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_2017_plan_has_its_default_rules(plan):
    assert plan.reminder_rules.filter(is_default=True).count() == 10


def test_dry_run_prints_and_changes_nothing(plan):
    out = run("--today", "2017-03-30", "--dry-run")
    assert "Dry run for 30/03/2017" in out
    assert "Còn 1 ngày đến hạn đăng ký thi đua (31/03/2017)" in out
    assert Delivery.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_30_march_2017_reminds_the_units_that_had_not_registered(plan):
    registered = set(
        Registration.objects.filter(campaign=plan).values_list("organization_id", flat=True)
    )
    expected = set(participants(plan).values_list("pk", flat=True)) - registered
    assert registered and expected
    out = run("--today", "2017-03-30")
    deliveries = Delivery.objects.filter(campaign=plan)
    assert {d.rule.offset_days for d in deliveries} == {-1}
    assert set(deliveries.values_list("organization_id", flat=True)) == expected
    cdcs1 = Organization.objects.get(code="NB-HL-01")
    # Hoa Lư's branch registered on 20/03/2017: nothing for cdcs1.
    assert cdcs1.pk not in expected
    assert f"{len(expected)} due" in out
    # The same day again: nothing new.
    assert f"{len(expected)} due, 0 new deliveries, 0 processed" in run("--today", "2017-03-30")


def test_16_september_2017_overdue_phase_1_reports(plan):
    run("--today", "2017-09-16")
    deliveries = Delivery.objects.filter(campaign=plan).select_related("rule")
    audiences = {d.rule.audience for d in deliveries}
    assert audiences == {Audience.NOT_SUBMITTED, Audience.REVIEWERS, Audience.DEPARTMENT}
    assert {d.rule.event for d in deliveries} == {"report_deadline"}
    assert {d.occurrence.split(":")[-1] for d in deliveries} == {"2017-09-15"}
    digest = deliveries.get(rule__audience=Audience.DEPARTMENT)
    assert digest.department.name == "Ban Chính sách - Pháp luật"
    email = OutboxMessage.objects.get(delivery=digest)
    assert email.recipient == "cspl@ldldninhbinh.vn"
    assert "Đợt 1" in email.subject
    assert "LĐLĐ huyện Hoa Lư" in email.text or "Hoa Lư" in email.text
    # Every late unit, and only those, got the overdue notice; their people see it in the app.
    rule = plan.reminder_rules.get(event="report_deadline", offset_days=1, audience="not_submitted")
    occurrence = [o for o in occurrences(rule) if o.phase.name == "Đợt 1"][0]
    late = set(late_units(rule, occurrence, dt.date(2017, 9, 16)).values_list("pk", flat=True))
    units = deliveries.filter(rule=rule)
    assert set(units.values_list("organization_id", flat=True)) == late
    assert Notification.objects.filter(subject__contains="Quá hạn báo cáo Đợt 1").exists()
    reviewers = deliveries.filter(rule__audience=Audience.REVIEWERS)
    assert reviewers.exists() and all(d.user_id for d in reviewers)


def test_a_day_without_events_sends_nothing(plan):
    assert "0 due" in run("--today", "2017-06-01")


def test_a_bad_date_is_refused(plan):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "30/03/2017")


def test_the_demo_campaigns_reminders_reach_the_officers(plan):
    """The day after the current campaign's registration deadline: every late unit's officers
    and leaders get the overdue notice at their own address, and a unit's mailbox too; the
    only failures are units with neither a mailbox nor anybody, and they say so."""
    from django.contrib.auth import get_user_model

    from campaigns.models import CampaignStatus
    from federation.models import Membership, Role
    from reminders.models import OutboxStatus

    # The newest copy (in January and February last year's is active too).
    campaign = Campaign.objects.filter(status=CampaignStatus.ACTIVE).order_by("-year").first()
    dispatch(today=campaign.registration_deadline + dt.timedelta(days=1))
    emails = OutboxMessage.objects.filter(delivery__campaign=campaign).select_related(
        "organization", "user"
    )
    failed = [e for e in emails if e.status == OutboxStatus.FAILED]
    queued = [e for e in emails if e.status == OutboxStatus.QUEUED]
    assert len(queued) > 4 * len(failed) > 0
    for email in failed:
        assert email.user is None and email.organization.email == ""
        assert not Membership.objects.filter(
            organization=email.organization, role__in=(Role.OFFICER, Role.LEADER)
        ).exists()
        assert "chưa có cán bộ hay lãnh đạo nào" in email.last_error
    people = {e.user.username for e in queued if e.user is not None}
    late = set(
        Delivery.objects.filter(campaign=campaign, user__isnull=True).values_list(
            "organization_id", flat=True
        )
    )
    User = get_user_model()
    for username in ("cdcs1", "cdcs2", "cdcs3"):
        officer = User.objects.get(username=username)
        unit = officer.memberships.get().organization_id
        assert (username in people) is (unit in late), username
