"""The one writer of exported cells: text a spreadsheet would run is stored as text."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from emulation.spreadsheets import append, header_row


@pytest.mark.parametrize("write_only", [True, False])
def test_text_that_starts_a_formula_is_stored_as_text(write_only):
    texts = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Data")
    header_row(sheet, ["=title", "Tên"])
    append(sheet, [*texts, "bình thường", 12, "a\x00b\x07c"])
    out = io.BytesIO()
    book.save(out)
    read = load_workbook(io.BytesIO(out.getvalue()))["Data"]
    assert read["A1"].value == "=title" and read["A1"].data_type == "s"
    assert read["A1"].font.b
    cells = list(read.iter_rows(min_row=2))[0]
    for cell, text in zip(cells, texts, strict=False):
        # XML reads a carriage return back as a line feed.
        assert cell.value == text.replace("\r", "\n") and cell.data_type == "s" and cell.quotePrefix
    assert cells[6].value == "bình thường" and not cells[6].quotePrefix
    assert cells[7].value == 12 and cells[7].data_type == "n"
    # Control characters an XLSX file cannot hold are dropped, not a failed export.
    assert cells[8].value == "abc"
