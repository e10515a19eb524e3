"""The dashboard's tables as XLSX: the distribution of grades per unit directly below, and the
gradings of the grassroots unions directly below."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from emulation.spreadsheets import column_widths, freeze_header, header_row, number_cell


def branch_xlsx(unit, page) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Distribution"))
    freeze_header(sheet)
    header_row(
        sheet,
        [
            _("Code"),
            _("Unit"),
            _("Grassroots unions"),
            *[name for _code, name in page.grades],
            _("Not graded yet"),
            _("Average score"),
        ],
    )
    column_widths(sheet, [12, 40, 12, *[16] * len(page.grades), 14, 12])
    for row in [*page.rows, page.total]:
        sheet.append(
            [
                row.unit.code,
                row.unit.name
                if row is not page.total
                else _("Whole branch: %(unit)s") % {"unit": row.unit.name},
                number_cell(sheet, row.grassroots),
                *[number_cell(sheet, row.counts.get(code, 0)) for code, _name in page.grades],
                number_cell(sheet, row.not_graded),
                number_cell(sheet, round(row.average, 2) if row.average is not None else None),
            ]
        )
    queue = book.create_sheet(_("Gradings"))
    freeze_header(queue)
    header_row(
        queue,
        [
            _("Code"),
            _("Unit"),
            _("Status"),
            _("Self-assessed score"),
            _("Verified score"),
            _("Grade"),
            _("Published"),
        ],
    )
    column_widths(queue, [12, 40, 16, 12, 12, 28, 10])
    for row in page.queue:
        a = row.assessment
        queue.append(
            [
                row.unit.code,
                row.unit.name,
                a.get_status_display() if a else _("Not started"),
                number_cell(queue, a.self_total) if a else None,
                number_cell(queue, a.verified_total) if a else None,
                a.grade.name if a and a.grade else "",
                _("yes") if a and a.is_published else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
