"""The acts that cannot be undone ask first, in the browser: approving every registration of a
queue, closing a council session, issuing a decision and granting a plaque each open the one
confirmation page, which says how many and who; "cancel" goes back with nothing done, the
confirm button does it. Each confirmation page passes axe-core and fits a phone. The forms keep
faith too: the registration form with nothing chosen says so beside the themes and keeps what
was typed.

Set ``E2E_SCREENSHOTS=/tmp/shots-forms14`` to keep a screenshot of each step.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from awards.demo import demo_pdf
from awards.models import (
    AwardCategory,
    AwardType,
    CouncilSession,
    Decision,
    NomineeKind,
    Occasion,
    Plaque,
    SessionStatus,
)
from awards.services.council import ballot_cast, session_open
from awards.services.dossier import dossier_file_add
from awards.services.nominations import nomination_create
from awards.services.review import nomination_endorse, nomination_submit
from emulation.workflow import ReviewStatus
from federation.models import Role
from registrations import services as registrations
from registrations.models import KeyWork, Registration
from tests.e2e.helpers import PHONE, login, switch_user
from tests.e2e.pagecheck import axe_problems
from tests.e2e.test_layout import LAYOUT_PROBLEMS
from tests.factories import make_member
from tests.registrations.conftest import make_campaign, registration_data

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/confirm-{name}-{width}.png", full_page=True)


def check_page(page: Page, name: str) -> None:
    """The page passes axe-core and nothing sticks out, on the desktop and on a phone."""
    problems = axe_problems(page, name)
    problems += page.evaluate(LAYOUT_PROBLEMS)
    shot(page, name)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    problems += [f"{name} (phone): {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
    shot(page, name)
    page.set_viewport_size(size)
    assert not problems, "\n".join(problems)


def fill_the_decision(page: Page) -> None:
    page.locator("#id_number").fill("45")
    page.locator("#id_symbol").fill("QĐ-LĐLĐ")
    page.locator("#id_signer_name").fill("Lê Đình Việt")
    page.get_by_test_id("decision-issue").click()


@pytest.fixture
def acts(e2e_world):
    """Two registrations awaiting the district's review; a council session of the province
    with two nominations every member approved; an approved registration with a work."""
    world = e2e_world
    campaign = make_campaign(world)
    for unit, officer in ((world.unit_a, world.officer_a), (world.unit_b, world.officer_b)):
        registration = registrations.registration_save_draft(
            campaign=campaign, organization=unit, by=officer, data=registration_data(campaign)
        )
        registrations.registration_submit(registration, by=officer)
    data = registration_data(campaign)
    data["key_works"] = [{"name": "Nhà văn hóa công nhân", "estimated_value": "850"}]
    work_registration = registrations.registration_save_draft(
        campaign=campaign, organization=world.unit_c, by=world.admin, data=data
    )
    registrations.registration_submit(work_registration, by=world.admin)
    registrations.registration_approve(work_registration, by=world.staff)

    council = [make_member(world.province, Role.COUNCIL, f"hoidong{i}") for i in (1, 2, 3)]
    award = AwardType.objects.create(
        name="Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
        certificate_title="BẰNG KHEN",
        category=AwardCategory.FORM,
        nominee_kind=NomineeKind.INDIVIDUAL,
        granting_unit=world.province,
        required_documents="Tờ trình đề nghị khen thưởng",
    )
    nominations = []
    for name in ("Trần Thị Lan", "Phạm Văn Hùng"):
        nomination = nomination_create(
            by=world.officer_a,
            campaign=campaign,
            award_type=award,
            nominating_unit=world.unit_a,
            data={
                "occasion": Occasion.YEAR_END,
                "phase": None,
                "nominee_unit": world.unit_a,
                "person_name": name,
                "gender": "female",
                "birth_year": 1980,
                "position": "Tổ trưởng sản xuất",
                "achievement": "Hoàn thành xuất sắc nhiệm vụ.",
            },
        )
        dossier_file_add(
            nomination=nomination,
            by=world.officer_a,
            document="Tờ trình đề nghị khen thưởng",
            upload=SimpleUploadedFile("to-trinh.pdf", demo_pdf("To trinh"), "application/pdf"),
        )
        nomination = nomination_submit(nomination=nomination, by=world.officer_a)
        nominations.append(nomination_endorse(nomination=nomination, by=world.leader))
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên họp xét khen thưởng cuối năm",
        meeting_date=dt.date.today(),
        nominations=nominations,
    )
    items = list(session.items.all())
    for member in council:
        ballot_cast(session=session, by=member, choices={item.pk: "approve" for item in items})
    return world, campaign, session


def test_cancel_does_nothing_and_confirm_does_it(page: Page, acts):
    world, campaign, session = acts

    # The district's leader approves every registration awaiting review in the queue.
    login(page, "leader")
    page.goto(f"/registrations/c/{campaign.pk}/review/{world.district.pk}/")
    page.get_by_test_id("bulk-all").click()
    expect(page.get_by_test_id("confirm-question")).to_contain_text("2")
    expect(page.get_by_test_id("confirm-affected-item")).to_have_count(2)
    expect(page.get_by_test_id("confirm-affected")).to_contain_text(world.unit_a.name)
    expect(page.get_by_test_id("confirm-affected")).to_contain_text(world.unit_b.name)
    check_page(page, "bulk-approve")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("queue")).to_be_visible()
    assert Registration.objects.filter(status=ReviewStatus.SUBMITTED).count() == 2
    page.get_by_test_id("bulk-all").click()
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("message").first).to_contain_text("2")
    assert Registration.objects.filter(status=ReviewStatus.SUBMITTED).count() == 0

    # The province's staff close the council session.
    switch_user(page, "staff")
    page.goto(session.get_absolute_url())
    page.get_by_test_id("session-close").click()
    expect(page.get_by_test_id("confirm-consequences")).to_contain_text("3 trên 3")
    expect(page.get_by_test_id("confirm-affected-item")).to_have_count(2)
    check_page(page, "session-close")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("session-status")).to_be_visible()
    assert CouncilSession.objects.get().status == SessionStatus.OPEN
    page.get_by_test_id("session-close").click()
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("item-result")).to_have_count(2)
    assert CouncilSession.objects.get().status == SessionStatus.CLOSED

    # ... and issue the decision for both approved nominations.
    page.get_by_test_id("decision-create").first.click()
    form = page.url
    fill_the_decision(page)
    expect(page.get_by_test_id("confirm-question")).to_contain_text("45/")
    expect(page.get_by_test_id("confirm-affected")).to_contain_text("Trần Thị Lan")
    expect(page.get_by_test_id("confirm-affected")).to_contain_text("Phạm Văn Hùng")
    check_page(page, "decision-issue")
    page.get_by_test_id("confirm-cancel").click()
    expect(page).to_have_url(re.compile(r"/awards/decisions/$"))
    assert not Decision.objects.exists()
    page.goto(form)
    fill_the_decision(page)
    page.get_by_test_id("confirm-yes").click()
    expect(page).to_have_url(re.compile(r"/awards/decisions/\d+/$"))
    decision = Decision.objects.get()
    assert decision.number == 45 and decision.nominations.count() == 2

    # ... and grant a plaque to the registered work.
    work = KeyWork.objects.get()
    page.goto("/awards/plaques/")
    page.get_by_test_id("plaque-candidates").get_by_role("button").first.click()
    expect(page.get_by_test_id("confirm-question")).to_contain_text(work.name)
    expect(page.get_by_test_id("confirm-affected")).to_contain_text(world.unit_c.name)
    check_page(page, "plaque-grant")
    page.get_by_test_id("confirm-cancel").click()
    expect(page.get_by_test_id("plaque-candidates")).to_contain_text(work.name)
    assert not Plaque.objects.exists()
    page.get_by_test_id("plaque-candidates").get_by_role("button").first.click()
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("plaques")).to_contain_text(work.name)
    assert Plaque.objects.get().key_work == work


def test_the_registration_form_keeps_what_was_typed(page: Page, e2e_world):
    world = e2e_world
    campaign = make_campaign(world)
    login(page, "officer_a")
    page.goto(f"/registrations/c/{campaign.pk}/u/{world.unit_a.pk}/edit/")
    block = page.get_by_test_id("theme-block").first
    block.get_by_test_id("theme-check").check()
    block.get_by_test_id("commitment").fill("Phấn đấu 100% đoàn viên tham gia.")
    block.get_by_test_id("target-name").first.fill("Sáng kiến")
    block.get_by_test_id("target-value").first.fill("-2")
    rows = block.get_by_test_id("target-row").count()

    # A wrong value: shown again twice, the form keeps its rows (no blank ones added).
    for _attempt in range(2):
        page.get_by_test_id("reg-save").click()
        expect(page.get_by_test_id("form-errors")).to_be_visible()
        expect(block.get_by_test_id("target-row")).to_have_count(rows)
        expect(block.get_by_test_id("target-value").first).to_have_value("-2")
    check_page(page, "registration-error")

    # Nothing chosen: nothing saved, the message is beside the themes, the text is kept.
    block.get_by_test_id("target-value").first.fill("4")
    block.get_by_test_id("theme-check").uncheck()
    page.get_by_test_id("reg-save").click()
    expect(page.get_by_test_id("themes-errors")).to_contain_text(
        "Hãy chọn ít nhất một nội dung thi đua"
    )
    assert not Registration.objects.filter(organization=world.unit_a).exists()
    block.get_by_test_id("theme-check").check()
    expect(block.get_by_test_id("commitment")).to_have_value("Phấn đấu 100% đoàn viên tham gia.")
    check_page(page, "registration-nothing-chosen")
    page.get_by_test_id("reg-save").click()
    expect(page.get_by_test_id("message").first).to_be_visible()
    assert Registration.objects.get(organization=world.unit_a).themes.count() == 1
