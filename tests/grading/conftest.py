"""The world of tests/conftest.py with the 2026 score sheets (the demo's, examples) and a type
for each grassroots union: A and B are state agencies, C an enterprise."""

import datetime as dt
from dataclasses import dataclass

import pytest

from grading.demo import build_sheet
from grading.models import Criterion, GradingProfile, UnitType
from grading.services.assessments import Entry

YEAR = 2026
OPENS = dt.date(2026, 1, 1)
DEADLINE = dt.date(2026, 12, 15)
DAY = dt.date(2026, 6, 1)


@dataclass
class Grading:
    world: object
    state: object
    enterprise: object


def make_grading(world, *, top_grade_cap=20) -> Grading:
    state = build_sheet(
        YEAR, UnitType.STATE, opens_on=OPENS, deadline=DEADLINE, top_grade_cap=top_grade_cap
    )
    enterprise = build_sheet(
        YEAR, UnitType.ENTERPRISE, opens_on=OPENS, deadline=DEADLINE, top_grade_cap=top_grade_cap
    )
    for unit in (world.unit_a, world.unit_b):
        GradingProfile.objects.create(organization=unit, unit_type=UnitType.STATE)
    GradingProfile.objects.create(organization=world.unit_c, unit_type=UnitType.ENTERPRISE)
    return Grading(world=world, state=state, enterprise=enterprise)


@pytest.fixture
def grading(world):
    return make_grading(world)


def full_marks(sheet, **overrides) -> dict:
    """Every criterion at its maximum with a justification (penalty items at 0); ``overrides``
    maps a criterion's "group.number" (e.g. "1.2") to its points."""
    entries = {}
    for criterion in Criterion.objects.filter(group__sheet=sheet).select_related("group"):
        key = f"{criterion.group.number}.{criterion.number}"
        points = 0 if criterion.group.kind == "penalty" else criterion.max_points
        entries[criterion.pk] = Entry(points=overrides.get(key, points), justification="Căn cứ")
    return entries


def criterion(sheet, key: str):
    group, number = key.split(".")
    return Criterion.objects.get(group__sheet=sheet, group__number=group, number=number)
