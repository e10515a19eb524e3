"""The services of the campaign plan: every rule of the issue, every refusal of its "Bad input"
list (a clear Vietnamese message on the right field, and nothing saved), and the copy to another
year."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from campaigns.models import Campaign, CampaignStatus, Holiday, Milestone, Phase, Theme
from campaigns.services.campaign import (
    campaign_activate,
    campaign_close,
    campaign_copy,
    campaign_create,
    campaign_update,
)
from campaigns.services.days import (
    calendar_token_reset,
    holiday_create,
    holiday_delete,
    holiday_update,
    milestones_set,
)
from campaigns.services.plan import (
    phase_add,
    phase_delete,
    phase_update,
    theme_add,
    theme_delete,
    theme_move,
    theme_update,
)
from emulation.models import AuditEntry
from tests.campaigns.conftest import phase_data, plan_data
from tests.factories import make_department

D = dt.date
pytestmark = pytest.mark.django_db


@contextmanager
def refused(field=None, contains=""):
    """The block raises a ValidationError (on ``field`` when given, in Vietnamese) and leaves
    every table of the plan and the audit log as they were."""
    models = (Campaign, Theme, Phase, Milestone, Holiday, AuditEntry)
    before = [m.objects.count() for m in models]
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        yield caught
    error = caught.value
    if field is not None:
        assert field in error.message_dict, error
        messages = error.message_dict[field]
    else:
        messages = error.messages
    text = " ".join(messages)
    assert contains in text, text
    assert [m.objects.count() for m in models] == before, "something was saved"


# ---------------------------------------------------------------------------------------------
# The campaign.


def test_staff_create_a_draft_with_an_audit_entry(world):
    campaign = campaign_create(by=world.staff, issuer=world.province, year=2017, data=plan_data())
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.document_number == "13/KH-LĐLĐ"
    assert campaign.slug.startswith("2017-phat-dong-phong-trao")
    assert campaign.created_by == world.staff
    assert AuditEntry.objects.filter(action="campaign-create", object_id=str(campaign.pk)).exists()


def test_a_unit_member_cannot_create_or_change_a_campaign(world, make_plan):
    with pytest.raises(PermissionDenied):
        campaign_create(by=world.officer_a, issuer=world.province, year=2017, data=plan_data())
    # The leader of a district is not staff: no configuration either.
    with pytest.raises(PermissionDenied):
        campaign_create(by=world.leader, issuer=world.district, year=2017, data=plan_data())
    campaign = make_plan()
    for user in (world.officer_a, world.leader):
        with pytest.raises(PermissionDenied):
            campaign_update(campaign=campaign, by=user, data={"title": "x"})
        with pytest.raises(PermissionDenied):
            theme_add(campaign=campaign, by=user, title="x", text="y")


def test_duplicate_document_number_for_the_same_issuer_and_year_is_refused(world, make_plan):
    make_plan()
    with refused("number", "đã ban hành kế hoạch số 13"):
        campaign_create(
            by=world.staff, issuer=world.province, year=2017, data=plan_data(title="Khác")
        )
    # Another year, or another issuer, may use number 13.
    campaign_create(
        by=world.staff,
        issuer=world.province,
        year=2018,
        data=plan_data(issue_date=D(2018, 1, 5), registration_deadline=None),
    )
    campaign_create(by=world.admin, issuer=world.district, year=2017, data=plan_data())


def test_duplicate_number_is_refused_on_edit_too(world, make_plan):
    make_plan()
    other = campaign_create(
        by=world.staff, issuer=world.province, year=2017, data=plan_data(number=14)
    )
    with refused("number"):
        campaign_update(campaign=other, by=world.staff, data={"number": 13})
    other.refresh_from_db()
    assert other.number == 14


def test_min_themes_larger_than_the_number_of_themes_is_refused(world, make_plan):
    campaign = make_plan()  # two themes
    with refused("min_themes", "chỉ có 2"):
        campaign_update(campaign=campaign, by=world.staff, data={"min_themes": 3})
    with refused("min_themes"):
        campaign_update(campaign=campaign, by=world.staff, data={"min_themes": 0})
    campaign_update(campaign=campaign, by=world.staff, data={"min_themes": 1})


def test_campaign_fields_are_validated_together(world):
    other_department = make_department(world.district, name="Văn phòng")
    with refused() as caught:
        campaign_create(
            by=world.staff,
            issuer=world.province,
            year=2017,
            data=plan_data(
                title="  ",
                symbol="",
                issue_date=D(2015, 1, 1),
                registration_deadline=D(2018, 1, 1),
                receiving_department=other_department,
            ),
        )
    assert set(caught.value.message_dict) == {
        "title",
        "symbol",
        "issue_date",
        "registration_deadline",
        "receiving_department",
    }
    with refused("year"):
        campaign_create(by=world.staff, issuer=world.province, year=1999, data=plan_data())


def test_activation_needs_a_complete_plan_and_publishes_it(world, make_plan):
    draft = campaign_create(
        by=world.staff, issuer=world.province, year=2017, data=plan_data(number=None)
    )
    with refused(contains="số văn bản"):
        campaign_activate(campaign=draft, by=world.staff)
    campaign = make_plan()
    campaign_activate(campaign=campaign, by=world.staff)
    campaign.refresh_from_db()
    assert campaign.is_active
    with refused():
        campaign_activate(campaign=campaign, by=world.staff)


def test_a_closed_campaign_is_history(world, make_plan):
    campaign = make_plan(active=True)
    campaign_close(campaign=campaign, by=world.staff)
    campaign.refresh_from_db()
    assert campaign.is_closed
    with refused(contains="đã kết thúc"):
        campaign_update(campaign=campaign, by=world.staff, data={"title": "Mới"})
    with refused(contains="đã kết thúc"):
        theme_add(campaign=campaign, by=world.staff, title="x", text="y")
    with refused(contains="đã kết thúc"):
        phase_delete(phase=campaign.phases.first(), by=world.staff)


# ---------------------------------------------------------------------------------------------
# Themes.


def test_themes_are_numbered_reordered_and_renumbered(world, make_plan):
    campaign = make_plan()
    third = theme_add(campaign=campaign, by=world.staff, title="Ba", text="Ba.")
    assert third.number == 3
    theme_move(theme=third, by=world.staff, offset=-1)
    assert list(campaign.themes.values_list("title", flat=True)) == [
        "Lao động giỏi",
        "Ba",
        "Học tập",
    ]
    first = campaign.themes.get(number=1)
    theme_move(theme=first, by=world.staff, offset=-1)  # already first: nothing
    assert campaign.themes.get(number=1) == first
    theme_delete(theme=first, by=world.staff)
    assert list(campaign.themes.values_list("number", "title")) == [(1, "Ba"), (2, "Học tập")]
    with refused("title"):
        theme_add(campaign=campaign, by=world.staff, title=" ", text="x")
    with refused("text"):
        theme_update(theme=third, by=world.staff, title="Ba", text="")


def test_an_active_plan_keeps_at_least_min_themes(world, make_plan):
    campaign = make_plan(active=True)
    with refused(contains="không thể có ít hơn"):
        theme_delete(theme=campaign.themes.first(), by=world.staff)


# ---------------------------------------------------------------------------------------------
# Phases.


def test_overlapping_phases_are_refused(world, make_plan):
    campaign = make_plan()  # 01/01-31/08 and 01/09-31/12
    with refused("start", "trùng với Đợt 1 (01/01/2017 - 31/08/2017)"):
        phase_add(
            campaign=campaign,
            by=world.staff,
            data=phase_data("Đợt 3", D(2017, 8, 31), D(2017, 9, 5)),
        )
    second = campaign.phases.get(name="Đợt 2")
    with refused("start", "Đợt 1"):
        phase_update(
            phase=second, by=world.staff, data=phase_data("Đợt 2", D(2017, 8, 1), D(2017, 12, 31))
        )


def test_a_phase_ending_before_it_starts_is_refused(world, make_plan):
    campaign = make_plan(milestones=())
    with refused("end", "kết thúc trước khi bắt đầu"):
        phase_add(
            campaign=campaign,
            by=world.staff,
            data=phase_data("Đợt 3", D(2017, 6, 1), D(2017, 5, 1)),
        )


def test_a_phase_leaving_the_campaign_year_is_refused(world):
    campaign = campaign_create(by=world.staff, issuer=world.province, year=2017, data=plan_data())
    with refused("end", "2017"):
        phase_add(
            campaign=campaign,
            by=world.staff,
            data=phase_data("Đợt 1", D(2017, 9, 1), D(2018, 1, 31)),
        )
    with refused("start"):
        phase_add(
            campaign=campaign,
            by=world.staff,
            data=phase_data("Đợt 1", D(2016, 12, 1), D(2017, 1, 31)),
        )


def test_a_report_deadline_before_its_phase_starts_is_refused(world):
    campaign = campaign_create(by=world.staff, issuer=world.province, year=2017, data=plan_data())
    with refused("report_deadline", "trước khi đợt bắt đầu"):
        phase_add(
            campaign=campaign,
            by=world.staff,
            data=phase_data("Đợt 2", D(2017, 9, 1), D(2017, 12, 31), D(2017, 8, 31)),
        )
    # Before the end of its phase is fine: the final review of 2017 was due 15/12.
    phase_add(
        campaign=campaign,
        by=world.staff,
        data=phase_data("Đợt 2", D(2017, 9, 1), D(2017, 12, 31), D(2017, 12, 15)),
    )


def test_a_report_deadline_stays_within_the_campaign_year_and_the_next(world):
    campaign = campaign_create(by=world.staff, issuer=world.province, year=2017, data=plan_data())
    with refused("report_deadline", "phải nằm trong năm 2017 hoặc năm 2018"):
        phase_add(
            campaign=campaign,
            by=world.staff,
            data=phase_data("Đợt 2", D(2017, 9, 1), D(2017, 12, 31), D(2019, 1, 15)),
        )
    # The final review of a year is often due in January of the next.
    phase_add(
        campaign=campaign,
        by=world.staff,
        data=phase_data("Đợt 2", D(2017, 9, 1), D(2017, 12, 31), D(2018, 1, 15)),
    )


def test_a_phase_needs_a_name_and_dates(world):
    campaign = campaign_create(by=world.staff, issuer=world.province, year=2017, data=plan_data())
    with refused() as caught:
        phase_add(campaign=campaign, by=world.staff, data={"name": ""})
    assert set(caught.value.message_dict) == {"name", "start", "end"}


def test_milestones_follow_the_phases_when_they_change(world, make_plan):
    campaign = make_plan(milestones=("party", "union", "national_day"))
    by_name = {m.holiday.name: m for m in campaign.milestones.select_related("holiday", "phase")}
    assert by_name["Ngày thành lập Công đoàn Việt Nam"].phase.name == "Đợt 1"
    assert by_name["Cách mạng tháng Tám và Quốc khánh nước Cộng hòa XHCN Việt Nam"].phase.name == (
        "Đợt 2"
    )
    first = campaign.phases.get(name="Đợt 1")
    phase_update(
        phase=first,
        by=world.staff,
        data=phase_data("Đợt 1", D(2017, 1, 1), D(2017, 6, 30), D(2017, 7, 15)),
    )
    union = Milestone.objects.get(pk=by_name["Ngày thành lập Công đoàn Việt Nam"].pk)
    assert union.phase is None  # 28/07 now falls between the phases
    phase_delete(phase=campaign.phases.get(name="Đợt 2"), by=world.staff)
    assert not campaign.milestones.filter(phase__isnull=False).exclude(phase=first).exists()


def test_an_active_plan_keeps_one_phase(world, make_plan):
    campaign = make_plan(active=True)
    phase_delete(phase=campaign.phases.get(name="Đợt 2"), by=world.staff)
    with refused(contains="ít nhất một đợt"):
        phase_delete(phase=campaign.phases.get(), by=world.staff)


# ---------------------------------------------------------------------------------------------
# Milestones.


def test_milestones_get_date_anniversary_and_phase_of_the_campaign_year(world, holidays, make_plan):
    campaign = make_plan(milestones=("party", "province", "workers_month", "national_day"))
    rows = {m.holiday_id: m for m in campaign.milestones.select_related("phase")}
    party = rows[holidays["party"].pk]
    assert (party.date, party.anniversary, party.phase.name) == (D(2017, 2, 3), 87, "Đợt 1")
    assert party.wording == (
        "kỷ niệm 87 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2017)"
    )
    province = rows[holidays["province"].pk]
    assert (province.anniversary, province.is_round) == (25, True)
    assert province.wording == "kỷ niệm 25 năm tái lập tỉnh Ninh Bình (01/04/1992 - 01/04/2017)"
    month = rows[holidays["workers_month"].pk]
    assert (month.date, month.end_date, month.anniversary) == (D(2017, 5, 1), D(2017, 5, 31), None)
    assert month.wording == (
        "tổ chức các hoạt động Tháng Công nhân và kỷ niệm ngày Quốc tế Lao động 1/5"
    )
    national = rows[holidays["national_day"].pk]
    assert (national.anniversary, national.phase.name) == (72, "Đợt 2")


def test_29_february_in_a_common_year_is_refused(world, holidays, make_plan):
    campaign = make_plan(milestones=())
    with refused(contains="29/02"):
        milestones_set(
            campaign=campaign, by=world.staff, holidays=[holidays["party"], holidays["leap"]]
        )
    # Nothing half-done: the good day of the same request was not added either.
    assert not campaign.milestones.exists()
    leap_year = make_plan(2016, milestones=("leap",))
    assert leap_year.milestones.get().date == D(2016, 2, 29)


def test_a_day_of_another_branch_is_refused(world, holidays, make_plan):
    campaign = make_plan(milestones=())
    with refused(contains="nhánh khác"):
        milestones_set(campaign=campaign, by=world.staff, holidays=[holidays["other_province"]])


def test_milestones_set_adds_and_removes(world, holidays, make_plan):
    campaign = make_plan(milestones=("party", "union"))
    added, removed = milestones_set(
        campaign=campaign, by=world.staff, holidays=[holidays["union"], holidays["uncle_ho"]]
    )
    assert [m.holiday for m in added] == [holidays["uncle_ho"]]
    assert [m.holiday for m in removed] == [holidays["party"]]
    assert set(campaign.milestones.values_list("holiday__name", flat=True)) == {
        holidays["union"].name,
        holidays["uncle_ho"].name,
    }


# ---------------------------------------------------------------------------------------------
# Copy to another year.


def test_copy_to_the_next_year(world, holidays, make_plan):
    source = make_plan(milestones=("party", "province", "workers_month", "national_day"))
    campaign_update(
        campaign=source, by=world.staff, data={"deadline_note": "Hạn minh họa: 31/03/2017."}
    )
    result = campaign_copy(campaign=source, by=world.staff)
    copy = result.campaign
    assert (copy.year, copy.status, copy.copied_from) == (2018, CampaignStatus.DRAFT, source)
    assert copy.title == "Phát động phong trào thi đua yêu nước năm 2018"
    assert copy.number == 13 and not result.number_cleared  # number 13 is free in 2018
    assert copy.issue_date == D(2018, 2, 23)
    assert copy.registration_deadline == D(2018, 3, 31)
    assert copy.deadline_note == "Hạn minh họa: 31/03/2018."
    assert list(copy.themes.values_list("number", "title")) == [
        (1, "Lao động giỏi"),
        (2, "Học tập"),
    ]
    assert list(copy.phases.values_list("name", "start", "end", "report_deadline")) == [
        ("Đợt 1", D(2018, 1, 1), D(2018, 8, 31), D(2018, 9, 15)),
        ("Đợt 2", D(2018, 9, 1), D(2018, 12, 31), D(2018, 12, 15)),
    ]
    rows = {m.holiday_id: m for m in copy.milestones.select_related("phase")}
    assert rows[holidays["party"].pk].anniversary == 88  # recomputed
    assert rows[holidays["province"].pk].date == D(2018, 4, 1)
    assert rows[holidays["national_day"].pk].phase.name == "Đợt 2"
    assert rows[holidays["national_day"].pk].phase.campaign == copy
    # The source is untouched.
    assert source.milestones.get(holiday=holidays["party"]).anniversary == 87
    assert source.phases.first().start == D(2017, 1, 1)


def test_copy_several_years_ahead_leaves_out_29_february_and_frees_a_used_number(
    world, holidays, make_plan
):
    source = make_plan(2016, milestones=("party", "leap"))
    campaign_create(
        by=world.staff,
        issuer=world.province,
        year=2026,
        data=plan_data(issue_date=D(2026, 1, 10), registration_deadline=None),
    )  # already number 13 in 2026
    result = campaign_copy(campaign=source, by=world.staff, year=2026)
    assert result.skipped == [holidays["leap"]]
    assert result.number_cleared and result.campaign.number is None
    assert result.campaign.milestones.get().anniversary == 96


def test_copy_goes_forward_only(world, make_plan):
    source = make_plan()
    with refused("year"):
        campaign_copy(campaign=source, by=world.staff, year=2017)
    with pytest.raises(PermissionDenied):
        campaign_copy(campaign=source, by=world.officer_a)


# ---------------------------------------------------------------------------------------------
# The catalogue of commemorative days.


def holiday(**data):
    values = {
        "name": "Ngày Nhà giáo Việt Nam",
        "day": 20,
        "month": 11,
        "origin_year": 1982,
        "end_day": None,
        "end_month": None,
        "scope_unit": None,
        "wording": "",
    }
    values.update(data)
    return values


def test_only_administrators_keep_national_days(world):
    with refused("scope_unit"):
        holiday_create(by=world.staff, data=holiday())
    holiday_create(by=world.admin, data=holiday())
    holiday_create(by=world.staff, data=holiday(scope_unit=world.province))
    with refused("scope_unit"):
        holiday_create(by=world.staff, data=holiday(scope_unit=world.national))
    with pytest.raises(PermissionDenied):
        holiday_create(by=world.officer_a, data=holiday(scope_unit=world.unit_a))


def test_holiday_dates_are_validated(world):
    with refused("day"):
        holiday_create(by=world.admin, data=holiday(day=31, month=4))
    with refused("end_day"):
        holiday_create(by=world.admin, data=holiday(day=1, month=5, end_day=31))
    with refused("end_day"):
        holiday_create(by=world.admin, data=holiday(day=10, month=5, end_day=1, end_month=5))
    holiday_create(by=world.admin, data=holiday())
    with refused("name", "đã có"):
        holiday_create(by=world.admin, data=holiday())
    holiday_create(by=world.admin, data=holiday(name="29/02", day=29, month=2))


def test_editing_a_day_moves_the_milestones_of_open_campaigns_only(world, holidays, make_plan):
    closed = make_plan(2016, active=True, milestones=("union",))
    campaign_close(campaign=closed, by=world.staff)
    open_plan = make_plan(milestones=("union",))
    union = holidays["union"]
    holiday_update(
        holiday=union,
        by=world.admin,
        data=holiday(name=union.name, day=29, month=7, origin_year=1929),
    )
    assert open_plan.milestones.get().date == D(2017, 7, 29)
    assert closed.milestones.get().date == D(2016, 7, 28)  # history stays
    with refused("day", "29/02"):
        holiday_update(
            holiday=union,
            by=world.admin,
            data=holiday(name=union.name, day=29, month=2, origin_year=1929),
        )
    union.refresh_from_db()
    assert (union.day, union.month) == (29, 7)


def test_a_day_in_use_cannot_be_deleted(world, holidays, make_plan):
    make_plan(milestones=("union",))
    with refused(contains="1 phong trào"):
        holiday_delete(holiday=holidays["union"], by=world.admin)
    holiday_delete(holiday=holidays["uncle_ho"], by=world.admin)
    with pytest.raises(PermissionDenied):
        holiday_delete(holiday=holidays["party"], by=world.staff)  # a national day


def test_calendar_token_reset_makes_a_new_secret(world):
    first = calendar_token_reset(user=world.officer_a).token
    second = calendar_token_reset(user=world.officer_a).token
    assert first != second and len(second) >= 40
