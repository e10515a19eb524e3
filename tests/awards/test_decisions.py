"""Decisions: a number is unique per issuer, symbol and year (refused next to the number field,
and by the database); the list names the year; one PDF holds every certificate of a decision,
one per page; the nomination page links to a council session only for those who may open it.

Set ``AWARDS_PNG_DIR=/some/dir`` to keep PNG pictures of the certificates' pages.
"""

import datetime as dt
import subprocess

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from awards import documents
from awards.models import Decision
from awards.services.council import session_close, session_open
from awards.services.decisions import decision_issue
from awards.services.review import nomination_endorse, nomination_submit
from tests.awards.conftest import vote_all
from tests.awards.test_documents import keep_pictures, normal

pytestmark = pytest.mark.django_db

NAMES = ("Trần Thị Lan", "Nguyễn Văn Bình", "Đỗ Thị Hạnh")


@pytest.fixture
def approved(world, at_council, council):
    """Three nominations of unit A the province's council approved, and its closed session."""
    nominations = at_council(*NAMES)
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Xét khen thưởng tổng kết năm 2017",
        meeting_date=dt.date(2017, 12, 26),
        nominations=nominations,
    )
    vote_all(session, council, ["approve"] * 7)
    session_close(session=session, by=world.staff)
    for n in nominations:
        n.refresh_from_db()
    return session, nominations


def issue(world, nomination, *, number=45, symbol="QĐ-LĐLĐ", date=dt.date(2017, 12, 28)):
    return decision_issue(
        by=world.staff,
        award_type=nomination.award_type,
        number=number,
        symbol=symbol,
        date=date,
        nominations=[nomination],
        data={"signer_name": "Lê Đình Việt", "signer_title": "CHỦ TỊCH"},
    )


def post_decision(client, nomination, *, number, symbol, date, confirmed=False):
    data = {
        "award": nomination.award_type_id,
        "number": str(number),
        "symbol": symbol,
        "date": date,
        "signer_name": "Lê Đình Việt",
        "signing_authority": "TM. BAN THƯỜNG VỤ",
        "signer_title": "CHỦ TỊCH",
        "nominations": [nomination.pk],
    }
    if confirmed:
        data["confirmed"] = "1"
    return client.post(reverse("awards:decision-create"), data)


# --- The number ------------------------------------------------------------------------------


def test_a_number_taken_by_the_issuer_for_the_symbol_and_year_is_refused_on_the_form(
    world, approved, client_for
):
    _session, (n1, n2, _n3) = approved
    issue(world, n1)
    client = client_for(world.staff)
    # Refused before the confirmation is asked, next to the number, with what was typed kept;
    # the symbol's stray spaces change nothing.
    for symbol in ("QĐ-LĐLĐ", " QĐ-LĐLĐ "):
        response = post_decision(client, n2, number=45, symbol=symbol, date="30/12/2017")
        assert response.status_code == 200
        form = response.context["form"]
        assert list(form.errors) == ["number"]
        message = form.errors["number"][0]
        assert message == (
            "Số 45/QĐ-LĐLĐ đã được Liên đoàn Lao động tỉnh Ninh Bình dùng trong năm 2017 "
            "(quyết định 45/QĐ-LĐLĐ ngày 28/12/2017). Vui lòng chọn số khác."
        )
        page = response.content.decode()
        assert 'name="confirmed"' not in page
        assert 'value="45"' in page and 'value="30/12/2017"' in page
    # Even confirmed (the form was posted again as it stood), nothing is saved.
    response = post_decision(
        client, n2, number=45, symbol="QĐ-LĐLĐ", date="30/12/2017", confirmed=True
    )
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert Decision.objects.count() == 1
    n2.refresh_from_db()
    assert n2.decision_id is None


def test_the_same_number_in_another_year_or_with_another_symbol_is_accepted(
    world, approved, client_for
):
    _session, (n1, n2, n3) = approved
    issue(world, n1)
    client = client_for(world.staff)
    asked = post_decision(client, n2, number=45, symbol="QĐ-LĐLĐ", date="05/01/2018")
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    done = post_decision(client, n2, number=45, symbol="QĐ-LĐLĐ", date="05/01/2018", confirmed=True)
    assert done.status_code == 302
    assert Decision.objects.filter(number=45, symbol="QĐ-LĐLĐ", year=2018).exists()
    done = post_decision(client, n3, number=45, symbol="QĐ-BTV", date="30/12/2017", confirmed=True)
    assert done.status_code == 302
    assert Decision.objects.filter(number=45, year=2017).count() == 2


def test_the_same_number_of_another_issuer_is_accepted(world, approved, awards, client_for):
    _session, (n1, _n2, _n3) = approved
    Decision.objects.create(
        issuer=world.district,
        award_type=awards["district"],
        number=45,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 5, 2),
        signer_name="Đinh Văn Hùng",
    )
    done = post_decision(
        client_for(world.staff),
        n1,
        number=45,
        symbol="QĐ-LĐLĐ",
        date="28/12/2017",
        confirmed=True,
    )
    assert done.status_code == 302
    assert Decision.objects.get(issuer=world.province).document_number == "45/QĐ-LĐLĐ"


