"""The province's staff (cspl in the demo) edits a reminder rule, previews who it reaches and
sees a warning for an audience that resolves to nobody; after the dispatch, the grassroots
officer (cdcs1 in the demo) sees the notification and its badge."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from reminders.models import ReminderRule
from reminders.services.dispatch import dispatch
from tests.e2e.helpers import login, switch_user
from tests.registrations.conftest import make_campaign

pytestmark = pytest.mark.e2e


def test_staff_edits_and_previews_a_rule_and_the_officer_is_notified(page: Page, e2e_world):
    world = e2e_world
    campaign = make_campaign(world, year=2030, deadline=dt.date(2030, 3, 31))
    rule = ReminderRule.objects.get(
        campaign=campaign, event="registration_deadline", offset_days=-7
    )

    login(page, world.staff.username)
    page.goto(f"/reminders/c/{campaign.pk}/rules/")
    expect(page.get_by_test_id("rules")).to_contain_text("Hạn đăng ký")
    page.get_by_test_id(f"rule-edit-{rule.pk}").click()

    page.get_by_label("Tiêu đề").fill("Nhắc {unit}: còn {days_left} ngày đến hạn {ngay}")
    page.get_by_test_id("rule-preview").click()
    expect(page.get_by_test_id("rule-form")).to_contain_text("Biến không hợp lệ: {ngay}")

    page.get_by_label("Tiêu đề").fill("Nhắc {unit}: còn {days_left} ngày đến hạn {deadline}")
    page.get_by_test_id("rule-preview").click()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("24/03/2030")
    expect(page.get_by_test_id("preview-recipients")).to_contain_text(
        "Công đoàn cơ sở Alpha Đông Á"
    )
    expect(preview).to_contain_text("Nhắc Liên đoàn Lao động huyện Phượng: còn 7 ngày")

    # The campaign has no receiving department: that audience reaches nobody.
    page.get_by_label("Đối tượng nhận").select_option("department")
    page.get_by_test_id("rule-preview").click()
    expect(page.get_by_test_id("preview-warning")).to_contain_text("Không có đối tượng nhận")

    page.get_by_label("Đối tượng nhận").select_option("not_submitted")
    page.get_by_test_id("rule-save").click()
    expect(page.get_by_test_id("rules")).to_contain_text(
        "Nhắc tên đơn vị: còn số ngày còn lại ngày đến hạn hạn chót"
    )
    rule.refresh_from_db()
    assert rule.subject == "Nhắc {unit}: còn {days_left} ngày đến hạn {deadline}"

    dispatch(today=dt.date(2030, 3, 24))

    switch_user(page, world.officer_a.username)
    expect(page.get_by_test_id("unread-badge")).to_have_text("1")
    page.get_by_test_id("nav-notifications").click()
    expect(page.get_by_test_id("notification")).to_contain_text(
        "Nhắc Công đoàn cơ sở Alpha Đông Á: còn 7 ngày đến hạn 31/03/2030"
    )
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("unread-badge")).to_be_hidden()
