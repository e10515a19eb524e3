"""The receiving department's digest from the outbox: previewed (nothing saved), sent on demand
(once a day), and every digest sent readable afterwards; only the campaign's staff send it."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.models import CampaignStatus
from emulation.audit import audit_history
from federation.models import Membership, OrganizationKind, Role
from reminders.models import Delivery, OutboxMessage, OutboxStatus
from reminders.services.digest import digest_kind, digest_send, weekly_digest
from reminders.services.outbox import outbox_send_now
from tests.factories import make_member, make_unit

D = dt.date
TODAY = D(2030, 3, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def on_the_day():
    with time_machine.travel(dt.datetime(2030, 3, 20, 9, 30, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def other_province(world):
    """A second province with its own staff: outside the first province's branch."""
    province = make_unit(
        "TH", "Liên đoàn Lao động tỉnh Thanh Hóa", OrganizationKind.PROVINCIAL, world.national
    )
    unit = make_unit("TH-1", "Công đoàn cơ sở Thanh Hóa một", OrganizationKind.GRASSROOTS, province)
    staff = make_member(province, Role.STAFF, "staff_th")
    return province, unit, staff


def test_the_digest_is_sent_on_demand_to_the_department_people_and_mailbox(
    world, campaign, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=world.staff).update(department=world.department)
    with django_capture_on_commit_callbacks(execute=True):
        delivery, created = digest_send(
            campaign=campaign, by=world.staff, today=TODAY, send=outbox_send_now
        )
    assert created
    assert delivery.occurrence == "asked:2030-03-20"
    assert digest_kind(delivery.occurrence) == "asked"
    emails = list(OutboxMessage.objects.filter(delivery=delivery).order_by("pk"))
    assert [(e.recipient, e.user, e.status) for e in emails] == [
        ("staff@example.vn", world.staff, OutboxStatus.SENT),
        ("cspl@example.vn", None, OutboxStatus.SENT),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["cspl@example.vn", "staff@example.vn"]
    message = mail.outbox[0]
    assert message.subject.endswith("Tiến độ đến ngày 20/03/2030")
    assert "Liên đoàn Lao động huyện Phượng" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="vi">' in html and "<title>[" in html
    assert delivery.context["asked_by"] == world.staff.get_full_name()
    assert [e.action for e in audit_history(campaign)][0] == "digest-send"


def test_a_second_send_the_same_day_returns_the_first(world, campaign):
    first, created = digest_send(campaign=campaign, by=world.staff, today=TODAY)
    again, created_again = digest_send(campaign=campaign, by=world.staff, today=TODAY)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert OutboxMessage.objects.filter(delivery__rule__isnull=True).count() == 1
    _next_day, created_next = digest_send(
        campaign=campaign, by=world.staff, today=TODAY + dt.timedelta(days=1)
    )
    assert created_next


def test_who_may_send_the_digest(world, campaign):
    for person in (world.officer_a, world.leader):
        with pytest.raises(PermissionDenied):
            digest_send(campaign=campaign, by=person, today=TODAY)
    assert digest_send(campaign=campaign, by=world.admin, today=TODAY)[1]
    assert (
        not Delivery.objects.filter(occurrence__startswith="asked:")
        .exclude(context__asked_by=world.admin.get_full_name())
        .exists()
    )


def test_a_campaign_without_department_or_not_active_is_refused(world, campaign):
    campaign.receiving_department = None
    campaign.save()
    with pytest.raises(ValidationError, match="chưa có ban tiếp nhận"):
        digest_send(campaign=campaign, by=world.staff, today=TODAY)
    campaign.receiving_department = world.department
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    with pytest.raises(ValidationError, match="đang diễn ra"):
        digest_send(campaign=campaign, by=world.staff, today=TODAY)
    assert not Delivery.objects.exists()


def test_the_preview_page_shows_the_digest_and_saves_nothing(
    world, campaign, client_for, on_the_day
):
    response = client_for(world.staff).get(reverse("reminders:digest-preview", args=[campaign.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Xem trước bản tổng hợp" in text
    assert "Gửi Ban Chính sách - Pháp luật" in text
    assert "Liên đoàn Lao động huyện Phượng" in text
    assert "Tiến độ thực hiện" in text and "đến ngày 20/03/2030" in text
    assert 'data-testid="digest-send"' in text
    assert not Delivery.objects.exists() and not OutboxMessage.objects.exists()


def test_sending_from_the_page_then_reading_it_back(
    world, campaign, client_for, on_the_day, django_capture_on_commit_callbacks
):
    client = client_for(world.staff)
    send = reverse("reminders:digest-send", args=[campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send)
    response = client.get(response["Location"])
    delivery = Delivery.objects.get(occurrence="asked:2030-03-20")
    assert response.request["PATH_INFO"] == reverse("reminders:digest", args=[delivery.pk])
    text = response.content.decode()
    assert "Đã gửi bản tổng hợp cho Ban Chính sách - Pháp luật." in text
    assert "gửi theo yêu cầu của" in text
    assert "cspl@example.vn" in text and 'text-bg-success">Đã gửi<' in text
    assert [m.to for m in mail.outbox] == [["cspl@example.vn"]]
    # A second click the same day sends nothing and shows the first.
    again = client.post(send, follow=True).content.decode()
    assert "Bản tổng hợp hôm nay đã được gửi lúc 16:30" in again
    assert len(mail.outbox) == 1
    # It stays readable in the list of digests, with the weekly one.
    weekly_digest(today=D(2030, 3, 25))
    listing = client.get(reverse("reminders:digests")).content.decode()
    assert listing.count('data-testid="digest-row"') == 2
    assert "tổng hợp hằng tuần" in listing and "gửi theo yêu cầu" in listing
    weekly = Delivery.objects.get(occurrence="week:2030-W13")
    page = client.get(reverse("reminders:digest", args=[weekly.pk])).content.decode()
    assert "Tiến độ thực hiện" in page and "tuần 19/03/2030 - 25/03/2030" in page


def test_the_outbox_links_a_digest_row_to_its_page(world, campaign, client_for):
    delivery, _created = digest_send(campaign=campaign, by=world.staff, today=TODAY)
    page = client_for(world.staff).get(reverse("reminders:outbox")).content.decode()
    assert reverse("reminders:digest", args=[delivery.pk]) in page
    assert f'data-testid="digest-preview-{campaign.pk}"' in page


def test_the_digest_pages_refuse_those_who_may_not(world, campaign, client_for, other_province):
    _province, _unit, staff_th = other_province
    delivery, _created = digest_send(campaign=campaign, by=world.staff, today=TODAY)
    preview = reverse("reminders:digest-preview", args=[campaign.pk])
    send = reverse("reminders:digest-send", args=[campaign.pk])
    read = reverse("reminders:digest", args=[delivery.pk])
    # The district's leader sees the campaign but does not configure it: 403.
    leader = client_for(world.leader)
    assert leader.get(preview).status_code == 403
    assert leader.post(send).status_code == 403
    assert leader.get(read).status_code == 403
    # An officer: neither the outbox nor the digest.
    officer = client_for(world.officer_a)
    assert officer.get(read).status_code == 403
    assert officer.get(reverse("reminders:digests")).status_code == 403
    # Another province's staff: the campaign and its digests are not theirs at all.
    other = client_for(staff_th)
    assert other.get(preview).status_code == 404
    assert other.post(send).status_code == 404
    assert other.get(read).status_code == 404
    listing = other.get(reverse("reminders:digests")).content.decode()
    assert 'data-testid="digest-row"' not in listing
    assert (
        f'data-testid="digest-preview-{campaign.pk}"'
        not in other.get(reverse("reminders:outbox")).content.decode()
    )
    assert Delivery.objects.filter(occurrence__startswith="asked:").count() == 1
