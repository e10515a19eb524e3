"""The consolidation pages: the sender's page and its button, what was sent, the review, the
queue of the unit above, the links on the registrations' and reports' pages; who may see and
do what; constant query counts with 10 or 500 units."""

import unicodedata

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consolidations import services
from consolidations.models import Consolidation
from emulation.workflow import ReviewStatus
from federation.models import Organization, OrganizationKind
from federation.services.imports import NewUnit, organizations_bulk_create
from registrations.models import RegisteredTheme, Registration, Target
from registrations.rollups.rebuilding import rebuild
from tests.consolidations.conftest import day
from tests.factories import bulk_units
from tests.reports.conftest import phase

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"consolidations:{name}", args=args)


def text_of(response) -> str:
    return unicodedata.normalize("NFC", response.content.decode())


def sent_by_p(world, campaign):
    return services.consolidation_send(
        campaign=campaign, organization=world.district, by=world.leader, today=day(campaign)
    )


# ---------------------------------------------------------------------------------------------
# The unit that sends.


def test_the_district_sends_from_its_page(world, campaign, registration, client_for, time_machine):
    time_machine.move_to(day(campaign), tick=False)
    registration(world.unit_a, "approved")
    client = client_for(world.leader)
    page = url("unit", campaign.pk, world.district.pk)
    body = text_of(client.get(page))
    assert "Chưa gửi lên" in body
    assert "1 đơn vị cấp dưới có bản đăng ký đã duyệt" in body
    assert 'data-testid="sendup-send"' in body
    assert "Gửi lên Liên đoàn Lao động tỉnh Ninh Bình để duyệt." in body
    # Phase 2 has not opened on 15 May: no button, the reason instead.
    assert f"Báo cáo Đợt 2 mở từ ngày 01/07/{campaign.year}" in body

    # A post that does not say which version it showed is refused, nothing sent.
    response = client.post(url("send", campaign.pk, world.district.pk), {}, follow=True)
    assert "Trang không cho biết phiên bản đã hiển thị" in text_of(response)
    assert not Consolidation.objects.exists()
    response = client.post(url("send", campaign.pk, world.district.pk), {"version": "²"})
    assert response.status_code == 302 and not Consolidation.objects.exists()
    response = client.post(url("send", campaign.pk, world.district.pk), {"version": 1})
    assert response.status_code == 302 and response["Location"] == page
    sent = Consolidation.objects.get(organization=world.district, phase=None)
    assert sent.status == ReviewStatus.SUBMITTED and sent.submitted_by == world.leader
    body = text_of(client.get(page))
    assert "Đã gửi lên, chờ duyệt" in body
    assert "lần 1: tính 1 đơn vị cấp dưới" in body

    # Sent twice: refused, said at the top of the page.
    response = client.post(
        url("send", campaign.pk, world.district.pk), {"version": sent.version}, follow=True
    )
    assert "đang chờ duyệt: không thể gửi hai lần" in text_of(response)
    # A phase that is not a number is a bad request; a phase of another campaign, or a
    # made-up one: nothing to send.
    for junk in ("x", "²", str(2**70)):
        assert (
            client.post(url("send", campaign.pk, world.district.pk), {"phase": junk}).status_code
            == 400
        )
    assert (
        client.post(url("send", campaign.pk, world.district.pk), {"phase": "999999"}).status_code
        == 404
    )


def test_nothing_approved_below_says_so_on_the_page_and_on_sending(
    world, campaign, registration, client_for
):
    registration(world.unit_a, "submitted")
    client = client_for(world.leader)
    body = text_of(client.get(url("unit", campaign.pk, world.district.pk)))
    assert "Chưa có bản đăng ký nào của các đơn vị cấp dưới được duyệt" in body
    # The button is not offered; a post anyway is refused by the service.
    response = client.post(url("send", campaign.pk, world.district.pk), {"version": 1}, follow=True)
    assert "Chưa có bản đăng ký nào của các đơn vị cấp dưới được duyệt" in text_of(response)
    assert not Consolidation.objects.exists()


def test_who_may_send_and_see_the_sender_page(world, campaign, registration, client_for, leader_q):
    registration(world.unit_a, "approved")
    page = url("unit", campaign.pk, world.district.pk)
    send = url("send", campaign.pk, world.district.pk)
    # The province's staff read it but do not send in the district's name.
    response = client_for(world.staff).get(page)
    assert response.status_code == 200 and 'data-testid="sendup-send"' not in text_of(response)
    assert client_for(world.staff).post(send).status_code == 403
    # Units below the district and a district outside the branch see nothing of it.
    for person in (world.officer_a, world.officer_b, leader_q):
        assert client_for(person).get(page).status_code == 404
        assert client_for(person).post(send).status_code == 404
    assert not Consolidation.objects.exists()


