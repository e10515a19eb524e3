"""Writing spreadsheets (XLSX), in openpyxl's write-only mode or not: the header row of a sheet,
kept in view when scrolling, the widths of its columns, and the cells of quantities and dates.

Number formats are Excel's codes, which the reader's Excel shows in the reader's locale: a
quantity formatted ``#,##0`` reads 1.234.567 in a Vietnamese Excel, a date ``DD/MM/YYYY``
reads 23/02/2017. Years, ordinal numbers and codes are not quantities and stay plain.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"  # figures are kept with two decimals at most
DATE_FORMAT = "DD/MM/YYYY"


def freeze_header(sheet, row: int = 1) -> None:
    """Keep the rows down to the column titles (on row ``row``) in view when scrolling.

    A write-only sheet writes its view with its first row: call this before appending any."""
    sheet.freeze_panes = f"A{row + 1}"


def header_row(sheet, titles: list[str]) -> None:
    """Append the column titles, bold and wrapped."""
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    sheet.append(cells)


def column_widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def number_format(value) -> str:
    """The format of a quantity: thousands separators, and decimals when it has some."""
    return INTEGER_FORMAT if float(value).is_integer() else DECIMAL_FORMAT


def number_cell(sheet, value):
    """A quantity (money, a count, a target, a result) with thousands separators, or an empty
    cell."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format(value)
    return cell


def date_cell(sheet, moment):
    """A day (a moment is taken in the local time zone) shown as dd/mm/yyyy, or an empty
    cell."""
    if not moment:
        return None
    day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
    cell = WriteOnlyCell(sheet, value=day)
    cell.number_format = DATE_FORMAT
    return cell
