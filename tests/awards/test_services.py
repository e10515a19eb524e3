"""Every step of a nomination and every refusal the issue lists, the council's arithmetic,
decisions, advanced models and plaques."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.models import (
    CouncilResult,
    Decision,
    DossierFile,
    Endorsement,
    ModelStatus,
    Nomination,
    Plaque,
    SessionStatus,
    Stage,
    Vote,
)
from awards.services.advanced_models import model_propose, model_publish, model_withdraw
from awards.services.council import (
    attendance_record,
    ballot_cast,
    passes,
    session_close,
    session_open,
)
from awards.services.decisions import decision_issue
from awards.services.dossier import dossier_file_add
from awards.services.nominations import nomination_create, nomination_update
from awards.services.plaques import plaque_attach, plaque_grant
from awards.services.review import nomination_endorse, nomination_return, nomination_submit
from emulation.models import AuditEntry
from emulation.uploads import MAX_SIZE
from emulation.workflow import ReviewStatus
from tests.awards.conftest import add_dossier, pdf_upload, png_upload, vote_all, xlsx_bytes

pytestmark = pytest.mark.django_db


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


# --- The flow up the tree ------------------------------------------------------------------


def test_a_nomination_goes_up_level_by_level_to_the_council(world, nominate):
    n = nominate(dossier=True)
    assert n.stage == Stage.DRAFT and n.current_level == world.unit_a
    n = nomination_submit(nomination=n, by=world.officer_a)
    assert n.status == ReviewStatus.SUBMITTED
    assert n.current_level == world.district
    assert n.stage == Stage.IN_REVIEW
    # Officer A cannot endorse their own nomination; the sibling's officer neither.
    for outsider in (world.officer_a, world.officer_b):
        with pytest.raises(PermissionDenied):
            nomination_endorse(nomination=n, by=outsider)
    n = nomination_endorse(nomination=n, by=world.leader, comment="Đồng ý.")
    assert n.current_level == world.province
    assert n.stage == Stage.AT_COUNCIL
    assert n.status == ReviewStatus.SUBMITTED
    endorsement = Endorsement.objects.get(nomination=n)
    assert (endorsement.level, endorsement.forwarded_to) == (world.district, world.province)
    # At the granting unit there is nothing further up.
    with pytest.raises(ValidationError, match="Hội đồng"):
        nomination_endorse(nomination=n, by=world.staff)
    actions = list(AuditEntry.objects.filter(object_id=str(n.pk)).values_list("action", flat=True))
    assert {"nomination-create", "dossier-add", "submit", "endorse"} <= set(actions)


def test_an_endorsement_is_a_step_of_the_shared_workflow(
    world, nominate, django_capture_on_commit_callbacks
):
    """Endorsing keeps the state and goes through ``apply_transition``: the version moves, the
    audit entry says from where to where, and the workflow's signal tells the listeners."""
    from emulation.workflow import review_transition

    n = nomination_submit(nomination=nominate(dossier=True), by=world.officer_a)
    version = n.version
    received = []
    review_transition.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="endorse")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            n = nomination_endorse(
                nomination=n, by=world.leader, comment=" Đồng ý. ", expected_version=version
            )
    finally:
        review_transition.disconnect(dispatch_uid="endorse")
    assert n.status == ReviewStatus.SUBMITTED and n.version == version + 1
    entry = AuditEntry.objects.filter(object_id=str(n.pk), action="endorse").get()
    assert set(entry.changes) == {"from", "sent_to", "comment"}  # jsonb keeps no order
    assert entry.changes["from"]["id"] == world.district.pk
    assert entry.changes["sent_to"]["id"] == world.province.pk
    assert entry.changes["comment"] == "Đồng ý."
    assert [(r["sender"], r["transition"], r["comment"]) for r in received] == [
        (Nomination, "endorse", "Đồng ý.")
    ]
    # A page opened before that endorsement is refused by the workflow's version check.
    with pytest.raises(ValidationError) as exc:
        nomination_endorse(nomination=n, by=world.staff, expected_version=version)
    assert exc.value.code == "stale"


def test_an_award_of_the_district_stops_at_the_district(world, nominate):
    n = nominate(award="district", dossier=True)
    n = nomination_submit(nomination=n, by=world.officer_a)
    assert n.current_level == world.district and n.stage == Stage.AT_COUNCIL


