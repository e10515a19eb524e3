"""``reports.selectors.common.load_plan`` reads a campaign's plan: it must give exactly what
``campaign_with_plan`` prefetches, and nothing must be read again afterwards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from campaigns.selectors import phase_views
from registrations.selectors.common import campaign_by_pk
from reports.selectors.common import campaign_with_plan, load_plan

FIELDS = {
    "themes": ["id", "campaign_id", "number", "title", "text"],
    "phases": ["id", "campaign_id", "name", "start", "end", "report_deadline", "goal"],
    "milestones": ["id", "campaign_id", "holiday_id", "date", "end_date", "anniversary"],
}


def _values(campaign) -> dict:
    values = {
        name: [[getattr(item, f) for f in fields] for item in getattr(campaign, name).all()]
        for name, fields in FIELDS.items()
    }
    values["holidays"] = [
        (m.holiday.pk, m.holiday.name, m.holiday.day, m.holiday.month, m.wording)
        for m in campaign.milestones.all()
    ]
    return values


def test_load_plan_gives_what_the_prefetch_gives(make_plan):
    made = make_plan(milestones=("party", "workers_month", "union", "national_day"))
    expected = _values(campaign_with_plan(Campaign.objects.all(), made.pk))
    campaign = campaign_by_pk(made.pk)
    with CaptureQueriesContext(connection) as plan:
        load_plan(campaign)
    assert len(plan) == 3
    with CaptureQueriesContext(connection) as after:
        got = _values(campaign)
        views = phase_views(campaign)
    assert len(after) == 0
    assert got == expected
    assert [v.phase.name for v in views] == ["Đợt 1", "Đợt 2"]
    assert len(got["themes"]) == 2 and len(got["milestones"]) == 4
    # Types as the ORM gives them (dates are dates on SQLite too).
    assert all(type(p.start).__name__ == "date" for p in campaign.phases.all())


def test_load_plan_of_an_empty_campaign(make_plan, world):
    made = make_plan(milestones=())
    made.themes.all().delete()
    made.phases.all().delete()
    campaign = load_plan(campaign_by_pk(made.pk))
    with CaptureQueriesContext(connection) as after:
        assert list(campaign.themes.all()) == []
        assert list(campaign.phases.all()) == []
        assert list(campaign.milestones.all()) == []
    assert len(after) == 0


def test_every_change_of_the_plan_shows_at_once(make_plan, world, holidays):
    """Nothing of the plan is kept between reads: a second read makes the same queries, and
    every change through the services shows on the next read."""
    from campaigns.services.days import holiday_update
    from campaigns.services.plan import phase_update, theme_update
    from tests.campaigns.test_services import holiday

    made = make_plan(milestones=("union",))

    def plan():
        return load_plan(campaign_by_pk(made.pk))

    plan()
    with CaptureQueriesContext(connection) as again:
        campaign = plan()
    assert len(again) == 4  # the campaign, its themes, phases and milestones
    assert [t.title for t in campaign.themes.all()] == [t.title for t in made.themes.all()]

    theme = made.themes.order_by("number").first()
    theme_update(theme=theme, by=world.staff, title="Chủ đề đã sửa", text="Toàn văn chủ đề đã sửa.")
    assert plan().themes.all()[0].title == "Chủ đề đã sửa"
    first = made.phases.order_by("start").first()
    phase_update(
        phase=first,
        by=world.staff,
        data={
            "name": "Đợt một",
            "start": first.start,
            "end": first.end,
            "report_deadline": first.report_deadline,
        },
    )
    assert plan().phases.all()[0].name == "Đợt một"
    union = holidays["union"]
    holiday_update(
        holiday=union,
        by=world.admin,
        data=holiday(name="Ngày thành lập Công đoàn", day=28, month=7, origin_year=1929),
    )
    assert plan().milestones.all()[0].holiday.name == "Ngày thành lập Công đoàn"
    # A refused change leaves the version as it was (its transaction is rolled back).
    version = Campaign.objects.get(pk=made.pk).figures_version
    with pytest.raises(ValidationError):
        theme_update(theme=theme, by=world.staff, title="", text="")
    assert Campaign.objects.get(pk=made.pk).figures_version == version
