"""The day of four people, each from their home page ("Việc của tôi"), following its links to do
the work: cdcs1, officer of a grassroots union, opens the registration it owes and sends it;
hoalu, leader of the district, opens his queue and approves it; cspl, staff of the provincial
Policy-Law Department, opens the inbox and marks the district's report received; hoidong1,
council member, opens the session open for his vote and votes. Each home page is looked at on
a phone and on a desktop: no script error, nothing sticking out.

Set ``E2E_SCREENSHOTS=/tmp/shots`` to keep a full-page screenshot of each home page.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import (
    AwardCategory,
    AwardType,
    Nomination,
    NomineeKind,
    Occasion,
    Vote,
)
from awards.services.council import session_open
from emulation.workflow import ReviewStatus
from federation.models import Role
from registrations.models import Registration
from reports.models import PhaseReport
from reports.services.drafts import report_save_draft
from reports.services.transitions import report_submit
from tests.e2e.helpers import DESKTOP, PHONE, login, switch_user
from tests.e2e.test_layout import LAYOUT_PROBLEMS
from tests.e2e.test_registration import fill_theme
from tests.factories import make_member
from tests.reports.conftest import full_data, make_report_campaign, phase, register

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")
DAYS = re.compile(r"còn \d+ ngày|hạn chót hôm nay")


@pytest.fixture
def day_world(e2e_world):
    """The personas of the demo on the world of the tests, an active campaign of the province
    on today's year (every deadline on 31 December), and what waits for each of them."""
    world = e2e_world
    make_member(world.unit_a, Role.OFFICER, "cdcs1")
    hoalu = make_member(world.district, Role.LEADER, "hoalu")
    make_member(world.province, Role.STAFF, "cspl", department=world.department)
    make_member(world.province, Role.COUNCIL, "hoidong1")
    campaign = make_report_campaign(world)
    # Unit B sent its registration: it waits in the district's queue.
    register(campaign, world.unit_b, world.officer_b, world.leader, approve=False)
    # The district registered and sent its report on phase 1: it reached the province's inbox.
    register(campaign, world.district, hoalu, world.staff)
    today = timezone.localdate()
    report = report_save_draft(
        campaign=campaign,
        phase=phase(campaign, 1),
        organization=world.district,
        by=hoalu,
        data=full_data(campaign),
        today=today,
    )
    report_submit(report, by=hoalu, today=today)
    # A council session of the province open with one nomination on its agenda.
    award = AwardType.objects.create(
        name="Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
        certificate_title="BẰNG KHEN",
        category=AwardCategory.FORM,
        nominee_kind=NomineeKind.INDIVIDUAL,
        granting_unit=world.province,
    )
    nomination = Nomination.objects.create(
        campaign=campaign,
        award_type=award,
        nominating_unit=world.district,
        nominee_kind=NomineeKind.INDIVIDUAL,
        nominee_unit=world.district,
        person_name="Trần Thị Lan",
        gender="female",
        birth_year=1982,
        occasion=Occasion.YEAR_END,
        achievement="Hoàn thành xuất sắc nhiệm vụ.",
        current_level=world.province,
        status=ReviewStatus.SUBMITTED,
    )
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên họp xét khen thưởng tổng kết năm",
        meeting_date=today,
        place="Trụ sở LĐLĐ tỉnh",
        nominations=[nomination],
    )
    return world, campaign, session


def look_at_home(page: Page, name: str) -> None:
    """The home page on a phone and on a desktop: nothing sticks out or is cut; screenshots."""
    problems = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.goto("/")
        expect(page.get_by_test_id("desk-title")).to_have_text("Việc của tôi")
        page.wait_for_load_state("networkidle")  # the navbar's badge
        problems += [f"{name} {viewport['width']}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/home-{name}-{viewport['width']}.png", full_page=True)
    assert not problems, "\n".join(problems)


def go_home(page: Page) -> None:
    page.locator(".navbar-brand").click()
    expect(page.get_by_test_id("desk-title")).to_be_visible()


