"""The provincial Policy-Law Department (cspl) plans a campaign in the browser: the document,
two themes, two phases (one refused first for overlapping), three milestones, the signature;
activates it and downloads the official plan, whose text is checked. A grassroots officer
then sees it on a phone."""

import re
import subprocess
import unicodedata

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, Holiday
from federation.models import Role
from tests.e2e.helpers import PHONE, login, switch_user
from tests.factories import make_member

pytestmark = pytest.mark.e2e

THEMES = [
    (
        "Lao động giỏi, Lao động sáng tạo",
        "Tiếp tục đẩy mạnh phong trào thi đua Lao động giỏi, Lao động sáng tạo trên tất cả các "
        "lĩnh vực, với mục tiêu “Năng suất cao hơn, chất lượng tốt hơn”.",
    ),
    (
        "Năm vì lợi ích của đoàn viên",
        "Các cấp Công đoàn đẩy mạnh các hoạt động chăm lo lợi ích thiết thân cho đoàn viên.",
    ),
]


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_cspl_plans_a_campaign_and_downloads_its_pdf(page, e2e_world, tmp_path):
    world = e2e_world
    make_member(world.province, Role.STAFF, "cspl", department=world.department)
    for name, day, month, origin in (
        ("Ngày thành lập Đảng Cộng sản Việt Nam", 3, 2, 1930),
        ("Ngày thành lập Công đoàn Việt Nam", 28, 7, 1929),
        ("Cách mạng tháng Tám và Quốc khánh nước Cộng hòa XHCN Việt Nam", 2, 9, 1945),
        ("Ngày Nhà giáo Việt Nam", 20, 11, 1982),
    ):
        Holiday.objects.create(name=name, day=day, month=month, origin_year=origin)

    login(page, "cspl")
    page.get_by_test_id("nav-campaigns").click()
    page.get_by_test_id("campaign-create").click()

    # The document.
    form = page.get_by_test_id("campaign-form")
    expect(form.locator("#id_issuer")).to_have_value(str(world.province.pk))
    form.locator("#id_year").fill("2026")
    form.locator("#id_title").fill("Phát động phong trào thi đua yêu nước năm 2026")
    form.locator("#id_number").fill("21")
    expect(form.locator("#id_symbol")).to_have_value("KH-LĐLĐ")
    expect(form.locator("#id_place")).to_have_value("Ninh Bình")
    form.locator("#id_issue_date").fill("10/02/2026")
    form.locator("#id_registration_deadline").fill("31/03/2026")
    page.get_by_test_id("campaign-save").click()
    expect(page).to_have_url(re.compile(r"/campaigns/\d+/themes/$"))
    campaign = Campaign.objects.get(number=21)
    assert campaign.receiving_department == world.department

    # Two themes.
    for title, text in THEMES:
        theme_form = page.get_by_test_id("theme-form")
        theme_form.locator("#id_title").fill(title)
        theme_form.locator("#id_text").fill(text)
        page.get_by_test_id("theme-add").click()
        expect(page.get_by_test_id("message").last).to_be_visible()
    expect(page.get_by_test_id("theme-row")).to_have_count(2)

    # Two phases; an overlapping one is refused first, with the reason next to its field.
    page.get_by_test_id("config-tabs").locator('a[href$="/phases/"]').click()
    phase_form = page.get_by_test_id("phase-form")
    expect(phase_form.locator("#id_name")).to_have_value("Đợt 1")
    phase_form.locator("#id_start").fill("01/01/2026")
    phase_form.locator("#id_end").fill("30/06/2026")
    phase_form.locator("#id_report_deadline").fill("10/07/2026")
    phase_form.locator("#id_goal").fill("Thi đua lập thành tích chào mừng")
    page.get_by_test_id("phase-add").click()
    expect(page.get_by_test_id("phase-row")).to_have_count(1)

    phase_form = page.get_by_test_id("phase-form")
    expect(phase_form.locator("#id_name")).to_have_value("Đợt 2")
    phase_form.locator("#id_start").fill("15/06/2026")
    phase_form.locator("#id_end").fill("31/12/2026")
    phase_form.locator("#id_report_deadline").fill("15/12/2026")
    page.get_by_test_id("phase-add").click()
    start = page.get_by_test_id("phase-form").locator("#id_start")
    expect(start).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#error_1_id_start")).to_contain_text(
        "trùng với Đợt 1 (01/01/2026 - 30/06/2026)"
    )
    expect(page.get_by_test_id("phase-row")).to_have_count(1)
    start.fill("01/07/2026")
    page.get_by_test_id("phase-add").click()
    expect(page.get_by_test_id("phase-row")).to_have_count(2)

    # Three milestones, proposed with their anniversaries of 2026.
    page.get_by_test_id("config-tabs").locator('a[href$="/milestones/"]').click()
    expect(page.get_by_test_id("proposal")).to_have_count(4)
    expect(page.get_by_test_id("milestones-form")).to_contain_text("kỷ niệm 96 năm")
    for name in (
        "Ngày thành lập Đảng Cộng sản Việt Nam",
        "Ngày thành lập Công đoàn Việt Nam",
        "Cách mạng tháng Tám và Quốc khánh nước Cộng hòa XHCN Việt Nam",
    ):
        page.get_by_label(name, exact=True).check()
    page.get_by_test_id("milestones-save").click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/$"))

    # The signature and the recipients.
    page.get_by_test_id("configure-menu").click()
    page.locator(f'a[href="/campaigns/{campaign.pk}/edit/"]').first.click()
    form = page.get_by_test_id("campaign-form")
    form.locator("#id_signing_authority").fill("TM. BAN THƯỜNG VỤ")
    form.locator("#id_signer_title").fill("PHÓ CHỦ TỊCH")
    form.locator("#id_signer_name").fill("Lê Đình Việt")
    form.locator("#id_distribution").fill("Thường trực LĐLĐ tỉnh;\nLưu: VT, Ban CSPL.")
    page.get_by_test_id("campaign-save").click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/$"))

    # Activate: the campaign page shows the plan to every unit of the province.
    expect(page.get_by_test_id("activation-problems")).to_have_count(0)
    page.get_by_test_id("campaign-activate").click()
    expect(page.get_by_test_id("campaign-status")).to_have_text("Đang diễn ra")
    expect(page.get_by_test_id("themes").locator("li")).to_have_count(2)
    events = page.get_by_test_id("events")
    expect(events).to_contain_text("Kỷ niệm 97 năm Ngày thành lập Công đoàn Việt Nam")
    expect(events).to_contain_text("Hạn chót")

    # Download the official plan and read it.
    with page.expect_download() as download_info:
        page.get_by_test_id("plan-pdf-download").click()
    download = download_info.value
    assert download.suggested_filename == "ke-hoach-21-KH-LDLD-2026.pdf"
    pdf = tmp_path / "plan.pdf"
    download.save_as(pdf)
    text = normal(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True
        ).stdout.decode()
    )
    for expected in (
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH",
        "Số: 21/KH-LĐLĐ",
        "Ninh Bình, ngày 10 tháng 02 năm 2026",
        "KẾ HOẠCH",
        "Phát động phong trào thi đua yêu nước năm 2026",
        "I. NỘI DUNG THI ĐUA",  # no section of purposes: the sections are renumbered
        "II. TỔ CHỨC THỰC HIỆN",
        f"1. {THEMES[0][1]}",
        f"2. {THEMES[1][1]}",
        "Phong trào thi đua năm 2026 được tổ chức thành hai đợt như sau:",
        "Đợt 1: Từ đầu năm đến 30/06/2026: Thi đua lập thành tích chào mừng kỷ niệm 96 năm "
        "Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2026)",
        "Đợt 2: Từ 01/07/2026 đến 31/12/2026:",
        "kỷ niệm 81 năm Cách mạng tháng Tám và Quốc khánh nước Cộng hòa XHCN Việt Nam "
        "(02/09/1945 - 02/09/2026)",
        "Nơi nhận:",
        "- Lưu: VT, Ban CSPL.",
        "TM. BAN THƯỜNG VỤ",
        "PHÓ CHỦ TỊCH",
        "Lê Đình Việt",
    ):
        assert normal(expected) in text, expected
    assert "Ngày Nhà giáo" not in text  # not chosen

    # A grassroots officer of the province reads it on a phone, nothing sticking out.
    page.set_viewport_size(PHONE)
    switch_user(page, "officer_a")
    page.goto(f"/campaigns/{campaign.pk}/")
    expect(page.get_by_test_id("campaign-title")).to_contain_text("năm 2026")
    expect(page.get_by_test_id("configure-menu")).to_have_count(0)
    expect(page.get_by_test_id("events").get_by_test_id("event")).to_have_count(10)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page is {overflow}px wider than the phone"
