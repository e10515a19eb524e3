"""Every change to a consolidation sent up goes through one of these functions.

Each one checks the permission, runs in one transaction, locks the consolidation's row
(``select_for_update`` of that row only), validates, writes, records the change in the audit
log through the shared workflow, counts up the campaign's ``figures_version`` (the state of a
consolidation is shown with the campaign's figures), and leaves notifications to the workflow's
signal, sent once the transaction has committed. A refusal is a ``ValidationError`` with a
translatable message, and nothing changed.

What was decided where the need was silent:

- *Who sends*: an officer or the leader of the upper unit itself (``consolidations.send``);
  the unit must take part in the campaign (strictly below its issuer: the issuer sends to
  nobody) and have active units directly below it.
- *When*: while the campaign is active; a phase's summary once reporting on that phase has
  opened (the phase's reporting day). No deadline: a late consolidation is still welcome.
- *What*: approved registrations and accepted reports only (what the units above approved),
  the unit's own among them; the figures of what is still awaiting review are kept in the
  snapshot's counts but not summed. Nothing approved below the unit: refused, saying so.
- *Again*: a returned consolidation is sent again as it stands then (a new snapshot, the
  sending number counted up); an approved one is final unless its reviewer or the unit
  reopens it with a reason (the workflow's reopen: a new revision), then it is sent again.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus, Phase
from consolidations import snapshots
from consolidations.models import Consolidation
from emulation import workflow
from emulation.review.extensions import dmy
from federation.models import Organization
from registrations.selectors.common import children_of, takes_part
from reports.services.common import opening_of


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _check_active(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(
            _(
                "This campaign is closed: its consolidations are kept as history and can no "
                "longer be sent or reviewed."
            ),
            code="closed",
        )
    if campaign.status != CampaignStatus.ACTIVE:
        raise ValidationError(_("This campaign is not active yet."), code="not_active")


def _lock(consolidation: Consolidation) -> Consolidation:
    return workflow.lock(
        consolidation,
        Consolidation.objects.select_related(
            "campaign", "campaign__issuer", "phase", "organization"
        ),
    )


def _changes(consolidation: Consolidation) -> dict:
    """What every audit entry of a consolidation says of it: its phase, if any."""
    return {"phase": consolidation.phase.name} if consolidation.phase_id else {}


def check_can_send(
    campaign: Campaign, organization: Organization, phase: Phase | None, *, today: dt.date
) -> None:
    """Refuse (``ValidationError``) a consolidation ``organization`` may not send now, whatever
    is approved below it: a campaign not active, a unit not taking part or with no unit below,
    a phase of another campaign or whose reporting has not opened."""
    _check_active(campaign)
    if not takes_part(campaign, organization):
        raise ValidationError(
            _(
                "This unit does not take part in this campaign below its issuer: it has no unit "
                "above to send a consolidation to."
            ),
            code="not_participant",
        )
    if phase is not None:
        if phase.campaign_id != campaign.pk:
            raise ValidationError(_("This phase is not one of the campaign's."), code="phase")
        opens = opening_of(phase)
        if today < opens:
            raise ValidationError(
                _(
                    "Reporting on %(phase)s opens on %(day)s: its summary report cannot be sent "
                    "up before then."
                )
                % {"phase": phase.name, "day": dmy(opens)},
                code="not_open",
            )
    if not children_of(organization).exists():
        raise ValidationError(
            _("This unit has no unit below it: it has nothing to consolidate and send up."),
            code="no_units_below",
        )


def nothing_approved(phase: Phase | None) -> ValidationError:
    if phase is None:
        message = _(
            "No registration of the units below has been approved yet: there is nothing to "
            "consolidate and send up. Approve their registrations first."
        )
    else:
        message = _(
            "No report of the units below on %(phase)s has been approved yet: there is "
            "nothing to consolidate and send up. Approve their reports first."
        ) % {"phase": phase.name}
    return ValidationError(message, code="nothing_approved")


def _locked_or_new(campaign: Campaign, organization: Organization, phase: Phase | None):
    """The unit's consolidation locked, created (a draft) when it has none; the second of two
    people creating it at once works on the first one's row."""
    rows = Consolidation.objects.select_for_update(of=("self",)).filter(
        campaign=campaign, organization=organization, phase=phase
    )
    row = rows.first()
    if row is None:
        try:
            with transaction.atomic():
                row = Consolidation.objects.create(
                    campaign=campaign, organization=organization, phase=phase
                )
        except IntegrityError:
            row = rows.get()
    row.campaign, row.organization, row.phase = campaign, organization, phase
    return row


