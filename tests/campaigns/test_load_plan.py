"""``campaigns.selectors.load_plan`` reads a campaign's plan in plain SQL: it must give exactly
what ``campaign_with_plan`` prefetches, and nothing must be read again afterwards."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from campaigns.selectors import campaign_with_plan, load_plan, phase_views
from registrations.selectors import campaign_by_pk

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
