"""Data that later pages need, added to the benchmark database after the tree."""

from django.contrib.auth import get_user_model

from benchmarks.scenario import Scenario, setup_step
from campaigns import demo as campaigns_demo
from campaigns import services as campaign_services
from campaigns.models import Campaign, Holiday
from federation.models import Department


@setup_step
def campaign_2017(scenario: Scenario, *, create: bool) -> None:
    """The 2017 plan of Ninh Bình, issued by the benchmark's largest province."""
    if create:
        User = get_user_model()
        admin = User.objects.create_superuser(
            "bench-admin", "bench-admin@example.vn", None, full_name="Bench"
        )
        holidays = []
        for (
            name,
            day,
            month,
            origin,
            end_day,
            end_month,
            scope_code,
            wording,
        ) in campaigns_demo.HOLIDAYS:
            holidays.append(
                campaign_services.holiday_create(
                    by=admin,
                    data={
                        "name": name,
                        "day": day,
                        "month": month,
                        "origin_year": origin,
                        "end_day": end_day,
                        "end_month": end_month,
                        "scope_unit": scenario.province if scope_code else None,
                        "wording": wording,
                    },
                )
            )
        department = Department.objects.get(organization=scenario.province)
        campaigns_demo.seed_2017(admin, scenario.province, department, holidays)
    scenario.extra["campaign"] = Campaign.objects.get(issuer=scenario.province, year=2017)
    scenario.extra["holidays"] = Holiday.objects.count()
