"""The Celery application: tasks are autodiscovered in every app's ``tasks.py``."""

import os

from celery import Celery
from celery.schedules import crontab

from reminders.schedule import BEAT_SCHEDULE as REMINDERS_SCHEDULE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")

app = Celery("emulation")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule is kept in code, next to the tasks it names (reminders/schedule.py imports
# nothing but Celery, so reading it here loads no Django app).
app.conf.beat_schedule = {
    **REMINDERS_SCHEDULE,
    # Expired background jobs and their files, every night at 03:15 local time.
    "emulation-purge-jobs": {
        "task": "emulation.purge_jobs",
        "schedule": crontab(minute=15, hour=3),
    },
}
