"""Each app's work items (emulation.work providers) in every state, on days the test chooses."""

import datetime as dt

from django.utils import timezone, translation

from awards.models import (
    CouncilSession,
    Decision,
    Nomination,
    SessionItem,
    SessionStatus,
    Vote,
    VoteChoice,
)
from campaigns.work import context_for
from emulation.work import (
    COUNCIL,
    DONE,
    NEWS,
    REVIEW,
    STAFF,
    TO_DO,
    UNIT,
    UPCOMING,
    WAITING,
    WorkItem,
    days_text,
)
from federation.models import Role
from registrations import services as registration_services
from reminders.models import Notification
from reports.models import PhaseReport
from reports.services.transitions import report_approve, report_receive, report_submit
from tests.desk.conftest import (
    PHASE_1_DEADLINE,
    PHASE_1_OPENS,
    REGISTRATION_DEADLINE,
    Y,
    award_of,
    bring_registration,
    bring_report,
    items,
    nomination,
    phase_of,
)
from tests.factories import make_member

D = dt.date


def test_days_left_read_as_the_officers_say_them():
    assert days_text(9) == "còn 9 ngày"
    assert days_text(1) == "còn 1 ngày"
    assert days_text(0) == "hạn chót hôm nay"
    assert days_text(-3) == "quá hạn 3 ngày"
    assert days_text(None) == ""
    with translation.override("en"):
        assert days_text(-1) == "1 day overdue"
        assert days_text(2) == "2 days left"
    # Only what is still to do counts its days.
    assert WorkItem(UNIT, "x", "/", state=WAITING, days_left=3).days_text == ""


# --- Registrations ---------------------------------------------------------------------------


def _registration(user, today):
    found = items(user, today, UNIT, "registration")
    assert len(found) == 1, found
    return found[0]


def test_registration_item_in_every_state(world, campaign):
    officer, unit = world.officer_a, world.unit_a
    # Not registered, 9 days before the deadline.
    item = _registration(officer, REGISTRATION_DEADLINE - dt.timedelta(days=9))
    assert (item.state, item.status, item.status_label) == (TO_DO, "none", "Chưa đăng ký")
    assert item.title == "Đăng ký ít nhất 2 nội dung thi đua"
    assert item.days_text == "còn 9 ngày" and not item.overdue and not item.urgent
    assert item.deadline == REGISTRATION_DEADLINE
    assert item.url == f"/registrations/c/{campaign.pk}/u/{unit.pk}/"
    assert _registration(officer, REGISTRATION_DEADLINE).days_text == "hạn chót hôm nay"
    late = _registration(officer, REGISTRATION_DEADLINE + dt.timedelta(days=3))
    assert late.days_text == "quá hạn 3 ngày" and late.overdue
    assert late.detail == "Đề nghị công đoàn cấp trên gia hạn."

    registration = bring_registration(campaign, unit, officer, "draft", reviewer=world.leader)
    item = _registration(officer, D(Y, 3, 25))
    assert (item.state, item.status_label) == (TO_DO, "Nháp")
    assert item.title == "Hoàn thiện và gửi bản đăng ký thi đua"
    assert item.days_text == "còn 6 ngày" and item.urgent

    registration = registration_services.registration_submit(
        registration, by=officer, today=D(Y, 3, 25)
    )
    item = _registration(officer, D(Y, 3, 26))
    assert (item.state, item.status_label, item.days_text) == (WAITING, "Chờ duyệt", "")
    assert item.deadline is None

    registration = registration_services.registration_return(
        registration, by=world.leader, comment="Bổ sung chỉ tiêu sáng kiến."
    )
    item = _registration(officer, D(Y, 3, 27))
    assert (item.state, item.status_label) == (TO_DO, "Trả lại")
    assert item.title == "Sửa bản đăng ký bị trả lại và gửi lại"
    assert item.detail == "Bổ sung chỉ tiêu sáng kiến."

    registration = registration_services.registration_submit(
        registration, by=officer, today=D(Y, 3, 28)
    )
    registration_services.registration_approve(registration, by=world.leader)
    item = _registration(officer, D(Y, 4, 1))
    assert (item.state, item.status_label, item.days_text) == (DONE, "Đã duyệt", "")


def test_an_extension_moves_the_registration_deadline(world, campaign):
    registration_services.deadline_extend(
        campaign=campaign,
        organization=world.unit_a,
        by=world.leader,
        until=D(Y, 4, 10),
        reason="Đơn vị mới thành lập.",
        today=D(Y, 3, 20),
    )
    item = _registration(world.officer_a, D(Y, 4, 5))
    assert item.deadline == D(Y, 4, 10) and item.days_text == "còn 5 ngày"


