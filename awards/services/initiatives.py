"""The initiatives register (sáng kiến): one initiative at a time or imported from a spreadsheet
(all rows or none), with its documents."""

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import Initiative, InitiativeFile, InitiativeLevel, NomineeKind
from emulation.audit import audit_record
from emulation.tabular import TableError, choice_names, choices_text, fold, read_table
from emulation.uploads import check_upload
from federation.models import Organization
from federation.services.imports import ImportProblem, ImportReport

INITIATIVE_COLUMNS = {
    "unit": ("Mã đơn vị", "Mã", "unit code"),
    "person_name": ("Họ và tên", "Tác giả", "full name"),
    "title": ("Tên sáng kiến", "Sáng kiến", "initiative"),
    "level": ("Cấp công nhận", "Cấp", "level"),
    "recognised_on": ("Ngày công nhận", "Ngày", "date"),
    "recognised_by": ("Cơ quan công nhận", "Nơi công nhận", "recognised by"),
    "benefit": ("Giá trị làm lợi", "Giá trị làm lợi (đồng)", "benefit"),
}
LEVEL_ALIASES = {
    "coso": InitiativeLevel.GRASSROOTS,
    "tinh": InitiativeLevel.PROVINCE,
    "toanquoc": InitiativeLevel.NATIONAL,
    "quocgia": InitiativeLevel.NATIONAL,
}


def _day(text: str) -> dt.date | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", text)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def _date_problem(value) -> str:
    return _("The date “%(value)s” is not a past date written dd/mm/yyyy.") % {"value": value}


def initiative_problems(initiative: Initiative, *, by, today: dt.date) -> dict[str, str]:
    """What is wrong with an initiative about to be recorded, by field; the fields' text is
    tidied in place (spaces) and the kind of author follows from the person's name. Shared by
    the form and the import, so that both refuse the same things."""
    problems = {}
    unit = initiative.nominee_unit if initiative.nominee_unit_id else None
    if unit is None:
        problems["nominee_unit"] = _("Please choose the unit.")
    elif not by.has_perm("awards.record_history", unit):
        problems["nominee_unit"] = _("You may not record initiatives of %(unit)s.") % {
            "unit": unit.name
        }
    initiative.person_name = " ".join((initiative.person_name or "").split())[:150]
    initiative.nominee_kind = (
        NomineeKind.INDIVIDUAL if initiative.person_name else NomineeKind.COLLECTIVE
    )
    initiative.title = " ".join((initiative.title or "").split())[:500]
    if not initiative.title:
        problems["title"] = _("The initiative's name is missing.")
    if initiative.level not in InitiativeLevel.values:
        problems["level"] = _("Please choose the level at which it was recognised.")
    day = initiative.recognised_on
    if day is None or day > today:
        problems["recognised_on"] = _date_problem(day.strftime("%d/%m/%Y") if day else "")
    initiative.recognised_by = " ".join((initiative.recognised_by or "").split())[:255]
    if not initiative.recognised_by:
        problems["recognised_by"] = _("The recognising body is missing.")
    return problems


def initiative_record(*, by, today: dt.date, **fields) -> Initiative:
    """Record one initiative in the register; a ``ValidationError`` by field otherwise."""
    if not by.has_perm("awards.import_initiatives"):
        raise PermissionDenied
    initiative = Initiative(recorded_by=by, **fields)
    problems = initiative_problems(initiative, by=by, today=today)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        initiative.save()
        audit_record(
            actor=by,
            action="initiative-record",
            obj=initiative.nominee_unit,
            changes={"initiative": initiative.title, "person": initiative.person_name},
        )
    return initiative


def _require_recorder(by, initiative: Initiative) -> None:
    if not by.has_perm("awards.record_history", initiative.nominee_unit):
        raise PermissionDenied


