"""Phase reports (issue 5): a campaign of the national root with five themes, two phases (the
report deadline of phase 1 passed ten days ago, so the overdue list has its work), the five
usual indicators, a registration for nine units in ten and phase-1 reports in every state,
written in bulk. The pages open phase 1, whose reports are all there: the province's
dashboard, its spreadsheet and summary PDF, and the dashboard of the whole confederation."""

import datetime as dt
import random
from decimal import Decimal

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from benchmarks.scenario import Scenario, setup_step

BATCH = 2000


@setup_step
def reports_campaign(scenario: Scenario, *, create: bool) -> None:
    from campaigns.models import Campaign, CampaignStatus, Phase, Theme
    from federation.models import Organization
    from registrations.models import RegisteredTheme, Registration, Target, target_key
    from registrations.rollups.rebuilding import rebuild
    from reports import rollups
    from reports.models import (
        Indicator,
        IndicatorValue,
        PhaseReport,
        TargetResult,
        ThemeResult,
    )
    from reports.services.config import DEFAULT_INDICATORS

    if create:
        rng = random.Random(5)
        today = timezone.localdate()
        year = today.year
        root = scenario.root
        with transaction.atomic():
            campaign = Campaign.objects.create(
                issuer=root,
                year=year,
                title="Phong trào thi đua (benchmark)",
                slug="bench-bao-cao",
                number=9,
                status=CampaignStatus.ACTIVE,
                place="Hà Nội",
            )
            themes = [
                Theme.objects.create(campaign=campaign, number=i, title=f"Nội dung {i}", text="…")
                for i in range(1, 6)
            ]
            first = Phase.objects.create(
                campaign=campaign,
                name="Đợt 1",
                start=dt.date(year, 1, 1),
                end=dt.date(year, 6, 30),
                report_deadline=max(dt.date(year, 1, 1), today - dt.timedelta(days=10)),
            )
            Phase.objects.create(
                campaign=campaign,
                name="Đợt 2",
                start=dt.date(year, 7, 1),
                end=dt.date(year, 12, 31),
                report_deadline=dt.date(year, 12, 31),
            )
            indicators = [
                Indicator.objects.create(campaign=campaign, position=i, name=n, unit=u)
                for i, (n, u) in enumerate(DEFAULT_INDICATORS, start=1)
            ]
            units = list(
                Organization.objects.filter(depth__gt=root.depth).values_list("id", flat=True)
            )
            states = ["approved"] * 7 + ["submitted", "draft", None]
            registrations = []
            for unit_id in units:
                state = rng.choice(states)
                if state:
                    registrations.append(
                        Registration(campaign=campaign, organization_id=unit_id, status=state)
                    )
            registrations = Registration.objects.bulk_create(registrations, batch_size=BATCH)
            registered = RegisteredTheme.objects.bulk_create(
                [
                    RegisteredTheme(registration=r, theme=t, commitment="Cam kết.")
                    for r in registrations
                    for t in rng.sample(themes, 2)
                ],
                batch_size=BATCH,
            )
            key = target_key("Sáng kiến, cải tiến kỹ thuật", "sáng kiến")
            Target.objects.bulk_create(
                [
                    Target(
                        registered_theme=rt,
                        name="Sáng kiến, cải tiến kỹ thuật",
                        unit="sáng kiến",
                        value=Decimal(rng.randint(1, 10)),
                        key=key,
                    )
                    for rt in registered
                ],
                batch_size=BATCH,
            )
            by_registration: dict[int, list] = {}
            for rt in registered:
                by_registration.setdefault(rt.registration_id, []).append(rt)
            report_states = ["approved"] * 5 + ["submitted"] * 2 + ["returned", "draft", None]
            reports = []
            approved = [r for r in registrations if r.status == "approved"]
            for registration in approved:
                state = rng.choice(report_states)
                if state:
                    reports.append(
                        PhaseReport(
                            campaign=campaign,
                            phase=first,
                            organization_id=registration.organization_id,
                            status=state,
                            narrative="Đánh giá chung.",
                        )
                    )
            reports = PhaseReport.objects.bulk_create(reports, batch_size=BATCH)
            registration_of = {r.organization_id: r.pk for r in approved}
            results = ThemeResult.objects.bulk_create(
                [
                    ThemeResult(report=report, theme_id=rt.theme_id, done="Đã thực hiện.")
                    for report in reports
                    for rt in by_registration[registration_of[report.organization_id]]
                ],
                batch_size=BATCH,
            )
            TargetResult.objects.bulk_create(
                [
                    TargetResult(
                        theme_result=result,
                        name="Sáng kiến, cải tiến kỹ thuật",
                        unit="sáng kiến",
                        key=key,
                        target=Decimal(5),
                        achieved=Decimal(rng.randint(0, 9)),
                    )
                    for result in results
                ],
                batch_size=BATCH,
            )
            IndicatorValue.objects.bulk_create(
                [
                    IndicatorValue(report=report, indicator=i, value=Decimal(rng.randint(0, 50)))
                    for report in reports
                    for i in indicators
                ],
                batch_size=BATCH,
            )
            # Fresh statistics first: planned on empty tables, the GROUP BYs over the path
            # prefix would join the units row by row.
            with connection.cursor() as cursor:
                for model in (Registration, RegisteredTheme, Target, PhaseReport, ThemeResult):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
                for model in (TargetResult, IndicatorValue, Organization):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
            rebuild(campaign)
            rollups.rebuild(campaign)
    scenario.extra["reports_campaign"] = Campaign.objects.get(slug="bench-bao-cao")


def _campaign(s: Scenario):
    return s.extra["reports_campaign"]


def _phase_1(s: Scenario):
    return _campaign(s).phases.order_by("start").first()


def dashboard_url(unit_of):
    return lambda s: (
        reverse("reports:dashboard", args=[_campaign(s).pk, unit_of(s).pk])
        + f"?phase={_phase_1(s).pk}"
    )


def dashboard_xlsx_url(s: Scenario) -> str:
    return (
        reverse("reports:dashboard-xlsx", args=[_campaign(s).pk, s.province.pk])
        + f"?phase={_phase_1(s).pk}"
    )


def summary_pdf_url(s: Scenario) -> str:
    return reverse("reports:summary-pdf", args=[_campaign(s).pk, _phase_1(s).pk, s.province.pk])


def change(s: Scenario) -> None:
    """A change the dashboards must show: the campaign's figures_version counted up, as every
    report, registration, plan or tree change does in its transaction (the cached dashboards are
    kept under it), so that the next view computes the dashboard again."""
    from campaigns.models import Campaign

    Campaign.figures_changed([_campaign(s).pk])
