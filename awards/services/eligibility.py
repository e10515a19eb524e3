"""What the nominating unit does for the eligibility rules: declare the declared conditions of a
nomination, and complete the award history with an award given outside this system's decisions.
And the check the review applies when a nomination is submitted or endorsed."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awards.eligibility import blocking_message, eligibility_check
from awards.models import (
    AwardType,
    Declaration,
    EligibilityRule,
    Nomination,
    NomineeKind,
    PriorAward,
    Quota,
    RuleKind,
    nominee_search_key,
)
from awards.quotas import quota_message, quota_uses
from awards.services.common import _lock_nomination, _require
from emulation.audit import audit_record
from federation.models import Organization


def require_eligible(nomination: Nomination) -> None:
    """Refuse when a blocking rule of the award is not met (warnings do not stop it)."""
    checks = eligibility_check(nomination)
    if any(c.blocking for c in checks):
        raise ValidationError(blocking_message(checks), code="not_eligible")


def require_quota(nomination: Nomination, unit: Organization) -> None:
    """Refuse when ``unit`` sending ``nomination`` up would exceed a quota of its award. The
    award's quota rows are locked first, so two units endorsing at once are counted in turn."""
    list(
        Quota.objects.select_for_update()
        .filter(award_type=nomination.award_type_id, year=nomination.campaign.year)
        .values_list("pk", flat=True)
    )
    uses = quota_uses(nomination, unit)
    if any(u.reached for u in uses):
        raise ValidationError(quota_message(uses, nomination), code="quota")


def nomination_declare(*, nomination: Nomination, by, rules: list[int]) -> int:
    """The nominating unit declares the declared conditions ``rules`` (ids) met, and withdraws
    any declaration it leaves out. Only while the nomination is a draft or returned."""
    with transaction.atomic():
        locked = _lock_nomination(nomination)
        _require(by, "awards.change_nomination", locked)
        if not locked.is_editable:
            raise ValidationError(
                _("Only a draft or a returned nomination can be changed."), code="not_editable"
            )
        allowed = set(
            EligibilityRule.objects.filter(
                award_type=locked.award_type_id, kind=RuleKind.DECLARATION
            ).values_list("pk", flat=True)
        )
        chosen = {int(pk) for pk in rules}
        if chosen - allowed:
            raise ValidationError(_("Only the declared conditions of this award can be declared."))
        current = set(locked.declarations.values_list("rule_id", flat=True))
        Declaration.objects.filter(nomination=locked, rule_id__in=current - chosen).delete()
        Declaration.objects.bulk_create(
            [Declaration(nomination=locked, rule_id=pk, declared_by=by) for pk in chosen - current]
        )
        audit_record(
            actor=by,
            action="declare",
            obj=locked,
            changes={"declared": sorted(chosen), "withdrawn": sorted(current - chosen)},
        )
    return len(chosen)


def prior_award_record(
    *,
    by,
    nominee_kind: str,
    nominee_unit: Organization,
    person_name: str = "",
    award_type: AwardType,
    year: int,
    reference: str,
    today,
) -> PriorAward:
    """Complete the award history with an award given outside this system's decisions (a
    decision of an earlier year, or of another body), with its decision's reference."""
    _require(by, "awards.record_history", nominee_unit)
    person_name = " ".join((person_name or "").split())
    reference = " ".join((reference or "").split())
    errors = {}
    if nominee_kind == NomineeKind.INDIVIDUAL and not person_name:
        errors["person_name"] = _("Please enter the person's full name.")
    if nominee_kind == NomineeKind.COLLECTIVE:
        person_name = ""
    if not reference:
        errors["reference"] = _("Please give the number and date of the decision.")
    if year is None or not 1950 <= year <= today.year:
        errors["year"] = _("The year must be between 1950 and %(year)s.") % {"year": today.year}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        key = nominee_search_key(person_name, nominee_unit)
        if PriorAward.objects.filter(
            nominee_unit=nominee_unit, search_key=key, award_type=award_type, year=year
        ).exists():
            raise ValidationError(
                {"year": _("This award of %(year)s is already in the history.") % {"year": year}}
            )
        try:
            with transaction.atomic():
                record = PriorAward.objects.create(
                    nominee_kind=nominee_kind,
                    nominee_unit=nominee_unit,
                    person_name=person_name,
                    award_type=award_type,
                    year=year,
                    reference=reference,
                    recorded_by=by,
                )
        except IntegrityError as exc:
            raise ValidationError(
                {"year": _("This award of %(year)s is already in the history.") % {"year": year}}
            ) from exc
        audit_record(
            actor=by,
            action="prior-award",
            obj=nominee_unit,
            changes={
                "award": award_type.name,
                "year": year,
                "person": person_name,
                "reference": reference,
            },
        )
    return record


def prior_award_for(nomination: Nomination, **fields) -> dict:
    """The nominee's side of an earlier award recorded from a nomination's page."""
    return {
        "nominee_kind": nomination.nominee_kind,
        "nominee_unit": nomination.nominee_unit,
        "person_name": nomination.person_name,
        **fields,
    }
