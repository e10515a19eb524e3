"""The emulation and commendation council of the granting unit: a session on the nominations
that reached it, the members' secret ballot, and the count that approves or rejects each one."""

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    CouncilResult,
    CouncilSession,
    Nomination,
    SessionItem,
    SessionStatus,
    Vote,
    VoteChoice,
)
from awards.services.common import _lock_rows, _require
from emulation.audit import audit_record
from emulation.workflow import ReviewStatus, apply_transition
from federation.models import Membership, Organization, Role


def passes(*, approve: int, reject: int, threshold: int) -> bool:
    """True when ``approve`` reaches ``threshold`` per cent of the votes cast (approve plus
    reject; abstentions and members who did not vote are not cast). Whole numbers only, so
    70 % of 7 votes cast needs 5 (4.9 rounded up), never a floating-point near miss."""
    cast = approve + reject
    return cast > 0 and approve * 100 >= threshold * cast


def council_members(unit: Organization):
    return Membership.objects.filter(organization=unit, role=Role.COUNCIL).select_related("user")


def session_open(
    *,
    by,
    granting_unit: Organization,
    title: str,
    meeting_date: dt.date,
    place: str = "",
    nominations: list[Nomination],
) -> CouncilSession:
    """Convene the council of ``granting_unit`` on nominations that reached it."""
    _require(by, "awards.change_session", granting_unit)
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = _("Please give the session a title.")
    if meeting_date is None:
        errors["meeting_date"] = _("Please enter the meeting date.")
    if not nominations:
        errors["nominations"] = _("Please choose at least one nomination.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = list(
            _lock_rows(
                Nomination.objects.select_related("award_type", "nominee_unit"),
                [n.pk for n in nominations],
            ).order_by("award_type__position", "nominee_kind", "pk")
        )
        problems = []
        busy = set(
            SessionItem.objects.filter(
                nomination__in=locked, session__status=SessionStatus.OPEN
            ).values_list("nomination_id", flat=True)
        )
        for n in locked:
            if (
                n.status != ReviewStatus.SUBMITTED
                or n.current_level_id != granting_unit.pk
                or n.award_type.granting_unit_id != granting_unit.pk
                or n.council_result
            ):
                problems.append(
                    _("%(nominee)s has not reached the council of %(unit)s (it is “%(stage)s”).")
                    % {
                        "nominee": n.nominee_name,
                        "unit": granting_unit.name,
                        "stage": n.get_stage_display(),
                    }
                )
            elif n.pk in busy:
                problems.append(
                    _("%(nominee)s is already on the agenda of an open session.")
                    % {"nominee": n.nominee_name}
                )
        if len(locked) != len({n.pk for n in nominations}):
            problems.append(_("Some of the chosen nominations no longer exist."))
        members = council_members(granting_unit).count()
        if not members:
            problems.append(
                _("%(unit)s has no council members: give people the council role first.")
                % {"unit": granting_unit.name}
            )
        if problems:
            raise ValidationError({"nominations": problems})
        session = CouncilSession.objects.create(
            granting_unit=granting_unit,
            title=title,
            meeting_date=meeting_date,
            place=" ".join((place or "").split()),
            member_count=members,
            opened_by=by,
        )
        SessionItem.objects.bulk_create(
            [
                SessionItem(
                    session=session,
                    nomination=n,
                    position=index,
                    threshold=n.award_type.approval_threshold,
                )
                for index, n in enumerate(locked, start=1)
            ]
        )
        audit_record(
            actor=by,
            action="session-open",
            obj=session,
            changes={"nominations": len(locked), "members": members},
        )
        for n in locked:
            audit_record(actor=by, action="session-add", obj=n, changes={"session": session})
    return session


def _lock_session(session: CouncilSession) -> CouncilSession:
    return _lock_rows(CouncilSession.objects.select_related("granting_unit"), [session.pk]).get()


