"""The branch's grading summary as an official PDF, read back with pdftotext."""

import subprocess

from django.urls import reverse

from grading.services.publication import grades_publish
from grading.services.verification import assessment_verify
from tests.grading.conftest import DAY, YEAR, make_grading
from tests.grading.test_services import submitted


def test_the_branch_summary_pdf(world, client_for, tmp_path):
    grading = make_grading(world, top_grade_cap=50)
    assessment_verify(submitted(grading), by=world.leader, verified={}, approve=True)
    unit_b = submitted(grading, unit=world.unit_b, **{"2.1": 0, "2.2": 0})
    assessment_verify(unit_b, by=world.leader, verified={}, approve=True)
    grades_publish(upper=world.district, year=YEAR, by=world.leader, today=DAY)
    client = client_for(world.staff)
    response = client.get(reverse("grading:branch-pdf", args=[YEAR, world.district.pk]))
    assert response["Content-Type"] == "application/pdf"
    (tmp_path / "summary.pdf").write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "summary.pdf"), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "BÁO CÁO" in text and f"công đoàn cơ sở năm {YEAR}" in text
    assert "đã xếp loại 2" in text and "Hoàn thành xuất sắc nhiệm vụ: 1 (50,0%)" in text
    assert "Alpha" in text and "100" in text  # unit A's verified score
    response = client.get(reverse("grading:branch-pdf", args=[YEAR, world.province.pk]))
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Kết quả theo đơn vị trực thuộc" in text
    assert client_for(world.officer_b).get(
        reverse("grading:branch-pdf", args=[YEAR, world.district.pk])
    ).status_code in (403, 404)