def test_only_officers_and_leaders_of_a_unit_taking_part_prepare(world, campaign):
    # The issuer takes no part: its staff prepare nothing; a council member prepares nothing.
    council = make_member(world.province, Role.COUNCIL, "hoidong1")
    for user in (world.staff, council, world.admin):
        assert items(user, D(Y, 3, 1), UNIT) == []
    # The district's leader prepares the district's own registration, not A's.
    [item] = items(world.leader, D(Y, 3, 1), UNIT, "registration")
    assert item.unit_id == world.district.pk
    # Officer B sees B's, never A's.
    assert {i.unit_id for i in items(world.officer_b, D(Y, 3, 1), UNIT)} == {world.unit_b.pk}


# --- Reports ---------------------------------------------------------------------------------


def _report(user, today, number):
    return items(user, today, UNIT, f"report:{number}")[0]


def test_report_items_per_phase(world, campaign):
    officer, unit = world.officer_a, world.unit_a
    # Before reporting on phase 1 opens: upcoming, the day it opens said.
    item = _report(officer, D(Y, 5, 20), 1)
    assert (item.state, item.status_label) == (UPCOMING, "Chưa báo cáo")
    assert item.detail == "Bắt đầu nhận báo cáo từ ngày 01/06/2024."
    assert item.days_text == ""
    # Open, but the registration is not approved yet.
    item = _report(officer, D(Y, 7, 6), 1)
    assert (item.state, item.days_text) == (TO_DO, "còn 9 ngày")
    assert item.title == "Gửi báo cáo sơ kết Đợt 1"
    assert item.detail == "Bản đăng ký thi đua phải được duyệt trước khi gửi báo cáo."
    assert item.url == f"/reports/c/{campaign.pk}/p/{phase_of(campaign, 1).pk}/u/{unit.pk}/"
    # Phase 2, the final review, opens on its first day (1 July).
    final = _report(officer, D(Y, 7, 6), 2)
    assert final.state == TO_DO and final.title == "Gửi báo cáo tổng kết phong trào năm"

    bring_registration(campaign, unit, officer, "approved", reviewer=world.leader)
    item = _report(officer, D(Y, 7, 6), 1)
    assert item.detail == ""
    bring_report(campaign, 1, unit, officer, "submitted", reviewer=world.leader)
    item = _report(officer, D(Y, 7, 6), 1)
    assert (item.state, item.title) == (WAITING, "Báo cáo sơ kết Đợt 1")


def test_returned_then_approved_report(world, campaign):
    officer, unit = world.officer_a, world.unit_a
    bring_registration(campaign, unit, officer, "approved", reviewer=world.leader)
    bring_report(campaign, 1, unit, officer, "returned", reviewer=world.leader)
    item = _report(officer, PHASE_1_DEADLINE + dt.timedelta(days=2), 1)
    assert (item.state, item.status_label) == (TO_DO, "Trả lại")
    assert item.title == "Sửa báo cáo Đợt 1 bị trả lại và gửi lại"
    assert item.detail == "Thiếu số liệu quý II." and item.days_text == "quá hạn 2 ngày"
    returned = PhaseReport.objects.get(phase=phase_of(campaign, 1), organization=unit)
    report = report_submit(returned, by=officer, today=PHASE_1_OPENS)
    report_approve(report, by=world.leader)
    item = _report(officer, D(Y, 8, 1), 1)
    assert (item.state, item.status_label, item.days_text) == (DONE, "Đã duyệt", "")


# --- Nominations -----------------------------------------------------------------------------


def _nominate(user, today, number):
    return items(user, today, UNIT, f"nominate:{number}")


