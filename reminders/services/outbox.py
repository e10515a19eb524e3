"""The outbox: every email is a row before it leaves; a Celery task sends it, with retries on
temporary errors, and nothing that fails is dropped."""

import datetime as dt
import logging
import smtplib
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reminders.models import OutboxMessage, OutboxStatus
from reminders.services import limits
from reminders.services.rendering import address_error

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


@dataclass
class ResendOutcome:
    """What a resend did: sent, or why not (the message as it now stands)."""

    message: OutboxMessage
    sent: bool
    reason: str = ""


def current_address(message: OutboxMessage) -> tuple[str, str]:
    """The address ``message`` should go to today, and why it cannot ("" when it can): the
    person's own address (unless they are gone or turned reminder emails off), else the
    mailbox of the department or of the unit it was for, else the address it was written to."""
    person = message.user
    if person is not None:
        name = person.get_full_name()
        if not person.is_active:
            return "", _("The account of %(person)s is deactivated.") % {"person": name}
        preference = getattr(person, "reminder_preference", None)
        if preference is not None and not preference.email_enabled:
            return "", _("%(person)s has turned reminder emails off.") % {"person": name}
        if not person.email:
            return "", _("%(person)s has no email address: record it on their profile first.") % {
                "person": name
            }
        return person.email, address_error(person.email)
    if message.department is not None:
        if not message.department.email:
            return "", _(
                "The department %(department)s has no mailbox: record one first, or add "
                "people to the department."
            ) % {"department": message.department.name}
        return message.department.email, address_error(message.department.email)
    if message.organization is not None and message.delivery_id is not None:
        unit = message.organization
        if not unit.email:
            return "", _(
                "%(unit)s has no email address: record one on the unit's page, or give the "
                "unit an officer or leader who has one."
            ) % {"unit": unit.name}
        return unit.email, address_error(unit.email)
    return message.recipient, address_error(message.recipient)


def outbox_resend(message: OutboxMessage) -> ResendOutcome:
    """Send a message that has not gone, now, to the address its person or mailbox has today
    (an address recorded since it failed is used), or say why it cannot: it was sent already,
    there is still no valid address, the person turned reminder emails off, or the mail server
    refused it (then the server's answer)."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("user__reminder_preference", "department", "organization")
            .get(pk=message.pk)
        )
        if message.status == OutboxStatus.SENT:
            return ResendOutcome(
                message,
                False,
                _("This email was already sent on %(date)s.")
                % {"date": formats.date_format(timezone.localtime(message.sent_at), "d/m/Y H:i")},
            )
        address, reason = current_address(message)
        if reason:
            message.status = OutboxStatus.FAILED
            message.last_error = reason
            message.save(update_fields=["status", "last_error", "updated_at"])
            return ResendOutcome(message, False, reason)
        message.recipient = address[:254]
        message.status = OutboxStatus.QUEUED
        message.save(update_fields=["recipient", "status", "updated_at"])
    status = outbox_send(message.pk, final=True)
    message.refresh_from_db()
    if status == OutboxStatus.SENT:
        return ResendOutcome(message, True)
    return ResendOutcome(message, False, message.last_error)


def outbox_send_now(ids: list[int], *, retry=None) -> list[str]:
    """Send the messages at once (a page that asked for them, the command); a temporary
    failure is handed to ``retry`` (the Celery task's backoff) when given, else marked
    failed. Returns their statuses."""
    statuses = []
    for message_id in ids:
        try:
            statuses.append(outbox_send(message_id, final=retry is None))
        except TemporaryFailure:
            statuses.append(OutboxStatus.QUEUED)
            retry([message_id])
    return statuses


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
