"""The pages of the phase reports: the officer's form with its refusals next to the fields and
its files, the review, the receiving department's inbox, the dashboard, its spreadsheet and the
summary PDF, the configuration of indicators; the sibling sees nothing; query counts stay
constant whatever the number of units."""

import io
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from emulation.workflow import ReviewStatus
from federation.models import Organization, Role
from registrations.models import Registration
from registrations.rollups.rebuilding import rebuild
from reports import rollups
from reports.content import achieved_field, indicator_field
from reports.models import Attachment, Indicator, IndicatorValue, PhaseReport
from tests.factories import bulk_units, make_member
from tests.i18n import english_texts
from tests.reports.conftest import full_data, pdf_bytes, phase, register

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def text_of(response) -> str:
    return " ".join(unicodedata.normalize("NFC", response.content.decode()).split())


def pdf_text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(unicodedata.normalize("NFC", out.stdout.decode()).split())


def form_post(campaign, data, *, action="save", version=None, registration_version=None):
    """What the browser posts for ``data`` in the shape the services take."""
    post = {"action": action, "narrative": data["narrative"]}
    if version is not None:
        post["version"] = str(version)
    if registration_version is not None:
        post["registration_version"] = str(registration_version)
    for theme_id, item in data["themes"].items():
        post[f"theme-{theme_id}-done"] = item["done"]
        for position, value in item["targets"].items():
            post[achieved_field(theme_id, position)] = value
    for indicator_id, value in data["indicators"].items():
        post[indicator_field(indicator_id)] = value
    return post


def unit_url(campaign, unit, number=1):
    return url("unit", campaign.pk, phase(campaign, number).pk, unit.pk)


def form_url(campaign, unit, number=1):
    return url("form", campaign.pk, phase(campaign, number).pk, unit.pk)


# ---------------------------------------------------------------------------------------------
# The officer.


def test_officer_fills_saves_and_submits(world, registered, client_for):
    client = client_for(world.officer_a)
    page = client.get(form_url(registered, world.unit_a))
    assert page.status_code == 200
    body = text_of(page)
    assert "Sáng kiến, cải tiến kỹ thuật" in body and "Giá trị làm lợi" in body
    assert "Điển hình tiên tiến được phát hiện" in body

    data = full_data(registered)
    response = client.post(form_url(registered, world.unit_a), form_post(registered, data))
    assert response.status_code == 302
    report = PhaseReport.objects.get()
    assert report.status == ReviewStatus.DRAFT
    response = client.post(
        form_url(registered, world.unit_a),
        form_post(registered, data, action="submit", version=report.version),
    )
    assert response.status_code == 302
    assert response["Location"] == unit_url(registered, world.unit_a)
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED
    assert report.get_absolute_url() == unit_url(registered, world.unit_a)
    page = client.get(unit_url(registered, world.unit_a))
    assert "Chờ duyệt" in text_of(page)
    # Once sent, the form sends the officer back to the report.
    assert client.get(form_url(registered, world.unit_a)).status_code == 302


def test_bad_values_are_shown_next_to_their_fields_and_nothing_is_saved(
    world, registered, client_for
):
    client = client_for(world.officer_a)
    theme = registered.themes.order_by("number").first()
    indicator = Indicator.objects.filter(campaign=registered).first()
    data = full_data(registered)
    data["themes"][theme.pk]["targets"][0] = "-2"
    data["indicators"][indicator.pk] = "nhiều"
    response = client.post(form_url(registered, world.unit_a), form_post(registered, data))
    assert response.status_code == 200
    body = text_of(response)
    assert "Chưa lưu gì" in body
    assert (
        f'name="{achieved_field(theme.pk, 0)}" id="{achieved_field(theme.pk, 0)}" value="-2"'
        in (body)
    )
    assert 'value="nhiều"' in body
    assert body.count("is-invalid") >= 2
    assert not PhaseReport.objects.exists()


