"""The pages of the vote and of the summary, the forming federation's side-by-side view, and
the cluster items of the home page, each in a constant number of queries."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from campaigns.work import context_for
from clusters.models import ClusterVote
from clusters.services.agreements import agreement_accept, agreement_draft
from clusters.services.membership import member_add
from clusters.services.summaries import summary_save, summary_submit
from clusters.services.votes import vote_open
from clusters.work import cluster_work
from emulation.work import DONE, REVIEW, TO_DO, UNIT, WAITING, work_items
from federation.models import OrganizationKind
from tests.clusters.conftest import CRITERIA, YEAR
from tests.clusters.test_votes import vote_setup  # noqa: F401  (a fixture)
from tests.factories import make_unit

pytestmark = pytest.mark.django_db
DAY = dt.date(YEAR, 11, 20)


def test_the_vote_in_the_browser_hides_the_totals_until_closed(
    cw,
    vote_setup,  # noqa: F811
    client_for,
    django_assert_max_num_queries,
):
    w = cw.world
    campaign, flag = vote_setup
    leader = client_for(w.officer_a)
    url = reverse("clusters:vote-open", args=[cw.cluster.pk, YEAR])
    page = leader.post(url, {"campaign": campaign.pk, "award_type": flag.pk, "threshold": "30"})
    assert "Từ 50 đến 100" in page.content.decode()  # kept on the form, nothing saved
    assert not ClusterVote.objects.exists()
    response = leader.post(url, {"campaign": campaign.pk, "award_type": flag.pk, "threshold": "50"})
    vote = ClusterVote.objects.get()
    assert response.url == reverse("clusters:vote", args=[cw.cluster.pk, vote.pk])
    a = vote.candidates.get(organization=w.unit_a).pk
    ballot = reverse("clusters:ballot", args=[cw.cluster.pk, vote.pk])
    leader.post(ballot, {"unit": w.unit_a.pk, "approve": [a]})
    member = client_for(cw.officer_c)  # the same client, now C's officer
    member.post(ballot, {"unit": w.unit_c.pk, "approve": [a]})
    page = member.get(response.url).content.decode()
    assert "2/3 đơn vị thành viên đã bỏ phiếu" in page
    assert 'data-testid="ballot"' not in page  # C voted already
    assert "Số phiếu nhất trí" not in page  # no totals while open
    close = reverse("clusters:vote-close", args=[cw.cluster.pk, vote.pk])
    assert member.post(close).status_code == 403  # a member who is not the leader
    client_for(w.officer_a).post(close)
    page = client_for(cw.officer_c).get(response.url).content.decode()
    assert "2/3" in page and "66.67%" in page and "Không được suy tôn" in page
    # C's officer cannot open the forming federation's nomination: no link; its staff can.
    assert 'data-testid="nomination-link"' not in page
    staff = client_for(w.staff)
    with django_assert_max_num_queries(40) as read:
        page = staff.get(response.url).content.decode()
    assert page.count('data-testid="nomination-link"') == 1
    # The rules read the rows selected with the candidates: no query of their own.
    reads = " ".join(q["sql"] for q in read.captured_queries)
    assert 'FROM "awards_nomination"' not in reads and 'FROM "awards_awardtype"' not in reads
    # The summary PDF writes the share as the page does (66.67, not a rounded 67).
    pdf = staff.get(reverse("clusters:summary-pdf", args=[cw.cluster.pk, YEAR])).content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "66.67%" in text and "67%" not in text.replace("66.67%", "")


def test_the_summary_through_the_pages(cw, client_for):
    w = cw.world
    url = reverse("clusters:summary", args=[cw.cluster.pk, YEAR])
    page = client_for(w.officer_a).post(url, {"text": "", "action": "submit"})
    assert "Vui lòng viết báo cáo tổng kết" in page.content.decode()
    client_for(w.officer_a).post(url, {"text": "Cụm đã hoàn thành", "action": "submit"})
    page = client_for(w.staff).get(url).content.decode()
    assert 'data-testid="summary-approve"' in page
    assert client_for(cw.officer_c).post(url, {"text": "x"}).status_code == 403
    back = reverse("clusters:summary-return", args=[cw.cluster.pk, YEAR])
    staff = client_for(w.staff)
    assert "Vui lòng" in staff.post(back, {"comment": "", "version": 2}).content.decode()
    staff.post(back, {"comment": "Bổ sung số liệu", "version": 2})
    leader = client_for(w.officer_a)
    page = leader.get(url).content.decode()
    assert "Bổ sung số liệu" in page and 'data-testid="summary-form"' in page
    leader.post(url, {"text": "Đã bổ sung", "version": 3, "action": "submit"})
    approve = reverse("clusters:summary-approve", args=[cw.cluster.pk, YEAR])
    client_for(w.staff).post(approve, {"version": 5})
    leader = client_for(w.officer_a)
    assert "Đã duyệt" in leader.get(url).content.decode()
    pdf = leader.get(reverse("clusters:summary-pdf", args=[cw.cluster.pk, YEAR]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_side_by_side_view_reads_a_constant_number_of_queries(
    cw, client_for, django_assert_max_num_queries
):
    w = cw.world
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
    )
    agreement_accept(actor=w.officer_a, agreement=agreement, organization=w.unit_a)
    client = client_for(w.staff)
    url = f"{reverse('clusters:index')}?year={YEAR}"
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for i in range(10):
        unit = make_unit(
            f"NB-Q-X{i}", f"Công đoàn cơ sở X{i}", OrganizationKind.GRASSROOTS, w.district_q
        )
        member_add(actor=w.staff, cluster=cw.cluster, organization=unit, year=YEAR)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "1/13 đã chấp thuận" in page


def items(user, section):
    return [i for i in work_items(section, context_for(user, DAY)) if i.kind.startswith("cluster")]


def test_the_home_page_items(cw, vote_setup, django_assert_max_num_queries):  # noqa: F811
    w = cw.world
    assert items(cw.officer_c, UNIT) == []  # nothing drafted yet
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
    )
    (item,) = items(cw.officer_c, UNIT)
    assert item.kind == "cluster-accept" and item.state == TO_DO
    for person, unit in (
        (w.officer_a, w.unit_a),
        (cw.officer_c, w.unit_c),
        (cw.officer_d, cw.unit_d),
    ):
        agreement_accept(actor=person, agreement=agreement, organization=unit)
    (item,) = items(cw.officer_c, UNIT)
    assert item.kind == "cluster-score" and item.state == TO_DO
    kinds = {i.kind: i for i in items(w.officer_a, UNIT)}
    assert set(kinds) == {"cluster-score", "cluster-summary"}
    summary = summary_save(actor=w.officer_a, cluster=cw.cluster, year=YEAR, text="Tổng kết")
    summary_submit(summary, by=w.officer_a, expected_version=summary.version)
    kinds = {i.kind: i for i in items(w.officer_a, UNIT)}
    assert kinds["cluster-summary"].state == WAITING
    (review,) = items(w.staff, REVIEW)
    assert review.count == 1 and review.url.endswith(f"/{YEAR}/summary/")
    assert items(w.leader, REVIEW) == [] and items(w.officer_b, UNIT) == []
    campaign, flag = vote_setup
    vote_open(
        actor=w.officer_a,
        cluster=cw.cluster,
        year=YEAR,
        campaign=campaign,
        award_type=flag,
        threshold=50,
    )
    assert {i.kind for i in items(cw.officer_c, UNIT)} == {"cluster-score", "cluster-vote"}
    context = context_for(w.officer_a, DAY)
    context.units_with()  # the person's units, read once for every provider
    with django_assert_max_num_queries(7):  # whatever the number of clusters and members
        assert len(list(cluster_work(context))) == 3
    assert DONE  # the states used by the items
