"""A cluster of three district federations in the browser: the province's staff (cspl in the
demo) forms it and makes district P the leader; P's leader drafts the agreement; the three
members accept it; district Q scores itself and the leader scores Q; the page shows the
results and ranks. Every page passes axe-core, the layout checks and the Nu HTML checker.

Set ``E2E_SCREENSHOTS=/tmp/shots-clusters18`` to keep a screenshot of each page at each size.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusters.models import Agreement, Cluster
from federation.models import OrganizationKind, Role
from tests.e2e.helpers import PHONE, login, switch_user
from tests.e2e.pagecheck import Documents, axe_problems, vnu_missing, vnu_problems
from tests.e2e.test_layout import LAYOUT_PROBLEMS
from tests.factories import make_member, make_unit

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")
DOCUMENTS = Documents()


def look(page: Page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    DOCUMENTS.keep(page, f"{name}-{page.viewport_size['width']}")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=f"{SHOTS}/clusters-{name}-{page.viewport_size['width']}.png", full_page=True
        )
    problems = page.evaluate(LAYOUT_PROBLEMS) + axe_problems(page, name)
    assert not problems, problems


def test_form_agree_and_score(page: Page, e2e_world, tmp_path):
    world = e2e_world
    DOCUMENTS.watch(page)
    district_r = make_unit(
        "NB-R", "Liên đoàn Lao động huyện Rạng", OrganizationKind.LOCAL, world.province
    )
    make_member(world.district_q, Role.OFFICER, "officer_q")
    make_member(district_r, Role.OFFICER, "officer_r")

    # The province's staff forms the cluster and adds the three districts.
    login(page, "staff")
    page.goto("/clusters/")
    page.locator("#id_forming_unit").select_option(str(world.province.pk))
    page.locator("#id_kind").select_option("cluster")
    page.locator("#id_name").fill("Cụm thi đua các huyện phía Nam")
    year = int(page.locator("#id_term_start").input_value())
    page.locator("#id_term_end").fill(str(year + 2))
    look(page, "index")
    page.get_by_role("button", name="Tạo").click()
    expect(page.get_by_test_id("cluster-name")).to_have_text("Cụm thi đua các huyện phía Nam")
    page.locator("#id_unit").fill("NB-ZZ")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator("#id_unit").locator("..")).to_contain_text("Không có đơn vị")
    look(page, "member-error")
    for code in ("NB-P", "NB-Q", "NB-R"):
        page.locator("#id_unit").fill(code)
        page.get_by_role("button", name="Thêm", exact=True).click()
        expect(page.locator(f'[data-testid="member-row"][data-unit="{code}"]')).to_be_visible()
    page.locator('[data-testid="member-row"][data-unit="NB-P"]').get_by_test_id(
        "make-leader"
    ).click()
    expect(page.get_by_test_id("cluster-leader")).to_have_text(world.district.name)
    look(page, "managed")
    cluster = Cluster.objects.get()
    url = f"/clusters/{cluster.pk}/?year={year}"

    # The leader of district P drafts the agreement and accepts it.
    switch_user(page, "leader")
    page.goto(url)
    page.get_by_test_id("agreement-edit").click()
    page.locator("#id_criteria").fill("Phát triển đoàn viên 40")
    page.get_by_test_id("agreement-save").click()
    expect(page.get_by_test_id("agreement-form")).to_contain_text("Dòng 1:")
    look(page, "agreement-error")
    page.locator("#id_criteria").fill("Phát triển đoàn viên | 40\nChăm lo đời sống | 60")
    page.locator("#id_aggregate").select_option("leader")
    page.get_by_test_id("agreement-save").click()
    page.locator('[data-testid="member-row"][data-unit="NB-P"]').get_by_test_id("accept").click()
    expect(page.get_by_test_id("agreement-state")).to_contain_text("1/3")

    # The other members accept: the agreement is agreed.
    for person, code in (("officer_q", "NB-Q"), ("officer_r", "NB-R")):
        switch_user(page, person)
        page.goto(url)
        row = page.locator(f'[data-testid="member-row"][data-unit="{code}"]')
        row.get_by_test_id("accept").click()
    expect(page.get_by_test_id("agreement-state")).to_contain_text("Mọi đơn vị đã chấp thuận")
    pdf = page.request.get(f"/clusters/{cluster.pk}/{year}/agreement.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert Agreement.objects.get().agreed_at is not None

    # District Q scores itself with evidence; the leader scores Q.
    switch_user(page, "officer_q")
    page.goto(url)
    page.locator('[data-testid="member-row"][data-unit="NB-Q"]').get_by_test_id("score").click()
    fields = page.locator("input[name^=points_]")
    fields.nth(0).fill("45")
    fields.nth(1).fill("55")
    page.get_by_test_id("score-save").click()
    expect(page.get_by_test_id("score-form")).to_contain_text("Từ 0 đến 40 điểm.")
    look(page, "score-error")
    fields.nth(0).fill("38")
    page.locator("input[name^=evidence_]").nth(0).fill("Báo cáo số 12")
    page.get_by_test_id("score-save").click()
    q_row = page.locator('[data-testid="member-row"][data-unit="NB-Q"]')
    expect(q_row.locator("td").nth(3)).to_have_text("93")
    switch_user(page, "leader")
    page.goto(url)
    q_row.get_by_test_id("score").click()
    fields.nth(0).fill("35")
    fields.nth(1).fill("50")
    page.get_by_test_id("score-save").click()
    expect(q_row.get_by_test_id("result")).to_have_text("85")
    expect(q_row.get_by_test_id("rank")).to_have_text("1")
    look(page, "scored")
    page.set_viewport_size(PHONE)
    page.goto(url)
    look(page, "scored")
    if not vnu_missing():
        problems = vnu_problems(DOCUMENTS, tmp_path / "html")
        assert not problems, "\n".join(problems)
