"""The cluster's results of a year as XLSX: each member's scores, result and rank."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from emulation.spreadsheets import column_widths, freeze_header, header_row, number_cell


def cluster_xlsx(cluster, page) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Results"))
    freeze_header(sheet)
    header_row(
        sheet,
        [
            _("Code"),
            _("Unit"),
            _("Role"),
            _("Accepted the agreement"),
            _("Self-assessed score"),
            _("Leader's score"),
            _("Mean of the others' scores"),
            _("Result"),
            _("Rank"),
        ],
    )
    column_widths(sheet, [12, 40, 16, 12, 12, 12, 12, 12, 8])
    for row in page.rows:
        sheet.append(
            [
                row.unit.code,
                row.unit.name,
                row.member.get_role_display(),
                _("yes") if row.accepted else "",
                number_cell(sheet, row.self_total),
                number_cell(sheet, row.leader_total),
                number_cell(sheet, row.others_mean),
                number_cell(sheet, row.result),
                row.rank,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
