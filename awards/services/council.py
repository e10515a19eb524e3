"""The emulation and commendation council of the granting unit: a session on the nominations
that reached it, the members' secret ballot, and the count that approves or rejects each one."""

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    DEFAULT_QUORUM,
    Council,
    CouncilResult,
    CouncilSession,
    Nomination,
    SessionItem,
    SessionMember,
    SessionStatus,
    Vote,
    VoteChoice,
)
from awards.services.common import _lock_rows, _require
from emulation.audit import audit_record
from emulation.workflow import ReviewStatus, apply_transition
from federation.models import Membership, Organization, Role


def passes(*, approve: int, members: int, threshold: int) -> bool:
    """True when ``approve`` reaches ``threshold`` per cent of the council's **members** (Decree
    91/2017, art. 45.8: "tính trên tổng số thành viên của Hội đồng"), not of the votes cast:
    rejections, abstentions and members who did not vote all count against. Whole numbers only,
    so 70 % of 7 members needs 5 (4.9 rounded up), never a floating-point near miss."""
    return members > 0 and approve * 100 >= threshold * members


def quorum_reached(*, counted: int, members: int, numerator: int, denominator: int) -> bool:
    """True when ``counted`` members (attending or giving a written opinion) reach
    ``numerator``/``denominator`` of the ``members``: 5 of 7 reach two thirds, 4 do not."""
    return members > 0 and counted * denominator >= numerator * members


