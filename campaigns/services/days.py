"""Commemorative days: a campaign's milestones, the catalogue of days they are chosen from,
and each person's secret calendar address."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns import dates
from campaigns.models import CalendarToken, Campaign, CampaignStatus, Holiday, Milestone
from campaigns.services.common import (
    HOLIDAY_FIELDS,
    YEAR_MAX,
    _changes,
    _lock_for_change,
    _require,
    audit_record,
)
from emulation.versions import check_shown
from federation import rules as tree

# ---------------------------------------------------------------------------------------------
# Milestones.


def _milestone_values(campaign: Campaign, holiday: Holiday, phases) -> dict:
    """The date, period end, anniversary and phase of ``holiday`` in the campaign year."""
    try:
        day = holiday.date_in(campaign.year)
        end = holiday.end_in(campaign.year)
    except ValueError:
        raise ValidationError(
            _("“%(name)s” falls on %(day)02d/%(month)02d, a day that %(year)s does not have.")
            % {
                "name": holiday.name,
                "day": holiday.day,
                "month": holiday.month,
                "year": campaign.year,
            }
        ) from None
    if holiday.origin_year is not None and holiday.origin_year > campaign.year:
        raise ValidationError(
            _("“%(name)s” dates from %(origin)s, after the year of the campaign.")
            % {"name": holiday.name, "origin": holiday.origin_year}
        )
    phase = dates.phase_for(day, phases)
    return {
        "date": day,
        "end_date": end,
        "anniversary": holiday.anniversary_in(campaign.year),
        "phase": phase,
    }


def milestones_set(*, campaign: Campaign, by, holidays) -> tuple[list, list]:
    """Make the chosen commemorative days exactly ``holidays``: add the new ones with their
    date, anniversary and phase in the campaign year, remove the others. All or nothing."""
    with transaction.atomic():
        locked = _lock_for_change(campaign, by)
        allowed = set(Holiday.objects.for_issuer(locked.issuer).values_list("pk", flat=True))
        wanted = {h.pk: h for h in holidays}
        current = {m.holiday_id: m for m in locked.milestones.select_related("holiday")}
        phases = list(locked.phases.all())
        problems = []
        new = []
        for pk, holiday in wanted.items():
            if pk in current:
                continue
            if pk not in allowed:
                problems.append(
                    _("“%(name)s” is a day of another branch of the union.")
                    % {"name": holiday.name}
                )
                continue
            try:
                values = _milestone_values(locked, holiday, phases)
            except ValidationError as exc:
                problems.extend(exc.messages)
                continue
            new.append(Milestone(campaign=locked, holiday=holiday, **values))
        if problems:
            raise ValidationError(problems)
        removed = [m for pk, m in current.items() if pk not in wanted]
        Milestone.objects.filter(pk__in=[m.pk for m in removed]).delete()
        Milestone.objects.bulk_create(new)
        if new or removed:
            audit_record(
                actor=by,
                action="milestones-set",
                obj=locked,
                changes={
                    "added": [m.wording for m in new],
                    "removed": [m.wording for m in removed],
                },
            )
    return new, removed


# ---------------------------------------------------------------------------------------------
# The catalogue of commemorative days.


def _validate_holiday(data: dict, *, by, instance=None) -> dict:
    errors: dict[str, list] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    values = {name: data.get(name) for name in HOLIDAY_FIELDS}
    values["name"] = " ".join((values["name"] or "").split())
    values["wording"] = " ".join((values["wording"] or "").split())
    if not values["name"]:
        add("name", _("Please name the day."))
    day, month = values["day"], values["month"]
    if not dates.exists_in_some_year(month, day):
        add("day", _("There is no such day in the calendar."))
    end_day, end_month = values["end_day"], values["end_month"]
    if (end_day is None) != (end_month is None):
        add("end_day", _("Give both the day and the month of the last day, or neither."))
    elif end_day is not None:
        if not dates.exists_in_some_year(end_month, end_day):
            add("end_day", _("There is no such day in the calendar."))
        elif dates.exists_in_some_year(month, day) and (end_month, end_day) <= (month, day):
            add("end_day", _("The period must end after its first day, in the same year."))
    origin = values["origin_year"]
    if origin is not None and not (1000 <= origin <= YEAR_MAX):
        add("origin_year", _("Please enter a year of four digits."))
    scope = values["scope_unit"]
    if scope is None:
        if not by.is_superuser:
            add("scope_unit", _("Only an administrator keeps the national days."))
    elif not (by.is_superuser or tree.is_unit_staff(by, scope)):
        add("scope_unit", _("You may keep the days of your own branch only."))
    if not errors:
        duplicate = Holiday.objects.filter(
            name=values["name"], day=day, month=month, scope_unit=scope
        )
        if instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            add("name", _("This day is already in the catalogue."))
    if errors:
        raise ValidationError(errors)
    return values


def holiday_create(*, by, data: dict) -> Holiday:
    _require(by, "campaigns.manage_holidays")
    with transaction.atomic():
        values = _validate_holiday(data, by=by)
        holiday = Holiday.objects.create(**values)
        audit_record(actor=by, action="holiday-create", obj=holiday, changes=values)
    return holiday


def holiday_update(*, holiday: Holiday, by, data: dict, shown: str | None = None) -> Holiday:
    """Edit a day of the catalogue; the milestones of draft and active campaigns follow it
    (closed campaigns keep theirs as history)."""
    _require(by, "campaigns.change_holiday", holiday)
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
        if shown is not None:
            check_shown(holiday, shown)
        values = _validate_holiday(data, by=by, instance=holiday)
        changes = _changes(holiday, values, HOLIDAY_FIELDS)
        if not changes:
            return holiday
        holiday.save()
        problems = []
        milestones = holiday.milestones.exclude(campaign__status=CampaignStatus.CLOSED)
        for milestone in milestones.select_related("campaign"):
            try:
                new = _milestone_values(
                    milestone.campaign, holiday, list(milestone.campaign.phases.all())
                )
            except ValidationError as exc:
                problems.extend(exc.messages)
                continue
            for name, value in new.items():
                setattr(milestone, name, value)
            milestone.save()
        if problems:
            raise ValidationError({"day": problems})
        # Every campaign that shows this day, closed ones too (their milestones keep their dates
        # but show the day's name and wording).
        Campaign.figures_changed(Campaign.objects.filter(milestones__holiday=holiday))
        audit_record(actor=by, action="holiday-update", obj=holiday, changes=changes)
    return holiday


def holiday_delete(*, holiday: Holiday, by) -> None:
    _require(by, "campaigns.change_holiday", holiday)
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
        used = holiday.milestones.values("campaign").distinct().count()
        if used:
            raise ValidationError(
                ngettext(
                    "This day is a milestone of %(count)s campaign, so it cannot be deleted.",
                    "This day is a milestone of %(count)s campaigns, so it cannot be deleted.",
                    used,
                )
                % {"count": used}
            )
        audit_record(
            actor=by,
            action="holiday-delete",
            obj=holiday,
            changes={"name": holiday.name, "day": holiday.day, "month": holiday.month},
        )
        holiday.delete()


# ---------------------------------------------------------------------------------------------
# Calendar addresses.


def calendar_token_reset(*, user) -> CalendarToken:
    """Give ``user`` a new secret calendar address (the old one, if any, stops working)."""
    if not user.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        token = CalendarToken.objects.select_for_update().filter(user=user).first()
        created = token is None
        if created:
            token = CalendarToken(user=user)
        token.token = secrets.token_urlsafe(32)
        token.save()
        audit_record(
            actor=user,
            action="calendar-token-create" if created else "calendar-token-reset",
            obj=token,
        )
    return token
