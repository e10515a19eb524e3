"""A score sheet as XLSX, out and in, in one table (the shared reader reads a file's first
worksheet): one row per part, named by its first column.

| Loại dòng | Số  | Nội dung | Phân loại | Điểm | Hướng dẫn | Minh chứng | Bắt buộc giải trình | Mã xếp loại | Nhóm | Tỷ lệ (%) |
- Bảng: the sheet's title, total (Điểm), basis (Hướng dẫn), cap on the top grade (Tỷ lệ);
- Nhóm: a group (Số 1, 2 ...), its kind (Nhóm tiêu chí, Điểm thưởng, Điểm trừ) and maximum;
- Tiêu chí: a criterion (Số "1.2": group 1, criterion 2), its maximum, guidance, evidence asked
  and whether a justification is required (Có/Không);
- Xếp loại: a grade (Số: its rank, 1 the top), name, code, minimum score (Điểm);
- Hạ loại: a knock-out condition: a group (Nhóm) scored under a share (Tỷ lệ) of its maximum,
  or no group (an event the unit declares), caps the grade at the grade coded in Mã xếp loại.

The import is all or nothing (:class:`~federation.services.imports.ImportReport` with the
row number of each problem), for a year and type that have no sheet yet; the grading period
is set on the sheet's page afterwards.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook

from emulation.audit import audit_record
from emulation.spreadsheets import append, column_widths, freeze_header, header_row
from emulation.tabular import TableError, choice_names, choices_text, fold, read_table
from federation.services.imports import ImportProblem, ImportReport
from grading.models import (
    Criterion,
    CriterionGroup,
    Grade,
    GroupKind,
    KnockOut,
    ScoreSheet,
    UnitType,
)
from grading.services.common import full_sheet
from grading.services.sheets import sheet_problems


class RowKind(models.TextChoices):
    SHEET = "sheet", pgettext_lazy("score sheet row", "Sheet")
    GROUP = "group", pgettext_lazy("score sheet row", "Group")
    CRITERION = "criterion", pgettext_lazy("score sheet row", "Criterion")
    GRADE = "grade", pgettext_lazy("score sheet row", "Grade")
    KNOCKOUT = "knockout", pgettext_lazy("score sheet row", "Knock-out")


ROW_ALIASES = {
    "bang": RowKind.SHEET,
    "bangchamdiem": RowKind.SHEET,
    "nhom": RowKind.GROUP,
    "tieuchi": RowKind.CRITERION,
    "xeploai": RowKind.GRADE,
    "haloai": RowKind.KNOCKOUT,
    "dieukienhaloai": RowKind.KNOCKOUT,
    "loaitru": RowKind.KNOCKOUT,
}
KIND_ALIASES = {
    "nhomtieuchi": GroupKind.REGULAR,
    "tieuchi": GroupKind.REGULAR,
    "diemthuong": GroupKind.BONUS,
    "thuong": GroupKind.BONUS,
    "diemtru": GroupKind.PENALTY,
    "tru": GroupKind.PENALTY,
}
YES = {"co", "x", "1", "yes", "true", "dung"}
NO = {"", "khong", "0", "no", "false"}

COLUMNS = {
    "row": ("Loại dòng", "row"),
    "number": ("Số", "STT", "number"),
    "text": ("Nội dung", "Tên", "text"),
    "kind": ("Phân loại", "kind"),
    "points": ("Điểm", "points"),
    "guidance": ("Hướng dẫn", "guidance"),
    "evidence": ("Minh chứng", "evidence"),
    "justification": ("Bắt buộc giải trình", "justification"),
    "code": ("Mã xếp loại", "Mã", "code"),
    "group": ("Nhóm", "group"),
    "share": ("Tỷ lệ (%)", "Tỷ lệ", "share"),
}
HEADERS = [names[0] for names in COLUMNS.values()]
# What the import page says of each column.
COLUMN_HELP = [
    ("Loại dòng", gettext_lazy("Bảng, Nhóm, Tiêu chí, Xếp loại or Hạ loại")),
    ("Số", gettext_lazy("a group's number (1), a criterion's (1.2), a grade's rank (1 = top)")),
    ("Nội dung", gettext_lazy("the title, the criterion, the grade's name, the condition")),
    ("Phân loại", gettext_lazy("of a group: Nhóm tiêu chí, Điểm thưởng or Điểm trừ")),
    ("Điểm", gettext_lazy("the total, a maximum, a grade's minimum score")),
    ("Hướng dẫn, Minh chứng", gettext_lazy("of a criterion (Hướng dẫn of Bảng: the basis)")),
    ("Bắt buộc giải trình", gettext_lazy("of a criterion: Có or Không")),
    ("Mã xếp loại", gettext_lazy("a grade's code; of Hạ loại: the grade it caps at")),
    ("Nhóm", gettext_lazy("of Hạ loại: the group's number; empty for an event")),
    ("Tỷ lệ (%)", gettext_lazy("of Hạ loại: the share of the group's maximum; of Bảng: the cap")),
]


def _number_text(value) -> str:
    return f"{Decimal(value).normalize():f}" if value is not None else ""


def sheet_xlsx(sheet: ScoreSheet) -> bytes:
    """The sheet in the layout :func:`sheet_import` reads."""
    sheet = full_sheet(sheet.pk)
    book = Workbook(write_only=True)
    table = book.create_sheet(_("Score sheet"))
    freeze_header(table)
    header_row(table, HEADERS)
    column_widths(table, [12, 6, 60, 16, 8, 40, 30, 12, 14, 8, 10])
    labels = {value: str(label) for value, label in RowKind.choices}
    kinds = {GroupKind.REGULAR: "Nhóm tiêu chí", GroupKind.BONUS: "Điểm thưởng"}
    kinds[GroupKind.PENALTY] = "Điểm trừ"
    row = [""] * len(HEADERS)

    def put(**values):
        cells = list(row)
        for key, value in values.items():
            cells[list(COLUMNS).index(key)] = value
        append(table, cells)

    put(
        row=labels[RowKind.SHEET],
        text=sheet.title,
        points=sheet.total,
        guidance=sheet.basis,
        share=sheet.top_grade_cap if sheet.top_grade_cap is not None else "",
    )
    groups = list(sheet.groups.all())
    for group in groups:
        put(
            row=labels[RowKind.GROUP],
            number=str(group.number),
            text=group.title,
            kind=kinds[group.kind],
            points=_number_text(group.max_points),
        )
        for criterion in group.criteria.all():
            put(
                row=labels[RowKind.CRITERION],
                number=f"{group.number}.{criterion.number}",
                text=criterion.title,
                points=_number_text(criterion.max_points),
                guidance=criterion.guidance,
                evidence=criterion.evidence,
                justification="Có" if criterion.justification_required else "Không",
            )
    grades = {g.pk: g for g in sheet.grades.all()}
    for grade in grades.values():
        put(
            row=labels[RowKind.GRADE],
            number=str(grade.rank),
            text=grade.name,
            code=grade.code,
            points=_number_text(grade.min_score),
        )
    numbers = {g.pk: g.number for g in groups}
    for knockout in sheet.knockouts.all():
        put(
            row=labels[RowKind.KNOCKOUT],
            text=knockout.description,
            group=str(numbers[knockout.group_id]) if knockout.group_id else "",
            share=knockout.min_share if knockout.group_id else "",
            code=grades[knockout.caps_at_id].code,
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class SheetImportReport(ImportReport):
    sheet: ScoreSheet | None = None


@dataclass
class _Parsed:
    """What the rows say, each part with the number of its row."""

    sheet: tuple | None = None  # (row, title, total, basis, cap)
    groups: dict = field(default_factory=dict)  # number -> (row, CriterionGroup)
    criteria: list = field(default_factory=list)  # (row, group number, Criterion)
    grades: dict = field(default_factory=dict)  # code -> (row, Grade)
    knockouts: list = field(default_factory=list)  # (row, group number | None, code, KnockOut)


def _decimal(text: str) -> Decimal | None:
    text = text.strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _whole(text: str) -> int | None:
    value = _decimal(text)
    if value is None or value != value.to_integral_value() or not 0 <= value <= 32767:
        return None
    return int(value)


def _text(row, key: str, limit: int) -> str:
    return " ".join(row.get(key).split())[:limit]


def _points(row, problems: list, label: str, *, positive: bool = True) -> Decimal | None:
    value = _decimal(row.get("points"))
    if value is None or value < 0 or (positive and value == 0) or value >= 10000:
        problems.append(
            _("%(what)s “%(value)s” is not a number of points above zero.")
            % {"what": label, "value": row.get("points")}
            if positive
            else _("%(what)s “%(value)s” is not a number of points.")
            % {"what": label, "value": row.get("points")}
        )
        return None
    return value.quantize(Decimal("0.01"))


def _parse(rows) -> tuple[_Parsed, list[ImportProblem]]:
    parsed = _Parsed()
    problems: list[ImportProblem] = []
    row_kinds = choice_names(RowKind, ROW_ALIASES)
    group_kinds = choice_names(GroupKind, KIND_ALIASES)
    for row in rows:
        found: list[str] = []
        kind = row_kinds.get(fold(row.get("row")))
        text = _text(row, "text", 500)
        if kind is None:
            found.append(
                _(
                    "The row type “%(value)s” is not one of: Bảng, Nhóm, Tiêu chí, Xếp loại, Hạ loại."
                )
                % {"value": row.get("row")}
            )
        elif not text:
            found.append(_("The text (Nội dung) is missing."))
        if kind == RowKind.SHEET:
            total = _whole(row.get("points"))
            if total is None or total == 0:
                found.append(
                    _("The total “%(value)s” is not a whole number of points above zero.")
                    % {"value": row.get("points")}
                )
            cap = None
            if row.get("share"):
                cap = _whole(row.get("share"))
                if cap is None or not 1 <= cap <= 100:
                    found.append(
                        _("The cap “%(value)s” is not a share between 1 and 100 %%.")
                        % {"value": row.get("share")}
                    )
            if parsed.sheet is not None:
                found.append(
                    _("A second row of the sheet (the first is row %(row)s).")
                    % {"row": parsed.sheet[0]}
                )
            elif not found:
                parsed.sheet = (row.number, text[:255], total, _text(row, "guidance", 255), cap)
        elif kind == RowKind.GROUP:
            number = _whole(row.get("number"))
            if number is None or number == 0:
                found.append(
                    _("The group's number “%(value)s” is not a whole number from 1.")
                    % {"value": row.get("number")}
                )
            elif number in parsed.groups:
                found.append(
                    _("The group %(number)s is also on row %(row)s.")
                    % {"number": number, "row": parsed.groups[number][0]}
                )
            group_kind = group_kinds.get(fold(row.get("kind") or "nhomtieuchi"))
            if group_kind is None:
                found.append(
                    _("The kind “%(value)s” is not one of: %(choices)s.")
                    % {"value": row.get("kind"), "choices": choices_text(GroupKind)}
                )
            points = _points(row, found, _("The maximum"))
            if not found:
                parsed.groups[number] = (
                    row.number,
                    CriterionGroup(number=number, title=text, kind=group_kind, max_points=points),
                )
        elif kind == RowKind.CRITERION:
            match = re.fullmatch(r"(\d{1,4})\s*\.\s*(\d{1,4})", row.get("number"))
            if match is None:
                found.append(
                    _("The criterion's number “%(value)s” is not written group.criterion (1.2).")
                    % {"value": row.get("number")}
                )
            elif int(match[1]) not in parsed.groups:
                found.append(_("No group %(number)s above this row.") % {"number": int(match[1])})
            points = _points(row, found, _("The maximum"))
            required = fold(row.get("justification"))
            if required not in YES | NO:
                found.append(
                    _("“%(value)s” in Bắt buộc giải trình is neither Có nor Không.")
                    % {"value": row.get("justification")}
                )
            if not found:
                parsed.criteria.append(
                    (
                        row.number,
                        int(match[1]),
                        Criterion(
                            number=int(match[2]),
                            title=text,
                            guidance=" ".join(row.get("guidance").split()),
                            evidence=_text(row, "evidence", 500),
                            max_points=points,
                            justification_required=required in YES,
                        ),
                    )
                )
        elif kind == RowKind.GRADE:
            rank = _whole(row.get("number"))
            if rank is None or rank == 0:
                found.append(
                    _("The grade's rank “%(value)s” is not a whole number from 1.")
                    % {"value": row.get("number")}
                )
            elif any(g.rank == rank for _r, g in parsed.grades.values()):
                found.append(_("Another grade has the rank %(rank)s.") % {"rank": rank})
            code = slugify(row.get("code"))[:32]
            if not code:
                found.append(_("The grade's code (Mã xếp loại) is missing."))
            elif code in parsed.grades:
                found.append(
                    _("The code “%(code)s” is also on row %(row)s.")
                    % {"code": code, "row": parsed.grades[code][0]}
                )
            points = _points(row, found, _("The minimum score"), positive=False)
            if not found:
                parsed.grades[code] = (
                    row.number,
                    Grade(rank=rank, code=code, name=text[:255], min_score=points),
                )
        elif kind == RowKind.KNOCKOUT:
            group = None
            if row.get("group"):
                group = _whole(row.get("group"))
                if group not in parsed.groups:
                    found.append(
                        _("No group %(number)s above this row.") % {"number": row.get("group")}
                    )
            share = 50
            if group is not None and row.get("share"):
                share = _whole(row.get("share"))
                if share is None or not 1 <= share <= 100:
                    found.append(
                        _("The share “%(value)s” is not between 1 and 100 %%.")
                        % {"value": row.get("share")}
                    )
            code = slugify(row.get("code"))
            if code not in parsed.grades:
                found.append(
                    _("No grade with the code “%(code)s” above this row.")
                    % {"code": row.get("code")}
                )
            if not found:
                parsed.knockouts.append(
                    (row.number, group, code, KnockOut(description=text, min_share=share or 50))
                )
        problems.extend(ImportProblem(row.number, message) for message in found)
    return parsed, problems


def _sums(parsed: _Parsed, total: int) -> list[ImportProblem]:
    """The maxima that do not add up, on the row of the group (or of the sheet)."""
    problems = []
    for number, (row, group) in parsed.groups.items():
        criteria = [c for _r, n, c in parsed.criteria if n == number]
        if not criteria:
            problems.append(ImportProblem(row, _("The group has no criterion.")))
            continue
        summed = sum((c.max_points for c in criteria), Decimal(0))
        if group.kind == GroupKind.REGULAR and summed != group.max_points:
            problems.append(
                ImportProblem(
                    row,
                    _("Its criteria sum to %(sum)s points, not to its maximum of %(max)s.")
                    % {"sum": _number_text(summed), "max": _number_text(group.max_points)},
                )
            )
    counted = sum(
        (g.max_points for _r, g in parsed.groups.values() if g.kind != GroupKind.PENALTY),
        Decimal(0),
    )
    if parsed.groups and counted != total:
        problems.append(
            ImportProblem(
                parsed.sheet[0] if parsed.sheet else None,
                _("The maxima of the groups sum to %(sum)s points, not to the total of %(total)s.")
                % {"sum": _number_text(counted), "total": total},
            )
        )
    if not parsed.groups:
        problems.append(ImportProblem(None, _("The file has no group of criteria.")))
    return problems


def sheet_import(*, upload, year: int, unit_type: str, by) -> SheetImportReport:
    """A new sheet for ``year`` and ``unit_type`` from an XLSX (or CSV) file: every part, or
    nothing when any row is wrong (each problem with its row number)."""
    if not by.has_perm("grading.manage_sheets"):
        raise PermissionDenied
    report = SheetImportReport()
    if ScoreSheet.objects.filter(year=year, unit_type=unit_type).exists():
        report.problems.append(
            ImportProblem(
                None,
                _("%(year)s already has a score sheet for %(type)s.")
                % {"year": year, "type": UnitType(unit_type).label},
            )
        )
        return report
    try:
        rows = read_table(upload, COLUMNS, required=("row", "number", "text", "points"))
    except TableError as exc:
        report.problems.append(ImportProblem(None, str(exc)))
        return report
    parsed, problems = _parse(rows)
    report.problems = problems
    if problems:
        return report
    total = parsed.sheet[2] if parsed.sheet else 100
    report.problems = _sums(parsed, total)
    if report.problems:
        return report
    try:
        with transaction.atomic():
            report.sheet = _create(parsed, year, unit_type, total)
            left = sheet_problems(full_sheet(report.sheet.pk))
            if left:
                raise ValidationError(left)
            audit_record(
                actor=by,
                action="sheet_import",
                obj=report.sheet,
                changes={"year": year, "file": getattr(upload, "name", "")},
            )
    except ValidationError as exc:
        report.sheet = None
        report.problems = [ImportProblem(None, message) for message in exc.messages]
        return report
    report.created = len(parsed.groups) + len(parsed.criteria) + len(parsed.grades)
    return report


def _create(parsed: _Parsed, year: int, unit_type: str, total: int) -> ScoreSheet:
    if parsed.sheet:
        _row, title, _total, basis, cap = parsed.sheet
    else:
        title = f"{UnitType(unit_type).label} {year}"
        basis, cap = "", None
    sheet = ScoreSheet.objects.create(
        year=year, unit_type=unit_type, title=title, basis=basis, total=total, top_grade_cap=cap
    )
    groups = {}
    for number, (_row, group) in parsed.groups.items():
        group.sheet = sheet
        group.save()
        groups[number] = group
    for _row, number, criterion in parsed.criteria:
        criterion.group = groups[number]
    Criterion.objects.bulk_create(c for _r, _n, c in parsed.criteria)
    grades = {}
    for code, (_row, grade) in parsed.grades.items():
        grade.sheet = sheet
        grade.save()
        grades[code] = grade
    for _row, number, code, knockout in parsed.knockouts:
        knockout.sheet = sheet
        knockout.group = groups.get(number) if number is not None else None
        knockout.caps_at = grades[code]
        knockout.save()
    return sheet
