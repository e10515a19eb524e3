"""The consolidation of a subtree as a spreadsheet (XLSX): the totals per theme, every unit
with its status and the themes it chose, every target, every work registered for a plaque.

Written in openpyxl's write-only mode, row by row from database cursors, so a province of
thousands of units takes a fixed number of queries and little memory. Sheet and column titles
are Vietnamese, as the documents sent up are.
"""

import datetime as dt
import io

from openpyxl import Workbook

from emulation.spreadsheets import XLSX_TYPE as XLSX_TYPE  # the views answer with it
from emulation.spreadsheets import (
    append,
    column_widths,
    date_cell,
    freeze_header,
    header_row,
    number_cell,
)
from federation.models import Organization
from registrations.models import KeyWork, Target
from registrations.selectors.common import STATUS_ORDER, children_of, with_registration
from registrations.selectors.summary import (
    Summary,
    chosen_themes,
    subtree_participants,
    subtree_registrations,
)

STATUS_TEXT = {
    "none": "Chưa đăng ký",
    "draft": "Nháp",
    "submitted": "Chờ duyệt",
    "returned": "Trả lại",
    "approved": "Đã duyệt",
}


def summary_xlsx(summary: Summary, *, today: dt.date) -> bytes:
    campaign, unit = summary.campaign, summary.unit
    themes = summary.themes
    book = Workbook(write_only=True)

    # 1. Totals per theme (the table whose titles stay in view), then the units by status and
    # the works registered for a plaque.
    sheet = book.create_sheet("Tổng hợp")
    column_widths(sheet, [8, 60, 14, 60, 16, 14, 12, 12])
    freeze_header(sheet, row=7)
    append(sheet, [f"TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM {campaign.year}"])
    append(sheet, [unit.name])
    plan = f"Kế hoạch số {campaign.document_number}: " if campaign.document_number else ""
    append(sheet, [f"{plan}{campaign.title}"])
    append(sheet, [f"Ngày lập: {today:%d/%m/%Y}"])
    append(
        sheet,
        [
            "Số liệu tính trên các bản đăng ký "
            + ("đã duyệt" if summary.scope == "approved" else "đã duyệt và chờ duyệt")
        ],
    )
    append(sheet, [])
    header_row(
        sheet,
        ["TT", "Nội dung thi đua", "Số đơn vị đăng ký", "Chỉ tiêu", "Tổng hợp", "Đơn vị tính"]
        + ["Cách tính", "Số đơn vị"],
    )
    for total in themes:
        append(sheet, [total.theme.number, total.theme.title, number_cell(sheet, total.units)])
        for target in total.targets:
            append(
                sheet,
                ["", "", "", target.name, number_cell(sheet, target.value), target.unit]
                + ["Bình quân" if target.is_rate else "Tổng", number_cell(sheet, target.units)],
            )
    append(sheet, [])
    counts = summary.progress.counts
    header_row(sheet, ["", "Tình hình đăng ký", "Số đơn vị"])
    append(sheet, ["", "Tổng số đơn vị", number_cell(sheet, counts.get("total", 0))])
    for status in STATUS_ORDER:
        append(sheet, ["", STATUS_TEXT[status], number_cell(sheet, counts.get(status, 0))])
    append(sheet, ["", "Quá hạn", number_cell(sheet, counts.get("overdue", 0))])
    append(sheet, [])
    works = summary.key_works
    append(
        sheet,
        ["", "Công trình, sản phẩm đăng ký gắn biển", number_cell(sheet, works.get("count") or 0)],
    )
    append(
        sheet,
        ["", "Tổng giá trị dự kiến (triệu đồng)", number_cell(sheet, works.get("value") or 0)],
    )

    # 2. Every unit of the subtree, its status and its themes.
    prefix_length = len(unit.path) + Organization.steplen
    branches = {
        child.path: child.display_name
        for child in children_of(unit).only("path", "name", "short_name")
    }
    sheet = book.create_sheet("Đơn vị")
    column_widths(sheet, [14, 50, 30, 14, 12, 12, *([8] * len(themes))])
    freeze_header(sheet)
    header_row(
        sheet,
        [
            "Mã",
            "Đơn vị",
            "Thuộc",
            "Trạng thái",
            "Ngày gửi",
            "Ngày duyệt",
            *[f"ND {t.theme.number}" for t in themes],
        ],
    )
    units = with_registration(subtree_participants(campaign, unit), campaign).order_by("path")
    registrations = subtree_registrations(campaign, unit, [s for s in STATUS_ORDER if s != "none"])
    chosen = chosen_themes(registrations.values("pk"))
    for row in units.values_list(
        "code",
        "name",
        "path",
        "registration_id",
        "registration_status",
        "registration_submitted_at",
        "registration_reviewed_at",
    ).iterator(chunk_size=2000):
        code, name, path, registration_id, status, submitted_at, reviewed_at = row
        themes_of = chosen.get(registration_id, set())
        append(
            sheet,
            [
                code,
                name,
                "" if path == unit.path else branches.get(path[:prefix_length], ""),
                STATUS_TEXT.get(status or "none"),
                date_cell(sheet, submitted_at),
                date_cell(sheet, reviewed_at) if status in ("approved", "returned") else None,
                *["x" if t.theme.pk in themes_of else "" for t in themes],
            ],
        )

    # 3. Every target of the counted registrations.
    counted = subtree_registrations(campaign, unit, summary.statuses)
    sheet = book.create_sheet("Chỉ tiêu")
    column_widths(sheet, [14, 50, 8, 50, 14, 16])
    freeze_header(sheet)
    header_row(sheet, ["Mã", "Đơn vị", "ND", "Chỉ tiêu", "Giá trị", "Đơn vị tính"])
    for row in (
        Target.objects.filter(registered_theme__registration__in=counted.values("pk"))
        .order_by(
            "registered_theme__registration__organization__path",
            "registered_theme__theme__number",
            "position",
        )
        .values_list(
            "registered_theme__registration__organization__code",
            "registered_theme__registration__organization__name",
            "registered_theme__theme__number",
            "name",
            "value",
            "unit",
        )
        .iterator(chunk_size=2000)
    ):
        code, name, number, target, value, measure = row
        append(sheet, [code, name, number, target, number_cell(sheet, value), measure])

    # 4. Works and products registered for a plaque.
    sheet = book.create_sheet("Công trình")
    column_widths(sheet, [14, 50, 50, 60, 16, 14])
    freeze_header(sheet)
    header_row(
        sheet,
        [
            "Mã",
            "Đơn vị",
            "Công trình, sản phẩm",
            "Mô tả",
            "Giá trị dự kiến (triệu đồng)",
            "Hoàn thành",
        ],
    )
    for row in (
        KeyWork.objects.filter(registration__in=counted.values("pk"))
        .order_by("registration__organization__path", "position")
        .values_list(
            "registration__organization__code",
            "registration__organization__name",
            "name",
            "description",
            "estimated_value",
            "expected_completion",
        )
        .iterator(chunk_size=2000)
    ):
        *head, value, completion = row
        append(sheet, [*head, number_cell(sheet, value), date_cell(sheet, completion)])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
