import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emulation.tabular import TableError, fold, read_table

COLUMNS = {"code": ("Mã đơn vị", "Mã"), "name": ("Tên đơn vị",), "note": ("Ghi chú",)}


def upload(text: str, name="f.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding))


def test_fold_ignores_accents_case_and_spaces():
    assert fold("Mã đơn vị cấp trên") == "madonvicaptren"
    assert fold(" ĐOÀN VIÊN ") == "doanvien"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_in_common_encodings_and_semicolons(encoding):
    text = "MÃ ĐƠN VỊ;Tên đơn vị\nA1;Công đoàn cơ sở Trường Tiểu học\n"
    if encoding == "cp1258":
        text = "Ma;Ten don vi\nA1;Cong doan\n"
    rows = read_table(upload(text, encoding=encoding), COLUMNS, required=("code", "name"))
    assert rows[0].number == 2 and rows[0].get("code") == "A1"
    assert rows[0].get("note") == ""


def test_blank_rows_are_skipped_but_numbers_kept():
    rows = read_table(upload("Mã,Tên đơn vị\n\nA,B\n,\nC,D\n"), COLUMNS, required=("code",))
    assert [(r.number, r.get("code")) for r in rows] == [(3, "A"), (5, "C")]


def test_unicode_is_normalised_to_composed_form():
    decomposed = "Hòa".replace("ò", "o\u0300")
    rows = read_table(upload(f"Mã,Tên đơn vị\nA,{decomposed}\n"), COLUMNS, required=("code",))
    assert rows[0].get("name") == "Hòa"


@pytest.mark.parametrize("text", ["", "Mã,Tên đơn vị\n", "Khác,Cột\n1,2\n"])
def test_unreadable_tables_raise(text):
    with pytest.raises(TableError):
        read_table(upload(text), COLUMNS, required=("code", "name"))