def test_an_incomplete_report_is_saved_but_not_sent(world, registered, client_for):
    client = client_for(world.officer_a)
    data = full_data(registered)
    data["narrative"] = ""
    response = client.post(
        form_url(registered, world.unit_a), form_post(registered, data, action="submit")
    )
    assert response.status_code == 200
    assert 'data-testid="missing"' in response.content.decode()
    assert PhaseReport.objects.get().status == ReviewStatus.DRAFT


def test_without_an_approved_registration_the_form_says_why(world, campaign, client_for):
    register(campaign, world.unit_a, world.officer_a, world.leader, approve=False)
    client = client_for(world.officer_a)
    response = client.get(form_url(campaign, world.unit_a))
    assert response.status_code == 200
    assert 'data-testid="refusal"' in response.content.decode()
    response = client.post(form_url(campaign, world.unit_a), {"narrative": "x"})
    assert 'data-testid="refusal"' in response.content.decode()
    assert not PhaseReport.objects.exists()
    page = client.get(unit_url(campaign, world.unit_a))
    assert 'data-testid="rep-edit"' not in page.content.decode()


def test_files_are_attached_from_the_form_and_served_only_to_who_may_read(
    world, registered, client_for
):
    client = client_for(world.officer_a)
    post = form_post(registered, full_data(registered))
    post["attachments"] = [
        SimpleUploadedFile("bien-ban-alpha.pdf", pdf_bytes("Alpha"), "application/pdf")
    ]
    assert client.post(form_url(registered, world.unit_a), post).status_code == 302
    record = Attachment.objects.get()
    file_url = url("attachment", record.report_id, record.pk)
    for person in (world.officer_a, world.leader, world.staff, world.admin):
        response = client_for(person).get(file_url)
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response).startswith(b"%PDF-")
        assert "bien-ban-alpha.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.officer_b).get(file_url).status_code == 404
    # Another report's id with this file's id finds nothing.
    other = PhaseReport.objects.create(
        campaign=registered, phase=phase(registered, 2), organization=world.unit_a
    )
    assert client_for(world.officer_a).get(url("attachment", other.pk, record.pk)).status_code == (
        404
    )
    # The media URL serves nothing.
    assert client_for(world.officer_a).get("/media/" + record.file.name).status_code == 404


def test_a_file_whose_content_is_not_what_its_name_says_is_refused_on_the_form(
    world, registered, client_for
):
    client = client_for(world.officer_a)
    post = form_post(registered, full_data(registered))
    post["attachments"] = [SimpleUploadedFile("bang.xlsx", pdf_bytes(), "application/pdf")]
    response = client.post(form_url(registered, world.unit_a), post)
    assert response.status_code == 200
    assert "bang.xlsx" in text_of(response)
    assert not PhaseReport.objects.exists()


# ---------------------------------------------------------------------------------------------
# The reviewer and the receiving department.


def test_the_leader_accepts_or_returns_from_the_report_page(world, make_report, client_for):
    report = make_report("submitted")
    page = client_for(world.leader).get(unit_url(report.campaign, world.unit_a))
    assert 'data-testid="review-panel"' in page.content.decode()
    assert 'data-testid="rep-receive"' not in page.content.decode()
    response = client_for(world.leader).post(
        url("return", report.pk), {"comment": "", "version": report.version}
    )
    assert response.status_code == 200  # the comment is required: the page says it
    client_for(world.leader).post(
        url("return", report.pk), {"comment": "Bổ sung ảnh.", "version": report.version}
    )
    report.refresh_from_db()
    assert report.status == ReviewStatus.RETURNED
    page = client_for(world.officer_a).get(form_url(report.campaign, world.unit_a))
    assert "Bổ sung ảnh." in text_of(page)
    # The sibling may neither review nor see.
    assert client_for(world.officer_b).post(url("approve", report.pk)).status_code == 404


