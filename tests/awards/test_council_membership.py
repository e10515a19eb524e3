"""The council counts on its whole membership (Decree 91/2017, art. 45.8): the share of approving
votes is taken of all the council's members, an absent member's written opinion is entered by
the secretary as that member's ballot, and a session decides only with a quorum. The issue's
arithmetic exactly, through the services, and the minutes read back with pdftotext."""

import datetime as dt
import re
import subprocess
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import documents
from awards.models import Council, CouncilMember, CouncilResult, SessionMember, Vote
from awards.services.council import (
    attendance_record,
    ballot_cast,
    quorum_reached,
    session_close,
    session_open,
    written_opinion_record,
)
from emulation.audit import AuditEntry
from federation.models import Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db

DAY = dt.date(2017, 12, 26)


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return normal(out.stdout)


def council_of(world, size, *, quorum=(2, 3), start=dt.date(2015, 1, 1), end=None):
    """A council of ``size`` members for the term, its members in order."""
    council = Council.objects.create(
        granting_unit=world.province,
        name="Hội đồng TĐKT LĐLĐ tỉnh",
        term_start=start,
        term_end=end,
        quorum_numerator=quorum[0],
        quorum_denominator=quorum[1],
    )
    users = [make_member(world.province, Role.COUNCIL, f"tv{size}x{i}") for i in range(size)]
    for index, user in enumerate(users):
        CouncilMember.objects.create(
            council=council,
            user=user,
            position="Chủ tịch Hội đồng" if index == 0 else "Ủy viên",
            order=index,
        )
    return council, users


def open_session(world, nominations):
    return session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Xét khen thưởng năm 2017",
        meeting_date=DAY,
        place="Trụ sở LĐLĐ tỉnh",
        nominations=nominations,
    )


def seats(session):
    return {m.user_id: m for m in session.members.all()}


def vote(session, users, choices):
    (item,) = session.items.all()
    for user, choice in zip(users, choices, strict=True):
        ballot_cast(session=session, by=user, choices={item.pk: choice})
    return item


def written(world, session, user, choice):
    (item,) = session.items.all()
    written_opinion_record(
        session=session, by=world.staff, member=seats(session)[user.pk], choices={item.pk: choice}
    )


def result_of(session):
    session_close(session=session, by=world_staff(session))
    item = session.items.select_related("session").get()
    return item


def world_staff(session):
    return session.opened_by


def test_five_of_seven_members_pass_at_seventy_per_cent(world, at_council):
    _council, users = council_of(world, 7)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    assert session.member_count == 7 and session.quorum_needed == 5
    vote(session, users[:6], ["approve"] * 5 + ["reject"])
    item = result_of(session)
    assert item.approve_count == 5 and item.approve_percent == 71.4
    assert item.result == CouncilResult.APPROVED


def test_five_approvals_of_six_cast_in_a_council_of_eight_fail(world, at_council):
    _council, users = council_of(world, 8)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    vote(session, users[:6], ["approve"] * 5 + ["reject"])
    item = result_of(session)
    # 5 of the 6 votes cast would be 83.3 %; of the 8 members it is 62.5 %.
    assert (item.approve_count, item.reject_count, item.cast) == (5, 1, 6)
    assert item.approve_percent == 62.5 and item.result == CouncilResult.REJECTED
    n.refresh_from_db()
    assert n.council_result == CouncilResult.REJECTED
    assert "62,5" in n.review_comment and "8" in n.review_comment


def test_a_one_one_one_vote_is_a_third_not_a_half(world, at_council):
    _council, users = council_of(world, 3)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    vote(session, users, ["approve", "reject", "abstain"])
    item = result_of(session)
    assert item.approve_percent == 33.3 and item.reject_percent == 33.3
    assert item.result == CouncilResult.REJECTED


