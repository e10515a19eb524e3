"""Reward money: a multiple of the base salary in force on the decision's date, rounded up to the
next ten thousand đồng; each awardee's amount and the total on the decision's page; the payment
list as XLSX for the finance department."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import BaseSalary, Decision, Nomination, NomineeKind, Occasion
from awards.rewards import base_salary_on, reward_amount
from emulation.workflow import ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("multiple", "base", "expected"),
    [
        ("1.0", 1_300_000, 1_300_000),
        ("1.5", 1_390_000, 2_090_000),  # 2,085,000 rounded up
        ("1.5", 1_300_000, 1_950_000),  # exactly
        ("0.3", 1_490_000, 450_000),  # 447,000 rounded up to the next ten thousand
        ("2.0", 2_340_000, 4_680_000),
        (None, 1_300_000, None),
        ("1.0", None, None),
    ],
)
def test_the_amount(multiple, base, expected):
    assert reward_amount(Decimal(multiple) if multiple else None, base) == expected


def test_the_base_salary_in_force_on_a_day():
    BaseSalary.objects.create(effective_from=dt.date(2017, 7, 1), amount=1_300_000)
    BaseSalary.objects.create(effective_from=dt.date(2018, 7, 1), amount=1_390_000)
    assert base_salary_on(dt.date(2017, 6, 30)) is None
    assert base_salary_on(dt.date(2018, 6, 30)).amount == 1_300_000
    assert base_salary_on(dt.date(2018, 7, 1)).amount == 1_390_000


def test_the_decision_shows_each_amount_and_the_total_and_exports_them(
    world, campaign, awards, client_for
):
    BaseSalary.objects.create(effective_from=dt.date(2017, 7, 1), amount=1_300_000)
    award = awards["person"]
    award.individual_multiple = Decimal("1.5")
    award.save()
    decision = Decision.objects.create(
        issuer=world.province,
        award_type=award,
        number=45,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 12, 28),
        signer_name="Lê Đình Việt",
    )
    for name in ("Trần Thị Lan", "Nguyễn Văn Bình"):
        Nomination.objects.create(
            campaign=campaign,
            award_type=award,
            nominating_unit=world.unit_a,
            occasion=Occasion.YEAR_END,
            nominee_kind=NomineeKind.INDIVIDUAL,
            nominee_unit=world.unit_a,
            person_name=name,
            position="Tổ trưởng",
            achievement="Thành tích.",
            current_level=world.province,
            status=ReviewStatus.APPROVED,
            council_result="approved",
            decision=decision,
        )
    body = client_for(world.staff).get(decision.get_absolute_url()).content.decode()
    assert body.count("1.950.000") == 2 and "3.900.000" in body
    assert 'data-testid="payments-xlsx"' in body
    response = client_for(world.staff).get(
        reverse("awards:decision-payments-xlsx", args=[decision.pk])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == (
        "TT",
        "Tập thể, cá nhân được khen thưởng",
        "Chức vụ",
        "Đơn vị",
        "Hệ số lương cơ sở",
        "Số tiền (đồng)",
    )
    assert {(r[1], r[4], r[5]) for r in rows[1:3]} == {
        ("Trần Thị Lan", 1.5, 1_950_000),
        ("Nguyễn Văn Bình", 1.5, 1_950_000),
    }
    assert rows[3][1] == "Tổng cộng" and rows[3][5] == 3_900_000
    # The unit sees its awardees' amounts, not the payment list.
    body = client_for(world.officer_a).get(decision.get_absolute_url()).content.decode()
    assert "1.950.000" in body and 'data-testid="payments-xlsx"' not in body
    response = client_for(world.officer_a).get(
        reverse("awards:decision-payments-xlsx", args=[decision.pk])
    )
    assert response.status_code in (403, 404)


def test_the_decision_pdf_carries_each_amount_and_the_total(world, campaign, awards, tmp_path):
    """Read back with pdftotext: the annex has each awardee's amount, the total, and Article 2
    the total with the base salary; an award without money keeps the plain wording."""
    import subprocess

    from awards.documents import decision_pdf

    BaseSalary.objects.create(effective_from=dt.date(2017, 7, 1), amount=1_300_000)
    award = awards["person"]
    decision = Decision.objects.create(
        issuer=world.province,
        award_type=award,
        number=46,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 12, 28),
        signer_name="Lê Đình Việt",
    )
    for name in ("Trần Thị Lan", "Nguyễn Văn Bình"):
        Nomination.objects.create(
            campaign=campaign,
            award_type=award,
            nominating_unit=world.unit_a,
            occasion=Occasion.YEAR_END,
            nominee_kind=NomineeKind.INDIVIDUAL,
            nominee_unit=world.unit_a,
            person_name=name,
            position="Tổ trưởng",
            achievement="Thành tích.",
            current_level=world.province,
            status=ReviewStatus.APPROVED,
            council_result="approved",
            decision=decision,
        )

    def text() -> str:
        path = tmp_path / "decision.pdf"
        path.write_bytes(decision_pdf(decision))
        out = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        return " ".join(out.stdout.split())

    plain = text()
    assert "Số tiền (đồng)" not in plain and "Tổng cộng" not in plain
    assert "theo quy định hiện hành của tổ chức Công đoàn" in plain
    award.individual_multiple = Decimal("1.5")
    award.save()
    decision.refresh_from_db()
    paid = text()
    assert "Số tiền (đồng)" in paid
    assert paid.count("1.950.000") == 2
    assert "Tổng cộng: 02 cá nhân 3.900.000" in paid
    assert "tổng cộng 3.900.000 đồng" in paid and "mức lương cơ sở 1.300.000 đồng" in paid
