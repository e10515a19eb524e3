"""Grading (issue 17): the dashboard of the largest province and of the national root (the
whole confederation), the verification queue of the upper unit with 1,000 grassroots unions
directly below, and the publication of their 1,000 grades.

The setup step adds the score sheets of ``YEAR`` (the demo's 40/40/15/5 sheets, one per type of
grassroots union), a type for every grassroots union of the tree (130,000 at full size) and one
approved grading each, written in batches with ``bulk_create``, with grades spread over the four grades: the gradings of the units below the wide unit
wait to be published (its queue, and the job), the others are published (the province's
counters). The job publishes the wide unit's 1,000 grades together; ``reset`` takes them out of
the counters again so that it can be repeated."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from benchmarks.scenario import Scenario, setup_step
from emulation.workflow import ReviewStatus
from federation.models import Organization, OrganizationKind

YEAR = 2030
DAY = dt.date(YEAR, 12, 20)
# The share of each grade, rank 1 first, and a score inside it.
SPREAD = [(1, Decimal("90")), (2, Decimal("78")), (2, Decimal("75")), (3, Decimal("60"))] * 2 + [
    (1, Decimal("88")),
    (4, Decimal("40")),
]
BATCH = 2000


@setup_step
def grading(scenario: Scenario, *, create: bool) -> None:
    from grading import rollups
    from grading.demo import build_sheet
    from grading.models import Assessment, GradingProfile, ScoreSheet, UnitType

    if create:
        with transaction.atomic():
            sheets = {
                unit_type: build_sheet(
                    YEAR,
                    unit_type,
                    opens_on=dt.date(YEAR, 1, 1),
                    deadline=dt.date(YEAR, 12, 15),
                    top_grade_cap=None,
                )
                for unit_type in UnitType.values
            }
            grades = {t: {g.rank: g for g in s.grades.all()} for t, s in sheets.items()}
            units = list(
                Organization.objects.filter(kind=OrganizationKind.GRASSROOTS)
                .order_by("path")
                .values_list("pk", "path")
            )
            wide = scenario.wide_unit.path if scenario.wide_unit else None
            now = timezone.now()
            types = [UnitType.STATE, UnitType.STATE, UnitType.ENTERPRISE]
            GradingProfile.objects.bulk_create(
                [
                    GradingProfile(organization_id=pk, unit_type=types[i % 3])
                    for i, (pk, _) in enumerate(units)
                ],
                ignore_conflicts=True,
                batch_size=BATCH,
            )
            rows = []
            for i, (pk, path) in enumerate(units):
                unit_type = types[i % 3]
                rank, score = SPREAD[i % len(SPREAD)]
                waiting = wide is not None and path.startswith(wide)
                rows.append(
                    Assessment(
                        sheet=sheets[unit_type],
                        organization_id=pk,
                        status=ReviewStatus.APPROVED,
                        self_total=score,
                        self_grade=grades[unit_type][rank],
                        verified_total=score,
                        grade=grades[unit_type][rank],
                        submitted_at=now,
                        reviewed_at=now,
                        published_at=None if waiting else now,
                    )
                )
            Assessment.objects.bulk_create(rows, batch_size=BATCH)
        rollups.rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    scenario.extra["grading_sheets"] = list(ScoreSheet.objects.filter(year=YEAR))


def dashboard_url(scenario: Scenario) -> str:
    return reverse("grading:branch", args=[YEAR, scenario.province.pk])


def national_url(scenario: Scenario) -> str:
    return reverse("grading:branch", args=[YEAR, scenario.root.pk])


def queue_url(scenario: Scenario) -> str:
    return reverse("grading:branch", args=[YEAR, scenario.wide_unit.pk])


def _waiting(scenario: Scenario):
    from grading.models import Assessment

    return Assessment.objects.filter(
        sheet__year=YEAR, organization__path__startswith=scenario.wide_unit.path
    )


def publish(scenario: Scenario, watch) -> None:
    """The wide unit publishes its 1,000 grades together (cap check, audit entries, counters of
    every branch above)."""
    from grading.services.publication import grades_publish

    leader = get_user_model().objects.get(username="bench-leader")
    with watch.step("publish"):
        published = grades_publish(upper=scenario.wide_unit, year=YEAR, by=leader, today=DAY)
    watch.note(published=published)
    if published != _waiting(scenario).filter(published_at__isnull=False).count():
        raise AssertionError("not every grade was published")


def reset(scenario: Scenario) -> None:
    """Unpublish the wide unit's grades and take them out of the counters (not timed; the audit
    log is append-only, so the entries of each run stay)."""
    from grading import rollups

    with transaction.atomic():
        pending = list(
            _waiting(scenario)
            .filter(published_at__isnull=False)
            .select_related("grade", "sheet", "organization")
        )
        rollups.count(pending, -1)
        _waiting(scenario).update(published_at=None, published_by=None)
