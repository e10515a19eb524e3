"""The tables of the dashboard as a spreadsheet (XLSX), one sheet per table, or one sheet when
``table`` names it. Written in openpyxl's write-only mode; the list of overdue units is read
from a database cursor, so a province of thousands of units takes a fixed number of queries and
little memory. Sheet and column titles are Vietnamese, as the documents sent up are.
"""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from emulation.spreadsheets import XLSX_TYPE as XLSX_TYPE  # the views answer with it
from emulation.spreadsheets import (
    append,
    column_widths,
    date_cell,
    freeze_header,
    header_row,
    number_cell,
)
from emulation.text import unaccent
from federation.models import OrganizationKind
from registrations.exports import STATUS_TEXT as REGISTRATION_TEXT
from reports.documents import STATUS_TEXT as REPORT_TEXT
from reports.selectors.common import REGISTRATION_ORDER, STATUS_ORDER
from reports.selectors.dashboard import Dashboard
from reports.selectors.overdue import overdue_rows, overdue_units

TABLES = {
    "progress": "Tiến độ",
    "results": "Kết quả theo đơn vị",
    "targets": "Chỉ tiêu đăng ký",
    "overdue": "Quá hạn",
    "themes": "Nội dung thi đua",
    "phases": "Chỉ tiêu theo đợt",
    "events": "Hạn và mốc",
}


# Every sheet opens with five rows of title; its column titles follow on row 6 and stay in view.
HEADER_ROW = 6


def _title(sheet, board, text: str, widths: list[int]) -> None:
    column_widths(sheet, widths)
    freeze_header(sheet, row=HEADER_ROW)
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True, size=13)
    append(sheet, [cell])
    kind = dict(OrganizationKind.choices).get(board.kind)
    append(sheet, [board.unit.name])
    number = board.campaign.document_number
    append(
        sheet,
        [
            (f"Kế hoạch số {number}" if number else "Kế hoạch")
            + f" năm {board.campaign.year} · {board.phase.name}"
            + (f" · chỉ tính: {str(kind).lower()}" if kind else "")
        ],
    )
    append(sheet, [f"Ngày lập: {board.today:%d/%m/%Y}"])
    append(sheet, [])


def _progress(book, board) -> None:
    sheet = book.create_sheet(TABLES["progress"])
    _title(sheet, board, "TIẾN ĐỘ ĐĂNG KÝ VÀ BÁO CÁO", [50, 10] + [11] * 11)
    reg_order = REGISTRATION_ORDER
    rep_order = STATUS_ORDER
    header_row(
        sheet,
        ["Đơn vị", "Số đơn vị"]
        + [f"Đăng ký: {REGISTRATION_TEXT[s]}" for s in reversed(reg_order)]
        + [f"Báo cáo: {REPORT_TEXT[s]}" for s in reversed(rep_order)]
        + ["Quá hạn báo cáo"],
    )
    rows = [
        (row.unit.name + (" (báo cáo của đơn vị)" if row.is_self else ""), row)
        for row in board.rollup.rows
    ]
    for name, row in rows:
        append(
            sheet,
            [name]
            + [
                number_cell(sheet, value)
                for value in [row.report.total]
                + [row.registration.count(s) for s in reversed(reg_order)]
                + [row.report.count(s) for s in reversed(rep_order)]
                + [row.report.overdue]
            ],
        )
    total_reg, total_rep = board.rollup.registration, board.rollup.report
    append(
        sheet,
        ["Tổng cộng"]
        + [
            number_cell(sheet, value)
            for value in [total_rep.total]
            + [total_reg.count(s) for s in reversed(reg_order)]
            + [total_rep.count(s) for s in reversed(rep_order)]
            + [total_rep.overdue]
        ],
    )


def _results(book, board) -> None:
    data = board.rollup
    sheet = book.create_sheet(TABLES["results"])
    _title(
        sheet,
        board,
        f"KẾT QUẢ CÁC CHỈ TIÊU CHUNG - {board.phase.name.upper()}",
        [50, 12] + [16] * len(data.indicators),
    )
    header_row(
        sheet,
        ["Đơn vị", "Báo cáo được tính"] + [f"{i.name} ({i.unit})" for i in data.indicators],
    )
    for row in data.rows:
        counted = sum(row.report.count(s) for s in data.statuses)
        append(
            sheet,
            [
                row.unit.name + (" (báo cáo của đơn vị)" if row.is_self else ""),
                number_cell(sheet, counted),
            ]
            + [number_cell(sheet, row.totals.get(i.pk) or 0) for i in data.indicators],
        )
    append(
        sheet,
        ["Tổng cộng", number_cell(sheet, data.counted)]
        + [number_cell(sheet, data.totals.get(i.pk) or 0) for i in data.indicators],
    )
    append(sheet, [])
    append(
        sheet,
        [
            "Số liệu tính trên các báo cáo "
            + ("đã duyệt" if data.scope == "approved" else "đã duyệt và chờ duyệt")
        ],
    )


