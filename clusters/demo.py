"""The clusters of the Ninh Bình demo: a cluster of district federations and a block of sector
unions, formed by the provincial federation for this year, the cluster's agreement agreed by
its members; the cluster's vote (suy tôn) for the provincial flag open with half of its members
voted (Hoa Lư's ballot left for hoalu to cast, which brings the quorum), and the block's summary
of the year sent to the provincial federation, awaiting cspl's review. Everything goes through
the services, dated by the year of ``today``. A second run changes nothing."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from clusters.models import (
    Acceptance,
    Agreement,
    AgreementCriterion,
    Cluster,
    ClusterKind,
    ClusterMember,
    ClusterSummary,
    ClusterVote,
    MemberRole,
)
from clusters.services.agreements import leader_of
from clusters.services.summaries import summary_save, summary_submit
from clusters.services.votes import ballot_cast, vote_open
from federation.models import Membership, Organization, OrganizationKind, Role

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


# The award the cluster votes on, and the unit whose ballot is left for its leader (hoalu).
FLAG = "Cờ thi đua của LĐLĐ tỉnh"
LEFT_TO_VOTE = "NB-HL"

SUMMARY = (
    "Năm {year}, các công đoàn ngành trong khối đã tổ chức ký kết giao ước thi đua, duy trì "
    "giao ban định kỳ hằng quý và luân phiên kiểm tra chéo việc thực hiện các chỉ tiêu đã đăng "
    "ký. Các đơn vị trong khối hoàn thành tốt nhiệm vụ phát triển đoàn viên, chăm lo đời sống "
    "người lao động và tổ chức các phong trào thi đua. Khối trưởng đề nghị Liên đoàn Lao động "
    "tỉnh xem xét, ghi nhận kết quả hoạt động của khối trong năm."
)


def _acting_for(unit, admin):
    """Someone who acts for ``unit`` in the cluster: its leader or officer, else the admin."""
    membership = (
        Membership.objects.filter(organization=unit, role__in=[Role.LEADER, Role.OFFICER])
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user if membership else admin


def seed_vote(cluster: Cluster, year: int, admin) -> ClusterVote | None:
    """The cluster's vote for the provincial flag in this year's campaign, open, with the
    ballots of half of the members (not the quorum yet): Hoa Lư's and the last member's
    wait."""
    from awards.demo import seed_catalogue  # the award catalogue is seeded after the clusters
    from awards.models import AwardType
    from campaigns.models import Campaign, CampaignStatus

    campaign = (
        Campaign.objects.filter(
            issuer=cluster.forming_unit, year=year, status=CampaignStatus.ACTIVE
        )
        .order_by("number", "pk")
        .first()
    )
    if campaign is None:
        return None
    award = AwardType.objects.filter(granting_unit=cluster.forming_unit, name=FLAG).first()
    if award is None:
        seed_catalogue()
        award = AwardType.objects.get(granting_unit=cluster.forming_unit, name=FLAG)
    if ClusterVote.objects.filter(cluster=cluster, year=year, award_type=award).exists():
        return None
    members = [
        m.organization
        for m in ClusterMember.objects.filter(cluster=cluster, year=year)
        .select_related("organization")
        .order_by("role", "organization__path")
    ]
    vote = vote_open(
        actor=_acting_for(leader_of(cluster, year), admin),
        cluster=cluster,
        year=year,
        campaign=campaign,
        award_type=award,
        threshold=50,
    )
    candidates = list(vote.candidates.order_by("organization__path"))
    voters = [unit for unit in members if unit.code != LEFT_TO_VOTE][: len(members) // 2]
    for index, unit in enumerate(voters):
        # Each approves every candidate but one, so the counts differ once it is closed.
        approved = [c.pk for i, c in enumerate(candidates) if i != index + 1]
        ballot_cast(actor=_acting_for(unit, admin), vote=vote, organization=unit, approved=approved)
    return vote


def seed_summary(block: Cluster, year: int, admin) -> ClusterSummary | None:
    """The block leader's summary of the year, submitted to the forming federation."""
    if ClusterSummary.objects.filter(cluster=block, year=year).exists():
        return None
    author = _acting_for(leader_of(block, year), admin)
    summary = summary_save(actor=author, cluster=block, year=year, text=SUMMARY.format(year=year))
    return summary_submit(summary, by=author)


def seed_work(today: dt.date) -> tuple[ClusterVote | None, ClusterSummary | None]:
    """The year's vote of the cluster and summary of the block (each once)."""
    admin = get_user_model().objects.filter(username="admin").first()
    cluster = Cluster.objects.filter(
        forming_unit__code="NB", kind=ClusterKind.CLUSTER, name="Cụm thi đua số 1"
    ).first()
    block = Cluster.objects.filter(
        forming_unit__code="NB", kind=ClusterKind.BLOCK, name="Khối các công đoàn ngành"
    ).first()
    if admin is None or cluster is None or block is None:
        return None, None
    return seed_vote(cluster, today.year, admin), seed_summary(block, today.year, admin)


def seed(stdout, today: dt.date) -> None:
    made = seed_clusters(today)
    if made:
        stdout.write(f"Clusters: {made} clusters and blocks.")
    vote, summary = seed_work(today)
    if vote is not None:
        stdout.write(f"Cluster vote {vote.year}: open, {vote.ballots.count()} ballots cast.")
    if summary is not None:
        stdout.write(f"Block summary {summary.year}: submitted to the provincial federation.")