def test_the_granting_unit_sends_its_own_nominations_to_its_council(world, campaign, awards):
    officer = world.staff  # staff are not officers: the province's own officer prepares it
    from federation.models import Role
    from tests.factories import make_member

    officer = make_member(world.province, Role.OFFICER, "vanphong")
    n = nomination_create(
        by=officer,
        campaign=campaign,
        award_type=awards["person"],
        nominating_unit=world.province,
        data={
            "occasion": "year_end",
            "nominee_unit": world.province,
            "person_name": "Lê Văn Tỉnh",
            "gender": "male",
            "birth_year": 1970,
            "position": "Chánh Văn phòng",
            "achievement": "Xuất sắc.",
        },
    )
    add_dossier(n, officer)
    n = nomination_submit(nomination=n, by=officer)
    assert n.current_level == world.province and n.stage == Stage.AT_COUNCIL


def test_returned_with_a_comment_then_sent_again(world, nominate):
    n = nominate(dossier=True)
    n = nomination_submit(nomination=n, by=world.officer_a)
    with pytest.raises(ValidationError) as exc:
        nomination_return(nomination=n, by=world.leader, comment="  ")
    assert "comment" in exc.value.message_dict
    n.refresh_from_db()
    assert n.status == ReviewStatus.SUBMITTED and n.current_level == world.district

    n = nomination_return(nomination=n, by=world.leader, comment="Bổ sung số liệu sáng kiến.")
    assert n.status == ReviewStatus.RETURNED and n.current_level == world.unit_a
    assert n.review_comment == "Bổ sung số liệu sáng kiến."
    n = nomination_update(
        nomination=n, by=world.officer_a, data={"achievement": "Có 03 sáng kiến."}
    )
    n = nomination_submit(nomination=n, by=world.officer_a)
    n = nomination_endorse(nomination=n, by=world.leader)
    assert n.submission_round == 2
    assert n.endorsements.count() == 1 and n.endorsements.get().round == 2


def test_provincial_staff_may_act_for_the_level_below(world, nominate):
    n = nomination_submit(nomination=nominate(dossier=True), by=world.officer_a)
    n = nomination_endorse(nomination=n, by=world.staff)
    assert n.current_level == world.province


def test_a_stale_page_changes_nothing(world, nominate):
    n = nomination_submit(nomination=nominate(dossier=True), by=world.officer_a)
    seen = Nomination.objects.get(pk=n.pk)
    nomination_endorse(nomination=n, by=world.leader)
    with pytest.raises(ValidationError, match="đã xử lý"):
        nomination_return(nomination=seen, by=world.staff, comment="Trả lại.")
    assert Nomination.objects.get(pk=n.pk).current_level == world.province


# --- Refusals when nominating --------------------------------------------------------------


def test_missing_dossier_files_refuse_the_submission(world, nominate):
    n = nominate()
    dossier_file_add(
        nomination=n,
        by=world.officer_a,
        document="Tờ trình đề nghị khen thưởng",
        upload=pdf_upload(),
    )
    with pytest.raises(ValidationError) as exc:
        nomination_submit(nomination=n, by=world.officer_a)
    assert "Báo cáo thành tích" in messages_of(exc)
    assert exc.value.error_dict["file"][0].code == "dossier_incomplete"
    n.refresh_from_db()
    assert n.status == ReviewStatus.DRAFT and n.current_level == world.unit_a
    assert not AuditEntry.objects.filter(object_id=str(n.pk), action="submit").exists()


def test_a_duplicate_nominee_is_refused(world, nominate):
    nominate("Trần Thị Lan")
    with pytest.raises(ValidationError) as exc:
        nominate("  trần thị   LAN ")  # the same person, typed otherwise
    assert "person_name" in exc.value.message_dict
    assert "đã được đề nghị" in messages_of(exc)
    assert Nomination.objects.count() == 1
    nominate("Trần Thị Lan", award="district")  # another award: fine
    nominate(award="collective")
    with pytest.raises(ValidationError, match="đã được đề nghị"):
        nominate(award="collective")
    assert Nomination.objects.count() == 3


def test_a_nominee_outside_the_subtree_is_refused(world, nominate):
    with pytest.raises(ValidationError) as exc:
        nominate(unit=world.unit_a, nominee_unit=world.unit_b)
    assert "nominee_unit" in exc.value.message_dict
    assert world.unit_b.name in messages_of(exc)
    with pytest.raises(ValidationError):
        nominate(award="collective", nominee_unit=world.district)  # the unit above
    assert not Nomination.objects.exists()


