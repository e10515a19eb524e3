"""Every change to commendation goes through one of these functions.

Each is keyword-only and runs in one transaction: check the permission, lock the rows it
changes (``select_for_update``), validate everything first (a ``ValidationError`` keyed by the
form's field, with a translatable message), then write and record the change in the audit log.
Nothing is saved half-done; files written to the storage are removed again when the
transaction fails.

The review of a nomination uses the shared workflow (``emulation/workflow.py``): ``submit``
sends it to the unit above; each unit on the way *endorses* it (forwards it one level up:
an awards step, recorded as an :class:`Endorsement`, the state staying "submitted") or
*returns* it to the nominating unit with a comment; at the granting unit the council votes,
and closing the session *approves* it or *returns* it marked rejected.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    AwardType,
    CouncilResult,
    CouncilSession,
    Decision,
    DossierFile,
    Endorsement,
    ExemplaryModel,
    ModelStatus,
    Nomination,
    NomineeKind,
    Occasion,
    Plaque,
    SessionItem,
    SessionStatus,
    Vote,
    VoteChoice,
    nominee_search_key,
)
from awards.rules import is_provincial_staff_over
from campaigns.models import Campaign, CampaignStatus
from emulation.audit import audit_record
from emulation.uploads import IMAGE_KINDS, check_upload
from emulation.workflow import (
    ReviewStatus,
    already_handled,
    apply_transition,
    check_version,
    not_submitted,
    review_transition,
)
from federation import rules as tree
from federation.models import Membership, Organization, Role

PERSON_FIELDS = ("person_name", "gender", "birth_year", "position")
EDIT_FIELDS = ("occasion", "phase", "nominee_unit", *PERSON_FIELDS, "achievement")


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _lock_rows(queryset, pks):
    """Lock the rows of ``pks`` (without joins), then read them afresh with ``queryset``.

    PostgreSQL re-checks a locked row that another transaction changed against the query's
    joins as they were: a row whose foreign key moved (a nomination forwarded to the next
    level) would silently drop out of a joined ``SELECT ... FOR UPDATE``. Locking the bare rows
    first, then reading them with their related rows, avoids that.
    """
    pks = list(pks)
    list(queryset.model.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))
    return queryset.filter(pk__in=pks)


def _dmy(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _lock_nomination(nomination: Nomination) -> Nomination:
    return _lock_rows(
        Nomination.objects.select_related(
            "award_type__granting_unit", "nominating_unit", "current_level", "campaign"
        ),
        [nomination.pk],
    ).get()


def _in_subtree(unit: Organization, top: Organization) -> bool:
    return unit.path.startswith(top.path)


# ---------------------------------------------------------------------------------------------
# The threshold: the share of approving votes among the votes cast (abstentions are not cast).


def passes(*, approve: int, reject: int, threshold: int) -> bool:
    """True when ``approve`` reaches ``threshold`` per cent of the votes cast (approve plus
    reject; abstentions and members who did not vote are not cast). Whole numbers only, so
    70 % of 7 votes cast needs 5 (4.9 rounded up), never a floating-point near miss."""
    cast = approve + reject
    return cast > 0 and approve * 100 >= threshold * cast


# ---------------------------------------------------------------------------------------------
# Nominations.


def _registration_approved(campaign: Campaign, unit: Organization) -> bool:
    try:
        registration_model = apps.get_model("registrations", "Registration")
    except LookupError:  # the registrations app is not installed: nothing to check against
        return True
    return registration_model.objects.filter(
        campaign=campaign, organization=unit, status=ReviewStatus.APPROVED
    ).exists()


def _check_registration(award_type: AwardType, campaign: Campaign, unit: Organization) -> None:
    if award_type.requires_registration and not _registration_approved(campaign, unit):
        raise ValidationError(
            {
                "nominee_unit": ValidationError(
                    _(
                        "“%(award)s” requires an approved registration: %(unit)s has no approved "
                        "registration for this campaign."
                    )
                    % {"award": award_type.name, "unit": unit.name},
                    code="no_registration",
                )
            }
        )


def _clean_person(data: dict, errors: dict) -> None:
    data["person_name"] = " ".join((data.get("person_name") or "").split())
    data["position"] = " ".join((data.get("position") or "").split())
    if not data["person_name"]:
        errors["person_name"] = _("Please enter the person's full name.")
    if not data.get("gender"):
        errors["gender"] = _("Please choose the person's gender.")
    year = data.get("birth_year")
    this_year = timezone.localdate().year
    if not year:
        errors["birth_year"] = _("Please enter the year of birth.")
    elif not 1900 <= int(year) <= this_year - 14:
        errors["birth_year"] = _("The year of birth must be between 1900 and %(year)s.") % {
            "year": this_year - 14
        }


def _validate_nomination(
    *,
    campaign: Campaign,
    award_type: AwardType,
    nominating_unit: Organization,
    data: dict,
    exclude_pk=None,
) -> dict:
    """Check what a unit typed for a nomination; returns the cleaned data or raises."""
    errors: dict[str, str] = {}
    data = dict(data)
    nominee_unit = data.get("nominee_unit")
    if campaign.status == CampaignStatus.DRAFT or not _in_subtree(nominating_unit, campaign.issuer):
        errors["campaign"] = _("Your unit does not take part in this campaign.")
    if not award_type.is_active:
        errors["award_type"] = _("This award is no longer in use.")
    elif not _in_subtree(nominating_unit, award_type.granting_unit):
        errors["award_type"] = _(
            "“%(award)s” is granted by %(unit)s, which is not above your unit."
        ) % {"award": award_type.name, "unit": award_type.granting_unit.name}
    occasion = data.get("occasion")
    if occasion not in Occasion.values:
        errors["occasion"] = _("Please choose the occasion.")
    phase = data.get("phase")
    if occasion == Occasion.PHASE:
        if phase is None:
            errors["phase"] = _("Please choose the phase under review.")
        elif phase.campaign_id != campaign.pk:
            errors["phase"] = _("This phase belongs to another campaign.")
    else:
        data["phase"] = None
    if nominee_unit is None:
        errors["nominee_unit"] = _("Please choose the unit.")
    elif not _in_subtree(nominee_unit, nominating_unit):
        errors["nominee_unit"] = _(
            "%(unit)s is outside your unit's branch: a unit nominates itself, units below it "
            "and their people only."
        ) % {"unit": nominee_unit.name}
    if award_type.nominee_kind == NomineeKind.INDIVIDUAL:
        _clean_person(data, errors)
    else:
        for name in PERSON_FIELDS:
            data[name] = None if name == "birth_year" else ""
    data["achievement"] = (data.get("achievement") or "").strip()
    if not data["achievement"]:
        errors["achievement"] = _("Please summarise the achievements.")
    if errors:
        raise ValidationError(errors)

    duplicates = Nomination.objects.filter(
        campaign=campaign, award_type=award_type, nominee_unit=nominee_unit
    ).select_related("nominating_unit")
    if award_type.nominee_kind == NomineeKind.INDIVIDUAL:
        duplicates = duplicates.filter(
            search_key=nominee_search_key(data["person_name"], nominee_unit)
        )
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    duplicate = duplicates.first()
    if duplicate is not None:
        field = (
            "person_name" if award_type.nominee_kind == NomineeKind.INDIVIDUAL else "nominee_unit"
        )
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "%(nominee)s is already nominated for “%(award)s” in this campaign "
                        "(by %(unit)s)."
                    )
                    % {
                        "nominee": data["person_name"] or nominee_unit.name,
                        "award": award_type.name,
                        "unit": duplicate.nominating_unit.name,
                    },
                    code="duplicate",
                )
            }
        )
    _check_registration(award_type, campaign, nominee_unit)
    return data


def _duplicate_error(award_type: AwardType) -> ValidationError:
    field = "person_name" if award_type.nominee_kind == NomineeKind.INDIVIDUAL else "nominee_unit"
    return ValidationError(
        {
            field: ValidationError(
                _("This nominee is already nominated for this award in this campaign."),
                code="duplicate",
            )
        }
    )


def nomination_create(
    *,
    by,
    campaign: Campaign,
    award_type: AwardType,
    nominating_unit: Organization,
    data: dict,
) -> Nomination:
    """A draft nomination of ``nominating_unit``; ``data`` holds occasion, phase, nominee_unit,
    the person's fields (for an individual award) and achievement."""
    _require(by, "awards.change_nomination", _Prepared(nominating_unit))
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=nominating_unit.pk)
        data = _validate_nomination(
            campaign=campaign, award_type=award_type, nominating_unit=nominating_unit, data=data
        )
        nomination = Nomination(
            campaign=campaign,
            award_type=award_type,
            nominating_unit=nominating_unit,
            nominee_kind=award_type.nominee_kind,
            current_level=nominating_unit,
            created_by=by,
            **{name: data[name] for name in EDIT_FIELDS},
        )
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError as exc:
            raise _duplicate_error(award_type) from exc
        audit_record(
            actor=by,
            action="nomination-create",
            obj=nomination,
            changes={
                "award": award_type,
                "nominee": nomination.nominee_name,
                "campaign": campaign.title,
            },
        )
    return nomination