def test_two_approvals_and_an_abstention_of_three_fail_at_seventy(world, at_council):
    _council, users = council_of(world, 3)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    vote(session, users, ["approve", "approve", "abstain"])
    item = result_of(session)
    # Of the votes cast it was 100 %; of the members it is 66.7 % < 70 %.
    assert item.approve_percent == 66.7 and item.result == CouncilResult.REJECTED


def test_a_ninety_per_cent_title_needs_nine_of_ten(world, at_council, awards):
    awards["person"].approval_threshold = 90
    awards["person"].save()
    _council, users = council_of(world, 10)
    high, low = at_council("Chín Phiếu", "Tám Phiếu")
    session = open_session(world, [high, low])
    items = {i.nomination_id: i for i in session.items.all()}
    for index, user in enumerate(users):
        ballot_cast(
            session=session,
            by=user,
            choices={
                items[high.pk].pk: "approve" if index < 9 else "reject",
                items[low.pk].pk: "approve" if index < 8 else "abstain",
            },
        )
    session_close(session=session, by=world.staff)
    results = dict(session.items.values_list("nomination_id", "result"))
    assert results == {high.pk: CouncilResult.APPROVED, low.pk: CouncilResult.REJECTED}


@pytest.mark.parametrize(
    ("counted", "members", "quorum", "expected"),
    [
        (5, 7, (2, 3), True),  # 4.67 rounded up
        (4, 7, (2, 3), False),
        (6, 9, (2, 3), True),
        (5, 9, (2, 3), False),
        (4, 8, (1, 2), True),
        (3, 8, (1, 2), False),
        (0, 0, (2, 3), False),
    ],
)
def test_the_quorum_arithmetic(counted, members, quorum, expected):
    assert (
        quorum_reached(counted=counted, members=members, numerator=quorum[0], denominator=quorum[1])
        is expected
    )


def test_no_decision_without_a_quorum_then_written_opinions_complete_it(world, at_council):
    """Seven members, four vote in the meeting: 4 < 5, the session cannot decide. The secretary
    enters the written opinion of an absent member: 5 of 7, it decides; the written ballot counts
    like any other, and 5 approvals of 7 pass."""
    _council, users = council_of(world, 7)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    vote(session, users[:4], ["approve"] * 4)
    with pytest.raises(ValidationError, match="4/7|4 trên 7|5"):
        session_close(session=session, by=world.staff)
    assert session.items.get().result == ""
    written(world, session, users[4], "approve")
    vote_row = Vote.objects.get(voter=users[4])
    assert vote_row.written and vote_row.recorded_by == world.staff
    member = SessionMember.objects.get(session=session, user=users[4])
    assert member.written_opinion and not member.attended
    # The audit log says a written opinion was entered, never how it voted.
    entry = AuditEntry.objects.get(action="written-opinion")
    assert "approve" not in str(entry.changes)
    item = result_of(session)
    assert (item.approve_count, item.approve_percent) == (5, 71.4)
    assert item.result == CouncilResult.APPROVED


def test_attendance_alone_makes_the_quorum_and_absent_members_count_against(world, at_council):
    _council, users = council_of(world, 7)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    vote(session, users[:4], ["approve"] * 4)
    members = seats(session)
    # Five attend: the fifth does not vote (a blank ballot counts against).
    attendance_record(
        session=session, by=world.staff, attending=[members[u.pk].pk for u in users[:5]]
    )
    item = result_of(session)
    assert item.approve_percent == 57.1 and item.result == CouncilResult.REJECTED