def test_the_inbox_receives_and_accepts_what_reached_the_province(world, make_report, client_for):
    officer_p = world.district.memberships.get(role=Role.OFFICER).user
    report = make_report("submitted", unit=world.district, officer=officer_p)
    make_report("submitted")  # unit A's: reviewed by the district
    staff = client_for(world.staff)
    inbox = staff.get(url("inbox", report.campaign.pk))
    assert inbox.status_code == 200
    body = inbox.content.decode()
    assert body.count('data-testid="inbox-row"') == 1
    assert 'data-unit="NB-P"' in body
    staff.post(url("receive", report.pk), {"version": report.version})
    report.refresh_from_db()
    assert report.received_by == world.staff
    inbox = staff.get(url("inbox", report.campaign.pk) + "?mark=received")
    assert inbox.content.decode().count('data-testid="inbox-row"') == 1
    staff.post(url("approve", report.pk), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReviewStatus.APPROVED
    assert client_for(world.leader).get(url("inbox", report.campaign.pk)).status_code == 403


def test_history_lists_every_step(world, make_report, client_for):
    report = make_report("approved", reviewer=world.leader)
    body = text_of(client_for(world.officer_a).get(url("history", report.pk)))
    for action in ("report-save", "submit", "approve"):
        from emulation.audit import action_label

        assert str(action_label(action)) in body


# ---------------------------------------------------------------------------------------------
# The dashboard, its spreadsheet, the roll-up and the summary.


def _seed_reports(world, campaign):
    """Reports of A (accepted), B (awaiting review) and C (accepted)."""
    from reports.services.drafts import report_save_draft
    from reports.services.transitions import report_approve, report_submit
    from tests.reports.conftest import full_data as data_of

    for unit, officer, figures, final in (
        (world.unit_a, world.officer_a, (3, 1000000, 1, 100, 2), "approve"),
        (world.unit_b, world.officer_b, (2, 500000, 0, 60, 1), None),
        (world.unit_c, world.admin, (5, 2000000, 2, 30, 0), "approve"),
    ):
        report = report_save_draft(
            campaign=campaign,
            phase=phase(campaign, 1),
            organization=unit,
            by=officer,
            data=data_of(campaign, indicators=figures),
        )
        report = report_submit(report, by=officer)
        if final:
            report_approve(report, by=world.staff)


def test_dashboard_shows_progress_results_themes_and_dates(world, registered, client_for):
    _seed_reports(world, registered)
    response = client_for(world.staff).get(url("dashboard", registered.pk, world.province.pk))
    assert response.status_code == 200
    body = text_of(response)
    assert 'data-testid="progress-row" data-unit="NB-P"' in body
    assert 'data-testid="results-row" data-unit="NB-Q"' in body
    assert 'id="chart-themes-data"' in body and "<script src=" in body
    assert "<script>" not in body  # no inline script: the CSP forbids it
    # Filters: the grassroots unions only, phase 2.
    response = client_for(world.staff).get(
        url("dashboard", registered.pk, world.province.pk)
        + f"?kind=grassroots&phase={phase(registered, 2).pk}"
    )
    assert response.status_code == 200
    # A leader reads his branch, not the province; the sibling officer neither.
    assert (
        client_for(world.leader).get(url("dashboard", registered.pk, world.district.pk)).status_code
        == 200
    )
    assert (
        client_for(world.leader).get(url("dashboard", registered.pk, world.province.pk)).status_code
        == 404
    )
    assert (
        client_for(world.officer_a)
        .get(url("dashboard", registered.pk, world.district.pk))
        .status_code
        == 404
    )


def test_dashboard_drill_links_keep_every_filter(world, registered, client_for):
    """A branch's link keeps the filters, each ``&`` written once as ``&amp;``."""
    _seed_reports(world, registered)
    second = phase(registered, 2).pk
    response = client_for(world.staff).get(
        url("dashboard", registered.pk, world.province.pk)
        + f"?phase={second}&kind=grassroots&scope=sent"
    )
    body = response.content.decode()
    drill = (
        f'href="{url("dashboard", registered.pk, world.district.pk)}'
        f'?phase={second}&amp;kind=grassroots&amp;scope=sent" data-testid="drill"'
    )
    assert drill in body
    assert "&amp;amp;" not in body


def test_dashboard_without_indicators_or_deadline(world, registered, client_for):
    """A campaign counting no common indicator, a phase without a report deadline: the
    dashboard says so instead of an empty table or an overdue list."""
    Indicator.objects.filter(campaign=registered).delete()
    registered.phases.update(report_deadline=None)
    response = client_for(world.staff).get(url("dashboard", registered.pk, world.province.pk))
    body = text_of(response)
    assert response.status_code == 200
    assert "Phong trào chưa có chỉ tiêu chung." in body
    assert "Đợt này không quy định hạn báo cáo." in body
    assert 'data-testid="phases-table"' not in body
    assert 'data-testid="overdue-table"' not in body


def test_dashboard_speaks_vietnamese(world, registered, client_for):
    """No text of the dashboard is left in English."""
    _seed_reports(world, registered)
    body = text_of(client_for(world.staff).get(url("dashboard", registered.pk, world.province.pk)))
    assert english_texts(body) == []
    for label in ("Đơn vị tham gia", "Tiến độ theo đơn vị", "Hạn và mốc sắp tới", "Xem"):
        assert label in body


def test_dashboard_spreadsheet_holds_every_table(world, registered, client_for):
    _seed_reports(world, registered)
    response = client_for(world.staff).get(url("dashboard-xlsx", registered.pk, world.province.pk))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tiến độ",
        "Kết quả theo đơn vị",
        "Chỉ tiêu đăng ký",
        "Quá hạn",
        "Nội dung thi đua",
        "Chỉ tiêu theo đợt",
        "Hạn và mốc",
    ]
    for sheet in book.worksheets:  # five rows of title, then the column titles, kept in view
        assert sheet.freeze_panes == "A7", sheet.title
        assert sheet["A6"].font.b and sheet["A6"].value, sheet.title
    money = next(
        row for row in book["Kết quả theo đơn vị"].iter_rows() if row[0].value == "Tổng cộng"
    )
    assert money[3].value == 3000000 and money[3].number_format == "#,##0"
    results = list(book["Kết quả theo đơn vị"].iter_rows(values_only=True))
    rows = {row[0]: row for row in results if row and row[0]}
    assert rows["Liên đoàn Lao động huyện Phượng"][1:4] == (1, 3, 1000000)
    assert rows["Liên đoàn Lao động huyện Quế"][1:4] == (1, 5, 2000000)
    assert rows["Tổng cộng"][1:4] == (2, 8, 3000000)
    themes = {
        row[1]: row[2]
        for row in book["Nội dung thi đua"].iter_rows(values_only=True)
        if row and isinstance(row[0], int)
    }
    assert themes["Lao động giỏi, Lao động sáng tạo"] == 4
    one = client_for(world.staff).get(
        url("dashboard-xlsx", registered.pk, world.province.pk) + "?table=overdue"
    )
    assert load_workbook(io.BytesIO(one.content)).sheetnames == ["Quá hạn"]


