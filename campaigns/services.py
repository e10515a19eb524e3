"""Every change to a campaign plan goes through one of these functions.

Each is keyword-only and runs in one transaction: check the permission, lock the campaign row,
validate everything first (a ``ValidationError`` keyed by form field, with a translatable
message), then write and record the change in the audit log. Nothing is saved half-done.
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns import dates
from campaigns.models import (
    CalendarToken,
    Campaign,
    CampaignStatus,
    Holiday,
    Milestone,
    Phase,
    Theme,
)
from campaigns.signals import campaign_copied
from emulation import audit
from federation import rules as tree
from federation.models import Organization

YEAR_MIN, YEAR_MAX = 2000, 2100

CAMPAIGN_FIELDS = (
    "title",
    "number",
    "symbol",
    "place",
    "issue_date",
    "header_parent",
    "header_issuer",
    "implements",
    "preamble",
    "purposes",
    "organisation",
    "closing",
    "distribution",
    "signing_authority",
    "signer_title",
    "signer_name",
    "min_themes",
    "registration_deadline",
    "receiving_department",
    "deadline_note",
)
PHASE_FIELDS = ("name", "start", "end", "report_deadline", "goal", "conclusion")
HOLIDAY_FIELDS = (
    "name",
    "day",
    "month",
    "origin_year",
    "end_day",
    "end_month",
    "scope_unit",
    "wording",
)


# ---------------------------------------------------------------------------------------------
# Helpers.


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _lock(campaign: Campaign) -> Campaign:
    """Lock the campaign row for the rest of the transaction and read it afresh (with its
    issuing unit, read and not locked)."""
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("issuer")
        .get(pk=campaign.pk)
    )


def _lock_for_change(campaign: Campaign, by) -> Campaign:
    _require(by, "campaigns.change_campaign", campaign)
    locked = _lock(campaign)
    if locked.is_closed:
        raise ValidationError(
            _("This campaign is closed and can no longer be changed; copy it to plan a new year.")
        )
    Campaign.figures_changed([locked.pk])  # the dashboards show the plan
    locked.figures_version += 1  # as the UPDATE left the locked row
    return locked


def _dmy(day: dt.date | None) -> str:
    return dates.dmy(day)


def _fold(text: str) -> str:
    return text.replace("Đ", "D").replace("đ", "d")


def _unique_slug(issuer: Organization, title: str, year: int, exclude_pk=None) -> str:
    base = slugify(_fold(title))[:60].strip("-") or "ke-hoach"
    base = f"{year}-{base}"
    slug, suffix = base, 2
    others = Campaign.objects.filter(issuer=issuer)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _readable(value):
    """Dates as dd/mm/yyyy in the history, whatever the language."""
    if isinstance(value, dt.date):
        return dates.dmy(value)
    if isinstance(value, dict):
        return {key: _readable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_readable(item) for item in value]
    return value


def audit_record(*, actor, action: str, obj, changes: dict | None = None):
    return audit.audit_record(actor=actor, action=action, obj=obj, changes=_readable(changes))


def _changes(instance, data: dict, names) -> dict:
    changes = {}
    for name in names:
        if name in data and getattr(instance, name) != data[name]:
            changes[name] = [getattr(instance, name), data[name]]
            setattr(instance, name, data[name])
    return changes


# ---------------------------------------------------------------------------------------------
# The campaign.


def _validate_campaign(*, issuer: Organization, year: int, data: dict, instance=None) -> None:
    errors: dict[str, list] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if not (data.get("title") or "").strip():
        add("title", _("Please enter the title of the campaign."))
    if not (data.get("symbol") or "").strip():
        add("symbol", _("Please enter the symbol of the document, e.g. KH-LĐLĐ."))
    number = data.get("number")
    if number is not None:
        if number < 1:
            add("number", _("The document number must be 1 or more."))
        duplicate = Campaign.objects.filter(issuer=issuer, year=year, number=number)
        if instance is not None and instance.pk:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            add(
                "number",
                _("%(unit)s already issued a plan numbered %(number)s in %(year)s.")
                % {"unit": issuer.display_name, "number": f"{number:02d}", "year": year},
            )
    issue_date = data.get("issue_date")
    if issue_date and issue_date.year not in (year - 1, year):
        add(
            "issue_date",
            _("A plan for %(year)s is issued in %(year)s or at the end of the year before.")
            % {"year": year},
        )
    min_themes = data.get("min_themes")
    if min_themes is not None:
        if min_themes < 1:
            add("min_themes", _("A unit registers at least one theme."))
        theme_count = instance.themes.count() if instance is not None and instance.pk else 0
        if theme_count and min_themes > theme_count:
            add(
                "min_themes",
                _(
                    "Units cannot register %(min)s themes: the plan has only %(count)s. "
                    "Add themes first or lower the minimum."
                )
                % {"min": min_themes, "count": theme_count},
            )
    deadline = data.get("registration_deadline")
    if deadline and deadline.year != year:
        add(
            "registration_deadline",
            _("The registration deadline must fall in %(year)s, the year of the campaign.")
            % {"year": year},
        )
    department = data.get("receiving_department")
    if department is not None and department.organization_id != issuer.pk:
        add("receiving_department", _("The department must belong to the issuing unit."))
    if errors:
        raise ValidationError(errors)


def _validate_year(year) -> None:
    if year is None or not (YEAR_MIN <= year <= YEAR_MAX):
        raise ValidationError(
            {
                "year": _("Please enter a year between %(min)s and %(max)s.")
                % {"min": YEAR_MIN, "max": YEAR_MAX}
            }
        )


def campaign_create(*, by, issuer: Organization, year: int, data: dict) -> Campaign:
    """A new draft campaign of ``issuer`` for ``year``."""
    _require(by, "campaigns.add_campaign")
    _require(by, "campaigns.change_campaign", Campaign(issuer=issuer))
    with transaction.atomic():
        # Serialises the campaigns created by one unit (their numbers and slugs), without the
        # FOR UPDATE that would hold every row inserted meanwhile with a key to the unit.
        issuer = Organization.objects.select_for_update(no_key=True).get(pk=issuer.pk)
        _validate_year(year)
        if not issuer.is_active:
            raise ValidationError({"issuer": _("This unit is no longer active.")})
        values = {name: data[name] for name in CAMPAIGN_FIELDS if name in data}
        values.setdefault("min_themes", 2)
        values.setdefault("symbol", "KH-LĐLĐ")
        _validate_campaign(issuer=issuer, year=year, data=values)
        values["title"] = " ".join(values["title"].split())
        campaign = Campaign.objects.create(
            issuer=issuer,
            year=year,
            slug=_unique_slug(issuer, values["title"], year),
            created_by=by if by.is_authenticated else None,
            **values,
        )
        audit_record(
            actor=by, action="campaign-create", obj=campaign, changes={"year": year, **values}
        )
    return campaign


def campaign_update(*, campaign: Campaign, by, data: dict) -> Campaign:
    with transaction.atomic():
        locked = _lock_for_change(campaign, by)
        values = {name: data[name] for name in CAMPAIGN_FIELDS if name in data}
        merged = {name: getattr(locked, name) for name in CAMPAIGN_FIELDS} | values
        _validate_campaign(issuer=locked.issuer, year=locked.year, data=merged, instance=locked)
        if "title" in values:
            values["title"] = " ".join(values["title"].split())
        changes = _changes(locked, values, CAMPAIGN_FIELDS)
        if changes:
            locked.save()
            audit_record(actor=by, action="campaign-update", obj=locked, changes=changes)
    return locked


def activation_problems(campaign: Campaign) -> list[str]:
    """What keeps a draft from being published (empty when it may be)."""
    problems = []
    if campaign.number is None:
        problems.append(_("Give the plan its document number."))
    if campaign.issue_date is None:
        problems.append(_("Give the plan its date of issue."))
    theme_count = campaign.themes.count()
    if theme_count == 0:
        problems.append(_("Add the themes of the campaign."))
    elif campaign.min_themes > theme_count:
        problems.append(
            _("Units must register %(min)s themes but the plan has only %(count)s.")
            % {"min": campaign.min_themes, "count": theme_count}
        )
    if not campaign.phases.exists():
        problems.append(_("Add at least one phase."))
    return problems


def campaign_activate(*, campaign: Campaign, by) -> Campaign:
    """Publish a draft: every unit of the issuer's branch sees it from now on."""
    with transaction.atomic():
        locked = _lock_for_change(campaign, by)
        if not locked.is_draft:
            raise ValidationError(_("Only a draft campaign can be activated."))
        problems = activation_problems(locked)
        if problems:
            raise ValidationError(problems)
        locked.status = CampaignStatus.ACTIVE
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action="campaign-activate", obj=locked)
    return locked


