"""Demo data: every campaign without reminder rules gets the default ones (the 2017 plan was
created before this app could listen, or with signals off)."""

import datetime as dt

from campaigns.models import Campaign
from reminders.services.planning import create_default_rules


def seed(stdout, today: dt.date) -> None:
    """The default rules (the same whatever ``today``: the rules are offsets from the dates)."""
    made = 0
    for campaign in Campaign.objects.filter(reminder_rules__isnull=True).distinct():
        made += len(create_default_rules(campaign))
    stdout.write(f"Reminder rules: {made} default rules created.")
