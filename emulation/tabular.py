"""Reading spreadsheets (XLSX) and CSV files into rows, for every import of the system.

Each import names its columns with the English code name and the Vietnamese headers users
type; the header row may use either. Rows keep their row number in the file so every problem
can be reported where the user will look for it.
"""

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from emulation.text import unaccent


class TableError(Exception):
    """The file as a whole cannot be read (wrong format, no header, missing columns)."""


@dataclass
class Row:
    number: int
    values: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def fold(text: str) -> str:
    """Header matching ignores case, spaces, accents and punctuation."""
    return "".join(ch for ch in unaccent(text).lower() if ch.isalnum())


def choice_names(choices, aliases: dict | None = None) -> dict[str, str]:
    """What a cell may say to name one of ``choices`` (a ``TextChoices``), folded as
    ``fold`` folds it, with the code it stands for: the code, the label in each language of the
    system (a file typed in Vietnamese is read whatever the importer's language) and
    ``aliases`` (folded names of the import's own)."""
    names = dict(aliases or {})
    for language, _name in reversed(settings.LANGUAGES):
        with translation.override(language):
            names.update({fold(str(label)): code for code, label in choices.choices})
    names.update({fold(code): code for code in choices.values})
    return names


def choices_text(choices) -> str:
    """The choices as a message or a page lists them: "label (code)", in the reader's
    language."""
    return "; ".join(f"{label} ({code})" for code, label in choices.choices)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


UTF8 = "UTF-8"


def _advice() -> str:
    return _("save it again as “CSV UTF-8” (in Excel: Save As, CSV UTF-8).")


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was read in: UTF-8 (with or
    without a byte-order mark), UTF-16 (Excel's "Unicode text", with a byte-order mark or
    without), or Windows-1258, the Vietnamese code page of older Excel versions, whose tone
    marks are combining characters (the cells are put in NFC afterwards). Anything else is
    refused with a message that names what was found, instead of being read as garbage."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise TableError(
            _("The file is in the UTF-32 encoding, which the import does not read: %(advice)s")
            % {"advice": _advice()}
        )
    encoding, label = None, ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, label = "utf-16", "UTF-16"
    elif b"\x00" in data[:4096]:
        sample = data[:4096]
        if sample[1::2].count(0) * 4 > len(sample):
            encoding, label = "utf-16-le", "UTF-16"
        elif sample[0::2].count(0) * 4 > len(sample):
            encoding, label = "utf-16-be", "UTF-16"
        else:
            raise TableError(
                _("The file holds NUL bytes: it is not a CSV text file; %(advice)s")
                % {"advice": _advice()}
            )
    if encoding:
        try:
            return data.decode(encoding), label
        except UnicodeDecodeError as exc:
            raise TableError(
                _("The file looks like %(encoding)s text but cannot be read as such: %(advice)s")
                % {"encoding": label, "advice": _advice()}
            ) from exc
    for encoding, label in (("utf-8-sig", UTF8), ("cp1258", "Windows-1258")):
        try:
            return data.decode(encoding), label
        except UnicodeDecodeError:
            continue
    raise TableError(
        _(
            "The file is in none of the encodings the import reads (UTF-8, UTF-16, "
            "Windows-1258): %(advice)s"
        )
        % {"advice": _advice()}
    )


def _raw_rows(upload) -> tuple[list[list[str]], str]:
    """The file's rows of cells, and the encoding it was read in (UTF-8 for a spreadsheet)."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    if name.endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise TableError(
                _("The spreadsheet cannot be read: %(error)s") % {"error": exc}
            ) from exc
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows, UTF8
    text, encoding = decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)], encoding


def read_table(upload, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> list[Row]:
    """Read an uploaded CSV or XLSX file.

    ``columns`` maps each column's code name to the headers accepted for it. Blank rows are
    skipped. Raises ``TableError`` when the file cannot be read or a required column is absent.
    """
    raw, encoding = _raw_rows(upload)
    while raw and not any(raw[0]):
        raw.pop(0)
    if not raw:
        raise TableError(_("The file is empty."))
    header = [fold(h) for h in raw[0]]
    positions: dict[str, int] = {}
    for key, aliases in columns.items():
        folded = {fold(key), *(fold(a) for a in aliases)}
        for index, title in enumerate(header):
            if title in folded:
                positions[key] = index
                break
    missing = [columns[key][0] if columns[key] else key for key in required if key not in positions]
    if missing:
        message = _("The header row lacks the columns: %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        if encoding != UTF8:
            message += " " + _(
                "The file was read as %(encoding)s text; if its letters look wrong, %(advice)s"
            ) % {"encoding": encoding, "advice": _advice()}
        raise TableError(message)
    rows = []
    for offset, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        rows.append(
            Row(
                number=offset,
                values={
                    key: values[index] if index < len(values) else ""
                    for key, index in positions.items()
                },
            )
        )
    if not rows:
        raise TableError(_("The file has a header but no data rows."))
    return rows
