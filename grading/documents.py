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