def test_rollup_page_drills_down(world, registered, client_for):
    _seed_reports(world, registered)
    first = phase(registered, 1)
    body = text_of(
        client_for(world.staff).get(url("rollup", registered.pk, first.pk, world.province.pk))
    )
    assert reverse("reports:rollup", args=[registered.pk, first.pk, world.district.pk]) in body
    body = text_of(
        client_for(world.staff).get(
            url("rollup", registered.pk, first.pk, world.district.pk) + "?scope=sent"
        )
    )
    assert "Alpha Đông Á" in body and "Bêta Nam Việt" in body


def test_summary_pdf_in_the_official_layout(world, registered, client_for):
    _seed_reports(world, registered)
    first = phase(registered, 1)
    response = client_for(world.staff).get(
        url("summary-pdf", registered.pk, first.pk, world.province.pk)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH",
        "BÁO CÁO",
        "Tổng hợp kết quả phong trào thi đua Đợt 1",
        "I. TÌNH HÌNH BÁO CÁO SƠ KẾT",
        "II. KẾT QUẢ CÁC CHỈ TIÊU CHUNG",
        "III. KẾT QUẢ THỰC HIỆN NỘI DUNG ĐĂNG KÝ",
        "PHỤ LỤC",
        "Liên đoàn Lao động huyện Phượng",
        "3.000.000",
        "Nơi nhận",
    ):
        assert words in text, words


# ---------------------------------------------------------------------------------------------
# Configuration.


