"""A cluster of three district federations in the browser: the province's staff (cspl in the
demo) forms it and makes district P the leader; P's leader drafts the agreement; the three
members accept it; district Q scores itself with an evidence file and the leader scores Q; the
page shows the results, ranks and chart; the leader opens the vote (suy tôn) for the
province's flag, the three members cast their secret ballots and the leader closes it, which
puts a draft nomination before the province; the leader sends the summary up and the
province's staff return it, then approve it. Every page passes axe-core, the layout checks and
the Nu HTML checker.

Set ``E2E_SCREENSHOTS=/tmp/shots-clusters18`` to keep a screenshot of each page at each size.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from awards.demo import demo_pdf
from awards.models import AwardType, Nomination, NomineeKind
from campaigns.models import Campaign, CampaignStatus
from clusters.models import Agreement, Cluster, ClusterSummary
from federation.models import OrganizationKind, Role
from tests.e2e.helpers import DESKTOP, PHONE, login, switch_user
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
    evidence = tmp_path / "bao-cao-12.pdf"
    evidence.write_bytes(demo_pdf("Bao cao so 12"))
    page.locator("input[name^=file_]").nth(0).set_input_files(str(evidence))
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
    page.set_viewport_size(DESKTOP)
    page.goto(f"/clusters/{cluster.pk}/{year}/score/{world.district_q.pk}/")
    expect(page.get_by_test_id("evidence-files")).to_contain_text("bao-cao-12.pdf")

    # The vote (suy tôn) for the province's flag: each member casts one secret ballot.
    campaign = Campaign.objects.create(
        issuer=world.province,
        year=year,
        title=f"Phong trào thi đua năm {year}",
        slug=f"{year}-cum",
        number=9,
        status=CampaignStatus.ACTIVE,
    )
    flag = AwardType.objects.create(
        name="Cờ thi đua của LĐLĐ tỉnh",
        certificate_title="CỜ THI ĐUA",
        nominee_kind=NomineeKind.COLLECTIVE,
        granting_unit=world.province,
    )
    page.goto(url)
    page.get_by_test_id("vote-open").click()
    page.locator("#id_campaign").select_option(str(campaign.pk))
    page.locator("#id_award_type").select_option(str(flag.pk))
    page.locator("#id_threshold").fill("67")
    look(page, "vote-open")
    page.get_by_test_id("vote-open-submit").click()
    expect(page.get_by_test_id("vote-state")).to_contain_text("0/3")
    vote_url = page.url
    for person, approve in (
        ("leader", ("Liên đoàn Lao động huyện Quế", "Liên đoàn Lao động huyện Rạng")),
        ("officer_q", ("Liên đoàn Lao động huyện Quế",)),
        ("officer_r", ("Liên đoàn Lao động huyện Quế",)),
    ):
        switch_user(page, person)
        page.goto(vote_url)
        ballot = page.get_by_test_id("ballot")
        for name in approve:
            ballot.get_by_label(name).check()
        if person == "officer_r":
            look(page, "ballot")
        ballot.get_by_test_id("ballot-submit").click()
        expect(page.get_by_test_id("ballot")).to_have_count(0)
    expect(page.get_by_test_id("candidates")).not_to_contain_text("%")  # secret until closed
    switch_user(page, "leader")
    page.goto(vote_url)
    page.get_by_test_id("vote-close").click()
    q_candidate = page.locator('[data-testid="candidate"][data-unit="NB-Q"]')
    expect(q_candidate).to_contain_text("3/3")
    expect(q_candidate.get_by_test_id("candidate-result")).to_contain_text("Được suy tôn")
    expect(page.locator('[data-testid="candidate"][data-unit="NB-R"]')).to_contain_text(
        "Không được suy tôn"
    )  # one of three: 33.33 % < 67 %
    look(page, "vote-closed")
    nomination = Nomination.objects.get()
    assert (nomination.nominating_unit, nomination.nominee_unit) == (
        world.province,
        world.district_q,
    )
    assert "3/3" in nomination.achievement

    # The leader sends the summary up; the province's staff return it, then approve it.
    page.goto(f"/clusters/{cluster.pk}/{year}/summary/")
    page.locator("#id_text").fill("Cụm đã tổ chức ký kết giao ước, chấm điểm và suy tôn.")
    page.get_by_test_id("summary-submit").click()
    expect(page.get_by_test_id("summary-status")).to_contain_text("Chờ duyệt")
    switch_user(page, "staff")
    page.goto("/")
    page.get_by_test_id("work-cluster-summary-review").get_by_test_id("work-link").click()
    page.get_by_test_id("summary-return").click()
    page.get_by_test_id("comment").fill("Bổ sung kết quả suy tôn.")
    page.get_by_test_id("comment-submit").click()
    expect(page.get_by_test_id("summary-status")).to_contain_text("Trả lại")
    switch_user(page, "leader")
    page.goto(f"/clusters/{cluster.pk}/{year}/summary/")
    expect(page.get_by_test_id("summary-comment")).to_contain_text("Bổ sung kết quả suy tôn.")
    page.locator("#id_text").fill("Cụm đã ký kết giao ước, chấm điểm; suy tôn huyện Quế.")
    page.get_by_test_id("summary-submit").click()
    switch_user(page, "staff")
    page.goto(f"/clusters/{cluster.pk}/{year}/summary/")
    look(page, "summary-review")
    page.get_by_test_id("summary-approve").click()
    expect(page.get_by_test_id("summary-status")).to_contain_text("Đã duyệt")
    assert ClusterSummary.objects.get().status == "approved"
    page.goto(f"/clusters/?year={year}")
    expect(page.get_by_test_id("cluster-row")).to_contain_text("Liên đoàn Lao động huyện Quế")
    look(page, "side-by-side")
    pdf = page.request.get(f"/clusters/{cluster.pk}/{year}/summary.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    if not vnu_missing():
        problems = vnu_problems(DOCUMENTS, tmp_path / "html")
        assert not problems, "\n".join(problems)
