"""Data that later pages need, added to the benchmark database after the tree."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse

from benchmarks.scenario import Scenario, setup_step
from campaigns import demo as campaigns_demo
from campaigns.models import Campaign, CampaignStatus, Holiday, Phase, Theme
from campaigns.services.days import holiday_create
from federation.models import Department, Organization
from registrations.models import RegisteredTheme, Registration, Target, target_key
from registrations.rollups.rebuilding import rebuild
from registrations.selectors.common import participants


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
                holiday_create(
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


# Registrations: a campaign of the largest province with a registration in every state for
# most of its units, so that the queue of the unit with 1,000 children and the consolidation of
# the whole province have their real work to do.
BENCH_SLUG = "bench-registrations"
THEMES = [
    "Lao động giỏi, Lao động sáng tạo",
    "Học tập nâng cao trình độ",
    "Xây dựng nông thôn mới, đô thị văn minh",
    "Chào mừng Đại hội Công đoàn các cấp",
    "Vì lợi ích của đoàn viên",
]
TARGETS = [
    ("Sáng kiến, cải tiến kỹ thuật", "sáng kiến"),
    ("Đoàn viên được bồi dưỡng", "người"),
    ("Tỷ lệ đoàn viên tham gia", "%"),
]
# One unit in ten has not registered; the others cycle through the four states.
STATES = ["approved", "approved", "submitted", "returned", "draft", "approved", "submitted"]


@setup_step
def registrations(scenario: Scenario, *, create: bool) -> None:
    province = scenario.province
    if create:
        year = dt.date.today().year
        with transaction.atomic():
            campaign = Campaign.objects.create(
                issuer=province,
                year=year,
                title=f"Phong trào thi đua năm {year}",
                slug=BENCH_SLUG,
                number=13,
                status=CampaignStatus.ACTIVE,
                registration_deadline=dt.date(year, 12, 31),
            )
            themes = Theme.objects.bulk_create(
                Theme(campaign=campaign, number=n, title=t, text=t)
                for n, t in enumerate(THEMES, start=1)
            )
            Phase.objects.create(
                campaign=campaign,
                name="Đợt 1",
                start=dt.date(year, 1, 1),
                end=dt.date(year, 12, 31),
            )
            units = list(participants(campaign).values_list("pk", flat=True).order_by("path"))
            rows = Registration.objects.bulk_create(
                (
                    Registration(
                        campaign=campaign, organization_id=pk, status=STATES[i % len(STATES)]
                    )
                    for i, pk in enumerate(units)
                    if i % 10 != 9
                ),
                batch_size=2000,
            )
            chosen = RegisteredTheme.objects.bulk_create(
                (
                    RegisteredTheme(
                        registration=r, theme=themes[(i + k) % len(themes)], commitment="Cam kết."
                    )
                    for i, r in enumerate(rows)
                    for k in range(2 + i % 2)
                ),
                batch_size=2000,
            )
            Target.objects.bulk_create(
                (
                    Target(
                        registered_theme=rt,
                        position=k,
                        name=TARGETS[(i + k) % 3][0],
                        unit=TARGETS[(i + k) % 3][1],
                        value=(i % 17) + 1,
                        key=target_key(*TARGETS[(i + k) % 3]),
                    )
                    for i, rt in enumerate(chosen)
                    for k in range(2)
                ),
                batch_size=2000,
            )
            if connection.vendor == "postgresql":
                # Fresh statistics first: planned on empty tables, the GROUP BYs over the path
                # prefix would join the units row by row at the larger sizes.
                with connection.cursor() as cursor:
                    for model in (Registration, RegisteredTheme, Target, Organization):
                        cursor.execute(f"ANALYZE {model._meta.db_table}")
            rebuild(campaign)  # bulk-created: the branch counters in one go
    scenario.extra["registration_campaign"] = Campaign.objects.get(issuer=province, slug=BENCH_SLUG)


def queue_url(scenario: Scenario) -> str:
    return reverse(
        "registrations:queue",
        args=[scenario.extra["registration_campaign"].pk, scenario.wide_unit.pk],
    )


def summary_url(scenario: Scenario, name: str = "summary") -> str:
    return reverse(
        f"registrations:{name}",
        args=[scenario.extra["registration_campaign"].pk, scenario.province.pk],
    )


# Commendation: 300 people awarded by one decision of the province, and as many nominations
# still on their way up, for the nominations list and the decision PDF.
AWARDEES = 300


@setup_step
def commendation(scenario: Scenario, *, create: bool) -> None:
    from awards.models import (
        AwardCategory,
        AwardType,
        CouncilResult,
        Decision,
        Nomination,
        NomineeKind,
    )
    from federation.models import Organization, OrganizationKind

    campaign = scenario.extra["campaign"]
    if create:
        province = scenario.province
        award = AwardType.objects.create(
            name="Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
            certificate_title="BẰNG KHEN",
            category=AwardCategory.FORM,
            nominee_kind=NomineeKind.INDIVIDUAL,
            granting_unit=province,
            required_documents="Tờ trình\nBáo cáo thành tích",
        )
        decision = Decision.objects.create(
            issuer=province,
            award_type=award,
            number=45,
            symbol="QĐ-LĐLĐ",
            date=dt.date(2017, 12, 28),
            signer_name="Lê Đình Việt",
        )
        units = list(
            Organization.objects.filter(
                path__startswith=province.path, kind=OrganizationKind.GRASSROOTS
            ).order_by("path")[: 2 * AWARDEES]
        )
        nominations = []
        for i, unit in enumerate(units):
            awarded = i < AWARDEES
            nomination = Nomination(
                campaign=campaign,
                award_type=award,
                nominating_unit=unit,
                occasion="year_end",
                nominee_kind=NomineeKind.INDIVIDUAL,
                nominee_unit=unit,
                person_name=f"Người lao động tiêu biểu số {i + 1}",
                gender="female" if i % 2 else "male",
                birth_year=1970 + i % 30,
                position="Công nhân",
                achievement="Hoàn thành xuất sắc nhiệm vụ; có sáng kiến được áp dụng.",
                current_level=province if awarded else unit,
                status="approved" if awarded else ["draft", "submitted", "returned"][i % 3],
                council_result=CouncilResult.APPROVED if awarded else "",
                decision=decision if awarded else None,
            )
            nomination.search_key = f"nguoi lao dong tieu bieu so {i + 1} | {unit.pk}"
            nominations.append(nomination)
        Nomination.objects.bulk_create(nominations, batch_size=1000)
    scenario.extra["decision"] = Decision.objects.get(issuer=scenario.province, number=45)


def decision_pdf_url(scenario: Scenario) -> str:
    return reverse("awards:decision-pdf", args=[scenario.extra["decision"].pk])
