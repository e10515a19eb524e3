"""Changes of the union tree (issue 13): moves, a merge and a change of kind through the
federation's services, timed with the per-branch counters of every campaign kept up to date in
the same transaction (what the request of the tree's page waits for).

Campaigns touched: the registrations campaign of the largest province (``registrations``), to
which the job's untimed ``prepare`` adds phase reports (one per approved registration, with
themes, a target and five indicators), and the reports campaign of the national root
(``reports_campaign``: registrations and reports of every unit). Every run happens inside one
transaction rolled back at its end, so the tree and the counters are as before the next run.

Steps, in the largest province:

- move within the issuer: a grassroots union to another upper unit;
- move across the issuer's edge: an upper unit (and its grassroots unions) to another province,
  out of the province's campaign (still inside the national root's);
- move back across the edge: the same upper unit under its province again (into the campaign);
- merge: an upper unit into another (its grassroots unions move, it closes);
- change of kind: a grassroots union becomes an upper unit.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from benchmarks.scenario import Scenario
from benchmarks.tree import PROVINCES
from federation.models import Organization, OrganizationKind

USERNAME = "bench-tree-admin"
BATCH = 2000


def _units(s: Scenario) -> dict:
    """The units the steps change; at small sizes (a province with one upper unit) the wide
    unit and grassroots unions stand in for the missing upper units."""
    province = s.province
    uppers = list(
        Organization.objects.children_of(province)
        .filter(numchild__gt=0)
        .exclude(pk=getattr(s.wide_unit, "pk", None))
        .order_by("-numchild", "path")[:4]
    )
    grassroots = list(
        Organization.objects.children_of(uppers[0])
        .filter(kind=OrganizationKind.GRASSROOTS)
        .order_by("path")[:3]
    )
    if len(uppers) < 4:
        uppers = [uppers[0], s.wide_unit or province, grassroots[2], s.wide_unit or province]
    return {
        "province": province,
        "other_province": Organization.objects.get(code=PROVINCES[1][0]),
        "moved": grassroots[0],
        "kind": grassroots[1],
        "upper": uppers[0],
        "to_upper": uppers[1],
        "merged": uppers[2],
        "absorbing": uppers[3],
    }


def prepare(s: Scenario) -> None:
    """An administrator to act, and the province campaign's phase reports."""
    from campaigns.models import Phase
    from registrations.models import RegisteredTheme, Registration, target_key
    from reports import rollups
    from reports.models import (
        Indicator,
        IndicatorValue,
        PhaseReport,
        TargetResult,
        ThemeResult,
    )
    from reports.services.config import DEFAULT_INDICATORS

    User = get_user_model()
    if not User.objects.filter(username=USERNAME).exists():
        User.objects.create_superuser(USERNAME, f"{USERNAME}@example.vn", None, full_name="Tree")
    campaign = s.extra["registration_campaign"]
    if PhaseReport.objects.filter(campaign=campaign).exists():
        return
    with transaction.atomic():
        phase = Phase.objects.filter(campaign=campaign).order_by("start").first()
        indicators = [
            Indicator.objects.create(campaign=campaign, position=i, name=n, unit=u)
            for i, (n, u) in enumerate(DEFAULT_INDICATORS, start=1)
        ]
        approved = list(
            Registration.objects.filter(campaign=campaign, status="approved").values_list(
                "pk", "organization_id"
            )
        )
        states = ["approved"] * 5 + ["submitted"] * 2 + ["returned", "draft"]
        reports = PhaseReport.objects.bulk_create(
            [
                PhaseReport(
                    campaign=campaign,
                    phase=phase,
                    organization_id=unit_id,
                    status=states[i % len(states)],
                    narrative="Đánh giá chung.",
                )
                for i, (_pk, unit_id) in enumerate(approved)
            ],
            batch_size=BATCH,
        )
        themes_of: dict[int, list[int]] = {}
        for registration_id, theme_id in RegisteredTheme.objects.filter(
            registration__campaign=campaign, registration__status="approved"
        ).values_list("registration_id", "theme_id"):
            themes_of.setdefault(registration_id, []).append(theme_id)
        registration_of = {unit_id: pk for pk, unit_id in approved}
        results = ThemeResult.objects.bulk_create(
            [
                ThemeResult(report=report, theme_id=theme_id, done="Đã thực hiện.")
                for report in reports
                for theme_id in themes_of.get(registration_of[report.organization_id], [])
            ],
            batch_size=BATCH,
        )
        TargetResult.objects.bulk_create(
            [
                TargetResult(
                    theme_result=result,
                    name="Sáng kiến, cải tiến kỹ thuật",
                    unit="sáng kiến",
                    key=target_key("Sáng kiến, cải tiến kỹ thuật", "sáng kiến"),
                    target=Decimal(5),
                    achieved=Decimal(i % 9),
                )
                for i, result in enumerate(results)
            ],
            batch_size=BATCH,
        )
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(report=report, indicator=indicator, value=Decimal(i % 50))
                for i, report in enumerate(reports)
                for indicator in indicators
            ],
            batch_size=BATCH,
        )
        rollups.rebuild(campaign)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum takes them soon after a bulk load: planned with the
        # campaign's rows unknown, a statement over them walks every row of the campaign.
        with connection.cursor() as cursor:
            for model in (PhaseReport, ThemeResult, TargetResult, IndicatorValue):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
            for model in rollups.TABLES:
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def run(s: Scenario, watch) -> None:
    from federation.services.units import organization_merge, organization_move, organization_update

    by = get_user_model().objects.get(username=USERNAME)
    units = _units(s)
    watch.note(moved_upper_units=units["upper"].numchild, merged_children=units["merged"].numchild)
    with transaction.atomic():
        with watch.step("move within the issuer"):
            organization_move(org=units["moved"], new_parent=units["to_upper"], by=by)
        with watch.step("move across the issuer's edge (out)"):
            organization_move(org=units["upper"], new_parent=units["other_province"], by=by)
        with watch.step("move across the issuer's edge (in)"):
            organization_move(org=units["upper"], new_parent=units["province"], by=by)
        with watch.step("merge"):
            organization_merge(source=units["merged"], target=units["absorbing"], by=by)
        with watch.step("change of kind"):
            organization_update(org=units["kind"], by=by, data={"kind": OrganizationKind.UPPER})
        transaction.set_rollback(True)


def cleanup(s: Scenario) -> None:
    """Remove the province campaign's reports and the administrator again."""
    from reports.models import (
        BranchIndicatorSum,
        BranchReportCount,
        BranchTargetSum,
        BranchThemeCount,
        Indicator,
        IndicatorValue,
        PhaseReport,
    )

    campaign = s.extra["registration_campaign"]
    with transaction.atomic():
        for model in (BranchIndicatorSum, BranchReportCount, BranchTargetSum, BranchThemeCount):
            model.objects.filter(campaign=campaign).delete()
        IndicatorValue.objects.filter(report__campaign=campaign).delete()
        PhaseReport.objects.filter(campaign=campaign).delete()
        Indicator.objects.filter(campaign=campaign).delete()
        get_user_model().objects.filter(username=USERNAME).delete()