def test_nominate_while_the_reporting_of_a_phase_is_open(world, campaign):
    officer, unit = world.officer_a, world.unit_a
    # No award the unit may nominate for: nothing to propose.
    assert _nominate(officer, D(Y, 7, 1), 1) == []
    award = award_of(world.province)
    # Before reporting opens and after the deadline: no window.
    assert _nominate(officer, D(Y, 5, 31), 1) == []
    assert _nominate(officer, PHASE_1_DEADLINE + dt.timedelta(days=1), 1) == []
    [item] = _nominate(officer, D(Y, 7, 6), 1)
    assert (item.state, item.status_label) == (TO_DO, "Chưa có đề nghị")
    assert item.title == "Đề nghị khen thưởng dịp sơ kết Đợt 1"
    assert item.days_text == "còn 9 ngày"
    assert item.url == f"/awards/new/?unit={unit.pk}"
    # The final review's window (phase 2) at the end of the year.
    [final] = _nominate(officer, D(Y, 12, 22), 2)
    assert final.title == "Đề nghị khen thưởng dịp tổng kết năm"

    draft = nomination(campaign, award, unit, phase=phase_of(campaign, 1))
    [item] = _nominate(officer, D(Y, 7, 6), 1)
    assert (item.state, item.status_label) == (TO_DO, "1 đề nghị nháp chưa gửi")
    assert item.url == "/awards/?stage=draft"
    draft.status = "submitted"
    draft.current_level = world.district
    draft.save()
    [item] = _nominate(officer, D(Y, 7, 6), 1)
    assert (item.state, item.status_label, item.days_text) == (WAITING, "Đã gửi 1 đề nghị", "")
    # A year-end nomination is not one for phase 1.
    nomination(campaign, award, unit, person="Lê Văn Tâm")
    assert _nominate(officer, D(Y, 7, 6), 1)[0].status_label == "Đã gửi 1 đề nghị"


def test_a_returned_nomination_is_to_fix(world, campaign):
    award = award_of(world.province)
    returned = nomination(
        campaign, award, world.unit_a, phase=phase_of(campaign, 1), status="returned"
    )
    [item] = items(world.officer_a, D(Y, 7, 6), UNIT, "nomination-returned")
    assert item.title == "Sửa đề nghị khen thưởng bị trả lại: Nguyễn Thị Lan"
    assert item.detail == "Bổ sung báo cáo thành tích."
    assert item.url == f"/awards/{returned.pk}/"
    assert item.days_text == "còn 9 ngày"  # due with the report on phase 1
    assert items(world.officer_b, D(Y, 7, 6), UNIT, "nomination-returned") == []


# --- Reviewers -------------------------------------------------------------------------------


def test_registration_queue_counts_what_waits_oldest_first(world, campaign, time_machine):
    hanoi = timezone.get_current_timezone()
    # B sends first, then A; the district's leader keeps the queue of P, the staff that of the
    # province (the district itself has sent nothing).
    time_machine.move_to(dt.datetime(Y, 3, 2, 9, tzinfo=hanoi), tick=False)
    bring_registration(campaign, world.unit_b, world.officer_b, "submitted", reviewer=None)
    time_machine.move_to(dt.datetime(Y, 3, 5, 9, tzinfo=hanoi), tick=False)
    bring_registration(campaign, world.unit_a, world.officer_a, "submitted", reviewer=None)
    [queue] = items(world.leader, D(Y, 3, 6), REVIEW, "registration-queue")
    assert (queue.count, queue.state) == (2, TO_DO)
    assert timezone.localdate(queue.since) == D(Y, 3, 2)
    assert queue.title == "Bản đăng ký của các đơn vị trực thuộc Liên đoàn Lao động huyện Phượng"
    assert (
        queue.url == f"/registrations/c/{campaign.pk}/review/{world.district.pk}/?status=submitted"
    )
    [province] = items(world.staff, D(Y, 3, 6), REVIEW, "registration-queue")
    assert (province.count, province.state, province.since) == (0, DONE, None)
    # The leader of the other district sees his queue, empty: nothing of P's units.
    leader_q = make_member(world.district_q, Role.LEADER, "leader_q")
    [other] = items(leader_q, D(Y, 3, 6), REVIEW, "registration-queue")
    assert (other.unit_id, other.count) == (world.district_q.pk, 0)
    # Officers review nothing.
    assert items(world.officer_a, D(Y, 3, 6), REVIEW) == []


def test_report_queues_per_phase(world, campaign):
    for unit, officer in ((world.unit_a, world.officer_a), (world.unit_b, world.officer_b)):
        bring_registration(campaign, unit, officer, "approved", reviewer=world.leader)
    bring_report(campaign, 1, world.unit_a, world.officer_a, "submitted", reviewer=None)
    queues = items(world.leader, D(Y, 7, 6), REVIEW, "report-queue")
    assert [(q.kind, q.count, q.state) for q in queues] == [
        ("report-queue:1", 1, TO_DO),
        ("report-queue:2", 0, DONE),  # open (phase 2 reporting opened on 1 July), none sent
    ]
    # Before phase 2 reporting opens, its empty queue is not listed.
    assert [q.kind for q in items(world.leader, D(Y, 6, 10), REVIEW, "report-queue")] == [
        "report-queue:1"
    ]
    # The province's staff keep the inbox: no report queue of the province for them.
    assert items(world.staff, D(Y, 7, 6), REVIEW, "report-queue") == []


