"""Writing spreadsheets (XLSX), in openpyxl's write-only mode or not: the header row of a sheet,
kept in view when scrolling, the widths of its columns, and the cells of quantities and dates.

Number formats are Excel's codes, which the reader's Excel shows in the reader's locale: a
quantity formatted ``#,##0`` reads 1.234.567 in a Vietnamese Excel, a date ``DD/MM/YYYY``
reads 23/02/2017. Years, ordinal numbers and codes are not quantities and stay plain.

Every cell of an export is written by :func:`append` (or :func:`safe_value`): text that a
spreadsheet would run as a formula (beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return: a unit named ``=HYPERLINK(...)``) is stored as text, marked with Excel's
quote prefix, and the control characters an XLSX file cannot hold are dropped.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"  # figures are kept with two decimals at most
DATE_FORMAT = "DD/MM/YYYY"
# What makes a spreadsheet read a text as a formula (OWASP's list for CSV/XLSX injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_value(sheet, value):
    """``value`` as it may go into a cell of ``sheet``: text without the control characters
    XLSX forbids, and text that would start a formula as a text cell with a quote prefix
    (shown as typed, never run, even when the cell is edited). Other values are unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_START):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(sheet, values) -> list:
    return [safe_value(sheet, value) for value in values]


def append(sheet, values) -> None:
    """Append a row of values (cells made by the helpers here, numbers, dates, text)."""
    sheet.append(safe_row(sheet, values))


def freeze_header(sheet, row: int = 1) -> None:
    """Keep the rows down to the column titles (on row ``row``) in view when scrolling.

    A write-only sheet writes its view with its first row: call this before appending any."""
    sheet.freeze_panes = f"A{row + 1}"


def header_row(sheet, titles: list[str]) -> None:
    """Append the column titles, bold and wrapped."""
    cells = []
    for title in titles:
        cell = safe_value(sheet, title)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, value=cell)
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
