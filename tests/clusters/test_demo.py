import datetime as dt
import io

import pytest
from django.core.management import call_command

from clusters.demo import seed_clusters
from clusters.models import Agreement, Cluster, ClusterMember
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