def test_the_database_holds_one_number_per_issuer_symbol_and_year(world, awards):
    def make(**extra):
        values = {
            "issuer": world.province,
            "award_type": awards["person"],
            "number": 7,
            "symbol": "QĐ-LĐLĐ",
            "date": dt.date(2017, 3, 1),
            "signer_name": "Lê Đình Việt",
            **extra,
        }
        return Decision.objects.create(**values)

    make()
    with pytest.raises(IntegrityError), transaction.atomic():
        make(date=dt.date(2017, 11, 30))
    make(date=dt.date(2018, 3, 1))
    make(symbol="QĐ-BTV")
    make(issuer=world.district, award_type=awards["district"])
    assert Decision.objects.count() == 4


def test_the_list_names_each_decision_with_its_year(world, approved, client_for):
    _session, (n1, n2, _n3) = approved
    issue(world, n1)
    issue(world, n2, date=dt.date(2018, 1, 5))
    page = client_for(world.staff).get(reverse("awards:decisions")).content.decode()
    assert "Quyết định số 45/QĐ-LĐLĐ năm 2017" in page
    assert "Quyết định số 45/QĐ-LĐLĐ năm 2018" in page


# --- Every certificate in one PDF ------------------------------------------------------------


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "certificates.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    return [
        normal(
            subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for page in range(1, count + 1)
    ]


def test_one_pdf_holds_every_certificate_one_per_page(world, approved, client_for, tmp_path):
    _session, nominations = approved
    decision = decision_issue(
        by=world.staff,
        award_type=nominations[0].award_type,
        number=45,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 12, 28),
        nominations=nominations,
        data={"signer_name": "Lê Đình Việt", "signing_authority": "TM. BAN THƯỜNG VỤ"},
    )
    client = client_for(world.staff)
    detail = client.get(decision.get_absolute_url()).content.decode()
    url = reverse("awards:decision-certificates", args=[decision.pk])
    assert f'href="{url}"' in detail
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) == decision.nominations.count() == 3
    # Each awardee on a page of their own, in the register's order, with its register number.
    for number, text in enumerate(pages, start=1):
        names = [name for name in NAMES if normal(name) in text]
        assert len(names) == 1, text
        assert f"Số vào sổ: {number}/45/QĐ-LĐLĐ" in text
        assert "BẰNG KHEN" in text and "Lê Đình Việt" in text
    assert {name for text in pages for name in NAMES if normal(name) in text} == set(NAMES)
    keep_pictures(response.content, "certificates", tmp_path)
    download = client.get(url + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert "bang-khen-45-QD-LDLD-2017.pdf" in download["Content-Disposition"]


def test_the_certificates_pdf_opens_for_whoever_opens_the_decision(world, approved, client_for):
    _session, (n1, _n2, _n3) = approved
    decision = issue(world, n1)
    detail = decision.get_absolute_url()
    url = reverse("awards:decision-certificates", args=[decision.pk])
    for persona in ("officer_a", "leader", "staff", "admin", "officer_b"):
        client = client_for(world.persona(persona))
        expected = client.get(detail).status_code
        assert client.get(url).status_code == expected, persona
        assert expected == (404 if persona == "officer_b" else 200), persona
    response = client_for(None).get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The link to the council session ---------------------------------------------------------


def test_the_nomination_links_its_session_only_for_who_may_open_it(world, approved, client_for):
    session, (n1, _n2, _n3) = approved
    link = f'href="{session.get_absolute_url()}"'
    for persona, may_open in (("staff", True), ("admin", True), ("leader", False)):
        client = client_for(world.persona(persona))
        page = client.get(n1.get_absolute_url())
        assert page.status_code == 200, persona
        body = page.content.decode()
        assert session.title in body, persona  # the nomination went before the council
        assert (link in body) is may_open, persona
        assert client.get(session.get_absolute_url()).status_code == (200 if may_open else 404)


def test_a_unit_prints_the_certificates_of_its_own_awardees(
    world, at_council, nominate, council, client_for, tmp_path
):
    """Officer A sees the decision through its awardee: the batch holds A's certificate only
    (with its number in the register), not the achievement of unit B's awardee."""
    (own,) = at_council("Trần Thị Lan")
    other = nominate("Phạm Văn Bê", unit=world.unit_b, by=world.officer_b, dossier=True)
    other = nomination_submit(nomination=other, by=world.officer_b)
    other = nomination_endorse(nomination=other, by=world.leader)
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Xét khen thưởng",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[own, other],
    )
    vote_all(session, council, ["approve"] * 7)
    session_close(session=session, by=world.staff)
    own.refresh_from_db()
    other.refresh_from_db()
    decision = decision_issue(
        by=world.staff,
        award_type=own.award_type,
        number=46,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 12, 28),
        nominations=[own, other],
        data={"signer_name": "Lê Đình Việt"},
    )
    url = reverse("awards:decision-certificates", args=[decision.pk])
    ordered = decision.nominations.order_by(*documents.AWARDEE_ORDER)
    register = {n.pk: number for number, n in enumerate(ordered, start=1)}
    pages = pdf_pages(client_for(world.officer_a).get(url).content, tmp_path)
    assert len(pages) == 1
    assert normal("Trần Thị Lan") in pages[0] and normal("Phạm Văn Bê") not in pages[0]
    assert f"Số vào sổ: {register[own.pk]}/46/QĐ-LĐLĐ" in pages[0]
    pages = pdf_pages(client_for(world.staff).get(url).content, tmp_path)
    assert len(pages) == 2
