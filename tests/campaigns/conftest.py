"""A campaign plan on the world of ``tests/conftest.py``: the province issues it; the holiday
catalogue holds the eight days of the 2017 plan and a few more."""

import datetime as dt

import pytest

from campaigns.models import Holiday
from campaigns.services.campaign import campaign_activate, campaign_create
from campaigns.services.days import milestones_set
from campaigns.services.plan import phase_add, theme_add

D = dt.date

# name, day, month, origin year, last day, last month, wording
DAYS = {
    "party": ("Ngày thành lập Đảng Cộng sản Việt Nam", 3, 2, 1930, None, None, ""),
    "liberation": (
        "ngày Giải phóng hoàn toàn miền Nam, thống nhất đất nước",
        30,
        4,
        1975,
        None,
        None,
        "",
    ),
    "workers_month": (
        "Tháng Công nhân và ngày Quốc tế Lao động 1/5",
        1,
        5,
        None,
        31,
        5,
        "tổ chức các hoạt động Tháng Công nhân và kỷ niệm ngày Quốc tế Lao động 1/5",
    ),
    "uncle_ho": ("ngày sinh Chủ tịch Hồ Chí Minh", 19, 5, 1890, None, None, ""),
    "union": ("Ngày thành lập Công đoàn Việt Nam", 28, 7, 1929, None, None, ""),
    "national_day": (
        "Cách mạng tháng Tám và Quốc khánh nước Cộng hòa XHCN Việt Nam",
        2,
        9,
        1945,
        None,
        None,
        "",
    ),
    "leap": ("Ngày hội thử nghiệm năm nhuận", 29, 2, 2000, None, None, ""),
}


@pytest.fixture
def holidays(world):
    """The catalogue, keyed by a short name; plus the province's own day."""
    made = {}
    for key, (name, day, month, origin, end_day, end_month, wording) in DAYS.items():
        made[key] = Holiday.objects.create(
            name=name,
            day=day,
            month=month,
            origin_year=origin,
            end_day=end_day,
            end_month=end_month,
            wording=wording,
        )
    made["province"] = Holiday.objects.create(
        name="tái lập tỉnh Ninh Bình", day=1, month=4, origin_year=1992, scope_unit=world.province
    )
    made["other_province"] = Holiday.objects.create(
        name="ngày truyền thống Công đoàn Gamma Quế",
        day=1,
        month=4,
        origin_year=1997,
        scope_unit=world.unit_c,
    )
    return made


def plan_data(**overrides):
    data = {
        "title": "Phát động phong trào thi đua yêu nước năm 2017",
        "number": 13,
        "symbol": "KH-LĐLĐ",
        "place": "Ninh Bình",
        "issue_date": D(2017, 2, 23),
        "min_themes": 2,
        "registration_deadline": D(2017, 3, 31),
        "distribution": "Ban Dân vận Tỉnh ủy (để b/cáo);\nLưu: VT, Ban CSPL.",
        "signing_authority": "TM. BAN THƯỜNG VỤ",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Lê Đình Việt",
    }
    data.update(overrides)
    return data


def phase_data(name, start, end, deadline=None, **extra):
    return {"name": name, "start": start, "end": end, "report_deadline": deadline, **extra}


@pytest.fixture
def make_plan(world, holidays):
    """A draft plan of the province for ``year`` with two themes, two phases and the chosen
    milestones; ``active=True`` publishes it."""

    def make(year=2017, *, issuer=None, active=False, milestones=("party", "union"), **data):
        by = world.staff
        campaign = campaign_create(
            by=by,
            issuer=issuer or world.province,
            year=year,
            data=plan_data(issue_date=D(year, 2, 23), registration_deadline=D(year, 3, 31), **data),
        )
        theme_add(campaign=campaign, by=by, title="Lao động giỏi", text="Nội dung một.")
        theme_add(campaign=campaign, by=by, title="Học tập", text="Nội dung hai.")
        phase_add(
            campaign=campaign,
            by=by,
            data=phase_data("Đợt 1", D(year, 1, 1), D(year, 8, 31), D(year, 9, 15)),
        )
        phase_add(
            campaign=campaign,
            by=by,
            data=phase_data("Đợt 2", D(year, 9, 1), D(year, 12, 31), D(year, 12, 15)),
        )
        milestones_set(campaign=campaign, by=by, holidays=[holidays[key] for key in milestones])
        if active:
            campaign_activate(campaign=campaign, by=by)
        campaign.refresh_from_db()
        return campaign

    return make
