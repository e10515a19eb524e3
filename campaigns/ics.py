"""The calendar feed (iCalendar, RFC 5545) of campaigns: their phases, milestones and
deadlines as all-day events, so officers can subscribe from their phone calendars."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from campaigns.models import Campaign
from campaigns.selectors import deadlines, phase_views

ONE_DAY = dt.timedelta(days=1)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _event(uid: str, summary: str, start: dt.date, end: dt.date | None, stamp, url, description=""):
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", (end or start) + ONE_DAY)  # all-day events end the day after (exclusive)
    event.add("transp", "TRANSPARENT")
    event.add("url", url)
    if description:
        event.add("description", description)
    return event


def add_campaign(calendar: Calendar, campaign: Campaign) -> None:
    """Add the events of one campaign (with its phases and milestones prefetched)."""
    stamp = campaign.updated_at.astimezone(dt.UTC)
    url = settings.SITE_URL.rstrip("/") + campaign.get_absolute_url()
    name = campaign.document_number or campaign.title[:60]
    views = phase_views(campaign)
    for view in views:
        phase = view.phase
        calendar.add_component(
            _event(
                f"campaign-{campaign.pk}-phase-{phase.pk}",
                _("%(phase)s of the campaign %(campaign)s")
                % {"phase": phase.name, "campaign": name},
                phase.start,
                phase.end,
                stamp,
                url,
                campaign.title,
            )
        )
    for milestone in campaign.milestones.all():
        calendar.add_component(
            _event(
                f"campaign-{campaign.pk}-milestone-{milestone.pk}",
                capfirst(milestone.wording),
                milestone.date,
                milestone.end_date,
                stamp,
                url,
                campaign.title,
            )
        )
    for deadline in deadlines(campaign, views):
        key = f"phase-{deadline.phase.pk}" if deadline.phase else deadline.kind
        event = _event(
            f"campaign-{campaign.pk}-deadline-{key}",
            _("Deadline: %(what)s") % {"what": deadline.label},
            deadline.day,
            None,
            stamp,
            url,
            campaign.title,
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", deadline.label)
        alarm.add("trigger", dt.timedelta(days=-3))
        event.add_component(alarm)
        calendar.add_component(event)


def build_calendar(campaigns, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Thi dua Khen thuong Cong doan//campaigns//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    for campaign in campaigns:
        add_campaign(calendar, campaign)
    return calendar.to_ical()
