"""Sending a consolidation up, reviewing it, sending it again: the services, their refusals and
what they store."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import Campaign, CampaignStatus
from consolidations import services
from consolidations.models import Consolidation
from emulation.audit import audit_history
from emulation.workflow import ReviewStatus
from registrations import services as registration_services
from registrations.selectors.summary import summary
from tests.consolidations.conftest import day
from tests.reports.conftest import phase

pytestmark = pytest.mark.django_db


def send(world, campaign, *, by=None, unit=None, phase=None, today=None, **kwargs):
    return services.consolidation_send(
        campaign=campaign,
        organization=unit or world.district,
        by=by or world.leader,
        phase=phase,
        today=today or day(campaign),
        **kwargs,
    )


def refusal(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# ---------------------------------------------------------------------------------------------
# Sending.


def test_a_district_sends_its_consolidated_registrations_as_they_stand(
    world, campaign, registration
):
    registration(world.unit_a, "approved")
    registration(world.unit_b, "submitted")
    version = Campaign.objects.get(pk=campaign.pk).figures_version

    sent = send(world, campaign)

    sent.refresh_from_db()
    assert sent.status == ReviewStatus.SUBMITTED
    assert sent.phase is None and sent.organization == world.district
    assert (sent.sendings, sent.counted_units, sent.revision) == (1, 1, 1)
    assert sent.submitted_by == world.leader and sent.sent_at is not None
    data = sent.snapshot
    assert data["kind"] == "registrations" and data["unit"]["code"] == "NB-P"
    # The district, A and B: A approved (counted), B awaiting review (counted only as a state).
    assert data["progress"]["total"] == 3
    assert (data["progress"]["approved"], data["progress"]["submitted"]) == (1, 1)
    assert data["counted"] == [[world.unit_a.pk, "NB-P-A", world.unit_a.name]]
    first = data["themes"][0]
    assert first["units"] == 1
    assert {(t["name"], t["value"]) for t in first["targets"]} == {
        ("Sáng kiến, cải tiến kỹ thuật", "5"),
        ("Giá trị làm lợi", "100"),
    }
    assert [(b["code"], b["self"], b["approved"]) for b in data["branches"]] == [
        ("NB-P", True, 0),
        ("NB-P-A", False, 1),
        ("NB-P-B", False, 0),
    ]
    # One transition of the shared workflow: its audit entry says what was sent.
    entry = audit_history(sent).get()
    assert entry.action == "submit" and entry.actor == world.leader
    assert entry.changes["from"] == "draft" and entry.changes["to"] == "submitted"
    assert (entry.changes["sending"], entry.changes["counted"]) == (1, 1)
    # The campaign's figures changed in the same transaction.
    assert Campaign.objects.get(pk=campaign.pk).figures_version > version


def test_a_district_sends_its_summary_report_on_a_phase(world, campaign, report):
    report(world.unit_a, "approved", indicators=(3, 1500000, 1, 100, 2))
    report(world.unit_b, "submitted", indicators=(7, 7, 7, 7, 7))
    first = phase(campaign, 1)

    sent = send(world, campaign, phase=first)

    sent.refresh_from_db()
    assert sent.phase == first and sent.counted_units == 1
    data = sent.snapshot
    assert data["kind"] == "report" and data["phase"]["name"] == "Đợt 1"
    # Only the accepted report of A is summed; B's awaits review.
    assert [i["total"] for i in data["indicators"]] == ["3", "1500000", "1", "100", "2"]
    assert (data["progress"]["approved"], data["progress"]["submitted"]) == (1, 1)
    assert data["counted"] == [[world.unit_a.pk, "NB-P-A", world.unit_a.name]]
    rows = {b["code"]: b for b in data["branches"]}
    assert rows["NB-P-A"]["values"] == ["3", "1500000", "1", "100", "2"]
    assert rows["NB-P-B"]["values"] == ["0", "0", "0", "0", "0"]
    targets = {t["name"]: t for t in data["themes"][0]["targets"]}
    assert targets["Sáng kiến, cải tiến kỹ thuật"]["registered"] == "5"
    assert targets["Sáng kiến, cải tiến kỹ thuật"]["achieved"] == "4"
    # The registrations' consolidation is another one, still to send.
    assert Consolidation.objects.filter(organization=world.district).count() == 1


def test_nothing_approved_below_is_refused_in_vietnamese(world, campaign, registration, report):
    registration(world.unit_a, "submitted")
    # The district's own approved registration is not something *below* it.
    registration(world.district, "approved")
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign)
    assert excinfo.value.code == "nothing_approved"
    assert "Chưa có bản đăng ký nào của các đơn vị cấp dưới được duyệt" in refusal(excinfo)
    report(world.unit_b, "submitted")
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign, phase=phase(campaign, 1))
    assert "Chưa có báo cáo Đợt 1 nào của các đơn vị cấp dưới được duyệt" in refusal(excinfo)
    # Nothing was kept of the refused sendings.
    assert not Consolidation.objects.exists()


def test_only_the_units_officers_and_leaders_send(world, campaign, registration, leader_q):
    registration(world.unit_a, "approved")
    # The province's staff review the district: they do not send in its name.
    for person in (world.staff, world.officer_a, world.officer_b, leader_q):
        with pytest.raises(PermissionDenied):
            send(world, campaign, by=person)
    assert not Consolidation.objects.exists()
    # A grassroots union has nothing below it; the issuer has nobody above it in the campaign.
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign, by=world.officer_a, unit=world.unit_a)
    assert excinfo.value.code == "no_units_below"
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign, by=world.admin, unit=world.province)
    assert excinfo.value.code == "not_participant"
    # An officer of the district sends as well as its leader.
    from federation.models import Role
    from tests.factories import make_member

    officer_p = make_member(world.district, Role.OFFICER, "officer_p")
    assert send(world, campaign, by=officer_p).submitted_by == officer_p


def test_a_closed_or_draft_campaign_takes_nothing(world, campaign, registration):
    registration(world.unit_a, "approved")
    sent = send(world, campaign)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.consolidation_approve(sent, by=world.staff)
    assert excinfo.value.code == "closed"
    assert "đã kết thúc" in refusal(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign, phase=phase(campaign, 1))
    assert excinfo.value.code == "closed"
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign, phase=phase(campaign, 1))
    assert excinfo.value.code == "not_active"
    sent.refresh_from_db()
    assert sent.status == ReviewStatus.SUBMITTED


def test_a_phase_summary_waits_for_its_reporting_to_open(world, campaign, report):
    report(world.unit_a, "approved", number=1)
    second = phase(campaign, 2)
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign, phase=second, today=day(campaign, 6, 30))
    assert excinfo.value.code == "not_open"
    assert f"01/07/{campaign.year}" in refusal(excinfo)


# ---------------------------------------------------------------------------------------------
# Reviewing, sending again.


def test_return_with_a_reason_send_again_approve(world, campaign, registration):
    registration(world.unit_a, "approved")
    b = registration(world.unit_b, "submitted")
    sent = send(world, campaign)

    # The unit above reviews; the district's own leader does not review itself.
    with pytest.raises(PermissionDenied):
        services.consolidation_approve(sent, by=world.leader)
    with pytest.raises(ValidationError) as excinfo:
        services.consolidation_return(sent, by=world.staff, comment="  ")
    assert "comment" in excinfo.value.error_dict
    returned = services.consolidation_return(
        sent, by=world.staff, comment="Chờ CĐCS Bêta được duyệt rồi gửi lại."
    )
    assert returned.status == ReviewStatus.RETURNED
    assert returned.review_comment == "Chờ CĐCS Bêta được duyệt rồi gửi lại."
    assert returned.reviewed_by == world.staff

    # B is approved meanwhile; the district sends again: a new snapshot, the second sending.
    registration_services.registration_approve(b, by=world.leader)
    again = send(world, campaign, expected_version=returned.version)
    again.refresh_from_db()
    assert again.status == ReviewStatus.SUBMITTED
    assert (again.sendings, again.counted_units) == (2, 2)
    assert [row[1] for row in again.snapshot["counted"]] == ["NB-P-A", "NB-P-B"]
    # Sent once: not twice, and not over the reviewer's head.
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign)
    assert excinfo.value.code == "already_submitted"

    approved = services.consolidation_approve(again, by=world.staff)
    assert approved.status == ReviewStatus.APPROVED
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign)
    assert excinfo.value.code == "already_approved"
    with pytest.raises(ValidationError) as excinfo:
        services.consolidation_return(approved, by=world.staff, comment="Muộn.")
    assert excinfo.value.code == "already_handled"

    # Every step in the audit log, oldest first, each sending with its figures.
    entries = list(audit_history(approved).order_by("created_at", "id"))
    assert [e.action for e in entries] == ["submit", "return", "submit", "approve"]
    assert entries[1].changes["comment"] == "Chờ CĐCS Bêta được duyệt rồi gửi lại."
    assert [e.changes.get("sending") for e in entries] == [1, None, 2, None]
    assert [e.changes.get("counted") for e in entries] == [1, None, 2, None]


def test_a_form_from_before_a_change_is_refused(world, campaign, registration):
    registration(world.unit_a, "approved")
    sent = send(world, campaign)
    shown = sent.version
    returned = services.consolidation_return(sent, by=world.staff, comment="Thiếu số liệu.")
    with pytest.raises(ValidationError) as excinfo:
        send(world, campaign, expected_version=shown)
    assert excinfo.value.code == "stale"
    with pytest.raises(ValidationError) as excinfo:
        services.consolidation_approve(returned, by=world.staff, expected_version=shown)
    assert excinfo.value.code == "already_handled"


def test_what_was_sent_does_not_change_with_what_happens_below(world, campaign, registration):
    a = registration(world.unit_a, "approved")
    b = registration(world.unit_b, "submitted")
    sent = send(world, campaign)
    sent.refresh_from_db()
    before = sent.snapshot

    # Below, B is approved and A reopened and changed; the unit A is even renamed.
    registration_services.registration_approve(b, by=world.leader)
    registration_services.registration_reopen(a, by=world.officer_a, reason="Sửa chỉ tiêu.")
    world.unit_a.name = "Công đoàn cơ sở Alpha mới"
    world.unit_a.save()

    sent.refresh_from_db()
    assert sent.snapshot == before
    assert sent.counted_units == 1
    assert sent.snapshot["counted"] == [[world.unit_a.pk, "NB-P-A", "Công đoàn cơ sở Alpha Đông Á"]]
    # The live consolidation has moved on: B approved, A a draft again.
    live = summary(campaign, world.district, today=day(campaign))
    assert live.progress.approved == 1
    assert [r.unit.code for r in live.branches if r.progress.approved] == ["NB-P-B"]


def test_an_approved_consolidation_is_reopened_with_a_reason_then_sent_anew(
    world, campaign, registration
):
    registration(world.unit_a, "approved")
    approved = services.consolidation_approve(send(world, campaign), by=world.staff)
    # Not the units below, not someone outside the branch.
    with pytest.raises(PermissionDenied):
        services.consolidation_reopen(approved, by=world.officer_a, reason="x")
    with pytest.raises(ValidationError) as excinfo:
        services.consolidation_reopen(approved, by=world.staff, reason="")
    assert "comment" in excinfo.value.error_dict
    reopened = services.consolidation_reopen(
        approved, by=world.leader, reason="Bổ sung đơn vị đăng ký muộn."
    )
    assert (reopened.status, reopened.revision) == (ReviewStatus.DRAFT, 2)
    # What was approved stays readable until the next sending.
    assert reopened.snapshot["counted"]
    with pytest.raises(ValidationError) as excinfo:
        services.consolidation_reopen(reopened, by=world.leader, reason="Lại.")
    assert excinfo.value.code == "already_open"
    again = send(world, campaign)
    assert (again.status, again.sendings, again.revision) == (ReviewStatus.SUBMITTED, 2, 2)
    entry = audit_history(again).filter(action="reopen").get()
    assert entry.changes["consolidation_revision"] == [1, 2]


def test_the_unit_above_is_told_of_a_sending_and_the_unit_of_its_review(
    world, campaign, registration, django_capture_on_commit_callbacks
):
    from reminders.models import Notification

    registration(world.unit_a, "approved")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(world, campaign)
    notice = Notification.objects.get(user=world.staff)
    assert "Liên đoàn Lao động huyện Phượng" in notice.subject
    assert notice.link == sent.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        services.consolidation_return(sent, by=world.staff, comment="Thiếu.")
    assert Notification.objects.filter(user=world.leader, body="Thiếu.").exists()
