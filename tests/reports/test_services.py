"""Every transition and refusal of the phase reports, the configuration of indicators and
reporting dates, and the arithmetic of the roll-ups on a three-level tree."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from campaigns.services.campaign import campaign_close
from campaigns.services.plan import phase_update, theme_add
from emulation.models import AuditEntry
from emulation.uploads import MAX_SIZE
from emulation.workflow import ReviewStatus
from reports.content import FILES, achieved_field, indicator_field
from reports.models import (
    Attachment,
    Indicator,
    IndicatorValue,
    PhaseReport,
    ReportingWindow,
    TargetResult,
)
from reports.selectors.common import campaign_by_pk, indicators_of, load_plan, phase_infos
from reports.selectors.dashboard import dashboard
from reports.selectors.inbox import inbox
from reports.selectors.progress import rollup
from reports.services.common import opening_of
from reports.services.config import (
    DEFAULT_INDICATORS,
    indicator_add,
    indicator_delete,
    indicator_update,
    indicators_add_defaults,
    reporting_opens_set,
)
from reports.services.drafts import report_save_draft
from reports.services.extensions import EXTENSIONS
from reports.services.transitions import (
    report_approve,
    report_receive,
    report_return,
    report_submit,
)
from tests.reports.conftest import (
    full_data,
    pdf_bytes,
    phase,
    png_bytes,
    register,
    year,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English here; test_vietnamese_refusals checks the catalogue."""
    with translation.override("en"):
        yield


def save(world, campaign, *, unit=None, by=None, number=1, data=None, **kwargs):
    return report_save_draft(
        campaign=campaign,
        phase=phase(campaign, number),
        organization=unit or world.unit_a,
        by=by or world.officer_a,
        data=data if data is not None else full_data(campaign),
        **kwargs,
    )


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# ---------------------------------------------------------------------------------------------
# Drafts.


def test_a_draft_starts_from_the_registered_themes_and_targets(world, registered):
    report = save(world, registered)
    assert report.status == ReviewStatus.DRAFT
    themes = list(report.themes.order_by("theme__number"))
    assert [t.theme.number for t in themes] == [1, 2]
    assert themes[0].commitment == "Cam kết thực hiện nội dung 1."
    targets = list(TargetResult.objects.filter(theme_result__report=report).order_by("id"))
    assert [(t.name, t.target, t.achieved) for t in targets] == [
        ("Sáng kiến, cải tiến kỹ thuật", Decimal("5"), Decimal("4")),
        ("Giá trị làm lợi", Decimal("100"), Decimal("80")),
        ("Tỷ lệ đoàn viên được tập huấn", Decimal("90"), Decimal("95")),
    ]
    assert IndicatorValue.objects.filter(report=report).count() == 5
    entry = AuditEntry.objects.filter(action="report-save").get()
    assert entry.changes["targets_filled"] == "3/3"
    assert entry.changes["indicators_filled"] == "5/5"


def test_posting_the_same_form_twice_changes_nothing(world, registered):
    report = save(world, registered)
    again = save(world, registered, expected_version=report.version)
    assert again.version == report.version
    assert AuditEntry.objects.filter(action="report-save").count() == 1


def test_a_stale_form_is_refused(world, registered):
    report = save(world, registered)
    save(world, registered, data=full_data(registered, achieved=("5", "90", "96")))
    with pytest.raises(ValidationError, match="changed since you opened"):
        save(
            world,
            registered,
            data=full_data(registered, achieved=("1", "1", "1")),
            expected_version=report.version,
        )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "cannot be negative"),
        ("ba", "Enter a number"),
        ("1,2,3x", "Enter a number"),
        ("10" * 12, "too large"),
        ("2,555", "two decimals"),
    ],
)
def test_bad_achieved_values_are_refused_next_to_their_field(world, registered, value, message):
    theme = registered.themes.order_by("number").first()
    data = full_data(registered)
    data["themes"][theme.pk]["targets"][0] = value
    with pytest.raises(ValidationError) as exc:
        save(world, registered, data=data)
    assert achieved_field(theme.pk, 0) in exc.value.message_dict
    assert message in messages_of(exc)
    assert not PhaseReport.objects.exists()


