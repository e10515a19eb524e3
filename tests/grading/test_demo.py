"""seed_demo: a score sheet in the 40/40/15/5 structure for each type of grassroots union this
year, valid, and a type for every grassroots unit; a second run changes nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from federation.models import Organization, OrganizationKind
from grading.models import GradingProfile, ScoreSheet, UnitType
from grading.services.sheets import sheet_problems

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_sheets_and_types():
    output = seed()
    assert "Grading: 2 score sheets" in output
    year = timezone.localdate().year
    sheets = ScoreSheet.objects.filter(year=year)
    assert sorted(s.unit_type for s in sheets) == sorted(UnitType.values)
    for sheet in sheets:
        assert sheet_problems(sheet) == []
        assert [g.max_points for g in sheet.groups.exclude(kind="penalty")] == [
            Decimal(40),
            Decimal(40),
            Decimal(15),
            Decimal(5),
        ]
        assert "minh họa" in sheet.note  # the figures are marked as examples
    grassroots = Organization.objects.filter(kind=OrganizationKind.GRASSROOTS)
    assert GradingProfile.objects.count() == grassroots.count()
    assert GradingProfile.objects.get(organization__code="NB-HL-01").unit_type == UnitType.STATE
    assert GradingProfile.objects.filter(unit_type=UnitType.ENTERPRISE).exists()
    assert "Grading" not in seed()
