"""The eligibility check of a nomination: each rule of its award type (``EligibilityRule``) read
against the campaign's registrations, the award history (decisions of this system and earlier
awards recorded in it) and the declarations of the nominating unit. Read only: the services
enforce it when a nomination is submitted or endorsed, the pages show it."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from awards.models import (
    LEVEL_RANK,
    AwardScope,
    CouncilResult,
    EligibilityRule,
    Initiative,
    InitiativeLevel,
    Nomination,
    NomineeKind,
    Occasion,
    PriorAward,
    RuleKind,
)
from awards.selectors import merged_chains
from awards.services.nominations import _registration_approved
from emulation.eligibility import PUBLISHED_GRADE, fact, provides
from federation.models import Organization


class Status:
    MET = "met"
    NOT_MET = "not_met"
    DECLARED = "declared"


@dataclass
class RuleCheck:
    rule: EligibilityRule
    status: str
    evidence: list[str] = field(default_factory=list)

    @property
    def satisfied(self) -> bool:
        return self.status in (Status.MET, Status.DECLARED)

    @property
    def blocking(self) -> bool:
        return not self.satisfied and self.rule.blocks

    @property
    def warning(self) -> bool:
        return not self.satisfied and not self.rule.blocks


def _same_nominee(nomination: Nomination, *, units: list[int] | None = None) -> Q:
    """The nominations (or the earlier awards) of the same collective or person: in the
    nominee's unit, or in any of ``units`` (the unit and those merged into it)."""
    units = units or [nomination.nominee_unit_id]
    if nomination.nominee_kind == NomineeKind.COLLECTIVE:
        return Q(nominee_kind=NomineeKind.COLLECTIVE, nominee_unit__in=units)
    return Q(
        nominee_kind=NomineeKind.INDIVIDUAL,
        nominee_unit__in=units,
        search_key=nomination.search_key,
    )


def _with_predecessors(unit_id: int) -> list[int]:
    """The unit and every unit merged into it, directly or through another merged unit: the
    award history of a merged unit counts for its successor."""
    return [unit_id, *(pk for pk, chain in merged_chains().items() if unit_id in chain)]


def _registration(nomination: Nomination, rule: EligibilityRule) -> RuleCheck:
    if _registration_approved(nomination.campaign, nomination.nominee_unit):
        return RuleCheck(
            rule,
            Status.MET,
            [
                _("%(unit)s holds an approved registration for the campaign.")
                % {"unit": nomination.nominee_unit.name}
            ],
        )
    return RuleCheck(
        rule,
        Status.NOT_MET,
        [
            _("%(unit)s has no approved registration for the campaign.")
            % {"unit": nomination.nominee_unit.name}
        ],
    )


def _history(nomination: Nomination, rule: EligibilityRule) -> RuleCheck:
    """One of the rule's awards in each of the ``years`` years before the campaign's year, in
    the history of the nominee's unit and of the units merged into it."""
    prior = list(rule.prior_awards.all())
    units = _with_predecessors(nomination.nominee_unit_id)
    year = nomination.campaign.year
    wanted = list(range(year - rule.years, year))
    found: dict[int, list[str]] = {y: [] for y in wanted}
    awarded = (
        Nomination.objects.filter(
            _same_nominee(nomination, units=units),
            award_type__in=prior,
            decision__isnull=False,
            campaign__year__in=wanted,
        )
        .select_related("award_type", "decision", "campaign")
        .order_by("campaign__year", "pk")
    )
    for n in awarded:
        found[n.campaign.year].append(
            _("%(award)s, decision %(decision)s")
            % {"award": n.award_type.name, "decision": n.decision.document_number}
        )
    recorded = (
        PriorAward.objects.filter(
            _same_nominee(nomination, units=units), award_type__in=prior, year__in=wanted
        )
        .select_related("award_type")
        .order_by("year", "pk")
    )
    for p in recorded:
        found[p.year].append(
            _("%(award)s, decision %(decision)s (recorded in the history)")
            % {"award": p.award_type.name, "decision": p.reference}
        )
    evidence = [
        f"{y}: " + ("; ".join(found[y]) if found[y] else _("none of the required awards"))
        for y in wanted
    ]
    status = Status.MET if prior and all(found[y] for y in wanted) else Status.NOT_MET
    return RuleCheck(rule, status, evidence)


