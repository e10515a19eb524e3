"""Importing a tree from a file and merging units, in the browser, as provincial staff."""

import re

import pytest
from playwright.sync_api import expect

from federation.models import Membership, Organization
from tests.e2e.helpers import BAD_ROWS, as_upload, login, open_manage_menu
from tests.factories import make_unit

pytestmark = pytest.mark.e2e

# A child listed before its parent (both new): the import orders them itself.
GOOD_ROWS = [
    ["NB-P-D", "Công đoàn cơ sở Delta Phượng", "grassroots", "NB-P", 35, "delta@example.vn"],
    ["NB-Q-U-1", "Công đoàn Trường Tiểu học Quế", "cơ sở", "NB-Q-U", 42, "th@example.vn"],
    ["NB-Q-U", "Công đoàn ngành Giáo dục huyện Quế", "upper", "NB-Q", 0, "gd@example.vn"],
]


def upload(page, file):
    page.goto("/units/import/")
    page.locator("input[type=file]").set_input_files(file)
    page.get_by_test_id("import-submit").click()


def parent_code(code):
    return Organization.objects.get(code=code).parent_unit().code


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_staff_imports_a_good_file(page, e2e_world, fmt):
    before = Organization.objects.count()
    login(page, "staff")
    upload(page, as_upload(GOOD_ROWS, fmt))

    expect(page).to_have_url(re.compile(r"/units/import/$"))
    message = page.get_by_test_id("message")
    expect(message).to_have_class(re.compile(r"\balert-success\b"))
    expect(message).to_contain_text("3")
    expect(page.get_by_test_id("import-problems")).to_have_count(0)

    assert Organization.objects.count() == before + 3
    assert parent_code("NB-P-D") == "NB-P"
    assert parent_code("NB-Q-U") == "NB-Q"
    assert parent_code("NB-Q-U-1") == "NB-Q-U"
    school = Organization.objects.get(code="NB-Q-U-1")
    assert (school.kind, school.member_count, school.depth) == ("grassroots", 42, 5)
    assert Organization.objects.get(code="NB-Q").numchild == 2
    assert Organization.objects.get(code="NB-Q-U").numchild == 1

    # The new units are in the tree: the district's page lists the new union below it.
    page.goto(e2e_world.district_q.get_absolute_url())
    expect(page.get_by_test_id("children")).to_contain_text("Công đoàn ngành Giáo dục huyện Quế")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_staff_imports_a_bad_file_and_nothing_is_saved(page, e2e_world, fmt):
    before = set(Organization.objects.values_list("code", flat=True))
    login(page, "staff")
    upload(page, as_upload(BAD_ROWS, fmt))

    expect(page).to_have_url(re.compile(r"/units/import/$"))
    expect(page.get_by_test_id("import-problems")).to_be_visible()
    problems = page.get_by_test_id("import-problem")
    expect(problems).to_have_count(6)
    rows = [problems.nth(i).get_attribute("data-row") for i in range(6)]
    assert rows == ["3", "4", "5", "6", "7", "8"]

    def problem(row):
        return page.locator(f'[data-testid="import-problem"][data-row="{row}"]')

    expect(problem(3)).to_contain_text("NB-P-E")  # duplicated code
    expect(problem(4)).to_contain_text("KHONG-CO")  # unknown parent
    expect(problem(5)).to_contain_text("VONG-1")  # a cycle ...
    expect(problem(6)).to_contain_text("VONG-2")  # ... reported on both of its rows
    expect(problem(7)).to_contain_text("hợp tác xã")  # unknown kind
    expect(problem(8)).to_be_visible()  # missing name
    expect(page.get_by_test_id("message")).to_have_count(0)

    assert set(Organization.objects.values_list("code", flat=True)) == before


def test_the_optional_columns_may_be_left_out(page, e2e_world):
    """Member count, email and short name may be absent from the header row."""
    login(page, "staff")
    header = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
    upload(page, as_upload([row[:4] for row in GOOD_ROWS], "xlsx", header=header))
    expect(page.get_by_test_id("message")).to_have_class(re.compile(r"\balert-success\b"))
    imported = Organization.objects.filter(code__in=[row[0] for row in GOOD_ROWS])
    assert sorted(imported.values_list("code", "member_count", "email")) == [
        ("NB-P-D", 0, ""),
        ("NB-Q-U", 0, ""),
        ("NB-Q-U-1", 0, ""),
    ]


def test_staff_merges_unit_b_into_unit_a(page, e2e_world):
    world = e2e_world
    unit_a, unit_b = world.unit_a, world.unit_b
    section = make_unit("NB-P-B-1", "Công đoàn bộ phận Kho vận", parent=unit_b, member_count=15)
    login(page, "staff")
    page.goto(unit_b.get_absolute_url())
    open_manage_menu(page)
    page.locator(f'a[href="/units/{unit_b.pk}/merge/"]').click()
    expect(page).to_have_url(re.compile(rf"/units/{unit_b.pk}/merge/$"))

    # Typing part of a code suggests the units of the staff member's branch.
    field = page.locator("#id_target")
    # The page's script listens to the field once it has run (the URL changes before).
    expect(field).to_have_attribute("data-lookup", "ready")
    field.press_sequentially("NB-P-")
    expect(page.locator('#unit-options option[value="NB-P-A"]')).to_have_count(1)

    # A code that names no unit: the error stands next to the field, the value stays.
    field.fill("NB-P-ZZZ")
    page.get_by_test_id("pick-submit").click()
    expect(page).to_have_url(re.compile(rf"/units/{unit_b.pk}/merge/$"))
    expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#div_id_target .invalid-feedback")).to_contain_text("NB-P-ZZZ")
    expect(field).to_have_value("NB-P-ZZZ")
    unit_b.refresh_from_db()
    assert unit_b.is_active

    # Merging a unit into itself is refused by the service, next to the same field.
    field.fill("NB-P-B")
    page.get_by_test_id("pick-submit").click()
    expect(page.locator("#div_id_target .invalid-feedback")).to_be_visible()
    expect(field).to_have_value("NB-P-B")
    unit_b.refresh_from_db()
    assert unit_b.is_active

    field.fill("NB-P-A")
    page.get_by_test_id("pick-submit").click()
    expect(page).to_have_url(re.compile(rf"/units/{unit_a.pk}/$"))
    expect(page.get_by_test_id("message")).to_have_class(re.compile(r"\balert-success\b"))
    expect(page.get_by_test_id("members")).to_contain_text(world.officer_b.full_name)
    expect(page.get_by_test_id("children")).to_contain_text(section.name)
    expect(page.get_by_test_id("stat-members")).to_have_text("200")

    unit_b.refresh_from_db()
    assert not unit_b.is_active
    assert unit_b.merged_into_id == unit_a.pk
    assert parent_code("NB-P-B-1") == "NB-P-A"
    assert Membership.objects.filter(organization=unit_b).count() == 0
    assert Membership.objects.filter(organization=unit_a, user=world.officer_b).exists()
    # The district no longer counts B among its active units.
    page.goto(world.district.get_absolute_url())
    expect(page.get_by_test_id("children")).not_to_contain_text(unit_b.name)