def test_staff_configure_indicators_and_reporting_dates(world, campaign, client_for):
    staff = client_for(world.staff)
    page = staff.get(url("indicators", campaign.pk))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="indicator-item"') == 5
    response = staff.post(
        url("indicators", campaign.pk), {"name": "Sáng kiến, cải tiến kỹ thuật", "unit": "x"}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    staff.post(
        url("indicators", campaign.pk),
        {"name": "Lượt đoàn viên được thăm hỏi", "unit": "lượt", "whole_numbers": "on"},
    )
    indicator = Indicator.objects.get(name="Lượt đoàn viên được thăm hỏi")
    staff.post(
        url("indicator-edit", campaign.pk, indicator.pk), {"name": "Lượt thăm hỏi", "unit": "lượt"}
    )
    indicator.refresh_from_db()
    assert indicator.name == "Lượt thăm hỏi" and not indicator.whole_numbers
    staff.post(url("indicator-delete", campaign.pk, indicator.pk))
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    first = phase(campaign, 1)
    response = staff.post(
        url("opening", campaign.pk, first.pk), {"opens_on": f"01/06/{campaign.year}"}
    )
    assert response.status_code == 302
    assert first.reporting.opens_on.month == 6
    assert client_for(world.leader).get(url("indicators", campaign.pk)).status_code == 403


def test_start_page(world, make_report, client_for):
    make_report("submitted")
    body = text_of(client_for(world.officer_a).get(url("index")))
    assert "Alpha Đông Á" in body and "Chờ duyệt" in body
    body = client_for(world.staff).get(url("index")).content.decode()
    assert 'data-testid="inbox-link"' in body and 'data-testid="dashboard-link"' in body


# ---------------------------------------------------------------------------------------------
# Constant numbers of queries.


def _bulk_reports(campaign, units, indicators):
    """Approved registrations and reports in every state, written in bulk, for many units."""
    registrations = Registration.objects.bulk_create(
        [Registration(campaign=campaign, organization=u, status="approved") for u in units]
    )
    del registrations
    statuses = ["draft", "submitted", "returned", "approved", "approved"]
    reports = PhaseReport.objects.bulk_create(
        [
            PhaseReport(
                campaign=campaign,
                phase=phase(campaign, 1),
                organization=u,
                status=statuses[i % len(statuses)],
            )
            for i, u in enumerate(units)
            if i % 6
        ]
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(report=r, indicator=i, value=Decimal(r.pk % 7))
            for r in reports
            for i in indicators
        ]
    )
    rebuild(campaign)
    rollups.rebuild(campaign)