def test_four_people_do_their_day_from_their_home_page(page: Page, day_world):
    world, campaign, session = day_world
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))

    # cdcs1 lands on its work: the registration it owes, with the days left.
    login(page, "cdcs1")
    expect(page).to_have_url(re.compile(r"/$"))
    look_at_home(page, "cdcs1")
    unit = page.get_by_test_id("desk-unit")
    expect(unit).to_contain_text("Việc của Công đoàn cơ sở Alpha Đông Á")
    item = page.get_by_test_id("work-registration")
    expect(item.get_by_test_id("work-status")).to_have_text("Chưa đăng ký")
    expect(item.get_by_test_id("days-left")).to_have_text(DAYS)
    expect(page.get_by_test_id("desk-review")).to_have_count(0)
    item.get_by_test_id("work-link").click()
    expect(page).to_have_url(re.compile(rf"/registrations/c/{campaign.pk}/u/{world.unit_a.pk}/$"))
    page.get_by_test_id("reg-edit").click()
    fill_theme(
        page,
        0,
        "Phát động phong trào lao động sáng tạo trong toàn đơn vị.",
        ("Sáng kiến, cải tiến kỹ thuật", "5", "sáng kiến"),
    )
    fill_theme(
        page,
        1,
        "Tổ chức học tập nâng cao trình độ cho đoàn viên.",
        ("Đoàn viên được bồi dưỡng", "40", "người"),
    )
    page.get_by_test_id("reg-save-submit").click()
    expect(page.get_by_test_id("reg-status")).to_have_text("Chờ duyệt")
    go_home(page)
    item = page.get_by_test_id("work-registration")
    expect(item).to_have_attribute("data-state", "waiting")
    expect(item.get_by_test_id("work-status")).to_have_text("Chờ duyệt")
    expect(item.get_by_test_id("days-left")).to_have_count(0)

    # hoalu finds the two registrations waiting in his queue, the oldest first, and approves A.
    switch_user(page, "hoalu")
    look_at_home(page, "hoalu")
    queue = page.get_by_test_id("work-registration-queue")
    expect(queue.get_by_test_id("work-count")).to_have_text("2")
    expect(queue).to_contain_text("Bản đăng ký của các đơn vị trực thuộc")
    # His district's own work: the registration approved (done), its report on phase 1 sent.
    phase_1 = page.locator('[data-testid="work-report"][data-kind="report:1"]')
    expect(phase_1).to_have_attribute("data-state", "waiting")
    expect(phase_1.get_by_test_id("work-status")).to_have_text("Chờ duyệt")
    queue.get_by_test_id("work-link").click()
    expect(page).to_have_url(re.compile(rf"/review/{world.district.pk}/\?status=submitted$"))
    expect(page.get_by_test_id("queue-row")).to_have_count(2)
    page.get_by_test_id("queue-row").filter(has_text="Alpha Đông Á").get_by_test_id(
        "queue-approve"
    ).click()
    expect(page.get_by_test_id("count-approved").locator(".stat")).to_have_text("1")
    go_home(page)
    expect(
        page.get_by_test_id("work-registration-queue").get_by_test_id("work-count")
    ).to_have_text("1")
    assert Registration.objects.get(organization=world.unit_a).status == ReviewStatus.APPROVED

    # cspl, staff of the Policy-Law Department: the district's report is new in the inbox.
    switch_user(page, "cspl")
    look_at_home(page, "cspl")
    inbox = page.get_by_test_id("work-inbox")
    expect(inbox.get_by_test_id("work-count")).to_have_text("1")
    expect(inbox).to_contain_text("1 báo cáo mới")
    expect(page.get_by_test_id("desk-unit")).to_have_count(0)  # the issuer prepares nothing
    inbox.get_by_test_id("work-link").click()
    row = page.get_by_test_id("inbox-row").filter(has_text="Phượng")
    row.get_by_test_id("inbox-receive").click()
    expect(page.get_by_test_id("message").first).to_be_visible()
    go_home(page)
    expect(page.get_by_test_id("work-inbox")).to_contain_text("1 đã tiếp nhận, chờ duyệt")
    assert PhaseReport.objects.get(organization=world.district).received_at is not None

    # hoidong1, council member: the session open for his vote.
    switch_user(page, "hoidong1")
    look_at_home(page, "hoidong1")
    sitting = page.get_by_test_id("work-session")
    expect(sitting).to_contain_text("Phiên họp xét khen thưởng tổng kết năm")
    expect(sitting.get_by_test_id("work-status")).to_have_text("Còn 1 đề nghị chưa bỏ phiếu")
    sitting.get_by_test_id("work-link").click()
    ballot = page.get_by_test_id("ballot-form")
    ballot.locator('input[value="approve"]').first.check()
    page.get_by_test_id("ballot-submit").click()
    expect(page.get_by_test_id("ballot-done")).to_be_visible()
    go_home(page)
    expect(page.get_by_test_id("work-session").get_by_test_id("work-status")).to_have_text(
        "Bạn đã bỏ phiếu tất cả đề nghị"
    )
    assert Vote.objects.filter(item__session=session).count() == 1
    assert not errors, errors