def campaign_close(*, campaign: Campaign, by) -> Campaign:
    """Close an active campaign: it stays readable as history and can be copied."""
    with transaction.atomic():
        locked = _lock_for_change(campaign, by)
        if not locked.is_active:
            raise ValidationError(_("Only an active campaign can be closed."))
        locked.status = CampaignStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action="campaign-close", obj=locked)
    return locked


def _replace_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text or "")


@dataclass
class CopyResult:
    campaign: Campaign
    skipped: list[Holiday] = field(default_factory=list)
    number_cleared: bool = False


def campaign_copy(*, campaign: Campaign, by, year: int | None = None) -> CopyResult:
    """Copy a campaign to a later year as a draft: the texts with the year changed, the themes,
    the phases and deadlines shifted by the same number of years, and the milestones recomputed
    for the new year (a day that does not exist in it, 29/02, is left out and reported)."""
    _require(by, "campaigns.change_campaign", campaign)
    with transaction.atomic():
        source = _lock(campaign)
        year = source.year + 1 if year is None else year
        _validate_year(year)
        if year <= source.year:
            raise ValidationError(
                {"year": _("Copy to a year after %(year)s.") % {"year": source.year}}
            )
        shift = year - source.year
        number = source.number
        number_taken = (
            number is not None
            and Campaign.objects.filter(issuer=source.issuer, year=year, number=number).exists()
        )
        copy = Campaign.objects.create(
            issuer=source.issuer,
            year=year,
            title=_replace_year(source.title, source.year, year),
            slug=_unique_slug(source.issuer, _replace_year(source.title, source.year, year), year),
            status=CampaignStatus.DRAFT,
            number=None if number_taken else number,
            symbol=source.symbol,
            place=source.place,
            issue_date=dates.shift_year(source.issue_date, shift),
            header_parent=source.header_parent,
            header_issuer=source.header_issuer,
            # The higher document and the opening paragraphs cite that year's documents: they
            # are kept as they are, for the editor to bring up to date.
            implements=source.implements,
            preamble=source.preamble,
            purposes=_replace_year(source.purposes, source.year, year),
            organisation=_replace_year(source.organisation, source.year, year),
            closing=_replace_year(source.closing, source.year, year),
            distribution=source.distribution,
            signing_authority=source.signing_authority,
            signer_title=source.signer_title,
            signer_name=source.signer_name,
            min_themes=source.min_themes,
            registration_deadline=dates.shift_year(source.registration_deadline, shift),
            receiving_department=source.receiving_department,
            deadline_note=_replace_year(source.deadline_note, source.year, year),
            copied_from=source,
            created_by=by if by.is_authenticated else None,
        )
        Theme.objects.bulk_create(
            Theme(
                campaign=copy,
                number=theme.number,
                title=_replace_year(theme.title, source.year, year),
                text=_replace_year(theme.text, source.year, year),
            )
            for theme in source.themes.order_by("number")
        )
        new_phases = []
        for phase in source.phases.order_by("start"):
            new_phases.append(
                Phase(
                    campaign=copy,
                    name=phase.name,
                    start=dates.shift_year(phase.start, shift),
                    end=dates.shift_year(phase.end, shift),
                    report_deadline=dates.shift_year(phase.report_deadline, shift),
                    goal=_replace_year(phase.goal, source.year, year),
                    conclusion=_replace_year(phase.conclusion, source.year, year),
                )
            )
        for index, phase in enumerate(new_phases):
            _validate_phase(
                copy,
                {f: getattr(phase, f) for f in PHASE_FIELDS},
                others=new_phases[:index],
            )
        Phase.objects.bulk_create(new_phases)
        phases = list(copy.phases.all())
        result = CopyResult(campaign=copy, number_cleared=number_taken)
        milestones = []
        for milestone in source.milestones.select_related("holiday").order_by("date"):
            try:
                values = _milestone_values(copy, milestone.holiday, phases)
            except ValidationError:
                result.skipped.append(milestone.holiday)
                continue
            milestones.append(Milestone(campaign=copy, holiday=milestone.holiday, **values))
        Milestone.objects.bulk_create(milestones)
        campaign_copied.send(sender=Campaign, source=source, copy=copy, by=by)
        audit_record(
            actor=by,
            action="campaign-copy",
            obj=copy,
            changes={
                "from": source,
                "year": year,
                **({"skipped": [h.name for h in result.skipped]} if result.skipped else {}),
            },
        )
        audit_record(
            actor=by, action="campaign-copied", obj=source, changes={"to": copy, "year": year}
        )
    return result


