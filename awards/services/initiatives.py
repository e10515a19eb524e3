"""The initiatives register (sáng kiến): import from a spreadsheet, all rows or none."""

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import Initiative, InitiativeLevel, NomineeKind
from emulation.audit import audit_record
from emulation.tabular import TableError, choice_names, choices_text, fold, read_table
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
        elif not by.has_perm("awards.record_history", unit):
            problems.append(_("You may not record initiatives of %(unit)s.") % {"unit": unit.name})
        title = " ".join(row.get("title").split())
        if not title:
            problems.append(_("The initiative's name is missing."))
        level = levels.get(fold(row.get("level")))
        if level is None:
            problems.append(
                _("The level “%(value)s” is not one of: %(choices)s.")
                % {"value": row.get("level"), "choices": choices_text(InitiativeLevel)}
            )
        day = _day(row.get("recognised_on"))
        if day is None or day > today:
            problems.append(
                _("The date “%(value)s” is not a past date written dd/mm/yyyy.")
                % {"value": row.get("recognised_on")}
            )
        body = " ".join(row.get("recognised_by").split())
        if not body:
            problems.append(_("The recognising body is missing."))
        raw = re.sub(r"[.,\s]", "", row.get("benefit"))
        if raw and not raw.isdigit():
            problems.append(
                _("The benefit “%(value)s” is not a whole number of đồng.")
                % {"value": row.get("benefit")}
            )
        report.problems.extend(ImportProblem(row.number, p) for p in problems)
        if not problems:
            person = " ".join(row.get("person_name").split())
            made.append(
                Initiative(
                    nominee_kind=NomineeKind.INDIVIDUAL if person else NomineeKind.COLLECTIVE,
                    nominee_unit=unit,
                    person_name=person,
                    title=title[:500],
                    level=level,
                    recognised_on=day,
                    recognised_by=body[:255],
                    benefit=int(raw) if raw else None,
                    recorded_by=by,
                )
            )
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