# ---------------------------------------------------------------------------------------------
# The unit above.


def test_the_province_returns_then_approves(world, campaign, registration, client_for):
    registration(world.unit_a, "approved")
    sent = sent_by_p(world, campaign)
    detail = url("detail", sent.pk)
    staff = client_for(world.staff)

    body = text_of(staff.get(detail))
    assert 'data-testid="review-panel"' in body and "Chờ duyệt" in body
    assert "Công đoàn cơ sở Alpha Đông Á" in body  # the units counted
    # The return page, a reason refused when empty, then the return.
    assert staff.get(url("return", sent.pk)).status_code == 200
    response = staff.post(url("return", sent.pk), {"comment": "", "version": sent.version})
    assert response.status_code == 200 and "is-invalid" in text_of(response)
    response = staff.post(
        url("return", sent.pk), {"comment": "Thiếu CĐCS Bêta.", "version": sent.version}
    )
    assert response.status_code == 302 and response["Location"] == detail
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.RETURNED

    # The district sees the reason and sends again from the page of what was sent.
    leader = client_for(world.leader)
    body = text_of(leader.get(detail))
    assert "Bị trả lại" in body and "Thiếu CĐCS Bêta." in body
    assert 'data-testid="send-panel"' in body and 'data-testid="review-panel"' not in body
    response = leader.post(
        url("send", campaign.pk, world.district.pk),
        {"version": sent.version, "next": detail},
    )
    assert response["Location"] == detail
    sent.refresh_from_db()
    assert (sent.status, sent.sendings) == (ReviewStatus.SUBMITTED, 2)

    # The district's leader does not approve its own; the province does.
    assert leader.post(url("approve", sent.pk), {"version": sent.version}).status_code == 403
    staff = client_for(world.staff)  # the one test client, signed in as the staff again
    response = staff.post(url("approve", sent.pk), {"version": sent.version})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.APPROVED
    body = text_of(client_for(world.leader).get(url("unit", campaign.pk, world.district.pk)))
    assert "Đã duyệt" in body
    # The history: two sendings with their figures, the return with its reason, the approval.
    history = client_for(world.staff).get(url("history", sent.pk))
    entries = list(history.context["entries"])
    assert [e.action for e in entries] == ["approve", "submit", "return", "submit"]
    body = text_of(history)
    assert "Thiếu CĐCS Bêta." in body and "Lần gửi" in body


def test_the_queue_of_the_unit_above(world, campaign, registration, report, client_for):
    registration(world.unit_a, "approved")
    sent_by_p(world, campaign)
    staff = client_for(world.staff)
    response = staff.get(url("queue", campaign.pk, world.province.pk))
    body = text_of(response)
    assert response.status_code == 200
    # Both districts are upper units; P's registrations await review, Q sent nothing.
    rows = response.context["queue"].rows
    assert [row.code for row in rows] == ["NB-P", "NB-Q"]
    assert [cell.status for cell in rows[0].cells] == ["submitted", "none", "none"]
    assert [cell.can_review for cell in rows[0].cells] == [True, False, False]
    assert "Chờ duyệt (1)" in body
    waiting = staff.get(url("queue", campaign.pk, world.province.pk) + "?waiting=1")
    assert [row.code for row in waiting.context["queue"].rows] == ["NB-P"]
    # The registrations' queue of the province links to it with the number waiting; the
    # district's consolidation page says where its own stands.
    body = text_of(staff.get(reverse("registrations:queue", args=[campaign.pk, world.province.pk])))
    assert 'data-testid="sendup-queue-link"' in body and "1 bản chờ duyệt" in body
    body = text_of(
        client_for(world.leader).get(
            reverse("registrations:summary", args=[campaign.pk, world.district.pk])
        )
    )
    assert 'data-testid="sendup-link"' in body and "Đã gửi lên, chờ duyệt" in body
    # The reports' queue of phase 1: no summary sent yet for it.
    first = phase(campaign, 1)
    staff = client_for(world.staff)
    body = text_of(
        staff.get(reverse("reports:queue", args=[campaign.pk, first.pk, world.province.pk]))
    )
    assert "không có bản nào chờ duyệt" in body
    # A district's queue lists no upper unit (its units below are grassroots): no link to
    # a queue there, but the state of its own consolidation, a link to send it.
    body = text_of(
        client_for(world.leader).get(
            reverse("registrations:queue", args=[campaign.pk, world.district.pk])
        )
    )
    assert 'data-testid="sendup-queue-link"' not in body
    assert 'data-testid="sendup-link"' in body and "Đã gửi lên, chờ duyệt" in body
    # A grassroots union has nothing to send: its page says so.
    registration_page = url("unit", campaign.pk, world.unit_a.pk)
    body = text_of(client_for(world.officer_a).get(registration_page))
    assert 'data-testid="nothing-below"' in body and 'data-testid="sendup-send"' not in body


