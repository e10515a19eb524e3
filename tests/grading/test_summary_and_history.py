"""The branch's grading summary as an official PDF, read back with pdftotext; a unit's
published grades of past years on its award history."""

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


def _publish(grading, year, day, **overrides):
    from grading.services.assessments import assessment_save, assessment_submit
    from grading.services.sheets import sheet_copy
    from tests.grading.conftest import full_marks

    world = grading.world
    sheet = grading.state
    if year != YEAR:
        sheet = sheet_copy(sheet=grading.state, year=year, by=world.admin)
    assessment = assessment_save(
        organization=world.unit_a,
        year=year,
        by=world.admin,
        entries=full_marks(sheet, **overrides),
        today=day,
    )
    assessment_submit(assessment, by=world.admin, today=day)
    assessment_verify(assessment, by=world.leader, verified={}, approve=True)
    grades_publish(upper=world.district, year=year, by=world.leader, today=day)


def test_past_grades_on_the_units_award_history_in_constant_queries(
    world, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grading = make_grading(world, top_grade_cap=None)
    client = client_for(world.officer_a)
    url = reverse("awards:history") + f"?unit={world.unit_a.pk}"
    _publish(grading, YEAR, DAY)
    client.get(url)
    with CaptureQueriesContext(connection) as one_year:
        page = client.get(url)
    assert page.content.decode().count('data-testid="grade-history-row"') == 1
    _publish(grading, YEAR - 1, DAY.replace(year=YEAR - 1), **{"2.1": 0, "2.2": 0})
    _publish(grading, YEAR - 2, DAY.replace(year=YEAR - 2))
    with django_assert_num_queries(len(one_year.captured_queries)):
        page = client.get(url)
    body = page.content.decode()
    assert body.count('data-testid="grade-history-row"') == 3
    assert body.index(str(YEAR)) < body.index(str(YEAR - 1)) < body.index(str(YEAR - 2))
    assert "Hoàn thành tốt nhiệm vụ" in body
    # Another unit's history shows none of unit A's grades.
    other = client.get(reverse("awards:history") + f"?unit={world.unit_b.pk}")
    assert 'data-testid="grade-history' not in other.content.decode()
