"""The registration pages: the officer's form, the reviewer's queue and its bulk approval, the
consolidation and its exports, the documents, the history; constant query counts."""

import io
import subprocess
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from emulation.workflow import ReviewStatus
from federation.models import Organization, Role
from registrations import services
from registrations.models import (
    RegisteredTheme,
    Registration,
    Target,
)
from registrations.rollups.rebuilding import rebuild
from tests.factories import bulk_units, make_member
from tests.i18n import english_texts
from tests.registrations.conftest import registration_data

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"registrations:{name}", args=args)


def text_of(response) -> str:
    return unicodedata.normalize("NFC", response.content.decode())


def pdf_text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(unicodedata.normalize("NFC", out.stdout.decode()).split())


def form_post(campaign, themes, *, targets=None, version=None, action="save", extra=None):
    """What the browser posts: ``themes`` are theme objects (or raw values)."""
    data = {"action": action}
    if version is not None:
        data["version"] = str(version)
    data["themes"] = [getattr(t, "pk", t) for t in themes]
    for theme in themes:
        pk = getattr(theme, "pk", theme)
        data[f"theme-{pk}-commitment"] = "Phấn đấu vượt kế hoạch."
        for row, (name, value, unit) in enumerate(
            (targets or {}).get(pk, [("Sáng kiến", "5", "sáng kiến")])
        ):
            data[f"theme-{pk}-target-{row}-name"] = name
            data[f"theme-{pk}-target-{row}-value"] = value
            data[f"theme-{pk}-target-{row}-unit"] = unit
    data.update(extra or {})
    return data


# ---------------------------------------------------------------------------------------------
# The officer.


