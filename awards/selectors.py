"""Reads of commendation that pages share. Every list starts from the units the person may see
(``Organization.objects.visible_to``), so no query can reach another branch's data; each costs
a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, Value, When

from awards.models import (
    AwardType,
    CouncilResult,
    CouncilSession,
    Decision,
    ExemplaryModel,
    Initiative,
    ModelStatus,
    Nomination,
    Plaque,
    PriorAward,
    SessionItem,
    Stage,
    Vote,
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


def stage_counts(queryset) -> dict[str, int]:
    """How many of ``queryset``'s nominations stand at each stage (one query)."""
    return dict(
        queryset.annotate(stage_code=stage_expression())
        .order_by()
        .values_list("stage_code")
        .annotate(n=Count("id"))
    )


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


def merged_chains() -> dict[int, list[int]]:
    """For each unit merged into another, the units it lives on in, nearest first (a unit
    merged into one that was later merged again lives on in both). One query over the merged
    units only."""
    merged = dict(
        Organization.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into")
    )
    chains = {}
    for pk in merged:
        chain, current = [], merged[pk]
        while current is not None and current not in chain and current != pk:
            chain.append(current)
            current = merged.get(current)
        chains[pk] = chain
    return chains


def award_history(user, query: str = "", unit: Organization | None = None):
    """Every award received, across the years, by the people and units the person sees: the
    awards of a unit merged into another are shown under its successor, with their former unit
    (``nominee_unit.merged_into`` set)."""
    chains = merged_chains()
    visible = visible_nominations(user)
    if chains and not user.is_superuser:
        successors = set(
            Organization.objects.visible_to(user)
            .filter(pk__in={s for chain in chains.values() for s in chain})
            .values_list("pk", flat=True)
        )
        former = [pk for pk, chain in chains.items() if successors & set(chain)]
        if former:
            visible = Nomination.objects.filter(
                Q(pk__in=visible.values("pk")) | Q(nominee_unit__in=former)
            )
    queryset = (
        visible.filter(decision__isnull=False)
        .select_related("decision", "award_type", "nominee_unit__merged_into")
        .order_by("-decision__date", "search_key")
    )
    if query:
        queryset = queryset.filter(search_key__contains=search_key(query))
    if unit is not None:
        former = [pk for pk, chain in chains.items() if unit.pk in chain]
        queryset = queryset.filter(nominee_unit__in=[unit.pk, *former])
    return queryset


def earlier_awards(user, query: str = "", unit: Organization | None = None):
    """The earlier awards recorded in the history (decisions outside this system), of the
    units the person sees."""
    queryset = (
        PriorAward.objects.filter(
            nominee_unit__in=Organization.objects.visible_to(user).values("pk")
        )
        .select_related("award_type", "nominee_unit")
        .order_by("-year", "search_key", "pk")
    )
    if query:
        queryset = queryset.filter(search_key__contains=search_key(query))
    if unit is not None:
        queryset = queryset.filter(nominee_unit=unit)
    return queryset