def _declaration(nomination: Nomination, rule: EligibilityRule, declared: dict) -> RuleCheck:
    declaration = declared.get(rule.pk)
    if declaration is None:
        return RuleCheck(rule, Status.NOT_MET, [_("Not declared by the nominating unit yet.")])
    who = declaration.declared_by.get_full_name() if declaration.declared_by else ""
    return RuleCheck(
        rule,
        Status.DECLARED,
        [
            _("Declared by %(who)s on %(day)s.")
            % {"who": who or "—", "day": f"{declaration.declared_at:%d/%m/%Y}"}
        ],
    )


def _initiatives(nomination: Nomination, rule: EligibilityRule) -> RuleCheck:
    """At least ``initiative_count`` initiatives recognised at ``initiative_level`` or above, in
    the campaign's year and the ``years - 1`` years before it."""
    year = nomination.campaign.year
    first = year - rule.years + 1
    levels = [
        level
        for level, rank in LEVEL_RANK.items()
        if rank >= LEVEL_RANK[InitiativeLevel(rule.initiative_level)]
    ]
    found = list(
        Initiative.objects.filter(
            _same_nominee(nomination),
            level__in=levels,
            recognised_on__year__gte=first,
            recognised_on__year__lte=year,
        ).order_by("recognised_on", "pk")
    )
    evidence = [
        _("%(title)s (%(level)s, %(body)s, %(day)s)")
        % {
            "title": i.title,
            "level": i.get_level_display(),
            "body": i.recognised_by,
            "day": f"{i.recognised_on:%d/%m/%Y}",
        }
        for i in found
    ]
    evidence.append(
        _("%(found)s of the %(needed)s initiatives needed (%(first)s-%(year)s).")
        % {"found": len(found), "needed": rule.initiative_count, "first": first, "year": year}
    )
    status = Status.MET if len(found) >= rule.initiative_count else Status.NOT_MET
    return RuleCheck(rule, status, evidence)


EXCEPTED_OCCASIONS = (Occasion.PHASE, Occasion.AD_HOC)


def _same_level(nomination: Nomination, rule: EligibilityRule) -> RuleCheck:
    """Not both a comprehensive and a thematic award at one granting level in one year (phase
    reviews and ad-hoc awards excepted)."""
    if nomination.occasion in EXCEPTED_OCCASIONS:
        return RuleCheck(
            rule,
            Status.MET,
            [_("Phase reviews and ad-hoc awards are excepted from this rule.")],
        )
    award = nomination.award_type
    other_scope = (
        AwardScope.THEMATIC if award.scope == AwardScope.COMPREHENSIVE else AwardScope.COMPREHENSIVE
    )
    others = (
        Nomination.objects.filter(
            _same_nominee(nomination),
            campaign__year=nomination.campaign.year,
            award_type__granting_unit=award.granting_unit_id,
            award_type__scope=other_scope,
        )
        .exclude(pk=nomination.pk)
        .exclude(occasion__in=EXCEPTED_OCCASIONS)
        .exclude(council_result=CouncilResult.REJECTED)
        .select_related("award_type")
        .order_by("pk")
    )
    conflicts = [
        _("%(award)s (%(stage)s)") % {"award": n.award_type.name, "stage": n.get_stage_display()}
        for n in others
    ]
    if conflicts:
        return RuleCheck(
            rule,
            Status.NOT_MET,
            [
                _("Also proposed for %(award)s at %(unit)s in %(year)s.")
                % {
                    "award": ", ".join(conflicts),
                    "unit": award.granting_unit.name,
                    "year": nomination.campaign.year,
                }
            ],
        )
    return RuleCheck(
        rule,
        Status.MET,
        [
            _("No other award of %(unit)s in %(year)s.")
            % {"unit": award.granting_unit.name, "year": nomination.campaign.year}
        ],
    )