# ---------------------------------------------------------------------------------------------
# Themes.


def _validate_theme(title: str, text: str) -> tuple[str, str]:
    errors = {}
    title = " ".join((title or "").split())
    text = (text or "").strip()
    if not title:
        errors["title"] = _("Please give the theme a short title.")
    if not text:
        errors["text"] = _("Please enter the full text of the theme.")
    if errors:
        raise ValidationError(errors)
    return title, text


def theme_add(*, campaign: Campaign, by, title: str, text: str) -> Theme:
    with transaction.atomic():
        locked = _lock_for_change(campaign, by)
        title, text = _validate_theme(title, text)
        last = locked.themes.aggregate(last=Max("number"))["last"] or 0
        theme = Theme.objects.create(campaign=locked, number=last + 1, title=title, text=text)
        audit_record(
            actor=by,
            action="theme-add",
            obj=locked,
            changes={"theme": theme.number, "title": title},
        )
    return theme


def theme_update(*, theme: Theme, by, title: str, text: str) -> Theme:
    with transaction.atomic():
        _lock_for_change(theme.campaign, by)
        theme = Theme.objects.get(pk=theme.pk)
        title, text = _validate_theme(title, text)
        changes = _changes(theme, {"title": title, "text": text}, ("title", "text"))
        if changes:
            theme.save()
            audit_record(
                actor=by,
                action="theme-update",
                obj=theme.campaign,
                changes={"theme": theme.number, **changes},
            )
    return theme


