"""The themes and the phases of a plan; the milestones follow the phase their date falls in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from campaigns import dates
from campaigns.models import Campaign, Phase, Theme
from campaigns.services.common import PHASE_FIELDS, _changes, _dmy, _lock_for_change, audit_record
from emulation.versions import check_shown

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


def theme_update(*, theme: Theme, by, title: str, text: str, shown: str | None = None) -> Theme:
    with transaction.atomic():
        _lock_for_change(theme.campaign, by)
        theme = Theme.objects.get(pk=theme.pk)
        if shown is not None:
            check_shown(theme, shown)
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
    if deadline and deadline.year > campaign.year + 1:
        add(
            "report_deadline",
            _("The report deadline must fall in %(year)s or %(next)s.")
            % {"year": campaign.year, "next": campaign.year + 1},
        )
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


def phase_update(*, phase: Phase, by, data: dict, shown: str | None = None) -> Phase:
    with transaction.atomic():
        campaign = _lock_for_change(phase.campaign, by)
        phase = Phase.objects.get(pk=phase.pk)
        if shown is not None:
            check_shown(phase, shown)
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
