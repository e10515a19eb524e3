"""Every change to a registration goes through one of these functions.

Each one checks the permission, runs in one transaction, locks the registration row
(``select_for_update``), validates, writes, records the change in the audit log, and leaves
notifications to the workflow's signal, sent once the transaction has committed. A refusal is a
``ValidationError`` with a translatable message (keyed by the registration form's field names
where a field is at fault) and nothing changed.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.models import Campaign, CampaignStatus, Theme
from emulation import workflow
from emulation.review.extensions import Extensions, dmy
from emulation.workflow import ReviewStatus
from federation.models import Organization
from registrations.content import (
    CONTENT_PREFETCH,
    Content,
    TargetRow,
    ThemeEntry,
    WorkRow,
    content_of,
    target_field,
    theme_field,
    typed_number,
    work_field,
)
from registrations.models import (
    VALUE_DECIMALS,
    VALUE_DIGITS,
    DeadlineExtension,
    KeyWork,
    RegisteredTheme,
    Registration,
    RegistrationRevision,
    Target,
    target_key,
)
from registrations.rollups.recording import record

MAX_TARGETS_PER_THEME = 20
MAX_KEY_WORKS = 20
MAX_COMMITMENT = 5000
MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS)


# ---------------------------------------------------------------------------------------------
# Helpers.


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _lock(registration: Registration) -> Registration:
    return workflow.lock(
        registration,
        Registration.objects.select_related("campaign", "campaign__issuer", "organization"),
    )


def _check_campaign_open(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(
            _("This campaign is closed: its registrations are kept as history and cannot change.")
        )
    if campaign.status != CampaignStatus.ACTIVE:
        raise ValidationError(_("This campaign is not active yet."))


def _check_participant(campaign: Campaign, organization: Organization) -> None:
    """Units strictly below the issuer take part; the issuer itself registers nothing."""
    issuer = campaign.issuer
    if not organization.path.startswith(issuer.path) or organization.pk == issuer.pk:
        raise ValidationError(_("This unit does not take part in this campaign."))
    if not organization.is_active:
        raise ValidationError(_("This unit is no longer active."))


def _money(value, key: str, errors: dict, *, required: bool) -> Decimal | None:
    return typed_number(
        value, key, errors, limit=MAX_VALUE, decimals=VALUE_DECIMALS, required=required
    )


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _paragraphs(value) -> str:
    lines = [" ".join(line.split()) for line in str(value or "").splitlines()]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# Reading and checking what the officer typed.


def clean_content(campaign: Campaign, data: dict) -> Content:
    """Check ``data`` and return it as :class:`Content`.

    ``data`` is ``{"themes": [{"theme": id, "commitment": str, "targets": [{"name", "unit",
    "value", "row"}]}], "key_works": [{"name", "description", "estimated_value",
    "expected_completion", "row"}]}``. Refuses no theme chosen at all (nothing to save), a
    theme of another campaign, a theme chosen twice, a target or value that is not a
    non-negative number, and a target without a name.
    """
    errors: dict[str, list] = {}
    themes = {t.pk: t for t in Theme.objects.filter(campaign=campaign)}
    entries: list[ThemeEntry] = []
    seen: set[int] = set()
    for item in data.get("themes", []):
        raw_id = item.get("theme")
        try:
            theme_id = int(raw_id)
        except (TypeError, ValueError):
            theme_id = None
        theme = themes.get(theme_id)
        if theme is None:
            errors.setdefault("themes", []).append(
                _("A chosen theme is not part of this campaign (%(theme)s).") % {"theme": raw_id}
            )
            continue
        if theme_id in seen:
            errors.setdefault("themes", []).append(
                _("Theme %(number)s is chosen twice.") % {"number": theme.number}
            )
            continue
        seen.add(theme_id)
        commitment = _paragraphs(item.get("commitment"))
        if len(commitment) > MAX_COMMITMENT:
            errors.setdefault(theme_field(theme_id, "commitment"), []).append(
                _("Keep the commitment under %(count)s characters.") % {"count": MAX_COMMITMENT}
            )
        targets = []
        rows = [r for r in item.get("targets", []) if any(_text(r.get(k)) for k in r if k != "row")]
        if len(rows) > MAX_TARGETS_PER_THEME:
            errors.setdefault(theme_field(theme_id, "commitment"), []).append(
                _("At most %(count)s targets per theme.") % {"count": MAX_TARGETS_PER_THEME}
            )
        for index, row in enumerate(rows[:MAX_TARGETS_PER_THEME]):
            position = row.get("row", index)
            name, unit = _text(row.get("name"))[:200], _text(row.get("unit"))[:50]
            if not name:
                errors.setdefault(target_field(theme_id, position, "name"), []).append(
                    _("Name the target, for example “sáng kiến, cải tiến kỹ thuật”.")
                )
            value = _money(
                row.get("value"),
                target_field(theme_id, position, "value"),
                errors,
                required=True,
            )
            if name and value is not None:
                targets.append(TargetRow(name, unit, value))
        entries.append(
            ThemeEntry(
                theme_id=theme_id,
                number=theme.number,
                title=theme.title,
                commitment=commitment,
                targets=targets,
            )
        )
    if not entries and "themes" not in errors:
        errors["themes"] = [_("Choose at least one theme before saving.")]
    works = []
    rows = [r for r in data.get("key_works", []) if any(_text(r.get(k)) for k in r if k != "row")]
    if len(rows) > MAX_KEY_WORKS:
        errors.setdefault("key_works", []).append(
            _("At most %(count)s works or products.") % {"count": MAX_KEY_WORKS}
        )
    for index, row in enumerate(rows[:MAX_KEY_WORKS]):
        position = row.get("row", index)
        name = _text(row.get("name"))[:300]
        if not name:
            errors.setdefault(work_field(position, "name"), []).append(
                _("Name the work or product.")
            )
        value = _money(
            row.get("estimated_value"),
            work_field(position, "estimated_value"),
            errors,
            required=False,
        )
        completion = row.get("expected_completion") or None
        if completion is not None and not isinstance(completion, dt.date):
            try:
                completion = dt.date.fromisoformat(str(completion))
            except ValueError:
                errors.setdefault(work_field(position, "expected_completion"), []).append(
                    _("Enter a valid date.")
                )
                completion = None
        if name:
            works.append(WorkRow(name, _paragraphs(row.get("description")), value, completion))
    if errors:
        raise ValidationError(errors)
    entries.sort(key=lambda e: (e.number, e.theme_id))
    return Content(themes=entries, key_works=works)


def submission_problems(
    registration: Registration, content: Content | None = None, *, today: dt.date | None = None
) -> list[str]:
    """What keeps a registration from being submitted now (empty when it may be): fewer themes
    than the campaign asks, a chosen theme without a commitment, a passed deadline."""
    campaign = registration.campaign
    content = content if content is not None else content_of(registration)
    problems = []
    count = len(content.themes)
    if count < campaign.min_themes:
        problems.append(
            ngettext(
                "Choose at least %(min)s theme (%(count)s chosen).",
                "Choose at least %(min)s themes (%(count)s chosen).",
                campaign.min_themes,
            )
            % {"min": campaign.min_themes, "count": count}
        )
    for entry in content.themes:
        if not entry.commitment.strip():
            problems.append(
                _("Write the commitment of the unit under theme %(number)s (%(title)s).")
                % {"number": entry.number, "title": entry.title}
            )
    today = today or timezone.localdate()
    deadline = EXTENSIONS.deadline_for(campaign, registration.organization)
    if deadline and today > deadline:
        problems.append(
            _(
                "The registration deadline (%(day)s) has passed: ask the unit above for an "
                "extension."
            )
            % {"day": dmy(deadline)}
        )
    return problems


# ---------------------------------------------------------------------------------------------
# Saving a draft.


def _write_content(registration: Registration, content: Content) -> None:
    registration.themes.all().delete()
    registration.key_works.all().delete()
    themes = RegisteredTheme.objects.bulk_create(
        [
            RegisteredTheme(
                registration=registration, theme_id=entry.theme_id, commitment=entry.commitment
            )
            for entry in content.themes
        ]
    )
    targets = []
    for registered, entry in zip(themes, content.themes, strict=True):
        for position, row in enumerate(entry.targets):
            target = Target(
                registered_theme=registered,
                position=position,
                name=row.name,
                unit=row.unit,
                value=row.value,
            )
            target.key = target_key(row.name, row.unit)
            targets.append(target)
    Target.objects.bulk_create(targets)
    KeyWork.objects.bulk_create(
        [
            KeyWork(
                registration=registration,
                position=position,
                name=row.name,
                description=row.description,
                estimated_value=row.estimated_value,
                expected_completion=row.expected_completion,
            )
            for position, row in enumerate(content.key_works)
        ]
    )


def _describe_changes(before: Content, after: Content) -> dict:
    old = {e.theme_id: e for e in before.themes}
    new = {e.theme_id: e for e in after.themes}
    changes: dict = {}
    added = [f"{e.number}. {e.title}" for e in after.themes if e.theme_id not in old]
    removed = [f"{e.number}. {e.title}" for e in before.themes if e.theme_id not in new]
    edited = [
        f"{e.number}. {e.title}"
        for e in after.themes
        if e.theme_id in old
        and (
            old[e.theme_id].commitment != e.commitment
            or [(t.name, t.unit, t.value) for t in old[e.theme_id].targets]
            != [(t.name, t.unit, t.value) for t in e.targets]
        )
    ]
    if added:
        changes["themes_added"] = added
    if removed:
        changes["themes_removed"] = removed
    if edited:
        changes["commitments_changed"] = edited
    changes["themes"] = len(after.themes)
    changes["targets"] = after.target_count
    changes["key_works"] = len(after.key_works)
    return changes


def registration_save_draft(
    *,
    campaign: Campaign,
    organization: Organization,
    by,
    data: dict,
    expected_version: int | None = None,
) -> Registration:
    """Save what the officer typed, at any time before submitting; creates the registration on
    its first save. A form made from an older version is refused, unless it says exactly what
    is already saved (the same form posted twice): then nothing happens."""
    _require(by, "registrations.change_registration", organization)
    with transaction.atomic():
        campaign = Campaign.objects.select_related("issuer").get(pk=campaign.pk)
        _check_campaign_open(campaign)
        _check_participant(campaign, organization)
        content = clean_content(campaign, data)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("campaign", "organization")
            .filter(campaign=campaign, organization=organization)
            .first()
        )
        if registration is None:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        campaign=campaign,
                        organization=organization,
                        created_by=by if by.is_authenticated else None,
                    )
            except IntegrityError:
                # Someone created it at the same moment: work on theirs, locked.
                registration = Registration.objects.select_for_update().get(
                    campaign=campaign, organization=organization
                )
            else:
                expected_version = None  # a new registration has nothing to be stale against
                registration.campaign, registration.organization = campaign, organization
                record([(registration, None, registration.status)])
                Campaign.figures_changed([campaign.pk])
        before = content_of(
            Registration.objects.prefetch_related(*CONTENT_PREFETCH).get(pk=registration.pk)
        )
        unchanged = before.comparable() == content.comparable()
        if not registration.is_editable:
            raise ValidationError(
                _(
                    "This registration is “%(status)s”: it can no longer be edited. Nothing was "
                    "saved."
                )
                % {"status": registration.get_status_display()},
                code="not_editable",
            )
        if unchanged:
            return registration
        workflow.check_version(registration, expected_version)
        _write_content(registration, content)
        workflow.record_edit(
            registration,
            by=by,
            action="registration-save",
            changes=_describe_changes(before, content),
        )
    return registration


# ---------------------------------------------------------------------------------------------
# The transitions.


def registration_submit(
    registration: Registration,
    *,
    by,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Registration:
    """Send the registration to the unit above. Refused when fewer themes than the campaign's
    minimum are chosen, a chosen theme has no commitment, or the deadline has passed (unless
    the reviewer extended it for this unit)."""
    _require(by, "registrations.change_registration", registration.organization)
    with transaction.atomic():
        locked = _lock(registration)
        _check_campaign_open(locked.campaign)
        if not locked.can_transition("submit"):
            raise workflow.already_handled(locked)
        workflow.check_version(locked, expected_version)
        problems = submission_problems(
            locked,
            content_of(Registration.objects.prefetch_related(*CONTENT_PREFETCH).get(pk=locked.pk)),
            today=today,
        )
        if problems:
            raise ValidationError(problems, code="incomplete")
        before = locked.status
        workflow.apply_transition(locked, "submit", by=by)
        record([(locked, before, locked.status)])
        Campaign.figures_changed([locked.campaign_id])
    return locked


def _review(registration, name: str, *, by, comment: str = "", expected_version=None):
    _require(by, "registrations.review_registration", registration.organization)
    with transaction.atomic():
        locked = _lock(registration)
        _check_campaign_open(locked.campaign)
        before = locked.status
        workflow.apply_transition(
            locked, name, by=by, comment=comment, expected_version=expected_version
        )
        record([(locked, before, locked.status)])
        Campaign.figures_changed([locked.campaign_id])
    return locked


def registration_approve(
    registration: Registration, *, by, comment: str = "", expected_version: int | None = None
) -> Registration:
    """Approve a registration awaiting review (leader or staff of the unit above, or
    provincial staff)."""
    return _review(
        registration, "approve", by=by, comment=comment, expected_version=expected_version
    )


def registration_return(
    registration: Registration, *, by, comment: str, expected_version: int | None = None
) -> Registration:
    """Send a registration back to the unit with a comment saying what to fix."""
    return _review(
        registration, "return", by=by, comment=comment, expected_version=expected_version
    )


def registration_reopen(registration: Registration, *, by, reason: str) -> Registration:
    """Start a new revision of an approved registration: the approved one is frozen and stays
    readable; the registration becomes a draft again, to be submitted and reviewed anew."""
    _require(by, "registrations.reopen_registration", registration.organization)
    with transaction.atomic():
        locked = _lock(registration)
        _check_campaign_open(locked.campaign)
        if not locked.can_transition("reopen"):
            if locked.is_editable:
                raise ValidationError(
                    _("This registration is already open for editing."), code="already_open"
                )
            raise workflow.already_handled(locked)
        if not (reason or "").strip():
            raise ValidationError(
                {"comment": _("Please write a comment explaining why.")}, code="comment_required"
            )
        content = content_of(
            Registration.objects.prefetch_related(*CONTENT_PREFETCH).get(pk=locked.pk)
        )
        RegistrationRevision.objects.create(
            registration=locked,
            number=locked.revision,
            content=content.to_json(),
            submitted_at=locked.submitted_at,
            submitted_by_name=str(locked.submitted_by or ""),
            reviewed_at=locked.reviewed_at,
            reviewed_by_name=str(locked.reviewed_by or ""),
            review_comment=locked.review_comment,
            reopened_by=by if by.is_authenticated else None,
            reason=reason.strip(),
        )
        before = locked.status
        workflow.apply_transition(
            locked,
            "reopen",
            by=by,
            comment=reason,
            changes={"revision": [locked.revision, locked.revision + 1]},
        )
        record([(locked, before, locked.status)])
        Campaign.figures_changed([locked.campaign_id])
    return locked


@dataclass
class BulkResult:
    approved: list[Registration] = field(default_factory=list)
    skipped: list[tuple[Registration, str]] = field(default_factory=list)


def registrations_bulk_approve(*, items: list[tuple[int, int | None]], by) -> BulkResult:
    """Approve several registrations at once: ``items`` are (registration id, version shown on
    the confirmation page). All rows are locked first, in the order of their ids (so two bulk
    approvals never deadlock); those that someone else handled or changed meanwhile, or that
    ``by`` may not review, are skipped and reported, the others approved, in one transaction."""
    versions = dict(items)
    result = BulkResult()
    with transaction.atomic():
        rows = list(
            Registration.objects.select_for_update(of=("self",))
            .select_related("campaign", "campaign__issuer", "organization")
            .filter(pk__in=list(versions))
            .order_by("pk")
        )
        for registration in rows:
            if not by.has_perm("registrations.review_registration", registration.organization):
                result.skipped.append((registration, _("You may not review this unit.")))
                continue
            if registration.campaign.status != CampaignStatus.ACTIVE:
                result.skipped.append((registration, _("The campaign is not active.")))
                continue
            try:
                workflow.apply_transition(
                    registration,
                    "approve",
                    by=by,
                    expected_version=versions[registration.pk],
                    changes={"bulk": True},
                )
            except ValidationError as exc:
                result.skipped.append((registration, " ".join(exc.messages)))
            else:
                result.approved.append(registration)
        record(
            (registration, ReviewStatus.SUBMITTED, registration.status)
            for registration in result.approved
        )
        Campaign.figures_changed({registration.campaign_id for registration in result.approved})
    return result


# ---------------------------------------------------------------------------------------------
# Deadline extensions.


class _Extensions(Extensions):
    """A later registration deadline, granted in an active campaign to a unit taking part, at
    the latest on the last day of the campaign's year."""

    model = DeadlineExtension
    reviewed = Registration
    scope = "campaign"
    permission = "registrations.review_registration"
    action = "deadline-extend"
    no_deadline = gettext_lazy("This campaign has no registration deadline to extend.")
    already_sent = gettext_lazy(
        "This unit has already submitted its registration: it needs no extension."
    )
    not_after = gettext_lazy("The new deadline must be after the campaign's deadline (%(day)s).")

    def deadline(self, campaign):
        return campaign.registration_deadline

    def latest(self, campaign, deadline):
        refusal = _("The new deadline must fall in %(year)s, the year of the campaign.")
        return campaign.year_end, refusal % {"year": campaign.year}

    def checked(self, campaign, organization):
        campaign = Campaign.objects.select_related("issuer").get(pk=campaign.pk)
        _check_campaign_open(campaign)
        _check_participant(campaign, organization)
        return campaign


EXTENSIONS = _Extensions()


def deadline_extend(
    *,
    campaign: Campaign,
    organization: Organization,
    by,
    until: dt.date,
    reason: str = "",
    today: dt.date | None = None,
) -> DeadlineExtension:
    """Let one unit submit until ``until``, later than the campaign's deadline (granted by the
    unit's reviewer). Granting again replaces the earlier extension."""
    return EXTENSIONS.grant(
        scope=campaign, organization=organization, by=by, until=until, reason=reason, today=today
    )
