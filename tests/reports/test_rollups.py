"""The counters of the reports per branch (reports.rollups): kept by the services, equal to what
a rebuild from the base tables computes, whatever the sequence of changes."""

import datetime as dt
import random
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Count, Sum

from campaigns.models import Campaign, Phase
from emulation.workflow import SENT, ReviewStatus
from federation.models import Organization, OrganizationKind, Role
from registrations.models import target_key
from reports import rollups
from reports.models import (
    BranchIndicatorSum,
    BranchReportCount,
    IndicatorValue,
    PhaseReport,
    ReportExtension,
    TargetResult,
    ThemeResult,
)
from reports.selectors.common import SCOPES
from reports.selectors.overdue import first_overdue, overdue_units
from reports.selectors.progress import rollup
from reports.services.common import opening_of
from reports.services.drafts import report_save_draft
from reports.services.transitions import report_approve, report_return, report_submit
from tests.factories import bulk_units, make_member
from tests.reports.conftest import full_data, indicator_values, phase, register


def snapshot(campaign: Campaign) -> dict:
    """Every non-zero counter of the campaign (compared before and after a rebuild)."""
    result = {}
    for model, (keys, sums) in rollups.TABLES.items():
        columns = [
            k if k not in ("campaign", "phase", "branch", "indicator", "theme") else f"{k}_id"
            for k in keys
        ]
        for row in model.objects.filter(campaign=campaign).values_list(*columns, *sums):
            values = tuple(
                Decimal(v).quantize(Decimal("0.01")) if isinstance(v, Decimal | float) else v
                for v in row[len(keys) :]
            )
            if any(values):
                result[(model.__name__, *row[: len(keys)])] = values
    return result


def rebuilt_equals_running(campaign) -> dict:
    running = snapshot(campaign)
    rollups.rebuild(campaign)
    assert snapshot(campaign) == running
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
    report = report_submit(report, by=world.officer_a)
    sums = rollups.indicator_sums(
        registered, [world.district.pk], kind="", statuses=[ReviewStatus.SUBMITTED]
    )
    assert sums[report.phase_id][world.district.pk]  # the five indicators of unit A
    rebuilt_equals_running(registered)
    report_return(report, by=world.leader, comment="Bổ sung.")
    assert not rollups.indicator_sums(
        registered, [world.district.pk], kind="", statuses=list(ReviewStatus)
    )
    rebuilt_equals_running(registered)
    report = report_submit(report, by=world.officer_a)
    report_approve(report, by=world.leader)
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
            report = report_save_draft(
                campaign=registered,
                phase=on,
                organization=unit,
                by=officer,
                data=data,
                today=opening_of(on),
            )
        elif status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
            report_submit(report, by=officer, today=opening_of(on))
        elif status == ReviewStatus.SUBMITTED:
            if rng.random() < 0.6:
                report_approve(report, by=world.staff)
            else:
                report_return(report, by=world.staff, comment="Sửa lại.")
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
            report_approve(report, by=world.leader)
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


def _direct(campaign, on, unit, statuses, today):
    """What the dashboard of ``unit`` shows, counted straight from the base tables."""
    units = Organization.objects.filter(
        path__startswith=unit.path, is_active=True, depth__gt=campaign.issuer.depth
    )
    reports = PhaseReport.objects.filter(phase=on, organization__in=units)
    counts = {s: reports.filter(status=s).count() for s in ReviewStatus}
    extended = ReportExtension.objects.filter(
        phase=on, until__gte=today, organization__in=units
    ).exclude(organization__in=reports.filter(status__in=SENT).values("organization"))
    counted = reports.filter(status__in=statuses)
    values = IndicatorValue.objects.filter(report__in=counted)
    return {
        "total": units.count(),
        "counts": counts,
        "overdue": units.count() - counts["submitted"] - counts["approved"] - extended.count(),
        "indicators": {
            i: v
            for i, v in values.values_list("indicator_id").annotate(t=Sum("value"))
            if v is not None
        },
        "themes": dict(
            ThemeResult.objects.filter(report__in=counted)
            .values_list("theme_id")
            .annotate(n=Count("id"))
        ),
        "targets": sorted(
            (t, k, n, Decimal(a).quantize(Decimal("0.01")))
            for t, k, n, a in TargetResult.objects.filter(theme_result__report__in=counted)
            .values_list("theme_result__theme_id", "key")
            .annotate(n=Count("id"), a=Sum("achieved"))
        ),
    }


def _shown(progress, totals, themes=None):
    shown = {
        "total": progress.total,
        "counts": {s: progress.count(s) for s in ReviewStatus},
        "overdue": progress.overdue,
        "indicators": dict(totals),
    }
    if themes is not None:
        shown["themes"] = {t.theme.pk: t.units for t in themes if t.units}
        shown["targets"] = sorted(
            (t.theme.pk, target_key(x.name, x.unit), x.units, x.achieved.quantize(Decimal("0.01")))
            for t in themes
            for x in t.targets
        )
    return shown


