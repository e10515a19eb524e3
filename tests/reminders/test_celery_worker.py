"""A real Celery worker against Redis: the hourly task dispatches a reminder, the send task
delivers it through the outbox to the mail backend.

Runs when CELERY_BROKER_URL is a redis:// URL (CI); skipped otherwise, since the embedded
filesystem broker is meant for `make run`, not for a worker inside the test process.
"""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core import mail

from reminders.models import OutboxMessage, OutboxStatus
from tests.conftest import build_world
from tests.registrations.conftest import make_campaign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")),
        reason="needs a Redis broker: set CELERY_BROKER_URL=redis://... to run a real worker",
    ),
]


def test_a_worker_dispatches_and_delivers(settings):
    from celery.contrib.testing.worker import start_worker

    from emulation.celery import app
    from reminders import tasks

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    app.conf.task_always_eager = False
    world = build_world()
    make_campaign(world, year=2030, deadline=dt.date(2030, 3, 31))
    world.unit_b.email = "cdcs-b@example.vn"
    world.unit_b.save()
    mail.outbox = []
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        tasks.dispatch_due.delay("2030-03-24")
        deadline = time.monotonic() + 60
        message = None
        while time.monotonic() < deadline:
            message = OutboxMessage.objects.filter(recipient="cdcs-b@example.vn").first()
            if message and message.status == OutboxStatus.SENT:
                break
            time.sleep(0.5)
    assert message is not None, "the worker did not dispatch the reminder"
    assert message.status == OutboxStatus.SENT, message.last_error
    assert message.attempts == 1
    sent = [m for m in mail.outbox if m.to == ["cdcs-b@example.vn"]]
    assert len(sent) == 1
    assert "Còn 7 ngày đến hạn đăng ký thi đua" in sent[0].subject
