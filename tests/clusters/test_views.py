import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clusters.models import Agreement, Cluster, ClusterMember
from clusters.services.agreements import agreement_accept, agreement_draft, scores_save
from clusters.services.membership import member_add
from federation.models import OrganizationKind
from tests.clusters.conftest import CRITERIA, YEAR
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def page_url(cw):
    return f"{cw.cluster.get_absolute_url()}?year={YEAR}"


def test_staff_forms_a_cluster_and_adds_members(world, client_for):
    client = client_for(world.staff)
    response = client.post(
        reverse("clusters:index"),
        {
            "forming_unit": world.province.pk,
            "kind": "block",
            "name": "Khối công đoàn ngành",
            "term_start": YEAR,
            "term_end": YEAR - 1,
        },
    )
    assert response.status_code == 200
    assert "Nhiệm kỳ không thể kết thúc trước khi bắt đầu." in response.content.decode()
    assert not Cluster.objects.exists()
    response = client.post(
        reverse("clusters:index"),
        {
            "forming_unit": world.province.pk,
            "kind": "block",
            "name": "Khối công đoàn ngành",
            "term_start": YEAR,
            "term_end": YEAR + 2,
        },
    )
    cluster = Cluster.objects.get()
    assert response.status_code == 302
    add = reverse("clusters:member-add", args=[cluster.pk, YEAR])
    response = client.post(add, {"unit": "NB-ZZZ"})
    assert "Không có đơn vị đang hoạt động nào có mã NB-ZZZ." in response.content.decode()
    assert 'value="NB-ZZZ"' in response.content.decode()
    client.post(add, {"unit": "nb-p-a"})
    client.post(add, {"unit": "NB-Q"})
    assert set(cluster.members.values_list("organization__code", flat=True)) == {"NB-P-A", "NB-Q"}
    # A leader of a district may not manage the province's cluster.
    response = client_for(world.leader).post(add, {"unit": "NB-P-B"})
    assert response.status_code == 403
    assert cluster.members.count() == 2


def test_a_second_cluster_of_the_kind_is_refused_with_a_message(cw, client_for):
    w = cw.world
    client = client_for(w.staff)
    client.post(
        reverse("clusters:index"),
        {
            "forming_unit": w.province.pk,
            "kind": "cluster",
            "name": "Cụm thi đua số 2",
            "term_start": YEAR,
            "term_end": YEAR,
        },
    )
    other = Cluster.objects.get(name="Cụm thi đua số 2")
    response = client.post(
        reverse("clusters:member-add", args=[other.pk, YEAR]), {"unit": "NB-P-A"}
    )
    text = response.content.decode()
    assert "Công đoàn cơ sở Alpha Đông Á đã ở trong Cụm thi đua số 1 năm 2026." in text
    assert not other.members.exists()


def test_a_member_sees_the_cluster_but_not_the_others_data(cw, client_for):
    w = cw.world
    client = client_for(w.officer_a)
    page = client.get(page_url(cw))
    assert page.status_code == 200
    assert "Công đoàn cơ sở Gamma Quế" in page.content.decode()
    # ... never the other member's own pages.
    for name in ("federation:unit-detail", "federation:unit-history"):
        response = client.get(reverse(name, args=[w.unit_c.pk]))
        assert response.status_code in (403, 404), name
    assert client.get(reverse("grading:unit", args=[YEAR, w.unit_c.pk])).status_code in (403, 404)
    # Nor may a member manage the cluster.
    member = ClusterMember.objects.get(organization=w.unit_c)
    assert (
        client.post(reverse("clusters:member-remove", args=[cw.cluster.pk, member.pk])).status_code
        == 403
    )
    assert ClusterMember.objects.filter(pk=member.pk).exists()
    assert "Cụm thi đua số 1" in client.get(reverse("clusters:index")).content.decode()
    # B, not a member, sees nothing.
    other = client_for(w.officer_b)
    assert other.get(page_url(cw)).status_code == 403
    assert "Cụm thi đua số 1" not in other.get(reverse("clusters:index")).content.decode()


