"""What the browser tests share: logging in through the form, the two screen sizes, files to
import."""

import csv
import io
import re

from openpyxl import Workbook
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form and wait until the browser has left it."""
    page.goto("/accounts/login/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def switch_user(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in as somebody else in the same browser: leave the page first, so that nothing it is
    still loading (the navbar's badge) can answer after the cookies are gone, then forget the
    cookies and log in."""
    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, username, password)


def open_manage_menu(page: Page) -> None:
    """Open the unit page's Manage drop-down (it is a Bootstrap menu)."""
    page.get_by_test_id("manage-menu").click()


HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Số đoàn viên", "Email"]

# One problem per row from row 3 on (some rows without the optional email); row 2 is right
# but must not be saved either.
BAD_ROWS = [
    ["NB-P-E", "Công đoàn cơ sở Epsilon", "grassroots", "NB-P", 10, "e@example.vn"],  # 2 fine
    ["NB-P-E", "Công đoàn cơ sở Epsilon bis", "grassroots", "NB-P", 5, ""],  # 3
    ["NB-X-1", "Công đoàn cơ sở mồ côi", "grassroots", "KHONG-CO", 5, "x@example.vn"],  # 4
    ["VONG-1", "Công đoàn vòng một", "upper", "VONG-2", 0, ""],  # 5
    ["VONG-2", "Công đoàn vòng hai", "upper", "VONG-1", 0, ""],  # 6
    ["NB-P-H", "Hợp tác xã Hoa", "hợp tác xã", "NB-P", 7, "h@example.vn"],  # 7
    ["NB-P-K", "", "grassroots", "NB-P", 7, "k@example.vn"],  # 8
]


def as_upload(rows, fmt, header=HEADER):
    """A file the browser can send: CSV as Excel writes it (BOM, commas) or a real XLSX."""
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text).writerows([header, *rows])
        data = text.getvalue().encode("utf-8-sig")
        return {"name": "don-vi.csv", "mimeType": "text/csv", "buffer": data}
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return {
        "name": "don-vi.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": out.getvalue(),
    }
