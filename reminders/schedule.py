"""The periodic tasks of reminders, named in emulation/celery.py's beat schedule."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "reminders-dispatch-hourly": {
        "task": "reminders.dispatch_due",
        "schedule": crontab(minute=5),
    },
    # CELERY_TIMEZONE is Asia/Ho_Chi_Minh: Monday 07:30 local time.
    "reminders-weekly-digest": {
        "task": "reminders.weekly_digest",
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
}
