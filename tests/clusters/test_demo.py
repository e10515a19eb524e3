import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from clusters.demo import seed_clusters, seed_work
from clusters.models import Agreement, Cluster, ClusterMember, ClusterSummary, ClusterVote
from clusters.selectors import cluster_page

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_cluster_and_a_block():
    from federation.demo import seed as seed_federation

    today = dt.date(2027, 12, 31)
    seed_federation(stdout=io.StringIO(), today=today)
    assert seed_clusters(today) == 2
    assert seed_clusters(today) == 0  # a second run changes nothing
    cluster = Cluster.objects.get(kind="cluster")
    block = Cluster.objects.get(kind="block")
    assert set(cluster.members.values_list("organization__kind", flat=True)) == {"local"}
    assert set(block.members.values_list("organization__kind", flat=True)) == {"sector"}
    assert ClusterMember.objects.filter(year=2027, role="leader").count() == 2
    page = cluster_page(cluster, 2027)
    assert page.agreement.agreed_at and page.accepted_count == len(page.rows) >= 3
    assert not Agreement.objects.filter(cluster=block).exists()
    call_command("seed_demo", "--today", "2027-12-31", stdout=io.StringIO())
    assert Cluster.objects.count() == 2
    assert ClusterMember.objects.count() == len(page.rows) + block.members.count()
    # The cluster's vote for the flag is open, half of the members voted (Hoa Lư not yet: its
    # leader's ballot brings the quorum); the block's summary awaits the province's review.
    vote = ClusterVote.objects.get()
    assert (vote.cluster, vote.year, vote.status) == (cluster, 2027, "open")
    assert vote.campaign.year == 2027 and vote.award_type.name == "Cờ thi đua của LĐLĐ tỉnh"
    voted = set(vote.ballots.values_list("organization__code", flat=True))
    assert 0 < len(voted) < vote.candidates.count() and "NB-HL" not in voted
    summary = ClusterSummary.objects.get()
    assert (summary.cluster, summary.year, summary.status) == (block, 2027, "submitted")
    assert summary.submitted_by.username == "giaoduc"  # the leader of the block's leader unit
    cspl = get_user_model().objects.get(username="cspl")
    assert cspl.has_perm("clusters.manage_cluster", block)  # the reviewer it waits for
    assert seed_work(today) == (None, None)  # a second run changes nothing
    assert vote.ballots.count() == len(voted) and ClusterSummary.objects.count() == 1
