"""An active campaign of the province of ``tests/conftest.py``'s world, and registrations of its
units in every state.

TLĐ
└── LĐLĐ tỉnh (issuer)     ← staff
    ├── LĐLĐ huyện P        ← leader: reviews A and B
    │   ├── CĐCS A          ← officer A
    │   └── CĐCS B          ← officer B
    └── LĐLĐ huyện Q
        └── CĐCS C
"""

import datetime as dt

import pytest
from django.utils import timezone, translation

from campaigns.services.campaign import campaign_activate, campaign_create
from campaigns.services.plan import phase_add, theme_add
from registrations import services
from registrations.models import Registration

THEMES = [
    ("Lao động giỏi, Lao động sáng tạo", "Năng suất cao hơn, chất lượng tốt hơn."),
    ("Học tập nâng cao trình độ", "Thi đua học tập nâng cao trình độ mọi mặt."),
    ("Năm vì lợi ích của đoàn viên", "Chăm lo lợi ích thiết thân cho đoàn viên."),
]


def make_campaign(
    world,
    *,
    year=None,
    min_themes=2,
    deadline=None,
    themes=THEMES,
    activate=True,
    phases=None,
    **extra,
):
    """An active campaign issued by the province, with its themes and one phase (``phases``:
    the data of others instead); the deadline is the last day of the year unless given;
    ``extra``: more of the plan's data."""
    year = year or timezone.localdate().year
    campaign = campaign_create(
        by=world.staff,
        issuer=world.province,
        year=year,
        data={
            "title": f"Phát động phong trào thi đua yêu nước năm {year}",
            "number": 13,
            "symbol": "KH-LĐLĐ",
            "place": "Ninh Bình",
            "issue_date": dt.date(year, 1, 15),
            "min_themes": min_themes,
            "registration_deadline": deadline or dt.date(year, 12, 31),
            "signing_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "PHÓ CHỦ TỊCH",
            "signer_name": "Lê Đình Việt",
            **extra,
        },
    )
    for title, text in themes:
        theme_add(campaign=campaign, by=world.staff, title=title, text=text)
    for data in phases or [
        {"name": "Đợt 1", "start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}
    ]:
        phase_add(campaign=campaign, by=world.staff, data=data)
    if activate:
        campaign_activate(campaign=campaign, by=world.staff)
    campaign.refresh_from_db()
    return campaign


def theme_data(theme, commitment="Phấn đấu hoàn thành vượt mức kế hoạch.", targets=None):
    return {
        "theme": theme.pk,
        "commitment": commitment,
        "targets": targets
        if targets is not None
        else [{"name": "Sáng kiến, cải tiến kỹ thuật", "unit": "sáng kiến", "value": "5"}],
    }


def registration_data(campaign, count=2, **kwargs):
    themes = list(campaign.themes.order_by("number"))[:count]
    return {"themes": [theme_data(t, **kwargs) for t in themes], "key_works": []}


@pytest.fixture(autouse=True)
def _vietnamese():
    """Messages are checked in Vietnamese, the language of the users, whatever an earlier test
    left active in this thread."""
    with translation.override("vi"):
        yield


@pytest.fixture
def campaign(world):
    return make_campaign(world)


@pytest.fixture
def make_registration(world, campaign):
    """A registration of ``unit`` (unit A by default) brought to ``status``."""

    def make(status="draft", unit=None, officer=None, count=2, reviewer=None) -> Registration:
        unit = unit or world.unit_a
        officer = officer or (world.officer_a if unit == world.unit_a else world.admin)
        reviewer = reviewer or world.staff
        registration = services.registration_save_draft(
            campaign=campaign,
            organization=unit,
            by=officer,
            data=registration_data(campaign, count),
        )
        if status == "draft":
            return registration
        registration = services.registration_submit(registration, by=officer)
        if status == "returned":
            registration = services.registration_return(
                registration, by=reviewer, comment="Bổ sung chỉ tiêu."
            )
        elif status == "approved":
            registration = services.registration_approve(registration, by=reviewer)
        return registration

    return make
