"""Reads of commendation that pages share. Every list starts from the units the person may see
(``Organization.objects.visible_to``), so no query can reach another branch's data; each costs
a fixed number of queries whatever the number of rows."""

from django.db.models import Case, CharField, F, Q, Value, When

from awards.models import (
    AwardType,
    CouncilResult,
    CouncilSession,
    Decision,
    ExemplaryModel,
    ModelStatus,
    Nomination,
    Plaque,
    Stage,
)
from emulation.text import search_key
from emulation.workflow import ReviewStatus
from federation.models import (
    PROVINCIAL_KINDS,
    SUBTREE_ROLES,
    Organization,
    Role,
    memberships_of,
    subtree_q,
)


def _council_units(user) -> list[int]:
    return [m.organization_id for m in memberships_of(user) if m.role == Role.COUNCIL]


def _reader_paths(user) -> list[str]:
    return [m.organization_path for m in memberships_of(user) if m.role in SUBTREE_ROLES]


def stage_expression():
    """The stage of a nomination (see ``Nomination.stage``) computed by the database."""
    return Case(
        When(decision__isnull=False, then=Value(Stage.AWARDED)),
        When(council_result=CouncilResult.APPROVED, then=Value(Stage.APPROVED)),
        When(council_result=CouncilResult.REJECTED, then=Value(Stage.REJECTED)),
        When(
            status=ReviewStatus.SUBMITTED,
            current_level=F("award_type__granting_unit"),
            then=Value(Stage.AT_COUNCIL),
        ),
        When(status=ReviewStatus.SUBMITTED, then=Value(Stage.IN_REVIEW)),
        When(status=ReviewStatus.RETURNED, then=Value(Stage.RETURNED)),
        default=Value(Stage.DRAFT),
        output_field=CharField(),
    )


def visible_nominations(user):
    """The nominations of the units the person sees, and those that reached the council the
    person sits on."""
    queryset = Nomination.objects.select_related(
        "award_type__granting_unit", "nominating_unit", "nominee_unit", "current_level", "campaign"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    condition = Q(nominating_unit__in=Organization.objects.visible_to(user).values("pk"))
    councils = _council_units(user)
    if councils:
        condition |= Q(award_type__granting_unit__in=councils) & (
            Q(current_level=F("award_type__granting_unit")) | ~Q(council_result="")
        )
    return queryset.filter(condition)


def filter_nominations(queryset, *, stage: str = "", campaign=None, query: str = ""):
    queryset = queryset.annotate(stage_code=stage_expression())
    if stage:
        queryset = queryset.filter(stage_code=stage)
    if campaign:
        queryset = queryset.filter(campaign=campaign)
    if query:
        queryset = queryset.filter(search_key__contains=search_key(query))
    return queryset


def awaiting_me(user):
    """Nominations waiting for the person's endorsement or return, at a unit they review."""
    if not getattr(user, "is_authenticated", False):
        return Nomination.objects.none()
    queryset = visible_nominations(user).filter(status=ReviewStatus.SUBMITTED)
    if user.is_superuser:
        return queryset.exclude(current_level=F("award_type__granting_unit"))
    condition = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role in SUBTREE_ROLES:
            condition |= Q(current_level=m.organization_id)
    return queryset.filter(condition).exclude(current_level=F("award_type__granting_unit"))


def visible_sessions(user):
    queryset = CouncilSession.objects.select_related("granting_unit")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    condition = Q(granting_unit__in=_council_units(user))
    for path in _reader_paths(user):
        # Leaders and staff of the granting unit or of a unit above it.
        condition |= subtree_q(path, "granting_unit__")
    return queryset.filter(condition)


def visible_decisions(user):
    queryset = Decision.objects.select_related("issuer", "award_type")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    condition = Q(issuer__in=_council_units(user))
    for path in _reader_paths(user):
        condition |= subtree_q(path, "issuer__")
    awarded_here = Nomination.objects.filter(
        nominating_unit__in=Organization.objects.visible_to(user).values("pk"),
        decision__isnull=False,
    ).values("decision_id")
    condition |= Q(pk__in=awarded_here)
    return queryset.filter(condition)


def council_units_managed(user):
    """Units whose council the person may convene: those where they are staff, and below."""
    if user.is_superuser:
        return Organization.objects.filter(award_types__isnull=False).distinct()
    condition = Q(pk__in=[])
    for m in memberships_of(user):
        if m.role == Role.STAFF:
            condition |= subtree_q(m.organization_path)
    return Organization.objects.filter(condition, award_types__isnull=False).distinct()


def award_types_for(unit: Organization):
    """Award types in use that a unit may nominate for: granted by the unit or a unit above."""
    step = Organization.steplen
    prefixes = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    return AwardType.objects.filter(
        is_active=True, granting_unit__path__in=prefixes
    ).select_related("granting_unit")


def award_history(user, query: str = "", unit: Organization | None = None):
    """Every award received, across the years, by the people and units the person sees."""
    queryset = (
        visible_nominations(user)
        .filter(decision__isnull=False)
        .select_related("decision")
        .order_by("-decision__date", "search_key")
    )
    if query:
        queryset = queryset.filter(search_key__contains=search_key(query))
    if unit is not None:
        queryset = queryset.filter(nominee_unit=unit)
    return queryset


def visible_models(user):
    queryset = ExemplaryModel.objects.select_related("organization")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    condition = Q(organization__in=Organization.objects.visible_to(user).values("pk"))
    for m in memberships_of(user):
        if m.role == Role.STAFF and m.organization_kind in PROVINCIAL_KINDS:
            condition |= subtree_q(m.organization_path, "organization__")
    return queryset.filter(condition)


def published_models():
    return ExemplaryModel.objects.filter(status=ModelStatus.PUBLISHED).select_related(
        "organization"
    )


def visible_key_works(user):
    """Key works of the registrations of the units the person sees."""
    from registrations.models import KeyWork

    return KeyWork.objects.filter(
        registration__organization__in=Organization.objects.visible_to(user).values("pk")
    ).select_related("registration__organization", "registration__campaign")


def plaque_candidates(user):
    """Key works of approved registrations that have no plaque yet."""
    return (
        visible_key_works(user)
        .filter(registration__status=ReviewStatus.APPROVED, plaque__isnull=True)
        .order_by("-registration__campaign__year", "registration__organization__path", "position")
    )


def visible_plaques(user):
    return (
        Plaque.objects.filter(key_work__in=visible_key_works(user).values("pk"))
        .select_related("key_work__registration__organization", "key_work__registration__campaign")
        .order_by("-granted_at", "-id")
    )
