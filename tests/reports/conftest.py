"""An active campaign of the province of ``tests/conftest.py``'s world with two phases and the
usual indicators, approved registrations, and reports brought to any state.

TLĐ
└── LĐLĐ tỉnh (issuer)     ← staff
    ├── LĐLĐ huyện P        ← leader: reviews A and B
    │   ├── CĐCS A          ← officer A
    │   └── CĐCS B          ← officer B
    └── LĐLĐ huyện Q
        └── CĐCS C

Phase 1 runs from 1 January to 30 June, phase 2 from 1 July to 31 December; both reports are
due on 31 December, so reporting on phase 1 is open whatever the day the tests run. Services
that depend on the day are given ``today`` where a test needs another one.
"""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.services.campaign import campaign_activate
from federation.models import Role
from registrations import services as registration_services
from reports.models import Indicator, PhaseReport
from reports.services.common import opening_of
from reports.services.config import indicators_add_defaults
from reports.services.drafts import report_save_draft
from reports.services.transitions import report_approve, report_return, report_submit
from tests.factories import make_member
from tests.registrations.conftest import make_campaign

THEMES = [
    ("Lao động giỏi, Lao động sáng tạo", "Năng suất cao hơn, chất lượng tốt hơn."),
    ("Học tập nâng cao trình độ", "Thi đua học tập nâng cao trình độ mọi mặt."),
    ("Năm vì lợi ích của đoàn viên", "Chăm lo lợi ích thiết thân cho đoàn viên."),
]
TARGETS = {
    0: [
        {"name": "Sáng kiến, cải tiến kỹ thuật", "unit": "sáng kiến", "value": "5"},
        {"name": "Giá trị làm lợi", "unit": "triệu đồng", "value": "100"},
    ],
    1: [{"name": "Tỷ lệ đoàn viên được tập huấn", "unit": "%", "value": "90"}],
    2: [],
}


def year() -> int:
    return timezone.localdate().year


def make_report_campaign(world, *, deadline_1=None, deadline_2=None, activate=True):
    y = year()
    campaign = make_campaign(
        world,
        year=y,
        activate=False,
        receiving_department=world.department,
        phases=[
            {
                "name": "Đợt 1",
                "start": dt.date(y, 1, 1),
                "end": dt.date(y, 6, 30),
                "report_deadline": deadline_1 or dt.date(y, 12, 31),
            },
            {
                "name": "Đợt 2",
                "start": dt.date(y, 7, 1),
                "end": dt.date(y, 12, 31),
                "report_deadline": deadline_2 or dt.date(y, 12, 31),
            },
        ],
    )
    if activate:
        campaign_activate(campaign=campaign, by=world.staff)
    indicators_add_defaults(campaign=campaign, by=world.staff)
    campaign.refresh_from_db()
    return campaign


def registration_payload(campaign, count=2):
    themes = list(campaign.themes.order_by("number"))[:count]
    return {
        "themes": [
            {
                "theme": theme.pk,
                "commitment": f"Cam kết thực hiện nội dung {theme.number}.",
                "targets": TARGETS[index],
            }
            for index, theme in enumerate(themes)
        ],
        "key_works": [],
    }


def register(campaign, unit, officer, reviewer, *, approve=True, count=2):
    registration = registration_services.registration_save_draft(
        campaign=campaign,
        organization=unit,
        by=officer,
        data=registration_payload(campaign, count),
    )
    registration = registration_services.registration_submit(registration, by=officer)
    if approve:
        registration = registration_services.registration_approve(registration, by=reviewer)
    return registration


def indicator_values(campaign, *values) -> dict:
    indicators = list(Indicator.objects.filter(campaign=campaign))
    return {i.pk: str(v) for i, v in zip(indicators, values, strict=False)}


def full_data(campaign, *, achieved=("4", "80", "95"), indicators=(3, 1500000, 1, 100, 2)):
    """A complete report on the two registered themes of :func:`registration_payload`."""
    themes = list(campaign.themes.order_by("number"))
    return {
        "narrative": "Đơn vị hoàn thành tốt các nội dung đã đăng ký.",
        "themes": {
            themes[0].pk: {
                "done": "Phát động phong trào.",
                "targets": {0: achieved[0], 1: achieved[1]},
            },
            themes[1].pk: {"done": "Tổ chức tập huấn.", "targets": {0: achieved[2]}},
        },
        "indicators": indicator_values(campaign, *indicators),
    }


def phase(campaign, number=1):
    return campaign.phases.order_by("start")[number - 1]


@pytest.fixture
def campaign(world):
    return make_report_campaign(world)


@pytest.fixture
def registered(world, campaign):
    """Units A, B and C registered and approved; the district P too (its own registration)."""
    district_officer = make_member(world.district, Role.OFFICER, "officer_p")
    register(campaign, world.unit_a, world.officer_a, world.leader)
    register(campaign, world.unit_b, world.officer_b, world.leader)
    register(campaign, world.unit_c, world.admin, world.staff)
    register(campaign, world.district, district_officer, world.staff)
    return campaign


@pytest.fixture
def make_report(world, registered):
    """A report of ``unit`` (unit A by default) on ``phase`` brought to ``status``, on ``today``
    (by default the day the phase's reporting opens)."""

    def make(
        status="draft",
        unit=None,
        officer=None,
        number=1,
        data=None,
        reviewer=None,
        today=None,
    ) -> PhaseReport:
        unit = unit or world.unit_a
        officer = officer or {
            world.unit_a.pk: world.officer_a,
            world.unit_b.pk: world.officer_b,
        }.get(unit.pk, world.admin)
        reviewer = reviewer or world.staff
        on = phase(registered, number)
        # Not the real day: the suite runs at any moment of the year.
        today = today or opening_of(on)
        report = report_save_draft(
            campaign=registered,
            phase=on,
            organization=unit,
            by=officer,
            data=data if data is not None else full_data(registered),
            today=today,
        )
        if status == "draft":
            return report
        report = report_submit(report, by=officer, today=today)
        if status == "returned":
            report = report_return(report, by=reviewer, comment="Bổ sung số liệu.")
        elif status == "approved":
            report = report_approve(report, by=reviewer)
        return report

    return make


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_bytes(text: str = "Bao cao") -> bytes:
    from reports.demo import tiny_pdf

    return tiny_pdf(text)


def png_bytes() -> bytes:
    from reports.demo import tiny_png

    return tiny_png()
