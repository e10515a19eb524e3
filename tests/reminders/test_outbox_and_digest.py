"""Temporary SMTP errors are retried and recorded, permanent ones fail at once; the weekly
digest goes once a week; the beat schedule names the tasks."""

import datetime as dt
import smtplib

import pytest
from celery.schedules import crontab
from django.core.mail import EmailMultiAlternatives

from emulation.celery import app
from reminders.models import Delivery, OutboxMessage, OutboxStatus
from reminders.services.digest import weekly_digest
from reminders.services.outbox import TemporaryFailure, outbox_send

pytestmark = pytest.mark.django_db


def fail_with(monkeypatch, error):
    def send(self, fail_silently=False):
        raise error

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)


@pytest.fixture
def message():
    return OutboxMessage.objects.create(recipient="a@example.vn", subject="s", text="t")


def test_a_temporary_error_is_recorded_and_retried(message, monkeypatch):
    error = smtplib.SMTPResponseException(421, b"try later")
    fail_with(monkeypatch, error)
    with pytest.raises(TemporaryFailure):
        outbox_send(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 1)
    assert "421" in message.last_error
    # The last retry gives up: the failure stays in the outbox, never dropped.
    assert outbox_send(message.pk, final=True) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.attempts == 2


def test_a_permanent_error_fails_at_once(message, monkeypatch):
    error = smtplib.SMTPRecipientsRefused({"a@example.vn": (550, b"no such user")})
    fail_with(monkeypatch, error)
    assert outbox_send(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert "550" in message.last_error


def test_the_weekly_digest_goes_once_a_week(world, campaign):
    first = weekly_digest(today=dt.date(2030, 3, 25))
    again = weekly_digest(today=dt.date(2030, 3, 25))
    assert (first.created, again.created) == (1, 0)
    email = OutboxMessage.objects.get(delivery__rule__isnull=True)
    assert email.recipient == "cspl@example.vn"
    assert "Tiến độ tuần" in email.subject
    assert "Liên đoàn Lao động huyện Phượng" in email.text
    assert "31/03/2030" in email.text  # the next deadline
    assert Delivery.objects.get(rule__isnull=True).occurrence == "week:2030-W13"


def test_the_beat_schedule():
    app.loader.import_default_modules()  # every app's tasks.py, as a worker or beat finds them

    schedule = app.conf.beat_schedule
    assert schedule["reminders-dispatch-hourly"]["task"] == "reminders.dispatch_due"
    weekly = schedule["reminders-weekly-digest"]
    assert weekly["task"] == "reminders.weekly_digest"
    assert weekly["schedule"] == crontab(minute=30, hour=7, day_of_week="mon")
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
    assert set(schedule_tasks := {e["task"] for e in schedule.values()}) <= set(app.tasks)
    assert schedule_tasks