def test_officer_registers_saves_and_submits(world, campaign, client_for):
    client = client_for(world.officer_a)
    page = url("unit", campaign.pk, world.unit_a.pk)
    body = text_of(client.get(page))
    assert "Not registered" in body or "Chưa đăng ký" in body
    form_url = url("form", campaign.pk, world.unit_a.pk)
    assert client.get(form_url).status_code == 200
    t1, t2, _t3 = campaign.themes.order_by("number")

    # One theme only: the draft is saved, the submission says what is missing.
    response = client.post(form_url, form_post(campaign, [t1], action="submit"))
    assert response.status_code == 200
    registration = Registration.objects.get(organization=world.unit_a)
    assert registration.status == ReviewStatus.DRAFT
    assert 'data-testid="missing"' in text_of(response)

    response = client.post(
        form_url,
        form_post(
            campaign,
            [t1, t2],
            targets={t1.pk: [("Sáng kiến", "1.500", "sáng kiến")]},
            version=registration.version,
            action="submit",
        ),
    )
    assert response.status_code == 302 and response["Location"] == page
    registration.refresh_from_db()
    assert registration.status == ReviewStatus.SUBMITTED
    assert Target.objects.get(registered_theme__theme=t1).value == 1500
    # The form of a submitted registration sends the officer back to its page.
    assert client.get(form_url)["Location"] == page


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(world, campaign, client_for):
    client = client_for(world.officer_a)
    form_url = url("form", campaign.pk, world.unit_a.pk)
    t1, t2, _t3 = campaign.themes.order_by("number")
    response = client.post(
        form_url, form_post(campaign, [t1, t2], targets={t2.pk: [("Học viên", "-4", "người")]})
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "cannot be negative" in body or "không được âm" in body
    assert f'name="theme-{t2.pk}-target-0-value"' in body and "is-invalid" in body
    assert not Registration.objects.exists()

    # A theme of no campaign, and one repeated: refused by the service, said at the top.
    response = client.post(form_url, form_post(campaign, [t1, t1, 999999]))
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in text_of(response)
    assert not Registration.objects.exists()


def test_the_returned_comment_is_on_the_form(world, campaign, make_registration, client_for):
    make_registration("returned")
    body = text_of(client_for(world.officer_a).get(url("form", campaign.pk, world.unit_a.pk)))
    assert "Bổ sung chỉ tiêu." in body


def test_a_stale_form_is_refused_on_the_page(world, campaign, make_registration, client_for):
    registration = make_registration("draft")
    client = client_for(world.officer_a)
    form_url = url("form", campaign.pk, world.unit_a.pk)
    t1, t2, t3 = campaign.themes.order_by("number")
    old = registration.version
    assert client.post(form_url, form_post(campaign, [t1, t2, t3], version=old)).status_code == 302
    response = client.post(form_url, form_post(campaign, [t1], version=old))
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in text_of(response)
    assert Registration.objects.get().themes.count() == 3


# ---------------------------------------------------------------------------------------------
# The reviewer.


def test_reviewer_returns_then_approves(world, campaign, make_registration, client_for):
    registration = make_registration("submitted")
    client = client_for(world.leader)
    page = url("unit", campaign.pk, world.unit_a.pk)
    assert 'data-testid="review-panel"' in text_of(client.get(page))
    # No comment: the page says so, nothing changes.
    response = client.post(
        url("return", registration.pk), {"comment": " ", "version": registration.version}
    )
    assert response.status_code == 200 and "is-invalid" in text_of(response)
    assert Registration.objects.get().status == ReviewStatus.SUBMITTED
    response = client.post(
        url("return", registration.pk),
        {"comment": "Thiếu chỉ tiêu.", "version": registration.version, "next": page},
    )
    assert response.status_code == 302
    assert Registration.objects.get().status == ReviewStatus.RETURNED
    # Approving from the old page: already handled, said as a message.
    response = client.post(
        url("approve", registration.pk), {"version": registration.version}, follow=True
    )
    assert Registration.objects.get().status == ReviewStatus.RETURNED
    messages = [str(m) for m in response.context["messages"]]
    assert any("already handled" in m or "đã được" in m for m in messages)


def test_the_sibling_and_the_officer_may_not_review(world, campaign, make_registration, client_for):
    registration = make_registration("submitted")
    assert client_for(world.officer_b).post(url("approve", registration.pk)).status_code == 404
    assert client_for(world.officer_a).post(url("approve", registration.pk)).status_code == 403
    assert Registration.objects.get().status == ReviewStatus.SUBMITTED


def test_queue_filters_and_search(world, campaign, make_registration, client_for):
    make_registration("submitted")
    client = client_for(world.leader)
    queue = url("queue", campaign.pk, world.district.pk)
    body = text_of(client.get(queue))
    assert body.count('data-testid="queue-row"') == 2
    rows = client.get(queue + "?status=submitted").context["queue"].rows
    assert [r.code for r in rows] == ["NB-P-A"]
    rows = client.get(queue + "?status=none").context["queue"].rows
    assert [r.code for r in rows] == ["NB-P-B"]
    rows = client.get(queue + "?q=beta nam").context["queue"].rows
    assert [r.code for r in rows] == ["NB-P-B"]
    rows = client.get(queue + "?q=NB-P-A").context["queue"].rows
    assert [r.code for r in rows] == ["NB-P-A"]
    rows = client.get(queue + "?kind=local").context["queue"].rows
    assert rows == []
    progress = client.get(queue).context["queue"].progress
    assert (progress.total, progress.submitted, progress.registered) == (2, 1, 1)


def test_overdue_filter(world, campaign, make_registration, client_for, time_machine):
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    # Mid-year of the campaign: an extension of five days stays in its year on any real day.
    hanoi = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    time_machine.move_to(dt.datetime(campaign.year, 6, 15, 10, tzinfo=hanoi), tick=True)
    make_registration("draft")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    type(campaign).objects.filter(pk=campaign.pk).update(registration_deadline=yesterday)
    client = client_for(world.leader)
    queue = url("queue", campaign.pk, world.district.pk)
    rows = client.get(queue + "?overdue=1").context["queue"].rows
    assert sorted(r.code for r in rows) == ["NB-P-A", "NB-P-B"]
    # The reviewer extends B's deadline: B is no longer overdue.
    response = client.post(
        url("extend", campaign.pk, world.unit_b.pk),
        {"until": (timezone.localdate() + dt.timedelta(days=5)).strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    rows = client.get(queue + "?overdue=1").context["queue"].rows
    assert [r.code for r in rows] == ["NB-P-A"]
    assert client.get(queue).context["queue"].progress.overdue == 1


def test_bulk_approve_after_a_confirmation(world, campaign, make_registration, client_for):
    a = make_registration("submitted")
    b = make_registration("submitted", unit=world.unit_b, officer=world.officer_b)
    client = client_for(world.leader)
    confirm = url("bulk-approve", campaign.pk, world.district.pk)
    response = client.get(confirm + f"?ids={a.pk}&ids={b.pk}")
    body = text_of(response)
    assert "Alpha Đông Á" in body and "Bêta Nam Việt" in body
    assert Registration.objects.filter(status=ReviewStatus.SUBMITTED).count() == 2
    # The page says how many units and which, and what approving them means.
    assert "2" in response.context["confirmation"].question
    assert [item.label for item in response.context["confirmation"].affected] == [
        a.organization.name,
        b.organization.name,
    ]
    items = [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"]
    # Posted without the confirmation (a forged or replayed form): the page asks again and
    # nothing is approved.
    response = client.post(confirm, {"items": items})
    assert response.status_code == 200 and "confirmation" in response.context
    assert Registration.objects.filter(status=ReviewStatus.APPROVED).count() == 0
    response = client.post(confirm, {"items": items, "confirmed": "1"})
    assert response.status_code == 302
    assert Registration.objects.filter(status=ReviewStatus.APPROVED).count() == 2
    # Posted again: nothing more happens, and it says why.
    response = client.post(confirm, {"items": items, "confirmed": "1"}, follow=True)
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "Approved" in messages or "Đã duyệt" in messages
    assert client.get(confirm + "?all=1").status_code == 302  # nothing left to approve


def test_bulk_approve_ignores_units_outside_the_queue(
    world, campaign, make_registration, client_for
):
    c = make_registration("submitted", unit=world.unit_c, officer=world.admin)
    client = client_for(world.staff)
    response = client.post(
        url("bulk-approve", campaign.pk, world.district.pk),
        {"items": [f"{c.pk}:{c.version}"], "confirmed": "1"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=c.pk).status == ReviewStatus.SUBMITTED


def test_each_row_of_the_queue_is_checked_with_the_rules(
    world, campaign, make_registration, client_for, monkeypatch
):
    """The buttons of a row are those the rules allow on that row's unit, not assumed from
    the page: a leader of the province reads the district's queue but reviews nothing in it;
    with a rule that allows one unit only, only its row has them."""
    import rules
    from rules.permissions import permissions

    a = make_registration("submitted")
    b = make_registration("submitted", unit=world.unit_b, officer=world.officer_b)
    queue = url("queue", campaign.pk, world.district.pk)

    def buttons(client) -> dict:
        response = client.get(queue)
        assert response.status_code == 200
        body = text_of(response)
        rows = {
            row.code: (row.can_review, row.can_approve) for row in response.context["queue"].rows
        }
        return rows | {
            "approve": body.count('data-testid="queue-approve"'),
            "select": body.count('data-testid="queue-select"'),
            "all": 'data-testid="bulk-all"' in body,
        }

    reviewer = buttons(client_for(world.leader))
    assert reviewer == {
        "NB-P-A": (True, True),
        "NB-P-B": (True, True),
        "approve": 2,
        "select": 2,
        "all": True,
    }
    reader = buttons(client_for(make_member(world.province, Role.LEADER, "province_leader")))
    assert reader == {
        "NB-P-A": (False, False),
        "NB-P-B": (False, False),
        "approve": 0,
        "select": 0,
        "all": False,
    }
    only_a = rules.predicate(lambda user, unit: unit is not None and unit.pk == world.unit_a.pk)
    monkeypatch.setitem(permissions, "registrations.review_registration", only_a)
    assert buttons(client_for(world.leader)) == {
        "NB-P-A": (True, True),
        "NB-P-B": (False, False),
        "approve": 1,
        "select": 1,
        "all": True,
    }
    # The confirmation of a bulk approval leaves out the row the rules refuse.
    response = client_for(world.leader).get(
        url("bulk-approve", campaign.pk, world.district.pk) + f"?ids={a.pk}&ids={b.pk}"
    )
    assert [r.pk for r in response.context["rows"]] == [a.pk]


# ---------------------------------------------------------------------------------------------
# Constant query counts: the queue and the consolidation with 10 or 500 units.


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(ctx.captured_queries)


def _register_all(campaign, units, themes):
    """Registrations in every state for ``units``, written directly (fast)."""
    states = [s for s, _label in reversed(ReviewStatus.choices)]  # approved first
    registrations = Registration.objects.bulk_create(
        Registration(campaign=campaign, organization=unit, status=states[i % len(states)])
        for i, unit in enumerate(units)
    )
    chosen = RegisteredTheme.objects.bulk_create(
        RegisteredTheme(registration=r, theme=t, commitment="x")
        for r in registrations
        for t in themes[:2]
    )
    Target.objects.bulk_create(
        Target(registered_theme=rt, name="Sáng kiến", unit="sáng kiến", value=3, key="sang kien|")
        for rt in chosen
    )
    rebuild(campaign)  # written without the services: the counters in one go


# What each page costs: the session, the person, the campaign with its issuer, the person's
# roles, the unit, the units above it (the breadcrumb) and Django's two permission reads of
# base.html's menu (8), and
# - the queue: the counters of the unit's children, their number, the page of them with their
#   registrations (3), one more to count the matches of a filter; the consolidations the upper
#   units below sent up, awaiting review (1: the link to their queue);
# - the consolidation: the unit's units with the number of its children (searched), the page
#   of its children with their units, the counters of the unit and of those children, the
#   themes with their counts, the targets summed (5), on any page and with a search; the state
#   of the unit's own consolidation sent up (1: the link to it);
# - its second tab: the same (the first page of children), then the page of registrations and
#   the themes they chose (7).
QUERIES = {
    "queue": 12,
    "queue?status=submitted": 13,
    "summary": 14,
    "summary?page=2": 14,
    "summary?scope=sent&q=so+1": 14,
    "summary?view=units": 16,
}


def test_queue_and_summary_keep_a_constant_number_of_queries(world, campaign, client_for):
    themes = list(campaign.themes.order_by("number"))
    leader_q = make_member(world.district_q, Role.LEADER, "leader_q")
    bulk_units("NB-Q", 10, "NB-Q-Y")
    _register_all(
        campaign,
        [world.unit_c, *Organization.objects.filter(code__startswith="NB-Q-Y")],
        themes,
    )
    bulk_units("NB-P", 500, "NB-P-X")
    _register_all(campaign, list(Organization.objects.filter(code__startswith="NB-P-X")), themes)

    def address(page, unit):
        name, _sep, query = page.partition("?")
        return url(name, campaign.pk, unit.pk) + (f"?{query}" if query else "")

    small_client = client_for(leader_q)  # 11 units below district Q
    small_client.get(url("queue", campaign.pk, world.district_q.pk))  # warm up
    small = {page: _count(small_client, address(page, world.district_q)) for page in QUERIES}
    large_client = client_for(world.leader)  # 502 units below district P
    large = {page: _count(large_client, address(page, world.district)) for page in QUERIES}
    assert small == large == QUERIES
    # The figures come from the counters: 500 units below P registered, in four states in turn
    # (125 approved, 125 returned, 125 awaiting review, 125 drafts).
    response = large_client.get(url("summary", campaign.pk, world.district.pk) + "?scope=sent")
    summary = response.context["summary"]
    assert summary.progress.total == 503  # the district, A, B and the 500
    assert (summary.progress.approved, summary.progress.submitted) == (125, 125)
    assert summary.progress.counts["none"] == 3
    assert [t.units for t in summary.themes] == [250, 250, 0]
    assert [(x.total, x.units) for x in summary.themes[0].targets] == [(750, 250)]
    assert summary.key_works == {"count": 0, "value": None, "units": 0}
    # A page of the branches: the district's own row and the first 50 of its 502 children.
    assert len(summary.branches) == 51 and summary.branches[0].is_self
    assert summary.page.paginator.num_pages == 11
    queue = large_client.get(url("queue", campaign.pk, world.district.pk)).context["queue"]
    assert queue.progress.total == 502 and queue.progress.counts["none"] == 2
    assert len(queue.rows) == 50 and queue.page.paginator.num_pages == 11
    # The district's own registration (none yet), above its queue.
    body = large_client.get(url("queue", campaign.pk, world.district.pk)).content.decode()
    assert 'data-testid="own-registration"' in body and "reg-status-none" in body
    # The whole province (513 units below two districts), read by its staff: no more.
    staff = client_for(world.staff)
    assert _count(staff, url("summary", campaign.pk, world.province.pk)) <= QUERIES["summary"]
    assert _count(staff, url("queue", campaign.pk, world.province.pk)) <= QUERIES["queue"]
    assert _count(staff, url("summary-xlsx", campaign.pk, world.province.pk)) <= 18


# ---------------------------------------------------------------------------------------------
# The consolidation and its exports.


def test_summary_sums_targets_and_counts_units_per_theme(
    world, campaign, make_registration, client_for
):
    make_registration("approved")
    b = services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_b,
        by=world.officer_b,
        data=registration_data(campaign, 3),
    )
    services.registration_submit(b, by=world.officer_b)
    client = client_for(world.leader)
    summary = client.get(url("summary", campaign.pk, world.district.pk)).context["summary"]
    assert [(t.theme.number, t.units) for t in summary.themes] == [(1, 1), (2, 1), (3, 0)]
    assert [(x.name, x.total, x.units) for x in summary.themes[0].targets] == [
        ("Sáng kiến, cải tiến kỹ thuật", 5, 1)
    ]
    summary = client.get(url("summary", campaign.pk, world.district.pk) + "?scope=sent").context[
        "summary"
    ]
    assert [(t.theme.number, t.units) for t in summary.themes] == [(1, 2), (2, 2), (3, 1)]
    assert summary.themes[0].targets[0].total == 10
    # The district itself takes part too (its own registration): three units.
    assert (summary.progress.total, summary.progress.approved) == (3, 1)
    # The second tab lists the units counted, with the themes each one chose.
    response = client.get(url("summary", campaign.pk, world.district.pk) + "?scope=sent")
    assert 'data-testid="summary-branch"' in response.content.decode()
    assert 'data-testid="matrix-row"' not in response.content.decode()
    response = client.get(url("summary", campaign.pk, world.district.pk) + "?scope=sent&view=units")
    body = response.content.decode()
    assert body.count('data-testid="matrix-row"') == 2 and "✓" in body


def test_queue_and_consolidation_speak_vietnamese(world, campaign, make_registration, client_for):
    """No text of the reviewer's queue or of the consolidation (both tabs) is left in English."""
    make_registration("approved")
    client = client_for(world.leader)
    for address in (
        url("queue", campaign.pk, world.district.pk),
        url("summary", campaign.pk, world.district.pk),
        url("summary", campaign.pk, world.district.pk) + "?scope=sent&view=units",
    ):
        response = client.get(address)
        assert response.status_code == 200
        assert english_texts(response.content.decode()) == [], address


def test_summary_pages_its_branches(world, campaign, client_for):
    """A unit with more children than a page shows them 50 at a time, its own row first, with
    a search by name; the totals stay those of the whole branch; the links carry the scope and
    the search as validated; the PDF lists every branch."""
    bulk_units("NB-P", 118, "NB-P-X")  # with A and B: 120 children
    themes = list(campaign.themes.order_by("number"))
    _register_all(campaign, list(Organization.objects.filter(code__startswith="NB-P-X")), themes)
    client = client_for(world.leader)
    address = url("summary", campaign.pk, world.district.pk)

    def read(query=""):
        response = client.get(address + query)
        assert response.status_code == 200
        return response.context["summary"], text_of(response)

    first, body = read()
    assert first.progress.total == 121  # the district and its 120 children
    assert first.progress.approved == 30
    assert [row.is_self for row in first.branches[:2]] == [True, False]
    assert len(first.branches) == 51 and first.page.paginator.num_pages == 3
    assert first.branches[1].unit.code == "NB-P-A"
    assert 'data-testid="branch-search"' in body
    assert 'href="?scope=approved&amp;page=2#branches"' in body
    last, body = read("?scope=sent&page=3")
    assert last.progress.total == 121 and last.progress.submitted == 29  # the whole branch
    assert len(last.branches) == 20 and not any(row.is_self for row in last.branches)
    assert last.branches[-1].unit.code == "NB-P-X00117"
    assert 'href="?scope=sent&amp;page=2#branches"' in body
    # Out of range or not a number: the last page, the first.
    assert read("?page=999")[0].page.number == 3
    assert read("?page=abc")[0].page.number == 1
    assert read("?page=-2")[0].page.number == 1
    # The search: accents and case ignored, no own row, the links keep it.
    found, body = read("?scope=sent&q=S%E1%BB%91+11")
    assert [row.unit.code for row in found.branches] == [
        "NB-P-X00011",
        *(f"NB-P-X{n:05d}" for n in range(110, 118)),
    ]
    assert found.progress.total == 121
    assert 'value="Số 11"' in body and 'name="scope" value="sent"' in body
    none, body = read("?q=%3Cscript%3Ezzz")
    assert none.branches == [] and "<script>zzz" not in body
    assert "&lt;script&gt;zzz" in body and 'data-testid="branch-search-clear"' in body
    assert english_texts(body) == []
    # A unit with a few children: no pages, no search box.
    body = text_of(client_for(world.staff).get(url("summary", campaign.pk, world.province.pk)))
    assert 'data-testid="branch-search"' not in body and "page=2" not in body
    # The document lists every branch.
    response = client.get(url("summary-pdf", campaign.pk, world.district.pk))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "NB-P-X số 117" in text and "NB-P-X số 0" in text


def test_summary_xlsx(world, campaign, make_registration, client_for):
    from registrations.models import KeyWork

    registration = make_registration("approved")
    KeyWork.objects.create(
        registration=registration, position=1, name="Nhà văn hóa", estimated_value="12500.50"
    )
    response = client_for(world.staff).get(url("summary-xlsx", campaign.pk, world.province.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Đơn vị", "Chỉ tiêu", "Công trình"]
    units = list(book["Đơn vị"].iter_rows(values_only=True))
    by_code = {row[0]: row for row in units[1:]}
    assert by_code["NB-P-A"][3] == "Đã duyệt" and by_code["NB-P-A"][6:8] == ("x", "x")
    assert by_code["NB-P-B"][3] == "Chưa đăng ký"
    assert by_code["NB-P"][3] == "Chưa đăng ký"
    targets = list(book["Chỉ tiêu"].iter_rows(values_only=True))
    assert targets[1][:5] == (
        "NB-P-A",
        "Công đoàn cơ sở Alpha Đông Á",
        1,
        "Sáng kiến, cải tiến kỹ thuật",
        5,
    )
    # Every sheet keeps its column titles in view; quantities have thousands separators.
    for name, first_title in (
        ("Tổng hợp", "TT"),
        ("Đơn vị", "Mã"),
        ("Chỉ tiêu", "Mã"),
        ("Công trình", "Mã"),
    ):
        sheet = book[name]
        header = int(sheet.freeze_panes[1:]) - 1
        assert sheet.freeze_panes.startswith("A") and header >= 1, name
        assert sheet.cell(header, 1).value == first_title and sheet.cell(header, 1).font.b, name
    assert book["Chỉ tiêu"]["E2"].number_format == "#,##0"
    summary = book["Tổng hợp"]
    assert summary["A7"].value == "TT" and summary["B7"].value == "Nội dung thi đua"
    money = next(
        row[2]
        for row in summary.iter_rows(min_row=8)
        if row[1].value == "Tổng giá trị dự kiến (triệu đồng)"
    )
    assert money.number_format in ("#,##0", "#,##0.0#")
    works = book["Công trình"]
    assert works["E2"].value == 12500.5 and works["E2"].number_format == "#,##0.0#"
    assert works["E1"].value == "Giá trị dự kiến (triệu đồng)"


def test_summary_pdf(world, campaign, make_registration, client_for):
    make_registration("approved")
    response = client_for(world.leader).get(url("summary-pdf", campaign.pk, world.district.pk))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BÁO CÁO" in text and "Tổng hợp đăng ký thi đua năm" in text
    assert "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHƯỢNG" in text
    assert "Sáng kiến, cải tiến kỹ thuật: 5 sáng kiến (1 đơn vị)" in text
    assert "Công đoàn cơ sở Alpha Đông Á" in text


def test_registration_pdf_is_signed_by_the_units_leader(
    world, campaign, make_registration, client_for
):
    registration = make_registration("approved")
    leader_a = make_member(world.unit_a, Role.LEADER, "chairman_a")
    leader_a.full_name = "Nguyễn Văn Chủ"
    leader_a.position = "Chủ tịch"
    leader_a.save()
    response = client_for(world.officer_a).get(url("pdf", registration.pk))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for words in (
        "BẢN ĐĂNG KÝ THI ĐUA",
        "CÔNG ĐOÀN CƠ SỞ ALPHA ĐÔNG Á",
        "Kính gửi: Liên đoàn Lao động huyện Phượng",
        "Kế hoạch số 13/KH-LĐLĐ",
        "Lao động giỏi, Lao động sáng tạo",
        "Sáng kiến, cải tiến kỹ thuật: 5 sáng kiến",
        "TM. BAN CHẤP HÀNH",
        "CHỦ TỊCH",
        "Nguyễn Văn Chủ",
        "Đã được Liên đoàn Lao động huyện Phượng duyệt ngày",
    ):
        assert words in text, words
    assert "DỰ THẢO" not in text


# ---------------------------------------------------------------------------------------------
# History and revisions.


def test_history_and_revisions(world, campaign, make_registration, client_for):
    registration = make_registration("approved")
    services.registration_reopen(registration, by=world.officer_a, reason="Thêm công trình.")
    client = client_for(world.officer_a)
    body = text_of(client.get(url("history", registration.pk)))
    for words in ("Thêm công trình.", world.staff.full_name, world.officer_a.full_name):
        assert words in body
    assert body.count("<tr>") >= 5  # save, submit, approve, reopen + header
    response = client.get(url("revision", registration.pk, 1))
    body = text_of(response)
    assert "Lao động giỏi, Lao động sáng tạo" in body and 'data-testid="revision-note"' in body
    pdf = client.get(url("revision", registration.pk, 1) + "?format=pdf")
    assert "(lần 1)" in pdf_text(pdf.content)
    assert client.get(url("revision", registration.pk, 2)).status_code == 404


def test_guessed_ids_show_nothing_to_the_sibling(world, campaign, make_registration, client_for):
    registration = make_registration("approved")
    services.registration_reopen(registration, by=world.officer_a, reason="Sửa.")
    client = client_for(world.officer_b)
    for address in (
        url("unit", campaign.pk, world.unit_a.pk),
        url("form", campaign.pk, world.unit_a.pk),
        url("pdf", registration.pk),
        url("history", registration.pk),
        url("revision", registration.pk, 1),
        url("return", registration.pk),
        url("reopen", registration.pk),
    ):
        assert client.get(address).status_code in (403, 404), address
    for pk in range(max(1, registration.pk - 2), registration.pk + 3):
        assert client.get(url("pdf", pk)).status_code == 404


def test_start_page(world, campaign, make_registration, client_for):
    make_registration("submitted")
    body = text_of(client_for(world.officer_a).get(url("index")))
    assert "Alpha Đông Á" in body and 'data-testid="own-unit"' in body
    response = client_for(world.leader).get(url("index"))
    card = response.context["cards"][0]
    assert [(unit.code, pending) for unit, pending in card.queues] == [("NB-P", 1)]
    assert [(unit.code, status) for unit, status, _label in card.own] == [("NB-P", "none")]
    response = client_for(world.admin).get(url("index"))
    assert [(u.code, n) for u, n in response.context["cards"][0].queues] == [("NB", 0)]
