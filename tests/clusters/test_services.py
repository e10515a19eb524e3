from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusters.models import (
    Acceptance,
    Aggregate,
    Agreement,
    ClusterKind,
    ClusterMember,
    MemberRole,
)
from clusters.selectors import cluster_page
from clusters.services.agreements import agreement_accept, agreement_draft, scores_save
from clusters.services.membership import cluster_create, member_add, member_remove, role_set
from emulation.models import AuditEntry
from tests.clusters.conftest import CRITERIA, YEAR

pytestmark = pytest.mark.django_db


def test_a_unit_is_in_one_cluster_of_a_kind_a_year(cw):
    w = cw.world
    other = cluster_create(
        actor=w.staff,
        forming_unit=w.province,
        kind=ClusterKind.CLUSTER,
        name="Cụm thi đua số 2",
        term_start=YEAR,
        term_end=YEAR,
    )
    with pytest.raises(ValidationError) as refused:
        member_add(actor=w.staff, cluster=other, organization=w.unit_a, year=YEAR)
    assert "Cụm thi đua số 1" in str(refused.value)
    assert not ClusterMember.objects.filter(cluster=other).exists()
    # A block is another kind: the same unit may be in one the same year.
    block = cluster_create(
        actor=w.staff,
        forming_unit=w.province,
        kind=ClusterKind.BLOCK,
        name="Khối doanh nghiệp",
        term_start=YEAR,
        term_end=YEAR,
    )
    member_add(actor=w.staff, cluster=block, organization=w.unit_a, year=YEAR)
    # Another year of the first cluster's term is free.
    member_add(actor=w.staff, cluster=other, organization=w.unit_b, year=YEAR)
    with pytest.raises(ValidationError):
        member_add(actor=w.staff, cluster=other, organization=w.unit_c, year=YEAR + 5)


def test_only_staff_of_the_forming_unit_manage(cw):
    w = cw.world
    for person in (w.officer_a, w.leader):
        with pytest.raises(PermissionDenied):
            member_add(actor=person, cluster=cw.cluster, organization=w.unit_b, year=YEAR)
        with pytest.raises(PermissionDenied):
            cluster_create(
                actor=person,
                forming_unit=w.province,
                kind=ClusterKind.CLUSTER,
                name="x",
                term_start=YEAR,
                term_end=YEAR,
            )
    member = ClusterMember.objects.get(organization=w.unit_c)
    member_remove(actor=w.staff, member=member)
    assert not ClusterMember.objects.filter(organization=w.unit_c).exists()
    assert AuditEntry.objects.filter(action="cluster_member_remove").count() == 1


def test_one_leader_a_year(cw):
    w = cw.world
    c = ClusterMember.objects.get(organization=w.unit_c)
    role_set(actor=w.staff, member=c, role=MemberRole.LEADER)
    roles = dict(
        ClusterMember.objects.filter(cluster=cw.cluster).values_list("organization__code", "role")
    )
    assert roles == {"NB-P-A": "member", "NB-Q-C": "leader", "NB-Q-D": "deputy"}


def _agreed(cw, aggregate=Aggregate.LEADER):
    w = cw.world
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate=aggregate
    )
    for person, unit in (
        (w.officer_a, w.unit_a),
        (cw.officer_c, w.unit_c),
        (cw.officer_d, cw.unit_d),
    ):
        agreement_accept(actor=person, agreement=agreement, organization=unit)
    agreement.refresh_from_db()
    return agreement


def test_the_leader_drafts_and_every_member_accepts(cw):
    w = cw.world
    with pytest.raises(PermissionDenied):  # only the leader drafts
        agreement_draft(
            actor=cw.officer_c, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
        )
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
    )
    with pytest.raises(PermissionDenied):  # B is not a member
        agreement_accept(actor=w.officer_b, agreement=agreement, organization=w.unit_b)
    with pytest.raises(PermissionDenied):  # C's officer cannot accept for D
        agreement_accept(actor=cw.officer_c, agreement=agreement, organization=cw.unit_d)
    agreement_accept(actor=cw.officer_c, agreement=agreement, organization=w.unit_c)
    with pytest.raises(ValidationError):
        agreement_accept(actor=cw.officer_c, agreement=agreement, organization=w.unit_c)
    with pytest.raises(ValidationError):  # accepted by one: no more changes
        agreement_draft(
            actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="mean"
        )
    agreement_accept(actor=w.officer_a, agreement=agreement, organization=w.unit_a)
    agreement.refresh_from_db()
    assert agreement.agreed_at is None
    agreement_accept(actor=cw.officer_d, agreement=agreement, organization=cw.unit_d)
    agreement.refresh_from_db()
    assert agreement.agreed_at is not None
    assert Acceptance.objects.filter(agreement=agreement).count() == 3


