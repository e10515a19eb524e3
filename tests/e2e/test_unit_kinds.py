"""A unit's kind on its form: read-only for the unit's own staff, limited to the kinds its
parent allows for the staff above; a kind from outside the list is refused on the field."""

import pytest
from playwright.sync_api import expect

from federation.models import Role
from tests.e2e.helpers import login
from tests.factories import make_member

pytestmark = pytest.mark.e2e


def test_the_kind_on_the_unit_forms(page, e2e_world):
    world = e2e_world
    make_member(world.district, Role.STAFF, username="hoalu_staff")
    login(page, "hoalu_staff")
    page.goto(f"/units/{world.district.pk}/edit/")
    kind = page.locator('select[name="kind"]')
    expect(kind).to_be_disabled()
    expect(
        page.get_by_text("Chỉ cán bộ của đơn vị cấp trên mới được thay đổi loại")
    ).to_be_visible()

    page.goto(f"/units/{world.district.pk}/add/")
    kind = page.locator('select[name="kind"]')
    expect(kind).to_be_enabled()
    options = kind.locator("option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert "provincial" not in values and "grassroots" in values
    # A forged option: the rule's message stands next to the field, what was typed stays.
    kind.evaluate(
        "select => select.add(new Option('LĐLĐ tỉnh, thành phố', 'provincial', true, true))"
    )
    page.fill('input[name="code"]', "NB-P-X")
    page.fill('input[name="name"]', "Liên đoàn giả")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text(
        "không được trực thuộc đơn vị loại LĐLĐ huyện"
    )
    expect(page.locator('input[name="name"]')).to_have_value("Liên đoàn giả")
