"""seed_demo --today on four days of the year, with the clock moved there: a campaign in
progress whatever the date (``campaigns.demo``'s rule), its dates in a logical order, the
registrations and reports in every state and none where reporting has not opened, nominations
in progress before a council session open for votes, no comparison of a phase still reported on
with one that is over, the 2017 plan as issued, and a second run that changes nothing.

The rule itself is checked on every day of a common and a leap year without seeding; the demo
is seeded once per date (a module fixture in a transaction rolled back at the end; the file
runs whole on one test process)."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from awards.models import CouncilSession, Nomination, SessionStatus, Vote
from campaigns import demo
from campaigns.models import Campaign, CampaignStatus, Phase
from emulation.models import AuditEntry
from emulation.workflow import ReviewStatus
from federation.models import Organization
from registrations.models import Registration
from reports.demo import open_phases
from reports.models import PhaseReport
from reports.selectors.common import load_plan
from reports.selectors.dashboard import IndicatorRow, dashboard
from reports.services.common import opening_of
from tests.conftest import check_seeded_constraints

D = dt.date
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# One day of each branch of the rule: January-February (last year's final review and the new
# year) on a leap day; March-November with phase 1 ending before the plan's 31/08 and after it
# (the copy's phases then change in the other order); December on the year's last day.
DATES = [D(2028, 2, 29), D(2027, 5, 20), D(2027, 10, 20), D(2027, 12, 31)]
STATES = set(ReviewStatus.values)  # draft, submitted, returned, approved

pytestmark = pytest.mark.django_db


def every_day(*years):
    day = D(years[0], 1, 1)
    while day.year in years:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("year", [2027, 2028])
def test_the_rule_places_a_campaign_in_progress_on_every_day_of_the_year(year):
    for today in every_day(year):
        placements = demo.calendar(today)
        stages = [p.stage for p in placements]
        if today.month <= 2:
            assert stages == ["closing", "opening"], today
            assert [p.year for p in placements] == [year - 1, year]
        else:
            assert stages == (["final"] if today.month == 12 else ["interim"]), today
            assert [p.year for p in placements] == [year]
        reported_on = []
        for placement in placements:
            first, second = placement.phases
            assert placement.issue_date <= today, today
            assert placement.registration_deadline < first.end
            assert placement.registration_deadline.year == placement.year
            assert D(placement.year, 1, 1) <= first.start <= first.end < second.start
            assert second.start <= second.end <= D(placement.year, 12, 31)
            assert first.end < first.report_deadline < second.report_deadline, today
            assert second.end < second.report_deadline
            for phase in placement.phases:
                assert phase.start <= phase.reporting_opens <= phase.end
                if phase.reporting_opens <= today <= phase.report_deadline:
                    reported_on.append(phase)
            assert D(placement.year, 1, 1) <= today <= second.report_deadline
        # On every day exactly one phase is reported on, its deadline ahead.
        assert len(reported_on) == 1, today


@pytest.fixture(scope="module", params=DATES, ids=str)
def seeded(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded on one day, in the evening of that day in Hà Nội, the clock there."""
    today = request.param
    moment = dt.datetime.combine(today, dt.time(21, 30), tzinfo=HANOI)
    media = tmp_path_factory.mktemp(f"media-{today}")
    with (
        django_db_blocker.unblock(),
        time_machine.travel(moment, tick=True),
        override_settings(MEDIA_ROOT=str(media)),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", "--today", today.isoformat(), stdout=out)
            check_seeded_constraints()
            yield today, out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def campaigns(today):
    return demo.demo_campaigns(today)


def test_the_calendar_places_the_copies_around_today(seeded):
    today, output = seeded
    placements = demo.calendar(today)
    found = campaigns(today)
    assert [c.year for c in found] == [p.year for p in placements]
    assert f"Demo data ready ({today:%d/%m/%Y})" in output
    if today.month <= 2:
        # Last year's copy in its final review, and the new year's just opened.
        assert [p.stage for p in placements] == ["closing", "opening"]
        assert [c.year for c in found] == [today.year - 1, today.year]
    else:
        assert [c.year for c in found] == [today.year]
    for campaign in found:
        assert campaign.status == CampaignStatus.ACTIVE
        assert campaign.copied_from.year == 2017
        phases = list(campaign.phases.order_by("start"))
        assert len(phases) == 2
        first, second = phases
        # Issued before today, registration due before phase 1 ends.
        assert campaign.issue_date <= today
        assert campaign.registration_deadline < first.end
        assert campaign.registration_deadline.year == campaign.year
        # Phase 2 after phase 1, both within the year.
        assert campaign.year_start <= first.start <= first.end < second.start <= second.end
        assert second.end <= campaign.year_end
        # Each report deadline after its phase ends and before the next deadline.
        assert first.end < first.report_deadline < second.report_deadline
        assert second.end < second.report_deadline
        # Reporting opens within the phase, before its deadline.
        for phase in phases:
            assert phase.start <= opening_of(phase) <= phase.end
        # Today falls inside the campaign: after it began, before its last deadline.
        assert campaign.year_start <= today <= second.report_deadline
        assert str(campaign.year) in campaign.deadline_note


def test_one_phase_is_reported_on_today_in_every_state(seeded):
    today, _output = seeded
    phases = open_phases(today)
    assert len(phases) == 1
    phase = phases[0]
    assert opening_of(phase) <= today <= phase.report_deadline
    reports = PhaseReport.objects.filter(phase=phase)
    assert set(reports.values_list("status", flat=True)) == STATES
    # The demo people's units: Hoa Lư's reviewer has a report waiting, cdcs3 a draft to
    # finish, cspl a report received in the inbox.
    assert reports.get(organization__code="NB-HL-07").is_submitted
    assert reports.get(organization__code="NB-GD-01").is_editable
    assert reports.filter(organization__code="NB-GD", received_at__isnull=False).exists()
    # Where it stands: phase 1 in the interim review, phase 2 (the year's last) otherwise.
    assert phase.name == ("Đợt 1" if 3 <= today.month <= 11 else "Đợt 2")


def test_no_report_where_reporting_has_not_opened(seeded):
    today, _output = seeded
    for campaign in campaigns(today):
        for phase in campaign.phases.all():
            reports = PhaseReport.objects.filter(phase=phase)
            if opening_of(phase) > today:
                assert not reports.exists(), phase
            elif phase.report_deadline < today:
                # Over: reported by its deadline, mostly accepted, none on a later day.
                assert reports.filter(status=ReviewStatus.APPROVED).count() > reports.count() / 2
    # No report sent in the opening year in January-February.
    if today.month <= 2:
        assert not PhaseReport.objects.filter(campaign__year=today.year).exists()


def test_registrations_in_every_state(seeded):
    today, _output = seeded
    current = campaigns(today)[-1]  # the newest copy: registering is under way or done
    states = set(Registration.objects.filter(campaign=current).values_list("status", flat=True))
    assert states == STATES
    cdcs1 = Organization.objects.get(code="NB-HL-01")
    assert not Registration.objects.filter(campaign=current, organization=cdcs1).exists()
    if current.registration_deadline < today:
        # cdcs1's unit may still register: an extension runs past today.
        extension = cdcs1.registration_extensions.get(campaign=current)
        assert extension.until >= today
    if today.month <= 2:
        # Last year's copy: approved, or never made.
        closing = campaigns(today)[0]
        left = Registration.objects.filter(campaign=closing).values_list("status", flat=True)
        assert set(left) == {ReviewStatus.APPROVED}


def test_nominations_in_progress_and_a_council_session_open(seeded):
    today, _output = seeded
    phase = open_phases(today)[0]
    nominations = Nomination.objects.filter(campaign=phase.campaign)
    assert {n.status for n in nominations} == STATES - {ReviewStatus.APPROVED}
    session = CouncilSession.objects.get(status=SessionStatus.OPEN)
    assert session.meeting_date > today
    assert session.items.count() == 3
    assert {item.nomination.campaign_id for item in session.items.all()} == {phase.campaign_id}
    # One member has voted, two have still to.
    voters = set(
        Vote.objects.filter(item__session=session).values_list("voter__username", flat=True)
    )
    assert voters == {"hoidong1"}
    # The 2017 session stays closed with its decision.
    assert CouncilSession.objects.filter(status=SessionStatus.CLOSED).count() == 1


def test_the_dashboard_compares_only_phases_whose_deadlines_have_passed(seeded, client):
    today, _output = seeded
    province = Organization.objects.get(code="NB")
    cspl = get_user_model().objects.get(username="cspl")
    client.force_login(cspl)
    for campaign in campaigns(today):
        board = dashboard(load_plan(campaign), province, today=today)
        # At least one phase of every copy is still reported on (or not yet): no change.
        assert any(phase.report_deadline >= today for phase in campaign.phases.all())
        assert board.indicator_rows
        assert all(row.change is None for row in board.indicator_rows)
        page = client.get(
            reverse("reports:dashboard", kwargs={"campaign_id": campaign.pk, "pk": province.pk})
        )
        assert page.status_code == 200
        table = page.content.decode().split('data-testid="phases-table"')[1].split("</table>")[0]
        assert "%</span>" not in table
        assert 'data-testid="change-note"' in page.content.decode()
    # 2017: both deadlines long passed, the change is shown.
    plan = Campaign.objects.get(year=2017)
    board = dashboard(load_plan(plan), province, today=today)
    assert any(row.change is not None for row in board.indicator_rows)
    assert not board.has_running_phase


def test_the_home_pages_of_the_demo_people_open(seeded, client):
    today, _output = seeded
    for username in ("cdcs1", "cdcs3", "hoalu", "cspl", "hoidong2"):
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get(reverse("home")).status_code == 200, username
    # The council member who has not voted sees the open session on the home page.
    session = CouncilSession.objects.get(status=SessionStatus.OPEN)
    assert session.title in client.get(reverse("home")).content.decode()


def test_the_2017_plan_is_untouched_and_a_second_run_changes_nothing(seeded):
    today, _output = seeded
    plan = Campaign.objects.get(year=2017)
    assert plan.status == CampaignStatus.CLOSED
    assert (plan.issue_date, plan.registration_deadline) == (D(2017, 2, 23), D(2017, 3, 31))
    assert list(plan.phases.values_list("name", "start", "end", "report_deadline")) == [
        ("Đợt 1", D(2017, 1, 1), D(2017, 8, 31), D(2017, 9, 15)),
        ("Đợt 2", D(2017, 9, 1), D(2017, 12, 31), D(2017, 12, 15)),
    ]

    def counts():
        return (
            Campaign.objects.count(),
            Phase.objects.count(),
            Registration.objects.count(),
            PhaseReport.objects.count(),
            Nomination.objects.count(),
            CouncilSession.objects.count(),
            AuditEntry.objects.count(),
            list(Phase.objects.order_by("pk").values_list("start", "end", "report_deadline")),
        )

    before = counts()
    call_command("seed_demo", "--today", today.isoformat(), stdout=io.StringIO())
    assert counts() == before


def test_a_phase_still_reported_on_is_never_compared():
    """The change between phases counts only phases whose figures are final."""

    class Indicator:
        name, unit = "Sáng kiến", "sáng kiến"

    assert IndicatorRow(Indicator(), [100, 26], [True, False]).change is None
    assert IndicatorRow(Indicator(), [100, 26], [True, True]).change == -74
    assert IndicatorRow(Indicator(), [100, 26, 150], [True, True, False]).change == -74
