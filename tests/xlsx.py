"""Reading an exported workbook back: which cells hold given texts, and how they are stored."""

import io

from openpyxl import load_workbook

# What users typed into names that a spreadsheet would run as formulas.
HYPERLINK = '=HYPERLINK("http://x","y")'
ONE_PLUS_ONE = "=1+1"
ONE_PLUS_TWO = "=1+2"


def cells_holding(content: bytes, texts) -> dict[str, list]:
    """Every cell of the workbook whose value is one of ``texts``, by text (reopened as a
    reader's Excel would, formulas kept as formulas)."""
    book = load_workbook(io.BytesIO(content))
    found: dict[str, list] = {text: [] for text in texts}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in found:
                    found[cell.value].append(cell)
    return found


def assert_stored_as_text(content: bytes, texts) -> None:
    """Each of ``texts`` appears in the workbook, only in text cells (never a formula) with
    Excel's quote prefix."""
    for text, cells in cells_holding(content, texts).items():
        assert cells, f"{text} is not in the workbook"
        for cell in cells:
            assert cell.data_type != "f", f"{cell.parent.title}!{cell.coordinate} is a formula"
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