def test_nominations_waiting_for_endorsement_and_for_the_council(world, campaign):
    award = award_of(world.province)
    waiting = nomination(campaign, award, world.unit_a, phase=phase_of(campaign, 1))
    waiting.status, waiting.current_level = "submitted", world.district
    waiting.submitted_at = timezone.now()
    waiting.save()
    [queue] = items(world.leader, D(Y, 7, 6), REVIEW, "nomination-queue")
    assert queue.count == 1 and queue.url == "/awards/?stage=in_review"
    # At the granting unit (the province) it waits for a council session, for the staff.
    waiting.current_level = world.province
    waiting.save()
    assert items(world.leader, D(Y, 7, 6), REVIEW, "nomination-queue") == []
    [council] = items(world.staff, D(Y, 7, 6), REVIEW, "council-waiting")
    assert council.count == 1 and council.url == "/awards/council/new/"
    assert items(world.officer_a, D(Y, 7, 6), REVIEW) == []


# --- Council members -------------------------------------------------------------------------


def test_council_sessions_open_for_the_member_vote(world, campaign):
    member = make_member(world.province, Role.COUNCIL, "hoidong1")
    award = award_of(world.province)
    session = CouncilSession.objects.create(
        granting_unit=world.province,
        title="Phiên họp xét khen thưởng sơ kết",
        meeting_date=D(Y, 7, 20),
        place="Hội trường LĐLĐ tỉnh",
        member_count=3,
    )
    first, second = (
        SessionItem.objects.create(
            session=session, nomination=nomination(campaign, award, world.unit_a, person=name)
        )
        for name in ("Nguyễn Thị Lan", "Trần Văn Bình")
    )
    [item] = items(member, D(Y, 7, 11), COUNCIL)
    assert (item.state, item.status_label) == (TO_DO, "Còn 2 đề nghị chưa bỏ phiếu")
    assert item.days_text == "còn 9 ngày"
    assert item.detail == "Họp ngày 20/07/2024 · Hội trường LĐLĐ tỉnh"
    assert item.url == f"/awards/council/{session.pk}/"
    Vote.objects.create(item=first, voter=member, choice=VoteChoice.APPROVE)
    Vote.objects.create(item=second, voter=member, choice=VoteChoice.REJECT)
    [item] = items(member, D(Y, 7, 11), COUNCIL)
    assert (item.state, item.status_label) == (WAITING, "Bạn đã bỏ phiếu tất cả đề nghị")
    # Another member's ballot is not theirs; a closed session is no longer listed.
    other = make_member(world.province, Role.COUNCIL, "hoidong2")
    assert items(other, D(Y, 7, 11), COUNCIL)[0].status_label == "Còn 2 đề nghị chưa bỏ phiếu"
    session.status = SessionStatus.CLOSED
    session.save()
    assert items(member, D(Y, 7, 11), COUNCIL) == []
    # Not a council member: no council work.
    assert items(world.staff, D(Y, 7, 11), COUNCIL) == []


# --- Staff: the inbox and the units overdue --------------------------------------------------


def test_staff_see_the_units_overdue_with_their_registration(world, campaign):
    # Participants: P, A, B, Q, C (5). A and B registered; C got an extension still running.
    bring_registration(campaign, world.unit_a, world.officer_a, "approved", reviewer=world.leader)
    bring_registration(campaign, world.unit_b, world.officer_b, "submitted", reviewer=None)
    registration_services.deadline_extend(
        campaign=campaign,
        organization=world.unit_c,
        by=world.staff,
        until=D(Y, 4, 20),
        reason="Đại hội công đoàn cơ sở.",
        today=D(Y, 3, 20),
    )
    assert items(world.staff, REGISTRATION_DEADLINE, STAFF, "registration-overdue") == []
    [item] = items(world.staff, D(Y, 4, 3), STAFF, "registration-overdue")
    assert item.count == 2  # P and Q; C's extension runs
    assert item.title == "2 đơn vị chưa gửi bản đăng ký"
    assert item.days_text == "quá hạn 3 ngày"
    assert item.url == f"/registrations/c/{campaign.pk}/summary/{world.province.pk}/"
    [item] = items(world.staff, D(Y, 4, 21), STAFF, "registration-overdue")
    assert item.count == 3  # C's extension ran out
    # Leaders and officers watch no branch as staff.
    assert items(world.leader, D(Y, 4, 21), STAFF) == []
    assert items(world.officer_a, D(Y, 4, 21), STAFF) == []


