"""District P's leader sends the province the district's consolidated registrations; the
province's staff returns it with a reason; the district sees the reason and sends again; the
province approves. Each side sees the state at every step. Then the pages on a phone and on a
desktop, with no layout or script problem.

Set ``E2E_SCREENSHOTS=/tmp/shots-sendup14`` to keep a screenshot of each page at each size.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from consolidations.models import Consolidation
from emulation.workflow import ReviewStatus
from tests.e2e.helpers import DESKTOP, PHONE, login, switch_user
from tests.e2e.test_layout import LAYOUT_PROBLEMS
from tests.registrations.conftest import make_campaign, registration_data

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")
REASON = "Còn CĐCS Bêta chưa được duyệt: đề nghị gửi lại sau khi duyệt."


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=f"{SHOTS}/sendup-{name}-{page.viewport_size['width']}.png", full_page=True
        )


def check_layout(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    for _attempt in range(10):
        problems = page.evaluate(LAYOUT_PROBLEMS)
        if not problems:
            return
        page.wait_for_timeout(300)
    assert not problems, problems


def registered(world):
    """A campaign of the province in which unit A's registration is approved by the district,
    and unit B's awaits its review."""
    from registrations import services

    campaign = make_campaign(world)
    for unit, officer, approve in (
        (world.unit_a, world.officer_a, True),
        (world.unit_b, world.officer_b, False),
    ):
        registration = services.registration_save_draft(
            campaign=campaign, organization=unit, by=officer, data=registration_data(campaign)
        )
        registration = services.registration_submit(registration, by=officer)
        if approve:
            services.registration_approve(registration, by=world.leader)
    return campaign


def card(page: Page):
    return page.get_by_test_id("sendup-registrations")


def open_province_queue(page: Page) -> None:
    """The staff's way in: the province's registrations queue links to what was sent up."""
    page.get_by_test_id("nav-registrations").click()
    page.get_by_test_id("queue-link").first.click()
    page.get_by_test_id("sendup-queue-link").click()
    expect(page.get_by_test_id("sendup-queue")).to_be_visible()


def test_send_return_send_again_approve(page: Page, e2e_world):
    world = e2e_world
    campaign = registered(world)

    # The district's leader reaches the page from the campaign page and sends.
    login(page, "leader")
    page.goto(campaign.get_absolute_url())
    page.get_by_test_id("link-sendup").click()
    expect(card(page).get_by_test_id("sendup-status")).to_have_text("Chưa gửi lên")
    expect(card(page).get_by_test_id("approved-below")).to_contain_text(
        "1 đơn vị cấp dưới có bản đăng ký đã duyệt"
    )
    card(page).get_by_test_id("sendup-send").click()
    expect(page.get_by_test_id("message").first).to_contain_text("tính 1 đơn vị cấp dưới")
    expect(card(page).get_by_test_id("sendup-status")).to_have_text("Đã gửi lên, chờ duyệt")
    # The district's consolidation page says so too.
    page.goto(f"/registrations/c/{campaign.pk}/summary/{world.district.pk}/")
    expect(page.get_by_test_id("sendup-link")).to_contain_text("Đã gửi lên, chờ duyệt")

    # The province sees it waiting in its queue, opens it and returns it with the reason.
    switch_user(page, "staff")
    open_province_queue(page)
    row = page.get_by_test_id("sendup-row").filter(has_text="Liên đoàn Lao động huyện Phượng")
    expect(row.get_by_test_id("sendup-status").first).to_have_text("Chờ duyệt")
    row.get_by_test_id("sendup-cell-open").click()
    expect(page.get_by_test_id("counted-unit")).to_have_count(1)
    expect(page.get_by_test_id("counted")).to_contain_text("Công đoàn cơ sở Alpha Đông Á")
    expect(page.get_by_test_id("snapshot-approved")).to_have_text("1")
    page.get_by_test_id("sendup-return-comment").fill(REASON)
    page.get_by_test_id("sendup-return").click()
    expect(page.get_by_test_id("message").first).to_contain_text("Đã trả lại")
    expect(page.get_by_test_id("sendup-status")).to_have_text("Đã trả lại")
    expect(page.get_by_test_id("review-comment")).to_contain_text(REASON)

    # The district's leader reads the reason; B is approved meanwhile; the district sends again.
    switch_user(page, "leader")
    page.goto(f"/registrations/c/{campaign.pk}/review/{world.district.pk}/")
    row = page.get_by_test_id("queue-row").filter(has_text="Bêta Nam Việt")
    row.get_by_test_id("queue-approve").click()
    expect(row.get_by_test_id("reg-status")).to_have_text("Đã duyệt")
    page.goto(f"/consolidations/c/{campaign.pk}/u/{world.district.pk}/")
    expect(card(page).get_by_test_id("sendup-status")).to_have_text("Bị trả lại")
    expect(card(page).get_by_test_id("review-comment")).to_contain_text(REASON)
    expect(card(page).get_by_test_id("approved-below")).to_contain_text("2 đơn vị cấp dưới")
    card(page).get_by_test_id("sendup-send").click()
    expect(card(page).get_by_test_id("sendup-status")).to_have_text("Đã gửi lên, chờ duyệt")
    expect(card(page)).to_contain_text("lần 2: tính 2 đơn vị cấp dưới")

    # The province approves the second sending; its queue shows it approved.
    switch_user(page, "staff")
    open_province_queue(page)
    row = page.get_by_test_id("sendup-row").filter(has_text="Liên đoàn Lao động huyện Phượng")
    row.get_by_test_id("sendup-cell-open").click()
    expect(page.get_by_test_id("counted-unit")).to_have_count(2)
    page.get_by_test_id("sendup-approve").click()
    expect(page.get_by_test_id("message").first).to_contain_text("Đã duyệt bản tổng hợp")
    expect(page.get_by_test_id("sendup-status")).to_have_text("Đã duyệt")
    page.get_by_test_id("tab-history").click()
    expect(page.get_by_test_id("history").locator("tbody tr")).to_have_count(4)
    page.goto(f"/consolidations/c/{campaign.pk}/review/{world.province.pk}/")
    expect(page.get_by_test_id("count-approved").first).to_contain_text("Đã duyệt: 1")

    # And the district sees it approved.
    switch_user(page, "leader")
    page.goto(f"/consolidations/c/{campaign.pk}/u/{world.district.pk}/")
    expect(card(page).get_by_test_id("sendup-status")).to_have_text("Đã duyệt")
    expect(card(page).get_by_test_id("status-note")).to_contain_text("đã duyệt")

    sent = Consolidation.objects.get(campaign=campaign, organization=world.district)
    assert (sent.status, sent.sendings, sent.counted_units) == (ReviewStatus.APPROVED, 2, 2)
    assert sent.reviewed_by == world.staff