def _score(cw, agreement, person, scorer, scored, a, b):
    c1, c2 = agreement.criteria.all()
    scores_save(
        actor=person,
        agreement=agreement,
        scorer=scorer,
        scored=scored,
        entries={c1.pk: (Decimal(a), "Báo cáo"), c2.pk: (Decimal(b), "")},
    )


def test_scoring_before_agreement_is_refused_and_points_are_bounded(cw):
    w = cw.world
    agreement = agreement_draft(
        actor=w.officer_a, cluster=cw.cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
    )
    with pytest.raises(ValidationError):
        _score(cw, agreement, cw.officer_c, w.unit_c, w.unit_c, 30, 50)
    for person, unit in (
        (w.officer_a, w.unit_a),
        (cw.officer_c, w.unit_c),
        (cw.officer_d, cw.unit_d),
    ):
        agreement_accept(actor=person, agreement=agreement, organization=unit)
    agreement.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _score(cw, agreement, cw.officer_c, w.unit_c, w.unit_c, 41, 50)
    assert "40" in str(refused.value)
    with pytest.raises(PermissionDenied):  # under the leader's aggregate C scores only itself
        _score(cw, agreement, cw.officer_c, w.unit_c, cw.unit_d, 30, 50)


def test_leader_aggregate_and_ranks(cw):
    w = cw.world
    agreement = _agreed(cw, Aggregate.LEADER)
    _score(cw, agreement, w.officer_a, w.unit_a, w.unit_a, 38, 55)  # leader's own: 93
    _score(cw, agreement, cw.officer_c, w.unit_c, w.unit_c, 40, 60)  # self 100
    _score(cw, agreement, w.officer_a, w.unit_a, w.unit_c, 35, 50)  # leader gives C 85
    _score(cw, agreement, w.officer_a, w.unit_a, cw.unit_d, 39, 54)  # leader gives D 93
    page = cluster_page(cw.cluster, YEAR)
    got = {r.unit.code: (r.self_total, r.result, r.rank) for r in page.rows}
    assert got == {
        "NB-P-A": (Decimal(93), Decimal(93), 1),
        "NB-Q-C": (Decimal(100), Decimal(85), 3),
        "NB-Q-D": (None, Decimal(93), 1),
    }


def test_mean_of_others_aggregate(cw):
    w = cw.world
    agreement = _agreed(cw, Aggregate.MEAN_OF_OTHERS)
    _score(cw, agreement, w.officer_a, w.unit_a, w.unit_c, 30, 50)  # 80
    _score(cw, agreement, cw.officer_d, cw.unit_d, w.unit_c, 35, 56)  # 91
    _score(cw, agreement, cw.officer_c, w.unit_c, w.unit_c, 40, 60)  # self, not counted
    _score(cw, agreement, cw.officer_c, w.unit_c, w.unit_a, 20, 30)  # 50
    page = cluster_page(cw.cluster, YEAR)
    got = {r.unit.code: (r.others_mean, r.result, r.rank) for r in page.rows}
    assert got == {
        "NB-P-A": (Decimal(50), Decimal(50), 2),
        "NB-Q-C": (Decimal("85.50"), Decimal("85.50"), 1),
        "NB-Q-D": (None, None, None),
    }


def test_agreement_needs_a_leader(world):
    from clusters.services.membership import cluster_create as create

    cluster = create(
        actor=world.staff,
        forming_unit=world.province,
        kind=ClusterKind.BLOCK,
        name="Khối",
        term_start=YEAR,
        term_end=YEAR,
    )
    with pytest.raises(ValidationError):
        agreement_draft(
            actor=world.admin, cluster=cluster, year=YEAR, criteria=CRITERIA, aggregate="leader"
        )
    assert not Agreement.objects.exists()