@dataclass
class _Prepared:
    """What the ``prepares_nomination`` rule needs before the nomination exists."""

    nominating_unit: Organization


def nomination_update(
    *, nomination: Nomination, by, data: dict, expected_version: int | None = None
) -> Nomination:
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if not locked.is_editable:
            raise ValidationError(
                _("This nomination was sent up and can no longer be changed (it is “%(stage)s”).")
                % {"stage": locked.get_stage_display()}
            )
        check_version(locked, expected_version)
        data = _validate_nomination(
            campaign=locked.campaign,
            award_type=locked.award_type,
            nominating_unit=locked.nominating_unit,
            data={name: data.get(name, getattr(locked, name)) for name in EDIT_FIELDS},
            exclude_pk=locked.pk,
        )
        changes = {}
        for name in EDIT_FIELDS:
            if getattr(locked, name) != data[name]:
                changes[name] = [getattr(locked, name), data[name]]
                setattr(locked, name, data[name])
        if changes:
            locked.version += 1
            try:
                with transaction.atomic():
                    locked.save()
            except IntegrityError as exc:
                raise _duplicate_error(locked.award_type) from exc
            audit_record(actor=by, action="nomination-update", obj=locked, changes=changes)
    return locked


def nomination_delete(*, nomination: Nomination, by) -> None:
    """Delete a draft that was never sent up, with its files."""
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if locked.status != ReviewStatus.DRAFT:
            raise ValidationError(_("Only a draft that was never sent up can be deleted."))
        files = [f.file.name for f in locked.files.all()]
        audit_record(
            actor=by,
            action="nomination-delete",
            obj=locked.nominating_unit,
            changes={"nominee": locked.nominee_name, "award": locked.award_type},
        )
        locked.delete()
        transaction.on_commit(lambda: [_delete_stored(name) for name in files])


