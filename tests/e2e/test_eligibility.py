"""A nomination blocked by the award's conditions, then accepted once they are met, in the
browser: ``cdcs1`` sees each condition with its evidence and cannot send the nomination up;
declares the exclusions, completes the award history with the previous year's Bằng khen (a
wrong year first, refused next to the field and kept); records the person's initiative in the
register with its recognition decision; sends it up; ``hoalu`` sees the check before endorsing
and endorses.

Set ``E2E_SCREENSHOTS=/tmp/shots`` to keep full-page screenshots (desktop and phone).
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.demo import demo_pdf
from awards.models import (
    AwardCategory,
    AwardType,
    EligibilityRule,
    Nomination,
    NomineeKind,
    Occasion,
    PriorAward,
    RuleKind,
)
from awards.services.nominations import nomination_create
from campaigns.models import Campaign, CampaignStatus
from emulation.workflow import ReviewStatus
from federation.models import Role
from tests.awards.conftest import add_dossier, person
from tests.e2e.helpers import DESKTOP, PHONE, login, switch_user
from tests.factories import make_member

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(path=f"{SHOTS}/{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_nomination_blocked_by_a_rule_then_accepted(page, e2e_world):
    world = e2e_world
    officer = make_member(world.unit_a, Role.OFFICER, "cdcs1")
    make_member(world.district, Role.LEADER, "hoalu")
    year = timezone.localdate().year
    campaign = Campaign.objects.create(
        issuer=world.province,
        year=year,
        title="Phát động phong trào thi đua yêu nước",
        slug="thi-dua",
        number=13,
        status=CampaignStatus.ACTIVE,
    )
    award = AwardType.objects.create(
        name="Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
        certificate_title="BẰNG KHEN",
        category=AwardCategory.FORM,
        nominee_kind=NomineeKind.INDIVIDUAL,
        granting_unit=world.province,
        required_documents="Tờ trình đề nghị khen thưởng\nBáo cáo thành tích",
    )
    history = EligibilityRule.objects.create(
        award_type=award, kind=RuleKind.HISTORY, label="Bằng khen của LĐLĐ tỉnh năm trước"
    )
    history.prior_awards.set([award])
    EligibilityRule.objects.create(
        award_type=award,
        kind=RuleKind.DECLARATION,
        label="Không bị kỷ luật từ khiển trách trở lên",
        position=1,
    )
    EligibilityRule.objects.create(
        award_type=award,
        kind=RuleKind.SAME_LEVEL,
        label="Không đồng thời khen toàn diện và chuyên đề",
        position=2,
    )
    EligibilityRule.objects.create(
        award_type=award,
        kind=RuleKind.INITIATIVES,
        label="Có ít nhất 01 sáng kiến được công nhận cấp cơ sở",
        position=3,
    )
    nomination = nomination_create(
        by=officer,
        campaign=campaign,
        award_type=award,
        nominating_unit=world.unit_a,
        data=person("Trần Thị Lan", world.unit_a, occasion=Occasion.YEAR_END),
    )
    add_dossier(nomination, officer)

    login(page, "cdcs1")
    page.goto(nomination.get_absolute_url())
    checks = page.get_by_test_id("rule-check")
    expect(checks).to_have_count(4)
    expect(page.get_by_test_id("rule-status")).to_have_text(
        ["Chưa đạt", "Chưa đạt", "Đạt", "Chưa đạt"]
    )
    expect(checks.nth(0)).to_contain_text(f"{year - 1}: không có")
    expect(page.get_by_test_id("nomination-submit")).to_be_disabled()
    expect(page.get_by_test_id("blocked-note")).to_be_visible()
    shot(page, "eligibility-01-blocked")

    # The unit declares the exclusion.
    page.get_by_test_id("declaration-form").get_by_label(
        "Không bị kỷ luật từ khiển trách trở lên"
    ).check()
    page.get_by_test_id("declaration-submit").click()
    expect(page.get_by_test_id("rule-status")).to_have_text(
        ["Chưa đạt", "Đã cam kết", "Đạt", "Chưa đạt"]
    )
    expect(page.get_by_test_id("nomination-submit")).to_be_disabled()

    # The history: a year to come is refused next to the field, and what was typed stays.
    form = page.get_by_test_id("prior-award-form")
    form.locator("#id_year").fill(str(year + 5))
    form.locator("#id_reference").fill(f"45/QĐ-LĐLĐ 28/12/{year - 1}")
    page.get_by_test_id("prior-award-submit").click()
    form = page.get_by_test_id("prior-award-form")
    expect(form.locator("#id_year")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(form).to_contain_text(f"Năm phải từ 1950 đến {year}.")
    expect(form.locator("#id_year")).to_have_value(str(year + 5))
    expect(form.locator("#id_reference")).to_have_value(f"45/QĐ-LĐLĐ 28/12/{year - 1}")
    assert not PriorAward.objects.exists()
    form.locator("#id_year").fill(str(year - 1))
    page.get_by_test_id("prior-award-submit").click()
    expect(page.get_by_test_id("rule-status")).to_have_text(
        ["Đạt", "Đã cam kết", "Đạt", "Chưa đạt"]
    )
    expect(page.get_by_test_id("rule-check").nth(0)).to_contain_text(f"45/QĐ-LĐLĐ 28/12/{year - 1}")
    expect(page.get_by_test_id("nomination-submit")).to_be_disabled()

    # The initiative, recorded in the register (a date to come refused first) with its decision.
    page.goto("/awards/history/")
    page.get_by_test_id("initiative-add").click()
    form = page.get_by_test_id("initiative-form")
    form.get_by_label("Mã đơn vị").fill(world.unit_a.code)
    form.get_by_label("Họ và tên").fill("Trần Thị Lan")
    form.get_by_label("Sáng kiến").fill("Cải tiến quy trình kiểm kê kho")
    form.get_by_label("Cấp công nhận").select_option("grassroots")
    form.get_by_label("Ngày công nhận").fill(f"{year + 1}-01-10")
    form.get_by_label("Cơ quan công nhận").fill("Hội đồng sáng kiến CĐCS Alpha")
    page.get_by_test_id("initiative-save").click()
    form = page.get_by_test_id("initiative-form")
    expect(form.locator("#id_recognised_on")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(form.get_by_label("Sáng kiến")).to_have_value("Cải tiến quy trình kiểm kê kho")
    form.get_by_label("Ngày công nhận").fill(timezone.localdate().isoformat())
    page.get_by_test_id("initiative-save").click()
    expect(page.get_by_test_id("initiative-title")).to_have_text("Cải tiến quy trình kiểm kê kho")
    upload = page.get_by_test_id("initiative-file-form")
    upload.get_by_label("Văn bản").fill("Quyết định công nhận sáng kiến")
    upload.get_by_label("Tệp").set_input_files(
        files=[{"name": "qd.pdf", "mimeType": "application/pdf", "buffer": demo_pdf("QD")}]
    )
    page.get_by_test_id("initiative-upload").click()
    expect(page.get_by_test_id("initiative-file")).to_contain_text("qd.pdf")
    shot(page, "eligibility-02-initiative")

    page.goto(nomination.get_absolute_url())
    expect(page.get_by_test_id("rule-status")).to_have_text(["Đạt", "Đã cam kết", "Đạt", "Đạt"])
    expect(page.get_by_test_id("nomination-submit")).to_be_enabled()
    shot(page, "eligibility-02-met")
    page.get_by_test_id("nomination-submit").click()
    expect(page.get_by_test_id("nomination-stage")).to_have_text("Đang xét duyệt")

    # The district's leader sees the check before endorsing.
    switch_user(page, "hoalu")
    page.goto(nomination.get_absolute_url())
    expect(page.get_by_test_id("endorse-check")).to_contain_text("đã đáp ứng")
    expect(page.get_by_test_id("rule-status")).to_have_text(["Đạt", "Đã cam kết", "Đạt", "Đạt"])
    shot(page, "eligibility-03-endorser")
    page.get_by_test_id("nomination-endorse").click()
    expect(page.get_by_test_id("nomination-stage")).to_have_text("Chờ Hội đồng xét")
    nomination = Nomination.objects.get()
    assert nomination.status == ReviewStatus.SUBMITTED
    assert nomination.current_level == world.province
