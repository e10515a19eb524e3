"""Score sheets: the checks a sheet must pass before units score themselves on it, and its copy
to another year."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emulation.audit import audit_record
from grading.models import Criterion, CriterionGroup, GroupKind, KnockOut, ScoreSheet


def sheet_problems(sheet: ScoreSheet) -> list[str]:
    """What is wrong with ``sheet`` (empty: it can be used), each as a sentence."""
    problems = []
    groups = list(sheet.groups.prefetch_related("criteria"))
    counted = [g for g in groups if g.kind != GroupKind.PENALTY]
    if not counted:
        problems.append(_("The sheet has no group of criteria."))
    total = sum((g.max_points for g in counted), Decimal(0))
    if counted and total != sheet.total:
        problems.append(
            _(
                "The maxima of the groups sum to %(sum)s points, not to the sheet's total of %(total)s."
            )
            % {"sum": _points(total), "total": sheet.total}
        )
    for group in groups:
        criteria = list(group.criteria.all())
        if not criteria:
            problems.append(_("The group “%(group)s” has no criterion.") % {"group": group.title})
            continue
        if group.max_points < 0 or any(c.max_points <= 0 for c in criteria):
            problems.append(
                _("Every maximum in the group “%(group)s” must be above zero.")
                % {"group": group.title}
            )
        if group.kind == GroupKind.REGULAR:
            summed = sum((c.max_points for c in criteria), Decimal(0))
            if summed != group.max_points:
                problems.append(
                    _(
                        "The criteria of the group “%(group)s” sum to %(sum)s points, not to "
                        "its maximum of %(max)s."
                    )
                    % {
                        "group": group.title,
                        "sum": _points(summed),
                        "max": _points(group.max_points),
                    }
                )
    grades = sorted(sheet.grades.all(), key=lambda g: g.rank)
    if len(grades) < 2:
        problems.append(_("The sheet needs at least two grades."))
    for higher, lower in zip(grades, grades[1:], strict=False):
        if higher.min_score <= lower.min_score:
            problems.append(
                _("The grade “%(higher)s” must need a higher score than “%(lower)s”.")
                % {"higher": higher.name, "lower": lower.name}
            )
    if any(g.min_score > sheet.total for g in grades):
        problems.append(_("A grade's minimum score is above the sheet's total."))
    if sheet.top_grade_cap is not None and not 0 < sheet.top_grade_cap <= 100:
        problems.append(_("The cap on the top grade must be a share between 1 and 100 %."))
    if sheet.opens_on and sheet.deadline and sheet.deadline < sheet.opens_on:
        problems.append(_("The deadline is before the self-assessment opens."))
    return problems


def sheet_check(sheet: ScoreSheet) -> None:
    """Refuse (``ValidationError`` with every problem) a sheet that cannot be used."""
    problems = sheet_problems(sheet)
    if problems:
        raise ValidationError(problems, code="invalid_sheet")


def _points(value) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _shift(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def sheet_copy(*, sheet: ScoreSheet, year: int, by) -> ScoreSheet:
    """A copy of ``sheet`` for ``year``: its groups, criteria, grades, knock-outs and cap, its
    dates moved by as many years. Refused when the year already has a sheet of that type."""
    if not by.has_perm("grading.manage_sheets"):
        raise PermissionDenied
    with transaction.atomic():
        source = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if ScoreSheet.objects.filter(year=year, unit_type=source.unit_type).exists():
            raise ValidationError(
                {
                    "year": _("%(year)s already has a score sheet for %(type)s.")
                    % {"year": year, "type": source.get_unit_type_display()}
                },
                code="exists",
            )
        years = year - source.year
        copy = ScoreSheet.objects.create(
            year=year,
            unit_type=source.unit_type,
            title=source.title.replace(str(source.year), str(year)),
            basis=source.basis,
            total=source.total,
            opens_on=_shift(source.opens_on, years),
            deadline=_shift(source.deadline, years),
            top_grade_cap=source.top_grade_cap,
            note=source.note,
        )
        groups = {}
        for group in source.groups.all():
            groups[group.pk] = CriterionGroup.objects.create(
                sheet=copy,
                number=group.number,
                title=group.title,
                kind=group.kind,
                max_points=group.max_points,
            )
        Criterion.objects.bulk_create(
            Criterion(
                group=groups[c.group_id],
                number=c.number,
                title=c.title,
                guidance=c.guidance,
                evidence=c.evidence,
                max_points=c.max_points,
                justification_required=c.justification_required,
            )
            for c in Criterion.objects.filter(group__sheet=source)
        )
        grades = {}
        for grade in source.grades.all():
            old = grade.pk
            grade.pk, grade.sheet = None, copy
            grade.save()
            grades[old] = grade
        for knockout in source.knockouts.all():
            KnockOut.objects.create(
                sheet=copy,
                description=knockout.description,
                group=groups.get(knockout.group_id),
                min_share=knockout.min_share,
                caps_at=grades[knockout.caps_at_id],
            )
        audit_record(
            actor=by, action="sheet_copy", obj=copy, changes={"year": year, "from_sheet": source}
        )
    return copy
