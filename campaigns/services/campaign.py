"""The campaign itself: create and edit a draft, publish it (what keeps it from that), close it,
and copy it to a later year."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns import dates
from campaigns.models import Campaign, CampaignStatus, Holiday, Milestone, Phase, Theme
from campaigns.services.common import (
    CAMPAIGN_FIELDS,
    PHASE_FIELDS,
    YEAR_MAX,
    YEAR_MIN,
    _changes,
    _lock,
    _lock_for_change,
    _require,
    _unique_slug,
    audit_record,
)
from campaigns.services.days import _milestone_values
from campaigns.services.plan import _validate_phase
from campaigns.signals import campaign_copied
from emulation.versions import check_shown
from federation.models import Organization


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


def campaign_update(*, campaign: Campaign, by, data: dict, shown: str | None = None) -> Campaign:
    """``shown``: the version the edit form showed (``emulation.versions``)."""
    with transaction.atomic():
        locked = _lock_for_change(campaign, by)
        if shown is not None:
            check_shown(locked, shown)
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
