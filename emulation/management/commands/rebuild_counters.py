"""Recompute every per-branch counter from the base tables.

The services keep the counters up to date as they change the data; this command is for the
other cases: after restoring a backup, a change made in SQL, or a fix of a counting rule.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from emulation.rollups import REBUILDERS


class Command(BaseCommand):
    help = "Recompute the per-branch counters (units, registrations, reports) from the data."

    def handle(self, *args, **options):
        for label, rebuild in REBUILDERS.items():
            started = time.perf_counter()
            with transaction.atomic():
                rebuild()
            self.stdout.write(f"{label}: {time.perf_counter() - started:.1f} s")