def test_the_district_may_nominate_a_unit_below_it(world, campaign, awards):
    n = nomination_create(
        by=world.leader,
        campaign=campaign,
        award_type=awards["collective"],
        nominating_unit=world.district,
        data={"occasion": "year_end", "nominee_unit": world.unit_b, "achievement": "Xuất sắc."},
    )
    assert n.nominee_unit == world.unit_b and n.current_level == world.district


def test_an_award_that_requires_a_registration(world, nominate, campaign):
    with pytest.raises(ValidationError) as exc:
        nominate(award="flag")
    assert "bản đăng ký thi đua đã duyệt" in messages_of(exc)
    from registrations.models import Registration

    Registration.objects.create(
        campaign=campaign, organization=world.unit_a, status=ReviewStatus.APPROVED
    )
    assert nominate(award="flag").nominee_unit == world.unit_a


def test_only_the_units_officers_nominate(world, nominate):
    with pytest.raises(PermissionDenied):
        nominate(by=world.officer_b)
    with pytest.raises(PermissionDenied):
        nominate(by=world.staff)


def test_person_fields_are_checked(world, nominate):
    with pytest.raises(ValidationError) as exc:
        nominate("", birth_year=2020, gender="")
    assert {"person_name", "birth_year", "gender"} <= set(exc.value.message_dict)


# --- Dossier files, checked by content ------------------------------------------------------


def test_files_are_checked_by_content_not_by_name(world, nominate, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    n = nominate()
    doc = "Tờ trình đề nghị khen thưởng"

    def add(name, data):
        return dossier_file_add(
            nomination=n, by=world.officer_a, document=doc, upload=SimpleUploadedFile(name, data)
        )

    with pytest.raises(ValidationError, match="không thuộc các loại"):
        add("to-trinh.pdf", b"MZ\x90\x00 this is a program")
    with pytest.raises(ValidationError, match="mang đuôi .pdf"):
        add("to-trinh.pdf", xlsx_bytes())  # a spreadsheet named as a PDF
    with pytest.raises(ValidationError):
        add("zip.docx", b"PK\x03\x04not really a zip")
    with pytest.raises(ValidationError, match="10"):
        add("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_SIZE)
    assert not DossierFile.objects.exists()
    assert not list(tmp_path.rglob("*.*")), "a refused file was left in the storage"

    record = add("bang-tinh.xlsx", xlsx_bytes())
    assert record.extension == ".xlsx" and record.original_name == "bang-tinh.xlsx"
    assert record.file.name.startswith(f"awards/dossiers/{n.pk}/")
    assert "bang-tinh" not in record.file.name  # stored under a random name
    png = add("anh-chup", png_upload().read())  # no extension: the content decides
    assert png.content_type == "image/png"


# --- The council ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approve", "members", "threshold", "expected"),
    [
        (5, 7, 70, True),  # 5 of 7 members = 71.4 % passes at 70 %
        (4, 7, 70, False),  # 57.1 %
        (5, 8, 70, False),  # 5 approvals of 6 cast in a council of 8 = 62.5 %
        (7, 10, 70, True),  # exactly 70 %
        (6, 9, 70, False),  # 66.7 %: 70 % of 9 is 6.3, so 7 are needed
        (2, 3, 70, False),  # 2 approvals + 1 abstention of 3: 66.7 %
        (1, 3, 70, False),  # a 1-1-1 vote: 33.3 %
        (0, 0, 70, False),  # no council
        (9, 10, 90, True),
        (8, 9, 90, False),  # 88.9 % misses a 90 % title
    ],
)
def test_the_threshold_is_a_share_of_all_the_members(approve, members, threshold, expected):
    assert passes(approve=approve, members=members, threshold=threshold) is expected


def test_five_of_seven_members_pass_and_four_do_not_with_abstentions(world, at_council, council):
    """Ten members: 5 approvals are 50 %, so neither passes at 70 %; 7 of 10 pass. The votes
    cast (approve plus reject) no longer matter: abstaining counts against."""
    from federation.models import Role
    from tests.factories import make_member

    members = council + [make_member(world.province, Role.COUNCIL, f"hd{i}") for i in (8, 9, 10)]
    seven, five = at_council("Bảy Phiếu", "Năm Phiếu")
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên họp",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[seven, five],
    )
    assert session.member_count == 10 and session.quorum_needed == 7
    items = {i.nomination_id: i for i in session.items.all()}
    plan = {
        seven.pk: ["approve"] * 7 + ["abstain"] * 3,
        five.pk: ["approve"] * 5 + ["reject"] * 0 + ["abstain"] * 5,
    }
    for index, member in enumerate(members):
        choices = {items[pk].pk: votes[index] for pk, votes in plan.items()}
        ballot_cast(session=session, by=member, choices=choices)
    session_close(session=session, by=world.staff)
    seven.refresh_from_db()
    five.refresh_from_db()
    item_five = session.items.get(nomination=five)
    assert (item_five.approve_count, item_five.reject_count, item_five.abstain_count) == (5, 0, 5)
    assert item_five.approve_percent == 50.0 and item_five.result == CouncilResult.REJECTED
    assert seven.council_result == CouncilResult.APPROVED
    assert seven.status == ReviewStatus.APPROVED and seven.stage == Stage.APPROVED
    assert five.council_result == CouncilResult.REJECTED and five.stage == Stage.REJECTED
    assert "5 trên tổng số 10 thành viên" in five.review_comment, five.review_comment
    # A rejected nomination is final: no edit, no new submission.
    assert not five.is_editable
    with pytest.raises(ValidationError):
        nomination_submit(nomination=five, by=world.officer_a)