def test_out_of_branch_people_neither_see_nor_act(
    world, campaign, registration, client_for, leader_q
):
    registration(world.unit_a, "approved")
    sent = sent_by_p(world, campaign)
    for person in (world.officer_a, world.officer_b, leader_q):
        client = client_for(person)
        for address in (url("detail", sent.pk), url("history", sent.pk), url("return", sent.pk)):
            assert client.get(address).status_code == 404, (person, address)
        assert client.post(url("approve", sent.pk), {"version": sent.version}).status_code == 404
        assert client.get(url("queue", campaign.pk, world.province.pk)).status_code == 404
    # The district's leader reads its own, not the province's queue.
    assert client_for(world.leader).get(url("detail", sent.pk)).status_code == 200
    assert (
        client_for(world.leader).get(url("queue", campaign.pk, world.province.pk)).status_code
        == 404
    )
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.SUBMITTED


def test_a_phase_summary_is_sent_and_shown(world, campaign, report, client_for):
    report(world.unit_a, "approved", indicators=(3, 1500000, 1, 100, 2))
    first = phase(campaign, 1)
    client = client_for(world.leader)
    response = client.post(
        url("send", campaign.pk, world.district.pk), {"phase": first.pk, "version": 1}
    )
    assert response.status_code == 302
    sent = Consolidation.objects.get(phase=first)
    body = text_of(client_for(world.staff).get(url("detail", sent.pk)))
    assert "Báo cáo tổng hợp Đợt 1" in body
    assert "1.500.000" in body
    # The district's roll-up of the phase says its summary was sent.
    body = text_of(
        client.get(reverse("reports:rollup", args=[campaign.pk, first.pk, world.district.pk]))
    )
    assert "Báo cáo tổng hợp Đợt 1 gửi lên cấp trên" in body and "Đã gửi lên, chờ duyệt" in body


# ---------------------------------------------------------------------------------------------
# Constant query counts: 10 or 500 units.


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(ctx.captured_queries)


def _approve_all(campaign, units, theme):
    """Approved registrations for ``units``, written directly (fast), and the counters."""
    registrations = Registration.objects.bulk_create(
        Registration(campaign=campaign, organization=unit, status=ReviewStatus.APPROVED)
        for unit in units
    )
    chosen = RegisteredTheme.objects.bulk_create(
        RegisteredTheme(registration=r, theme=theme, commitment="x") for r in registrations
    )
    Target.objects.bulk_create(
        Target(registered_theme=rt, name="Sáng kiến", unit="sáng kiến", value=3, key="sang kien|")
        for rt in chosen
    )
    rebuild(campaign)


def _upper_units(parent_code: str, count: int, prefix: str) -> list[Organization]:
    """``count`` upper units below ``parent_code``, each with one grassroots union below it."""
    rows = []
    for i in range(count):
        code = f"{prefix}{i:04d}"
        rows.append(NewUnit(code, f"Công đoàn cấp trên {prefix} {i}", "upper", parent_code))
        rows.append(NewUnit(f"{code}-1", f"CĐCS {prefix} {i}", "grassroots", code))
    organizations_bulk_create(rows)
    return list(Organization.objects.filter(code__startswith=prefix, kind=OrganizationKind.UPPER))