def _agree_and_score(cw):
    w = cw.world
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
    )
    for person, unit in (
        (w.officer_a, w.unit_a),
        (cw.officer_c, w.unit_c),
        (cw.officer_d, cw.unit_d),
    ):
        agreement_accept(actor=person, agreement=agreement, organization=unit)
    agreement.refresh_from_db()
    c1, c2 = agreement.criteria.all()
    for scored, a, b in ((w.unit_a, 40, 50), (w.unit_c, 30, 45), (cw.unit_d, 35, 60)):
        scores_save(
            actor=w.officer_a,
            agreement=agreement,
            scorer=w.unit_a,
            scored=scored,
            entries={c1.pk: (Decimal(a), ""), c2.pk: (Decimal(b), "")},
        )
    return agreement


def test_agreement_form_pdf_and_xlsx(cw, client_for):
    w = cw.world
    url = reverse("clusters:agreement", args=[cw.cluster.pk, YEAR])
    assert client_for(cw.officer_c).get(url).status_code == 403
    client = client_for(w.officer_a)
    response = client.post(url, {"criteria": "Phát triển đoàn viên 40", "aggregate": "leader"})
    assert "Dòng 1:" in response.content.decode()
    assert not Agreement.objects.exists()
    response = client.post(
        url, {"criteria": "Phát triển đoàn viên | 40\nChăm lo | 60", "aggregate": "leader"}
    )
    assert response.status_code == 302
    assert list(Agreement.objects.get().criteria.values_list("title", flat=True)) == [
        "Phát triển đoàn viên",
        "Chăm lo",
    ]
    Agreement.objects.all().delete()
    _agree_and_score(cw)
    pdf = client.get(reverse("clusters:pdf", args=[cw.cluster.pk, YEAR]))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "GIAO ƯỚC THI ĐUA" in flat and "cụm thi đua số 1 năm 2026" in flat
    assert "CỤM THI ĐUA SỐ 1" in flat and "THI ĐUA THI ĐUA" not in flat
    assert "Phát triển đoàn viên" in flat
    for unit in (w.unit_a, w.unit_c, cw.unit_d):
        assert f"TM. {unit.name.upper()}" in flat
    assert "CỤM TRƯỞNG" in flat
    xlsx = client.get(reverse("clusters:xlsx", args=[cw.cluster.pk, YEAR]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[7], r[8]) for r in rows[1:]] == [
        ("NB-P-A", 90, 2),
        ("NB-Q-C", 75, 3),
        ("NB-Q-D", 95, 1),
    ]


def test_scoring_in_the_browser_form(cw, client_for):
    w = cw.world
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
    )
    url = reverse("clusters:score", args=[cw.cluster.pk, YEAR, w.unit_c.pk])
    assert client_for(cw.officer_c).get(url).status_code == 404  # not agreed yet
    for person, unit in (
        (w.officer_a, w.unit_a),
        (cw.officer_c, w.unit_c),
        (cw.officer_d, cw.unit_d),
    ):
        agreement_accept(actor=person, agreement=agreement, organization=unit)
    c1, c2 = agreement.criteria.all()
    client = client_for(cw.officer_c)
    response = client.post(url, {f"points_{c1.pk}": "41", f"points_{c2.pk}": "50"})
    assert response.status_code == 200 and "Từ 0 đến 40 điểm." in response.content.decode()
    response = client.post(
        url,
        {f"points_{c1.pk}": "38", f"evidence_{c1.pk}": "Báo cáo số 5", f"points_{c2.pk}": "50"},
    )
    assert response.status_code == 302
    page = client.get(page_url(cw)).content.decode()
    assert "88" in page
    # D's officer may not score C (the leader does).
    assert client_for(cw.officer_d).get(url).status_code == 404


def test_the_cluster_page_reads_a_constant_number_of_queries(
    cw, client_for, django_assert_max_num_queries
):
    w = cw.world
    _agree_and_score(cw)
    client = client_for(w.staff)
    client.get(page_url(cw))
    with django_assert_max_num_queries(20) as small:
        assert client.get(page_url(cw)).status_code == 200
    for i in range(30):
        unit = make_unit(
            f"NB-Q-X{i}", f"Công đoàn cơ sở X{i}", OrganizationKind.GRASSROOTS, w.district_q
        )
        member_add(actor=w.staff, cluster=cw.cluster, organization=unit, year=YEAR)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page_url(cw))
    assert response.content.decode().count('data-testid="member-row"') == 33
