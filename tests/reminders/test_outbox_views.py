"""The outbox page: for every row the unit and the person it was for and why it failed; resend
from the page; each branch sees its own rows only; a constant number of queries."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from federation.models import OrganizationKind, Role
from reminders.models import Delivery, OutboxMessage, OutboxStatus
from reminders.services.digest import digest_send
from reminders.services.dispatch import dispatch
from tests.factories import bulk_units, make_member, make_unit

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def other_province(world):
    """A grassroots union of a second province, and that province's staff."""
    province = make_unit(
        "TH", "Liên đoàn Lao động tỉnh Thanh Hóa", OrganizationKind.PROVINCIAL, world.national
    )
    unit = make_unit("TH-1", "Công đoàn cơ sở Sầm Sơn", OrganizationKind.GRASSROOTS, province)
    staff = make_member(province, Role.STAFF, "staff_th")
    return unit, staff


def test_each_row_shows_the_unit_the_person_and_why_it_failed(world, campaign, client_for):
    world.officer_b.email = ""
    world.officer_b.save()
    world.unit_a.email = "alpha@example.vn"
    world.unit_a.save()
    dispatch(today=D(2030, 3, 24))
    page = client_for(world.staff).get(reverse("reminders:outbox"))
    assert page.status_code == 200
    text = page.content.decode()
    # A: its officer in person and its mailbox.
    assert world.officer_a.get_full_name() in text and "officer_a@example.vn" in text
    assert "Hộp thư của đơn vị" in text and "alpha@example.vn" in text
    # B: its officer has no address.
    assert world.officer_b.get_full_name() in text
    assert "chưa có địa chỉ" in text and "Chưa có địa chỉ email." in text
    # C: nobody.
    assert "Công đoàn cơ sở Gamma Quế" in text and "Không có người nhận" in text
    assert "chưa có cán bộ hay lãnh đạo nào có tài khoản thuộc đơn vị" in text
    assert (
        text.count('data-testid="outbox-resend"')
        == OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()
    )
    failed = client_for(world.staff).get(reverse("reminders:outbox") + "?status=failed")
    rows = failed.context["page_obj"].object_list
    assert rows and all(row.status == OutboxStatus.FAILED for row in rows)


def test_resend_from_the_page_sends_or_says_why_not(world, campaign, client_for):
    world.officer_b.email = ""
    world.officer_b.save()
    dispatch(today=D(2030, 3, 24))
    client = client_for(world.staff)
    row = OutboxMessage.objects.get(user=world.officer_b)
    url = reverse("reminders:outbox-resend", args=[row.pk])
    back = reverse("reminders:outbox") + "?status=failed"
    refused = client.post(url, {"next": back})
    assert refused["Location"] == back
    text = client.get(back).content.decode()
    assert "Chưa gửi được thư:" in text and "chưa có địa chỉ email" in text
    assert mail.outbox == []
    world.officer_b.email = "b.moi@example.vn"
    world.officer_b.save()
    response = client.post(url, {"next": "https://elsewhere.example.com/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reminders:outbox")
    assert "Đã gửi thư đến b.moi@example.vn." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["b.moi@example.vn"]]
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT


def test_a_branch_never_sees_or_resends_another_branchs_rows(
    world, campaign, client_for, other_province
):
    sam_son, staff_th = other_province
    dispatch(today=D(2030, 3, 24))
    ours = OutboxMessage.objects.filter(organization__path__startswith=world.province.path)
    assert ours.exists()
    # A row of the other province's own (an email about its unit, written directly).
    th_row = OutboxMessage.objects.create(
        recipient="sam.son@example.vn",
        subject="Nhắc Sầm Sơn",
        text="t",
        status=OutboxStatus.FAILED,
        organization=sam_son,
    )
    other = client_for(staff_th)
    text = other.get(reverse("reminders:outbox")).content.decode()
    assert "Nhắc Sầm Sơn" in text
    assert "Alpha Đông Á" not in text and "officer_a@example.vn" not in text
    assert list(other.get(reverse("reminders:outbox")).context["page_obj"]) == [th_row]
    mine = ours.filter(status=OutboxStatus.QUEUED).first()
    assert other.post(reverse("reminders:outbox-resend", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.status == OutboxStatus.QUEUED and mine.attempts == 0
    assert mail.outbox == []
    # And the other way round.
    ninh_binh = client_for(world.staff)
    assert "Nhắc Sầm Sơn" not in ninh_binh.get(reverse("reminders:outbox")).content.decode()
    assert ninh_binh.post(reverse("reminders:outbox-resend", args=[th_row.pk])).status_code == 404


def test_officers_and_district_leaders_have_no_outbox(world, campaign, client_for):
    dispatch(today=D(2030, 3, 24))
    row = OutboxMessage.objects.filter(organization=world.unit_a).first()
    for person in (world.officer_a, world.leader):
        client = client_for(person)
        assert client.get(reverse("reminders:outbox")).status_code == 403
        assert client.post(reverse("reminders:outbox-resend", args=[row.pk])).status_code == 403


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(ctx.captured_queries)


# The session, the person, their roles (3), Django's permission reads of the menu and the
# page's own (outbox), then: the outbox's count and page of rows with their unit, person,
# department and delivery, the campaigns whose digest the person sends; the digest list's
# count and page; a digest with its emails; the preview's grouped counts of the digest.
QUERIES = {"outbox": 6, "outbox?status=failed": 6, "digests": 5, "digest": 5, "preview": 16}


def test_the_outbox_and_digest_pages_keep_a_constant_number_of_queries(world, campaign, client_for):
    client = client_for(world.staff)

    def measure():
        dispatch(today=D(2030, 3, 24))
        delivery, _created = digest_send(campaign=campaign, by=world.staff, today=D(2030, 3, 24))
        pages = {
            "outbox": reverse("reminders:outbox"),
            "outbox?status=failed": reverse("reminders:outbox") + "?status=failed",
            "digests": reverse("reminders:digests"),
            "digest": reverse("reminders:digest", args=[delivery.pk]),
            "preview": reverse("reminders:digest-preview", args=[campaign.pk]),
        }
        client.get(pages["outbox"])  # warm up
        counts = {name: _count(client, address) for name, address in pages.items()}
        OutboxMessage.objects.all().delete()
        Delivery.objects.all().delete()
        return counts

    bulk_units("NB-Q", 10, "NB-Q-Y")
    small = measure()
    bulk_units("NB-P", 500, "NB-P-X")
    large = measure()
    assert small == large == QUERIES