def reported(world):
    """A campaign of the province with its two phases and usual indicators in which units A and
    B are registered and A's report on phase 1 is accepted by the district."""
    from reports.services.common import opening_of
    from reports.services.drafts import report_save_draft
    from reports.services.transitions import report_approve, report_submit
    from tests.reports.conftest import full_data, make_report_campaign, phase, register

    campaign = make_report_campaign(world)
    register(campaign, world.unit_a, world.officer_a, world.leader)
    register(campaign, world.unit_b, world.officer_b, world.leader, approve=False)
    first = phase(campaign, 1)
    today = opening_of(first)
    report = report_save_draft(
        campaign=campaign,
        phase=first,
        organization=world.unit_a,
        by=world.officer_a,
        data=full_data(campaign),
        today=today,
    )
    report_submit(report, by=world.officer_a, today=today)
    report_approve(report, by=world.leader)
    return campaign, first, today


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_pages_on_a_phone_and_a_desktop(page: Page, e2e_world, viewport):
    from consolidations import services

    world = e2e_world
    campaign, first, today = reported(world)
    sent = services.consolidation_send(
        campaign=campaign, organization=world.district, by=world.leader, today=today
    )
    summary = services.consolidation_send(
        campaign=campaign, organization=world.district, by=world.leader, phase=first, today=today
    )
    services.consolidation_return(summary, by=world.staff, comment=REASON)
    page.set_viewport_size(viewport)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    login(page, "leader")
    for name, address in (
        ("sender", f"/consolidations/c/{campaign.pk}/u/{world.district.pk}/"),
        ("sent-district", f"/consolidations/{sent.pk}/"),
        ("phase-returned", f"/consolidations/{summary.pk}/"),
        ("summary-link", f"/registrations/c/{campaign.pk}/summary/{world.district.pk}/"),
        ("rollup-link", f"/reports/c/{campaign.pk}/p/{first.pk}/results/{world.district.pk}/"),
        ("district-queue", f"/registrations/c/{campaign.pk}/review/{world.district.pk}/"),
    ):
        page.goto(address)
        check_layout(page)
        shot(page, name)
    expect(page.get_by_test_id("sendup-link")).to_contain_text("Đã gửi lên, chờ duyệt")
    page.goto(f"/reports/c/{campaign.pk}/p/{first.pk}/results/{world.district.pk}/")
    expect(page.get_by_test_id("sendup-link")).to_contain_text("Bị trả lại")
    switch_user(page, "staff")
    for name, address in (
        ("queue", f"/consolidations/c/{campaign.pk}/review/{world.province.pk}/"),
        ("sent-province", f"/consolidations/{sent.pk}/"),
        ("return", f"/consolidations/{sent.pk}/return/"),
        ("registration-queue", f"/registrations/c/{campaign.pk}/review/{world.province.pk}/"),
        ("report-queue", f"/reports/c/{campaign.pk}/p/{first.pk}/review/{world.province.pk}/"),
    ):
        page.goto(address)
        check_layout(page)
        shot(page, name)
    page.goto(f"/consolidations/{summary.pk}/history/")
    expect(page.get_by_test_id("history")).to_contain_text("Lần gửi")
    expect(page.get_by_test_id("history")).to_contain_text(REASON)
    check_layout(page)
    shot(page, "history")
    assert not errors, errors
    expect(page).to_have_url(re.compile(r"/history/$"))
