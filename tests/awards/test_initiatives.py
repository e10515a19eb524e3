"""The initiatives register imported from a spreadsheet: every row or none, each problem with its
row number; only units the importer may complete the history of."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from awards.models import Initiative, InitiativeLevel, NomineeKind
from awards.services.initiatives import initiatives_import

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã đơn vị",
    "Họ và tên",
    "Tên sáng kiến",
    "Cấp công nhận",
    "Ngày công nhận",
    "Cơ quan công nhận",
    "Giá trị làm lợi",
]
TODAY = dt.date(2017, 12, 1)


def xlsx(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("sang-kien.xlsx", out.getvalue())


GOOD = [
    (
        "NB-P-A",
        "Trần Thị Lan",
        "Cải tiến lò nung",
        "Cấp cơ sở",
        "04/05/2017",
        "CĐCS Alpha",
        "1.200.000",
    ),
    ("NB-P-A", "", "Quy trình kho", "tỉnh", dt.datetime(2017, 6, 1), "LĐLĐ tỉnh", None),
]


def test_every_row_or_none(world):
    bad = ("NB-Q-C", "X", "", "huyện", "31/02/2017", "", "nhiều")
    report = initiatives_import(upload=xlsx(*GOOD, bad), by=world.officer_a, today=TODAY)
    assert not report.ok and not Initiative.objects.exists()
    messages = {p.message for p in report.problems if p.row == 4}
    assert len(messages) == 6, messages  # unit, name, level, date, body, benefit
    assert {p.row for p in report.problems} == {4}
    report = initiatives_import(upload=xlsx(*GOOD), by=world.officer_a, today=TODAY)
    assert report.ok and report.created == 2
    lan = Initiative.objects.get(person_name="Trần Thị Lan")
    assert (lan.level, lan.recognised_on, lan.benefit) == (
        InitiativeLevel.GRASSROOTS,
        dt.date(2017, 5, 4),
        1_200_000,
    )
    unit = Initiative.objects.get(person_name="")
    assert unit.nominee_kind == NomineeKind.COLLECTIVE and unit.level == InitiativeLevel.PROVINCE


def test_a_date_to_come_and_a_stranger_are_refused(world):
    future = ("NB-P-A", "Lan", "Sau", "cơ sở", "02/12/2017", "CĐCS", "")
    report = initiatives_import(upload=xlsx(future), by=world.officer_a, today=TODAY)
    assert [p.row for p in report.problems] == [2]
    report = initiatives_import(upload=xlsx(*GOOD), by=world.officer_b, today=TODAY)
    assert {p.row for p in report.problems} == {2, 3}
    from federation.models import Role
    from tests.factories import make_member

    council_member = make_member(world.province, Role.COUNCIL, "hoidong")
    with pytest.raises(PermissionDenied):
        initiatives_import(upload=xlsx(*GOOD), by=council_member, today=TODAY)


def test_the_import_page(world, client_for):
    client = client_for(world.officer_a)
    url = reverse("awards:initiative-import")
    bad = ("NB-P-A", "X", "Y", "huyện", "01/01/2017", "Z", "")
    response = client.post(url, {"file": xlsx(bad)})
    body = response.content.decode()
    assert response.status_code == 200 and "Dòng 2" in body and "huyện" in body
    response = client.post(url, {"file": xlsx(*GOOD)}, follow=True)
    assert "Cải tiến lò nung" in response.content.decode()
    assert Initiative.objects.count() == 2