def _delete_stored(name: str) -> None:
    from django.core.files.storage import default_storage

    if name:
        default_storage.delete(name)


def dossier_file_add(*, nomination: Nomination, by, document: str, upload) -> DossierFile:
    """Add a file to the dossier under one of its documents (any file goes under "other")."""
    checked = check_upload(upload)
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if not locked.is_editable:
            raise ValidationError(
                {"file": _("The dossier of a nomination sent up can no longer be changed.")}
            )
        document = " ".join((document or "").split())
        if not document:
            raise ValidationError({"document": _("Please say which document this file is.")})
        record = DossierFile(
            nomination=locked,
            document=document[:200],
            original_name=checked.name,
            content_type=checked.kind.content_type,
            extension=checked.kind.extension,
            size=checked.size,
            token=checked.token,
            uploaded_by=by,
        )
        record.file.save(checked.token, ContentFile(checked.data), save=False)
        try:
            record.save()
            locked.version += 1
            locked.save(update_fields=["version", "updated_at"])
            audit_record(
                actor=by,
                action="dossier-add",
                obj=locked,
                changes={"document": record.document, "file": record.original_name},
            )
        except Exception:
            record.file.delete(save=False)
            raise
    return record


def dossier_file_remove(*, nomination: Nomination, file_id: int, by) -> None:
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if not locked.is_editable:
            raise ValidationError(
                _("The dossier of a nomination sent up can no longer be changed.")
            )
        record = locked.files.filter(pk=file_id).first()
        if record is None:
            raise ValidationError(_("This file is no longer in the dossier."))
        name = record.file.name
        audit_record(
            actor=by,
            action="dossier-remove",
            obj=locked,
            changes={"document": record.document, "file": record.original_name},
        )
        record.delete()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        transaction.on_commit(lambda: _delete_stored(name))


