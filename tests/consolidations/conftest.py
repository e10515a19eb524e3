"""An active campaign of the province of ``tests/conftest.py``'s world with two phases and the
usual indicators (``tests/reports/conftest.py``'s), and helpers that bring registrations and
reports below the districts to a state.

TLĐ
└── LĐLĐ tỉnh (issuer)     ← staff: reviews what the districts send up
    ├── LĐLĐ huyện P        ← leader: sends P's consolidations, reviews A and B
    │   ├── CĐCS A          ← officer A
    │   └── CĐCS B          ← officer B
    └── LĐLĐ huyện Q        ← leader Q (outside P's branch)
        └── CĐCS C

Phase 1 runs from 1 January to 30 June, phase 2 from 1 July to 31 December; services that
depend on the day are given one (``DAY``: reporting on phase 1 is open, on phase 2 not yet).
"""

import datetime as dt

import pytest
from django.utils import translation

from federation.models import Role
from registrations import services as registration_services
from reports.services.common import opening_of
from reports.services.drafts import report_save_draft
from reports.services.transitions import report_approve, report_submit
from tests.factories import make_member
from tests.reports.conftest import full_data, make_report_campaign, phase, registration_payload


def day(campaign, month=5, date=15) -> dt.date:
    return dt.date(campaign.year, month, date)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def campaign(world):
    return make_report_campaign(world)


@pytest.fixture
def leader_q(world):
    return make_member(world.district_q, Role.LEADER, "leader_q")


def officer_of(world, unit):
    return {world.unit_a.pk: world.officer_a, world.unit_b.pk: world.officer_b}.get(
        unit.pk, world.admin
    )


def reviewer_of(world, unit):
    return world.leader if unit.pk in (world.unit_a.pk, world.unit_b.pk) else world.staff


@pytest.fixture
def registration(world, campaign):
    """The registration of ``unit`` brought to ``status`` (drafts, submitted, approved)."""

    def make(unit, status="approved"):
        officer = officer_of(world, unit)
        registration = registration_services.registration_save_draft(
            campaign=campaign,
            organization=unit,
            by=officer,
            data=registration_payload(campaign),
        )
        if status == "draft":
            return registration
        registration = registration_services.registration_submit(registration, by=officer)
        if status == "approved":
            registration = registration_services.registration_approve(
                registration, by=reviewer_of(world, unit)
            )
        return registration

    return make


@pytest.fixture
def report(world, campaign, registration):
    """The report of ``unit`` on phase ``number`` brought to ``status``; its registration is
    approved first."""

    def make(unit, status="approved", number=1, indicators=(3, 1500000, 1, 100, 2)):
        registration(unit, "approved")
        officer = officer_of(world, unit)
        on = phase(campaign, number)
        today = opening_of(on)
        report = report_save_draft(
            campaign=campaign,
            phase=on,
            organization=unit,
            by=officer,
            data=full_data(campaign, indicators=indicators),
            today=today,
        )
        if status == "draft":
            return report
        report = report_submit(report, by=officer, today=today)
        if status == "approved":
            report = report_approve(report, by=reviewer_of(world, unit))
        return report

    return make