def initiatives_of(user, query: str = "", unit: Organization | None = None):
    """The initiatives of the people and units the person sees."""
    queryset = (
        Initiative.objects.filter(
            nominee_unit__in=Organization.objects.visible_to(user).values("pk")
        )
        .select_related("nominee_unit")
        .order_by("-recognised_on", "pk")
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


# ---------------------------------------------------------------------------------------------
# What a person may do now on a page, and why not (the views show it, the services enforce it).


def units_prepared_by(user):
    """The units whose nominations and models the person prepares (officer or leader)."""
    units = Organization.objects.filter(is_active=True)
    if user.is_superuser:
        return units.order_by("path")
    return (
        units.filter(memberships__user=user, memberships__role__in=(Role.OFFICER, Role.LEADER))
        .distinct()
        .order_by("depth", "path")
    )


def missing_documents(nomination: Nomination) -> list[str]:
    """The documents the award requires that have no file in the dossier yet."""
    have = {
        " ".join(d.split()).casefold() for d in nomination.files.values_list("document", flat=True)
    }
    return [d for d in nomination.award_type.documents if d.casefold() not in have]


def path_to_granting(nomination: Nomination) -> list[Organization]:
    """The units from the nominating unit up to the granting unit, marking where it is now."""
    granting = nomination.award_type.granting_unit
    unit = nomination.nominating_unit
    step = Organization.steplen
    paths = [unit.path[:i] for i in range(len(granting.path), len(unit.path) + 1, step)]
    units = list(Organization.objects.filter(path__in=paths).order_by("-depth"))
    for u in units:
        u.is_current = u.pk == nomination.current_level_id and nomination.status != "draft"
    return units


@dataclass(frozen=True)
class NominationActions:
    """The buttons of a nomination's page. ``missing`` says why it cannot be sent yet (the
    documents its dossier lacks)."""

    can_change: bool
    can_delete: bool
    can_endorse: bool
    can_return: bool
    missing: list[str]

    @property
    def can_submit(self) -> bool:
        return self.can_change and not self.missing


def nomination_actions(user, nomination: Nomination) -> NominationActions:
    """What ``user`` may do with ``nomination`` now: edit and send it while the unit holds it;
    forward it up (endorse) or return it while it waits at a unit they review, short of the
    granting unit, where the council decides."""
    prepares = user.has_perm("awards.change_nomination", nomination)
    reviews = nomination.status == ReviewStatus.SUBMITTED and user.has_perm(
        "awards.review_nomination", nomination
    )
    return NominationActions(
        can_change=prepares and nomination.is_editable,
        can_delete=prepares and nomination.status == ReviewStatus.DRAFT,
        can_endorse=reviews and not nomination.at_granting_level,
        can_return=reviews,
        missing=missing_documents(nomination),
    )


def waiting_for_council(user) -> int:
    """Nominations at the councils the person convenes, on no agenda's result yet."""
    return (
        visible_nominations(user)
        .filter(
            status=ReviewStatus.SUBMITTED,
            council_result="",
            current_level=F("award_type__granting_unit"),
            award_type__granting_unit__in=council_units_managed(user),
        )
        .count()
    )


def council_candidates(unit: Organization | None):
    """The nominations that reached the council of ``unit`` and are on no open session."""
    if unit is None:
        return Nomination.objects.none()
    return (
        Nomination.objects.filter(
            status=ReviewStatus.SUBMITTED,
            council_result="",
            current_level=unit,
            award_type__granting_unit=unit,
        )
        .exclude(session_items__session__status="open")
        .select_related("award_type", "nominating_unit", "nominee_unit")
        .order_by("award_type__position", "nominee_kind", "pk")
    )


@dataclass(frozen=True)
class SessionState:
    """A council session as one person sees it: the agenda with their own votes (never anyone
    else's), whether they may still vote, and what waits for a decision."""

    items: list
    to_vote: list
    can_vote: bool
    can_manage: bool
    voters: int
    approved_awards: list
    members: list
    counted: int

    @property
    def quorum_met(self) -> bool:
        return self.counted >= self.session.quorum_needed and self.session.member_count > 0

    session: object = None

    @property
    def voted_all(self) -> bool:
        return self.can_vote and not self.to_vote


def session_state(user, session: CouncilSession) -> SessionState:
    members = list(session.members.all())
    seat = next((m for m in members if m.user_id == user.pk), None)
    items = list(
        session.items.select_related(
            "nomination__award_type", "nomination__nominee_unit", "nomination__nominating_unit"
        ).annotate(ballots=Count("votes"))
    )
    mine = dict(
        Vote.objects.filter(item__session=session, voter=user).values_list("item_id", "choice")
    )
    for item in items:
        item.my_vote = mine.get(item.pk)
        item.session = session
    awards = {}
    for item in items:
        n = item.nomination
        if n.council_result == CouncilResult.APPROVED and n.decision_id is None:
            awards[n.award_type_id] = n.award_type
    return SessionState(
        items=items,
        to_vote=[item for item in items if item.pk not in mine],
        can_vote=user.has_perm("awards.vote", session)
        and seat is not None
        and not seat.written_opinion,
        can_manage=user.has_perm("awards.change_session", session),
        voters=Vote.objects.filter(item__session=session).values("voter").distinct().count(),
        approved_awards=list(awards.values()),
        members=members,
        counted=sum(1 for m in members if m.counts_for_quorum),
        session=session,
    )


def decision_award_for(user) -> int | None:
    """The award a new decision is for when the page names none: one with approved
    nominations waiting, else any award of a council the person convenes."""
    units = council_units_managed(user)
    waiting = (
        Nomination.objects.filter(
            council_result=CouncilResult.APPROVED,
            decision__isnull=True,
            award_type__granting_unit__in=units,
        )
        .values_list("award_type_id", flat=True)
        .first()
    )
    return waiting or (
        AwardType.objects.filter(granting_unit__in=units).values_list("pk", flat=True).first()
    )


def decision_candidates(award: AwardType):
    """Nominations for ``award`` approved by the council and not yet awarded."""
    return (
        Nomination.objects.filter(
            award_type=award, council_result=CouncilResult.APPROVED, decision__isnull=True
        )
        .select_related("award_type", "nominating_unit", "nominee_unit")
        .order_by("nominee_kind", "nominee_unit__path", "pk")
    )


def next_decision_number(issuer: Organization, year: int, symbol: str) -> int:
    """The number after the last one ``issuer`` gave a decision of ``symbol`` in ``year``."""
    last = issuer.decisions.filter(year=year, symbol=symbol.strip()).order_by("-number").first()
    return (last.number + 1) if last else 1


def decision_number_holder(
    issuer: Organization, *, symbol: str, year: int, number: int
) -> Decision | None:
    """The decision that already bears ``number``/``symbol`` of ``issuer`` in ``year``, if any
    (numbers are unique per issuer, symbol and year)."""
    return (
        Decision.objects.filter(issuer=issuer, symbol=symbol.strip(), year=year, number=number)
        .select_related("issuer")
        .first()
    )


def session_items_of(user, nomination: Nomination) -> list[SessionItem]:
    """The council sessions that considered ``nomination``, latest first, each marked
    ``can_view`` when the person may open the session's page (a unit's officer sees that its
    nomination went before the council, not the session itself)."""
    items = list(
        nomination.session_items.select_related("session__granting_unit").order_by(
            "-session__meeting_date", "-pk"
        )
    )
    for item in items:
        item.can_view = user.has_perm("awards.view_session", item.session)
    return items


def visible_awardee_ids(user, decision: Decision) -> set[int]:
    """The awardees of ``decision`` whose nomination (and so certificate) the person may see."""
    return set(visible_nominations(user).filter(decision=decision).values_list("pk", flat=True))


def decision_awardees(user, decision: Decision) -> list[Nomination]:
    """The awardees of ``decision``, each marked ``can_view`` when the person may open it."""
    visible = visible_awardee_ids(user, decision)
    awardees = list(
        decision.nominations.select_related("nominee_unit", "nominating_unit").order_by(
            "nominee_kind", "nominee_unit__path", "person_name", "pk"
        )
    )
    for n in awardees:
        n.can_view = n.pk in visible
    return awardees


def with_publish_rights(user, models) -> list[ExemplaryModel]:
    """``models`` (a page of them), each marked ``can_publish`` when the person may publish or
    withdraw it."""
    items = list(models)
    for m in items:
        m.can_publish = user.has_perm("awards.publish_model", m)
    return items
