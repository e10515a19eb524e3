"""Celery tasks: thin, ids in, a service call."""

import datetime as dt
import logging

from celery import shared_task

from reminders.services import digest
from reminders.services.dispatch import dispatch
from reminders.services.limits import MAX_ATTEMPTS
from reminders.services.outbox import TemporaryFailure, outbox_send, stale_sending, waiting_queued
from reminders.services.processing import process_pending

# Exponential backoff of a temporary SMTP failure: 1, 2, 4, 8 minutes.
BACKOFF_BASE = 60
# How many tasks share out a dispatch's deliveries.
PARALLEL = 4


log = logging.getLogger(__name__)


def enqueue(ids: list[int]) -> None:
    """Queue the sending of outbox messages. A broker that is down loses nothing: the rows stay
    queued in the outbox and the hourly dispatch queues them again."""
    for message_id in ids:
        try:
            send_outbox_message.delay(message_id)
        except Exception:  # noqa: BLE001 - the outbox row keeps the message
            log.exception("could not queue outbox message %s", message_id)
            return


@shared_task(name="reminders.dispatch_due")
def dispatch_due(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else None
    enqueue(stale_sending() + waiting_queued())
    result = dispatch(today=day, process=False)
    # The pending deliveries are shared out: each task claims batches with SKIP LOCKED, so
    # several workers turn 130,000 of them into emails and notifications side by side.
    for _ in range(PARALLEL):
        process_deliveries.delay()
    return {"due": result.due, "created": result.created}


@shared_task(name="reminders.process_deliveries")
def process_deliveries() -> dict:
    result = process_pending(send=enqueue)
    return {"processed": result.processed}


@shared_task(name="reminders.weekly_digest")
def weekly_digest(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else None
    result = digest.weekly_digest(today=day, send=enqueue)
    return {"created": result.created, "processed": result.processed}


@shared_task(name="reminders.send_outbox_message", bind=True, max_retries=MAX_ATTEMPTS)
def send_outbox_message(self, message_id: int) -> str:
    final = self.request.retries >= self.max_retries
    try:
        return outbox_send(message_id, final=final)
    except TemporaryFailure as error:
        raise self.retry(countdown=BACKOFF_BASE * 2**self.request.retries, exc=error) from error
