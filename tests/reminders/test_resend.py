"""Resend really sends, at once, to the address the person or mailbox has today; or it says
why it cannot (and sends nothing)."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from reminders.models import OutboxMessage, OutboxStatus
from reminders.services.dispatch import dispatch
from reminders.services.notifications import preference_set
from reminders.services.outbox import outbox_resend, outbox_send

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def dispatched(world, campaign):
    dispatch(today=D(2030, 3, 24))


def test_a_person_who_now_has_an_address_gets_it(world, campaign):
    world.officer_a.email = ""
    world.officer_a.save()
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(user=world.officer_a)
    assert row.status == OutboxStatus.FAILED
    world.officer_a.email = "a.moi@example.vn"
    world.officer_a.save()
    outcome = outbox_resend(row)
    assert outcome.sent and outcome.reason == ""
    row.refresh_from_db()
    assert (row.status, row.recipient, row.last_error) == (
        OutboxStatus.SENT,
        "a.moi@example.vn",
        "",
    )
    assert row.sent_at is not None
    [sent] = mail.outbox
    assert sent.to == ["a.moi@example.vn"]
    assert "Còn 7 ngày" in sent.subject
    html = sent.alternatives[0][0]
    assert '<html lang="vi">' in html
    assert f"<title>{row.subject}</title>" in html


def test_a_person_still_without_an_address_is_refused_with_the_reason(world, campaign):
    world.officer_a.email = ""
    world.officer_a.save()
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(user=world.officer_a)
    outcome = outbox_resend(row)
    assert not outcome.sent
    name = world.officer_a.get_full_name()
    assert outcome.reason == (
        f"{name} chưa có địa chỉ email: hãy ghi địa chỉ vào hồ sơ của người này trước."
    )
    row.refresh_from_db()
    assert (row.status, row.last_error) == (OutboxStatus.FAILED, outcome.reason)
    assert mail.outbox == []


def test_a_person_who_opted_out_since_is_not_written_to(world, campaign):
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(user=world.officer_a)
    preference_set(user=world.officer_a, email_enabled=False)
    outcome = outbox_resend(row)
    assert not outcome.sent
    assert outcome.reason == f"{world.officer_a.get_full_name()} đã tắt nhận email nhắc nhở."
    assert mail.outbox == []


def test_a_deactivated_person_is_not_written_to(world, campaign):
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(user=world.officer_a)
    world.officer_a.is_active = False
    world.officer_a.save()
    outcome = outbox_resend(row)
    assert not outcome.sent and "đã bị khóa" in outcome.reason
    assert mail.outbox == []


def test_a_sent_email_is_not_sent_twice(world, campaign):
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(user=world.officer_a)
    assert outbox_send(row.pk) == OutboxStatus.SENT
    outcome = outbox_resend(row)
    assert not outcome.sent and outcome.reason.startswith("Thư này đã được gửi lúc ")
    assert len(mail.outbox) == 1


def test_a_unit_that_had_nobody_is_written_to_once_it_has_a_mailbox(world, campaign):
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(delivery__organization=world.unit_c)
    refused = outbox_resend(row)
    assert not refused.sent
    assert refused.reason == (
        "Công đoàn cơ sở Gamma Quế chưa có địa chỉ email: hãy ghi địa chỉ trên trang của đơn "
        "vị, hoặc giao cho đơn vị một cán bộ hay lãnh đạo có địa chỉ email."
    )
    world.unit_c.email = "gamma@example.vn"
    world.unit_c.save()
    outcome = outbox_resend(row)
    assert outcome.sent
    assert mail.outbox[0].to == ["gamma@example.vn"]


def test_a_department_mailbox_row_uses_the_mailbox_of_today(world, campaign):
    world.department.email = ""
    world.department.save()
    dispatch(today=D(2030, 4, 1))
    row = OutboxMessage.objects.get(department=world.department)
    refused = outbox_resend(row)
    assert not refused.sent and "chưa có hộp thư" in refused.reason
    world.department.email = "ban.cspl@example.vn"
    world.department.save()
    assert outbox_resend(row).sent
    assert mail.outbox[0].to == ["ban.cspl@example.vn"]


def test_the_mail_servers_refusal_is_the_reason(world, campaign, monkeypatch):
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(user=world.officer_a)

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"officer_a@example.vn": (550, b"no such user")})

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    outcome = outbox_resend(row)
    assert not outcome.sent
    assert "550" in outcome.reason and "no such user" in outcome.reason
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.attempts == 1


def test_a_temporary_error_on_resend_is_reported_not_retried_in_the_page(
    world, campaign, monkeypatch
):
    dispatched(world, campaign)
    row = OutboxMessage.objects.get(user=world.officer_a)

    def later(self, fail_silently=False):
        raise smtplib.SMTPResponseException(421, b"try later")

    monkeypatch.setattr(EmailMultiAlternatives, "send", later)
    outcome = outbox_resend(row)
    assert not outcome.sent and "421" in outcome.reason
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