def missing_documents(nomination: Nomination) -> list[str]:
    """The documents the award requires that have no file in the dossier yet."""
    have = {
        " ".join(d.split()).casefold() for d in nomination.files.values_list("document", flat=True)
    }
    return [d for d in nomination.award_type.documents if d.casefold() not in have]


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
        locked.version += 1
        locked.save(update_fields=["current_level", "version", "updated_at"])
        audit_record(
            actor=by,
            action="endorse",
            obj=locked,
            changes={
                "from": level,
                "sent_to": upper,
                **({"comment": comment} if comment else {}),
            },
        )
        transaction.on_commit(
            lambda: review_transition.send(
                sender=Nomination, instance=locked, transition="endorse", by=by, comment=comment
            ),
            robust=True,
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


# ---------------------------------------------------------------------------------------------
# The council.


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


def vote_cast(*, item: SessionItem, by, choice: str) -> None:
    ballot_cast(session=item.session, by=by, choices={item.pk: choice})


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


# ---------------------------------------------------------------------------------------------
# Decisions.

DECISION_FIELDS = (
    "place",
    "subject",
    "grounds",
    "signing_authority",
    "signer_title",
    "signer_name",
    "distribution",
)
MULTILINE_FIELDS = ("grounds", "distribution")


def decision_issue(
    *,
    by,
    award_type: AwardType,
    number: int,
    date: dt.date,
    nominations: list[Nomination],
    data: dict,
    symbol: str = "",
) -> Decision:
    """Issue a decision granting ``award_type`` to nominations the council approved."""
    issuer = award_type.granting_unit
    _require(by, "awards.change_decision", issuer)
    errors: dict = {}
    if not number or int(number) <= 0:
        errors["number"] = _("Please enter the decision's number.")
    if date is None:
        errors["date"] = _("Please enter the decision's date.")
    signer = " ".join((data.get("signer_name") or "").split())
    if not signer:
        errors["signer_name"] = _("Please enter the signer's name.")
    if not nominations:
        errors["nominations"] = _("Please choose the nominations this decision grants.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = list(
            _lock_rows(
                Nomination.objects.select_related("award_type", "decision", "nominee_unit"),
                [n.pk for n in nominations],
            ).order_by("nominee_kind", "pk")
        )
        problems = []
        for n in locked:
            if n.award_type_id != award_type.pk:
                problems.append(
                    _("%(nominee)s is nominated for “%(award)s”, not for this award.")
                    % {"nominee": n.nominee_name, "award": n.award_type.name}
                )
            elif n.decision_id:
                problems.append(
                    _("%(nominee)s is already awarded by decision %(number)s.")
                    % {"nominee": n.nominee_name, "number": n.decision.document_number}
                )
            elif n.council_result == CouncilResult.REJECTED:
                problems.append(
                    _("%(nominee)s was rejected by the council and cannot be awarded.")
                    % {"nominee": n.nominee_name}
                )
            elif n.council_result != CouncilResult.APPROVED:
                problems.append(
                    _("%(nominee)s has not been approved by the council yet.")
                    % {"nominee": n.nominee_name}
                )
        if len(locked) != len({n.pk for n in nominations}):
            problems.append(_("Some of the chosen nominations no longer exist."))
        if problems:
            raise ValidationError(
                {"nominations": [ValidationError(p, code="not_approved") for p in problems]}
            )
        taken = (
            Decision.objects.filter(issuer=issuer, year=date.year, number=number)
            .select_related("issuer")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {"number": ValidationError(_number_taken(taken), code="number_taken")}
            )
        decision = Decision(
            issuer=issuer,
            award_type=award_type,
            number=int(number),
            symbol=(symbol or award_type.decision_symbol).strip(),
            date=date,
            created_by=by,
            session=_session_of(locked),
            **{
                name: " ".join(str(data.get(name) or "").split())
                for name in DECISION_FIELDS
                if name not in MULTILINE_FIELDS
            },
            **{name: (data.get(name) or "").strip() for name in MULTILINE_FIELDS},
        )
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError as exc:
            taken = Decision.objects.filter(issuer=issuer, year=date.year, number=number).first()
            raise ValidationError(
                {
                    "number": ValidationError(
                        _number_taken(taken) if taken else _("This number is already used."),
                        code="number_taken",
                    )
                }
            ) from exc
        Nomination.objects.filter(pk__in=[n.pk for n in locked]).update(
            decision=decision, version=F("version") + 1
        )
        audit_record(
            actor=by,
            action="decision-issue",
            obj=decision,
            changes={"award": award_type, "awardees": len(locked)},
        )
        for n in locked:
            audit_record(actor=by, action="award", obj=n, changes={"decision": decision})
    return decision


def _number_taken(taken: Decision) -> str:
    return _(
        "Number %(number)s is already used by %(issuer)s in %(year)s (decision %(document)s of "
        "%(date)s)."
    ) % {
        "number": taken.number,
        "issuer": taken.issuer.name,
        "year": taken.year,
        "document": taken.document_number,
        "date": _dmy(taken.date),
    }


def _session_of(nominations: list[Nomination]) -> CouncilSession | None:
    item = (
        SessionItem.objects.filter(nomination__in=nominations, session__status=SessionStatus.CLOSED)
        .select_related("session")
        .order_by("-session__closed_at")
        .first()
    )
    return item.session if item else None


# ---------------------------------------------------------------------------------------------
# Advanced models.


def model_propose(
    *,
    by,
    organization: Organization,
    title: str,
    subject: str,
    story: str,
    photo,
    campaign: Campaign | None = None,
) -> ExemplaryModel:
    """A unit proposes one of its people or collectives as an advanced model."""
    _require(by, "awards.change_model", organization)
    errors = {}
    title = " ".join((title or "").split())
    subject = " ".join((subject or "").split())
    story = (story or "").strip()
    if not title:
        errors["title"] = _("Please give a title.")
    if not subject:
        errors["subject"] = _("Please say whose story it is.")
    if not story:
        errors["story"] = _("Please tell the story.")
    if photo is None:
        errors["photo"] = _("Please add a photo (JPEG or PNG).")
    if errors:
        raise ValidationError(errors)
    checked = check_upload(photo, kinds=IMAGE_KINDS, field="photo")
    with transaction.atomic():
        model = ExemplaryModel(
            organization=organization,
            campaign=campaign,
            title=title,
            subject=subject,
            story=story,
            token=checked.token,
            photo_extension=checked.kind.extension,
            photo_content_type=checked.kind.content_type,
            proposed_by=by,
        )
        model.photo.save(checked.token, ContentFile(checked.data), save=False)
        try:
            model.save()
            audit_record(actor=by, action="model-propose", obj=model, changes={"title": title})
        except Exception:
            model.photo.delete(save=False)
            raise
    return model


def _lock_model(model: ExemplaryModel) -> ExemplaryModel:
    return _lock_rows(ExemplaryModel.objects.select_related("organization"), [model.pk]).get()


def model_publish(*, model: ExemplaryModel, by) -> ExemplaryModel:
    with transaction.atomic():
        locked = _lock_model(model)
        _require(by, "awards.publish_model", locked)
        if locked.is_published:
            raise ValidationError(_("This advanced model is already published."))
        locked.status = ModelStatus.PUBLISHED
        locked.published_by = by
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        audit_record(actor=by, action="model-publish", obj=locked)
    return locked


def model_withdraw(*, model: ExemplaryModel, by) -> ExemplaryModel:
    with transaction.atomic():
        locked = _lock_model(model)
        _require(by, "awards.publish_model", locked)
        if not locked.is_published:
            raise ValidationError(_("Only a published advanced model can be withdrawn."))
        locked.status = ModelStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action="model-withdraw", obj=locked)
    return locked


