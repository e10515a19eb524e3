"""The official documents' shared layout: a number not given yet stays out of the PDF's title,
and a heading (or the line that leads into a table) never ends a page. Read back with poppler's
pdftotext and pdfinfo, as a reader's tools would."""

import subprocess

import pytest
from django.template import Context, Template
from weasyprint import HTML

from campaigns import documents as campaign_documents
from emulation.documents import (
    BLANK_NUMBER,
    DOCUMENT_BASE_URL,
    OfficialDocument,
    StaticFilesFetcher,
    document_number,
)
from tests.registrations.conftest import make_campaign


def pdf_info(pdf: bytes, tmp_path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        key.strip(): value.strip()
        for key, _colon, value in (line.partition(":") for line in out.stdout.splitlines())
    }


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return [page for page in out.stdout.split("\f") if page.strip()]


def test_a_number_not_given_yet_stays_out_of_the_title():
    blank = OfficialDocument(
        issuer="LĐLĐ TỈNH NINH BÌNH",
        doc_type="BÁO CÁO",
        subject="Tổng hợp đăng ký thi đua năm 2017",
        number=document_number(None, "BC-LĐLĐ"),
    )
    assert blank.number_line == f"Số: {BLANK_NUMBER}/BC-LĐLĐ"  # room to write it by hand
    assert blank.title == "Báo cáo Tổng hợp đăng ký thi đua năm 2017"
    given = OfficialDocument(
        issuer="LĐLĐ TỈNH NINH BÌNH", doc_type="KẾ HOẠCH", subject="Phát động", number="13/KH-LĐLĐ"
    )
    assert given.title == "Kế hoạch 13/KH-LĐLĐ Phát động"


def test_the_plan_of_a_draft_without_number_has_a_clean_title(world, tmp_path):
    campaign = make_campaign(world, activate=False, number=None)
    pdf = campaign_documents.plan_pdf(campaign)
    title = pdf_info(pdf, tmp_path)["Title"]
    assert title == f"Kế hoạch Phát động phong trào thi đua yêu nước năm {campaign.year}"
    assert "\u2003" not in title and "  " not in title
    first = pdf_pages(pdf, tmp_path)[0]
    assert "/KH-LĐLĐ" in first  # the number line keeps its room for the number


DOCUMENT = """{% extends "documents/base.html" %}
{% block style %}table { border-collapse: collapse } td, th { border: 0.6pt solid #000 }
thead { display: table-header-group } tr { break-inside: avoid } {{ extra }}{% endblock %}
{% block body %}{% for i in paragraphs %}<p>Đoạn {{ i }}: nội dung để lấp đầy trang giấy khổ A4
của văn bản.</p>{% endfor %}
<h2>II. KẾT QUẢ CÁC CHỈ TIÊU CHUNG</h2>
<p class="note lead-in">Ghi chú dẫn vào bảng.</p>
<table><thead><tr><th>TT</th><th>Chỉ tiêu</th></tr></thead><tbody>
{% for i in rows %}<tr><td>{{ i }}</td><td>Dòng {{ i }}</td></tr>{% endfor %}
</tbody></table>{% endblock %}
{% block footer %}{% endblock %}"""


def _orphans(extra: str, tmp_path) -> list[int]:
    """The numbers of paragraphs before the heading for which a page ends with the heading or
    its lead-in line."""
    doc = OfficialDocument(issuer="LĐLĐ TỈNH", doc_type="BÁO CÁO", subject="Thử")
    found = []
    for count in range(19, 28):  # the heading reaches the foot of page 1 at 22 to 24
        html = Template(DOCUMENT).render(
            Context({"doc": doc, "paragraphs": range(count), "rows": range(6), "extra": extra})
        )
        pdf = HTML(
            string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=StaticFilesFetcher()
        ).write_pdf()
        for page in pdf_pages(pdf, tmp_path):
            last = [line for line in page.splitlines() if line.strip()][-1]
            if "KẾT QUẢ CÁC CHỈ TIÊU CHUNG" in last or "Ghi chú dẫn vào bảng" in last:
                found.append(count)
    return found


@pytest.mark.parametrize("rule", ["kept", "removed"])
def test_a_heading_never_ends_a_page(rule, tmp_path):
    """Pushed down paragraph by paragraph, the heading and the line that leads into the table
    always go over with the table. Without the layout's rule they would be left at the foot of
    a page for some lengths: the range covers that case."""
    extra = "" if rule == "kept" else "h2, .lead-in { break-after: auto !important; }"
    orphans = _orphans(extra, tmp_path)
    assert (orphans == []) == (rule == "kept"), orphans


def test_every_document_marks_the_lines_leading_into_its_tables():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    for name, line in (
        ("registrations/summary_pdf.html", '<p class="note lead-in">Số liệu tổng hợp'),
        ("reports/summary_pdf.html", '<p class="note lead-in">Số liệu tổng hợp'),
        ("documents/council_minutes.html", '<p class="lead-in">Kết quả kiểm phiếu như sau'),
        ("documents/award_decision.html", '<div class="annex-sub lead-in">'),
        ("registrations/registration_pdf.html", '<p class="theme-heading lead-in">'),
    ):
        assert line in (root / name).read_text(encoding="utf-8"), name