def _count(client, address, *, cold=True) -> int:
    """The queries of one request; ``cold``: with an empty cache (the dashboard computed)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


def test_dashboard_keeps_a_constant_number_of_queries(world, registered, client_for):
    indicators = list(Indicator.objects.filter(campaign=registered))
    bulk_units("NB-P", 10, "NB-P-X")
    bulk_units("NB-Q", 500, "NB-Q-Y")
    _bulk_reports(
        registered, list(Organization.objects.filter(code__startswith="NB-P-X")), indicators
    )
    _bulk_reports(
        registered, list(Organization.objects.filter(code__startswith="NB-Q-Y")), indicators
    )
    _seed_reports(world, registered)
    leader_q = make_member(world.district_q, Role.LEADER, "leader_q")
    first = phase(registered, 1).pk

    pages = {
        "dashboard": lambda unit: url("dashboard", registered.pk, unit.pk),
        "dashboard?page=2": lambda unit: url("dashboard", registered.pk, unit.pk) + "?page=2",
        "dashboard?q": lambda unit: url("dashboard", registered.pk, unit.pk) + "?q=so+1",
        "dashboard-xlsx": lambda unit: url("dashboard-xlsx", registered.pk, unit.pk),
        "rollup": lambda unit: url("rollup", registered.pk, first, unit.pk),
        "rollup?page=2": lambda unit: url("rollup", registered.pk, first, unit.pk) + "?page=2",
        "rollup?q": lambda unit: (
            url("rollup", registered.pk, first, unit.pk) + "?scope=sent&q=so+1"
        ),
        "queue": lambda unit: url("queue", registered.pk, first, unit.pk),
        "summary-pdf": lambda unit: url("summary-pdf", registered.pk, first, unit.pk),
    }
    small = client_for(world.leader)  # 10 + 2 units below district P
    ten = {name: _count(small, page(world.district)) for name, page in pages.items()}
    large = client_for(leader_q)  # 500 + 1 units below district Q
    five_hundred = {name: _count(large, page(world.district_q)) for name, page in pages.items()}
    assert ten == five_hundred
    # Computed: the session, the person, the campaign (with its figures' version), their
    # roles, the unit; the plan (themes, phases with their reporting dates, milestones), the
    # indicators, the number of children and the page of them, the counters of units, reports
    # and registrations per branch, the indicator sums, the themes chosen; the breadcrumb and
    # the two queries of base.html's menu (Django's own permissions). The same on any page of
    # the branches and with a search.
    assert ten["dashboard"] == ten["dashboard?page=2"] == ten["dashboard?q"] == 19
    assert ten["rollup"] == ten["rollup?page=2"] == ten["rollup?q"]
    # 501 children below district Q: eleven pages of them; its own row on the first.
    board = large.get(pages["dashboard"](world.district_q)).content.decode()
    assert board.count('data-testid="progress-row"') == 51
    assert 'data-testid="progress-row" data-unit="NB-Q"' in board
    board = large.get(pages["dashboard?page=2"](world.district_q)).content.decode()
    assert board.count('data-testid="progress-row"') == 50
    assert 'data-testid="progress-row" data-unit="NB-Q"' not in board
    # Seen again with nothing changed, the body comes from the cache: no figure is read.
    small = client_for(world.leader)
    small.get(pages["dashboard"](world.district))
    assert _count(small, pages["dashboard"](world.district), cold=False) == 8
    # The whole province (512 units below two districts), read by its staff: no more.
    staff = client_for(world.staff)
    assert _count(staff, pages["dashboard"](world.province)) <= ten["dashboard"]
    with CaptureQueriesContext(connection):
        response = staff.get(
            url("dashboard", registered.pk, world.province.pk) + "?kind=grassroots"
        )
    assert response.status_code == 200
    # Past the deadline: the extensions still running per branch and the first late units
    # (those due on the deadline along the tree's order, those whose extension ran out by
    # its day: two queries), one with an extension run out on the large side only.
    import datetime as dt

    from django.utils import timezone

    from campaigns.models import Phase
    from reports.models import ReportExtension

    today = timezone.localdate()
    Phase.objects.filter(pk=first).update(report_deadline=today - dt.timedelta(days=3))
    ReportExtension.objects.create(
        phase_id=first,
        organization=Organization.objects.filter(code__startswith="NB-Q-Y").last(),
        until=today - dt.timedelta(days=1),
    )
    late = {
        size: _count(client_for(leader), pages["dashboard"](unit) + f"?phase={first}")
        for size, leader, unit in (
            (10, world.leader, world.district),
            (500, leader_q, world.district_q),
        )
    }
    board = client_for(leader_q).get(pages["dashboard"](world.district_q) + f"?phase={first}")
    assert 'data-testid="overdue-table"' in board.content.decode()
    assert late[10] == late[500] == ten["dashboard"] + 3


def test_dashboard_and_rollup_page_their_branches(world, registered, client_for):
    """Above 50 units directly below, the dashboard and the roll-up show them 50 at a time:
    the unit's own row on the first page, computed as on one page (its whole less every
    child, those of the other pages too); the totals of the whole branch on every page; a
    search by name; links that keep the validated filters; late units named with their
    branch whatever its page; each page's body cached under its number."""
    import datetime as dt

    from django.utils import timezone

    from campaigns.models import Phase
    from registrations.selectors.summary import BranchPaging
    from reports.selectors.progress import rollup

    indicators = list(Indicator.objects.filter(campaign=registered))
    bulk_units("NB-P", 118, "NB-P-X")  # with A and B: 120 children
    _bulk_reports(
        registered, list(Organization.objects.filter(code__startswith="NB-P-X")), indicators
    )
    _seed_reports(world, registered)
    first = phase(registered, 1)
    today = timezone.localdate()
    Phase.objects.filter(pk=first.pk).update(report_deadline=today - dt.timedelta(days=1))
    first.refresh_from_db()
    district = Organization.objects.get(pk=world.district.pk)
    # The district's own row: the same whether the branches are paged or not.
    for kind, scope in (("", "approved"), ("grassroots", "sent"), ("local", "sent")):
        whole = rollup(registered, first, district, kind=kind, scope=scope, today=today)
        paged = rollup(
            registered, first, district, kind=kind, scope=scope, today=today, paging=BranchPaging()
        )
        assert len(whole.rows) == 121 and len(paged.rows) == 51
        assert paged.rows[0].is_self and whole.rows[0].is_self
        for one, other in ((paged.rows[0], whole.rows[0]), (paged, whole)):
            assert one.registration.counts == other.registration.counts
            assert one.report.counts == other.report.counts
        assert paged.rows[0].totals == whole.rows[0].totals
        assert paged.totals == whole.totals
        assert [r.values for r in paged.rows[1:]] == [r.values for r in whole.rows[1:51]]
    whole = rollup(registered, first, district, today=today)
    last = rollup(registered, first, district, today=today, paging=BranchPaging(number=3))
    assert [r.unit.code for r in last.rows] == [r.unit.code for r in whole.rows[101:]]
    assert last.totals == whole.totals and last.report.counts == whole.report.counts

    client = client_for(world.leader)
    address = url("dashboard", registered.pk, district.pk)

    def rows(body, table="progress"):
        return body.count(f'data-testid="{table}-row"')

    body = client.get(address).content.decode()
    assert rows(body) == rows(body, "results") == 51
    assert 'data-testid="branch-search"' in body
    assert 'href="?page=2#branches"' in body and 'href="?page=2#results"' in body
    # The last page, asked beyond it, is kept under its own number.
    cache.clear()
    on = f"?phase={first.pk}&kind=grassroots"
    body = client.get(address + on + "&page=99").content.decode()
    assert rows(body) == 20 and 'data-unit="NB-P"' not in body.split("overdue-table")[0]
    assert f'href="?phase={first.pk}&amp;kind=grassroots&amp;page=2#branches"' in body
    assert _count(client, address + on + "&page=3", cold=False) == 8
    assert _count(client, address + on + "&page=99", cold=False) > 8
    # The late units of the first page, named with their branch on the last.
    late = body.split('data-testid="overdue-table"')[1].split("</table>")[0]
    assert "Công đoàn cơ sở NB-P-X số 0</a></td>" in late  # the unit
    assert '">Công đoàn cơ sở NB-P-X số 0</td>' in late  # its branch: itself
    # A search: accents and case ignored, the filters kept, never cached, escaped.
    body = client.get(address + "?scope=sent&q=S%E1%BB%91+11&page=1").content.decode()
    assert rows(body) == 9  # số 11 and số 110 to 117
    assert 'name="scope" value="sent"' in body and 'value="Số 11"' in body
    body = client.get(address + "?q=%3Cb%3Ezzz").content.decode()
    assert rows(body) == 0 and "<b>zzz" not in body and "&lt;b&gt;zzz" in body
    assert english_texts(body) == []
    searched = address + "?q=so+11"
    assert _count(client, searched) == _count(client, searched, cold=False)  # computed again
    # The roll-up: the same pages and search.
    rollup = url("rollup", registered.pk, first.pk, district.pk)
    body = client.get(rollup + "?kind=grassroots&page=2").content.decode()
    assert rows(body, "results") == 50
    assert 'href="?kind=grassroots&amp;page=3#branches"' in body
    assert 'href="?kind=grassroots&amp;page=1#branches"' in body
    body = client.get(rollup + "?q=s%E1%BB%91+117").content.decode()
    assert rows(body, "results") == 1 and 'data-unit="NB-P-X00117"' in body
    assert english_texts(body) == []
    # The documents hold every branch.
    pdf = client.get(url("summary-pdf", registered.pk, first.pk, district.pk))
    assert "NB-P-X số 117" in pdf_text(pdf.content)
    book = load_workbook(
        io.BytesIO(client.get(url("dashboard-xlsx", registered.pk, district.pk)).content)
    )
    names = {row[0] for row in book["Kết quả theo đơn vị"].iter_rows(values_only=True)}
    assert "Công đoàn cơ sở NB-P-X số 117" in names and "Công đoàn cơ sở NB-P-X số 0" in names


