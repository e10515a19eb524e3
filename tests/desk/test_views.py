"""The home page ("Việc của tôi"): who sees what, nothing of another branch, and a constant
number of queries whatever the number of units below the person."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import CouncilSession, SessionItem
from emulation.workflow import ReviewStatus
from federation.models import Organization, Role
from registrations.models import RegisteredTheme, Registration
from registrations.rollups.rebuilding import rebuild as rebuild_registration_counters
from reminders.models import Notification
from reports.models import PhaseReport
from reports.rollups import rebuild as rebuild_report_counters
from tests.desk.conftest import (
    Y,
    award_of,
    bring_registration,
    nomination,
    phase_of,
)
from tests.factories import bulk_units, make_member

HOME = "/"


@pytest.fixture
def on_day(time_machine):
    """The clock on a day of the campaign's year, 10 o'clock in Hà Nội."""

    def move(day: dt.date):
        hanoi = timezone.get_current_timezone()
        time_machine.move_to(dt.datetime(day.year, day.month, day.day, 10, tzinfo=hanoi))

    return move


def page(client):
    response = client.get(HOME)
    assert response.status_code == 200
    return response, response.content.decode()


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_the_officer_sees_the_unit_work_with_its_days(world, campaign, client_for, on_day):
    on_day(dt.date(Y, 3, 22))
    response, html = page(client_for(world.officer_a))
    desk = response.context["desk"]
    assert [item.kind for item in desk.own] == ["registration"]
    assert [item.kind for item in desk.coming] == ["report:1", "report:2"]
    assert desk.review == desk.staff == desk.council == []
    assert "Việc của tôi" in html and "Việc của Công đoàn cơ sở Alpha Đông Á" in html
    assert "Đăng ký ít nhất 2 nội dung thi đua" in html and "còn 9 ngày" in html
    assert f'href="/registrations/c/{campaign.pk}/u/{world.unit_a.pk}/"' in html
    assert 'data-testid="desk-review"' not in html and 'data-testid="desk-staff"' not in html
    # Approved: the registration moves to what is done, its days no longer counted.
    bring_registration(campaign, world.unit_a, world.officer_a, "approved", reviewer=world.leader)
    response, html = page(client_for(world.officer_a))
    desk = response.context["desk"]
    assert [item.kind for item in desk.done] == ["registration"]
    assert desk.own == [] and 'data-testid="desk-done"' in html
    assert "còn 9 ngày" not in html


def test_each_role_finds_its_sections(world, campaign, client_for, on_day):
    member = make_member(world.province, Role.COUNCIL, "hoidong1")
    award = award_of(world.province)
    session = CouncilSession.objects.create(
        granting_unit=world.province,
        title="Phiên họp xét khen thưởng",
        meeting_date=dt.date(Y, 7, 20),
    )
    SessionItem.objects.create(
        session=session, nomination=nomination(campaign, award, world.unit_a)
    )
    bring_registration(campaign, world.unit_b, world.officer_b, "submitted", reviewer=None)
    Notification.objects.create(user=world.leader, subject="Nhắc việc: hạn đăng ký", link="/")
    on_day(dt.date(Y, 4, 2))

    response, html = page(client_for(world.leader))
    desk = response.context["desk"]
    assert [(i.kind, i.count) for i in desk.review] == [("registration-queue", 1)]
    assert "Chờ bạn duyệt" in html and "1 hồ sơ chờ bạn duyệt" in html
    assert "Nhắc việc: hạn đăng ký" in html and "1 thông báo chưa đọc" in html
    assert [i.kind for i in desk.own] == ["registration"]  # the district's own

    response, html = page(client_for(world.staff))
    desk = response.context["desk"]
    assert [i.kind for i in desk.staff] == ["registration-overdue", "inbox"]
    assert "Tiếp nhận và đôn đốc" in html and "chưa gửi bản đăng ký" in html
    assert desk.own == []

    response, html = page(client_for(member))
    desk = response.context["desk"]
    assert [i.title for i in desk.council] == ["Phiên họp xét khen thưởng"]
    assert "Còn 1 đề nghị chưa bỏ phiếu" in html
    assert f'href="/awards/council/{session.pk}/"' in html

    response, html = page(client_for(world.admin))  # no unit: the issuer's queue and inbox
    desk = response.context["desk"]
    assert [i.unit_id for i in desk.review] == [world.province.pk]


def test_nothing_of_another_branch(world, campaign, client_for, on_day):
    on_day(dt.date(Y, 3, 22))
    bring_registration(campaign, world.unit_a, world.officer_a, "returned", reviewer=world.leader)
    _response, html = page(client_for(world.officer_a))
    assert "Sửa bản đăng ký bị trả lại và gửi lại" in html and "Bổ sung chỉ tiêu sáng kiến." in html
    for user in (world.officer_b, make_member(world.district_q, Role.LEADER, "leader_q")):
        _response, html = page(client_for(user))
        assert "Alpha Đông Á" not in html and "Phượng" not in html
        assert "Bổ sung chỉ tiêu sáng kiến." not in html
        assert f"/u/{world.unit_a.pk}/" not in html
        assert f"/review/{world.district.pk}/" not in html


def test_a_person_without_campaign_or_unit(world, client_for):
    loner = make_member(world.unit_c, Role.OFFICER, "loner")
    _response, html = page(client_for(loner))
    assert 'data-testid="desk-no-campaign"' in html and 'data-testid="desk-empty"' in html


# ---------------------------------------------------------------------------------------------
# Constant query counts: the home page of a leader with 10 or 500 units below, and of the
# province's staff above both.


def _send_all(campaign, units, submitted_at):
    """Registrations awaiting review for ``units`` and reports awaiting review on phase 1,
    written directly (fast), then the counters rebuilt."""
    theme = campaign.themes.order_by("number").first()
    registrations = Registration.objects.bulk_create(
        Registration(
            campaign=campaign,
            organization=unit,
            status=ReviewStatus.SUBMITTED,
            submitted_at=submitted_at,
        )
        for unit in units
    )
    RegisteredTheme.objects.bulk_create(
        RegisteredTheme(registration=r, theme=theme, commitment="x") for r in registrations
    )
    PhaseReport.objects.bulk_create(
        PhaseReport(
            campaign=campaign,
            phase=phase_of(campaign, 1),
            organization=unit,
            status=ReviewStatus.SUBMITTED,
            submitted_at=submitted_at,
        )
        for unit in units
    )
    rebuild_registration_counters(campaign)
    rebuild_report_counters(campaign)


def _count(client) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.context["desk"]


# What the page costs: the session, the person, their roles, Django's two permission reads
# (5); the context: the units, the active campaigns, their phases (3); and the providers, for a
# leader who prepares his district's work and reviews the units below it: the registration
# (2: registrations, extensions), the reports (3: the reporting dates, read once for every
# provider, the reports, the extensions), the nominations (2: the unit's nominations and, while
# a phase's reporting is open, the awards), the registration queue (2: the counters, the
# oldest), the report queues (1), the nominations waiting (1), the decisions (1), the
# notifications (1); the grading sheets of the year (1: none here, so nothing more); the
# cluster memberships of the year (1: none here, so nothing more).
LEADER_QUERIES = 23


def test_the_home_page_keeps_a_constant_number_of_queries(world, campaign, client_for, on_day):
    award_of(world.province)
    leader_q = make_member(world.district_q, Role.LEADER, "leader_q")
    sent = timezone.make_aware(dt.datetime(Y, 6, 2, 9))
    bulk_units("NB-Q", 10, "NB-Q-Y")
    bulk_units("NB-P", 500, "NB-P-X")
    # The registrations must be approved for the reports; here they wait, as written.
    _send_all(campaign, list(Organization.objects.filter(code__startswith="NB-Q-Y")), sent)
    _send_all(campaign, list(Organization.objects.filter(code__startswith="NB-P-X")), sent)
    on_day(dt.date(Y, 7, 6))
    small_client = client_for(leader_q)
    small_client.get(HOME)  # warm up (content types, translations)
    small, small_desk = _count(small_client)
    large, large_desk = _count(client_for(world.leader))
    assert small == large == LEADER_QUERIES
    assert [(i.kind, i.count) for i in large_desk.review] == [
        ("registration-queue", 500),
        ("report-queue:1", 500),
        ("report-queue:2", 0),
    ]
    assert [(i.kind, i.count) for i in small_desk.review][:2] == [
        ("registration-queue", 10),
        ("report-queue:1", 10),
    ]
    assert large_desk.review[0].since == sent
    # The province's staff, above the 513 units: its queue, its inbox, the units overdue.
    staff, staff_desk = _count(client_for(world.staff))
    assert staff <= LEADER_QUERIES
    assert [(i.kind, i.count) for i in staff_desk.staff] == [
        ("registration-overdue", 5),  # the districts P and Q, the units A, B and C
        ("inbox", 0),  # the units of the 500 are below the districts: not in the inbox
    ]