def test_the_pages_keep_a_constant_number_of_queries(world, campaign, leader_q):
    theme = campaign.themes.order_by("number").first()
    bulk_units("NB-P", 10, "NB-P-X")
    bulk_units("NB-Q", 500, "NB-Q-Y")
    _approve_all(campaign, Organization.objects.filter(code__startswith="NB-P-X"), theme)
    _approve_all(campaign, Organization.objects.filter(code__startswith="NB-Q-Y"), theme)
    today = day(campaign)
    small_sent = services.consolidation_send(
        campaign=campaign, organization=world.district, by=world.leader, today=today
    )
    large_sent = services.consolidation_send(
        campaign=campaign, organization=world.district_q, by=leader_q, today=today
    )
    assert (small_sent.counted_units, large_sent.counted_units) == (10, 500)

    def pages(unit, sent):
        return {
            "unit": url("unit", campaign.pk, unit.pk),
            "detail": url("detail", sent.pk),
            "detail?page=2": url("detail", sent.pk) + "?page=2",
            "history": url("history", sent.pk),
        }

    small_client = _client(world.leader)
    small_client.get(url("unit", campaign.pk, world.district.pk))  # warm up
    small = {k: _count(small_client, v) for k, v in pages(world.district, small_sent).items()}
    large_client = _client(leader_q)
    large = {k: _count(large_client, v) for k, v in pages(world.district_q, large_sent).items()}
    assert small == large
    # The session, the person, the campaign, the person's roles, the unit, the units above and
    # Django's two permission reads of base.html's menu (8), and: the phases and their
    # reporting days, the unit's consolidations, the counters of what is approved below
    # (registrations, reports, the unit's own reports), the unit above (7).
    assert small["unit"] == 15
    # What was sent is read from its row with its campaign and unit: no figure is computed
    # again, whatever its size (the session, the person, the roles, the row, the unit above,
    # the units above and base.html's two).
    assert small["detail"] == small["history"] == 8
    # The units counted are shown 100 at a time: 500 on five pages.
    response = large_client.get(url("detail", large_sent.pk) + "?page=5")
    assert response.content.decode().count('data-testid="counted-unit"') == 100

    # The queue of the unit above: 10 upper units below district P, 500 below district Q.
    _upper_units("NB-P", 10, "UP-P")
    _upper_units("NB-Q", 500, "UP-Q")
    for parent in (world.district, world.district_q):
        uppers = Organization.objects.filter(
            code__startswith="UP-P" if parent == world.district else "UP-Q",
            kind=OrganizationKind.UPPER,
        )
        Consolidation.objects.bulk_create(
            Consolidation(
                campaign=campaign,
                organization=unit,
                status=[ReviewStatus.SUBMITTED, ReviewStatus.RETURNED, ReviewStatus.APPROVED][
                    i % 3
                ],
                sendings=1,
            )
            for i, unit in enumerate(uppers)
        )
    queue_pages = {
        "queue": lambda unit: url("queue", campaign.pk, unit.pk),
        "queue?waiting": lambda unit: url("queue", campaign.pk, unit.pk) + "?waiting=1",
        "queue?page=2": lambda unit: url("queue", campaign.pk, unit.pk) + "?page=2",
    }
    small = {k: _count(small_client, page(world.district)) for k, page in queue_pages.items()}
    large = {k: _count(large_client, page(world.district_q)) for k, page in queue_pages.items()}
    assert small == large
    # The eight of every page, and: the phases and their reporting days, the counts per state,
    # the number of upper units below, the page of them, their consolidations (6); one more
    # to count those awaiting review when only they are shown.
    assert small == {"queue": 14, "queue?waiting": 15, "queue?page=2": 14}
    queue = large_client.get(url("queue", campaign.pk, world.district_q.pk)).context["queue"]
    assert queue.page.paginator.count == 500 and len(queue.rows) == 50
    registrations = queue.columns[0]
    assert (registrations.waiting, registrations.counts["approved"]) == (167, 166)
    # The registrations' queue of the district links to it: one query more, whatever the size.
    registration_queue = reverse("registrations:queue", args=[campaign.pk, world.district_q.pk])
    body = large_client.get(registration_queue).content.decode()
    assert "167 bản chờ duyệt" in unicodedata.normalize("NFC", body)


def test_the_pages_speak_vietnamese(world, campaign, registration, report, client_for):
    from tests.i18n import english_texts

    registration(world.unit_a, "approved")
    report(world.unit_b, "approved")
    sent = sent_by_p(world, campaign)
    first = phase(campaign, 1)
    summary = services.consolidation_send(
        campaign=campaign,
        organization=world.district,
        by=world.leader,
        phase=first,
        today=day(campaign),
    )
    services.consolidation_return(summary, by=world.staff, comment="Bổ sung.")
    pages = {
        world.leader: [
            url("unit", campaign.pk, world.district.pk),
            url("detail", sent.pk),
            url("detail", summary.pk),
            url("history", summary.pk),
        ],
        world.staff: [
            url("queue", campaign.pk, world.province.pk),
            url("detail", sent.pk),
            url("return", sent.pk),
            reverse("registrations:queue", args=[campaign.pk, world.province.pk]),
        ],
    }
    for person, addresses in pages.items():
        client = client_for(person)
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, address
            assert english_texts(text_of(response)) == [], address
