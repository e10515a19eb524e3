"""Logging in and out in the browser."""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(page, e2e_world):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.get_by_test_id("login-username").fill("officer_a")
    page.get_by_test_id("login-password").fill("not-the-password")
    page.get_by_test_id("login-submit").click()

    error = page.get_by_test_id("login-error")
    expect(error).to_be_visible()
    # Django's own Vietnamese message: "Vui lòng điền vào ... và mật khẩu chính xác."
    expect(error).to_contain_text("mật khẩu")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    # The username typed is kept; the password is not sent back.
    expect(page.get_by_test_id("login-username")).to_have_value("officer_a")
    expect(page.get_by_test_id("login-password")).to_have_value("")
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}


def test_log_in_then_log_out_from_the_user_menu(page, e2e_world):
    login(page, "officer_a")

    # An officer lands on their work ("Việc của tôi"), the home page.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("desk-title")).to_have_text("Việc của tôi")
    menu = page.get_by_test_id("user-menu")
    expect(menu).to_have_text(get_user_model().objects.get(username="officer_a").full_name)

    menu.click()
    logout = page.get_by_test_id("logout")
    expect(logout).to_be_visible()
    with page.expect_request(lambda r: r.url.endswith("/accounts/logout/")) as sent:
        logout.click()
    assert sent.value.method == "POST"
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_test_id("user-menu")).to_have_count(0)

    # The session is gone: a member page asks for a login again.
    page.goto(f"/units/{e2e_world.unit_a.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_login_returns_to_the_page_asked_for(page, e2e_world):
    page.goto(f"/units/{e2e_world.unit_a.pk}/history/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_test_id("login-username").fill("officer_a")
    page.get_by_test_id("login-password").fill("thidua2017")
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(rf"/units/{e2e_world.unit_a.pk}/history/$"))
    expect(page.get_by_test_id("history")).to_be_visible()


def test_the_language_can_be_switched_before_logging_in(page, e2e_world):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator('.language-form button[name="language"][value="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    # The choice is remembered after logging in.
    login(page, "officer_a")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator('.language-form button[name="language"][value="vi"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_a_login_form_left_open_while_another_tab_signs_in(page, e2e_world):
    # Two tabs on the login page; the second signs in (the browser gets a new CSRF cookie), the
    # first is sent afterwards: a Vietnamese page says what happened, and the way back works.
    page.goto("/accounts/login/")
    other = page.context.new_page()
    login(other, "officer_a")
    other.close()

    page.get_by_test_id("login-username").fill("officer_b")
    page.get_by_test_id("login-password").fill("thidua2017")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("error-csrf")).to_contain_text("Trang đã cũ")
    expect(page.get_by_test_id("error-csrf")).to_contain_text("Không có gì được lưu")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    shot = os.environ.get("E2E_SCREENSHOTS")
    if shot:
        page.screenshot(path=f"{shot}/csrf-failure.png", full_page=True)

    # The page says who is signed in now (the other tab's sign-in holds); opened again, the
    # login page takes that person to their work, the home page.
    page.get_by_test_id("csrf-again").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("desk-title")).to_be_visible()