def test_votes_once_only_by_members_and_only_while_open(world, at_council, council):
    (n,) = at_council("Trần Thị Lan")
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên họp",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[n],
    )
    item = session.items.get()
    ballot_cast(session=session, by=council[0], choices={item.pk: "approve"})
    with pytest.raises(ValidationError, match="đã bỏ phiếu"):
        ballot_cast(session=session, by=council[0], choices={item.pk: "reject"})
    for outsider in (world.staff, world.leader, world.admin, world.officer_a):
        with pytest.raises(PermissionDenied):
            ballot_cast(session=session, by=outsider, choices={item.pk: "approve"})
    assert Vote.objects.count() == 1 and Vote.objects.get().choice == "approve"
    # One voter of seven is no quorum; the other members attend without voting.
    with pytest.raises(ValidationError, match="1/7"):
        session_close(session=session, by=world.staff)
    attendance_record(
        session=session,
        by=world.staff,
        attending=list(session.members.values_list("pk", flat=True)),
    )
    session_close(session=session, by=world.staff)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        ballot_cast(session=session, by=council[1], choices={item.pk: "approve"})
    with pytest.raises(ValidationError):
        session_close(session=session, by=world.staff)
    assert Vote.objects.count() == 1
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


def test_the_ballot_stays_secret_in_the_audit_log(world, at_council, council):
    (n,) = at_council("Trần Thị Lan")
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[n],
    )
    vote_all(session, council[:2], ["reject", "approve"])
    entries = AuditEntry.objects.filter(action="ballot")
    assert entries.count() == 2
    for entry in entries:
        assert "approve" not in str(entry.changes) and "reject" not in str(entry.changes)


def test_only_nominations_that_reached_the_council_go_on_its_agenda(
    world, nominate, at_council, council
):
    draft = nominate("Nháp")
    (ready,) = at_council("Sẵn Sàng")
    with pytest.raises(ValidationError) as exc:
        session_open(
            by=world.staff,
            granting_unit=world.province,
            title="Phiên",
            meeting_date=dt.date(2017, 12, 26),
            nominations=[draft, ready],
        )
    assert "Nháp" in messages_of(exc)
    with pytest.raises(PermissionDenied):
        session_open(
            by=world.leader,
            granting_unit=world.province,
            title="Phiên",
            meeting_date=dt.date(2017, 12, 26),
            nominations=[ready],
        )
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[ready],
    )
    # While on an open agenda it can be neither returned nor put on another session.
    with pytest.raises(ValidationError):
        nomination_return(nomination=ready, by=world.staff, comment="Trả lại.")
    with pytest.raises(ValidationError):
        session_open(
            by=world.staff,
            granting_unit=world.province,
            title="Phiên hai",
            meeting_date=dt.date(2017, 12, 27),
            nominations=[ready],
        )
    assert session.items.count() == 1


