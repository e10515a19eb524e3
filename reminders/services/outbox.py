"""The outbox: every email is a row before it leaves; a Celery task sends it, with retries on
temporary errors, and nothing that fails is dropped."""

import datetime as dt
import logging
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from reminders.models import OutboxMessage, OutboxStatus
from reminders.services import limits

log = logging.getLogger(__name__)

TEMPORARY_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    socket.timeout,
    TimeoutError,
    ConnectionError,
)


def is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    return isinstance(error, TEMPORARY_ERRORS)


class TemporaryFailure(Exception):
    """A send failed for a reason that may pass; the task retries it later."""


def outbox_send(message_id: int, *, final: bool = False) -> str:
    """Send one outbox message unless it was sent already; returns its status.

    Raises :class:`TemporaryFailure` on a temporary SMTP error (the row goes back to queued
    with the error, to be retried), unless ``final``: then it is marked failed. A permanent
    error marks it failed at once. Nothing is dropped: every failure stays in the outbox.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status in (OutboxStatus.SENT, OutboxStatus.FAILED):
            return message.status if message else "missing"
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    email = EmailMultiAlternatives(
        message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [message.recipient]
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded
        temporary = is_temporary(error) and not final and message.attempts < limits.MAX_ATTEMPTS
        message.status = OutboxStatus.QUEUED if temporary else OutboxStatus.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["status", "last_error", "updated_at"])
        log.warning("outbox %s: %s", message.pk, message.last_error)
        if temporary:
            raise TemporaryFailure(message.last_error) from error
        return message.status
    message.status = OutboxStatus.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "sent_at", "last_error", "updated_at"])
    return message.status


def outbox_resend(message: OutboxMessage) -> OutboxMessage:
    """Put a failed (or stuck) message back in the queue."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != OutboxStatus.SENT:
            message.status = OutboxStatus.QUEUED
            message.save(update_fields=["status", "updated_at"])
    return message


def stale_sending(minutes: int = 30) -> list[int]:
    """Messages left "sending" by a worker that died: queued again."""
    limit = timezone.now() - dt.timedelta(minutes=minutes)
    stale = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, updated_at__lt=limit)
    ids = list(stale.values_list("pk", flat=True))
    stale.update(status=OutboxStatus.QUEUED)
    return ids


def waiting_queued(minutes: int = 30) -> list[int]:
    """Messages queued for a while (their task was lost, or the broker was down)."""
    limit = timezone.now() - dt.timedelta(minutes=minutes)
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, updated_at__lt=limit).values_list(
            "pk", flat=True
        )
    )
