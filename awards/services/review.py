"""The review of a nomination on its way up the union tree, through the shared workflow
(``emulation/workflow.py``): ``submit`` sends it to the unit above; each unit on the way
*endorses* it (forwards it one level up, the state staying "submitted") or *returns* it to the
nominating unit with a comment."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awards.models import CouncilResult, Endorsement, Nomination, SessionStatus
from awards.selectors import missing_documents
from awards.services.common import _lock_nomination, _require
from awards.services.eligibility import require_eligible, require_quota
from awards.services.nominations import _check_registration
from emulation.workflow import (
    ReviewStatus,
    Transition,
    already_handled,
    apply_transition,
    check_version,
    not_submitted,
)
from federation.models import Organization

# The awards step of the shared workflow: the unit holding a nomination forwards it to the unit
# above; the state stays "submitted" (recorded, versioned and signalled like every transition).
ENDORSE = Transition("endorse", (ReviewStatus.SUBMITTED,), None)


def _next_level(nomination: Nomination, level: Organization) -> Organization:
    """The unit above ``level`` on the way to the granting unit."""
    if level.pk == nomination.award_type.granting_unit_id:
        return level
    return Organization.objects.get(path=level.parent_path)


def nomination_submit(
    *, nomination: Nomination, by, expected_version: int | None = None
) -> Nomination:
    """Send the nomination to the unit above (or, for the granting unit's own nominations,
    straight to its council), once its dossier is complete."""
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if locked.council_result == CouncilResult.REJECTED:
            raise ValidationError(
                _("The council rejected this nomination; it cannot be submitted again.")
            )
        missing = missing_documents(locked)
        if missing:
            message = _("The dossier is incomplete; add: %(documents)s.") % {
                "documents": "; ".join(missing)
            }
            raise ValidationError({"file": ValidationError(message, code="dossier_incomplete")})
        _check_registration(locked.award_type, locked.campaign, locked.nominee_unit)
        require_eligible(locked)
        require_quota(locked, locked.nominating_unit)
        unit = locked.nominating_unit
        level = unit if unit.pk == locked.award_type.granting_unit_id else None
        if level is None:
            level = Organization.objects.get(path=unit.parent_path)
        locked.current_level = level
        locked.submission_round += 1
        apply_transition(
            locked,
            "submit",
            by=by,
            expected_version=expected_version,
            changes={"sent_to": level},
        )
    return locked


def _check_at_level(locked: Nomination, seen: Nomination) -> None:
    """Refuse when someone else moved the nomination since the page was opened."""
    if locked.status == ReviewStatus.DRAFT:
        raise not_submitted(locked)
    if locked.status != ReviewStatus.SUBMITTED or locked.current_level_id != seen.current_level_id:
        raise ValidationError(
            _("This was already handled by someone else: it is now “%(stage)s” at %(unit)s.")
            % {"stage": locked.get_stage_display(), "unit": locked.current_level.name},
            code="already_handled",
        )


def nomination_endorse(
    *, nomination: Nomination, by, comment: str = "", expected_version: int | None = None
) -> Nomination:
    """The unit holding the nomination forwards it to the unit above it. ``nomination`` is the
    object as the person saw it: if someone else moved it meanwhile, nothing happens."""
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _check_at_level(locked, nomination)
        _require(by, "awards.review_nomination", locked)
        check_version(locked, expected_version)
        if locked.at_granting_level:
            raise ValidationError(
                _("It has reached %(unit)s, which grants the award: its council decides now.")
                % {"unit": locked.current_level.name}
            )
        require_eligible(locked)
        require_quota(locked, locked.current_level)
        level = locked.current_level
        upper = _next_level(locked, level)
        comment = (comment or "").strip()
        try:
            with transaction.atomic():
                Endorsement.objects.create(
                    nomination=locked,
                    level=level,
                    forwarded_to=upper,
                    round=locked.submission_round,
                    comment=comment,
                    by=by,
                )
        except IntegrityError as exc:
            raise already_handled(locked) from exc
        locked.current_level = upper
        apply_transition(
            locked,
            ENDORSE,
            by=by,
            comment=comment,
            expected_version=expected_version,
            changes={"from": level, "sent_to": upper},
        )
    return locked


def _in_open_session(nomination: Nomination) -> bool:
    return nomination.session_items.filter(session__status=SessionStatus.OPEN).exists()


def nomination_return(
    *, nomination: Nomination, by, comment: str, expected_version: int | None = None
) -> Nomination:
    """Send the nomination back to the nominating unit with a comment saying what to fix."""
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _check_at_level(locked, nomination)
        _require(by, "awards.review_nomination", locked)
        if _in_open_session(locked):
            raise ValidationError(
                _("It is on the agenda of an open council session; it cannot be returned now.")
            )
        level = locked.current_level
        locked.current_level = locked.nominating_unit
        try:
            apply_transition(
                locked,
                "return",
                by=by,
                comment=comment,
                expected_version=expected_version,
                changes={"at": level},
            )
        except ValidationError:
            locked.current_level = level
            raise
    return locked
