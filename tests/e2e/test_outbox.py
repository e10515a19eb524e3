"""The province's staff works the email outbox in the browser: each row says for which unit and
person it was and why it failed; a resend sends once the officer has an address, and says why
not for a unit nobody can be reached at; the receiving department's digest is previewed, sent
and read back. The pages fit a phone and a desktop.

Set ``E2E_SCREENSHOTS=/tmp/shots-reminders14`` to keep a full-page screenshot of each page.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from reminders.models import Delivery, OutboxMessage, OutboxStatus
from reminders.services.dispatch import dispatch
from tests.e2e.helpers import DESKTOP, PHONE, login
from tests.e2e.test_layout import LAYOUT_PROBLEMS
from tests.registrations.conftest import make_campaign

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def look(page: Page, name: str) -> None:
    """The page fits a phone and a desktop (nothing sticks out); a screenshot of each if asked."""
    for size_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        assert page.evaluate(LAYOUT_PROBLEMS) == [], (name, size_name)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{size_name}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_staff_resends_and_previews_then_sends_the_digest(page: Page, e2e_world):
    world = e2e_world
    campaign = make_campaign(world, year=2030, deadline=dt.date(2030, 3, 31))
    campaign.receiving_department = world.department
    campaign.save(update_fields=["receiving_department"])
    world.officer_b.email = ""
    world.officer_b.save()
    world.unit_a.email = "alpha@example.vn"
    world.unit_a.save()
    dispatch(today=dt.date(2030, 3, 24))
    officer_b_name = world.officer_b.get_full_name()

    login(page, world.staff.username)
    page.goto("/reminders/outbox/")
    rows = page.get_by_test_id("outbox-row")
    b_row = rows.filter(has_text=officer_b_name)
    expect(b_row.get_by_test_id("outbox-unit")).to_have_text("Công đoàn cơ sở Bêta Nam Việt")
    expect(b_row.get_by_test_id("outbox-error")).to_have_text("Chưa có địa chỉ email.")
    c_row = rows.filter(has_text="Công đoàn cơ sở Gamma Quế")
    expect(c_row.get_by_test_id("outbox-person")).to_have_text("Không có người nhận")
    expect(rows.filter(has_text="alpha@example.vn").get_by_test_id("outbox-person")).to_have_text(
        "Hộp thư của đơn vị"
    )
    look(page, "outbox")

    # C still has no address: the resend says why, nothing leaves.
    c_row.get_by_test_id("outbox-resend").click()
    expect(page.locator(".alert")).to_contain_text(
        "Chưa gửi được thư: Công đoàn cơ sở Gamma Quế chưa có địa chỉ email"
    )
    assert mail.outbox == []

    # Officer B has an address now: the resend sends it at once.
    world.officer_b.email = "b.moi@example.vn"
    world.officer_b.save()
    page.get_by_test_id("outbox-row").filter(has_text=officer_b_name).get_by_test_id(
        "outbox-resend"
    ).click()
    expect(page.locator(".alert")).to_contain_text("Đã gửi thư đến b.moi@example.vn.")
    assert [m.to for m in mail.outbox] == [["b.moi@example.vn"]]
    row = OutboxMessage.objects.get(user=world.officer_b)
    assert row.status == OutboxStatus.SENT
    expect(
        page.get_by_test_id("outbox-row").filter(has_text="b.moi@example.vn").locator(".badge")
    ).to_have_text("Đã gửi")

    # The digest: preview (nothing sent), then send, then read it back.
    page.get_by_test_id(f"digest-preview-{campaign.pk}").click()
    expect(page.locator("h1")).to_have_text("Xem trước bản tổng hợp")
    expect(page.get_by_test_id("digest-preview-note")).to_contain_text("chưa có gì được gửi")
    expect(page.get_by_test_id("digest")).to_contain_text("Liên đoàn Lao động huyện Phượng")
    assert not Delivery.objects.filter(occurrence__startswith="asked:").exists()
    look(page, "digest-preview")

    page.get_by_test_id("digest-send").click()
    expect(page.locator(".alert")).to_contain_text(
        "Đã gửi bản tổng hợp cho Ban Chính sách - Pháp luật."
    )
    expect(page.get_by_test_id("digest-emails")).to_contain_text("cspl@example.vn")
    expect(page.get_by_test_id("digest-emails").locator(".badge")).to_have_text("Đã gửi")
    assert mail.outbox[-1].to == ["cspl@example.vn"]
    look(page, "digest-sent")

    page.get_by_role("link", name="Các bản tổng hợp đã gửi").click()
    expect(page.get_by_test_id("digest-row")).to_have_count(1)
    expect(page.get_by_test_id("digest-row")).to_contain_text("gửi theo yêu cầu")
    look(page, "digests")
