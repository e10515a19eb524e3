"""What the cluster's page reads: the members of a year with their role, acceptance, scores,
result and rank, in a constant number of queries whatever the number of members."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from clusters.models import (
    Acceptance,
    Aggregate,
    Agreement,
    ClusterMember,
    ClusterScore,
    ClusterVote,
    MemberRole,
    VoteBallot,
    VoteCandidate,
)

TWO = Decimal("0.01")


@dataclass
class MemberRow:
    member: ClusterMember
    accepted: bool = False
    self_total: Decimal | None = None
    leader_total: Decimal | None = None
    others_mean: Decimal | None = None
    result: Decimal | None = None
    rank: int | None = None
    scores_by: dict = field(default_factory=dict)

    @property
    def unit(self):
        return self.member.organization


@dataclass
class ClusterPage:
    year: int
    rows: list
    agreement: Agreement | None
    criteria: list
    leader: object
    deputy: object

    @property
    def accepted_count(self) -> int:
        return sum(1 for r in self.rows if r.accepted)


def cluster_page(cluster, year: int) -> ClusterPage:
    members = list(
        ClusterMember.objects.filter(cluster=cluster, year=year)
        .select_related("organization")
        .order_by("organization__path")
    )
    agreement = Agreement.objects.filter(cluster=cluster, year=year).first()
    criteria, accepted, scores = [], set(), []
    if agreement is not None:
        criteria = list(agreement.criteria.all())
        accepted = set(agreement.acceptances.values_list("organization_id", flat=True))
        scores = ClusterScore.objects.filter(criterion__agreement=agreement).values_list(
            "scorer_id", "scored_id", "points"
        )
    return build_page(year, members, agreement, criteria, accepted, scores)


def build_page(year, members, agreement, criteria, accepted, scores) -> ClusterPage:
    """The rows of the members (read in path order) from what was read in bulk: the ids of the
    units that accepted, and (scorer id, scored id, points) of every score of the agreement."""
    rows = [MemberRow(member=m) for m in members]
    leader = next((m.organization for m in members if m.role == MemberRole.LEADER), None)
    deputy = next((m.organization for m in members if m.role == MemberRole.DEPUTY), None)
    if agreement is not None:
        received: dict = {}  # scored id -> {scorer id: total}
        for scorer_id, scored_id, points in scores:
            by = received.setdefault(scored_id, {})
            by[scorer_id] = by.get(scorer_id, Decimal(0)) + points
        for row in rows:
            unit_id = row.unit.pk
            row.accepted = unit_id in accepted
            row.scores_by = received.get(unit_id, {})
            row.self_total = row.scores_by.get(unit_id)
            if leader is not None and leader.pk != unit_id:
                row.leader_total = row.scores_by.get(leader.pk)
            others = [t for s, t in row.scores_by.items() if s != unit_id]
            if others:
                row.others_mean = (sum(others) / len(others)).quantize(TWO)
            row.result = result_of(agreement.aggregate, row, is_leader=leader == row.unit)
        rank(rows)
    return ClusterPage(
        year=year, rows=rows, agreement=agreement, criteria=criteria, leader=leader, deputy=deputy
    )


def result_of(aggregate: str, row: MemberRow, *, is_leader: bool) -> Decimal | None:
    """The configured aggregate: the mean of the others' scores, or the leader's score (the
    leader itself, which no one above it scores in the cluster, keeps its own score)."""
    if aggregate == Aggregate.MEAN_OF_OTHERS:
        return row.others_mean
    return row.self_total if is_leader else row.leader_total


def rank(rows: list) -> None:
    """Rank by result, highest first; equal results share a rank (1, 2, 2, 4)."""
    scored = sorted((r for r in rows if r.result is not None), key=lambda r: -r.result)
    for index, row in enumerate(scored):
        if index and row.result == scored[index - 1].result:
            row.rank = scored[index - 1].rank
        else:
            row.rank = index + 1


@dataclass
class OverviewRow:
    """One cluster in the forming federation's side-by-side view."""

    cluster: object
    page: ClusterPage

    @property
    def members(self) -> int:
        return len(self.page.rows)

    @property
    def self_scored(self) -> int:
        return sum(1 for r in self.page.rows if r.self_total is not None)

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.page.rows if r.rank is not None)

    @property
    def top(self) -> list:
        return sorted(
            (r for r in self.page.rows if r.rank is not None and r.rank <= 3), key=lambda r: r.rank
        )


def overview(clusters, year: int) -> list[OverviewRow]:
    """The year's page of every cluster of ``clusters`` (a queryset), side by side, in four
    queries whatever the number of clusters and members."""
    clusters = list(clusters)
    ids = [c.pk for c in clusters]
    members: dict = {}
    for m in (
        ClusterMember.objects.filter(cluster_id__in=ids, year=year)
        .select_related("organization")
        .order_by("organization__path")
    ):
        members.setdefault(m.cluster_id, []).append(m)
    agreements = {a.cluster_id: a for a in Agreement.objects.filter(cluster_id__in=ids, year=year)}
    accepted: dict = {}
    for agreement_id, unit_id in Acceptance.objects.filter(
        agreement__in=list(agreements.values())
    ).values_list("agreement_id", "organization_id"):
        accepted.setdefault(agreement_id, set()).add(unit_id)
    scores: dict = {}
    for agreement_id, *row in ClusterScore.objects.filter(
        criterion__agreement__in=list(agreements.values())
    ).values_list("criterion__agreement_id", "scorer_id", "scored_id", "points"):
        scores.setdefault(agreement_id, []).append(row)
    rows = []
    for cluster in clusters:
        agreement = agreements.get(cluster.pk)
        key = agreement.pk if agreement else None
        page = build_page(
            year,
            members.get(cluster.pk, []),
            agreement,
            [],
            accepted.get(key, set()),
            scores.get(key, []),
        )
        rows.append(OverviewRow(cluster=cluster, page=page))
    return rows


def chart_data(page: ClusterPage) -> dict:
    """The ranks chart of the cluster page: the members by result, highest first."""
    ranked = sorted((r for r in page.rows if r.result is not None), key=lambda r: r.rank)
    return {
        "labels": [r.unit.display_name for r in ranked],
        "results": [float(r.result) for r in ranked],
        "self": [float(r.self_total) if r.self_total is not None else None for r in ranked],
        "ranks": [r.rank for r in ranked],
    }


def votes_of(cluster, year: int) -> list:
    """The year's votes with their candidates and the units that voted (three queries)."""
    return list(
        ClusterVote.objects.filter(cluster=cluster, year=year)
        .select_related("award_type", "campaign")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=VoteCandidate.objects.select_related("organization", "nomination"),
            ),
            Prefetch("ballots", queryset=VoteBallot.objects.select_related("organization")),
        )
    )
