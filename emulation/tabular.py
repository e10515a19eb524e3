"""Reading spreadsheets (XLSX) and CSV files into rows, for every import of the system.

Each import names its columns with the English code name and the Vietnamese headers users
type; the header row may use either. Rows keep their row number in the file so every problem
can be reported where the user will look for it.
"""

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from emulation.templatetags import humanize_vi
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


class _QuickSizeSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, whose size is read from the ``<dimension>`` element at the
    top of the sheet and nowhere else: openpyxl looks for it until the end of ``<sheetData>``,
    so a file written without one (as openpyxl's own write-only mode does) was parsed whole,
    kept in memory, before its first row was read."""

    def _get_size(self):
        source = self._get_source()
        try:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    boundaries = SheetDimension.from_tree(element).boundaries
                    if boundaries is not None:
                        (self._min_column, self._min_row, self._max_column, self._max_row) = (
                            boundaries
                        )
                    break
                if element.tag == DATA_TAG:
                    break
        finally:
            source.close()


class _FirstSheetReader(ExcelReader):
    """openpyxl's reader in read-only mode, for the first worksheet only."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _QuickSizeSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            self.wb._sheets.append(worksheet)
            return


class _Reader:
    """The rows of a file one at a time, as lists of cell texts, with an estimate of their
    number read from the file's own declaration (a spreadsheet's dimension, a CSV's lines)."""

    def __init__(self, data: bytes, name: str):
        self.workbook = None
        self.encoding = UTF8
        if name.endswith(".xlsx") or data[:2] == b"PK":
            self._open_xlsx(data)
        else:
            self._open_csv(data)

    def _open_xlsx(self, data: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise TableError(
                _("The spreadsheet cannot be read: %(error)s") % {"error": exc}
            ) from exc
        if unpacked > settings.IMPORT_MAX_BYTES * UNPACKED_RATIO:
            raise TableError(
                _("The spreadsheet unpacks to %(size)s, more than an import may hold.")
                % {"size": filesizeformat(unpacked)}
            )
        try:
            reader = _FirstSheetReader(io.BytesIO(data), read_only=True, data_only=True)
            reader.read()
            self.workbook = reader.wb
            sheet = self.workbook.worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise TableError(
                _("The spreadsheet cannot be read: %(error)s") % {"error": exc}
            ) from exc
        self.sheet = sheet
        try:
            self.estimate = int(sheet.max_row) if sheet.max_row else None
        except (TypeError, ValueError):
            self.estimate = None
        self._rows = sheet.iter_rows(values_only=True, max_col=settings.IMPORT_MAX_COLUMNS + 1)

    def _open_csv(self, data: bytes) -> None:
        text, self.encoding = decode_csv(data)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        self.estimate = text.count("\n") + (0 if text.endswith("\n") else 1)
        self._rows = csv.reader(io.StringIO(text), dialect)

    def rows(self) -> Iterator[list[str]]:
        try:
            for row in self._rows:
                yield [_cell(v) for v in row[: settings.IMPORT_MAX_COLUMNS + 1]]
        except csv.Error as exc:
            raise TableError(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
        finally:
            if self.workbook is not None:
                self.workbook.close()


# How much larger than the largest file its unpacked parts may be (text compresses about tenfold).
UNPACKED_RATIO = 20


@dataclass
class Table:
    """An opened file whose header was found right: its data rows are read on demand."""

    positions: dict[str, int]
    # Data rows the file declares (a spreadsheet written without its size declares none).
    estimate: int | None
    _raw: Iterator[tuple[int, list[str]]]

    def rows(self, progress=None, every: int = 500) -> list[Row]:
        """Every data row (blank ones skipped), refusing a file beyond the rows cap as soon as
        the cap is passed. ``progress(done, total)`` is called every ``every`` rows."""
        rows = []
        limit = settings.IMPORT_MAX_ROWS
        for number, values in self._raw:
            if not any(values):
                continue
            if len(rows) >= limit:
                raise TableError(too_many_rows(limit))
            rows.append(
                Row(
                    number=number,
                    values={
                        key: values[index] if index < len(values) else ""
                        for key, index in self.positions.items()
                    },
                )
            )
            if progress is not None and len(rows) % every == 0:
                progress(len(rows), max(self.estimate or 0, len(rows)))
        if not rows:
            raise TableError(_("The file has a header but no data rows."))
        return rows


def too_many_rows(limit: int) -> str:
    return _("The file has more than %(limit)s rows; split it into smaller files.") % {
        "limit": humanize_vi.number(limit)
    }


def read_bytes(upload) -> bytes:
    """The file's content, refused beyond the size cap without reading more of it."""
    limit = settings.IMPORT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise TableError(too_big(size))
    data = upload.read(limit + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > limit:
        raise TableError(too_big(len(data)))
    return data


def too_big(size: int) -> str:
    return _("The file is %(size)s; an import may be at most %(max)s.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(settings.IMPORT_MAX_BYTES),
    }


def open_table(
    data: bytes, name: str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> Table:
    """Open a CSV or XLSX file's content and check its header row, reading no row beyond it.

    ``columns`` maps each column's code name to the headers accepted for it. Raises
    ``TableError`` when the file cannot be read, is too large, or a required column is absent.
    """
    reader = _Reader(data, (name or "").lower())
    if reader.estimate is not None and reader.estimate > settings.IMPORT_MAX_ROWS + 1:
        raise TableError(too_many_rows(settings.IMPORT_MAX_ROWS))
    raw = enumerate(reader.rows(), start=1)
    header = None
    for _number, values in raw:
        if any(values):
            header = values
            break
    if header is None:
        raise TableError(_("The file is empty."))
    while header and not header[-1]:
        header = header[:-1]
    if len(header) > settings.IMPORT_MAX_COLUMNS:
        raise TableError(
            _("The header row has more than %(limit)s columns.")
            % {"limit": settings.IMPORT_MAX_COLUMNS}
        )
    folded_header = [fold(h) for h in header]
    positions: dict[str, int] = {}
    for key, aliases in columns.items():
        folded = {fold(key), *(fold(a) for a in aliases)}
        for index, title in enumerate(folded_header):
            if title in folded:
                positions[key] = index
                break
    missing = [columns[key][0] if columns[key] else key for key in required if key not in positions]
    if missing:
        message = _("The header row lacks the columns: %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        if reader.encoding != UTF8:
            message += " " + _(
                "The file was read as %(encoding)s text; if its letters look wrong, %(advice)s"
            ) % {"encoding": reader.encoding, "advice": _advice()}
        raise TableError(message)
    estimate = None if reader.estimate is None else max(reader.estimate - 1, 0)
    return Table(positions=positions, estimate=estimate, _raw=raw)


def is_large(table: Table) -> bool:
    """Too many rows to import in a web request (``IMPORT_JOB_ROWS``), or a number unknown
    until every row is read (then a background job reads them)."""
    return table.estimate is None or table.estimate > settings.IMPORT_JOB_ROWS


def read_table(upload, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> list[Row]:
    """Read an uploaded CSV or XLSX file: its header checked first, then its rows, streamed.

    Blank rows are skipped. Raises ``TableError`` when the file cannot be read, is beyond the
    caps (bytes, rows, columns) or a required column is absent.
    """
    name = getattr(upload, "name", "") or ""
    return open_table(read_bytes(upload), name, columns, required).rows()