def _targets(book, board) -> None:
    sheet = book.create_sheet(TABLES["targets"])
    _title(sheet, board, "KẾT QUẢ THỰC HIỆN CHỈ TIÊU ĐĂNG KÝ", [8, 45, 12, 45, 14, 14, 14, 10, 10])
    header_row(
        sheet,
        [
            "TT",
            "Nội dung thi đua",
            "Số báo cáo",
            "Chỉ tiêu",
            "Đăng ký",
            "Đạt được",
            "Đơn vị tính",
            "Tỷ lệ (%)",
            "Số đơn vị",
        ],
    )
    for total in board.rollup.themes:
        append(sheet, [total.theme.number, total.theme.title, number_cell(sheet, total.units)])
        for target in total.targets:
            append(
                sheet,
                [
                    "",
                    "",
                    "",
                    target.name + (" (bình quân)" if target.is_rate else ""),
                    number_cell(sheet, target.target_value),
                    number_cell(sheet, target.achieved_value),
                    target.unit,
                    number_cell(sheet, target.percent),
                    number_cell(sheet, target.units),
                ],
            )


def _overdue(book, board) -> None:
    sheet = book.create_sheet(TABLES["overdue"])
    _title(sheet, board, "ĐƠN VỊ QUÁ HẠN BÁO CÁO", [14, 50, 30, 14, 12, 16, 16])
    header_row(
        sheet,
        ["Mã", "Đơn vị", "Thuộc", "Hạn báo cáo", "Số ngày trễ", "Báo cáo", "Đăng ký"],
    )
    branches = {
        row.unit.path: row.unit.display_name for row in board.rollup.rows if not row.is_self
    }
    units = overdue_units(
        board.campaign, board.phase, board.unit, kind=board.kind, today=board.today
    )
    batch = []

    def flush():
        for row in overdue_rows(batch, board.phase, board.unit, board.today, branches):
            append(
                sheet,
                [
                    row.unit.code,
                    row.unit.name,
                    row.branch,
                    date_cell(sheet, row.deadline),
                    number_cell(sheet, row.days_late),
                    REPORT_TEXT.get(row.status, row.status_label),
                    REGISTRATION_TEXT.get(row.unit.registration_status or "none", ""),
                ],
            )
        batch.clear()

    for unit in units.iterator(chunk_size=2000):
        batch.append(unit)
        if len(batch) >= 2000:
            flush()
    flush()


def _themes(book, board) -> None:
    sheet = book.create_sheet(TABLES["themes"])
    _title(sheet, board, "SỐ ĐƠN VỊ ĐĂNG KÝ TỪNG NỘI DUNG THI ĐUA", [8, 70, 16])
    header_row(sheet, ["TT", "Nội dung thi đua", "Số đơn vị (đăng ký đã duyệt)"])
    for theme, count in board.themes:
        append(sheet, [theme.number, theme.title, number_cell(sheet, count)])


def _phases(book, board) -> None:
    sheet = book.create_sheet(TABLES["phases"])
    _title(sheet, board, "CHỈ TIÊU CHUNG THEO ĐỢT", [45, 14] + [16] * (len(board.phases) + 1))
    header_row(
        sheet,
        ["Chỉ tiêu", "Đơn vị tính"] + [info.phase.name for info in board.phases] + ["Thay đổi (%)"],
    )
    for row in board.indicator_rows:
        append(
            sheet,
            [row.indicator.name, row.indicator.unit]
            + [number_cell(sheet, v) for v in row.values]
            + [number_cell(sheet, row.change)],
        )


def _events(book, board) -> None:
    sheet = book.create_sheet(TABLES["events"])
    _title(sheet, board, "HẠN VÀ MỐC SẮP TỚI", [14, 80, 12])
    header_row(sheet, ["Ngày", "Nội dung", "Còn (ngày)"])
    for event in board.events:
        append(
            sheet, [date_cell(sheet, event.day), event.text, number_cell(sheet, event.days_left)]
        )


WRITERS = {
    "progress": _progress,
    "results": _results,
    "targets": _targets,
    "overdue": _overdue,
    "themes": _themes,
    "phases": _phases,
    "events": _events,
}


def dashboard_xlsx(board: Dashboard, *, table: str = "") -> bytes:
    book = Workbook(write_only=True)
    for name, writer in WRITERS.items():
        if not table or table == name:
            writer(book, board)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _slug(text: str) -> str:
    folded = unaccent(text).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())[:60]


def dashboard_filename(board: Dashboard, table: str = "") -> str:
    suffix = f"-{table}" if table in TABLES else ""
    return (
        f"bang-dieu-khien-{board.campaign.year}-{_slug(board.phase.name)}-"
        f"{_slug(board.unit.code)}{suffix}.xlsx"
    )
