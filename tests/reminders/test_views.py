"""The rules page: bad input refused with clear Vietnamese messages, preview, notifications."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from reminders.models import Notification, OutboxMessage, OutboxStatus, ReminderRule
from reminders.services.dispatch import dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def form_data(**extra):
    data = {
        "event": "registration_deadline",
        "offset_days": "-3",
        "audience": "not_submitted",
        "channel": "both",
        "subject": "Nhắc {unit}",
        "body": "Hạn {deadline}, còn {days_left} ngày: {link}",
        "is_active": "on",
    }
    data.update(extra)
    return data


def test_offset_beyond_a_year_and_unknown_placeholder(world, campaign, client_for):
    client = client_for(world.staff)
    url = reverse("reminders:rule-add", args=[campaign.pk])
    response = client.post(url, form_data(offset_days="400", body="Xin chào {donvi}"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "trong vòng một năm" in text
    assert "Biến không hợp lệ: {donvi}" in text
    assert not ReminderRule.objects.filter(offset_days=400).exists()


def test_preview_lists_recipients_and_warns_when_nobody(world, campaign, client_for):
    client = client_for(world.staff)
    url = reverse("reminders:rule-add", args=[campaign.pk])
    response = client.post(url, {**form_data(), "preview": "1"})
    text = response.content.decode()
    assert 'data-testid="preview-recipients"' in text
    assert "Công đoàn cơ sở Alpha Đông Á" in text
    campaign.receiving_department = None
    campaign.save()
    response = client.post(url, {**form_data(audience="department"), "preview": "1"})
    assert "Không có đối tượng nhận" in response.content.decode()
    assert ReminderRule.objects.filter(offset_days=-3).count() == 0  # a preview saves nothing


def test_save_and_officers_cannot_edit(world, campaign, client_for):
    url = reverse("reminders:rule-add", args=[campaign.pk])
    assert client_for(world.officer_a).post(url, form_data()).status_code == 403
    response = client_for(world.staff).post(url, form_data())
    assert response.status_code == 302
    assert ReminderRule.objects.filter(campaign=campaign, offset_days=-3).exists()


def test_notifications_badge_and_read(world, campaign, client_for):
    dispatch(today=dt.date(2030, 3, 24))
    client = client_for(world.officer_a)
    assert 'text-bg-danger">1<' in client.get(reverse("reminders:badge")).content.decode()
    page = client.get(reverse("reminders:notifications")).content.decode()
    assert "Còn 7 ngày đến hạn đăng ký thi đua" in page
    client.post(reverse("reminders:notifications-read"))
    assert not Notification.objects.filter(user=world.officer_a, read_at__isnull=True).exists()


def test_badge_signed_out_is_empty_and_sets_no_cookie(client):
    # The navbar asks for the badge after every page; if the session has ended meanwhile the
    # answer is empty, not the login page (htmx would put it in the navbar, and its new CSRF
    # cookie would break a login form open in another tab).
    response = client.get(reverse("reminders:badge"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content == b""
    assert "csrftoken" not in response.cookies
    assert "sessionid" not in response.cookies


def test_outbox_resend_sends_a_failure_again(world, client_for):
    message = OutboxMessage.objects.create(
        recipient="x@example.vn", subject="s", text="t", status=OutboxStatus.FAILED
    )
    # An email that belongs to no campaign (an invitation, say) is for administrators only:
    # provincial staff see the emails of their own branch's campaigns, never another province's.
    client = client_for(world.staff)
    assert "x@example.vn" not in client.get(reverse("reminders:outbox")).content.decode()
    assert client.post(reverse("reminders:outbox-resend", args=[message.pk])).status_code == 404
    client = client_for(world.admin)
    assert "x@example.vn" in client.get(reverse("reminders:outbox")).content.decode()
    client.post(reverse("reminders:outbox-resend", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
