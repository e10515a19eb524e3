"""The commendation pages: forms that show the services' refusals, the secret ballot on the
session page, files served only through permission checks, the XLSX exports, the public gallery
and its Atom feed, and a constant number of queries on the nominations list."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Nomination, Stage
from awards.services.advanced_models import model_propose, model_publish
from awards.services.council import ballot_cast, session_close, session_open
from awards.services.decisions import decision_issue
from awards.services.review import nomination_endorse, nomination_submit
from tests.awards.conftest import pdf_upload, png_upload, vote_all

pytestmark = pytest.mark.django_db


def test_the_officer_nominates_through_the_form(world, campaign, awards, client_for):
    client = client_for(world.officer_a)
    url = reverse("awards:nomination-create")
    page = client.get(url)
    assert page.status_code == 200 and "Bằng khen" in page.content.decode()
    data = {
        "unit": world.unit_a.pk,
        "campaign": campaign.pk,
        "award_type": awards["person"].pk,
        "occasion": "year_end",
        "nominee_unit": world.unit_b.code,  # not in officer A's branch
        "person_name": "Trần Thị Lan",
        "gender": "female",
        "birth_year": "1982",
        "position": "Kế toán",
        "achievement": "Xuất sắc.",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and not Nomination.objects.exists()
    assert "NB-P-B" in refused.content.decode()  # the refusal names the code next to the field
    data["nominee_unit"] = world.unit_a.code
    created = client.post(url, data)
    nomination = Nomination.objects.get()
    assert created.status_code == 302 and created["Location"] == nomination.get_absolute_url()

    # The dossier through the page; a fake PDF is refused next to the file field.
    add = reverse("awards:dossier-add", args=[nomination.pk])
    fake = io.BytesIO(b"not a pdf at all")
    fake.name = "to-trinh.pdf"
    bad = client.post(add, {"document": "Tờ trình đề nghị khen thưởng", "file": fake})
    assert bad.status_code == 200 and "to-trinh.pdf" in bad.content.decode()
    assert not nomination.files.exists()
    for document in nomination.award_type.documents:
        response = client.post(add, {"document": document, "file": pdf_upload()})
        assert response.status_code == 302
    # The sibling never gets the file; the unit above does, as a PDF.
    record = nomination.files.first()
    file_url = reverse("awards:dossier-file", args=[nomination.pk, record.pk])
    assert client_for(world.officer_b).get(file_url).status_code == 404
    response = client_for(world.leader).get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["X-Content-Type-Options"] == "nosniff"

    client = client_for(world.officer_a)
    response = client.post(
        reverse("awards:nomination-submit", args=[nomination.pk]),
        {"version": nomination.version + 2},
    )
    nomination.refresh_from_db()
    assert nomination.status == "submitted" and nomination.current_level == world.district


def test_a_posted_stale_form_changes_nothing(world, nominate, client_for):
    n = nomination_submit(nomination=nominate(dossier=True), by=world.officer_a)
    old_version = n.version
    nomination_endorse(nomination=n, by=world.staff)
    response = client_for(world.leader).post(
        reverse("awards:nomination-return", args=[n.pk]),
        {"comment": "Trả lại", "version": old_version},
    )
    assert response.status_code in (302, 404)
    n.refresh_from_db()
    assert n.current_level == world.province and n.status == "submitted"


def _session_with_votes(world, at_council, council):
    n1, n2 = at_council("Người Một", "Người Hai")
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên họp cuối năm",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[n1, n2],
    )
    return session, n1, n2


def test_the_session_page_keeps_the_ballot_secret(world, at_council, council, client_for):
    session, n1, _n2 = _session_with_votes(world, at_council, council)
    items = list(session.items.order_by("position"))
    ballot_cast(
        session=session, by=council[0], choices={items[0].pk: "reject", items[1].pk: "approve"}
    )
    url = session.get_absolute_url()
    # Another member sees a ballot form and counts, not member 0's choice.
    page = client_for(council[1]).get(url).content.decode()
    assert 'data-testid="ballot-form"' in page
    assert "Không đồng ý" not in page.split('data-testid="session-items"')[1].split("</table>")[0]
    # Member 0 sees their own vote and no ballot form any more.
    own = client_for(council[0]).get(url).content.decode()
    assert 'data-testid="ballot-form"' not in own and 'data-testid="ballot-done"' in own
    # The staff see counts only.
    staff = client_for(world.staff).get(url).content.decode()
    assert "Không đồng ý" not in staff.split('data-testid="session-items"')[1]
    # Voting twice through the page is refused with a message; nothing changes.
    client = client_for(council[0])
    response = client.post(
        reverse("awards:session-vote", args=[session.pk]), {f"item_{items[0].pk}": "approve"}
    )
    assert response.status_code == 302
    assert items[0].votes.get().choice == "reject"
    # A non-member posting a ballot gets 403.
    response = client_for(world.staff).post(
        reverse("awards:session-vote", args=[session.pk]), {f"item_{items[0].pk}": "approve"}
    )
    assert response.status_code == 403


def test_closing_through_the_page_then_pdfs_and_decision(world, at_council, council, client_for):
    session, n1, n2 = _session_with_votes(world, at_council, council)
    vote_all(session, council, ["approve"] * 7)
    client = client_for(world.staff)
    close = reverse("awards:session-close", args=[session.pk])
    assert client.post(close, {"confirmed": "1"}).status_code == 302
    page = client.get(session.get_absolute_url()).content.decode()
    assert page.count('data-testid="item-result"') == 2 and 'data-testid="decision-create"' in page
    for name in ("awards:session-minutes", "awards:session-ballots"):
        response = client.get(reverse(name, args=[session.pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    create = reverse("awards:decision-create") + f"?award={n1.award_type_id}"
    form = client.get(create)
    assert form.status_code == 200
    response = client.post(
        create,
        {
            "award": n1.award_type_id,
            "number": "45",
            "symbol": "QĐ-LĐLĐ",
            "date": "28/12/2017",
            "signer_name": "Lê Đình Việt",
            "signing_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH",
            "nominations": [n1.pk, n2.pk],
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    n1.refresh_from_db()
    assert n1.stage == Stage.AWARDED
    # The same number again in 2017 is refused next to the number.
    again = client.post(
        create,
        {
            "award": n1.award_type_id,
            "number": "45",
            "symbol": "QĐ-LĐLĐ",
            "date": "30/12/2017",
            "signer_name": "Lê Đình Việt",
            "nominations": [],
        },
    )
    assert again.status_code == 200
    # Officer A downloads the certificate; officer B cannot.
    cert = reverse("awards:certificate", args=[n1.pk])
    assert client_for(world.officer_a).get(cert).status_code == 200
    assert client_for(world.officer_b).get(cert).status_code == 404


def test_exports(world, at_council, council, client_for):
    session, n1, n2 = _session_with_votes(world, at_council, council)
    vote_all(session, council, ["approve"] * 7)
    session_close(session=session, by=world.staff)
    n1.refresh_from_db()
    decision_issue(
        by=world.staff,
        award_type=n1.award_type,
        number=7,
        date=dt.date(2017, 12, 28),
        nominations=[n1],
        data={"signer_name": "Lê Đình Việt"},
    )
    client = client_for(world.staff)
    book = load_workbook(io.BytesIO(client.get(reverse("awards:nominations-xlsx")).content))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Đã khen thưởng"] == 1 and summary["Hội đồng đã duyệt"] == 1
    awarded = list(book["Đã khen thưởng"].iter_rows(min_row=2, values_only=True))
    assert awarded[0][1] == "Người Một" and awarded[0][-1] == "07/QĐ-LĐLĐ"
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.b, sheet.title
    assert book["Tổng hợp"]["B2"].number_format == "#,##0"
    assert book["Đã khen thưởng"]["F2"].number_format == "General"  # a year, not a quantity
    book = load_workbook(io.BytesIO(client.get(reverse("awards:decisions-xlsx")).content))
    assert book.active.freeze_panes == "A2"
    assert book.active["B2"].number_format == "DD/MM/YYYY"
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "07/QĐ-LĐLĐ" and rows[0][5] == "Người Một"
    # Officer B's export is empty.
    book = load_workbook(
        io.BytesIO(client_for(world.officer_b).get(reverse("awards:decisions-xlsx")).content)
    )
    assert list(book.active.iter_rows(min_row=2, values_only=True)) == []


def test_the_award_history_finds_people_without_accents(world, at_council, council, client_for):
    session, n1, _n2 = _session_with_votes(world, at_council, council)
    vote_all(session, council, ["approve"] * 7)
    session_close(session=session, by=world.staff)
    n1.refresh_from_db()
    decision_issue(
        by=world.staff,
        award_type=n1.award_type,
        number=3,
        date=dt.date(2017, 12, 28),
        nominations=[n1],
        data={"signer_name": "Lê Đình Việt"},
    )
    page = client_for(world.leader).get(reverse("awards:history") + "?q=nguoi mot").content.decode()
    assert "Người Một" in page and "03/QĐ-LĐLĐ" in page
    page = client_for(world.officer_b).get(reverse("awards:history") + "?q=nguoi").content.decode()
    assert "Người Một" not in page


def test_the_public_gallery_and_its_feed(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    model = model_propose(
        by=world.officer_a,
        organization=world.unit_a,
        title="Người thợ giữ lửa",
        subject="Anh Hải",
        story="Hai mươi năm giữ điện cho ngày lễ.",
        photo=png_upload(),
    )
    photo = reverse("awards:model-photo", args=[model.pk])
    assert client.get(photo).status_code == 404  # not published yet
    assert "Người thợ giữ lửa" not in client.get(reverse("awards:gallery")).content.decode()
    model_publish(model=model, by=world.staff)
    page = client.get(reverse("awards:gallery"))
    assert page.status_code == 200 and "Người thợ giữ lửa" in page.content.decode()
    assert client.get(model.get_public_url()).status_code == 200
    response = client.get(photo)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    feed = client.get(reverse("awards:gallery-feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "<feed" in text and "Người thợ giữ lửa" in text and model.get_public_url() in text


def test_the_nominations_list_keeps_a_constant_number_of_queries(
    world, nominate, client_for, django_assert_max_num_queries
):
    from tests.factories import make_unit

    client = client_for(world.leader)
    url = reverse("awards:nominations")
    nominate("Người 0")

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(1, 25):
        unit = make_unit(f"NB-P-X{i}", f"Công đoàn cơ sở số {i}", parent=world.district)
        from federation.models import Role
        from tests.factories import make_member

        officer = make_member(unit, Role.OFFICER, f"o{i}")
        nominate(f"Người {i}", unit=unit, by=officer)
    many = count()
    assert few == many, (few, many)
    with django_assert_max_num_queries(14):
        client.get(url)