def test_what_the_secretary_may_not_record(world, at_council):
    _council, users = council_of(world, 7)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    (item,) = session.items.all()
    members = seats(session)
    vote(session, users[:1], ["approve"])
    # A member who voted in the meeting is present: no written opinion, no marking absent.
    with pytest.raises(ValidationError, match="có mặt|trực tiếp"):
        written(world, session, users[0], "reject")
    with pytest.raises(ValidationError, match=re.escape(users[0].full_name)):
        attendance_record(session=session, by=world.staff, attending=[])
    # A written opinion gives a vote on each nomination, once.
    written(world, session, users[1], "reject")
    with pytest.raises(ValidationError):
        written(world, session, users[1], "approve")
    # ... and its member can neither vote in person nor be marked present.
    with pytest.raises(ValidationError):
        ballot_cast(session=session, by=users[1], choices={item.pk: "approve"})
    with pytest.raises(ValidationError):
        attendance_record(
            session=session,
            by=world.staff,
            attending=[members[users[0].pk].pk, members[users[1].pk].pk],
        )
    # Only staff of the granting unit record attendance and written opinions.
    for outsider in (world.leader, users[2], world.officer_a):
        with pytest.raises(PermissionDenied):
            written_opinion_record(
                session=session,
                by=outsider,
                member=members[users[3].pk],
                choices={item.pk: "approve"},
            )
        with pytest.raises(PermissionDenied):
            attendance_record(session=session, by=outsider, attending=[])
    assert Vote.objects.filter(item=item).count() == 2


def test_a_council_role_holder_outside_the_terms_list_does_not_vote(world, at_council):
    """The council of the term is the list: a person with the council role who is not on it has
    no ballot, and the council of an earlier term does not count."""
    council_of(world, 3, start=dt.date(2010, 1, 1), end=dt.date(2014, 12, 31))
    _council, users = council_of(world, 5)
    outsider = make_member(world.province, Role.COUNCIL, "ngoaidanhsach")
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    assert session.member_count == 5 and session.council_id == _council.pk
    assert [m.position for m in session.members.all()][:2] == ["Chủ tịch Hội đồng", "Ủy viên"]
    (item,) = session.items.all()
    with pytest.raises(PermissionDenied):
        ballot_cast(session=session, by=outsider, choices={item.pk: "approve"})


def test_the_quorum_is_configured_per_council(world, at_council):
    _council, users = council_of(world, 8, quorum=(1, 2))
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    assert session.quorum_needed == 4
    vote(session, users[:4], ["approve"] * 4)
    item = result_of(session)  # 4 of 8 is the half this council needs
    assert item.result == CouncilResult.REJECTED and item.approve_percent == 50.0


