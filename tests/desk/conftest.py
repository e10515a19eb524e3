"""A campaign of the province of ``tests/conftest.py``'s world on fixed dates of the year
``Y``, and helpers to bring registrations, reports and nominations to any state on a day the
test chooses (the services take ``today``: nothing here reads the real date).

TLĐ
└── LĐLĐ tỉnh (issuer)     ← staff (receiving department), council members
    ├── LĐLĐ huyện P        ← leader: reviews A and B
    │   ├── CĐCS A          ← officer A
    │   └── CĐCS B          ← officer B
    └── LĐLĐ huyện Q
        └── CĐCS C

The registration deadline is 31/03; phase 1 runs from 01/01 to 30/06, its reporting opens on
01/06 and its report is due on 15/07; phase 2 (the final review) runs from 01/07 to 20/12, its
report due on 31/12.
"""

import datetime as dt

import pytest

from awards.models import AwardCategory, AwardType, Nomination, NomineeKind, Occasion
from campaigns.services.campaign import campaign_activate
from campaigns.work import context_for
from emulation.work import work_items
from registrations import services as registration_services
from reports.models import ReportingWindow
from reports.services.common import opening_of
from reports.services.config import indicators_add_defaults
from reports.services.drafts import report_save_draft
from reports.services.transitions import report_approve, report_return, report_submit
from tests.registrations.conftest import make_campaign
from tests.reports.conftest import full_data, registration_payload

Y = 2024
D = dt.date
REGISTRATION_DEADLINE = D(Y, 3, 31)
PHASE_1_OPENS = D(Y, 6, 1)
PHASE_1_DEADLINE = D(Y, 7, 15)
PHASE_2_DEADLINE = D(Y, 12, 31)


def make_desk_campaign(world, *, year=Y):
    campaign = make_campaign(
        world,
        year=year,
        deadline=D(year, 3, 31),
        receiving_department=world.department,
        activate=False,
        phases=[
            {
                "name": "Đợt 1",
                "start": D(year, 1, 1),
                "end": D(year, 6, 30),
                "report_deadline": D(year, 7, 15),
            },
            {
                "name": "Đợt 2",
                "start": D(year, 7, 1),
                "end": D(year, 12, 20),
                "report_deadline": D(year, 12, 31),
            },
        ],
    )
    campaign_activate(campaign=campaign, by=world.staff)
    indicators_add_defaults(campaign=campaign, by=world.staff)
    ReportingWindow.objects.create(phase=phase_of(campaign, 1), opens_on=D(year, 6, 1))
    campaign.refresh_from_db()
    return campaign


def phase_of(campaign, number):
    return campaign.phases.order_by("start")[number - 1]


def bring_registration(campaign, unit, officer, status, *, reviewer, today=None):
    """The registration of ``unit`` in ``status`` (draft, submitted, returned, approved)."""
    today = today or D(campaign.year, 3, 1)
    registration = registration_services.registration_save_draft(
        campaign=campaign, organization=unit, by=officer, data=registration_payload(campaign)
    )
    if status == "draft":
        return registration
    registration = registration_services.registration_submit(registration, by=officer, today=today)
    if status == "returned":
        return registration_services.registration_return(
            registration, by=reviewer, comment="Bổ sung chỉ tiêu sáng kiến."
        )
    if status == "approved":
        return registration_services.registration_approve(registration, by=reviewer)
    return registration


def bring_report(campaign, number, unit, officer, status, *, reviewer, today=None):
    """The report of ``unit`` on phase ``number`` in ``status``; its registration must be
    approved."""
    phase = phase_of(campaign, number)
    today = today or opening_of(phase)
    report = report_save_draft(
        campaign=campaign,
        phase=phase,
        organization=unit,
        by=officer,
        data=full_data(campaign),
        today=today,
    )
    if status == "draft":
        return report
    report = report_submit(report, by=officer, today=today)
    if status == "returned":
        return report_return(report, by=reviewer, comment="Thiếu số liệu quý II.")
    if status == "approved":
        return report_approve(report, by=reviewer)
    return report


def award_of(unit, kind=NomineeKind.INDIVIDUAL, name="Bằng khen của Ban Chấp hành LĐLĐ tỉnh"):
    return AwardType.objects.create(
        name=name,
        certificate_title="BẰNG KHEN",
        category=AwardCategory.FORM,
        nominee_kind=kind,
        granting_unit=unit,
    )


def nomination(campaign, award, unit, *, phase=None, status="draft", person="Nguyễn Thị Lan"):
    """A nomination of ``unit`` written directly in ``status`` (the review's steps are the
    awards tests' business): for the review of ``phase``, or the year-end review."""
    return Nomination.objects.create(
        campaign=campaign,
        award_type=award,
        nominating_unit=unit,
        nominee_kind=award.nominee_kind,
        nominee_unit=unit,
        person_name=person,
        gender="female",
        birth_year=1985,
        occasion=Occasion.PHASE if phase else Occasion.YEAR_END,
        phase=phase,
        achievement="Hoàn thành xuất sắc nhiệm vụ.",
        current_level=unit if status in ("draft", "returned") else unit.parent_unit(),
        status=status,
        review_comment="Bổ sung báo cáo thành tích." if status == "returned" else "",
    )


def items(user, today, section, kind=""):
    """The work items of ``section`` for ``user`` on ``today`` (those of ``kind``, or whose
    kind starts with it followed by a colon, when given)."""
    found = work_items(section, context_for(user, today))
    if kind:
        found = [i for i in found if i.kind == kind or i.kind.startswith(f"{kind}:")]
    return found


@pytest.fixture
def campaign(world):
    return make_desk_campaign(world)
