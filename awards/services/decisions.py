"""Decisions granting an award to the nominations the council approved."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from awards.models import (
    AwardType,
    CouncilResult,
    CouncilSession,
    Decision,
    Nomination,
    SessionItem,
    SessionStatus,
)
from awards.selectors import decision_number_holder
from awards.services.common import _dmy, _lock_rows, _require
from emulation.audit import audit_record

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
    symbol = " ".join((symbol or award_type.decision_symbol).split())
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
        errors = {}
        taken = decision_number_holder(issuer, symbol=symbol, year=date.year, number=int(number))
        if taken is not None:
            errors["number"] = ValidationError(number_taken_message(taken), code="number_taken")
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
            errors["nominations"] = [ValidationError(p, code="not_approved") for p in problems]
        if errors:
            raise ValidationError(errors)
        decision = Decision(
            issuer=issuer,
            award_type=award_type,
            number=int(number),
            symbol=symbol,
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
            taken = decision_number_holder(
                issuer, symbol=symbol, year=date.year, number=int(number)
            )
            raise ValidationError(
                {
                    "number": ValidationError(
                        number_taken_message(taken) if taken else _("This number is already used."),
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


def number_taken_message(taken: Decision) -> str:
    """Why a number is refused: the decision of the same issuer, symbol and year that has it."""
    return _(
        "Number %(number)s/%(symbol)s is already used by %(issuer)s in %(year)s (decision "
        "%(document)s of %(date)s)."
    ) % {
        "number": taken.number,
        "symbol": taken.symbol,
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