def test_the_minutes_state_membership_attendance_written_opinions_and_shares(
    world, at_council, tmp_path
):
    """Eight members: five attend and vote 5-0-0 on one nominee and 4-1-0 on the other, one
    absent member's written opinion approves both, two are absent without an opinion. The
    minutes name each member with their attendance, and each share of the eight."""
    _council, users = council_of(world, 8)
    n1, n2 = at_council("Trần Thị Lan", "Nguyễn Văn Bình")
    session = open_session(world, [n1, n2])
    items = {i.nomination_id: i for i in session.items.all()}
    for index, user in enumerate(users[:5]):
        ballot_cast(
            session=session,
            by=user,
            choices={
                items[n1.pk].pk: "approve",
                items[n2.pk].pk: "approve" if index < 4 else "reject",
            },
        )
    members = seats(session)
    written_opinion_record(
        session=session,
        by=world.staff,
        member=members[users[5].pk],
        choices={items[n1.pk].pk: "approve", items[n2.pk].pk: "approve"},
    )
    session_close(session=session, by=world.staff)
    session.refresh_from_db()
    pdf = documents.minutes_pdf(session)
    text = pdftotext(pdf, tmp_path)
    for expected in (
        "Hội đồng có 8 thành viên:",
        "Chủ tịch Hội đồng",
        "Vắng mặt, có ý kiến bằng văn bản",
        f"vắng mặt có ý kiến bằng văn bản: 1 ({users[5].full_name})",
        "Có mặt: 5/8 thành viên",
        "vắng mặt không có ý kiến: 2",
        "Tổng số thành viên dự họp hoặc có ý kiến bằng văn bản: 6/8",
        "yêu cầu tối thiểu 6 thành viên, tức 2/3 tổng số thành viên",
        "tính trên tổng số 8 thành viên của Hội đồng",
        "6/8 (75,0%)",  # Lan: 5 in the meeting + 1 written = 75 % >= 70 %
        "5/8 (62,5%)",  # Bình: 4 + 1 written = 62.5 % < 70 %
        "1 (12,5%)",
        "Hội đồng thống nhất đề nghị khen thưởng 1 trường hợp đạt; 1 trường hợp không đạt.",
    ):
        assert normal(expected) in text, expected
    for member in users:
        assert member.full_name in text
    png = tmp_path / "minutes"
    (tmp_path / "m.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "m.pdf"), str(png)], check=True)
    assert list(tmp_path.glob("minutes-*.png"))


def test_the_session_page_records_attendance_and_written_opinions(world, at_council, client_for):
    from django.urls import reverse

    _council, users = council_of(world, 3)
    (n,) = at_council("Trần Thị Lan")
    session = open_session(world, [n])
    (item,) = session.items.all()
    members = seats(session)
    client = client_for(world.staff)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Hội đồng: 3 thành viên" in page and 'data-testid="attendance-form"' in page
    assert "Chưa đủ số thành viên" in page
    # A written opinion must vote on every nomination: the form keeps the member chosen.
    url = reverse("awards:session-written-opinion", args=[session.pk])
    response = client.post(url, {"member": members[users[2].pk].pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vui lòng nhập thông tin này." in body
    assert f'value="{members[users[2].pk].pk}" selected' in body
    assert not Vote.objects.exists()
    response = client.post(
        url, {"member": members[users[2].pk].pk, f"item_{item.pk}": "approve"}, follow=True
    )
    assert "Đã ghi nhận ý kiến bằng văn bản" in response.content.decode()
    assert Vote.objects.get().written
    response = client.post(
        reverse("awards:session-attendance", args=[session.pk]),
        {"attending": [members[users[0].pk].pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "Đã ghi nhận: 1/3 thành viên có mặt." in body
    assert "Đủ số thành viên" in body  # 1 present + 1 written = 2 of 3
    # A council member may not record either.
    for name in ("awards:session-attendance", "awards:session-written-opinion"):
        assert client_for(users[0]).post(reverse(name, args=[session.pk])).status_code == 403


def test_the_highest_individual_titles_default_to_ninety_per_cent(world):
    """An award type marked as a highest individual title takes 90 % when its threshold is the
    common default; a threshold set to another value is kept; 6 of 7 members (85.7 %) pass at
    70 % but not at 90 %."""
    from awards.models import (
        DEFAULT_THRESHOLD,
        HIGHEST_TITLE_THRESHOLD,
        AwardCategory,
        AwardType,
        NomineeKind,
    )
    from awards.services.council import passes

    def award(name, **extra):
        return AwardType.objects.create(
            name=name,
            certificate_title="GIẤY CHỨNG NHẬN",
            category=AwardCategory.TITLE,
            nominee_kind=NomineeKind.INDIVIDUAL,
            granting_unit=world.province,
            **extra,
        )

    plain = award("Lao động giỏi")
    fighter = award("Chiến sĩ thi đua", highest_title=True)
    chosen = award("Chiến sĩ thi đua cấp ngành", highest_title=True, approval_threshold=80)
    assert plain.approval_threshold == DEFAULT_THRESHOLD == 70
    assert fighter.approval_threshold == HIGHEST_TITLE_THRESHOLD == 90
    assert chosen.approval_threshold == 80
    # Marking an existing award later raises its default threshold too.
    plain.highest_title = True
    plain.save(update_fields=["highest_title"])
    plain.refresh_from_db()
    assert plain.approval_threshold == 90
    assert passes(approve=6, members=7, threshold=70)
    assert not passes(approve=6, members=7, threshold=fighter.approval_threshold)
    assert passes(approve=7, members=7, threshold=fighter.approval_threshold)
