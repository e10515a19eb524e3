"""The clusters of the Ninh Bình demo: a cluster of district federations and a block of sector
unions, formed by the provincial federation for this year, the cluster's agreement agreed by
its members. A second run changes nothing."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from clusters.models import (
    Acceptance,
    Agreement,
    AgreementCriterion,
    Cluster,
    ClusterKind,
    ClusterMember,
    MemberRole,
)
from federation.models import Organization, OrganizationKind

CRITERIA = [
    ("Phát triển đoàn viên, thành lập công đoàn cơ sở", Decimal(25)),
    ("Chăm lo, bảo vệ quyền lợi của đoàn viên, người lao động", Decimal(35)),
    ("Tuyên truyền, vận động; phong trào thi đua", Decimal(25)),
    ("Xây dựng tổ chức công đoàn vững mạnh; tài chính công đoàn", Decimal(15)),
]


def _cluster(province, kind, name, units, year) -> tuple[Cluster, bool]:
    cluster, created = Cluster.objects.get_or_create(
        forming_unit=province,
        kind=kind,
        name=name,
        defaults={"term_start": year, "term_end": year + 4},
    )
    for index, unit in enumerate(units):
        role = {0: MemberRole.LEADER, 1: MemberRole.DEPUTY}.get(index, MemberRole.MEMBER)
        if not ClusterMember.objects.filter(organization=unit, kind=kind, year=year).exists():
            ClusterMember.objects.create(
                cluster=cluster, organization=unit, year=year, kind=kind, role=role
            )
    return cluster, created


def seed_clusters(today: dt.date) -> int:
    province = Organization.objects.filter(code="NB").first()
    if province is None:
        return 0
    year = today.year
    districts = list(
        Organization.objects.children_of(province).filter(kind=OrganizationKind.LOCAL)[:4]
    )
    sectors = list(
        Organization.objects.children_of(province).filter(kind=OrganizationKind.SECTOR)[:5]
    )
    made = 0
    cluster, created = _cluster(province, ClusterKind.CLUSTER, "Cụm thi đua số 1", districts, year)
    made += created
    if created:
        agreement = Agreement.objects.create(cluster=cluster, year=year, agreed_at=timezone.now())
        AgreementCriterion.objects.bulk_create(
            AgreementCriterion(agreement=agreement, number=i, title=t, max_points=p)
            for i, (t, p) in enumerate(CRITERIA, start=1)
        )
        Acceptance.objects.bulk_create(
            Acceptance(agreement=agreement, organization=unit) for unit in districts
        )
    _block, created = _cluster(
        province, ClusterKind.BLOCK, "Khối các công đoàn ngành", sectors, year
    )
    return made + created


def seed(stdout, today: dt.date) -> None:
    made = seed_clusters(today)
    if made:
        stdout.write(f"Clusters: {made} clusters and blocks.")
