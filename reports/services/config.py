"""Configuration: indicators and reporting dates (staff of the issuing unit)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Phase
from emulation.audit import audit_record
from emulation.review.extensions import dmy
from emulation.text import search_key
from reports.models import Indicator, ReportingWindow
from reports.services.common import _require

# The indicators most campaigns count (Kế hoạch 13/KH-LĐLĐ asks for initiatives, the value they
# gained, advanced models found, members taking part and works completed): name, unit of measure.
DEFAULT_INDICATORS = [
    ("Sáng kiến, cải tiến kỹ thuật", "sáng kiến"),
    ("Giá trị làm lợi", "đồng"),
    ("Điển hình tiên tiến được phát hiện", "điển hình"),
    ("Đoàn viên tham gia", "người"),
    ("Công trình, sản phẩm hoàn thành", "công trình"),
]


def _lock_campaign(campaign: Campaign, by) -> Campaign:
    _require(by, "reports.configure", campaign)
    # The campaign's row alone: its issuing unit is read, not locked.
    locked = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("issuer")
        .get(pk=campaign.pk)
    )
    if locked.is_closed:
        raise ValidationError(
            _("This campaign is closed and can no longer be changed; copy it to plan a new year.")
        )
    Campaign.figures_changed([locked.pk])  # the dashboards show them
    locked.figures_version += 1  # as the UPDATE left the locked row
    return locked


@dataclass
class IndicatorData:
    name: str
    unit: str
    whole_numbers: bool = True


def _clean_indicator(campaign: Campaign, data: dict, exclude_pk=None) -> IndicatorData:
    name = " ".join(str(data.get("name") or "").split())[:200]
    unit = " ".join(str(data.get("unit") or "").split())[:50]
    errors = {}
    if not name:
        errors["name"] = _("Name the indicator, for example “Sáng kiến, cải tiến kỹ thuật”.")
    if not unit:
        errors["unit"] = _("Give its unit of measure, for example “sáng kiến”, “đồng”, “người”.")
    if name:
        key = search_key(name)
        others = Indicator.objects.filter(campaign=campaign).exclude(pk=exclude_pk)
        if any(search_key(other) == key for other in others.values_list("name", flat=True)):
            errors["name"] = _("This campaign already has an indicator “%(name)s”.") % {
                "name": name
            }
    if errors:
        raise ValidationError(errors)
    return IndicatorData(name, unit, bool(data.get("whole_numbers", True)))


def indicator_add(*, campaign: Campaign, by, data: dict) -> Indicator:
    with transaction.atomic():
        locked = _lock_campaign(campaign, by)
        values = _clean_indicator(locked, data)
        last = Indicator.objects.filter(campaign=locked).aggregate(last=Max("position"))["last"]
        indicator = Indicator.objects.create(
            campaign=locked,
            position=(last or 0) + 1,
            name=values.name,
            unit=values.unit,
            whole_numbers=values.whole_numbers,
        )
        audit_record(
            actor=by,
            action="indicator-add",
            obj=locked,
            changes={"indicator": indicator.name, "measure": indicator.unit},
        )
    return indicator


def indicator_update(*, indicator: Indicator, by, data: dict) -> Indicator:
    with transaction.atomic():
        locked = _lock_campaign(indicator.campaign, by)
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, campaign=locked)
        values = _clean_indicator(locked, data, exclude_pk=indicator.pk)
        changes = {}
        for field, new, key in (
            ("name", values.name, "indicator"),
            ("unit", values.unit, "measure"),
            ("whole_numbers", values.whole_numbers, "whole_numbers"),
        ):
            old = getattr(indicator, field)
            if old != new:
                changes[key] = [old, new]
                setattr(indicator, field, new)
        if changes:
            indicator.save()
            audit_record(
                actor=by,
                action="indicator-update",
                obj=locked,
                changes={"indicator": indicator.name, **changes},
            )
    return indicator


def indicator_delete(*, indicator: Indicator, by) -> None:
    with transaction.atomic():
        locked = _lock_campaign(indicator.campaign, by)
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, campaign=locked)
        if indicator.values.exists():
            raise ValidationError(
                _("Units have already reported “%(name)s”: it can no longer be deleted.")
                % {"name": indicator.name}
            )
        audit_record(
            actor=by, action="indicator-delete", obj=locked, changes={"indicator": indicator.name}
        )
        indicator.delete()


def indicators_add_defaults(*, campaign: Campaign, by) -> list[Indicator]:
    """Add the usual indicators the campaign does not have yet (same name, accents and case
    ignored)."""
    with transaction.atomic():
        locked = _lock_campaign(campaign, by)
        existing = {
            search_key(name)
            for name in Indicator.objects.filter(campaign=locked).values_list("name", flat=True)
        }
        last = Indicator.objects.filter(campaign=locked).aggregate(last=Max("position"))["last"]
        position = last or 0
        added = []
        for name, unit in DEFAULT_INDICATORS:
            if search_key(name) in existing:
                continue
            position += 1
            added.append(
                Indicator.objects.create(
                    campaign=locked, position=position, name=name, unit=unit, whole_numbers=True
                )
            )
        if added:
            audit_record(
                actor=by,
                action="indicators-defaults",
                obj=locked,
                changes={"added_indicators": [i.name for i in added]},
            )
    return added


def reporting_opens_set(*, phase: Phase, by, opens_on: dt.date | None) -> ReportingWindow | None:
    """Set the day reporting on ``phase`` opens; empty: the phase's first day."""
    with transaction.atomic():
        campaign = _lock_campaign(phase.campaign, by)
        phase = Phase.objects.get(pk=phase.pk, campaign=campaign)
        window = ReportingWindow.objects.select_for_update().filter(phase=phase).first()
        previous = window.opens_on if window else None
        if opens_on is not None:
            if opens_on < phase.start:
                raise ValidationError(
                    {
                        "opens_on": _("Reporting cannot open before the phase starts (%(day)s).")
                        % {"day": dmy(phase.start)}
                    }
                )
            if phase.report_deadline and opens_on > phase.report_deadline:
                raise ValidationError(
                    {
                        "opens_on": _("Reporting must open before the report deadline (%(day)s).")
                        % {"day": dmy(phase.report_deadline)}
                    }
                )
        if opens_on == previous or (opens_on is None and window is None):
            return window
        if opens_on is None or opens_on == phase.start:
            if window is not None:
                window.delete()
            window = None
        else:
            window = window or ReportingWindow(phase=phase)
            window.opens_on = opens_on
            window.save()
        audit_record(
            actor=by,
            action="reporting-opens",
            obj=campaign,
            changes={
                "phase": phase.name,
                "opens_on": [dmy(previous or phase.start), dmy(opens_on or phase.start)],
            },
        )
    return window
