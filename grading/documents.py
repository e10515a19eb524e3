"""The official PDF of a unit's score sheet (bảng chấm điểm): each criterion with its maximum,
the unit's score and the verified score, the totals and the grade."""

from django.utils import timezone

from emulation.documents import OfficialDocument, render_pdf
from grading import selectors
from grading.services.common import full_sheet


def assessment_pdf(assessment) -> bytes:
    sheet = full_sheet(assessment.sheet_id)
    rows, self_result, verified_result = selectors.sheet_rows(sheet, assessment)
    unit = assessment.organization
    parent = unit.parent_unit()
    day = assessment.reviewed_at or assessment.submitted_at
    doc = OfficialDocument(
        parent_body=(parent.name if parent else "").upper(),
        issuer=unit.name.upper(),
        doc_type="Bảng chấm điểm",
        subject=f"Đánh giá, xếp loại chất lượng hoạt động công đoàn cơ sở năm {sheet.year}",
        date=timezone.localdate(day) if day else None,
        recipients=[*([f"{parent.name};"] if parent else []), "Lưu: VT."],
        signing_authority="TM. BAN CHẤP HÀNH",
        signer_title="CHỦ TỊCH",
    )
    return render_pdf(
        "grading/assessment_pdf.html",
        {
            "doc": doc,
            "assessment": assessment,
            "sheet": sheet,
            "rows": rows,
            "result": self_result,
            "verified": verified_result if assessment.reviewed_at else None,
        },
    )


def branch_pdf(unit, year: int, *, today) -> bytes:
    """The official summary of a branch's grading (báo cáo kết quả đánh giá, xếp loại): the
    published grades per unit directly below and per type of grassroots union, the units not
    graded yet, and the grades of the grassroots unions directly below."""
    page = selectors.branch_page(unit, year, per_page=None)
    parent = unit.parent_unit()
    doc = OfficialDocument(
        parent_body=(parent.name if parent else "").upper(),
        issuer=unit.name.upper(),
        doc_type="Báo cáo",
        subject=(f"Kết quả đánh giá, xếp loại chất lượng hoạt động công đoàn cơ sở năm {year}"),
        date=today,
        recipients=[*([f"{parent.name};"] if parent else []), "Lưu: VT."],
        signing_authority="TM. BAN THƯỜNG VỤ" if parent else "TM. ĐOÀN CHỦ TỊCH",
        signer_title="CHỦ TỊCH",
    )
    graded = [row for row in page.queue if row.assessment and row.assessment.is_published]
    return render_pdf(
        "grading/branch_pdf.html",
        {"doc": doc, "unit": unit, "year": year, "page": page, "graded": graded},
    )
