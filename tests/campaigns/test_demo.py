"""seed_demo: the 2017 plan exactly as it was issued, closed; its copy for the current year,
active with deadlines ahead; and a second run that changes nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns import demo
from campaigns.models import Campaign, CampaignStatus, Holiday, Milestone, Phase, Theme
from emulation.models import AuditEntry
from reports.services.common import opening_of

D = dt.date
pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        # Without ``figures_version``: the services count it up whenever they lock a plan to
        # change it, even when nothing turns out to change (it only names the cached pages).
        "campaigns": [
            {k: v for k, v in row.items() if k != "figures_version"}
            for row in Campaign.objects.order_by("pk").values()
        ],
        "themes": list(Theme.objects.order_by("pk").values()),
        "phases": list(Phase.objects.order_by("pk").values()),
        "milestones": list(Milestone.objects.order_by("pk").values()),
        "holidays": list(Holiday.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_the_2017_plan_as_issued_and_a_second_run_changes_nothing(demo_seeded):
    plan = Campaign.objects.select_related("issuer", "receiving_department").get(year=2017)
    assert (plan.issuer.code, plan.number, plan.symbol) == ("NB", 13, "KH-LĐLĐ")
    assert (plan.place, plan.issue_date) == ("Ninh Bình", D(2017, 2, 23))
    assert (
        plan.implements
        == "Kế hoạch số 02/KH-TLĐ ngày 10/02/2017 của Đoàn Chủ tịch Tổng LĐLĐ Việt Nam"
    )
    assert plan.title.startswith("Phát động phong trào thi đua yêu nước trong CNVCLĐ")
    assert plan.status == CampaignStatus.CLOSED
    assert plan.min_themes == 2
    assert plan.receiving_department.name == "Ban Chính sách - Pháp luật"
    assert (plan.signing_authority, plan.signer_title, plan.signer_name) == (
        "TM. BAN THƯỜNG VỤ",
        "PHÓ CHỦ TỊCH",
        "Lê Đình Việt",
    )
    assert plan.distribution.splitlines() == [
        "Ban Dân vận Tỉnh ủy (để b/cáo);",
        "Ban Thi đua khen thưởng tỉnh;",
        "Thường trực LĐLĐ tỉnh;",
        "LĐLĐ huyện, TP và CDN (qua Website LĐLĐ tỉnh);",
        "Lưu: VT, Ban CSPL.",
    ]
    assert len(plan.purposes.splitlines()) == 4 and len(plan.organisation.splitlines()) == 3
    assert plan.preamble.startswith("Thực hiện Kế hoạch số 02/KH-TLĐ ngày 10/02/2017")
    # The demo deadlines are not in the plan: they say so.
    assert plan.registration_deadline == D(2017, 3, 31)
    assert "Giá trị minh họa" in plan.deadline_note
    themes = list(plan.themes.order_by("number"))
    assert [t.text for t in themes] == demo.THEMES
    assert themes[4].text.startswith("Năm 2017, “Năm vì lợi ích của đoàn viên”")
    assert themes[3].text.endswith("vì việc làm, đời sống của đoàn viên, công nhân, lao động.")
    assert list(plan.phases.values_list("name", "start", "end", "report_deadline")) == [
        ("Đợt 1", D(2017, 1, 1), D(2017, 8, 31), D(2017, 9, 15)),
        ("Đợt 2", D(2017, 9, 1), D(2017, 12, 31), D(2017, 12, 15)),
    ]
    milestones = [
        (m.date, m.end_date, m.anniversary, m.phase.name)
        for m in plan.milestones.select_related("phase").order_by("date")
    ]
    assert milestones == [
        (D(2017, 2, 3), None, 87, "Đợt 1"),  # Party founding 03/02/1930
        (D(2017, 4, 1), None, 25, "Đợt 1"),  # re-establishment of Ninh Bình 01/04/1992
        (D(2017, 4, 30), None, 42, "Đợt 1"),  # liberation of the South 30/04/1975
        (D(2017, 5, 1), D(2017, 5, 31), None, "Đợt 1"),  # Workers' Month, Labour Day 1/5
        (D(2017, 5, 19), None, 127, "Đợt 1"),  # President Ho Chi Minh 19/05/1890
        (D(2017, 6, 11), None, 69, "Đợt 1"),  # Patriotic Emulation Tradition Day 11/06/1948
        (D(2017, 7, 28), None, 88, "Đợt 1"),  # Vietnam Trade Union 28/07/1929
        (D(2017, 9, 2), None, 72, "Đợt 2"),  # August Revolution and National Day 02/09/1945
    ]
    # Ninh Bình's own day belongs to its branch only.
    assert Holiday.objects.get(name="tái lập tỉnh Ninh Bình").scope_unit.code == "NB"

    before = snapshot()
    seed()
    assert snapshot() == before


def test_the_copies_placed_around_today_are_active_with_a_phase_reported_on(demo_seeded):
    """The copies of the plan the calendar places around today (the test's clock): the newest
    for this year, each active, dated in order, one phase's reporting open with its deadline
    ahead (tests/campaigns/test_demo_calendar.py checks the rule on every day of the year)."""
    today = timezone.localdate()
    source = Campaign.objects.get(year=2017)
    copies = demo.demo_campaigns(today)
    assert [c.year for c in copies] == [p.year for p in demo.calendar(today)]
    copy = copies[-1]
    assert copy.year == today.year
    for campaign in copies:
        assert campaign.copied_from == source
        assert campaign.status == CampaignStatus.ACTIVE
        assert campaign.number == 13 and campaign.issue_date <= today
        assert campaign.issue_date.year in (campaign.year - 1, campaign.year)
        assert str(campaign.year) in campaign.title and "2017" not in campaign.title
        assert campaign.themes.count() == 5
        first, second = campaign.phases.order_by("start")
        assert campaign.registration_deadline < first.end < second.start
        assert first.end < first.report_deadline < second.report_deadline
        assert second.end < second.report_deadline
        party = campaign.milestones.get(holiday__name="Ngày thành lập Đảng Cộng sản Việt Nam")
        assert party.anniversary == campaign.year - 1930
        assert campaign.milestones.count() == 8
        assert "Giá trị minh họa" in campaign.deadline_note
    open_now = [
        phase
        for campaign in copies
        for phase in campaign.phases.all()
        if opening_of(phase) <= today <= phase.report_deadline
    ]
    assert len(open_now) == 1
