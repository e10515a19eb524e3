import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from reminders.services.dispatch import dispatch
from reminders.services.outbox import outbox_send_now
from reminders.services.planning import plan
from reminders.texts import fill


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today expects a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Send the reminders due on a day, synchronously (the hourly task runs the same service). "
        "With --today, closed campaigns whose dates fall on that day send too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help="the day to act as (YYYY-MM-DD)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print who would receive what; change nothing"
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        explicit = today is not None
        today = today or timezone.localdate()
        if dry_run:
            with translation.override(settings.LANGUAGE_CODE):
                count = 0
                for due in plan(today, include_closed=explicit):
                    rule = due.rule
                    self.stdout.write(
                        f"{rule.campaign.year} | {rule.get_event_display()} {rule.offset_days:+d}"
                        f" | {rule.get_audience_display()} | {rule.get_channel_display()}"
                        f" | {due.label} | {fill(rule.subject, due.context)}"
                    )
                    count += 1
            self.stdout.write(f"Dry run for {today:%d/%m/%Y}: {count} deliveries would be made.")
            return
        sent = []

        def send_now(ids):
            sent.extend(outbox_send_now(ids))

        result = dispatch(today=today, include_closed=explicit, send=send_now)
        self.stdout.write(
            f"{today:%d/%m/%Y}: {result.due} due, {result.created} new deliveries, "
            f"{result.processed} processed, {result.emails} emails "
            f"({sent.count('sent')} sent), {result.notifications} notifications."
        )
