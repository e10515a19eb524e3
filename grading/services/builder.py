"""The score-sheet builder: a sheet and its parts (groups of criteria with the bonus and penalty
items, criteria, grades, knock-out conditions) created, changed and removed one at a time.

A sheet is built in steps, so a sheet being built may be incomplete (the criteria of a group
not summing to its maximum yet): :func:`grading.services.sheets.sheet_problems` lists what is
still wrong, and no unit can score on it until nothing is. What can be refused at once is
refused on its field: a maximum at or below zero, criteria or groups that would sum to more
than the maximum above them, a grade asking more than the sheet's total, a rank or code twice.

A sheet a unit has already scored on (any grading, even a draft) is not changed silently: what
the arithmetic reads (the points, the grades and their minimum scores, the knock-outs, the cap,
adding or removing a part) is refused with the number of gradings; its wording (titles,
guidance, evidence asked, note, basis) and its grading period stay editable, so a deadline can
still be moved. A new version of the rules is a new sheet: copy it to the next year.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from emulation.audit import audit_record
from grading.models import (
    Assessment,
    Criterion,
    CriterionGroup,
    Grade,
    GroupKind,
    KnockOut,
    ScoreSheet,
)

# What the arithmetic of a sheet reads, per model: refused once the sheet is in use.
ARITHMETIC = {
    ScoreSheet: ("year", "unit_type", "total", "top_grade_cap"),
    CriterionGroup: ("kind", "max_points"),
    Criterion: ("group_id", "max_points", "justification_required"),
    Grade: ("rank", "code", "min_score"),
    KnockOut: ("group_id", "min_share", "caps_at_id"),
}


def require_manager(by) -> None:
    if not by.has_perm("grading.manage_sheets"):
        raise PermissionDenied


def gradings_on(sheet: ScoreSheet) -> int:
    """How many units have a grading (even a draft) on ``sheet``."""
    return Assessment.objects.filter(sheet=sheet).count()


def _in_use_error(count: int) -> ValidationError:
    return ValidationError(
        _(
            "%(count)s units have already scored on this sheet: its points, grades and "
            "conditions can no longer change (only its wording and dates). Copy it to another "
            "year for new rules."
        )
        % {"count": count},
        code="in_use",
    )


def _fmt(value) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _changed(item: models.Model) -> list[str]:
    """The fields of ``item`` whose value differs from its saved row (every field when new)."""
    fields = [f.attname for f in item._meta.concrete_fields if not f.primary_key]
    if item.pk is None:
        return fields
    saved = type(item).objects.filter(pk=item.pk).values(*fields).first() or {}
    return [name for name in fields if saved.get(name) != getattr(item, name)]


def _check_group(group: CriterionGroup, sheet: ScoreSheet, errors: dict) -> None:
    if group.max_points is None or group.max_points <= 0:
        errors["max_points"] = _("The maximum must be above zero.")
        return
    if group.kind == GroupKind.PENALTY:
        return
    others = sum(
        (g.max_points for g in sheet.groups.exclude(pk=group.pk).exclude(kind=GroupKind.PENALTY)),
        Decimal(0),
    )
    if others + group.max_points > sheet.total:
        errors["max_points"] = _(
            "With the other groups the sheet would count %(sum)s points, more than its total "
            "of %(total)s: at most %(left)s for this group."
        ) % {
            "sum": _fmt(others + group.max_points),
            "total": sheet.total,
            "left": _fmt(max(sheet.total - others, 0)),
        }
    if group.pk:
        criteria = sum((c.max_points for c in group.criteria.all()), Decimal(0))
        if group.kind == GroupKind.REGULAR and criteria > group.max_points:
            errors["max_points"] = _(
                "Its criteria already sum to %(sum)s points: the maximum cannot be lower."
            ) % {"sum": _fmt(criteria)}


def _check_criterion(criterion: Criterion, sheet: ScoreSheet, errors: dict) -> None:
    group = criterion.group
    if group is None or group.sheet_id != sheet.pk:
        errors["group"] = _("Choose a group of this sheet.")
        return
    if criterion.max_points is None or criterion.max_points <= 0:
        errors["max_points"] = _("The maximum must be above zero.")
        return
    if criterion.max_points > group.max_points:
        errors["max_points"] = _("At most the group's maximum of %(max)s points.") % {
            "max": _fmt(group.max_points)
        }
        return
    if group.kind == GroupKind.REGULAR:
        others = sum((c.max_points for c in group.criteria.exclude(pk=criterion.pk)), Decimal(0))
        if others + criterion.max_points > group.max_points:
            errors["max_points"] = _(
                "The criteria of “%(group)s” would sum to %(sum)s points, more than its "
                "maximum of %(max)s: at most %(left)s for this one."
            ) % {
                "group": group.title,
                "sum": _fmt(others + criterion.max_points),
                "max": _fmt(group.max_points),
                "left": _fmt(max(group.max_points - others, 0)),
            }


def _check_grade(grade: Grade, sheet: ScoreSheet, errors: dict) -> None:
    others = sheet.grades.exclude(pk=grade.pk)
    if grade.rank is None or grade.rank < 1:
        errors["rank"] = _("The rank is a whole number from 1 (the top grade).")
    elif others.filter(rank=grade.rank).exists():
        errors["rank"] = _("Another grade of this sheet has the rank %(rank)s.") % {
            "rank": grade.rank
        }
    if others.filter(code=grade.code).exists():
        errors["code"] = _("Another grade of this sheet has the code “%(code)s”.") % {
            "code": grade.code
        }
    if grade.min_score is not None and (grade.min_score < 0 or grade.min_score > sheet.total):
        errors["min_score"] = _(
            "The minimum score is between 0 and the sheet's total (%(total)s)."
        ) % {"total": sheet.total}


def _check_knockout(knockout: KnockOut, sheet: ScoreSheet, errors: dict) -> None:
    if knockout.group_id and knockout.group.sheet_id != sheet.pk:
        errors["group"] = _("Choose a group of this sheet.")
    if knockout.caps_at_id is None or knockout.caps_at.sheet_id != sheet.pk:
        errors["caps_at"] = _("Choose a grade of this sheet.")
    if knockout.group_id and not 1 <= (knockout.min_share or 0) <= 100:
        errors["min_share"] = _("A share between 1 and 100 %.")


def _check_sheet(sheet: ScoreSheet, errors: dict) -> None:
    if not sheet.total or sheet.total <= 0:
        errors["total"] = _("The total must be above zero.")
    elif sheet.pk:
        counted = sum(
            (g.max_points for g in sheet.groups.exclude(kind=GroupKind.PENALTY)), Decimal(0)
        )
        if counted > sheet.total:
            errors["total"] = _(
                "Its groups already count %(sum)s points: the total cannot be lower."
            ) % {"sum": _fmt(counted)}
    if sheet.top_grade_cap is not None and not 1 <= sheet.top_grade_cap <= 100:
        errors["top_grade_cap"] = _("A share between 1 and 100 %.")
    if sheet.opens_on and sheet.deadline and sheet.deadline < sheet.opens_on:
        errors["deadline"] = _("The deadline is before the self-assessment opens.")
    if (
        ScoreSheet.objects.filter(year=sheet.year, unit_type=sheet.unit_type)
        .exclude(pk=sheet.pk)
        .exists()
    ):
        errors["year"] = _("%(year)s already has a score sheet for %(type)s.") % {
            "year": sheet.year,
            "type": sheet.get_unit_type_display(),
        }


CHECKS = {
    CriterionGroup: _check_group,
    Criterion: _check_criterion,
    Grade: _check_grade,
    KnockOut: _check_knockout,
}


def sheet_save(*, sheet: ScoreSheet, by) -> ScoreSheet:
    """Create ``sheet`` or save its changes. Refused (``ValidationError`` by field): a total at
    or below the groups' sum, a cap outside 1-100 %, a deadline before the opening, a year that
    has a sheet of that type already, or a change of the total, cap, year or type of a sheet
    units have scored on."""
    require_manager(by)
    with transaction.atomic():
        if sheet.pk:
            ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        changed = _changed(sheet)
        errors: dict[str, str] = {}
        _check_sheet(sheet, errors)
        if errors:
            raise ValidationError(errors, code="invalid_sheet")
        created = sheet.pk is None
        if not created and set(changed) & set(ARITHMETIC[ScoreSheet]):
            count = gradings_on(sheet)
            if count:
                raise _in_use_error(count)
        sheet.save()
        audit_record(
            actor=by,
            action="sheet_create" if created else "sheet_change",
            obj=sheet,
            changes={name: getattr(sheet, name) for name in changed if name != "created_at"},
        )
    return sheet


def sheet_item_save(*, sheet: ScoreSheet, item: models.Model, by) -> models.Model:
    """Add ``item`` (a group, criterion, grade or knock-out condition) to ``sheet`` or save its
    changes, after the checks of its kind (errors by field). Refused on a sheet units have
    scored on, unless only its wording changes."""
    require_manager(by)
    kind = type(item)
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if kind is Criterion:
            if item.group_id is None or item.group.sheet_id != locked.pk:
                raise ValidationError({"group": _("Choose a group of this sheet.")})
        else:
            item.sheet = locked
        changed = _changed(item)
        if item.pk is None or set(changed) & set(ARITHMETIC[kind]):
            count = gradings_on(locked)
            if count:
                raise _in_use_error(count)
        errors: dict[str, str] = {}
        CHECKS[kind](item, locked, errors)
        if errors:
            raise ValidationError(errors, code="invalid_item")
        created = item.pk is None
        item.save()
        audit_record(
            actor=by,
            action="sheet_change",
            obj=locked,
            changes={
                "part": str(kind._meta.verbose_name),
                "item": str(item),
                "fields": [n for n in changed if not n.endswith("sheet_id")],
                "created": created,
            },
        )
    return item


def sheet_item_delete(*, sheet: ScoreSheet, item: models.Model, by) -> None:
    """Remove a part of ``sheet`` (a group goes with its criteria and its knock-outs; a grade
    that a knock-out caps at is refused). Refused on a sheet units have scored on."""
    require_manager(by)
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        count = gradings_on(locked)
        if count:
            raise _in_use_error(count)
        if isinstance(item, Grade) and KnockOut.objects.filter(caps_at=item).exists():
            raise ValidationError(
                _("A knock-out condition caps the grade at “%(grade)s”: change it first.")
                % {"grade": item.name},
                code="grade_in_use",
            )
        description = str(item)
        item.delete()
        audit_record(
            actor=by,
            action="sheet_change",
            obj=locked,
            changes={
                "part": str(type(item)._meta.verbose_name),
                "item": description,
                "deleted": True,
            },
        )
