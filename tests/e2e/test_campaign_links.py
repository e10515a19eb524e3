"""From the campaign page each person goes straight to their work: the officer to the unit's
registration, the district's leader to the queue, the province's staff to the dashboard and
the reminder rules. On a desktop and on a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PHONE, login, switch_user
from tests.reports.conftest import make_report_campaign

pytestmark = pytest.mark.e2e


def open_campaign(page: Page, campaign) -> None:
    page.goto(reverse("campaigns:detail", args=[campaign.pk]))
    expect(page.get_by_test_id("campaign-work")).to_be_visible()


def no_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_each_person_reaches_their_work_from_the_campaign_page(page: Page, e2e_world):
    world = e2e_world
    campaign = make_report_campaign(world)

    login(page, "officer_a")
    open_campaign(page, campaign)
    work = page.get_by_test_id("campaign-work")
    expect(work).to_contain_text("Đăng ký thi đua của")
    expect(work).not_to_contain_text("Bêta")  # nothing of the sibling unit
    page.get_by_test_id("link-registration").click()
    expect(page.get_by_test_id("reg-status").first).to_have_text("Chưa đăng ký")

    switch_user(page, "leader")
    open_campaign(page, campaign)
    page.get_by_test_id("link-registration-queue").click()
    expect(page.get_by_test_id("queue")).to_be_visible()

    switch_user(page, "staff")
    open_campaign(page, campaign)
    page.get_by_test_id("link-dashboard").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("Ninh Bình")
    open_campaign(page, campaign)
    page.get_by_test_id("configure-menu").click()
    page.get_by_test_id("link-reminder-rules").click()
    expect(page.get_by_test_id("rules")).to_be_visible()

    page.set_viewport_size(PHONE)
    open_campaign(page, campaign)
    no_overflow(page)
