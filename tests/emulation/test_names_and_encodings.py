"""Names are stored in Unicode NFC on one line whatever was typed or imported; a CSV in UTF-16
or Windows-1258 is read, anything else refused with a message naming its encoding; long texts
have limits in the forms and the models."""

import codecs
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from emulation.forms import LongTextField, NameField
from emulation.tabular import TableError, decode_csv
from emulation.text import LONG_TEXT_LIMIT
from federation.models import Department, Organization
from federation.services.imports import organizations_import
from federation.services.people import users_import
from tests.html_forms import shown_by

NFD_HOA = unicodedata.normalize("NFD", "Hòa")  # "Hoa" + a combining grave accent
LINE_BREAK_MESSAGE = "Tên chỉ được viết trên một dòng: hãy bỏ các dấu xuống dòng."
HEADER = "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số đoàn viên,Email\n"
PEOPLE_HEADER = "Họ và tên,Email,Mã đơn vị,Vai trò\n"


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def test_decomposed_input_is_stored_composed(world, client):
    assert NFD_HOA != "Hòa" and len(NFD_HOA) == 4
    client.force_login(world.staff)
    url = reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk})
    data = {
        "code": "NB-P-A",
        "name": f"Công đoàn cơ sở  UBND xã Ninh {NFD_HOA} ",
        "short_name": f"CĐCS {NFD_HOA}",
        "kind": "grassroots",
        "member_count": "120",
        "email": "",
    }
    assert client.post(url, shown_by(client, url) | data).status_code == 302
    unit = Organization.objects.get(pk=world.unit_a.pk)
    assert unit.name == "Công đoàn cơ sở UBND xã Ninh Hòa" and is_nfc(unit.name)
    assert unit.short_name == "CĐCS Hòa"
    # One name, whichever way it was typed: the composed search finds it.
    assert Organization.objects.filter(name__contains="Hòa").get() == unit
    add = reverse("federation:department-add", kwargs={"pk": world.province.pk})
    client.post(add, {"name": f"Ban {NFD_HOA} giải", "short_name": "", "email": ""})
    assert Department.objects.filter(name="Ban Hòa giải").exists()


def test_a_line_break_in_a_name_is_refused_on_the_field(world, client):
    client.force_login(world.staff)
    url = reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk})
    data = {
        "code": "NB-P-A",
        "name": "Công đoàn cơ sở\nAlpha",
        "kind": "grassroots",
        "member_count": "120",
    }
    response = client.post(url, shown_by(client, url) | data)
    assert response.status_code == 200
    body = response.content.decode()
    assert LINE_BREAK_MESSAGE in body
    assert Organization.objects.get(pk=world.unit_a.pk).name == "Công đoàn cơ sở Alpha Đông Á"
    for text in ("a\rb", "a\u2028b", "a\x85b"):
        with pytest.raises(ValidationError):
            NameField().clean(text)


def test_the_profile_stores_a_composed_name(world, client):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": f"Nguyễn Thị {NFD_HOA}", "email": world.officer_a.email},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=world.officer_a.pk).full_name == "Nguyễn Thị Hòa"
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Nguyễn\nThị Hòa", "email": world.officer_a.email},
    )
    assert response.status_code == 200 and LINE_BREAK_MESSAGE in response.content.decode()


def upload(text: str, encoding="utf-8", name="units.csv"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: letters with circumflex, breve or horn are
    characters of the code page, the tone marks combining characters after them."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += (base + "".join(p for p in parts if p in tones)).encode("cp1258")
    return out


UNITS = (
    HEADER
    + "NB-P-E,Công đoàn cơ sở Trường THCS Ninh Hòa,coso,NB-P,30,\n"
    + "NB-P-F,Công đoàn cơ sở Bệnh viện Đa khoa Hoa Lư,coso,NB-P,45,\n"
)


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16 with a byte-order mark"),
        pytest.param(lambda t: t.encode("utf-16-le"), id="utf-16-le without a mark"),
        pytest.param(lambda t: t.encode("utf-16-be"), id="utf-16-be without a mark"),
        pytest.param(lambda t: t.replace(",", "\t").encode("utf-16"), id="Excel's Unicode text"),
        pytest.param(cp1258, id="windows-1258"),
        pytest.param(lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), id="utf-8 NFD"),
    ],
)
def test_units_import_reads_the_encodings_of_vietnamese_files(world, encoded):
    report = organizations_import(upload=upload(encoded(UNITS)), by=world.staff)
    assert report.ok, report.problems
    names = dict(
        Organization.objects.filter(code__in=["NB-P-E", "NB-P-F"]).values_list("code", "name")
    )
    assert names == {
        "NB-P-E": "Công đoàn cơ sở Trường THCS Ninh Hòa",
        "NB-P-F": "Công đoàn cơ sở Bệnh viện Đa khoa Hoa Lư",
    }
    assert all(is_nfc(name) for name in names.values())