def initiative_file_add(*, initiative: Initiative, by, document: str, upload) -> InitiativeFile:
    """Add a document to an initiative: the file checked by its content, stored under a
    random name."""
    _require_recorder(by, initiative)
    document = " ".join((document or "").split())
    if not document:
        raise ValidationError({"document": _("Please say which document this file is.")})
    checked = check_upload(upload)
    record = InitiativeFile(
        initiative=initiative,
        document=document[:200],
        original_name=checked.name,
        content_type=checked.kind.content_type,
        extension=checked.kind.extension,
        size=checked.size,
        token=checked.token,
        uploaded_by=by,
    )
    record.file.save(checked.token, ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            record.save()
            audit_record(
                actor=by,
                action="initiative-file-add",
                obj=initiative.nominee_unit,
                changes={"initiative": initiative.title, "file": record.original_name},
            )
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def initiative_file_remove(*, initiative: Initiative, file_id: int, by) -> None:
    _require_recorder(by, initiative)
    with transaction.atomic():
        record = (
            InitiativeFile.objects.select_for_update()
            .filter(pk=file_id, initiative=initiative)
            .first()
        )
        if record is None:
            raise ValidationError(_("This file is no longer there."))
        name = record.original_name
        record.delete()
        audit_record(
            actor=by,
            action="initiative-file-remove",
            obj=initiative.nominee_unit,
            changes={"initiative": initiative.title, "file": name},
        )
    transaction.on_commit(lambda: record.file.delete(save=False))


def initiatives_import(*, upload, by, today: dt.date) -> ImportReport:
    """Import initiatives from a CSV or XLSX file: every row, or none when any row is wrong.
    Each row's unit must be one the importer may complete the history of."""
    report = ImportReport()
    if not by.has_perm("awards.import_initiatives"):
        raise PermissionDenied
    try:
        rows = read_table(
            upload,
            INITIATIVE_COLUMNS,
            required=("unit", "title", "level", "recognised_on", "recognised_by"),
        )
    except TableError as exc:
        report.problems.append(ImportProblem(None, str(exc)))
        return report
    codes = {row.get("unit") for row in rows}
    units = {u.code: u for u in Organization.objects.filter(code__in=codes)}
    levels = choice_names(InitiativeLevel, LEVEL_ALIASES)
    made = []
    for row in rows:
        problems = []
        unit = units.get(row.get("unit"))
        if unit is None:
            problems.append(_("No unit has the code “%(code)s”.") % {"code": row.get("unit")})
        level = levels.get(fold(row.get("level")))
        if level is None:
            problems.append(
                _("The level “%(value)s” is not one of: %(choices)s.")
                % {"value": row.get("level"), "choices": choices_text(InitiativeLevel)}
            )
        day = _day(row.get("recognised_on"))
        if day is None:
            problems.append(_date_problem(row.get("recognised_on")))
        raw = re.sub(r"[.,\s]", "", row.get("benefit"))
        if raw and not raw.isdigit():
            problems.append(
                _("The benefit “%(value)s” is not a whole number of đồng.")
                % {"value": row.get("benefit")}
            )
        initiative = Initiative(
            nominee_unit=unit,
            person_name=row.get("person_name"),
            title=row.get("title"),
            level=level or "",
            recognised_on=day,
            recognised_by=row.get("recognised_by"),
            benefit=int(raw) if raw and raw.isdigit() else None,
            recorded_by=by,
        )
        checked = initiative_problems(initiative, by=by, today=today)
        problems.extend(
            message
            for field, message in checked.items()
            if not (field == "nominee_unit" and unit is None)
            and not (field == "level" and level is None)
            and not (field == "recognised_on" and day is None)
        )
        report.problems.extend(ImportProblem(row.number, p) for p in problems)
        if not problems:
            made.append(initiative)
    if report.problems:
        return report
    with transaction.atomic():
        for initiative in made:
            initiative.save()
        report.created = len(made)
        if made:
            audit_record(
                actor=by,
                action="import-initiatives",
                obj=made[0].nominee_unit,
                changes={"created": len(made), "file": getattr(upload, "name", "")},
            )
    return report
