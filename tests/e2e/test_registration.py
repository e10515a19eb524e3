"""A grassroots officer registers two themes with targets and submits; the district's leader
returns it with a comment; the officer sees the comment, fixes and resubmits; the leader
approves, and the district's progress figures follow each step. The same pages on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from emulation.workflow import ReviewStatus
from registrations.models import Registration, Target
from tests.e2e.helpers import PHONE, login, switch_user
from tests.registrations.conftest import make_campaign

pytestmark = pytest.mark.e2e

COMMENT = "Đề nghị nâng chỉ tiêu sáng kiến lên ít nhất 8."


def open_queue(page: Page) -> None:
    page.get_by_test_id("nav-registrations").click()
    page.get_by_test_id("queue-link").first.click()
    expect(page.get_by_test_id("queue")).to_be_visible()


def fill_theme(page: Page, index: int, commitment: str, target: tuple[str, str, str]) -> None:
    block = page.get_by_test_id("theme-block").nth(index)
    block.get_by_test_id("theme-check").check()
    block.get_by_test_id("commitment").fill(commitment)
    name, value, unit = target
    block.get_by_test_id("target-name").first.fill(name)
    block.get_by_test_id("target-value").first.fill(value)
    block.get_by_test_id("target-unit").first.fill(unit)


def test_register_return_fix_resubmit_approve(page: Page, e2e_world):
    world = e2e_world
    campaign = make_campaign(world)

    # The leader's queue before anything: nobody below the district has registered.
    login(page, "leader")
    open_queue(page)
    expect(page.get_by_test_id("approved-count")).to_have_text("0/2")
    expect(page.get_by_test_id("count-none").locator(".stat")).to_have_text("2")

    # The officer registers two themes with their targets and submits.
    switch_user(page, "officer_a")
    page.get_by_test_id("nav-registrations").click()
    page.get_by_test_id("own-unit").click()
    expect(page.get_by_test_id("reg-status")).to_have_text("Chưa đăng ký")
    page.get_by_test_id("reg-edit").click()
    fill_theme(
        page,
        0,
        "Phát động phong trào lao động sáng tạo trong toàn đơn vị.",
        ("Sáng kiến, cải tiến kỹ thuật", "5", "sáng kiến"),
    )
    # A theme left unchosen keeps its fields hidden.
    expect(page.get_by_test_id("theme-block").nth(1).get_by_test_id("commitment")).to_be_hidden()
    fill_theme(
        page,
        1,
        "Tổ chức học tập nâng cao trình độ cho đoàn viên.",
        ("Đoàn viên được bồi dưỡng", "40", "người"),
    )
    page.get_by_test_id("reg-save-submit").click()
    expect(page).to_have_url(re.compile(rf"/registrations/c/{campaign.pk}/u/{world.unit_a.pk}/$"))
    expect(page.get_by_test_id("reg-status")).to_have_text("Chờ duyệt")
    expect(page.get_by_test_id("reg-theme")).to_have_count(2)

    # The leader sees it waiting, opens it and returns it with a comment.
    switch_user(page, "leader")
    open_queue(page)
    expect(page.get_by_test_id("count-submitted").locator(".stat")).to_have_text("1")
    row = page.get_by_test_id("queue-row").filter(has_text="Alpha Đông Á")
    expect(row.get_by_test_id("reg-status")).to_have_text("Chờ duyệt")
    row.get_by_test_id("queue-unit").click()
    page.get_by_test_id("reg-return-comment").fill(COMMENT)
    page.get_by_test_id("reg-return").click()
    expect(page.get_by_test_id("message").first).to_contain_text("Đã trả lại")
    expect(page.get_by_test_id("reg-status")).to_have_text("Trả lại")

    # The officer sees the comment, fixes the target and submits again.
    switch_user(page, "officer_a")
    page.get_by_test_id("nav-registrations").click()
    page.get_by_test_id("own-unit").click()
    expect(page.get_by_test_id("review-comment")).to_contain_text(COMMENT)
    page.get_by_test_id("reg-edit").click()
    expect(page.get_by_test_id("review-comment")).to_contain_text(COMMENT)
    value = page.get_by_test_id("theme-block").nth(0).get_by_test_id("target-value").first
    expect(value).to_have_value("5")
    value.fill("8")
    page.get_by_test_id("reg-save-submit").click()
    expect(page.get_by_test_id("reg-status")).to_have_text("Chờ duyệt")

    # The leader approves from the queue; the district's figures follow.
    switch_user(page, "leader")
    open_queue(page)
    expect(page.get_by_test_id("approved-count")).to_have_text("0/2")
    row = page.get_by_test_id("queue-row").filter(has_text="Alpha Đông Á")
    row.get_by_test_id("queue-approve").click()
    expect(page.get_by_test_id("approved-count")).to_have_text("1/2")
    expect(page.get_by_test_id("count-approved").locator(".stat")).to_have_text("1")
    expect(page.get_by_test_id("count-submitted").locator(".stat")).to_have_text("0")
    expect(row.get_by_test_id("reg-status")).to_have_text("Đã duyệt")

    registration = Registration.objects.get(campaign=campaign, organization=world.unit_a)
    assert registration.status == ReviewStatus.APPROVED
    assert registration.revision == 1
    assert sorted(
        Target.objects.filter(registered_theme__registration=registration).values_list(
            "name", "value"
        )
    ) == [("Sáng kiến, cải tiến kỹ thuật", 8), ("Đoàn viên được bồi dưỡng", 40)]

    # The consolidation of the district counts it.
    page.get_by_test_id("summary-link").click()
    expect(page.get_by_test_id("summary-approved")).to_have_text("1")
    theme_row = page.get_by_test_id("summary-theme").first
    expect(theme_row.get_by_test_id("theme-units")).to_have_text("1")
    expect(theme_row.get_by_test_id("theme-target")).to_contain_text("Sáng kiến, cải tiến kỹ thuật")


def test_the_queue_and_the_form_on_a_phone(page: Page, e2e_world):
    world = e2e_world
    make_campaign(world)
    page.set_viewport_size(PHONE)
    login(page, "officer_a")
    page.goto("/registrations/")
    page.get_by_test_id("own-unit").click()
    page.get_by_test_id("reg-edit").click()
    page.get_by_test_id("theme-block").nth(0).get_by_test_id("theme-check").check()
    # Nothing is wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    switch_user(page, "leader")
    page.goto("/registrations/")
    page.get_by_test_id("queue-link").first.click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
