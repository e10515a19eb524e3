"""Clusters (issue 18): the page of a cluster of 50 grassroots unions of the largest province,
and the province's side-by-side view of its clusters.

The setup step forms the cluster for ``YEAR`` with 50 members (the first the leader, the second
the deputy), an agreement of four criteria accepted by all, every member's self-score and the
leader's score of every other member (400 scores), and the leader's summary sent to the
province."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from benchmarks.scenario import Scenario, setup_step
from emulation.workflow import ReviewStatus
from federation.models import Organization, OrganizationKind

YEAR = 2030
NAME = "Cụm thi đua đo hiệu năng"
MEMBERS = 50
CRITERIA = [
    ("Phát triển đoàn viên", Decimal(25)),
    ("Chăm lo đời sống đoàn viên", Decimal(35)),
    ("Phong trào thi đua", Decimal(25)),
    ("Xây dựng tổ chức công đoàn vững mạnh", Decimal(15)),
]


@setup_step
def clusters(scenario: Scenario, *, create: bool) -> None:
    from clusters.models import (
        Acceptance,
        Agreement,
        AgreementCriterion,
        Cluster,
        ClusterKind,
        ClusterMember,
        ClusterScore,
        ClusterSummary,
        MemberRole,
    )

    if create:
        with transaction.atomic():
            units = list(
                Organization.objects.filter(
                    path__startswith=scenario.province.path, kind=OrganizationKind.GRASSROOTS
                ).order_by("path")[:MEMBERS]
            )
            cluster = Cluster.objects.create(
                forming_unit=scenario.province,
                kind=ClusterKind.CLUSTER,
                name=NAME,
                term_start=YEAR,
                term_end=YEAR + 4,
            )
            roles = {0: MemberRole.LEADER, 1: MemberRole.DEPUTY}
            ClusterMember.objects.bulk_create(
                ClusterMember(
                    cluster=cluster,
                    organization=unit,
                    year=YEAR,
                    kind=cluster.kind,
                    role=roles.get(i, MemberRole.MEMBER),
                )
                for i, unit in enumerate(units)
            )
            agreement = Agreement.objects.create(
                cluster=cluster, year=YEAR, agreed_at=timezone.now()
            )
            criteria = AgreementCriterion.objects.bulk_create(
                AgreementCriterion(agreement=agreement, number=i, title=t, max_points=p)
                for i, (t, p) in enumerate(CRITERIA, start=1)
            )
            Acceptance.objects.bulk_create(
                Acceptance(agreement=agreement, organization=unit) for unit in units
            )
            leader = units[0]
            scores = []
            for i, unit in enumerate(units):
                for c in criteria:
                    points = c.max_points - Decimal(i % 7)
                    scores.append(
                        ClusterScore(criterion=c, scorer=unit, scored=unit, points=points)
                    )
                    if unit != leader:
                        scores.append(
                            ClusterScore(criterion=c, scorer=leader, scored=unit, points=points - 1)
                        )
            ClusterScore.objects.bulk_create(scores)
            ClusterSummary.objects.create(
                cluster=cluster,
                year=YEAR,
                organization=leader,
                text="Báo cáo tổng kết của cụm.",
                status=ReviewStatus.SUBMITTED,
                submitted_at=timezone.now(),
            )
    scenario.extra["cluster"] = Cluster.objects.get(name=NAME)


def cluster_url(scenario: Scenario) -> str:
    return f"{reverse('clusters:cluster', args=[scenario.extra['cluster'].pk])}?year={YEAR}"


def index_url(scenario: Scenario) -> str:
    return f"{reverse('clusters:index')}?year={YEAR}"