# ---------------------------------------------------------------------------------------------
# Plaques for registered key works.


def plaque_grant(*, by, key_work, note: str = "") -> Plaque:
    """Provincial staff decide that a registered key work receives a commemorative plaque."""
    with transaction.atomic():
        work = _lock_rows(
            type(key_work).objects.select_related(
                "registration__organization", "registration__campaign"
            ),
            [key_work.pk],
        ).get()
        unit = work.registration.organization
        if not (tree.is_superuser(by) or is_provincial_staff_over(by, unit)):
            raise PermissionDenied
        if work.registration.status != ReviewStatus.APPROVED:
            raise ValidationError(
                _("%(unit)s's registration is not approved yet: its works cannot get a plaque.")
                % {"unit": unit.name}
            )
        if Plaque.objects.filter(key_work=work).exists():
            raise ValidationError(
                _("“%(work)s” already has a plaque.") % {"work": work.name}, code="duplicate"
            )
        plaque = Plaque.objects.create(
            key_work=work, note=" ".join((note or "").split())[:300], granted_by=by
        )
        audit_record(
            actor=by,
            action="plaque-grant",
            obj=plaque,
            changes={"key_work": work.name, "unit": unit},
        )
    return plaque


def plaque_attach(*, plaque: Plaque, by, attached_on: dt.date) -> Plaque:
    """Record the day the plaque was attached to the work."""
    with transaction.atomic():
        locked = _lock_rows(
            Plaque.objects.select_related("key_work__registration__organization"), [plaque.pk]
        ).get()
        unit = locked.key_work.registration.organization
        if not (tree.is_superuser(by) or is_provincial_staff_over(by, unit)):
            raise PermissionDenied
        if attached_on is None:
            raise ValidationError({"attached_on": _("Please enter the day it was attached.")})
        if attached_on > timezone.localdate():
            raise ValidationError({"attached_on": _("The day it was attached cannot be ahead.")})
        if attached_on < timezone.localtime(locked.granted_at).date():
            raise ValidationError(
                {"attached_on": _("The plaque cannot be attached before it was decided.")}
            )
        previous = locked.attached_on
        locked.attached_on = attached_on
        locked.attached_by = by
        locked.save(update_fields=["attached_on", "attached_by"])
        audit_record(
            actor=by,
            action="plaque-attach",
            obj=locked,
            changes={"attached_on": [_dmy(previous), _dmy(attached_on)]},
        )
    return locked
