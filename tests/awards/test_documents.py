"""The official documents of commendation as PDF: the decision with its annex, the certificate
on A4 landscape, the council's minutes and ballot sheets; their text read back with pypdf, and
the decision of 300 awardees rendered in reasonable time.

Set ``AWARDS_PNG_DIR=/some/dir`` to keep PNG pictures of the pages and look at them.
"""

import datetime as dt
import io
import os
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from awards import documents
from awards.models import CouncilResult, Decision, Nomination
from awards.services.council import attendance_record, ballot_cast, session_close, session_open
from awards.services.decisions import decision_issue
from tests.awards.conftest import vote_all

pytestmark = pytest.mark.django_db


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_of(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, normal(" ".join(page.extract_text() for page in reader.pages))


def keep_pictures(pdf: bytes, name: str, tmp_path) -> None:
    keep = os.environ.get("AWARDS_PNG_DIR")
    if not keep:
        return
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(tmp_path / name)], check=True)
    Path(keep).mkdir(parents=True, exist_ok=True)
    for picture in tmp_path.glob(f"{name}-*.png"):
        shutil.copy(picture, Path(keep) / picture.name)


@pytest.fixture
def awarded(world, at_council, council):
    n1, n2, n3 = at_council("Trần Thị Lan", "Nguyễn Văn Bình", "Đỗ Thị Hạnh")
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Xét khen thưởng năm 2017",
        meeting_date=dt.date(2017, 12, 26),
        place="Trụ sở LĐLĐ tỉnh",
        nominations=[n1, n2, n3],
    )
    items = {i.nomination_id: i for i in session.items.all()}
    for index, member in enumerate(council):
        ballot_cast(
            session=session,
            by=member,
            choices={
                items[n1.pk].pk: "approve",
                items[n2.pk].pk: "approve",
                items[n3.pk].pk: "approve" if index < 4 else "reject",
            },
        )
    session_close(session=session, by=world.staff)
    session.refresh_from_db()
    decision = decision_issue(
        by=world.staff,
        award_type=n1.award_type,
        number=45,
        date=dt.date(2017, 12, 28),
        nominations=[n1, n2],
        data={
            "place": "Ninh Bình",
            "signing_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Lê Đình Việt",
            "distribution": "Như Điều 3;\nLưu: VT, Ban CSPL.",
        },
    )
    return session, decision


def test_the_decision_states_its_awardees(awarded, tmp_path):
    _session, decision = awarded
    pdf = documents.decision_pdf(decision)
    reader, text = text_of(pdf)
    for expected in (
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH",
        "Số: 45/QĐ-LĐLĐ",
        "Ninh Bình, ngày 28 tháng 12 năm 2017",
        "QUYẾT ĐỊNH",
        "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH",
        "Điều 1. Tặng Bằng khen của Ban Chấp hành LĐLĐ tỉnh cho 02 cá nhân",
        "Nơi nhận:",
        "- Lưu: VT, Ban CSPL.",
        "Lê Đình Việt",
        "(Kèm theo Quyết định số 45/QĐ-LĐLĐ ngày 28 tháng 12 năm 2017",
        "Trần Thị Lan",
        "Nguyễn Văn Bình",
    ):
        assert normal(expected) in text, expected
    assert "Đỗ Thị Hạnh" not in text  # rejected by the council (4 of 7 < 70 %)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)
    keep_pictures(pdf, "decision", tmp_path)


def test_the_certificate_is_a4_landscape(awarded, tmp_path):
    _session, decision = awarded
    nomination = decision.nominations.get(person_name="Trần Thị Lan")
    pdf = documents.certificate_pdf(nomination)
    reader, text = text_of(pdf)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BẰNG KHEN",
        "Bà Trần Thị Lan",
        "Chủ tịch Công đoàn cơ sở, Công đoàn cơ sở Alpha Đông Á",
        "Hoàn thành xuất sắc nhiệm vụ năm 2017",
        "Quyết định số 45/QĐ-LĐLĐ, ngày 28 tháng 12 năm 2017",
        "Lê Đình Việt",
    ):
        assert normal(expected) in text, expected
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all(f.startswith("Liberation-Serif") for f in fonts), fonts
    keep_pictures(pdf, "certificate", tmp_path)


