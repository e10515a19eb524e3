"""The grading of a year in the browser: the officer of unit A (cdcs1 in the demo) scores every
criterion, watches the running total, saves and submits; the district's leader (hoalu) lowers
one criterion with a comment and approves; the province's staff (cspl) publishes the district's
grades and sees the distribution change. Every page passes axe-core and fits a phone and a
desktop.

Set ``E2E_SCREENSHOTS=/tmp/shots-grading17`` to keep a screenshot of each page at each size.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from grading.demo import build_sheet
from grading.models import Assessment, Criterion, GradingProfile, UnitType
from tests.e2e.helpers import DESKTOP, PHONE, login, switch_user
from tests.e2e.pagecheck import Documents, axe_problems, vnu_missing, vnu_problems
from tests.e2e.test_layout import LAYOUT_PROBLEMS

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")
COMMENT = "Chưa có biên bản hội nghị cán bộ, công chức"


DOCUMENTS = Documents()


def look(page: Page, name: str) -> None:
    """No layout problem, no serious accessibility problem; the HTML kept for the Nu HTML
    checker; a screenshot when asked."""
    page.wait_for_load_state("networkidle")
    DOCUMENTS.keep(page, f"{name}-{page.viewport_size['width']}")
    problems = page.evaluate(LAYOUT_PROBLEMS) + axe_problems(page, name)
    assert not problems, problems
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=f"{SHOTS}/grading-{name}-{page.viewport_size['width']}.png", full_page=True
        )


def graded_world(world):
    """This year's sheet for state agencies (open, due in ten days), unit A and B its type."""
    today = timezone.localdate()
    sheet = build_sheet(
        today.year, UnitType.STATE, deadline=today + dt.timedelta(days=10), top_grade_cap=None
    )
    for unit in (world.unit_a, world.unit_b):
        GradingProfile.objects.create(organization=unit, unit_type=UnitType.STATE)
    return sheet


def test_score_verify_publish(page: Page, e2e_world, tmp_path):
    world = e2e_world
    DOCUMENTS.watch(page)
    sheet = graded_world(world)
    year = sheet.year
    criteria = list(
        Criterion.objects.filter(group__sheet=sheet)
        .select_related("group")
        .order_by("group__number", "number")
    )

    # The officer of unit A scores every criterion and watches the running total.
    login(page, "officer_a")
    page.goto("/grading/")
    look(page, "index")
    page.get_by_test_id("grading-own-unit").click()
    expect(page.get_by_test_id("grading-form")).to_be_visible()
    for criterion in criteria:
        item = page.locator(
            f'[data-testid="criterion"][data-criterion="{criterion.group.number}.{criterion.number}"]'
        )
        points = "0" if criterion.group.kind == "penalty" else str(criterion.max_points.normalize())
        item.get_by_test_id("points").fill(points)
        item.get_by_test_id("justification").fill("Đã thực hiện đầy đủ")
    expect(page.get_by_test_id("running-total")).to_have_text("100")
    first = page.locator('[data-testid="criterion"][data-criterion="1.1"]')
    first.get_by_test_id("points").fill("12")
    expect(page.get_by_test_id("running-total")).to_have_text("102")
    page.get_by_test_id("grading-save").click()
    expect(first.get_by_test_id("field-error")).to_contain_text("Tối đa 10 điểm")
    look(page, "form-error")
    first.get_by_test_id("points").fill("10")
    page.get_by_test_id("grading-save").click()
    expect(page.get_by_test_id("self-result-total")).to_have_text("100")
    expect(page.get_by_test_id("self-result-grade")).to_have_text("Hoàn thành xuất sắc nhiệm vụ")
    look(page, "form")
    page.get_by_test_id("grading-submit").click()
    expect(page.get_by_test_id("grading-status")).to_have_text("Chờ duyệt")
    look(page, "submitted")

    # The district's leader lowers criterion 1.1 with a comment and approves.
    switch_user(page, "leader")
    page.goto(f"/grading/{year}/b/{world.district.pk}/")
    row = page.locator('[data-testid="queue-row"][data-unit="NB-P-A"]')
    expect(row.get_by_test_id("grading-status")).to_have_text("Chờ duyệt")
    look(page, "queue")
    row.get_by_test_id("queue-open").click()
    item = page.locator('[data-testid="criterion"][data-criterion="1.1"]')
    item.get_by_test_id("verify-points").fill("6")
    page.get_by_test_id("verify-approve").click()
    expect(item.get_by_test_id("field-error")).to_contain_text("khác điểm của đơn vị")
    look(page, "verify-error")
    item.get_by_test_id("verify-comment").fill(COMMENT)
    page.get_by_test_id("verify-approve").click()
    expect(page.get_by_test_id("grading-status")).to_have_text("Đã duyệt")
    expect(page.get_by_test_id("verified-result-total")).to_have_text("96")
    expect(item.get_by_test_id("verified-points")).to_contain_text(COMMENT)
    look(page, "approved")
    assessment = Assessment.objects.get(organization=world.unit_a)
    assert assessment.verified_total == 96 and assessment.grade.code == "xuat-sac"

    # The province's staff publishes the district's grades: the distribution changes.
    switch_user(page, "staff")
    page.goto(f"/grading/{year}/b/{world.province.pk}/")
    expect(page.get_by_test_id("dist-xuat-sac")).to_have_text("0")
    district = page.locator('[data-testid="branch-row"][data-unit="NB-P"]')
    expect(district.get_by_test_id("not-graded")).to_have_text("2")
    district.get_by_role("link").click()
    look(page, "branch-before")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("message")).to_contain_text("Đã công khai 1 kết quả")
    expect(page.get_by_test_id("grading-published")).to_be_visible()
    page.goto(f"/grading/{year}/b/{world.province.pk}/")
    expect(page.get_by_test_id("dist-xuat-sac")).to_have_text("1")
    expect(district.get_by_test_id("count-xuat-sac")).to_have_text("1")
    expect(district.get_by_test_id("not-graded")).to_have_text("1")
    look(page, "province")
    assert Assessment.objects.get().published_at is not None

    # The same pages on a phone.
    page.set_viewport_size(PHONE)
    for name, path in (
        ("province", f"/grading/{year}/b/{world.province.pk}/"),
        ("branch", f"/grading/{year}/b/{world.district.pk}/"),
        ("approved", f"/grading/a/{assessment.pk}/"),
        ("history", f"/grading/a/{assessment.pk}/history/"),
        ("sheet", f"/grading/sheets/{sheet.pk}/"),
    ):
        page.goto(path)
        look(page, name)
    switch_user(page, "officer_b")
    page.goto(f"/grading/{year}/u/{world.unit_b.pk}/")
    expect(page.get_by_test_id("grading-form")).to_be_visible()
    look(page, "form")
    page.set_viewport_size(DESKTOP)

    # The comment pages of the reviewer, and the validity of every page kept.
    switch_user(page, "leader")
    page.goto(f"/grading/a/{assessment.pk}/reopen/")
    look(page, "reopen")
    if not vnu_missing():
        problems = vnu_problems(DOCUMENTS, tmp_path / "html")
        assert not problems, "\n".join(problems)


