"""seed_demo: the usual indicators on both campaigns, reports in every state on the phase open
today (and a received one in the province's inbox), plausible figures, historical 2017 reports
on both phases; a second run changes nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from campaigns.models import Campaign
from emulation.workflow import ReviewStatus
from reports.demo import open_phases
from reports.models import Attachment, Indicator, IndicatorValue, PhaseReport
from reports.services.config import DEFAULT_INDICATORS

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_reports_in_every_state_and_a_second_run_changes_nothing():
    output = seed()
    assert "Phase reports" in output
    # The phase whose reporting is open today (the test's clock) with its deadline ahead.
    first = open_phases(timezone.localdate())[0]
    current = first.campaign
    assert [i.name for i in Indicator.objects.filter(campaign=current)] == [
        name for name, _unit in DEFAULT_INDICATORS
    ]
    states = dict(
        PhaseReport.objects.filter(phase=first)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    assert set(states) == set(ReviewStatus.values)
    assert PhaseReport.objects.filter(
        phase=first, organization__code="NB-GD", received_at__isnull=False
    ).exists()
    assert PhaseReport.objects.get(phase=first, organization__code="NB-GD-01").is_editable
    assert PhaseReport.objects.filter(phase=first, organization__code="NB-HL-07").get().is_submitted
    # Plausible figures: no negative value, members taking part within the unit's members.
    assert not IndicatorValue.objects.filter(value__lt=0).exists()
    members = IndicatorValue.objects.filter(
        indicator__name="Đoàn viên tham gia", report__organization__member_count__gt=0
    ).select_related("report__organization")
    assert all(v.value <= v.report.organization.member_count for v in members)
    assert Attachment.objects.exists()
    closed = Campaign.objects.get(year=2017)
    assert PhaseReport.objects.filter(campaign=closed).values("phase").distinct().count() == 2
    assert (
        IndicatorValue.objects.filter(report__campaign=closed).aggregate(total=Count("id"))["total"]
        > 0
    )

    counts = (
        PhaseReport.objects.count(),
        IndicatorValue.objects.count(),
        Attachment.objects.count(),
    )
    seed()
    assert counts == (
        PhaseReport.objects.count(),
        IndicatorValue.objects.count(),
        Attachment.objects.count(),
    )
    assert Decimal(0) <= min(IndicatorValue.objects.values_list("value", flat=True))
