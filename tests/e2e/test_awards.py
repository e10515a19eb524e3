"""A nomination from the grassroots to the certificate, in the browser: ``cdcs1`` nominates a
person with the dossier, ``hoalu`` endorses it, ``cspl`` puts it on a council session, three
council members vote, ``cspl`` closes the session, issues the decision and downloads the
decision and the certificate, whose text is checked. Then every commendation page is opened on
a desktop and on a phone: no script error, nothing sticking out, no serious or critical
accessibility violation (axe-core).

Set ``E2E_SCREENSHOTS=/tmp/shots6`` to keep a full-page screenshot of each page.
"""

import datetime as dt
import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from awards.demo import demo_pdf
from awards.models import AwardCategory, AwardType, Decision, Nomination, NomineeKind
from campaigns.models import Campaign, CampaignStatus
from emulation.documents import vietnamese_date
from federation.models import Role
from tests.e2e.helpers import DESKTOP, PHONE, login, switch_user
from tests.e2e.pagecheck import axe_problems
from tests.e2e.test_layout import LAYOUT_PROBLEMS
from tests.factories import make_member

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def pdf_text(download, tmp_path, name) -> tuple[PdfReader, str]:
    path = tmp_path / name
    download.save_as(path)
    reader = PdfReader(str(path))
    return reader, normal(" ".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def award_world(e2e_world):
    world = e2e_world
    make_member(world.unit_a, Role.OFFICER, "cdcs1")
    make_member(world.district, Role.LEADER, "hoalu")
    make_member(world.province, Role.STAFF, "cspl", department=world.department)
    for i in (1, 2, 3):
        make_member(world.province, Role.COUNCIL, f"hoidong{i}")
    campaign = Campaign.objects.create(
        issuer=world.province,
        year=dt.date.today().year,
        title="Phát động phong trào thi đua yêu nước",
        slug="thi-dua",
        number=13,
        status=CampaignStatus.ACTIVE,
    )
    award = AwardType.objects.create(
        name="Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
        certificate_title="BẰNG KHEN",
        category=AwardCategory.FORM,
        nominee_kind=NomineeKind.INDIVIDUAL,
        granting_unit=world.province,
        required_documents="Tờ trình đề nghị khen thưởng\nBáo cáo thành tích",
    )
    return world, campaign, award


ACHIEVEMENT = (
    "Hoàn thành xuất sắc nhiệm vụ; vận động 100% đoàn viên tham gia phong trào Lao động giỏi, "
    "Lao động sáng tạo; có 02 sáng kiến được công nhận."
)


def test_a_nomination_from_the_grassroots_to_the_certificate(page, award_world, tmp_path):
    world, campaign, award = award_world
    today = dt.date.today()

    # cdcs1 nominates a person of the unit.
    login(page, "cdcs1")
    page.get_by_test_id("nav-awards").click()
    shot(page, "01-nominations-empty")
    page.get_by_test_id("nomination-create").click()
    form = page.get_by_test_id("nomination-form")
    form.locator("#id_campaign").select_option(str(campaign.pk))
    form.locator("#id_award_type").select_option(str(award.pk))
    form.locator("#id_occasion").select_option("year_end")
    expect(form.locator("#id_nominee_unit")).to_have_value("NB-P-A")
    form.locator("#id_person_name").fill("Trần Thị Lan")
    form.locator("#id_gender").select_option("female")
    form.locator("#id_birth_year").fill("1982")
    form.locator("#id_position").fill("Tổ trưởng sản xuất")
    form.locator("#id_achievement").fill(ACHIEVEMENT)
    shot(page, "02-nomination-form")
    page.get_by_test_id("nomination-save").click()
    expect(page.get_by_test_id("nominee-name")).to_have_text("Trần Thị Lan")
    expect(page.get_by_test_id("dossier-missing")).to_have_count(2)
    expect(page.get_by_test_id("nomination-submit")).to_be_disabled()

    # The dossier: a file that is not what its name says is refused; then the two documents.
    dossier = page.get_by_test_id("dossier-form")
    dossier.locator("#id_document").select_option("Tờ trình đề nghị khen thưởng")
    dossier.locator("#id_file").set_input_files(
        {"name": "to-trinh.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a not a pdf"}
    )
    page.get_by_test_id("dossier-upload").click()
    expect(page.locator("#id_file")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_test_id("dossier-form")).to_contain_text("không thuộc các loại")
    for document, name in (
        ("Tờ trình đề nghị khen thưởng", "to-trinh.pdf"),
        ("Báo cáo thành tích", "bao-cao-thanh-tich.pdf"),
    ):
        dossier = page.get_by_test_id("dossier-form")
        dossier.locator("#id_document").select_option(document)
        dossier.locator("#id_file").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": demo_pdf(document)}
        )
        page.get_by_test_id("dossier-upload").click()
        expect(page.get_by_test_id("message").last).to_contain_text(name)
    expect(page.get_by_test_id("dossier-file")).to_have_count(2)
    expect(page.get_by_test_id("dossier-complete")).to_be_visible()
    shot(page, "03-nomination-draft")
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_test_id("nomination-stage")).to_have_text("Đang xét duyệt")
    expect(page.get_by_test_id("current-level")).to_be_visible()
    nomination = Nomination.objects.get()
    assert nomination.current_level == world.district

    # hoalu, leader of the district, endorses it.
    switch_user(page, "hoalu")
    page.get_by_test_id("nav-awards").click()
    expect(page.get_by_test_id("awaiting")).to_be_visible()
    page.get_by_test_id("nomination-row").get_by_role("link", name="Trần Thị Lan").click()
    page.locator("#id_comment").fill("Đồng ý đề nghị.")
    shot(page, "04-nomination-review")
    page.get_by_test_id("nomination-endorse").click()
    expect(page.get_by_test_id("nomination-stage")).to_have_text("Chờ Hội đồng xét")
    expect(page.get_by_test_id("endorsement")).to_contain_text("Đồng ý đề nghị.")

    # cspl puts it on a council session.
    switch_user(page, "cspl")
    page.get_by_test_id("nav-awards").click()
    page.get_by_test_id("nav-council").click()
    expect(page.get_by_test_id("council-waiting")).to_be_visible()
    page.get_by_test_id("session-create").click()
    form = page.get_by_test_id("session-form")
    form.locator("#id_title").fill("Xét khen thưởng tổng kết năm")
    form.locator("#id_place").fill("Trụ sở LĐLĐ tỉnh")
    expect(form.get_by_label(re.compile("Trần Thị Lan"))).to_be_checked()
    shot(page, "05-session-form")
    page.get_by_test_id("session-open").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Đang bỏ phiếu")
    expect(page.get_by_test_id("ballot-form")).to_have_count(0)  # staff do not vote
    session_url = page.url

    # Three council members vote; none sees how another voted.
    for i in (1, 2, 3):
        switch_user(page, f"hoidong{i}")
        page.goto(session_url)
        ballot = page.get_by_test_id("ballot-form")
        ballot.locator('input[value="approve"]').first.check()
        if i == 1:
            shot(page, "06-ballot")
        page.get_by_test_id("ballot-submit").click()
        expect(page.get_by_test_id("ballot-done")).to_be_visible()
        expect(page.get_by_test_id("session-items")).to_contain_text(str(i))

    # cspl sees the whole council: the three voted in the meeting, so they attend.
    switch_user(page, "cspl")
    page.goto(session_url)
    expect(page.get_by_test_id("member-status")).to_have_text(["Có mặt"] * 3)
    expect(page.get_by_test_id("quorum")).to_contain_text("3/3")
    expect(page.get_by_test_id("quorum")).to_contain_text("Đủ số thành viên")
    shot(page, "06b-session-members")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "06b-session-members")
    page.set_viewport_size({"width": 1280, "height": 900})
    # cspl closes the session and issues the decision.
    page.get_by_test_id("session-close").click()
    page.get_by_test_id("confirm-yes").click()  # the page said what closing does
    expect(page.get_by_test_id("item-result")).to_have_text("Hội đồng đã duyệt")
    expect(page.get_by_test_id("count-approve")).to_have_text("3")
    expect(page.get_by_test_id("item-percent")).to_contain_text("3/3")
    shot(page, "07-session-closed")
    minutes_url = page.get_by_test_id("minutes-pdf").get_attribute("href")
    response = page.context.request.get(minutes_url)
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    minutes = normal(" ".join(p.extract_text() for p in reader.pages))
    assert "BIÊN BẢN" in minutes and "Trần Thị Lan" in minutes and "Đạt" in minutes
    page.get_by_test_id("decision-create").click()
    form = page.get_by_test_id("decision-form")
    form.locator("#id_number").fill("45")
    form.locator("#id_signer_name").fill("Lê Đình Việt")
    expect(form.get_by_label(re.compile("Trần Thị Lan"))).to_be_checked()
    shot(page, "08-decision-form")
    page.get_by_test_id("decision-issue").click()
    expect(page.get_by_test_id("confirm-affected")).to_contain_text("Trần Thị Lan")
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("decision-title")).to_have_text("Quyết định số 45/QĐ-LĐLĐ")
    shot(page, "09-decision")
    decision = Decision.objects.get()

    with page.expect_download() as decision_info:
        page.get_by_test_id("decision-pdf-download").click()
    assert decision_info.value.suggested_filename == f"quyet-dinh-45-QD-LDLD-{today.year}.pdf"
    reader, text = pdf_text(decision_info.value, tmp_path, "decision.pdf")
    for expected in (
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH",
        "Số: 45/QĐ-LĐLĐ",
        f"Ninh Bình, {vietnamese_date(today)}",
        "QUYẾT ĐỊNH",
        "Điều 1. Tặng Bằng khen của Ban Chấp hành LĐLĐ tỉnh cho 01 cá nhân",
        "Trần Thị Lan",
        "Tổ trưởng sản xuất, Công đoàn cơ sở Alpha Đông Á",
        "TM. BAN THƯỜNG VỤ",
        "Lê Đình Việt",
    ):
        assert normal(expected) in text, expected

    with page.expect_download() as cert_info:
        page.get_by_test_id("certificate-download").first.click()
    reader, text = pdf_text(cert_info.value, tmp_path, "certificate.pdf")
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width > height  # landscape
    for expected in (
        "BẰNG KHEN",
        "Bà Trần Thị Lan",
        "Tổ trưởng sản xuất, Công đoàn cơ sở Alpha Đông Á",
        "vận động 100% đoàn viên tham gia phong trào Lao động giỏi",
        f"Quyết định số 45/QĐ-LĐLĐ, {vietnamese_date(today)}",
    ):
        assert normal(expected) in text, expected

    # cdcs1 sees the award in the history.
    switch_user(page, "cdcs1")
    page.goto("/awards/history/?q=tran thi lan")
    expect(page.get_by_test_id("history-row")).to_have_count(1)
    expect(page.get_by_test_id("history-row")).to_contain_text("45/QĐ-LĐLĐ")
    assert decision.nominations.get() == nomination


