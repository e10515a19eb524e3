"""Every transition of a registration and every refusal: each refusal leaves nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.services.campaign import campaign_close
from emulation.audit import audit_history
from emulation.models import AuditEntry
from emulation.workflow import ReviewStatus, review_transition
from federation.models import Role
from registrations import services
from registrations.content import parse_number
from registrations.models import DeadlineExtension, Registration, RegistrationRevision, Target
from tests.factories import make_member
from tests.registrations.conftest import make_campaign, registration_data, theme_data

pytestmark = pytest.mark.django_db


def actions(registration):
    return list(audit_history(registration).order_by("id").values_list("action", flat=True))


def error_keys(exc) -> set:
    return set(exc.value.error_dict) if hasattr(exc.value, "error_dict") else set()


# ---------------------------------------------------------------------------------------------
# Numbers as people type them.


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5", "5"),
        ("2,5", "2.5"),
        ("2.5", "2.5"),
        ("1.500", "1500"),
        ("1.234.567", "1234567"),
        ("1 500", "1500"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1,234,567", "1234567"),
        ("0", "0"),
        (" 12 ", "12"),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "5 sáng kiến", "1e5", "NaN", "--1", "1,2,3.4.5x"])
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


# ---------------------------------------------------------------------------------------------
# Saving a draft.


def test_first_save_creates_the_registration(world, campaign):
    data = registration_data(campaign, 2)
    data["key_works"] = [
        {
            "name": "Nhà văn hóa công nhân",
            "description": "Gắn biển chào mừng Đại hội",
            "estimated_value": "1.500",
            "expected_completion": dt.date(campaign.year, 7, 28),
        }
    ]
    registration = services.registration_save_draft(
        campaign=campaign, organization=world.unit_a, by=world.officer_a, data=data
    )
    assert registration.status == ReviewStatus.DRAFT
    assert registration.revision == 1 and registration.version == 2
    assert registration.themes.count() == 2
    target = Target.objects.filter(registered_theme__registration=registration).first()
    assert target.value == 5 and target.key == "sang kien, cai tien ky thuat|sang kien"
    work = registration.key_works.get()
    assert work.estimated_value == Decimal("1500")
    assert actions(registration) == ["registration-save"]
    entry = audit_history(registration).get()
    assert entry.changes["themes"] == 2 and entry.changes["targets"] == 2
    assert entry.changes["key_works"] == 1


def test_saving_the_same_content_again_changes_nothing(world, campaign, make_registration):
    registration = make_registration("draft")
    version = registration.version
    again = services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_data(campaign, 2),
        expected_version=version,
    )
    assert again.version == version
    assert actions(registration) == ["registration-save"]


def test_a_form_posted_twice_saves_once(world, campaign, make_registration):
    registration = make_registration("draft")
    shown = registration.version
    changed = registration_data(campaign, 3)
    services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=changed,
        expected_version=shown,
    )
    # The same form again (a double click): the content is already saved, nothing happens.
    again = services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=changed,
        expected_version=shown,
    )
    assert again.themes.count() == 3
    assert actions(registration) == ["registration-save", "registration-save"]


def test_a_stale_form_is_refused(world, campaign, make_registration):
    registration = make_registration("draft")
    shown = registration.version
    services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_data(campaign, 3),
        expected_version=shown,
    )
    with pytest.raises(ValidationError) as exc:
        services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_a,
            by=world.officer_a,
            data=registration_data(campaign, 1),
            expected_version=shown,
        )
    assert exc.value.code == "stale"
    assert Registration.objects.get(pk=registration.pk).themes.count() == 3


def test_a_theme_of_another_campaign_is_refused(world, campaign):
    other = make_campaign(world, year=campaign.year - 1)
    foreign = other.themes.first()
    data = registration_data(campaign, 1)
    data["themes"].append(theme_data(foreign))
    with pytest.raises(ValidationError) as exc:
        services.registration_save_draft(
            campaign=campaign, organization=world.unit_a, by=world.officer_a, data=data
        )
    assert "themes" in error_keys(exc)
    assert "không thuộc phong trào này" in str(exc.value)
    assert not Registration.objects.exists()


def test_a_theme_chosen_twice_is_refused(world, campaign):
    theme = campaign.themes.first()
    data = {"themes": [theme_data(theme), theme_data(theme)], "key_works": []}
    with pytest.raises(ValidationError) as exc:
        services.registration_save_draft(
            campaign=campaign, organization=world.unit_a, by=world.officer_a, data=data
        )
    assert "được chọn hai lần" in str(exc.value)
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "value, message",
    [
        ("-3", "không được âm"),
        ("năm", "Vui lòng nhập một số"),
        ("", "Vui lòng nhập giá trị"),
        ("1,234", "tối đa hai chữ số thập phân"),
        ("100000000000000", "quá lớn"),
    ],
)
def test_bad_targets_are_refused(world, campaign, make_registration, value, message):
    registration = make_registration("draft")
    theme = campaign.themes.order_by("number").first()
    data = registration_data(campaign, 2)
    data["themes"][0]["targets"] = [{"name": "Sáng kiến", "unit": "sáng kiến", "value": value}]
    with pytest.raises(ValidationError) as exc:
        services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_a,
            by=world.officer_a,
            data=data,
            expected_version=registration.version,
        )
    assert error_keys(exc) == {f"theme-{theme.pk}-target-0-value"}
    assert message.lower() in str(exc.value).lower()
    assert Target.objects.filter(value=5).count() == 2  # the saved draft is untouched


def test_a_target_needs_a_name(world, campaign):
    theme = campaign.themes.order_by("number").first()
    data = registration_data(campaign, 2)
    data["themes"][0]["targets"] = [{"row": 3, "name": "", "unit": "", "value": "4"}]
    with pytest.raises(ValidationError) as exc:
        services.registration_save_draft(
            campaign=campaign, organization=world.unit_a, by=world.officer_a, data=data
        )
    assert error_keys(exc) == {f"theme-{theme.pk}-target-3-name"}


def test_empty_rows_are_ignored(world, campaign):
    data = registration_data(campaign, 2)
    data["themes"][0]["targets"].append({"row": 1, "name": " ", "unit": "", "value": ""})
    data["key_works"] = [{"row": 0, "name": "", "description": "", "estimated_value": ""}]
    registration = services.registration_save_draft(
        campaign=campaign, organization=world.unit_a, by=world.officer_a, data=data
    )
    assert Target.objects.filter(registered_theme__registration=registration).count() == 2
    assert not registration.key_works.exists()


def test_a_bad_work_is_refused(world, campaign):
    data = registration_data(campaign, 2)
    data["key_works"] = [
        {"row": 0, "name": "", "estimated_value": "10"},
        {"row": 1, "name": "Cầu", "estimated_value": "-1", "expected_completion": "31/02/2026"},
    ]
    with pytest.raises(ValidationError) as exc:
        services.registration_save_draft(
            campaign=campaign, organization=world.unit_a, by=world.officer_a, data=data
        )
    assert error_keys(exc) == {
        "work-0-name",
        "work-1-estimated_value",
        "work-1-expected_completion",
    }


@pytest.mark.parametrize("persona", ["officer_b", "leader", "staff"])
def test_only_the_units_own_people_prepare_it(world, campaign, persona):
    with pytest.raises(PermissionDenied):
        services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_a,
            by=world.persona(persona),
            data=registration_data(campaign),
        )
    assert not Registration.objects.exists()


def test_an_upper_unit_registers_its_own_themes(world, campaign):
    registration = services.registration_save_draft(
        campaign=campaign,
        organization=world.district,
        by=world.leader,
        data=registration_data(campaign),
    )
    services.registration_submit(registration, by=world.leader)
    # Its reviewer is the province: the provincial staff.
    services.registration_approve(registration, by=world.staff)
    with pytest.raises(PermissionDenied):
        services.registration_approve(registration, by=world.leader)


def test_the_issuer_registers_nothing(world, campaign):
    with pytest.raises(ValidationError, match="không thuộc phạm vi của phong trào"):
        services.registration_save_draft(
            campaign=campaign,
            organization=world.province,
            by=world.admin,
            data=registration_data(campaign),
        )


def test_a_closed_campaign_is_history(world, campaign, make_registration):
    registration = make_registration("submitted")
    campaign_close(campaign=campaign, by=world.staff)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_b,
            by=world.officer_b,
            data=registration_data(campaign),
        )
    registration.campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.registration_approve(registration, by=world.leader)
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.SUBMITTED


def test_a_sent_registration_cannot_be_edited(world, campaign, make_registration):
    registration = make_registration("submitted")
    with pytest.raises(ValidationError) as exc:
        services.registration_save_draft(
            campaign=campaign,
            organization=world.unit_a,
            by=world.officer_a,
            data=registration_data(campaign, 3),
            expected_version=registration.version,
        )
    assert exc.value.code == "not_editable"
    assert Registration.objects.get(pk=registration.pk).themes.count() == 2


# ---------------------------------------------------------------------------------------------
# Submitting.


def test_submit(world, campaign, make_registration, django_capture_on_commit_callbacks):
    registration = make_registration("draft")
    received = []
    review_transition.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.registration_submit(
                registration, by=world.officer_a, expected_version=registration.version
            )
    finally:
        review_transition.disconnect(dispatch_uid="t")
    registration.refresh_from_db()
    assert registration.status == ReviewStatus.SUBMITTED
    assert registration.submitted_by == world.officer_a and registration.submitted_at
    assert actions(registration) == ["registration-save", "submit"]
    assert [r["transition"] for r in received] == ["submit"]
    assert received[0]["sender"] is Registration


def test_fewer_themes_than_the_minimum_are_refused(world, campaign):
    registration = services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_data(campaign, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(registration, by=world.officer_a)
    assert "Cần chọn ít nhất 2 nội dung thi đua (đã chọn 1)." in exc.value.messages
    registration.refresh_from_db()
    assert registration.status == ReviewStatus.DRAFT
    assert actions(registration) == ["registration-save"]


def test_an_empty_commitment_is_refused(world, campaign):
    data = registration_data(campaign, 2)
    data["themes"][1]["commitment"] = "   "
    registration = services.registration_save_draft(
        campaign=campaign, organization=world.unit_a, by=world.officer_a, data=data
    )
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(registration, by=world.officer_a)
    assert any("cam kết" in m for m in exc.value.messages)
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.DRAFT


def _past_deadline(campaign):
    """The day the tests act on (mid-year of the campaign, whatever the real day) and the
    deadline, the day before it."""
    today = dt.date(campaign.year, 6, 15)
    yesterday = today - dt.timedelta(days=1)
    type(campaign).objects.filter(pk=campaign.pk).update(registration_deadline=yesterday)
    campaign.refresh_from_db()
    return today, yesterday


def test_submission_after_the_deadline_is_refused(world, campaign, make_registration):
    registration = make_registration("draft")
    today, yesterday = _past_deadline(campaign)
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(registration, by=world.officer_a, today=today)
    assert f"Đã quá hạn đăng ký ({yesterday:%d/%m/%Y})" in " ".join(exc.value.messages)
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.DRAFT


def test_an_extension_granted_by_the_reviewer_lets_it_through(world, campaign, make_registration):
    registration = make_registration("draft")
    today, yesterday = _past_deadline(campaign)
    with pytest.raises(PermissionDenied):
        services.deadline_extend(
            campaign=campaign,
            organization=world.unit_a,
            by=world.officer_a,
            until=yesterday + dt.timedelta(days=7),
            today=today,
        )
    with pytest.raises(ValidationError) as exc:
        services.deadline_extend(
            campaign=campaign,
            organization=world.unit_a,
            by=world.leader,
            until=yesterday,
            today=today,
        )
    assert set(exc.value.error_dict) == {"until"}
    extension = services.deadline_extend(
        campaign=campaign,
        organization=world.unit_a,
        by=world.leader,
        until=yesterday + dt.timedelta(days=7),
        reason="Đơn vị đang tổ chức Đại hội.",
        today=today,
    )
    assert extension.granted_by == world.leader
    services.registration_submit(registration, by=world.officer_a, today=today)
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.SUBMITTED
    # Another unit has no extension.
    other = services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_b,
        by=world.officer_b,
        data=registration_data(campaign),
    )
    with pytest.raises(ValidationError, match="Đã quá hạn đăng ký"):
        services.registration_submit(other, by=world.officer_b, today=today)
    assert AuditEntry.objects.filter(action="deadline-extend").count() == 1


def test_an_extension_is_refused_once_submitted(world, campaign, make_registration):
    make_registration("submitted")
    with pytest.raises(ValidationError, match="đã gửi bản đăng ký"):
        services.deadline_extend(
            campaign=campaign,
            organization=world.unit_a,
            by=world.leader,
            until=campaign.registration_deadline,
        )
    assert not DeadlineExtension.objects.exists()


def test_submitting_twice_says_it_was_already_done(world, campaign, make_registration):
    registration = make_registration("submitted")
    with pytest.raises(ValidationError) as exc:
        services.registration_submit(registration, by=world.officer_a)
    assert exc.value.code == "already_handled"
    assert actions(registration).count("submit") == 1


# ---------------------------------------------------------------------------------------------
# Reviewing.


def test_approve_on_a_draft_is_refused(world, campaign, make_registration):
    registration = make_registration("draft")
    with pytest.raises(ValidationError) as exc:
        services.registration_approve(registration, by=world.leader)
    assert exc.value.code == "not_submitted"
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.DRAFT


@pytest.mark.parametrize("persona", ["leader", "staff", "admin"])
def test_reviewers_approve(world, campaign, make_registration, persona):
    registration = make_registration("submitted")
    services.registration_approve(registration, by=world.persona(persona))
    registration.refresh_from_db()
    assert registration.status == ReviewStatus.APPROVED
    assert registration.reviewed_by == world.persona(persona)


def test_only_the_unit_directly_above_or_provincial_staff_review(
    world, campaign, make_registration
):
    registration = make_registration("submitted")
    province_leader = make_member(world.province, Role.LEADER, "province_leader")
    district_staff_q = make_member(world.district_q, Role.STAFF, "staff_q")
    for user in (world.officer_a, world.officer_b, province_leader, district_staff_q):
        with pytest.raises(PermissionDenied):
            services.registration_approve(registration, by=user)
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.SUBMITTED


def test_return_needs_a_comment(world, campaign, make_registration):
    registration = make_registration("submitted")
    with pytest.raises(ValidationError) as exc:
        services.registration_return(registration, by=world.leader, comment="  ")
    assert set(exc.value.error_dict) == {"comment"}
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.SUBMITTED


def test_return_fix_resubmit_approve(world, campaign, make_registration):
    registration = make_registration("submitted")
    services.registration_return(
        registration, by=world.leader, comment="Chỉ tiêu sáng kiến còn thấp."
    )
    registration.refresh_from_db()
    assert registration.status == ReviewStatus.RETURNED
    assert registration.review_comment == "Chỉ tiêu sáng kiến còn thấp."
    data = registration_data(campaign, 2)
    data["themes"][0]["targets"][0]["value"] = "8"
    services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=data,
        expected_version=registration.version,
    )
    services.registration_submit(registration, by=world.officer_a)
    services.registration_approve(registration, by=world.leader)
    registration.refresh_from_db()
    assert registration.status == ReviewStatus.APPROVED
    assert actions(registration) == [
        "registration-save",
        "submit",
        "return",
        "registration-save",
        "submit",
        "approve",
    ]


def test_a_second_decision_is_refused(world, campaign, make_registration):
    registration = make_registration("submitted")
    services.registration_approve(registration, by=world.leader)
    with pytest.raises(ValidationError) as exc:
        services.registration_return(registration, by=world.staff, comment="Xem lại.")
    assert exc.value.code == "already_handled"
    assert "Đã duyệt" in str(exc.value)
    assert Registration.objects.get(pk=registration.pk).status == ReviewStatus.APPROVED


def test_approving_what_changed_since_the_page_was_opened_is_refused(
    world, campaign, make_registration
):
    registration = make_registration("submitted")
    shown = registration.version
    services.registration_return(registration, by=world.leader, comment="Bổ sung.")
    services.registration_submit(registration, by=world.officer_a)
    with pytest.raises(ValidationError) as exc:
        services.registration_approve(registration, by=world.staff, expected_version=shown)
    assert exc.value.code == "stale"


# ---------------------------------------------------------------------------------------------
# Reopening: a new revision, the earlier one kept.


def test_reopen_starts_a_new_revision(world, campaign, make_registration):
    registration = make_registration("approved")
    with pytest.raises(ValidationError):
        services.registration_reopen(registration, by=world.officer_a, reason="")
    services.registration_reopen(
        registration, by=world.officer_a, reason="Bổ sung công trình gắn biển."
    )
    registration.refresh_from_db()
    assert registration.status == ReviewStatus.DRAFT and registration.revision == 2
    assert registration.reviewed_at is None and registration.submitted_at is None
    frozen = RegistrationRevision.objects.get(registration=registration)
    assert frozen.number == 1 and frozen.reviewed_by_name == str(world.staff)
    assert [t["title"] for t in frozen.content["themes"]] == [
        "Lao động giỏi, Lao động sáng tạo",
        "Học tập nâng cao trình độ",
    ]
    assert frozen.content["themes"][0]["targets"][0]["value"] == "5.00"
    # The new revision is edited without touching the frozen one.
    services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_data(campaign, 3),
        expected_version=registration.version,
    )
    frozen.refresh_from_db()
    assert len(frozen.content["themes"]) == 2
    with pytest.raises(ValidationError, match="đang mở để chỉnh sửa"):
        services.registration_reopen(registration, by=world.officer_a, reason="Lần nữa.")


def test_reopen_is_for_the_unit_or_its_reviewers(world, campaign, make_registration):
    registration = make_registration("approved")
    with pytest.raises(PermissionDenied):
        services.registration_reopen(registration, by=world.officer_b, reason="Sửa.")
    services.registration_reopen(registration, by=world.leader, reason="Sửa chỉ tiêu.")
    assert Registration.objects.get(pk=registration.pk).revision == 2


# ---------------------------------------------------------------------------------------------
# Bulk approval.


def test_bulk_approve(world, campaign, make_registration):
    a = make_registration("submitted")
    b = make_registration("submitted", unit=world.unit_b, officer=world.officer_b)
    c = make_registration("draft", unit=world.unit_c, officer=world.admin)
    stale_version = b.version
    services.registration_return(b, by=world.leader, comment="Sửa.")
    services.registration_submit(b, by=world.officer_b)
    result = services.registrations_bulk_approve(
        items=[(a.pk, a.version), (b.pk, stale_version), (c.pk, None)], by=world.leader
    )
    assert [r.pk for r in result.approved] == [a.pk]
    reasons = {r.pk: reason for r, reason in result.skipped}
    assert set(reasons) == {b.pk, c.pk}
    assert "đã thay đổi kể từ khi bạn mở trang" in reasons[b.pk]
    assert "không có quyền duyệt" in reasons[c.pk]  # unit C is not below the district
    assert Registration.objects.get(pk=a.pk).status == ReviewStatus.APPROVED
    assert Registration.objects.get(pk=b.pk).status == ReviewStatus.SUBMITTED