def test_a_council_without_members_cannot_meet(world, at_council):
    (n,) = at_council("Trần Thị Lan")
    with pytest.raises(ValidationError, match="chưa có thành viên Hội đồng"):
        session_open(
            by=world.staff,
            granting_unit=world.province,
            title="Phiên",
            meeting_date=dt.date(2017, 12, 26),
            nominations=[n],
        )


# --- Decisions ------------------------------------------------------------------------------


@pytest.fixture
def decided(world, at_council, council):
    """Two nominations through the council: one approved, one rejected."""
    good, bad = at_council("Được Duyệt", "Không Duyệt")
    session = session_open(
        by=world.staff,
        granting_unit=world.province,
        title="Phiên",
        meeting_date=dt.date(2017, 12, 26),
        nominations=[good, bad],
    )
    items = {i.nomination_id: i for i in session.items.all()}
    for index, member in enumerate(council):
        ballot_cast(
            session=session,
            by=member,
            choices={
                items[good.pk].pk: "approve",
                items[bad.pk].pk: "approve" if index < 3 else "reject",
            },
        )
    session_close(session=session, by=world.staff)
    good.refresh_from_db()
    bad.refresh_from_db()
    return good, bad


SIGNATURE = {
    "signing_authority": "TM. BAN THƯỜNG VỤ",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "Lê Đình Việt",
}


def test_a_decision_awards_approved_nominations(world, decided, awards):
    good, _bad = decided
    decision = decision_issue(
        by=world.staff,
        award_type=awards["person"],
        number=45,
        date=dt.date(2017, 12, 28),
        nominations=[good],
        data=SIGNATURE,
    )
    assert decision.document_number == "45/QĐ-LĐLĐ" and decision.year == 2017
    good.refresh_from_db()
    assert good.decision == decision and good.stage == Stage.AWARDED
    assert decision.session is not None


def test_a_decision_over_a_rejected_nomination_is_refused(world, decided, awards):
    good, bad = decided
    with pytest.raises(ValidationError) as exc:
        decision_issue(
            by=world.staff,
            award_type=awards["person"],
            number=45,
            date=dt.date(2017, 12, 28),
            nominations=[good, bad],
            data=SIGNATURE,
        )
    assert "Không Duyệt" in messages_of(exc)
    assert not Decision.objects.exists()
    good.refresh_from_db()
    assert good.decision is None  # nothing half-saved


def test_a_decision_number_is_used_once_per_issuer_and_year(world, decided, awards, at_council):
    good, _bad = decided
    decision_issue(
        by=world.staff,
        award_type=awards["person"],
        number=45,
        date=dt.date(2017, 12, 28),
        nominations=[good],
        data=SIGNATURE,
    )
    with pytest.raises(ValidationError) as exc:
        decision_issue(
            by=world.staff,
            award_type=awards["person"],
            number=45,
            date=dt.date(2017, 3, 1),
            nominations=[good],
            data=SIGNATURE,
        )
    assert "number" in exc.value.message_dict or "nominations" in exc.value.message_dict
    assert Decision.objects.count() == 1


def test_the_number_check_names_the_decision_already_issued(world, decided, awards):
    good, _bad = decided
    first = Decision.objects.create(
        issuer=world.province,
        award_type=awards["collective"],
        number=45,
        symbol="QĐ-LĐLĐ",
        date=dt.date(2017, 5, 2),
        signer_name="Lê Đình Việt",
    )
    with pytest.raises(ValidationError) as exc:
        decision_issue(
            by=world.staff,
            award_type=awards["person"],
            number=45,
            date=dt.date(2017, 12, 28),
            nominations=[good],
            data=SIGNATURE,
        )
    assert "45/QĐ-LĐLĐ" in exc.value.message_dict["number"][0]
    assert "02/05/2017" in exc.value.message_dict["number"][0]
    good.refresh_from_db()
    assert good.decision is None
    # The same number in another year is another decision.
    decision = decision_issue(
        by=world.staff,
        award_type=awards["person"],
        number=45,
        date=dt.date(2018, 1, 5),
        nominations=[good],
        data=SIGNATURE,
    )
    assert decision.pk != first.pk


def test_only_staff_of_the_granting_unit_issue_decisions(world, decided, awards):
    good, _bad = decided
    for outsider in (world.leader, world.officer_a):
        with pytest.raises(PermissionDenied):
            decision_issue(
                by=outsider,
                award_type=awards["person"],
                number=1,
                date=dt.date(2017, 12, 28),
                nominations=[good],
                data=SIGNATURE,
            )


