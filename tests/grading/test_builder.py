"""The score-sheet builder: a sheet built part by part, refusals on the field, a sheet in use
kept as it is, and the sheet as XLSX out and in (all or nothing, problems by row)."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from emulation.models import AuditEntry
from grading.models import Criterion, CriterionGroup, Grade, KnockOut, ScoreSheet, UnitType
from grading.services.builder import sheet_item_delete, sheet_item_save, sheet_save
from grading.services.sheets import sheet_problems
from grading.sheet_io import sheet_import, sheet_xlsx
from tests.grading.conftest import YEAR, full_marks

# --- Services --------------------------------------------------------------------------------


def test_a_sheet_is_built_part_by_part_and_is_usable_once_it_adds_up(world):
    admin = world.admin
    sheet = sheet_save(
        sheet=ScoreSheet(year=2030, unit_type=UnitType.STATE, title="Thử", total=10), by=admin
    )
    group = sheet_item_save(
        sheet=sheet,
        item=CriterionGroup(number=1, title="Nhóm một", max_points=D(10)),
        by=admin,
    )
    assert any("Nhóm một" in p for p in sheet_problems(sheet))  # no criterion yet
    sheet_item_save(
        sheet=sheet, item=Criterion(group=group, number=1, title="A", max_points=D(6)), by=admin
    )
    sheet_item_save(
        sheet=sheet, item=Criterion(group=group, number=2, title="B", max_points=D(4)), by=admin
    )
    top = sheet_item_save(
        sheet=sheet, item=Grade(rank=1, code="tot", name="Tốt", min_score=D(8)), by=admin
    )
    sheet_item_save(
        sheet=sheet, item=Grade(rank=2, code="dat", name="Đạt", min_score=D(0)), by=admin
    )
    sheet_item_save(
        sheet=sheet,
        item=KnockOut(description="Nhóm dưới nửa", group=group, min_share=50, caps_at=top),
        by=admin,
    )
    assert sheet_problems(sheet) == []
    assert AuditEntry.objects.filter(action="sheet_change").count() == 6


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (lambda s, g: Criterion(group=g, number=9, title="X", max_points=D(1)), "max_points"),
        (lambda s, g: Criterion(group=g, number=9, title="X", max_points=D(0)), "max_points"),
        (lambda s, g: CriterionGroup(number=9, title="X", max_points=D(1)), "max_points"),
        (lambda s, g: Grade(rank=1, code="moi", name="X", min_score=D(1)), "rank"),
        (lambda s, g: Grade(rank=9, code="tot", name="X", min_score=D(1)), "code"),
        (lambda s, g: Grade(rank=9, code="moi", name="X", min_score=D(101)), "min_score"),
    ],
)
def test_a_part_that_cannot_fit_is_refused_on_its_field(grading, item, field):
    sheet = grading.state
    group = sheet.groups.get(number=1)
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        sheet_item_save(sheet=sheet, item=item(sheet, group), by=grading.world.admin)
    assert field in caught.value.message_dict
    assert AuditEntry.objects.count() == count


def test_criteria_beyond_their_group_say_how_much_is_left(grading):
    sheet = grading.state
    item = Criterion.objects.get(group__sheet=sheet, group__number=1, number=1)
    item.max_points = D(15)
    with pytest.raises(ValidationError) as caught:
        sheet_item_save(sheet=sheet, item=item, by=grading.world.admin)
    message = caught.value.message_dict["max_points"][0]
    assert "45" in message and "40" in message and "10" in message


def test_a_sheet_in_use_keeps_its_arithmetic_but_its_wording_and_dates_change(grading):
    from grading.services.assessments import assessment_save
    from tests.grading.conftest import DAY

    world = grading.world
    sheet = grading.state
    assessment_save(
        organization=world.unit_a,
        year=YEAR,
        by=world.officer_a,
        entries=full_marks(sheet),
        today=DAY,
    )
    item = Criterion.objects.get(group__sheet=sheet, group__number=1, number=1)
    item.max_points = D(5)
    with pytest.raises(ValidationError) as caught:
        sheet_item_save(sheet=sheet, item=item, by=world.admin)
    assert caught.value.code == "in_use"
    assert Criterion.objects.get(pk=item.pk).max_points == D(10)
    with pytest.raises(ValidationError):
        sheet_item_delete(sheet=sheet, item=sheet.grades.get(rank=4), by=world.admin)
    with pytest.raises(ValidationError):
        sheet_item_save(
            sheet=sheet,
            item=Grade(rank=5, code="moi", name="Mới", min_score=D(0)),
            by=world.admin,
        )
    item = Criterion.objects.get(pk=item.pk)
    item.guidance = "Hướng dẫn mới"
    sheet_item_save(sheet=sheet, item=item, by=world.admin)
    sheet.deadline = sheet.deadline.replace(day=31)
    sheet.title = "Tên mới"
    sheet_save(sheet=sheet, by=world.admin)
    sheet.total = 90
    with pytest.raises(ValidationError):
        sheet_save(sheet=sheet, by=world.admin)


def test_only_the_managers_build_sheets(grading):
    world = grading.world
    for person in (world.staff, world.leader, world.officer_a):
        with pytest.raises(PermissionDenied):
            sheet_save(sheet=ScoreSheet(year=2031, unit_type="state", title="X"), by=person)
        with pytest.raises(PermissionDenied):
            sheet_item_delete(sheet=grading.state, item=grading.state.grades.first(), by=person)


def test_a_grade_a_knock_out_caps_at_is_not_removed(grading):
    knockout = grading.state.knockouts.first()
    with pytest.raises(ValidationError):
        sheet_item_delete(sheet=grading.state, item=knockout.caps_at, by=grading.world.admin)
    sheet_item_delete(sheet=grading.state, item=knockout, by=grading.world.admin)
    assert not KnockOut.objects.filter(pk=knockout.pk).exists()


def test_a_second_sheet_of_a_year_and_type_is_refused_on_the_year(grading):
    with pytest.raises(ValidationError) as caught:
        sheet_save(
            sheet=ScoreSheet(year=YEAR, unit_type=UnitType.STATE, title="X"), by=grading.world.admin
        )
    assert "year" in caught.value.message_dict


# --- Pages -----------------------------------------------------------------------------------


def test_the_builder_pages_show_errors_on_the_field_and_keep_what_was_typed(grading, client_for):
    client = client_for(grading.world.admin)
    sheet = grading.state
    page = client.get(sheet.get_absolute_url())
    assert b'data-testid="group-add"' in page.content and b"sheet-copy" in page.content
    group = sheet.groups.get(number=3)
    url = reverse("grading:sheet-item-new", args=[sheet.pk, "criterion"])
    response = client.post(
        url,
        {"group": group.pk, "number": 9, "title": "Tiêu chí thêm", "max_points": "2,5"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tiêu chí thêm" in text and "is-invalid" in text and "tối đa" in text
    assert not Criterion.objects.filter(title="Tiêu chí thêm").exists()
    response = client.post(
        reverse("grading:sheet-new"),
        {"year": 2031, "unit_type": "state", "title": "Bảng 2031", "total": 100},
    )
    created = ScoreSheet.objects.get(year=2031)
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert (
        client.get(reverse("grading:sheet-item", args=[sheet.pk, "nothing", 1])).status_code == 404
    )
    other = ScoreSheet.objects.get(year=YEAR, unit_type=UnitType.ENTERPRISE)
    grade = other.grades.first()
    assert (
        client.get(reverse("grading:sheet-item", args=[sheet.pk, "grade", grade.pk])).status_code
        == 404
    )


def test_the_staff_read_a_sheet_but_do_not_build_it(grading, client_for):
    client = client_for(grading.world.staff)
    page = client.get(grading.state.get_absolute_url())
    assert page.status_code == 200 and b"group-add" not in page.content
    assert client.get(reverse("grading:sheet-new")).status_code == 403


# --- XLSX out and in -------------------------------------------------------------------------


def _upload(data: bytes, name="bang.xlsx"):
    return SimpleUploadedFile(name, data)


def test_a_sheet_goes_out_and_comes_back_the_same(grading):
    data = sheet_xlsx(grading.state)
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    assert rows[0][0] == "Loại dòng" and rows[1][0] == "Bảng"
    report = sheet_import(
        upload=_upload(data), year=2031, unit_type=UnitType.STATE, by=grading.world.admin
    )
    assert report.ok, report.problems
    copy = report.sheet
    assert sheet_problems(copy) == []

    def shape(sheet):
        return (
            [(g.number, g.title, g.kind, g.max_points) for g in sheet.groups.all()],
            [
                (
                    c.group.number,
                    c.number,
                    c.title,
                    c.max_points,
                    c.evidence,
                    c.justification_required,
                )
                for c in Criterion.objects.filter(group__sheet=sheet).select_related("group")
            ],
            [(g.rank, g.code, g.name, g.min_score) for g in sheet.grades.all()],
            [(k.description, k.min_share, k.caps_at.code) for k in sheet.knockouts.all()],
            (sheet.title, sheet.total, sheet.top_grade_cap, sheet.basis),
        )

    assert shape(copy) == shape(grading.state)


def _book(rows) -> bytes:
    book = Workbook()
    table = book.active
    table.append(
        [
            "Loại dòng",
            "Số",
            "Nội dung",
            "Phân loại",
            "Điểm",
            "Bắt buộc giải trình",
            "Mã xếp loại",
            "Nhóm",
            "Tỷ lệ (%)",
        ]
    )
    for row in rows:
        table.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_wrong_file_saves_nothing_and_names_each_row(grading):
    data = _book(
        [
            ["Bảng", "", "Bảng thử", "", 100],
            ["Nhóm", 1, "Nhóm một", "Nhóm tiêu chí", 100],
            ["Tiêu chí", "1.1", "Một", "", "sáu", "Có"],
            ["Tiêu chí", "2.1", "Hai", "", 5, "Có"],
            ["Xếp loại", 1, "Tốt", "", 50, "", "tot"],
            ["Xếp loại", 1, "Đạt", "", 0, "", "dat"],
            ["Hạ loại", "", "Sự kiện", "", "", "", "khong-co"],
            ["Dòng lạ", "", "X", "", 1],
        ]
    )
    report = sheet_import(
        upload=_upload(data), year=2031, unit_type=UnitType.STATE, by=grading.world.admin
    )
    rows = {p.row for p in report.problems}
    assert rows == {4, 5, 7, 8, 9}
    assert not ScoreSheet.objects.filter(year=2031).exists()
    texts = " ".join(p.message for p in report.problems)
    assert "sáu" in texts and "khong-co" in texts


def test_sums_that_do_not_add_up_are_named_on_the_group_row(grading):
    data = _book(
        [
            ["Nhóm", 1, "Nhóm một", "", 90],
            ["Tiêu chí", "1.1", "Một", "", 80, "Không"],
            ["Xếp loại", 1, "Tốt", "", 50, "", "tot"],
            ["Xếp loại", 2, "Đạt", "", 0, "", "dat"],
        ]
    )
    report = sheet_import(
        upload=_upload(data), year=2031, unit_type=UnitType.STATE, by=grading.world.admin
    )
    assert {p.row for p in report.problems} == {2, None}
    assert not ScoreSheet.objects.filter(year=2031).exists()


def test_the_import_page(grading, client_for):
    client = client_for(grading.world.admin)
    url = reverse("grading:sheet-import")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"year": YEAR, "unit_type": "state", "file": _upload(sheet_xlsx(grading.state))},
    )
    assert response.status_code == 200 and b"import-problems" in response.content
    response = client.post(
        url,
        {"year": 2031, "unit_type": "state", "file": _upload(sheet_xlsx(grading.state))},
    )
    assert response.status_code == 302
    assert client_for(grading.world.staff).get(url).status_code == 403


def test_the_admin_shows_a_sheet_in_use_read_only(grading, client_for):
    from grading.models import Assessment

    client = client_for(grading.world.admin)
    url = reverse("admin:grading_scoresheet_change", args=[grading.state.pk])
    assert b'name="total"' in client.get(url).content
    Assessment.objects.create(sheet=grading.state, organization=grading.world.unit_a)
    page = client.get(url)
    assert page.status_code == 200 and b'name="total"' not in page.content
    assert client.post(url, {"total": 50}).status_code == 403
    assert ScoreSheet.objects.get(pk=grading.state.pk).total == 100