def consolidation_send(
    *,
    campaign: Campaign,
    organization: Organization,
    by,
    phase: Phase | None = None,
    today: dt.date,
    expected_version: int | None = None,
) -> Consolidation:
    """Send the unit above the consolidated registrations of ``organization``'s branch (its
    summary report on ``phase`` when given), as they stand ``today``: the figures are stored
    with the list of the units counted and do not change afterwards. Refused when the unit may
    not send now (:func:`check_can_send`), when it was sent already and awaits review or was
    approved, and when nothing below the unit is approved yet."""
    _require(by, "consolidations.send", organization)
    with transaction.atomic():
        campaign = Campaign.objects.select_related("issuer").get(pk=campaign.pk)
        if phase is not None:
            phase = Phase.objects.get(pk=phase.pk)
        check_can_send(campaign, organization, phase, today=today)
        row = _locked_or_new(campaign, organization, phase)
        if row.is_submitted:
            raise ValidationError(
                _(
                    "This consolidation was sent on %(day)s and is awaiting review: it cannot be "
                    "sent twice."
                )
                % {"day": dmy(row.submitted_at)},
                code="already_submitted",
            )
        if row.is_approved:
            raise ValidationError(
                _(
                    "This consolidation was approved: to send a new one, reopen it first with "
                    "the reason."
                ),
                code="already_approved",
            )
        workflow.check_version(row, expected_version)
        snapshot = snapshots.take(campaign, organization, phase, today=today)
        if not snapshot.counted_below:
            raise nothing_approved(phase)
        row.snapshot = snapshot.data
        row.counted_units = snapshot.counted_below
        row.sendings += 1
        row.sent_at = timezone.now()
        workflow.apply_transition(
            row,
            "submit",
            by=by,
            changes={
                **_changes(row),
                "sending": row.sendings,
                "counted": row.counted_units,
                "branch_units": snapshot.data["progress"]["total"],
            },
        )
        Campaign.figures_changed([campaign.pk])
    return row


def _review(consolidation, name: str, *, by, comment: str = "", expected_version=None):
    _require(by, "consolidations.review", consolidation.organization)
    with transaction.atomic():
        locked = _lock(consolidation)
        _check_active(locked.campaign)
        workflow.apply_transition(
            locked,
            name,
            by=by,
            comment=comment,
            expected_version=expected_version,
            changes=_changes(locked),
        )
        Campaign.figures_changed([locked.campaign_id])
    return locked


def consolidation_approve(
    consolidation: Consolidation, *, by, comment: str = "", expected_version: int | None = None
) -> Consolidation:
    """Approve a consolidation awaiting review (leader or staff of the unit above, or
    provincial staff above it)."""
    return _review(
        consolidation, "approve", by=by, comment=comment, expected_version=expected_version
    )


def consolidation_return(
    consolidation: Consolidation, *, by, comment: str, expected_version: int | None = None
) -> Consolidation:
    """Send a consolidation back to the unit with the reason; the unit may send it again."""
    return _review(
        consolidation, "return", by=by, comment=comment, expected_version=expected_version
    )


def consolidation_reopen(
    consolidation: Consolidation, *, by, reason: str, expected_version: int | None = None
) -> Consolidation:
    """Reopen an approved consolidation (its reviewer or the unit, with the reason), so that the
    unit sends a new one: a new revision. What was approved stays in the snapshot until the
    next sending, and its figures in the audit log."""
    _require(by, "consolidations.reopen", consolidation.organization)
    with transaction.atomic():
        locked = _lock(consolidation)
        _check_active(locked.campaign)
        if locked.is_editable:
            raise ValidationError(
                _("This consolidation is not approved: it can be sent as it is."),
                code="already_open",
            )
        workflow.apply_transition(
            locked,
            "reopen",
            by=by,
            comment=reason,
            expected_version=expected_version,
            changes={
                **_changes(locked),
                "consolidation_revision": [locked.revision, locked.revision + 1],
            },
        )
        Campaign.figures_changed([locked.campaign_id])
    return locked
