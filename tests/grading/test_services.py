"""The grading services: sheets and their refusals, self-assessment, verification through the
shared workflow, publication with the cap and the per-branch counters."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from emulation.models import AuditEntry
from grading import rollups
from grading.models import Assessment, CriterionGroup, Evidence, GradeCount, KnockOut, ScoreSheet
from grading.services.assessments import Entry, assessment_save, assessment_submit
from grading.services.publication import grades_publish, publication_preview
from grading.services.sheets import sheet_check, sheet_copy, sheet_problems
from grading.services.verification import (
    Verified,
    assessment_reopen,
    assessment_return,
    assessment_verify,
)
from tests.grading.conftest import DAY, DEADLINE, YEAR, criterion, full_marks, make_grading

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def save(world, unit, sheet, by=None, **overrides):
    return assessment_save(
        organization=unit,
        year=YEAR,
        by=by or world.officer_a,
        entries=full_marks(sheet, **overrides),
        today=DAY,
    )


def submitted(grading, unit=None, by=None, **overrides):
    world = grading.world
    unit = unit or world.unit_a
    assessment = save(world, unit, grading.state, by=by or world.admin, **overrides)
    return assessment_submit(assessment, by=by or world.admin, today=DAY)


# --- Score sheets ----------------------------------------------------------------------------


def test_the_demo_sheet_is_valid_and_sums_to_100(grading):
    assert sheet_problems(grading.state) == []
    groups = [g.max_points for g in grading.state.groups.exclude(kind="penalty")]
    assert groups == [D(40), D(40), D(15), D(5)]


def test_a_sheet_whose_maxima_do_not_sum_is_refused(grading):
    group = grading.state.groups.get(number=3)
    group.max_points = D(20)
    group.save()
    with pytest.raises(ValidationError) as caught:
        sheet_check(grading.state)
    text = " ".join(caught.value.messages)
    assert "105" in text and "100" in text
    assert "Công tác tuyên truyền" in text  # its criteria sum to 15, not 20


def test_grades_must_need_decreasing_scores(grading):
    grading.state.grades.filter(rank=2).update(min_score=D(90))
    assert any("Hoàn thành tốt" in p for p in sheet_problems(grading.state))


def test_a_unit_cannot_score_on_a_broken_sheet(grading):
    CriterionGroup.objects.filter(sheet=grading.state, number=1).update(max_points=D(30))
    with pytest.raises(ValidationError):
        save(grading.world, grading.world.unit_a, grading.state)
    assert not Assessment.objects.exists()


def test_copy_to_the_next_year_keeps_everything(grading):
    sheet = grading.state
    sheet.deadline = dt.date(2028, 2, 29)
    sheet.year = 2028
    sheet.save()
    copy = sheet_copy(sheet=sheet, year=2029, by=grading.world.admin)
    assert copy.year == 2029 and copy.deadline == dt.date(2029, 2, 28)
    assert copy.groups.count() == 5 and copy.grades.count() == 4
    assert copy.knockouts.count() == sheet.knockouts.count()
    assert sheet_problems(copy) == []
    knockout = KnockOut.objects.filter(sheet=copy, group__isnull=False).first()
    assert knockout.group.sheet_id == copy.pk and knockout.caps_at.sheet_id == copy.pk
    assert AuditEntry.objects.filter(action="sheet_copy").count() == 1
    with pytest.raises(ValidationError) as caught:
        sheet_copy(sheet=sheet, year=2029, by=grading.world.admin)
    assert "year" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        sheet_copy(sheet=sheet, year=2030, by=grading.world.staff)
    assert ScoreSheet.objects.filter(year=2030).count() == 0


# --- Self-assessment -------------------------------------------------------------------------


def test_a_draft_keeps_the_running_total_and_grade(grading):
    world = grading.world
    assessment = save(world, world.unit_a, grading.state, **{"1.1": D(4)})
    assert assessment.status == "draft"
    assert assessment.self_total == D(94)
    assert assessment.self_grade.code == "xuat-sac"
    # A group under half caps the grade.
    assessment = save(world, world.unit_a, grading.state, **{"1.1": 0, "1.2": 0, "1.3": 5})
    assert assessment.self_total == D(75) and assessment.self_grade.code == "hoan-thanh"
    assert assessment.scores.count() == 13


@pytest.mark.parametrize("points", [D("10.5"), D(-1)])
def test_a_score_above_the_maximum_or_negative_is_refused(grading, points):
    world = grading.world
    save(world, world.unit_a, grading.state)
    first = criterion(grading.state, "1.1")
    with pytest.raises(ValidationError) as caught:
        save(world, world.unit_a, grading.state, **{"1.1": points, "1.2": D(1)})
    assert list(caught.value.message_dict) == [f"points_{first.pk}"]
    # Nothing half-saved: 1.2 keeps its full marks too.
    assessment = Assessment.objects.get()
    assert assessment.scores.get(criterion=criterion(grading.state, "1.2")).self_points == 10
    assert assessment.self_total == 100


def test_missing_scores_and_justifications_are_named_on_submit(grading):
    world = grading.world
    entries = full_marks(grading.state)
    needs = criterion(grading.state, "1.1")
    free = criterion(grading.state, "1.3")
    entries[needs.pk] = Entry(points=D(8), justification="  ")
    entries[free.pk] = Entry(points=D(8), justification="")
    del entries[criterion(grading.state, "2.2").pk]
    assessment = assessment_save(
        organization=world.unit_a, year=YEAR, by=world.officer_a, entries=entries, today=DAY
    )
    with pytest.raises(ValidationError) as caught:
        assessment_submit(assessment, by=world.officer_a, today=DAY)
    errors = caught.value.message_dict
    assert set(errors) == {
        f"justification_{needs.pk}",
        f"points_{criterion(grading.state, '2.2').pk}",
    }
    assert Assessment.objects.get().status == "draft"


def test_submission_after_the_deadline_is_refused(grading):
    world = grading.world
    assessment = save(world, world.unit_a, grading.state)
    with pytest.raises(ValidationError) as caught:
        assessment_submit(assessment, by=world.officer_a, today=DEADLINE + dt.timedelta(days=1))
    assert "15/12/2026" in caught.value.messages[0]
    assert Assessment.objects.get().status == "draft"
    done = assessment_submit(assessment, by=world.officer_a, today=DEADLINE)
    assert done.status == "submitted" and done.submitted_by == world.officer_a


def test_only_the_unit_scores_itself(grading):
    world = grading.world
    for person in (world.officer_b, world.leader, world.staff):
        with pytest.raises(PermissionDenied):
            save(world, world.unit_a, grading.state, by=person)


def test_evidence_files_are_checked_by_content(grading, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = grading.world
    entries = full_marks(grading.state)
    first = criterion(grading.state, "1.1")
    entries[first.pk].files = [SimpleUploadedFile("bien-ban.pdf", PDF)]
    assessment = assessment_save(
        organization=world.unit_a, year=YEAR, by=world.officer_a, entries=entries, today=DAY
    )
    assert Evidence.objects.get().original_name == "bien-ban.pdf"
    entries = full_marks(grading.state)
    entries[first.pk].files = [SimpleUploadedFile("anh.pdf", b"not a pdf")]
    with pytest.raises(ValidationError) as caught:
        assessment_save(
            organization=world.unit_a, year=YEAR, by=world.officer_a, entries=entries, today=DAY
        )
    assert f"files_{first.pk}" in caught.value.message_dict
    assert Evidence.objects.filter(assessment=assessment).count() == 1
    # Served only through its view: to the unit and the unit above, never to a sibling.
    from django.test import Client
    from django.urls import reverse

    url = reverse("grading:evidence", args=[assessment.pk, Evidence.objects.get().pk])
    for person, status in ((world.officer_a, 200), (world.leader, 200), (world.officer_b, 404)):
        client = Client()
        client.force_login(person)
        response = client.get(url)
        assert response.status_code in ((status,) if status == 200 else (403, 404)), person
        if status == 200:
            assert response.content == PDF and response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Disposition"].startswith("inline")
    assert client.get(url).status_code in (403, 404)


# --- Verification ----------------------------------------------------------------------------


def test_a_different_verified_score_needs_a_comment(grading):
    world = grading.world
    assessment = submitted(grading)
    first = criterion(grading.state, "1.1")
    with pytest.raises(ValidationError) as caught:
        assessment_verify(assessment, by=world.leader, verified={first.pk: Verified(D(6))})
    assert list(caught.value.message_dict) == [f"comment_{first.pk}"]
    with pytest.raises(ValidationError) as caught:
        assessment_verify(assessment, by=world.leader, verified={first.pk: Verified(D(11), "x")})
    assert list(caught.value.message_dict) == [f"points_{first.pk}"]
    assert Assessment.objects.get().status == "submitted"


def test_the_unit_above_lowers_a_score_and_approves(grading):
    world = grading.world
    assessment = submitted(grading)
    first = criterion(grading.state, "1.1")
    same = criterion(grading.state, "1.2")
    approved = assessment_verify(
        assessment,
        by=world.leader,
        verified={
            first.pk: Verified(D(4), "Chưa có biên bản hội nghị"),
            same.pk: Verified(D(10), ""),  # as the unit scored it: no comment needed
        },
        approve=True,
    )
    assert approved.status == "approved" and approved.reviewed_by == world.leader
    assert approved.self_total == 100 and approved.verified_total == 94
    assert approved.grade.code == "xuat-sac"
    score = approved.scores.get(criterion=first)
    assert score.verified_points == 4 and score.verifier_comment == "Chưa có biên bản hội nghị"
    assert approved.scores.get(criterion=same).verified_points is None
    entry = AuditEntry.objects.filter(action="approve").get()
    assert entry.changes["verified_total"] == "94.00"


def test_who_verifies(grading):
    world = grading.world
    assessment = submitted(grading)
    for person in (world.officer_a, world.officer_b):
        with pytest.raises(PermissionDenied):
            assessment_verify(assessment, by=person, verified={}, approve=True)
    # Provincial staff above may act at any level below.
    assert assessment_verify(assessment, by=world.staff, verified={}, approve=True).is_approved


def test_return_needs_a_comment_and_the_unit_submits_again(grading):
    world = grading.world
    assessment = submitted(grading)
    with pytest.raises(ValidationError):
        assessment_return(assessment, by=world.leader, comment=" ")
    returned = assessment_return(assessment, by=world.leader, comment="Bổ sung minh chứng")
    assert returned.status == "returned"
    again = save(world, world.unit_a, grading.state)
    assert assessment_submit(again, by=world.officer_a, today=DAY).status == "submitted"


def test_an_approved_grade_is_final_until_reopened_with_a_reason(grading):
    world = grading.world
    assessment = assessment_verify(submitted(grading), by=world.leader, verified={}, approve=True)
    with pytest.raises(ValidationError):
        save(world, world.unit_a, grading.state)
    with pytest.raises(ValidationError):
        assessment_reopen(assessment, by=world.leader, reason="")
    assert Assessment.objects.get().is_approved
    reopened = assessment_reopen(assessment, by=world.leader, reason="Phát hiện sai sót")
    assert reopened.status == "draft" and reopened.revision == 2 and reopened.grade is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(assessment.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["grading_save", "submit", "approve", "reopen"]


# --- Publication -----------------------------------------------------------------------------


def approved(grading, unit, **overrides):
    assessment = submitted(grading, unit=unit, **overrides)
    return assessment_verify(assessment, by=grading.world.admin, verified={}, approve=True)


def counters(branch, year=YEAR):
    return {
        (c.unit_type, c.grade): (c.units, c.points)
        for c in GradeCount.objects.filter(branch=branch, year=year)
    }


def test_publication_adds_the_grades_to_every_branch(world):
    grading = make_grading(world, top_grade_cap=50)
    approved(grading, world.unit_a)  # 100 points: the top grade
    approved(grading, world.unit_b, **{"2.1": 0, "2.2": 0})  # 80: good
    preview = publication_preview(upper=world.district, year=YEAR)
    (check,) = preview.sheets
    assert (check.approved, check.to_publish, check.top, check.allowed) == (2, 2, 1, 1)
    assert not check.exceeded
    assert grades_publish(upper=world.district, year=YEAR, by=world.leader, today=DAY) == 2
    for branch in (world.district, world.province, world.national):
        assert counters(branch) == {
            ("state", "xuat-sac"): (1, D(100)),
            ("state", "tot"): (1, D(80)),
        }
    assert counters(world.unit_a) == {("state", "xuat-sac"): (1, D(100))}
    assert AuditEntry.objects.filter(action="grading_publish").count() == 2
    running = counters(world.province)
    rollups.rebuild()
    assert counters(world.province) == running
    with pytest.raises(ValidationError) as caught:
        grades_publish(upper=world.district, year=YEAR, by=world.leader, today=DAY)
    assert caught.value.code == "nothing_to_publish"


def test_publication_over_the_cap_is_refused(world):
    grading = make_grading(world, top_grade_cap=20)
    approved(grading, world.unit_a)
    approved(grading, world.unit_b)
    check = publication_preview(upper=world.district, year=YEAR).sheets[0]
    assert check.exceeded and check.top == 2 and check.allowed == 0
    with pytest.raises(ValidationError) as caught:
        grades_publish(upper=world.district, year=YEAR, by=world.leader, today=DAY)
    assert caught.value.code == "cap_exceeded"
    assert "20 %" in caught.value.messages[0]
    assert not Assessment.objects.filter(published_at__isnull=False).exists()
    assert not GradeCount.objects.exists()


def test_reopening_a_published_grade_takes_it_out_of_the_counters(world):
    grading = make_grading(world, top_grade_cap=None)
    assessment = approved(grading, world.unit_a)
    grades_publish(upper=world.district, year=YEAR, by=world.leader, today=DAY)
    assessment.refresh_from_db()
    assessment_reopen(assessment, by=world.leader, reason="Khiếu nại được chấp nhận")
    assert all(c.units == 0 for c in GradeCount.objects.all())
    assert Assessment.objects.get().published_at is None


def test_only_the_branch_publishes(world):
    grading = make_grading(world)
    approved(grading, world.unit_a)
    for person in (world.officer_a, world.officer_b):
        with pytest.raises(PermissionDenied):
            grades_publish(upper=world.district, year=YEAR, by=person, today=DAY)