def test_indicators_counted_in_whole_numbers_refuse_fractions(world, registered):
    indicator = Indicator.objects.filter(campaign=registered).first()
    data = full_data(registered)
    data["indicators"][indicator.pk] = "2,5"
    with pytest.raises(ValidationError) as exc:
        save(world, registered, data=data)
    assert exc.value.message_dict[indicator_field(indicator.pk)] == ["Enter a whole number."]
    data["indicators"][indicator.pk] = "-1"
    with pytest.raises(ValidationError, match="negative"):
        save(world, registered, data=data)
    assert not PhaseReport.objects.exists()


def test_values_typed_the_vietnamese_way_are_read(world, registered):
    data = full_data(registered, indicators=("3", "1.500.000", "1", "120", "0"))
    report = save(world, registered, data=data)
    values = dict(report.indicator_values.values_list("indicator__name", "value"))
    assert values["Giá trị làm lợi"] == Decimal("1500000")
    assert values["Công trình, sản phẩm hoàn thành"] == 0


def test_a_phase_not_yet_open_is_refused(world, registered):
    y = year()
    with pytest.raises(ValidationError, match="opens on 01/07") as exc:
        save(world, registered, number=2, today=dt.date(y, 5, 1))
    assert exc.value.error_list[0].code == "not_open"
    # A later opening day set by the issuer's staff counts too.
    reporting_opens_set(phase=phase(registered, 1), by=world.staff, opens_on=dt.date(y, 6, 1))
    with pytest.raises(ValidationError, match="opens on 01/06"):
        save(world, registered, today=dt.date(y, 5, 31))
    assert save(world, registered, today=dt.date(y, 6, 1)).pk
    assert PhaseReport.objects.count() == 1


def test_a_unit_without_an_approved_registration_cannot_report(world, campaign):
    with pytest.raises(ValidationError, match="has not registered"):
        save(world, campaign)
    register(campaign, world.unit_a, world.officer_a, world.leader, approve=False)
    with pytest.raises(ValidationError, match="Awaiting review") as exc:
        save(world, campaign)
    assert exc.value.error_list[0].code == "registration_not_approved"
    assert not PhaseReport.objects.exists()


def test_only_the_units_officers_prepare_its_report(world, registered):
    for person in (world.officer_b, world.leader, world.staff):
        with pytest.raises(PermissionDenied):
            save(world, registered, by=person)


def test_a_closed_campaign_accepts_no_report(world, registered):
    campaign_close(campaign=registered, by=world.staff)
    with pytest.raises(ValidationError, match="closed"):
        save(world, registered)


# ---------------------------------------------------------------------------------------------
# Attachments.


def test_files_are_checked_by_content_and_stored_under_a_random_name(world, registered, _media):
    pdf = SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf")
    photo = SimpleUploadedFile("anh.PNG", png_bytes(), content_type="image/png")
    report = save(world, registered, uploads=[pdf, photo])
    files = list(report.attachments.order_by("id"))
    assert [f.original_name for f in files] == ["bien-ban.pdf", "anh.PNG"]
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    for record in files:
        stored = Path(_media) / record.file.name
        assert stored.is_file()
        assert record.original_name not in record.file.name
        assert record.token in record.file.name