def ballot_cast(*, session: CouncilSession, by, choices: dict[int, str]) -> int:
    """Record one council member's votes on items of the session (``{item id: choice}``).

    Secret ballot: the audit log notes that the member voted, never how. Refuses a member's
    second vote on an item and any vote once the session is closed; only the granting unit's
    council members vote.
    """
    with transaction.atomic():
        locked = _lock_session(session)
        if not _is_council_member(by, locked.granting_unit):
            raise PermissionDenied(_("Only members of the council vote."))
        if not locked.is_open:
            raise ValidationError(
                _("The session is closed: votes are no longer accepted."), code="closed"
            )
        items = {
            item.pk: item
            for item in locked.items.select_related("nomination__nominee_unit").filter(
                pk__in=list(choices)
            )
        }
        errors = []
        clean = {}
        for item_id, choice in choices.items():
            item = items.get(int(item_id))
            if item is None:
                errors.append(_("A nomination you voted on is not on this session's agenda."))
            elif choice not in VoteChoice.values:
                errors.append(
                    _("Choose approve, reject or abstain for %(nominee)s.")
                    % {"nominee": item.nomination.nominee_name}
                )
            else:
                clean[item.pk] = choice
        if not clean and not errors:
            errors.append(_("Please vote on at least one nomination."))
        already = set(
            Vote.objects.filter(item__in=list(clean), voter=by).values_list("item_id", flat=True)
        )
        for item_id in already:
            errors.append(
                _("You have already voted on %(nominee)s; a vote cannot be cast twice.")
                % {"nominee": items[item_id].nomination.nominee_name}
            )
        if errors:
            raise ValidationError(errors, code="invalid_ballot")
        try:
            with transaction.atomic():
                Vote.objects.bulk_create(
                    [Vote(item_id=item_id, voter=by, choice=c) for item_id, c in clean.items()]
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("You have already voted on this nomination; a vote cannot be cast twice."),
                code="twice",
            ) from exc
        audit_record(actor=by, action="ballot", obj=locked, changes={"votes": len(clean)})
    return len(clean)


def _is_council_member(user, unit: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=unit, role=Role.COUNCIL).exists()


def session_close(*, session: CouncilSession, by) -> CouncilSession:
    """Count the ballots and decide each nomination against its award's threshold: approved
    ones are approved in the workflow; rejected ones go back to their unit, marked rejected."""
    with transaction.atomic():
        locked = _lock_session(session)
        _require(by, "awards.change_session", locked)
        if not locked.is_open:
            raise ValidationError(_("The session is already closed."), code="closed")
        items = list(locked.items.select_related("nomination"))
        counts = {
            (row["item_id"], row["choice"]): row["n"]
            for row in Vote.objects.filter(item__session=locked)
            .values("item_id", "choice")
            .annotate(n=Count("id"))
        }
        nominations = {
            n.pk: n
            for n in _lock_rows(
                Nomination.objects.select_related("award_type", "nominating_unit", "current_level"),
                [i.nomination_id for i in items],
            )
        }
        for item in items:
            item.approve_count = counts.get((item.pk, VoteChoice.APPROVE), 0)
            item.reject_count = counts.get((item.pk, VoteChoice.REJECT), 0)
            item.abstain_count = counts.get((item.pk, VoteChoice.ABSTAIN), 0)
            approved = passes(
                approve=item.approve_count, reject=item.reject_count, threshold=item.threshold
            )
            item.result = CouncilResult.APPROVED if approved else CouncilResult.REJECTED
            nomination = nominations[item.nomination_id]
            tally = _(
                "Council session “%(session)s”: %(approve)s of %(cast)s votes cast approve "
                "(%(abstain)s abstained); threshold %(threshold)s%%."
            ) % {
                "session": locked.title,
                "approve": item.approve_count,
                "cast": item.cast,
                "abstain": item.abstain_count,
                "threshold": item.threshold,
            }
            nomination.council_result = item.result
            apply_transition(
                nomination,
                "approve" if approved else "return",
                by=by,
                comment=tally,
                changes={"council_result": item.result},
            )
        SessionItem.objects.bulk_update(
            items, ["approve_count", "reject_count", "abstain_count", "result"]
        )
        locked.status = SessionStatus.CLOSED
        locked.closed_by = by
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_by", "closed_at"])
        tally = Counter(item.result for item in items)
        audit_record(
            actor=by,
            action="session-close",
            obj=locked,
            changes={
                "approved": tally[CouncilResult.APPROVED],
                "rejected": tally[CouncilResult.REJECTED],
            },
        )
    return locked