def _check(page, name, problems, errors):
    problems.extend(f"{name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS))
    problems.extend(axe_problems(page, name))
    problems.extend(f"{name}: {e}" for e in errors)
    errors.clear()
    shot(page, f"page-{name}")


def test_every_commendation_page_fits_a_desktop_and_a_phone(browser, live_server, transactional_db):
    """The demo data, every page, both widths."""
    from django.core.management import call_command

    from awards.models import CouncilSession, ExemplaryModel

    call_command("seed_demo", stdout=io.StringIO())
    nomination = Nomination.objects.filter(decision__isnull=False).first()
    in_review = Nomination.objects.filter(status="submitted").first()
    session = CouncilSession.objects.first()
    decision = Decision.objects.first()
    model = ExemplaryModel.objects.filter(status="published").first()
    pages = {
        "cspl": [
            ("nominations", "/awards/"),
            ("nomination", nomination.get_absolute_url()),
            ("nomination-review", in_review.get_absolute_url()),
            ("nomination-history", f"/awards/{nomination.pk}/history/"),
            ("council", "/awards/council/"),
            ("session-new", "/awards/council/new/"),
            ("session", session.get_absolute_url()),
            ("decisions", "/awards/decisions/"),
            ("decision", decision.get_absolute_url()),
            ("decision-new", f"/awards/decisions/new/?award={decision.award_type_id}"),
            ("history", "/awards/history/?q=tran"),
            ("models", "/awards/models/"),
            ("model", model.get_absolute_url()),
            ("plaques", "/awards/plaques/"),
            ("catalogue", "/awards/catalogue/"),
        ],
        "cdcs1": [
            ("nomination-new", "/awards/new/"),
            ("model-new", "/awards/models/new/"),
        ],
        None: [
            ("gallery", "/awards/gallery/"),
            ("gallery-item", model.get_public_url()),
        ],
    }
    problems = []
    for size_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        for username, visits in pages.items():
            context = browser.new_context(
                base_url=live_server.url, viewport=viewport, locale="vi-VN", reduced_motion="reduce"
            )
            page = context.new_page()
            page.set_default_timeout(10_000)
            errors = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(f"script error: {exc}"))
            page.on(
                "console",
                lambda msg, errors=errors: (
                    errors.append(f"console: {msg.text}") if msg.type == "error" else None
                ),
            )
            if username:
                login(page, username)
            for name, url in visits:
                response = page.goto(url)
                if response.status != 200:
                    problems.append(f"{name} ({size_name}): HTTP {response.status}")
                _check(page, f"{name}-{size_name}", problems, errors)
            context.close()
    assert not problems, "\n".join(problems)
