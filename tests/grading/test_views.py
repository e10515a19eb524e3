"""The grading pages: the unit's form (errors on the field, nothing saved), the reviewer's
verification, the dashboard (constant queries), publication, the XLSX and the PDF."""

import io
import subprocess
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from federation.models import OrganizationKind as K
from grading.models import Assessment, GradingProfile, UnitType
from grading.services.assessments import assessment_save, assessment_submit
from grading.services.verification import assessment_verify
from tests.factories import make_unit
from tests.grading.conftest import DAY, YEAR, criterion, full_marks


def form_data(sheet, action="save", **overrides):
    data = {"action": action}
    for pk, entry in full_marks(sheet, **overrides).items():
        data[f"points_{pk}"] = str(entry.points).replace(".", ",")
        data[f"justification_{pk}"] = entry.justification
    return data


@pytest.fixture
def on_day(monkeypatch):
    """The pages' ``today`` is DAY (a day of the grading period)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: DAY)


def test_the_unit_saves_a_draft_and_submits(grading, client_for, on_day):
    world = grading.world
    client = client_for(world.officer_a)
    url = reverse("grading:unit", args=[YEAR, world.unit_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert (
        "Bảng chấm điểm CĐCS cơ quan nhà nước" in page.content.decode()
        or "Đại diện" in page.content.decode()
    )
    response = client.post(url, form_data(grading.state, **{"1.1": "7,5"}))
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.self_total == D("97.5") and assessment.status == "draft"
    response = client.post(url, form_data(grading.state, action="submit"))
    assert response.status_code == 302
    assert Assessment.objects.get().status == "submitted"


def test_a_score_above_the_maximum_shows_on_its_field_and_keeps_what_was_typed(
    grading, client_for, on_day
):
    world = grading.world
    client = client_for(world.officer_a)
    url = reverse("grading:unit", args=[YEAR, world.unit_a.pk])
    response = client.post(url, form_data(grading.state, **{"1.1": "12"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tối đa 10 điểm cho tiêu chí này." in body
    assert 'value="12"' in body
    assert not Assessment.objects.exists()


def test_a_missing_justification_is_named_on_submit(grading, client_for, on_day):
    world = grading.world
    client = client_for(world.officer_a)
    url = reverse("grading:unit", args=[YEAR, world.unit_a.pk])
    data = form_data(grading.state, action="submit")
    data[f"justification_{criterion(grading.state, '1.1').pk}"] = ""
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tiêu chí này cần một lời giải trình ngắn." in response.content.decode()
    assert Assessment.objects.get().status == "draft"


def submitted(grading, unit=None, **overrides):
    world = grading.world
    assessment = assessment_save(
        organization=unit or world.unit_a,
        year=YEAR,
        by=world.admin,
        entries=full_marks(grading.state, **overrides),
        today=DAY,
    )
    return assessment_submit(assessment, by=world.admin, today=DAY)


def test_the_reviewer_lowers_a_score_with_a_comment_and_approves(grading, client_for):
    world = grading.world
    assessment = submitted(grading)
    client = client_for(world.leader)
    page = client.get(reverse("grading:assessment", args=[assessment.pk]))
    assert page.status_code == 200 and 'data-testid="verify-form"' in page.content.decode()
    first = criterion(grading.state, "1.1")
    url = reverse("grading:verify", args=[assessment.pk])
    response = client.post(url, {f"points_{first.pk}": "6", "action": "approve"})
    assert response.status_code == 200
    assert "Hãy nói vì sao điểm thẩm định khác điểm của đơn vị." in response.content.decode()
    assert Assessment.objects.get().status == "submitted"
    response = client.post(
        url,
        {f"points_{first.pk}": "6", f"comment_{first.pk}": "Thiếu biên bản", "action": "approve"},
    )
    assert response.status_code == 302
    done = Assessment.objects.get()
    assert done.status == "approved" and done.verified_total == 96
    # The unit sees the verified score and the comment, and cannot verify.
    page = client_for(world.officer_a).get(reverse("grading:assessment", args=[assessment.pk]))
    body = page.content.decode()
    assert "Thiếu biên bản" in body and 'data-testid="verify-form"' not in body
    assert client_for(world.officer_a).post(url, {"action": "approve"}).status_code == 403


def test_the_branch_publishes_and_the_distribution_changes(world, client_for):
    from tests.grading.conftest import make_grading

    grading = make_grading(world, top_grade_cap=None)
    assessment = submitted(grading)
    assessment_verify(assessment, by=world.leader, verified={}, approve=True)
    client = client_for(world.staff)
    url = reverse("grading:branch", args=[YEAR, world.district.pk])
    before = client.get(url).content.decode()
    assert 'data-testid="publish"' in before
    response = client.post(reverse("grading:publish", args=[YEAR, world.district.pk]))
    assert response.status_code == 302
    page = client.get(reverse("grading:branch", args=[YEAR, world.province.pk]))
    body = page.content.decode()
    assert 'data-testid="dist-xuat-sac">1<' in body
    row = body.split('data-unit="NB-P"')[1].split("</tr>")[0]
    assert 'data-testid="count-xuat-sac">1<' in row
    assert 'data-testid="not-graded">1<' in row  # B is not graded yet


def test_the_dashboard_and_the_queue_keep_constant_queries(
    grading, client_for, django_assert_max_num_queries
):
    world = grading.world
    submitted(grading)
    client = client_for(world.leader)
    url = reverse("grading:branch", args=[YEAR, world.district.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    count = len(few.captured_queries)
    assert 0 < count <= 25, count
    for index in range(12):
        unit = make_unit(f"NB-P-X{index}", f"CĐCS X{index}", K.GRASSROOTS, world.district)
        GradingProfile.objects.create(organization=unit, unit_type=UnitType.STATE)
        submitted(grading, unit=unit)
    with django_assert_max_num_queries(count):
        response = client.get(url)
    assert response.content.decode().count('data-testid="queue-row"') == 14
    assert client.get(url + "?page=2").status_code == 200
    province = reverse("grading:branch", args=[YEAR, world.province.pk])
    staff = client_for(world.staff)
    staff.get(province)
    with django_assert_max_num_queries(count):
        assert staff.get(province).status_code == 200


def test_the_xlsx_and_the_pdf(grading, client_for):
    world = grading.world
    assessment = submitted(grading)
    assessment_verify(assessment, by=world.leader, verified={}, approve=True)
    client = client_for(world.leader)
    response = client.get(reverse("grading:branch-xlsx", args=[YEAR, world.district.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[1][0] == "NB-P-A" and rows[1][3] == 100
    assert rows[1][5] == "Hoàn thành xuất sắc nhiệm vụ"
    response = client.get(reverse("grading:pdf", args=[assessment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "BẢNG CHẤM ĐIỂM" in text and "Hoàn thành xuất sắc nhiệm vụ" in text
    assert "CÔNG ĐOÀN CƠ SỞ ALPHA" in text and "Tự xếp loại" in text


def test_a_sibling_sees_nothing(grading, client_for):
    world = grading.world
    assessment = submitted(grading)
    client = client_for(world.officer_b)
    assert client.get(reverse("grading:assessment", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("grading:unit", args=[YEAR, world.unit_a.pk])).status_code == 404
    assert client.get(reverse("grading:branch", args=[YEAR, world.district.pk])).status_code == 404


def test_past_grades_show_on_the_units_pages_and_feed_commendation(grading, client_for, on_day):
    from grading.selectors import published_grade
    from grading.services.publication import grades_publish
    from grading.services.sheets import sheet_copy

    world = grading.world
    earlier = sheet_copy(sheet=grading.state, year=YEAR - 1, by=world.admin)
    assessment = assessment_save(
        organization=world.unit_a,
        year=YEAR - 1,
        by=world.admin,
        entries=full_marks(earlier),
        today=DAY.replace(year=YEAR - 1),
    )
    assessment_submit(assessment, by=world.admin, today=DAY.replace(year=YEAR - 1))
    assessment_verify(assessment, by=world.leader, verified={}, approve=True)
    assert published_grade(world.unit_a, YEAR - 1) is None
    earlier.top_grade_cap = None
    earlier.save()
    grades_publish(upper=world.district, year=YEAR - 1, by=world.leader, today=DAY)
    assert published_grade(world.unit_a, YEAR - 1).code == "xuat-sac"
    assert published_grade(world.unit_a, YEAR) is None
    page = client_for(world.officer_a).get(reverse("grading:unit", args=[YEAR, world.unit_a.pk]))
    body = page.content.decode()
    assert 'data-testid="past-grades"' in body and f">{YEAR - 1}</a>: Hoàn thành xuất sắc" in body