def _grade(nomination: Nomination, rule: EligibilityRule) -> RuleCheck:
    """The grade of the nominee's unit published for the campaign's year (or the year before):
    the rule's grade or a better one. Read from the annual grading through the registry of
    ``emulation.eligibility``. A unit with no grade of its own for that year (formed by a merger
    after the grading) is judged on the grades of the units merged into it: every one of them
    graded must reach the grade, so the lowest counts."""
    year = nomination.campaign.year - (1 if rule.grade_of_year_before else 0)
    unit = nomination.nominee_unit
    if not provides(PUBLISHED_GRADE):
        return RuleCheck(rule, Status.NOT_MET, [_("The annual grading is not available.")])
    grade = fact(PUBLISHED_GRADE, organization=unit, year=year)
    if grade is not None:
        graded = [(unit, grade)]
    else:
        former = Organization.objects.filter(pk__in=_with_predecessors(unit.pk)[1:]).order_by(
            "path"
        )
        graded = [
            (f, g)
            for f in former
            if (g := fact(PUBLISHED_GRADE, organization=f, year=year)) is not None
        ]
    if not graded:
        return RuleCheck(
            rule,
            Status.NOT_MET,
            [
                _("No grade of %(unit)s is published for %(year)s.")
                % {"unit": unit.name, "year": year}
            ],
        )
    evidence = []
    for graded_unit, unit_grade in graded:
        if graded_unit == unit:
            evidence.append(
                _("%(unit)s: %(grade)s, published for %(year)s.")
                % {"unit": unit.name, "grade": unit_grade.name, "year": year}
            )
        else:
            evidence.append(
                _("%(unit)s (merged into %(successor)s): %(grade)s, published for %(year)s.")
                % {
                    "unit": graded_unit.name,
                    "successor": unit.name,
                    "grade": unit_grade.name,
                    "year": year,
                }
            )
    if max(g.rank for _u, g in graded) <= rule.grade_rank:
        return RuleCheck(rule, Status.MET, evidence)
    evidence.append(_("This grade is below the grade the award requires."))
    return RuleCheck(rule, Status.NOT_MET, evidence)


def eligibility_check(nomination: Nomination) -> list[RuleCheck]:
    """Each rule of the nomination's award type, with its status and its evidence."""
    rules = list(
        EligibilityRule.objects.filter(award_type=nomination.award_type_id).prefetch_related(
            "prior_awards"
        )
    )
    declared = (
        {d.rule_id: d for d in nomination.declarations.select_related("declared_by")}
        if nomination.pk
        else {}
    )
    checks = []
    for rule in rules:
        if rule.kind == RuleKind.REGISTRATION:
            checks.append(_registration(nomination, rule))
        elif rule.kind == RuleKind.HISTORY:
            checks.append(_history(nomination, rule))
        elif rule.kind == RuleKind.INITIATIVES:
            checks.append(_initiatives(nomination, rule))
        elif rule.kind == RuleKind.DECLARATION:
            checks.append(_declaration(nomination, rule, declared))
        elif rule.kind == RuleKind.SAME_LEVEL:
            checks.append(_same_level(nomination, rule))
        elif rule.kind == RuleKind.GRADE:
            checks.append(_grade(nomination, rule))
    return checks


def blocking_message(checks: list[RuleCheck]) -> str:
    unmet = [c.rule.label for c in checks if c.blocking]
    return _("The nominee does not meet the award's conditions: %(rules)s.") % {
        "rules": "; ".join(unmet)
    }