def test_the_minutes_and_ballot_sheets(awarded, council, tmp_path):
    session, _decision = awarded
    minutes = documents.minutes_pdf(session)
    _reader, text = text_of(minutes)
    for expected in (
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua - Khen thưởng",
        "Hội đồng có 7 thành viên:",
        "Có mặt: 7/7 thành viên",
        "7/7 thành viên đã bỏ phiếu kín",
        "4/7 (57,1%)",
        "3 (42,9%)",
        "Không đạt",
        "Hội đồng thống nhất đề nghị khen thưởng 2 trường hợp đạt; 1 trường hợp không đạt.",
        "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert normal(expected) in text, expected
    ballots = documents.ballots_pdf(session)
    reader, text = text_of(ballots)
    assert len(reader.pages) == 7  # one unnamed sheet per member
    assert "PHIẾU BIỂU QUYẾT" in text and "Đỗ Thị Hạnh" in text
    keep_pictures(minutes, "minutes", tmp_path)
    keep_pictures(ballots, "ballots", tmp_path)


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return normal(out.stdout)


def test_the_minutes_of_a_session_still_open_say_so(world, at_council, council, tmp_path):
    """Nothing is counted before the session closes: the minutes are a draft that lists the
    agenda and says the ballot is under way, not "0 trường hợp đạt; 0 trường hợp không đạt"."""
    n1, n2 = at_council("Trần Thị Lan", "Nguyễn Văn Bình")
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Xét khen thưởng năm 2017",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[n1, n2],
    )
    vote_all(session, council, ["approve", "approve", "reject"])
    minutes = documents.minutes_pdf(session)
    text = _pdftotext(minutes, tmp_path)
    for expected in (
        "DỰ THẢO",
        "BIÊN BẢN",
        "Hội đồng có 7 thành viên:",
        "Đến nay 3/7 thành viên đã bỏ phiếu kín hoặc có ý kiến bằng văn bản.",
        "Phiên họp đang bỏ phiếu, chưa kiểm phiếu: biên bản này chưa có kết quả.",
        "Các trường hợp đưa ra xét:",
        "Trần Thị Lan",
        "Chưa kiểm phiếu",
    ):
        assert normal(expected) in text, expected
    for absent in ("trường hợp đạt", "Kết quả kiểm phiếu như sau", "đã được thông qua", "Đồng ý"):
        assert absent not in text, absent
    keep_pictures(minutes, "minutes-open", tmp_path)
    # Once closed, the same minutes give the counts and the result (all seven attended).
    attendance_record(
        session=session,
        by=world.staff,
        attending=list(session.members.values_list("pk", flat=True)),
    )
    session_close(session=session, by=world.staff)
    session.refresh_from_db()
    text = _pdftotext(documents.minutes_pdf(session), tmp_path)
    assert "DỰ THẢO" not in text and "Chưa kiểm phiếu" not in text
    assert "Kết quả kiểm phiếu như sau (tỷ lệ trên tổng số 7 thành viên):" in text
    assert "0 trường hợp đạt; 2 trường hợp không đạt" in text  # 2 approvals of 7: 28,6 %
    assert "2/7 (28,6%)" in text


def test_a_decision_of_300_awardees(world, awards, campaign):
    award = awards["person"]
    decision = Decision.objects.create(
        issuer=world.province,
        award_type=award,
        number=1,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 12, 28),
        signer_name="Lê Đình Việt",
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                campaign=campaign,
                award_type=award,
                nominating_unit=world.unit_a,
                occasion="year_end",
                nominee_kind="individual",
                nominee_unit=world.unit_a,
                person_name=f"Người lao động số {i}",
                gender="male",
                birth_year=1980,
                position="Công nhân",
                achievement="Xuất sắc.",
                current_level=world.province,
                status="approved",
                council_result=CouncilResult.APPROVED,
                decision=decision,
                search_key=f"nguoi lao dong so {i}",
            )
            for i in range(300)
        ]
    )
    documents.decision_pdf(decision)  # fonts loaded once
    started = time.perf_counter()
    pdf = documents.decision_pdf(decision)
    elapsed = time.perf_counter() - started
    reader, text = text_of(pdf)
    assert "Người lao động số 299" in text and "cho 300 cá nhân" in text
    assert len(reader.pages) >= 8
    assert elapsed < 20, f"300 awardees took {elapsed:.1f} s"