def test_build_a_sheet_and_copy_it(page: Page, e2e_world):
    """The administrator builds a small sheet in the browser (an error on the field, kept as
    typed), sees it become usable, and copies it to the next year."""
    from grading.models import ScoreSheet

    login(page, "admin")
    page.goto("/grading/")
    page.get_by_test_id("sheet-new").click()
    page.locator("#id_year").fill("2031")
    page.locator("#id_unit_type").select_option("state")
    page.locator("#id_title").fill("Bảng chấm điểm thử năm 2031")
    page.locator("#id_total").fill("20")
    look(page, "builder-new")
    page.get_by_test_id("sheet-form-save").click()
    expect(page.get_by_test_id("sheet-problems")).to_be_visible()

    def add_group(number, title, points):
        page.get_by_test_id("group-add").click()
        page.locator("#id_number").fill(number)
        page.locator("#id_title").fill(title)
        page.locator("#id_max_points").fill(points)
        page.get_by_test_id("sheet-form-save").click()

    add_group("1", "Đại diện, bảo vệ đoàn viên", "15")
    add_group("2", "Xây dựng tổ chức", "10")
    expect(page.locator("#id_max_points")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_max_points")).to_have_value("10")
    expect(page.locator("#error_1_id_max_points, .invalid-feedback").first).to_contain_text(
        "tối đa 5"
    )
    look(page, "builder-error")
    page.locator("#id_max_points").fill("5")
    page.get_by_test_id("sheet-form-save").click()
    for number, points in (("1", "15"), ("2", "5")):
        page.locator('[id$="-tools"]').nth(int(number) - 1).get_by_test_id("criterion-add").click()
        page.locator("#id_number").fill("1")
        page.locator("#id_title").fill(f"Tiêu chí của nhóm {number}")
        page.locator("#id_max_points").fill(points)
        page.locator("#id_justification_required").check()
        page.get_by_test_id("sheet-form-save").click()
    for rank, code, name, score in (("1", "tot", "Tốt", "15"), ("2", "dat", "Đạt", "0")):
        page.get_by_test_id("grade-add").click()
        page.locator("#id_rank").fill(rank)
        page.locator("#id_name").fill(name)
        page.locator("#id_code").fill(code)
        page.locator("#id_min_score").fill(score)
        page.get_by_test_id("sheet-form-save").click()
    expect(page.get_by_test_id("sheet-problems")).to_have_count(0)
    expect(page.get_by_test_id("sheet-grades")).to_contain_text("Tốt")
    look(page, "builder-sheet")
    page.set_viewport_size(PHONE)
    look(page, "builder-sheet")
    page.get_by_test_id("criterion-edit").first.click()
    look(page, "builder-criterion")
    page.set_viewport_size(DESKTOP)
    page.goto(ScoreSheet.objects.get(year=2031).get_absolute_url())
    page.locator("#id_year").fill("2032")
    page.get_by_test_id("sheet-copy-submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng chấm điểm thử năm 2032")
    copy = ScoreSheet.objects.get(year=2032)
    assert copy.groups.count() == 2 and copy.grades.count() == 2
