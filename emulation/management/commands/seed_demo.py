import datetime as dt
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Create the demo data (the Ninh Bình federation of 2017, and copies of its plan placed "
        "around --today so that a campaign is in progress). A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="the day the demo is placed around, YYYY-MM-DD (default: today's date)",
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today takes a date written YYYY-MM-DD.") from exc
        # Each app seeds its own part in a module demo.py, in the order of INSTALLED_APPS, so
        # this shared command names no app.
        with transaction.atomic():
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.demo") is None:
                    continue
                module = import_module(f"{config.name}.demo")
                module.seed(stdout=self.stdout, today=today)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({today:%d/%m/%Y})."))