def test_the_cached_dashboard_follows_every_change(world, make_report, client_for):
    """The page body is cached under the campaign's figures version, which the services count
    up in the transaction of every change: a report accepted in between shows at once."""
    report = make_report("submitted")
    staff = client_for(world.staff)
    address = url("dashboard", report.campaign.pk, world.district.pk)

    def main(response):
        return text_of(response).split("<main")[1].split("</main>")[0]

    first = main(staff.get(address))
    assert first == main(staff.get(address))  # the same body, from the cache
    from reports.services.transitions import report_approve

    report_approve(report, by=world.leader)
    again = main(staff.get(address))
    assert again != first
    row = again.split('data-testid="results-row" data-unit="NB-P-A"')[1].split("</tr>")[0]
    assert "1/1" in row and ">3<" in row
    # Each language has its own body.
    from django.conf import settings

    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = main(staff.get(address))
    assert "Approved" in english and "Đã duyệt" not in english
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert main(staff.get(address)) == again


def test_the_dashboard_links_carry_only_validated_filters(world, registered, client_for):
    """A filter out of its choices resets them all, as the filter form does: neither the
    figures, nor the links, nor the cache key take what was typed, so nothing of it reaches a
    later reader of the same body."""
    _seed_reports(world, registered)
    staff = client_for(world.staff)
    address = url("dashboard", registered.pk, world.province.pk)
    for query in ("?kind=EVIL%22%3E&scope=sent", "?phase=999999&kind=grassroots", "?phase=abc"):
        body = staff.get(address + query).content.decode().split("<main")[1].split("</main>")[0]
        assert "EVIL" not in body and "999999" not in body and "abc" not in body
        assert 'href="' + url("dashboard", registered.pk, world.district.pk) + '"' in body
    # The same body as without filters, from the cache: only the version is read again.
    cold = _count(staff, address)
    assert _count(staff, address + "?kind=EVIL", cold=False) < cold
    body = staff.get(address).content.decode()
    assert "EVIL" not in body
    # A phase of another campaign is no phase of this one.
    from campaigns.models import Campaign, Phase

    other = Campaign.objects.create(issuer=world.district, year=registered.year, slug="khac")
    first = phase(registered, 1)
    foreign = Phase.objects.create(
        campaign=other, name="Đợt 1", start=first.start, end=first.end
    ).pk
    body = staff.get(address + f"?phase={foreign}").content.decode()
    assert f"phase={foreign}" not in body.split("<main")[1].split("</main>")[0]


def test_a_change_made_while_the_dashboard_is_computed_shows_on_the_next_view(
    world, make_report, client_for, monkeypatch
):
    """The figures' version is read with the campaign, before any figure: a report accepted
    after the figures were read (and before the body is cached) counts the version up, so the
    body computed with the older figures is never read again."""
    from reports.services.transitions import report_approve
    from reports.views import figures

    report = make_report("submitted")
    staff = client_for(world.staff)
    address = url("dashboard", report.campaign.pk, world.district.pk)
    render = figures.render_to_string

    def accept_then_render(*args, **kwargs):
        report_approve(report, by=world.leader)
        return render(*args, **kwargs)

    monkeypatch.setattr(figures, "render_to_string", accept_then_render)
    before = text_of(staff.get(address))
    monkeypatch.undo()
    row = before.split('data-testid="results-row" data-unit="NB-P-A"')[1].split("</tr>")[0]
    assert "0/1" in row  # computed before the report was accepted
    after = text_of(staff.get(address))
    row = after.split('data-testid="results-row" data-unit="NB-P-A"')[1].split("</tr>")[0]
    assert "1/1" in row and ">3<" in row
