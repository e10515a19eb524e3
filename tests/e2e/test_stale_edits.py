"""In the browser: an edit page opened before someone else saved refuses the save, says what
they changed, keeps what was typed, and saves on the second click."""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DESKTOP, PHONE, login
from tests.test_permissions import campaign_a

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def _shoot(page, name):
    if not SHOTS:
        return
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("what", ["campaign", "unit"])
def test_a_stale_edit_page_says_what_changed(page, e2e_world, what):
    from campaigns.models import Campaign
    from campaigns.services.campaign import campaign_update
    from federation.models import Organization
    from federation.services.units import organization_update

    w = e2e_world
    if what == "campaign":
        pk = campaign_a(w)["pk"]
        url, field = f"/campaigns/{pk}/edit/", "title"

        def theirs():
            campaign_update(
                campaign=Campaign.objects.get(pk=pk), by=w.admin, data={"title": "Tên của họ"}
            )

        def now():
            return Campaign.objects.get(pk=pk).title
    else:
        url, field = f"/units/{w.unit_a.pk}/edit/", "name"

        def theirs():
            organization_update(
                org=Organization.objects.get(pk=w.unit_a.pk),
                by=w.admin,
                data={"name": "Tên của họ"},
            )

        def now():
            return Organization.objects.get(pk=w.unit_a.pk).name

    login(page, w.staff.username)
    page.goto(url)
    theirs()
    page.locator(f"#id_{field}").fill("Tên của tôi")
    page.get_by_role("button", name="Lưu", exact=True).click()
    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("Người khác đã lưu nội dung này sau khi bạn mở trang")
    expect(errors).to_contain_text("“Tên của họ”")
    expect(page.locator(f"#id_{field}")).to_have_value("Tên của tôi")
    assert now() == "Tên của họ"
    _shoot(page, f"stale-{what}")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_test_id("form-errors")).to_have_count(0)
    assert now() == "Tên của tôi"