# --- Advanced models and plaques -------------------------------------------------------------


def test_a_unit_proposes_and_provincial_staff_publish(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as exc:
        model_propose(
            by=world.officer_a,
            organization=world.unit_a,
            title="Gương sáng",
            subject="Chị Lan",
            story="Câu chuyện.",
            photo=pdf_upload("anh.png"),
        )
    assert "photo" in exc.value.message_dict
    model = model_propose(
        by=world.officer_a,
        organization=world.unit_a,
        title="Gương sáng",
        subject="Chị Lan",
        story="Câu chuyện.",
        photo=png_upload(),
    )
    assert model.status == ModelStatus.PROPOSED
    for outsider in (world.officer_a, world.leader):
        with pytest.raises(PermissionDenied):
            model_publish(model=model, by=outsider)
    model = model_publish(model=model, by=world.staff)
    assert model.is_published and model.published_at
    with pytest.raises(ValidationError):
        model_publish(model=model, by=world.staff)
    model = model_withdraw(model=model, by=world.staff)
    assert model.status == ModelStatus.WITHDRAWN
    with pytest.raises(PermissionDenied):
        model_propose(
            by=world.officer_b,
            organization=world.unit_a,
            title="X",
            subject="Y",
            story="Z",
            photo=png_upload(),
        )


@pytest.fixture
def key_work(world, campaign):
    from registrations.models import KeyWork, Registration

    registration = Registration.objects.create(
        campaign=campaign, organization=world.unit_a, status=ReviewStatus.APPROVED
    )
    return KeyWork.objects.create(registration=registration, name="Nhà văn hóa công nhân")


def test_plaques_for_registered_works(world, key_work):
    with pytest.raises(PermissionDenied):
        plaque_grant(by=world.leader, key_work=key_work)
    plaque = plaque_grant(by=world.staff, key_work=key_work, note="Chào mừng Đại hội")
    with pytest.raises(ValidationError):
        plaque_grant(by=world.staff, key_work=key_work)
    with pytest.raises(ValidationError):
        plaque_attach(
            plaque=plaque, by=world.staff, attached_on=dt.date.today() + dt.timedelta(days=3)
        )
    plaque = plaque_attach(plaque=plaque, by=world.staff, attached_on=dt.date.today())
    assert plaque.attached_on == dt.date.today() and Plaque.objects.count() == 1


def test_a_plaque_decided_after_5_pm_utc_is_dated_the_next_day_in_vietnam(world, key_work):
    # 18:30 UTC is 01:30 the next day in Hà Nội: the decision's day, the day it may be attached
    # from and the day in the spreadsheet are the Vietnamese one.
    from openpyxl import load_workbook

    from awards.exports import plaques_xlsx

    # Last year, so that the days are past whatever moment of the year the run's clock is at.
    year = timezone.localdate().year - 1
    plaque = plaque_grant(by=world.staff, key_work=key_work)
    Plaque.objects.filter(pk=plaque.pk).update(
        granted_at=dt.datetime(year, 3, 1, 18, 30, tzinfo=dt.UTC)
    )
    plaque.refresh_from_db()
    with pytest.raises(ValidationError):
        plaque_attach(plaque=plaque, by=world.staff, attached_on=dt.date(year, 3, 1))
    plaque_attach(plaque=plaque, by=world.staff, attached_on=dt.date(year, 3, 2))
    type(key_work).objects.filter(pk=key_work.pk).update(estimated_value="12500.50")
    book = load_workbook(io.BytesIO(plaques_xlsx(Plaque.objects.all()).content))
    assert book.active.freeze_panes == "A2"
    value = book.active["E2"]  # the estimated value, in million VND: 12.500,5 in Vietnamese
    assert value.value == 12500.5 and value.number_format == "#,##0.0#"
    row = [cell.value for cell in book.active[2]]
    assert row[5].date() == dt.date(year, 3, 2)  # decided on
    assert row[6].date() == dt.date(year, 3, 2)  # attached on


def test_no_plaque_for_a_registration_not_approved(world, key_work):
    registration = key_work.registration
    registration.status = ReviewStatus.SUBMITTED
    registration.save()
    with pytest.raises(ValidationError):
        plaque_grant(by=world.staff, key_work=key_work)
    assert not Plaque.objects.exists()
