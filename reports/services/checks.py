"""Reading and checking what the officer typed: the report's content, and what keeps it from
being submitted now."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from emulation.review.extensions import dmy
from registrations.content import content_of as registration_content_of
from registrations.content import typed_number
from registrations.models import Registration
from reports.content import (
    NARRATIVE,
    ReportContent,
    achieved_field,
    done_field,
    indicator_field,
    skeleton,
)
from reports.models import VALUE_DECIMALS, VALUE_DIGITS, Indicator, PhaseReport
from reports.services.extensions import EXTENSIONS

MAX_TEXT = 10_000
MAX_NARRATIVE = 20_000
MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS)


def _paragraphs(value) -> str:
    lines = [" ".join(line.split()) for line in str(value or "").splitlines()]
    return "\n".join(line for line in lines if line)


def _number(raw, key: str, errors: dict, *, whole: bool) -> Decimal | None:
    """A non-negative number typed in a field, or None when the field is empty."""
    return typed_number(raw, key, errors, limit=MAX_VALUE, decimals=VALUE_DECIMALS, whole=whole)


def _get(mapping, key):
    """``mapping[key]`` whether the form gave the key as a number or as text."""
    if not isinstance(mapping, dict):
        return None
    value = mapping.get(key)
    return mapping.get(str(key)) if value is None else value


def clean_content(*, base: ReportContent, indicators: list[Indicator], data: dict) -> ReportContent:
    """Check ``data`` against the themes and targets of the registration (``base``) and the
    campaign's indicators, and return the report's content.

    ``data`` is ``{"narrative": str, "themes": {theme_id: {"done": str, "targets": {position:
    value}}}, "indicators": {indicator_id: value}}``. Empty values are allowed in a draft;
    a value that is not a number, is negative, is too large or has too many decimals is refused
    under the name of its field, and so is a fraction for an indicator counted in whole numbers.
    Themes and targets that are not in the registration are ignored.
    """
    errors: dict[str, list] = {}
    narrative = _paragraphs(data.get("narrative"))
    if len(narrative) > MAX_NARRATIVE:
        errors.setdefault(NARRATIVE, []).append(
            _("Keep this text under %(count)s characters.") % {"count": MAX_NARRATIVE}
        )
    base.narrative = narrative
    themes = data.get("themes") or {}
    for line in base.themes:
        item = _get(themes, line.theme_id) or {}
        line.done = _paragraphs(item.get("done"))
        if len(line.done) > MAX_TEXT:
            errors.setdefault(done_field(line.theme_id), []).append(
                _("Keep this text under %(count)s characters.") % {"count": MAX_TEXT}
            )
        targets = item.get("targets") or {}
        for target in line.targets:
            target.achieved = _number(
                _get(targets, target.position),
                achieved_field(line.theme_id, target.position),
                errors,
                whole=False,
            )
    values = {}
    raw_values = data.get("indicators") or {}
    for indicator in indicators:
        value = _number(
            _get(raw_values, indicator.pk),
            indicator_field(indicator.pk),
            errors,
            whole=indicator.whole_numbers,
        )
        if value is not None:
            values[indicator.pk] = value
    base.indicators = values
    if errors:
        raise ValidationError(errors)
    return base


def _same_shape(content: ReportContent, base: ReportContent) -> bool:
    """Whether a saved report still follows the registration: the same themes and targets."""

    def shape(c):
        return [(t.theme_id, [(x.position, x.key, x.target) for x in t.targets]) for t in c.themes]

    return shape(content) == shape(base)


def submission_problems(
    report: PhaseReport,
    content: ReportContent,
    *,
    indicators: list[Indicator],
    registration: Registration,
    today: dt.date,
) -> list[str]:
    """What keeps a report from being submitted now (empty when it may be): an empty
    assessment, a theme without what was done, a target or indicator without its figure, a
    registration changed since the report was saved, a passed deadline."""
    problems = []
    if not content.narrative.strip():
        problems.append(_("Write the general assessment of the phase."))
    if not _same_shape(content, skeleton(registration_content_of(registration))):
        problems.append(
            _(
                "The unit's registration changed after this report was saved: open the form, "
                "check the targets and save it again."
            )
        )
    for line in content.themes:
        if not line.done.strip():
            problems.append(
                _("Say what the unit did under theme %(number)s (%(title)s).")
                % {"number": line.number, "title": line.title}
            )
        for target in line.targets:
            if target.achieved is None:
                problems.append(
                    _(
                        "Enter the achieved value of “%(target)s” under theme %(number)s "
                        "(0 if nothing was achieved)."
                    )
                    % {"target": target.name, "number": line.number}
                )
    for indicator in indicators:
        if indicator.pk not in content.indicators:
            problems.append(
                _("Enter the figure of “%(indicator)s” (0 if none).")
                % {"indicator": indicator.name}
            )
    deadline = EXTENSIONS.deadline_for(report.phase, report.organization)
    if deadline and today > deadline:
        problems.append(
            _("The report deadline (%(day)s) has passed: ask the unit above for an extension.")
            % {"day": dmy(deadline)}
        )
    return problems