def test_removing_a_file_deletes_it_once_saved(
    world, registered, _media, django_capture_on_commit_callbacks
):
    pdf = SimpleUploadedFile("bien-ban.pdf", pdf_bytes())
    report = save(world, registered, uploads=[pdf])
    record = report.attachments.get()
    path = Path(_media) / record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        save(world, registered, remove=[str(record.pk)], expected_version=report.version)
    assert not Attachment.objects.exists()
    assert not path.exists()
    entry = AuditEntry.objects.filter(action="report-save").order_by("-id").first()
    assert entry.changes["files_removed"] == ["bien-ban.pdf"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("so-lieu.pdf", png_bytes(), "named as a .pdf file but its content is PNG"),
        ("ghi-chu.docx", b"just some text", "not one of the accepted kinds"),
        ("virus.exe", b"MZ\x90\x00", "not one of the accepted kinds"),
        ("trong.pdf", b"", "is empty"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    world, registered, _media, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as exc:
        save(world, registered, uploads=[upload])
    assert message in " ".join(exc.value.message_dict[FILES])
    assert not PhaseReport.objects.exists()
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused_and_nothing_is_saved(world, registered, _media):
    report = save(world, registered)
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * MAX_SIZE)
    with pytest.raises(ValidationError, match="files may be at most 10"):
        save(
            world,
            registered,
            data=full_data(registered, achieved=("9", "9", "9")),
            uploads=[big],
            expected_version=report.version,
        )
    report.refresh_from_db()
    assert report.attachments.count() == 0
    assert TargetResult.objects.filter(achieved=9).count() == 0
    assert not list(Path(_media).rglob("*.pdf"))


def test_no_file_is_left_on_disk_when_the_save_fails_after_writing(
    world, registered, _media, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.services.drafts.workflow.record_edit", fail)
    pdf = SimpleUploadedFile("bien-ban.pdf", pdf_bytes())
    with pytest.raises(RuntimeError):
        save(world, registered, uploads=[pdf])
    assert not Attachment.objects.exists()
    assert not list(Path(_media).rglob("*.pdf"))


def test_at_most_ten_files(world, registered, _media):
    uploads = [SimpleUploadedFile(f"f{i}.png", png_bytes()) for i in range(11)]
    with pytest.raises(ValidationError, match="at most 10 files"):
        save(world, registered, uploads=uploads)


# ---------------------------------------------------------------------------------------------
# Submitting, reviewing, receiving.


def test_an_incomplete_report_cannot_be_submitted(world, registered):
    data = full_data(registered)
    data["narrative"] = ""
    theme = registered.themes.order_by("number").first()
    data["themes"][theme.pk]["targets"][1] = ""
    indicator = Indicator.objects.filter(campaign=registered).last()
    data["indicators"].pop(indicator.pk)
    report = save(world, registered, data=data)
    with pytest.raises(ValidationError) as exc:
        report_submit(report, by=world.officer_a)
    text = messages_of(exc)
    assert "general assessment" in text
    assert "“Giá trị làm lợi” under theme 1" in text
    assert f"“{indicator.name}”" in text
    report.refresh_from_db()
    assert report.status == ReviewStatus.DRAFT


def test_submit_then_review_and_submitting_twice_is_refused(world, make_report):
    report = make_report("submitted")
    assert report.status == ReviewStatus.SUBMITTED
    assert report.submitted_by == world.officer_a
    with pytest.raises(ValidationError, match="cannot be submitted twice") as exc:
        report_submit(report, by=world.officer_a)
    assert exc.value.error_list[0].code == "already_submitted"
    with pytest.raises(ValidationError, match="can no longer be edited"):
        report_save_draft(
            campaign=report.campaign,
            phase=report.phase,
            organization=world.unit_a,
            by=world.officer_a,
            data=full_data(report.campaign),
        )
    # The sibling and the unit itself may not review; the district's leader does.
    for person in (world.officer_b, world.officer_a):
        with pytest.raises(PermissionDenied):
            report_approve(report, by=person)
    report = report_approve(report, by=world.leader)
    assert report.status == ReviewStatus.APPROVED
    assert report.received_at is None  # unit A's report does not reach the province
    with pytest.raises(ValidationError, match="already approved"):
        report_submit(report, by=world.officer_a)


def test_return_needs_a_comment_then_the_unit_fixes_and_resubmits(world, make_report):
    report = make_report("submitted")
    with pytest.raises(ValidationError, match="comment"):
        report_return(report, by=world.leader, comment="  ")
    report = report_return(report, by=world.leader, comment="Bổ sung điển hình.")
    assert report.status == ReviewStatus.RETURNED
    report = save(
        world,
        report.campaign,
        data=full_data(report.campaign, achieved=("6", "90", "96")),
        expected_version=report.version,
    )
    report = report_submit(report, by=world.officer_a)
    assert report.status == ReviewStatus.SUBMITTED


def test_the_deadline_and_its_extension(world, registered):
    y = year()
    report = save(world, registered, today=dt.date(y, 3, 1))
    late = dt.date(y + 1, 1, 2)
    with pytest.raises(ValidationError, match="deadline .31/12/.* has passed"):
        report_submit(report, by=world.officer_a, today=late)
    phase_update(
        phase=phase(registered, 1),
        by=world.staff,
        data={
            "name": "Đợt 1",
            "start": dt.date(y, 1, 1),
            "end": dt.date(y, 6, 30),
            "report_deadline": dt.date(y, 7, 15),
        },
    )
    with pytest.raises(ValidationError, match="has passed"):
        report_submit(report, by=world.officer_a, today=dt.date(y, 7, 16))
    with pytest.raises(PermissionDenied):
        EXTENSIONS.grant(
            scope=phase(registered, 1),
            organization=world.unit_a,
            by=world.officer_a,
            until=dt.date(y, 8, 1),
            today=dt.date(y, 7, 16),
        )
    with pytest.raises(ValidationError) as exc:
        EXTENSIONS.grant(
            scope=phase(registered, 1),
            organization=world.unit_a,
            by=world.leader,
            until=dt.date(y, 12, 1),
            today=dt.date(y, 7, 16),
        )
    assert "90 days" in exc.value.message_dict["until"][0]
    with pytest.raises(ValidationError, match="after the phase's deadline"):
        EXTENSIONS.grant(
            scope=phase(registered, 1),
            organization=world.unit_a,
            by=world.leader,
            until=dt.date(y, 7, 10),
            today=dt.date(y, 7, 16),
        )


def test_an_extension_lets_a_late_unit_submit(world, registered):
    y = year()
    phase_update(
        phase=phase(registered, 1),
        by=world.staff,
        data={
            "name": "Đợt 1",
            "start": dt.date(y, 1, 1),
            "end": dt.date(y, 6, 30),
            "report_deadline": dt.date(y, 7, 15),
        },
    )
    report = save(world, registered, today=dt.date(y, 7, 20))
    extension = EXTENSIONS.grant(
        scope=phase(registered, 1),
        organization=world.unit_a,
        by=world.leader,
        until=dt.date(y, 7, 31),
        reason="Đơn vị chuẩn bị Đại hội.",
        today=dt.date(y, 7, 20),
    )
    assert extension.until == dt.date(y, 7, 31)
    report = report_submit(report, by=world.officer_a, today=dt.date(y, 7, 20))
    assert report.status == ReviewStatus.SUBMITTED
    with pytest.raises(ValidationError, match="needs no extension"):
        EXTENSIONS.grant(
            scope=phase(registered, 1),
            organization=world.unit_a,
            by=world.leader,
            until=dt.date(y, 8, 5),
            today=dt.date(y, 7, 20),
        )


def test_the_receiving_department_marks_what_reached_the_province(world, make_report):
    report = make_report("submitted", unit=world.district)
    # Unit A's report does not reach the province: nobody marks it received.
    report_a = make_report("submitted")
    with pytest.raises(PermissionDenied):
        report_receive(report_a, by=world.staff)
    # The district's leader is not the province's staff.
    with pytest.raises(PermissionDenied):
        report_receive(report, by=world.leader)
    report = report_receive(report, by=world.staff)
    assert report.received_by == world.staff and report.received_at
    assert report.status == ReviewStatus.SUBMITTED
    with pytest.raises(ValidationError, match="already marked received"):
        report_receive(report, by=world.staff)
    report = report_return(report, by=world.staff, comment="Bổ sung biên bản.")
    assert report.received_at is not None
    # Sent again, it is new again for the department.
    officer_p = world.district.memberships.get(role="officer").user
    report = report_submit(report, by=officer_p)
    assert report.received_at is None
    with pytest.raises(ValidationError, match="Awaiting review|already handled"):
        report_receive(report_approve(report, by=world.staff), by=world.staff)
    report.refresh_from_db()
    assert report.status == ReviewStatus.APPROVED
    assert report.received_by == world.staff  # accepting receives it too


def test_a_draft_cannot_be_received_or_reviewed(world, make_report):
    report = make_report("draft", unit=world.district)
    with pytest.raises(ValidationError, match="not been submitted"):
        report_receive(report, by=world.staff)
    with pytest.raises(ValidationError, match="not been submitted"):
        report_approve(report, by=world.staff)


def test_receiving_is_a_step_of_the_shared_workflow(
    world, make_report, django_capture_on_commit_callbacks
):
    """Marking received keeps the state and goes through ``apply_transition``: the version
    moves, the audit entry keeps its name and says what was received, the signal is sent."""
    from emulation.workflow import review_transition

    report = make_report("submitted", unit=world.district)
    version = report.version
    with pytest.raises(ValidationError) as stale:
        report_receive(report, by=world.staff, expected_version=version - 1)
    assert stale.value.code == "stale"
    received = []
    review_transition.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="recv")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = report_receive(report, by=world.staff, expected_version=version)
    finally:
        review_transition.disconnect(dispatch_uid="recv")
    assert report.status == ReviewStatus.SUBMITTED and report.version == version + 1
    entry = AuditEntry.objects.get(object_id=str(report.pk), action="report-receive")
    assert entry.changes == {"phase": report.phase.name, "unit": world.district.name}
    assert [r["transition"] for r in received] == ["receive"]


def test_a_changed_registration_must_be_followed_before_submitting(world, make_report):
    from registrations import services as registration_services
    from tests.reports.conftest import registration_payload

    report = make_report("draft")
    registration = report.organization.registrations.get(campaign=report.campaign)
    registration = registration_services.registration_reopen(
        registration, by=world.officer_a, reason="Thêm chỉ tiêu."
    )
    payload = registration_payload(report.campaign, 3)
    payload["themes"][2]["targets"] = [{"name": "Đoàn viên mới", "unit": "người", "value": "4"}]
    registration_services.registration_save_draft(
        campaign=report.campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=payload,
        expected_version=registration.version,
    )
    with pytest.raises(ValidationError, match="Draft"):
        report_submit(report, by=world.officer_a)
    registration.refresh_from_db()
    registration_services.registration_submit(registration, by=world.officer_a)
    registration_services.registration_approve(registration, by=world.leader)
    with pytest.raises(ValidationError, match="registration changed after this report"):
        report_submit(report, by=world.officer_a)


# ---------------------------------------------------------------------------------------------
# Configuration.


def test_indicators_are_configured_by_the_issuers_staff(world, campaign):
    assert [i.name for i in Indicator.objects.filter(campaign=campaign)] == [
        name for name, _unit in DEFAULT_INDICATORS
    ]
    assert indicators_add_defaults(campaign=campaign, by=world.staff) == []
    with pytest.raises(PermissionDenied):
        indicator_add(campaign=campaign, by=world.leader, data={"name": "X", "unit": "cái"})
    with pytest.raises(ValidationError) as exc:
        indicator_add(
            campaign=campaign, by=world.staff, data={"name": "sáng kiến, CẢI TIẾN kỹ thuật"}
        )
    assert set(exc.value.message_dict) == {"name", "unit"}
    indicator = indicator_add(
        campaign=campaign,
        by=world.staff,
        data={"name": "Tỷ lệ hoàn thành kế hoạch", "unit": "%", "whole_numbers": False},
    )
    assert indicator.position == 6
    indicator = indicator_update(
        indicator=indicator, by=world.staff, data={"name": "Tỷ lệ hoàn thành", "unit": "%"}
    )
    assert indicator.name == "Tỷ lệ hoàn thành"
    indicator_delete(indicator=indicator, by=world.staff)
    assert Indicator.objects.filter(campaign=campaign).count() == 5


def test_a_reported_indicator_cannot_be_deleted(world, make_report):
    report = make_report("draft")
    indicator = Indicator.objects.filter(campaign=report.campaign).first()
    with pytest.raises(ValidationError, match="already reported"):
        indicator_delete(indicator=indicator, by=world.staff)


def test_the_opening_day_stays_between_the_phase_start_and_its_deadline(world, campaign):
    y = year()
    first = phase(campaign, 1)
    with pytest.raises(ValidationError, match="before the phase starts"):
        reporting_opens_set(phase=first, by=world.staff, opens_on=dt.date(y - 1, 12, 1))
    with pytest.raises(PermissionDenied):
        reporting_opens_set(phase=first, by=world.leader, opens_on=dt.date(y, 6, 1))
    reporting_opens_set(phase=first, by=world.staff, opens_on=dt.date(y, 6, 1))
    assert opening_of(first) == dt.date(y, 6, 1)
    reporting_opens_set(phase=first, by=world.staff, opens_on=None)
    assert not ReportingWindow.objects.exists()
    assert opening_of(first) == dt.date(y, 1, 1)


# ---------------------------------------------------------------------------------------------
# Roll-ups on the three-level tree: province → districts P and Q → units A, B and C.


def _three_levels(world, make_report, campaign):
    """Phase 1: A, C and the district P accepted, B awaiting review, Q silent; phase 2: B
    accepted."""
    make_report(
        "approved",
        data=full_data(campaign, achieved=("4", "80", "95"), indicators=(3, 1000000, 1, 100, 2)),
        reviewer=world.leader,
    )
    make_report(
        "submitted",
        unit=world.unit_b,
        data=full_data(campaign, achieved=("6", "120", "85"), indicators=(2, 500000, 0, 60, 1)),
    )
    make_report(
        "approved",
        unit=world.unit_c,
        data=full_data(campaign, achieved=("5", "100", "90"), indicators=(5, 2000000, 2, 30, 0)),
    )
    make_report(
        "approved",
        unit=world.district,
        officer=world.district.memberships.get(role="officer").user,
        data=full_data(campaign, achieved=("1", "10", "100"), indicators=(1, 0, 3, 10, 0)),
    )
    make_report(
        "approved",
        unit=world.unit_b,
        number=2,
        data=full_data(campaign, achieved=("2", "20", "50"), indicators=(1, 100000, 0, 50, 0)),
        reviewer=world.leader,
    )


def _by_code(rollup):
    names = [i.name for i in rollup.indicators]
    return {
        row.unit.code: dict(zip(names, [int(v) for v in row.values], strict=True))
        for row in rollup.rows
    }


def test_rollup_arithmetic_over_three_levels(world, make_report, registered):
    _three_levels(world, make_report, registered)
    first = phase(registered, 1)
    today = dt.date(year(), 12, 1)

    province = rollup(registered, first, world.province, today=today)
    # The issuer itself reports nothing.
    assert [row.unit.code for row in province.rows] == ["NB-P", "NB-Q"]
    assert _by_code(province) == {
        # P's own report and A's (B awaits review: not counted).
        "NB-P": {
            "Sáng kiến, cải tiến kỹ thuật": 4,
            "Giá trị làm lợi": 1000000,
            "Điển hình tiên tiến được phát hiện": 4,
            "Đoàn viên tham gia": 110,
            "Công trình, sản phẩm hoàn thành": 2,
        },
        "NB-Q": {
            "Sáng kiến, cải tiến kỹ thuật": 5,
            "Giá trị làm lợi": 2000000,
            "Điển hình tiên tiến được phát hiện": 2,
            "Đoàn viên tham gia": 30,
            "Công trình, sản phẩm hoàn thành": 0,
        },
    }
    assert [int(v) for v in province.total_values] == [9, 3000000, 6, 140, 2]
    assert province.counted == 3
    p_row, q_row = province.rows
    assert (p_row.report.total, p_row.report.approved, p_row.report.submitted) == (3, 2, 1)
    assert (q_row.report.total, q_row.report.approved, q_row.report.none) == (2, 1, 1)
    assert (p_row.registration.approved, q_row.registration.approved) == (3, 1)
    assert q_row.registration.none == 1

    # Reports awaiting review counted too.
    sent = rollup(registered, first, world.province, scope="sent", today=today)
    assert [int(v) for v in sent.total_values] == [11, 3500000, 6, 200, 3]
    assert _by_code(sent)["NB-P"]["Đoàn viên tham gia"] == 170

    # One level down: the district's own report, then A and B one by one.
    district = rollup(registered, first, world.district, scope="sent", today=today)
    assert [(row.unit.code, row.is_self) for row in district.rows] == [
        ("NB-P", True),
        ("NB-P-A", False),
        ("NB-P-B", False),
    ]
    assert [int(row.values[0]) for row in district.rows] == [1, 3, 2]
    assert [int(v) for v in district.total_values] == [6, 1500000, 4, 170, 3]

    # Only the grassroots unions.
    grassroots = rollup(
        registered, first, world.province, kind="grassroots", scope="sent", today=today
    )
    assert [int(v) for v in grassroots.total_values] == [10, 3500000, 3, 190, 3]
    assert [row.report.total for row in grassroots.rows] == [2, 1]

    # Targets: alike targets summed, rates averaged, per theme.
    themes = {t.theme.number: t for t in sent.themes}
    assert themes[1].units == 4 and themes[2].units == 4 and themes[3].units == 0
    by_name = {x.name: x for x in themes[1].targets}
    assert by_name["Sáng kiến, cải tiến kỹ thuật"].target_value == 20
    assert by_name["Sáng kiến, cải tiến kỹ thuật"].achieved_value == 16
    assert by_name["Sáng kiến, cải tiến kỹ thuật"].percent == 80
    assert by_name["Giá trị làm lợi"].achieved_value == 310
    rate = themes[2].targets[0]
    assert rate.is_rate and rate.target_value == 90
    assert rate.achieved_value == Decimal("92.5") and rate.units == 4


def test_dashboard_figures(world, make_report, registered):
    from campaigns.models import Campaign
    from reports.selectors.common import campaign_with_plan

    _three_levels(world, make_report, registered)
    y = year()
    campaign = campaign_with_plan(Campaign.objects.all(), registered.pk)
    # Ten days after the deadline of 31/12: Q has not reported.
    late = dt.date(y + 1, 1, 10)
    board = dashboard(campaign, world.province, today=late)
    assert board.phase == phase(registered, 2)  # every deadline passed: the last phase
    board = dashboard(campaign, world.province, phase_id=phase(registered, 1).pk, today=late)
    assert board.phase == phase(registered, 1)
    assert [(row.unit.code, row.days_late, row.branch) for row in board.overdue] == [
        ("NB-Q", 10, "Liên đoàn Lao động huyện Quế")
    ]
    assert board.overdue_total == 1
    assert [count for _theme, count in board.themes] == [4, 4, 0]
    rows = {row.indicator.name: row.values for row in board.indicator_rows}
    assert rows["Sáng kiến, cải tiến kỹ thuật"] == [9, 1]
    assert rows["Đoàn viên tham gia"] == [140, 50]
    # Phase 2 chosen explicitly, and only the grassroots unions.
    board = dashboard(
        campaign,
        world.district,
        phase_id=phase(registered, 2).pk,
        kind="grassroots",
        today=dt.date(y, 12, 1),
    )
    assert board.phase == phase(registered, 2)
    assert [int(v) for v in board.rollup.total_values] == [1, 100000, 0, 50, 0]
    assert board.overdue == []


def test_inbox_marks(world, make_report, registered):
    officer_p = world.district.memberships.get(role="officer").user
    report = make_report("submitted", unit=world.district, officer=officer_p)
    make_report("submitted")  # unit A: reviewed by the district, not in the province's inbox
    box = inbox(registered, world.staff, phase=None, mark="")
    assert [r.organization.code for r in box.rows] == ["NB-P"]
    assert box.counts == {"new": 1, "received": 0, "accepted": 0, "returned": 0}
    report_receive(report, by=world.staff)
    box = inbox(registered, world.staff, phase=None, mark="received")
    assert [r.mark for r in box.rows] == ["received"]
    report_approve(report, by=world.staff)
    box = inbox(registered, world.staff, phase=phase(registered, 1), mark="")
    assert box.counts["accepted"] == 1
    assert not inbox(registered, world.staff, phase=phase(registered, 2), mark="").rows


def test_vietnamese_refusals(world, registered, _media):
    """The refusals as the users read them (the catalogue holds every message)."""
    y = year()
    theme = registered.themes.order_by("number").first()
    data = full_data(registered)
    data["themes"][theme.pk]["targets"][0] = "-1"
    data["themes"][theme.pk]["targets"][1] = "mười"
    with translation.override("vi"):
        with pytest.raises(ValidationError) as exc:
            save(world, registered, data=data)
        assert exc.value.message_dict[achieved_field(theme.pk, 0)] == ["Giá trị không được âm."]
        assert "Vui lòng nhập một số" in exc.value.message_dict[achieved_field(theme.pk, 1)][0]
        with pytest.raises(ValidationError, match="Báo cáo Đợt 2 mở từ ngày 01/07"):
            save(world, registered, number=2, today=dt.date(y, 5, 1))
        with pytest.raises(ValidationError, match="chưa đăng ký thi đua"):
            save(world, registered, unit=world.district_q, by=world.admin, data={})
        big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * MAX_SIZE)
        with pytest.raises(ValidationError, match="tối đa 10"):
            save(world, registered, uploads=[big])
        fake = SimpleUploadedFile("anh.png", pdf_bytes())
        with pytest.raises(ValidationError, match="nhưng nội dung là PDF"):
            save(world, registered, uploads=[fake])
        report = save(world, registered)
        report = report_submit(report, by=world.officer_a)
        with pytest.raises(ValidationError, match="không thể gửi lần nữa"):
            report_submit(report, by=world.officer_a)


