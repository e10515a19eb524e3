"""What the services of a plan share: the bounds of a year, the fields each one changes, the
permission check, the campaign's lock, and the audit entry with its dates as dd/mm/yyyy."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaigns import dates
from campaigns.models import YEAR_MAX as YEAR_MAX
from campaigns.models import YEAR_MIN as YEAR_MIN
from campaigns.models import Campaign
from emulation import audit
from federation.models import Organization

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