def test_the_dashboard_figures_equal_a_direct_count(world, registered):
    """A three-level province (districts, a sub-district and grassroots units) with reports in
    every state, some extensions, a passed deadline: every branch's figures read from the
    counters equal a count on the base tables."""
    rng = random.Random(7)
    bulk_units("NB", 1, "NB-R", kind=OrganizationKind.LOCAL)
    bulk_units("NB-R00000", 12, "NB-RZ")
    bulk_units("NB-P", 9, "NB-PX")
    on = phase(registered, 1)
    today = on.end + dt.timedelta(days=10)  # a day after the deadline, whatever the real day
    Phase.objects.filter(pk=on.pk).update(report_deadline=today - dt.timedelta(days=3))
    on.refresh_from_db()
    data = full_data(registered)
    units = list(
        Organization.objects.filter(path__startswith=world.province.path, depth__gt=2).exclude(
            pk__in=[world.unit_a.pk, world.unit_b.pk, world.unit_c.pk, world.district.pk]
        )
    )
    for unit in units:
        register(registered, unit, world.admin, world.staff)
    for unit in [*units, world.unit_a, world.unit_b, world.unit_c, world.district]:
        state = rng.choice(["none", "draft", "submitted", "returned", "approved"])
        if rng.random() < 0.2:
            days = rng.choice([5, -1, -2])  # running, or run out (late again)
            ReportExtension.objects.create(
                phase=on, organization=unit, until=today + dt.timedelta(days=days)
            )
        if state == "none":
            continue
        report = report_save_draft(
            campaign=registered,
            phase=on,
            organization=unit,
            by=world.admin,
            data=data | {"indicators": indicator_values(registered, *rng.sample(range(90), 5))},
            today=on.start,
        )
        if state == "draft":
            continue
        report = report_submit(report, by=world.admin, today=on.start)
        if state == "returned":
            report_return(report, by=world.staff, comment="Sửa.")
        elif state == "approved":
            report_approve(report, by=world.staff)
    registered = Campaign.objects.get(pk=registered.pk)
    for scope, statuses in SCOPES.items():
        for unit in (world.province, world.district):
            data = rollup(registered, on, unit, scope=scope, today=today)
            assert _shown(data.report, data.totals, data.themes) == _direct(
                registered, on, unit, statuses, today
            )
            for row in data.rows:
                if not row.is_self:
                    expected = _direct(registered, on, row.unit, statuses, today)
                    del expected["themes"], expected["targets"]
                    assert _shown(row.report, row.totals) == expected, row.unit
    assert data.rows[0].is_self and data.rows[0].report.total == 1
    # The dashboard's first late units are those of the full list, in its order.
    every = list(overdue_units(registered, on, world.province, kind="", today=today))
    assert any(u.report_extended_until for u in every)
    for limit in (3, len(every) - 1, 100):
        first = first_overdue(registered, on, world.province, kind="", today=today, limit=limit)
        assert [u.pk for u in first] == [u.pk for u in every[:limit]]


def test_a_move_keeps_the_counters_right(world, make_report, registered):
    """A unit moved to another district through the tree's service: the tree_changed signal
    recomputes the counters in the same transaction."""
    from federation.services.units import organization_move

    make_report("approved", unit=world.unit_a)
    make_report("submitted", unit=world.unit_b)
    organization_move(org=world.unit_a, new_parent=world.district_q, by=world.admin)
    counts = rollups.report_counts(
        registered, phase(registered), [world.district.pk, world.district_q.pk]
    )
    assert counts == {
        world.district.pk: {"submitted": 1},
        world.district_q.pk: {"approved": 1},
    }
    rebuilt_equals_running(registered)


def test_a_partial_rebuild_recomputes_the_branches_of_the_paths(world, make_report, registered):
    make_report("approved", unit=world.unit_a)
    make_report("submitted", unit=world.unit_c)
    expected = snapshot(registered)
    chain = [world.national.pk, world.province.pk, world.district.pk, world.unit_a.pk]
    BranchReportCount.objects.filter(branch_id__in=chain).update(units=9)
    BranchIndicatorSum.objects.filter(branch_id__in=chain).delete()
    rollups.rebuild(registered, [world.unit_a.path])
    assert snapshot(registered) == expected


def test_rebuild_counters_command_repairs_the_report_counters(world, make_report, registered):
    from django.core.management import call_command

    from reports.models import BranchReportCount

    make_report("approved")
    kept = snapshot(registered)
    BranchReportCount.objects.all().delete()
    call_command("rebuild_counters", stdout=None)
    assert snapshot(registered) == kept