def theme_delete(*, theme: Theme, by) -> None:
    with transaction.atomic():
        campaign = _lock_for_change(theme.campaign, by)
        theme = Theme.objects.get(pk=theme.pk)
        remaining = campaign.themes.count() - 1
        if not campaign.is_draft and remaining < campaign.min_themes:
            raise ValidationError(
                _(
                    "Units must register %(min)s themes: an active plan cannot have fewer. "
                    "Lower the minimum first."
                )
                % {"min": campaign.min_themes}
            )
        number = theme.number
        audit_record(
            actor=by,
            action="theme-delete",
            obj=campaign,
            changes={"theme": number, "title": theme.title},
        )
        try:
            with transaction.atomic():
                theme.delete()
        except ProtectedError as exc:
            raise ValidationError(
                _(
                    "Units have already registered or reported on this theme, so it cannot be "
                    "deleted. Edit its wording instead."
                )
            ) from exc
        for later in campaign.themes.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])


def theme_move(*, theme: Theme, by, offset: int) -> Theme:
    """Move a theme one place up (offset -1) or down (+1); the plan numbers them in order."""
    if offset not in (-1, 1):
        raise ValidationError(_("A theme moves one place at a time."))
    with transaction.atomic():
        campaign = _lock_for_change(theme.campaign, by)
        theme = Theme.objects.get(pk=theme.pk)
        other = campaign.themes.filter(number=theme.number + offset).first()
        if other is None:
            return theme
        old, new = theme.number, other.number
        theme.number = 0  # free the number: (campaign, number) is unique
        theme.save(update_fields=["number"])
        other.number = old
        other.save(update_fields=["number"])
        theme.number = new
        theme.save(update_fields=["number"])
        audit_record(
            actor=by,
            action="theme-move",
            obj=campaign,
            changes={"title": theme.title, "from": old, "to": new},
        )
    return theme


# ---------------------------------------------------------------------------------------------
# Phases.