def council_in_force(unit: Organization, day: dt.date) -> Council | None:
    """The council of ``unit`` whose term covers ``day`` (the latest one started)."""
    return (
        Council.objects.filter(granting_unit=unit, term_start__lte=day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
        .order_by("-term_start", "-pk")
        .first()
    )


def council_members(unit: Organization, day: dt.date | None = None) -> list[tuple]:
    """(user, position) of each member of the council of ``unit`` on ``day``: the list of the
    council whose term covers it, or, where the unit keeps no such list, the people holding the
    council role in the unit."""
    council = council_in_force(unit, day) if day else None
    if council is not None:
        return [(m.user, m.position) for m in council.members.select_related("user")]
    return [
        (m.user, "")
        for m in Membership.objects.filter(organization=unit, role=Role.COUNCIL)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    ]


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
        council = council_in_force(granting_unit, meeting_date)
        seats = council_members(granting_unit, meeting_date)
        members = len(seats)
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
            council=council,
            quorum_numerator=council.quorum_numerator if council else DEFAULT_QUORUM[0],
            quorum_denominator=council.quorum_denominator if council else DEFAULT_QUORUM[1],
            opened_by=by,
        )
        SessionMember.objects.bulk_create(
            [
                SessionMember(
                    session=session,
                    user=user,
                    name=user.get_full_name() or user.get_username(),
                    position=position,
                    order=index,
                )
                for index, (user, position) in enumerate(seats, start=1)
            ]
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
        seat = locked.members.filter(user=by).first()
        if seat is None or not _is_council_member(by, locked.granting_unit):
            raise PermissionDenied(_("Only members of the council vote."))
        if not locked.is_open:
            raise ValidationError(
                _("The session is closed: votes are no longer accepted."), code="closed"
            )
        if seat.written_opinion:
            raise ValidationError(
                _("Your written opinion was already entered: a vote cannot be cast twice."),
                code="twice",
            )
        items, clean, errors = _voting_items(locked, choices)
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
        if not seat.attended:
            # Voting in the meeting is attending it.
            seat.attended = True
            seat.save(update_fields=["attended"])
        audit_record(actor=by, action="ballot", obj=locked, changes={"votes": len(clean)})
    return len(clean)


def _voting_items(locked: CouncilSession, choices: dict[int, str]):
    items = {
        item.pk: item
        for item in locked.items.select_related("nomination__nominee_unit").filter(
            pk__in=[int(k) for k in choices]
        )
    }
    errors, clean = [], {}
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
    return items, clean, errors


def attendance_record(*, session: CouncilSession, by, attending: list[int]) -> int:
    """The secretary records which members (``SessionMember`` ids) attend the meeting. A member
    who voted in the meeting stays present; one whose written opinion was entered cannot be
    marked present."""
    with transaction.atomic():
        locked = _lock_session(session)
        _require(by, "awards.change_session", locked)
        if not locked.is_open:
            raise ValidationError(_("The session is closed."), code="closed")
        seats = list(locked.members.select_for_update())
        chosen = {int(pk) for pk in attending}
        unknown = chosen - {s.pk for s in seats}
        if unknown:
            raise ValidationError(_("Only members of this council can be marked present."))
        voted = set(
            Vote.objects.filter(item__session=locked, written=False).values_list(
                "voter_id", flat=True
            )
        )
        errors = []
        for seat in seats:
            present = seat.pk in chosen
            if not present and seat.user_id in voted:
                errors.append(
                    _("%(name)s voted in the meeting and cannot be marked absent.")
                    % {"name": seat.name}
                )
            if present and seat.written_opinion:
                errors.append(
                    _("%(name)s gave a written opinion and cannot be marked present.")
                    % {"name": seat.name}
                )
        if errors:
            raise ValidationError(errors)
        for seat in seats:
            seat.attended = seat.pk in chosen
        SessionMember.objects.bulk_update(seats, ["attended"])
        present = sum(1 for s in seats if s.attended)
        audit_record(
            actor=by, action="session-attendance", obj=locked, changes={"attended": present}
        )
    return present


def written_opinion_record(
    *, session: CouncilSession, by, member: SessionMember, choices: dict[int, str]
) -> int:
    """The secretary enters an absent member's written opinion as that member's ballot, marked
    written. Secret as any ballot: the audit log notes that it was entered, never how."""
    with transaction.atomic():
        locked = _lock_session(session)
        _require(by, "awards.change_session", locked)
        if not locked.is_open:
            raise ValidationError(
                _("The session is closed: votes are no longer accepted."), code="closed"
            )
        seat = locked.members.select_for_update().filter(pk=member.pk).first()
        if seat is None:
            raise ValidationError({"member": _("Choose a member of this council.")})
        if seat.attended:
            raise ValidationError(
                {
                    "member": _(
                        "%(name)s attends the meeting and votes in person; a written opinion "
                        "is for an absent member."
                    )
                    % {"name": seat.name}
                }
            )
        if seat.written_opinion or Vote.objects.filter(item__session=locked, voter=seat.user_id):
            raise ValidationError(
                {
                    "member": _("%(name)s has already voted; a vote cannot be cast twice.")
                    % {"name": seat.name}
                }
            )
        items, clean, errors = _voting_items(locked, choices)
        if len(clean) != locked.items.count() and not errors:
            errors.append(_("A written opinion gives a vote on every nomination of the session."))
        if errors:
            raise ValidationError(errors, code="invalid_ballot")
        Vote.objects.bulk_create(
            [
                Vote(item_id=item_id, voter=seat.user, choice=c, written=True, recorded_by=by)
                for item_id, c in clean.items()
            ]
        )
        seat.written_opinion = True
        seat.save(update_fields=["written_opinion"])
        audit_record(
            actor=by,
            action="written-opinion",
            obj=locked,
            changes={"member": seat.name, "votes": len(clean)},
        )
    return len(clean)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


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
        counted = locked.members.filter(Q(attended=True) | Q(written_opinion=True)).count()
        if not quorum_reached(
            counted=counted,
            members=locked.member_count,
            numerator=locked.quorum_numerator,
            denominator=locked.quorum_denominator,
        ):
            raise ValidationError(
                _(
                    "No quorum: %(counted)s of %(members)s members attended or gave a written "
                    "opinion; at least %(needed)s are needed before the council decides. Record "
                    "the attendance and the absent members' written opinions first."
                )
                % {
                    "counted": counted,
                    "members": locked.member_count,
                    "needed": locked.quorum_needed,
                },
                code="quorum",
            )
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
                approve=item.approve_count, members=locked.member_count, threshold=item.threshold
            )
            item.result = CouncilResult.APPROVED if approved else CouncilResult.REJECTED
            item.session = locked
            nomination = nominations[item.nomination_id]
            tally = _(
                "Council session “%(session)s”: %(approve)s of the %(members)s council members "
                "approve (%(percent)s%%; %(reject)s reject, %(abstain)s abstain); threshold "
                "%(threshold)s%% of the members."
            ) % {
                "session": locked.title,
                "approve": item.approve_count,
                "members": locked.member_count,
                "percent": _percent(item.approve_percent),
                "reject": item.reject_count,
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