def test_people_import_reads_utf16(world):
    text = PEOPLE_HEADER + f"Lê Thị {NFD_HOA},hoa@example.vn,NB-P-A,officer\n"
    report = users_import(upload=upload(text, "utf-16"), by=world.staff)
    assert report.ok, report.problems
    assert User.objects.get(email="hoa@example.vn").full_name == "Lê Thị Hòa"


def test_an_import_refuses_a_name_on_several_lines(world):
    report = organizations_import(
        upload=upload(HEADER + 'NB-P-E,"Công đoàn cơ sở\nNinh Hòa",coso,NB-P,30,\n'),
        by=world.staff,
    )
    assert [(p.row, p.message) for p in report.problems] == [(2, LINE_BREAK_MESSAGE)]
    assert not Organization.objects.filter(code="NB-P-E").exists()
    report = users_import(
        upload=upload(PEOPLE_HEADER + '"Lê Thị\nHòa",hoa@example.vn,NB-P-A,officer\n'),
        by=world.staff,
    )
    assert [p.message for p in report.problems] == [LINE_BREAK_MESSAGE]


def test_files_in_other_encodings_are_refused_naming_the_encoding(world):
    utf32 = organizations_import(upload=upload(UNITS, "utf-32"), by=world.staff)
    assert utf32.problems[0].message.startswith("Tệp dùng bảng mã UTF-32")
    assert "CSV UTF-8" in utf32.problems[0].message
    # A Windows-1258 file read, but whose header is not the import's: the message says how it
    # was read, not only which columns are missing.
    other = organizations_import(upload=upload(cp1258("Mã số,Tên gọi\nA,B\n")), by=world.staff)
    message = other.problems[0].message
    assert message.startswith("Dòng tiêu đề thiếu các cột")
    assert "Tệp đã được đọc theo bảng mã Windows-1258" in message
    # Bytes that no encoding the import reads can hold (0x81 is not a Windows-1258 byte).
    garbage = organizations_import(upload=upload(b"\x81\x8d\x8f\x90,x\n1,2\n"), by=world.staff)
    assert garbage.problems[0].message.startswith("Tệp không dùng bảng mã nào")
    binary = organizations_import(upload=upload(b"\x00\x01\x02\x03abc\x00\x00\x00"), by=world.staff)
    assert binary.problems[0].message.startswith("Tệp chứa byte NUL")
    assert not Organization.objects.filter(code__in=["NB-P-E", "NB-P-F"]).exists()


def test_decode_csv_names_what_it_read():
    assert decode_csv(codecs.BOM_UTF8 + "Mã".encode()) == ("Mã", "UTF-8")
    assert decode_csv("Mã".encode("utf-16")) == ("Mã", "UTF-16")
    assert decode_csv(cp1258("Hòa"))[1] == "Windows-1258"
    with pytest.raises(TableError):
        decode_csv(b"\xff\xfe\x00")  # a UTF-16 mark before an odd number of bytes


def test_long_texts_have_limits():
    field = LongTextField()
    assert len(field.clean("x" * LONG_TEXT_LIMIT)) == LONG_TEXT_LIMIT
    with pytest.raises(ValidationError):
        field.clean("x" * (LONG_TEXT_LIMIT + 1))
    assert field.clean(NFD_HOA + "\n\nĐoạn hai.") == "Hòa\n\nĐoạn hai."
