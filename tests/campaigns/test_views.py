"""The campaign pages: who sees what, forms showing the services' refusals next to their fields,
the calendar feeds and a constant number of queries on the campaign page."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CalendarToken, Campaign, Phase, Theme
from campaigns.services.campaign import campaign_activate, campaign_create, campaign_update
from campaigns.services.days import calendar_token_reset, milestones_set
from campaigns.services.plan import phase_add, theme_add
from federation.models import OrganizationKind
from registrations import services as registration_services
from tests.campaigns.conftest import plan_data
from tests.factories import bulk_units
from tests.html_forms import shown_by
from tests.reports.conftest import registration_payload

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def on_day(monkeypatch):
    """Make ``timezone.localdate()`` return a given day."""

    def set_day(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_day


def test_every_unit_of_the_branch_sees_an_active_campaign(world, make_plan, client_for):
    campaign = make_plan(active=True)
    url = campaign.get_absolute_url()
    for user in (world.officer_a, world.officer_b, world.leader, world.staff, world.admin):
        assert client_for(user).get(url).status_code == 200
    listing = client_for(world.officer_a).get(reverse("campaigns:list"))
    assert campaign.title in listing.content.decode()


def test_a_draft_is_seen_by_its_configurers_only(world, make_plan, client_for):
    campaign = make_plan()
    url = campaign.get_absolute_url()
    for user in (world.officer_a, world.leader):
        assert client_for(user).get(url).status_code == 404
        assert (
            campaign.title not in client_for(user).get(reverse("campaigns:list")).content.decode()
        )
    assert client_for(world.staff).get(url).status_code == 200


def test_a_campaign_of_unit_a_is_hidden_from_its_sibling(world, holidays, client_for):
    campaign = campaign_create(
        by=world.staff, issuer=world.unit_a, year=2017, data=plan_data(title="Thi đua Alpha")
    )
    theme_add(campaign=campaign, by=world.staff, title="Một", text="Một.")
    theme_add(campaign=campaign, by=world.staff, title="Hai", text="Hai.")
    phase_add(
        campaign=campaign,
        by=world.staff,
        data={"name": "Đợt 1", "start": D(2017, 1, 1), "end": D(2017, 12, 31)},
    )
    campaign_activate(campaign=campaign, by=world.staff)
    assert client_for(world.officer_b).get(campaign.get_absolute_url()).status_code == 404
    pdf_url = reverse("campaigns:plan-pdf", args=[campaign.pk])
    assert client_for(world.officer_b).get(pdf_url).status_code == 404
    assert "Thi đua Alpha" not in client_for(world.officer_b).get("/campaigns/").content.decode()
    assert client_for(world.officer_a).get(campaign.get_absolute_url()).status_code == 200
    assert client_for(world.leader).get(campaign.get_absolute_url()).status_code == 200


CONFIG_PAGES = ("campaigns:edit", "campaigns:themes", "campaigns:phases", "campaigns:milestones")


def test_unit_members_get_403_on_configuration_pages(world, make_plan, client_for):
    campaign = make_plan(active=True)
    theme = campaign.themes.first()
    phase = campaign.phases.first()
    urls = [reverse(name, args=[campaign.pk]) for name in CONFIG_PAGES] + [
        reverse("campaigns:copy", args=[campaign.pk]),
        reverse("campaigns:theme-edit", args=[campaign.pk, theme.pk]),
        reverse("campaigns:phase-edit", args=[campaign.pk, phase.pk]),
        reverse("campaigns:create"),
        reverse("campaigns:holidays"),
    ]
    for user in (world.officer_a, world.leader):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("campaigns:close", args=[campaign.pk])).status_code == 403
    client = client_for(world.staff)
    for url in urls:
        assert client.get(url).status_code == 200, url
    campaign.refresh_from_db()
    assert campaign.is_active


def test_staff_create_a_campaign_through_the_form(world, client_for):
    client = client_for(world.staff)
    page = client.get(reverse("campaigns:create"))
    assert page.status_code == 200
    response = client.post(
        reverse("campaigns:create"),
        {
            "issuer": world.province.pk,
            "year": 2026,
            "title": "Thi đua năm 2026",
            "number": "21",
            "symbol": "KH-LĐLĐ",
            "place": "Ninh Bình",
            "issue_date": "2026-02-10",
            "min_themes": "2",
            "registration_deadline": "31/03/2026",
            "receiving_department": world.department.pk,
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:themes", args=[campaign.pk])
    assert (campaign.number, campaign.registration_deadline) == (21, D(2026, 3, 31))
    assert campaign.receiving_department == world.department


def test_the_form_shows_a_refusal_next_to_its_field_and_saves_nothing(world, make_plan, client_for):
    campaign = make_plan()
    client = client_for(world.staff)
    response = client.post(
        reverse("campaigns:phases", args=[campaign.pk]),
        {"name": "Đợt 3", "start": "2017-08-01", "end": "2017-07-01", "report_deadline": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Đợt kết thúc trước khi bắt đầu." in form.errors["end"]
    html = response.content.decode()
    assert 'id="id_end"' in html and "is-invalid" in html
    assert "Đợt kết thúc trước khi bắt đầu." in html
    assert Phase.objects.filter(campaign=campaign).count() == 2

    edit = reverse("campaigns:edit", args=[campaign.pk])
    response = client.post(
        edit,
        {
            **plan_data(min_themes=5, issue_date="2017-02-23", registration_deadline="2017-03-31"),
            **shown_by(client, edit),
        },
    )
    assert response.status_code == 200
    assert "min_themes" in response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.min_themes == 2


def test_themes_are_added_moved_and_deleted_from_their_page(world, make_plan, client_for):
    campaign = make_plan()
    client = client_for(world.staff)
    themes_url = reverse("campaigns:themes", args=[campaign.pk])
    assert client.post(themes_url, {"title": "Ba", "text": "Nội dung ba."}).status_code == 302
    third = campaign.themes.get(title="Ba")
    client.post(reverse("campaigns:theme-move", args=[campaign.pk, third.pk]), {"direction": "up"})
    assert list(campaign.themes.values_list("title", flat=True)) == [
        "Lao động giỏi",
        "Ba",
        "Học tập",
    ]
    client.post(reverse("campaigns:theme-delete", args=[campaign.pk, third.pk]))
    assert not Theme.objects.filter(pk=third.pk).exists()


def test_activate_and_close_buttons(world, make_plan, client_for):
    campaign = make_plan()
    client = client_for(world.staff)
    page = client.get(campaign.get_absolute_url())
    assert 'data-testid="campaign-activate"' in page.content.decode()
    client.post(reverse("campaigns:activate", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.is_active
    client.post(reverse("campaigns:close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.is_closed
    # A closed campaign's configuration pages send back to the campaign, with a word why.
    response = client.get(reverse("campaigns:themes", args=[campaign.pk]), follow=True)
    assert response.redirect_chain[-1][0] == campaign.get_absolute_url()
    assert "đã kết thúc" in response.content.decode()
    assert client.get(reverse("campaigns:copy", args=[campaign.pk])).status_code == 200


def test_copy_page_makes_a_draft_of_the_next_year(world, make_plan, client_for):
    campaign = make_plan(active=True)
    response = client_for(world.staff).post(
        reverse("campaigns:copy", args=[campaign.pk]), {"year": "2018"}
    )
    copy = Campaign.objects.get(year=2018)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.is_draft and copy.themes.count() == 2


def test_milestones_page_proposes_the_catalogue_with_anniversaries(
    world, holidays, make_plan, client_for
):
    campaign = make_plan(milestones=("party",))
    response = client_for(world.staff).get(reverse("campaigns:milestones", args=[campaign.pk]))
    html = response.content.decode()
    proposals = {p.holiday.pk: p for p in response.context["proposals"]}
    assert holidays["other_province"].pk not in proposals  # a day of another branch
    assert proposals[holidays["party"].pk].chosen
    assert proposals[holidays["province"].pk].anniversary == 25
    assert proposals[holidays["province"].pk].is_round
    assert not proposals[holidays["leap"].pk].exists  # 29/02 in 2017
    assert "kỷ niệm 25 năm" in html and 'data-testid="round-badge"' in html
    response = client_for(world.staff).post(
        reverse("campaigns:milestones", args=[campaign.pk]),
        {"holidays": [holidays["party"].pk, holidays["province"].pk]},
    )
    assert response.status_code == 302
    assert campaign.milestones.count() == 2
    response = client_for(world.staff).post(
        reverse("campaigns:milestones", args=[campaign.pk]),
        {"holidays": [holidays["leap"].pk]},
    )
    assert response.status_code == 200
    assert "29/02" in " ".join(response.context["form"].non_field_errors())
    assert campaign.milestones.count() == 2


def test_campaign_page_says_what_to_do_next_with_days_left(world, make_plan, client_for, on_day):
    campaign = make_plan(active=True)
    campaign_update(campaign=campaign, by=world.staff, data={"deadline_note": "Giá trị minh họa."})
    on_day(D(2017, 3, 25))
    response = client_for(world.officer_a).get(campaign.get_absolute_url())
    html = response.content.decode()
    # The unit's work as the home page shows it: the registration, the report on each phase.
    work = response.context["unit_work"]
    assert [(i.kind, i.state, i.days_left) for i in work] == [
        ("registration", "todo", 6),
        ("report:1", "todo", 174),
        ("report:2", "upcoming", None),  # reporting on phase 2 opens on 01/09
    ]
    assert response.context["next_steps"] == []
    assert 'data-testid="unit-work"' in html and "còn 6 ngày" in html
    assert response.context["current"].phase.name == "Đợt 1"
    assert 'data-testid="deadline-note"' in html and "Giá trị minh họa." in html
    assert "31/03/2017" in html  # dates as dd/mm/yyyy
    on_day(D(2017, 12, 15))
    work = client_for(world.officer_a).get(campaign.get_absolute_url()).context["unit_work"]
    assert [(i.kind, i.days_text) for i in work] == [
        ("registration", "quá hạn 259 ngày"),
        ("report:1", "quá hạn 91 ngày"),
        ("report:2", "hạn chót hôm nay"),
    ]


def test_campaign_page_shows_what_was_approved_as_done(world, make_plan, client_for, on_day):
    """An approved registration is no longer listed as pending: it reads "Đã duyệt" and counts
    no days; the report the unit must still send keeps its days."""
    campaign = make_plan(active=True)
    registration = registration_services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_payload(campaign),
    )
    registration = registration_services.registration_submit(
        registration, by=world.officer_a, today=D(2017, 3, 20)
    )
    on_day(D(2017, 3, 25))
    html = client_for(world.officer_a).get(campaign.get_absolute_url()).content.decode()
    assert "Chờ duyệt" in html and "còn 6 ngày" not in html
    registration_services.registration_approve(registration, by=world.leader)
    response = client_for(world.officer_a).get(campaign.get_absolute_url())
    work = response.context["unit_work"]
    assert [(i.kind, i.state, i.status_label, i.days_text) for i in work] == [
        ("report:1", "todo", "Chưa báo cáo", "còn 174 ngày"),
        ("report:2", "upcoming", "Chưa báo cáo", ""),
        ("registration", "done", "Đã duyệt", ""),
    ]
    assert "Đã duyệt" in response.content.decode()
    # The issuer's staff prepare nothing: they read the deadlines of the plan.
    steps = client_for(world.staff).get(campaign.get_absolute_url()).context["next_steps"]
    assert [(s.deadline.kind, s.days_left) for s in steps] == [
        ("registration", 6),
        ("interim", 174),
        ("final", 265),
    ]


def test_campaign_page_keeps_a_constant_number_of_queries(
    world, holidays, make_plan, client_for, django_assert_max_num_queries
):
    campaign = make_plan(active=True, milestones=("party", "union", "national_day"))
    client = client_for(world.officer_a)
    url = campaign.get_absolute_url()
    client.get(url)  # warm up (session, content types)
    # Ten, and the unit's work: its registration (2), its reports (3), its nominations (1, and 1
    # while a phase's reporting is open), its cluster memberships of the year (1).
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    # Many more units, themes and milestones: the same number of queries.
    bulk_units("NB-P", 500, "BULK", OrganizationKind.GRASSROOTS)
    for number in range(3, 12):
        theme_add(campaign=campaign, by=world.staff, title=f"T{number}", text="x")
    milestones_set(
        campaign=campaign,
        by=world.staff,
        holidays=[h for key, h in holidays.items() if key not in ("leap", "other_province")],
    )
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("campaigns:list")).status_code == 200


def test_the_plan_pdf(world, make_plan, client_for):
    campaign = make_plan(active=True)
    response = client_for(world.officer_a).get(reverse("campaigns:plan-pdf", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert b"%PDF" in response.content[:8]
    download = client_for(world.officer_a).get(
        reverse("campaigns:plan-pdf", args=[campaign.pk]) + "?download=1"
    )
    assert download["Content-Disposition"] == (
        'attachment; filename="ke-hoach-13-KH-LDLD-2017.pdf"'
    )


def _events(body: bytes):
    calendar = icalendar.Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk() if c.name == "VEVENT"]


def test_calendar_feed_is_valid_icalendar(world, holidays, make_plan, client_for):
    campaign = make_plan(active=True, milestones=("party", "workers_month", "national_day"))
    response = client_for(world.officer_a).get(reverse("campaigns:calendar", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    # Two phases, three milestones, three deadlines (registration, interim, final review).
    assert len(events) == 8
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 8
    by_summary = {str(e["SUMMARY"]): e for e in events}
    party = by_summary[
        "Kỷ niệm 87 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2017)"
    ]
    assert party.decoded("DTSTART") == D(2017, 2, 3)
    assert party.decoded("DTEND") == D(2017, 2, 4)  # all-day: the end is exclusive
    month = next(e for s, e in by_summary.items() if s.startswith("Tổ chức các hoạt động"))
    assert (month.decoded("DTSTART"), month.decoded("DTEND")) == (D(2017, 5, 1), D(2017, 6, 1))
    phase = next(e for s, e in by_summary.items() if s.startswith("Đợt 1"))
    assert (phase.decoded("DTSTART"), phase.decoded("DTEND")) == (D(2017, 1, 1), D(2017, 9, 1))
    deadlines = [e for e in events if e.walk("VALARM")]
    assert sorted(e.decoded("DTSTART") for e in deadlines) == [
        D(2017, 3, 31),
        D(2017, 9, 15),
        D(2017, 12, 15),
    ]


def test_token_feed_needs_no_session_and_shows_only_the_owners_campaigns(
    world, make_plan, client, client_for
):
    province_plan = make_plan(active=True)
    draft = make_plan(2018)
    unit_a_plan = campaign_create(
        by=world.staff, issuer=world.unit_a, year=2017, data=plan_data(title="Thi đua Alpha")
    )
    theme_add(campaign=unit_a_plan, by=world.staff, title="Một", text="Một.")
    theme_add(campaign=unit_a_plan, by=world.staff, title="Hai", text="Hai.")
    phase_add(
        campaign=unit_a_plan,
        by=world.staff,
        data={"name": "Cả năm", "start": D(2017, 1, 1), "end": D(2017, 12, 31)},
    )
    campaign_activate(campaign=unit_a_plan, by=world.staff)

    page = client_for(world.officer_b).post(reverse("campaigns:calendar-subscribe"))
    assert page.status_code == 302
    token_b = CalendarToken.objects.get(user=world.officer_b).token
    token_a = calendar_token_reset(user=world.officer_a).token
    client.logout()

    def uids(token):
        response = client.get(reverse("campaigns:calendar-feed", args=[token]))
        assert response.status_code == 200
        return {str(e["UID"]).split("-")[1] for e in _events(response.content)[1]}

    assert uids(token_a) == {str(province_plan.pk), str(unit_a_plan.pk)}
    assert uids(token_b) == {str(province_plan.pk)}  # not unit A's, not the draft
    assert str(draft.pk) not in uids(token_a)
    assert client.get(reverse("campaigns:calendar-feed", args=["x" * 43])).status_code == 404
    old = token_b
    calendar_token_reset(user=world.officer_b)
    assert client.get(reverse("campaigns:calendar-feed", args=[old])).status_code == 404
    world.officer_a.is_active = False
    world.officer_a.save()
    assert client.get(reverse("campaigns:calendar-feed", args=[token_a])).status_code == 404


def test_holiday_catalogue_pages(world, holidays, client_for):
    client = client_for(world.staff)
    listing = client.get(reverse("campaigns:holidays"))
    assert listing.status_code == 200
    assert "Tái lập tỉnh Ninh Bình" in listing.content.decode()
    # Staff edit the days of their branch, not the national ones.
    assert (
        client.get(reverse("campaigns:holiday-edit", args=[holidays["province"].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("campaigns:holiday-edit", args=[holidays["party"].pk])).status_code
        == 403
    )
    response = client.post(
        reverse("campaigns:holiday-add"),
        {
            "name": "Ngày truyền thống LĐLĐ tỉnh",
            "day": "31",
            "month": "4",
            "scope_unit": world.province.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["day"] == ["Không có ngày này trong lịch."]
    response = client.post(
        reverse("campaigns:holiday-add"),
        {
            "name": "Ngày truyền thống LĐLĐ tỉnh",
            "day": "15",
            "month": "4",
            "origin_year": "1946",
            "scope_unit": world.province.pk,
        },
    )
    assert response.status_code == 302