def test_indicators_and_opening_days_follow_every_change(world, campaign):
    """Nothing of the plan is kept between requests: a change through the services is seen by
    the next read, with the plan (the reporting dates joined to the phases) or without."""

    def fresh():
        return campaign_by_pk(campaign.pk)  # as every request reads it

    indicator = indicators_of(fresh())[0]
    indicator_update(
        indicator=indicator,
        by=world.staff,
        data={"name": "Sáng kiến được công nhận", "unit": "cái"},
    )
    assert indicators_of(fresh())[0].name == "Sáng kiến được công nhận"
    first = phase(campaign, 1)
    opens = dt.date(year(), 6, 1)
    reporting_opens_set(phase=first, by=world.staff, opens_on=opens)
    assert phase_infos(load_plan(fresh()))[0].opens_on == opens
    assert phase_infos(fresh())[0].opens_on == opens
    assert phase_infos(load_plan(fresh()))[1].opens_on == phase(campaign, 2).start


def test_every_change_the_dashboards_show_counts_up_the_campaigns_figures_version(
    world, make_report, registered
):
    """The dashboards' cached bodies are kept under the campaign's ``figures_version``: every
    service that changes their figures counts it up in its own transaction, and a campaign
    read before and saved whole never writes an older version back."""
    from campaigns.models import Campaign
    from federation.services.units import organization_move
    from registrations import services as registration_services

    def version() -> int:
        return Campaign.objects.get(pk=registered.pk).figures_version

    def counts_up(change) -> None:
        before = version()
        change()
        assert version() > before, change

    stale = Campaign.objects.get(pk=registered.pk)
    report = None

    def draft():
        nonlocal report
        report = make_report("draft")

    counts_up(draft)
    counts_up(lambda: report_submit(report, by=world.officer_a))
    counts_up(lambda: report_approve(report, by=world.staff))
    counts_up(
        lambda: EXTENSIONS.grant(
            scope=phase(registered, 1),
            organization=world.unit_b,
            by=world.leader,
            until=phase(registered, 1).report_deadline + dt.timedelta(days=5),
            today=phase(registered, 1).report_deadline,
        )
    )
    counts_up(
        lambda: indicator_add(
            campaign=registered, by=world.staff, data={"name": "Lượt thăm hỏi", "unit": "lượt"}
        )
    )
    counts_up(
        lambda: theme_add(
            campaign=registered, by=world.staff, title="Văn hóa doanh nghiệp", text="Nội dung."
        )
    )
    registration = registered.registrations.get(organization=world.unit_b)
    counts_up(
        lambda: registration_services.registration_reopen(
            registration, by=world.leader, reason="Sửa chỉ tiêu."
        )
    )
    counts_up(
        lambda: organization_move(org=world.unit_c, new_parent=world.district, by=world.admin)
    )
    # Nothing is counted when the change is refused (rolled back with it).
    before = version()
    with pytest.raises(ValidationError):
        report_submit(report, by=world.officer_a)
    assert version() == before
    # A campaign read before all of this, saved whole, keeps the newest version.
    stale.title = stale.title + " "
    stale.save()
    assert version() == before
