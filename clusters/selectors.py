"""What the cluster's page reads: the members of a year with their role, acceptance, scores,
result and rank, in a constant number of queries whatever the number of members."""

from dataclasses import dataclass, field
from decimal import Decimal

from clusters.models import Aggregate, Agreement, ClusterMember, ClusterScore, MemberRole

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
    rows = [MemberRow(member=m) for m in members]
    leader = next((m.organization for m in members if m.role == MemberRole.LEADER), None)
    deputy = next((m.organization for m in members if m.role == MemberRole.DEPUTY), None)
    criteria = []
    if agreement is not None:
        criteria = list(agreement.criteria.all())
        accepted = set(agreement.acceptances.values_list("organization_id", flat=True))
        totals: dict = {}
        for scorer_id, scored_id, points in ClusterScore.objects.filter(
            criterion__agreement=agreement
        ).values_list("scorer_id", "scored_id", "points"):
            key = (scorer_id, scored_id)
            totals[key] = totals.get(key, Decimal(0)) + points
        for row in rows:
            unit_id = row.unit.pk
            row.accepted = unit_id in accepted
            row.scores_by = {s: t for (s, d), t in totals.items() if d == unit_id}
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