def _validate_phase(campaign: Campaign, data: dict, *, others) -> None:
    errors: dict[str, list] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if not (data.get("name") or "").strip():
        add("name", _("Please name the phase, e.g. Đợt 1."))
    start, end, deadline = data.get("start"), data.get("end"), data.get("report_deadline")
    if start is None:
        add("start", _("Please enter the first day of the phase."))
    if end is None:
        add("end", _("Please enter the last day of the phase."))
    if start and end:
        if end < start:
            add("end", _("The phase ends before it starts."))
        for name, day in (("start", start), ("end", end)):
            if day.year != campaign.year:
                add(
                    name,
                    _("The phase must stay within %(year)s, the year of the campaign.")
                    % {"year": campaign.year},
                )
        if end >= start:
            for other in others:
                if start <= other.end and other.start <= end:
                    add(
                        "start",
                        _("The phase overlaps %(name)s (%(start)s - %(end)s).")
                        % {
                            "name": other.name,
                            "start": _dmy(other.start),
                            "end": _dmy(other.end),
                        },
                    )
    if start and deadline and deadline < start:
        add("report_deadline", _("The report deadline falls before the phase starts."))
    if errors:
        raise ValidationError(errors)


def _assign_milestone_phases(campaign: Campaign) -> None:
    """Put every milestone in the phase its date falls in, after the phases changed."""
    phases = list(campaign.phases.all())
    for milestone in campaign.milestones.all():
        phase = dates.phase_for(milestone.date, phases)
        phase_id = phase.pk if phase else None
        if milestone.phase_id != phase_id:
            milestone.phase_id = phase_id
            milestone.save(update_fields=["phase"])


def _clean_phase_data(data: dict) -> dict:
    values = {name: data.get(name) for name in PHASE_FIELDS}
    values["name"] = " ".join((values["name"] or "").split())
    values["goal"] = (values["goal"] or "").strip()
    values["conclusion"] = (values["conclusion"] or "").strip()
    return values


def phase_add(*, campaign: Campaign, by, data: dict) -> Phase:
    with transaction.atomic():
        locked = _lock_for_change(campaign, by)
        values = _clean_phase_data(data)
        _validate_phase(locked, values, others=list(locked.phases.all()))
        phase = Phase.objects.create(campaign=locked, **values)
        _assign_milestone_phases(locked)
        audit_record(actor=by, action="phase-add", obj=locked, changes=values)
    return phase


def phase_update(*, phase: Phase, by, data: dict) -> Phase:
    with transaction.atomic():
        campaign = _lock_for_change(phase.campaign, by)
        phase = Phase.objects.get(pk=phase.pk)
        values = _clean_phase_data(data)
        _validate_phase(campaign, values, others=list(campaign.phases.exclude(pk=phase.pk)))
        changes = _changes(phase, values, PHASE_FIELDS)
        if changes:
            phase.save()
            _assign_milestone_phases(campaign)
            audit_record(
                actor=by,
                action="phase-update",
                obj=campaign,
                changes={"phase": phase.name, **changes},
            )
    return phase


def phase_delete(*, phase: Phase, by) -> None:
    with transaction.atomic():
        campaign = _lock_for_change(phase.campaign, by)
        if not campaign.is_draft and campaign.phases.count() <= 1:
            raise ValidationError(_("An active plan keeps at least one phase."))
        audit_record(
            actor=by,
            action="phase-delete",
            obj=campaign,
            changes={"phase": phase.name, "start": phase.start, "end": phase.end},
        )
        try:
            with transaction.atomic():
                Phase.objects.filter(pk=phase.pk).delete()
        except ProtectedError as exc:
            raise ValidationError(
                _(
                    "Units have already reported on this phase, so it cannot be deleted. "
                    "Change its dates instead."
                )
            ) from exc
        _assign_milestone_phases(campaign)


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


def milestone_add(*, campaign: Campaign, by, holiday: Holiday) -> Milestone:
    """Choose one more commemorative day for a campaign."""
    with transaction.atomic():
        current = list(campaign.milestones.values_list("holiday_id", flat=True))
        if holiday.pk in current:
            raise ValidationError(_("This day is already a milestone of the campaign."))
        holidays = [*Holiday.objects.filter(pk__in=current), holiday]
        new, _removed = milestones_set(campaign=campaign, by=by, holidays=holidays)
    return new[0]


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


def holiday_update(*, holiday: Holiday, by, data: dict) -> Holiday:
    """Edit a day of the catalogue; the milestones of draft and active campaigns follow it
    (closed campaigns keep theirs as history)."""
    _require(by, "campaigns.change_holiday", holiday)
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
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