def test_staff_see_the_inbox_and_the_units_late_with_their_report(world, campaign):
    for unit, officer in ((world.unit_a, world.officer_a), (world.district, world.leader)):
        bring_registration(campaign, unit, officer, "approved", reviewer=world.staff)
    bring_report(campaign, 1, world.unit_a, world.officer_a, "submitted", reviewer=None)
    report = bring_report(campaign, 1, world.district, world.leader, "submitted", reviewer=None)
    [inbox] = items(world.staff, D(Y, 7, 6), STAFF, "inbox")
    assert (inbox.count, inbox.detail) == (1, "1 báo cáo mới")  # the district reached the province
    assert inbox.url == f"/reports/c/{campaign.pk}/inbox/?mark=new"
    report_receive(report, by=world.staff)
    [inbox] = items(world.staff, D(Y, 7, 6), STAFF, "inbox")
    assert (inbox.count, inbox.detail) == (1, "1 đã tiếp nhận, chờ duyệt")
    assert items(world.staff, D(Y, 7, 6), STAFF, "report-overdue") == []
    [late] = items(world.staff, PHASE_1_DEADLINE + dt.timedelta(days=1), STAFF, "report-overdue")
    assert late.count == 3  # B, Q and C sent nothing
    assert late.title == "3 đơn vị chưa gửi báo cáo Đợt 1"
    assert late.days_text == "quá hạn 1 ngày"
    assert late.url.endswith(f"/dashboard/{world.province.pk}/?phase={phase_of(campaign, 1).pk}")
    # The leader has no inbox and watches no branch as staff.
    assert items(world.leader, D(Y, 7, 6), STAFF) == []


# --- News ------------------------------------------------------------------------------------


def test_unread_notifications_the_latest_first(world, campaign):
    for number in range(7):
        Notification.objects.create(
            user=world.officer_a, subject=f"Nhắc việc {number}", link="/registrations/"
        )
    Notification.objects.create(user=world.officer_b, subject="Của người khác")
    read = Notification.objects.create(user=world.officer_a, subject="Đã đọc")
    read.read_at = timezone.now()
    read.save()
    news = items(world.officer_a, D(Y, 3, 1), NEWS)
    summary = [i for i in news if i.kind == "notifications"]
    listed = [i.title for i in news if i.kind == "notification"]
    assert summary[0].count == 7 and summary[0].title == "7 thông báo chưa đọc"
    assert listed == [f"Nhắc việc {n}" for n in (6, 5, 4, 3, 2)]
    assert items(world.leader, D(Y, 3, 1), NEWS) == []


def test_latest_decisions_concerning_the_person_units(world, campaign):
    award = award_of(world.province)
    mine = nomination(campaign, award, world.unit_a, status="submitted")
    theirs = nomination(campaign, award, world.unit_b, status="submitted", person="Lê Văn Tâm")
    decision = Decision.objects.create(
        issuer=world.province,
        award_type=award,
        number=45,
        symbol="QĐ-LĐLĐ",
        date=D(Y, 12, 28),
        subject="Về việc tặng Bằng khen",
        signer_name="Lê Đình Việt",
    )
    other = Decision.objects.create(
        issuer=world.province,
        award_type=award,
        number=46,
        symbol="QĐ-LĐLĐ",
        date=D(Y, 12, 29),
        signer_name="Lê Đình Việt",
    )
    Nomination.objects.filter(pk=mine.pk).update(decision=decision, council_result="approved")
    Nomination.objects.filter(pk=theirs.pk).update(decision=other, council_result="approved")
    [item] = [i for i in items(world.officer_a, D(Y, 12, 30), NEWS) if i.kind == "decision"]
    assert item.title == "Quyết định số 45/QĐ-LĐLĐ: Bằng khen của Ban Chấp hành LĐLĐ tỉnh"
    assert item.detail == "28/12/2024 · Về việc tặng Bằng khen" and item.count == 1
    assert item.url == f"/awards/decisions/{decision.pk}/"
    # The issuer's staff: both, the latest first.
    numbers = [i.title[:18] for i in items(world.staff, D(Y, 12, 30), NEWS) if i.kind == "decision"]
    assert numbers == ["Quyết định số 46/Q", "Quyết định số 45/Q"]


def test_context_holds_active_campaigns_only(world, campaign):
    campaign.status = "closed"
    campaign.save()
    context = context_for(world.officer_a, D(Y, 3, 1))
    assert context.campaigns == []
    assert items(world.officer_a, D(Y, 3, 1), UNIT) == []
