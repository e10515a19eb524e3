"""The counters of the reports per branch (reports.rollups): kept by the services, equal to what
a rebuild from the base tables computes, whatever the sequence of changes."""

import random
import threading

import pytest
from django.db import connection, connections

from emulation.workflow import ReviewStatus
from federation.models import Role
from reports import rollups, services
from reports.models import BranchIndicatorSum, BranchReportCount, PhaseReport
from tests.factories import make_member
from tests.reports.conftest import full_data, phase


def rebuilt_equals_running(campaign) -> dict:
    running = rollups.snapshot(campaign)
    rollups.rebuild(campaign)
    assert rollups.snapshot(campaign) == running
    return running


def test_counters_follow_every_transition(world, make_report, registered):
    report = make_report("draft")
    counts = rollups.report_counts(
        registered, report.phase, [world.province.pk, world.district.pk, world.unit_a.pk]
    )
    assert counts == {
        b: {"draft": 1} for b in (world.province.pk, world.district.pk, world.unit_a.pk)
    }
    # A draft's figures do not count anywhere yet.
    assert not BranchIndicatorSum.objects.filter(values__gt=0).exists()
    rebuilt_equals_running(registered)
    report = services.report_submit(report, by=world.officer_a)
    sums = rollups.indicator_sums(
        registered, [world.district.pk], kind="", statuses=[ReviewStatus.SUBMITTED]
    )
    assert sums[report.phase_id][world.district.pk]  # the five indicators of unit A
    rebuilt_equals_running(registered)
    services.report_return(report, by=world.leader, comment="Bổ sung.")
    assert not rollups.indicator_sums(
        registered, [world.district.pk], kind="", statuses=list(ReviewStatus)
    )
    rebuilt_equals_running(registered)
    report = services.report_submit(report, by=world.officer_a)
    services.report_approve(report, by=world.leader)
    running = rebuilt_equals_running(registered)
    assert running[
        (
            "BranchReportCount",
            registered.pk,
            report.phase_id,
            world.national.pk,
            "grassroots",
            "approved",
        )
    ] == (1,)


def test_random_sequences_equal_the_rebuild(world, registered):
    """Units at two levels (the district P and the grassroots A, B, C) on both phases, moved
    through random transitions with random figures; the counters equal the rebuild after each
    step."""
    rng = random.Random(5)
    district_officer = make_member(world.district, Role.OFFICER, "officer_p2")
    officers = {
        world.unit_a.pk: world.officer_a,
        world.unit_b.pk: world.officer_b,
        world.unit_c.pk: world.admin,
        world.district.pk: district_officer,
    }
    units = [world.unit_a, world.unit_b, world.unit_c, world.district]
    phases = [phase(registered, 1), phase(registered, 2)]
    for _step in range(40):
        unit = rng.choice(units)
        on = rng.choice(phases)
        officer = officers[unit.pk]
        report = PhaseReport.objects.filter(phase=on, organization=unit).first()
        status = report.status if report else None
        if status in (None, ReviewStatus.DRAFT, ReviewStatus.RETURNED) and rng.random() < 0.6:
            data = full_data(
                registered,
                achieved=tuple(str(rng.randint(0, 90)) for _ in range(3)),
                indicators=tuple(rng.randint(0, 500) for _ in range(5)),
            )
            report = services.report_save_draft(
                campaign=registered, phase=on, organization=unit, by=officer, data=data
            )
        elif status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
            services.report_submit(report, by=officer)
        elif status == ReviewStatus.SUBMITTED:
            if rng.random() < 0.6:
                services.report_approve(report, by=world.staff)
            else:
                services.report_return(report, by=world.staff, comment="Sửa lại.")
        else:
            continue
        rebuilt_equals_running(registered)
    assert BranchReportCount.objects.filter(campaign=registered, units__gt=0).exists()


def test_rebuild_counts_only_participants(world, make_report, registered):
    make_report("approved")
    rollups.rebuild(registered)
    # The issuer (the province) and its ancestors hold the whole campaign's figures; nothing is
    # counted under units outside the issuer's subtree.
    branches = set(
        BranchReportCount.objects.filter(campaign=registered).values_list("branch_id", flat=True)
    )
    assert branches == {world.national.pk, world.province.pk, world.district.pk, world.unit_a.pk}


def test_a_tree_change_rebuilds_the_counters(world, make_report, registered):
    make_report("approved")
    BranchReportCount.objects.filter(campaign=registered).update(units=7)
    rollups.on_tree_changed(sender=None, paths=[world.unit_a.path])
    assert rollups.report_counts(registered, phase(registered), [world.province.pk]) == {
        world.province.pk: {"approved": 1}
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_sibling_reports_approved_at_once(transactional_db, world, make_report, registered):
    reports = [
        make_report("submitted", unit=world.unit_a),
        make_report("submitted", unit=world.unit_b),
    ]
    errors = []
    barrier = threading.Barrier(2)

    def approve(report):
        try:
            barrier.wait()
            services.report_approve(report, by=world.leader)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(r,)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = rollups.report_counts(registered, phase(registered), [world.district.pk])
    assert counts == {world.district.pk: {"approved": 2}}
    rebuilt_equals_running(registered)
