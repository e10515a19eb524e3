from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo data (the Ninh Bình federation of 2017). A second run changes nothing."

    def handle(self, *args, **options):
        # Each app seeds its own part in a module demo.py, in the order of INSTALLED_APPS, so
        # this shared command names no app.
        with transaction.atomic():
            for config in apps.get_app_configs():
                if find_spec(f"{config.name}.demo") is None:
                    continue
                module = import_module(f"{config.name}.demo")
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
