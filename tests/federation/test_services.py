import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.models import User
from emulation.models import AuditEntry
from federation.models import Membership, Organization, Role
from federation.services.imports import NewUnit, organizations_bulk_create, organizations_import
from federation.services.people import membership_add_person, users_import
from federation.services.units import (
    organization_create,
    organization_delete,
    organization_merge,
    organization_move,
    organization_update,
)
from federation.signals import organization_merged
from tests.factories import make_member, make_unit

HEADER = "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số đoàn viên,Email\n"


def csv_file(body: str, name="units.csv"):
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, name="units.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def assert_tree_valid():
    assert Organization.objects.find_problems() == ([], [], [], [], [])


# --- bulk creation ---------------------------------------------------------------------------


def test_bulk_create_appends_after_existing_children(world):
    created = organizations_bulk_create(
        [
            NewUnit("NB-P-X", "CĐCS X", "grassroots", "NB-P"),
            NewUnit("NB-R", "LĐLĐ huyện R", "local", "NB"),
            NewUnit("NB-R-1", "CĐCS R1", "grassroots", "NB-R"),
            NewUnit("NB-R-2", "CĐCS R2", "grassroots", "NB-R"),
        ]
    )
    assert created == 4
    assert_tree_valid()
    district = Organization.objects.get(code="NB-P")
    assert district.numchild == 3
    assert Organization.objects.get(code="NB-R").numchild == 2
    x = Organization.objects.get(code="NB-P-X")
    assert x.parent_unit() == district
    assert x.path > Organization.objects.get(code="NB-P-B").path


def test_bulk_create_after_a_deleted_child_reuses_no_path(world):
    organization_delete(org=make_unit("NB-P-Z", "CĐCS Z", parent=world.district), by=world.admin)
    organizations_bulk_create([NewUnit("NB-P-Y", "CĐCS Y", "grassroots", "NB-P")])
    assert_tree_valid()


# --- import ---------------------------------------------------------------------------------


def test_import_csv_creates_every_row_in_any_order(world):
    upload = csv_file(
        "NB-S-1,Công đoàn cơ sở Trường Tiểu học Ninh Sơn,grassroots,NB-S,45,ts@example.vn\n"
        "NB-S,Liên đoàn Lao động huyện Sơn,Công đoàn ngành,NB,,\n"
        "NB-S-2,Công đoàn cơ sở Ủy ban nhân dân xã Ninh Sơn,cdcs,NB-S,1.234,\n"
    )
    report = organizations_import(upload=upload, by=world.staff)
    assert report.ok and report.created == 3
    parent = Organization.objects.get(code="NB-S")
    assert parent.kind == "sector"
    assert parent.parent_unit() == world.province
    second = Organization.objects.get(code="NB-S-2")
    assert second.parent_unit() == parent
    assert second.member_count == 1234
    assert second.name == "Công đoàn cơ sở Ủy ban nhân dân xã Ninh Sơn"
    assert_tree_valid()
    assert AuditEntry.objects.filter(action="import", actor=world.staff).exists()


def test_import_xlsx(world):
    upload = xlsx_file(
        [
            ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Số đoàn viên"],
            ["NB-P-C1", "Công đoàn cơ sở Công ty May Ninh Bình", "grassroots", "NB-P", 350],
            [None, None, None, None, None],
            ["NB-P-C2", "Công đoàn cơ sở Bệnh viện Đa khoa", "grassroots", "NB-P", 420.0],
        ]
    )
    report = organizations_import(upload=upload, by=world.staff)
    assert report.ok, report.problems
    assert Organization.objects.get(code="NB-P-C2").member_count == 420
    assert Organization.objects.get(code="NB-P").numchild == 4
    assert_tree_valid()


def test_import_bad_file_lists_every_problem_and_saves_nothing(world):
    before = Organization.objects.count()
    upload = csv_file(
        "NB-N1,Đơn vị tốt,local,NB,10,\n"  # row 2 fine
        "NB-N1,Trùng mã,local,NB,10,\n"  # row 3 duplicate code
        "NB-N2,Không có cha,grassroots,KHONG-CO,10,\n"  # row 4 unknown parent
        "NB-C1,Vòng 1,local,NB-C2,10,\n"  # row 5 cycle
        "NB-C2,Vòng 2,local,NB-C1,10,\n"  # row 6 cycle
        "NB-N3,Loại lạ,hành tinh,NB,10,\n"  # row 7 unknown kind
        "NB-N4,,grassroots,NB,10,\n"  # row 8 missing name
        "NB-N5,Số âm,grassroots,NB,-3,\n"  # row 9 bad member count
        "NB-P-A,Mã đã có,grassroots,NB,3,\n"  # row 10 code exists
        "NB-N6,Email sai,grassroots,NB,3,khong-phai-email\n"  # row 11 bad email
    )
    report = organizations_import(upload=upload, by=world.staff)
    assert not report.ok and report.created == 0
    by_row = {}
    for problem in report.problems:
        by_row.setdefault(problem.row, []).append(problem.message)
    assert 2 not in by_row
    assert "trùng" in by_row[3][0].lower() or "duplicated" in by_row[3][0]
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert Organization.objects.count() == before


def test_import_messages_are_vietnamese(world, settings):
    settings.LANGUAGE_CODE = "vi"
    from django.utils import translation

    with translation.override("vi"):
        report = organizations_import(
            upload=csv_file("X1,Tên,grassroots,KHONG-CO,1,\n"), by=world.staff
        )
    assert report.problems[0].message == "Không tìm thấy đơn vị cấp trên mã KHONG-CO."


@pytest.mark.parametrize("language", ["vi", "en"])
def test_import_reads_kinds_by_their_vietnamese_names_and_codes(world, language):
    """A file typed in Vietnamese is read whatever the importer's language: the kind's full
    name, a short name or its code, accents and case aside."""
    from django.utils import translation

    rows = [
        ("NB-V1", "Huyện Vân", "LĐLĐ huyện / Công đoàn xã, phường", "NB"),
        ("NB-V1-A", "CĐCS Một", "Công đoàn cơ sở", "NB-V1"),
        ("NB-V1-B", "CĐCS Hai", "cong doan co so", "NB-V1"),
        ("NB-V1-C", "CĐCS Ba", "CĐCS", "NB-V1"),
        ("NB-V1-D", "CĐCS Bốn", "grassroots", "NB-V1"),
        ("NB-V2", "Ngành Vân", "Công đoàn ngành", "NB"),
        ("NB-V3", "Cấp trên Vân", "Công đoàn cấp trên", "NB"),
    ]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(row + ("10", "") for row in rows)
    body = text.getvalue()
    with translation.override(language):
        report = organizations_import(upload=csv_file(body), by=world.staff)
    assert report.ok, [p.message for p in report.problems]
    kinds = dict(Organization.objects.filter(code__startswith="NB-V").values_list("code", "kind"))
    assert kinds == {
        "NB-V1": "local",
        "NB-V1-A": "grassroots",
        "NB-V1-B": "grassroots",
        "NB-V1-C": "grassroots",
        "NB-V1-D": "grassroots",
        "NB-V2": "sector",
        "NB-V3": "upper",
    }


def test_an_unknown_kind_is_answered_with_the_vietnamese_names(world):
    report = organizations_import(
        upload=csv_file("NB-N3,Loại lạ,hành tinh,NB,10,\n"), by=world.staff
    )
    message = report.problems[0].message
    assert message.startswith("Loại đơn vị “hành tinh” không hợp lệ")
    assert "Công đoàn cơ sở (grassroots)" in message
    assert "LĐLĐ tỉnh, thành phố (provincial)" in message


def test_import_missing_columns_and_wrong_format(world):
    report = organizations_import(
        upload=SimpleUploadedFile("u.csv", "Mã đơn vị,Tên\nA,B\n".encode()), by=world.staff
    )
    assert report.problems[0].row is None and not report.created
    report = organizations_import(
        upload=SimpleUploadedFile("u.xlsx", b"PK\x03\x04 not really a zip"), by=world.staff
    )
    assert report.problems and report.problems[0].row is None


def test_import_refuses_outside_branch_and_non_staff(world):
    # The leader of district P is not staff: no import at all.
    with pytest.raises(PermissionDenied):
        organizations_import(upload=csv_file("Z,Z,grassroots,NB-P,1,\n"), by=world.leader)
    # Staff of district Q may add under Q only.
    staff_q = make_member(world.district_q, Role.STAFF, "staff_q")
    report = organizations_import(upload=csv_file("Z,Z,grassroots,NB-P,1,\n"), by=staff_q)
    assert not report.ok and "NB-P" in report.problems[0].message
    report = organizations_import(upload=csv_file("Z,Z,grassroots,,1,\n"), by=staff_q)
    assert not report.ok
    report = organizations_import(upload=csv_file("Z,Z,grassroots,NB-Q,1,\n"), by=staff_q)
    assert report.ok and Organization.objects.get(code="Z").parent_unit() == world.district_q


# --- move, merge, delete -----------------------------------------------------------------------


def test_move_takes_the_subtree_along(world, any_kind_anywhere):
    organization_move(org=world.district, new_parent=world.district_q, by=world.staff)
    world.unit_a.refresh_from_db()
    assert world.unit_a.path.startswith(Organization.objects.get(code="NB-Q").path)
    assert world.unit_a.depth == 5
    assert_tree_valid()
    assert AuditEntry.objects.filter(action="move").count() == 1


def test_move_refusals(world):
    with pytest.raises(ValidationError):
        organization_move(org=world.district, new_parent=world.unit_a, by=world.staff)
    with pytest.raises(ValidationError):
        organization_move(org=world.unit_a, new_parent=world.district, by=world.staff)
    with pytest.raises(PermissionDenied):
        organization_move(org=world.unit_a, new_parent=world.district_q, by=world.leader)
    with pytest.raises(PermissionDenied):
        organization_move(org=world.unit_a, new_parent=world.district_q, by=world.officer_a)
    assert_tree_valid()


def test_merge_moves_children_people_and_records(world):
    received = []

    def listener(sender, source, target, by, **kwargs):
        received.append((source.code, target.code))

    organization_merged.connect(listener)
    try:
        world.district.refresh_from_db()
        organization_merge(source=world.district, target=world.district_q, by=world.staff)
    finally:
        organization_merged.disconnect(listener)
    district = Organization.objects.get(pk=world.district.pk)
    target = Organization.objects.get(pk=world.district_q.pk)
    assert not district.is_active and district.merged_into == target
    assert set(
        Organization.objects.filter(
            path__startswith=target.path, depth=target.depth + 1
        ).values_list("code", flat=True)
    ) == {"NB-Q-C", "NB-P-A", "NB-P-B"}
    assert Membership.objects.get(user=world.leader).organization == target
    assert received == [("NB-P", "NB-Q")]
    assert_tree_valid()
    # The merged unit's own view of the world: the leader now leads Q's branch, A included.
    assert (
        Organization.objects.visible_to(User.objects.get(pk=world.leader.pk))
        .filter(pk=world.unit_a.pk)
        .exists()
    )


def test_merge_refusals(world):
    with pytest.raises(ValidationError):
        organization_merge(source=world.unit_a, target=world.unit_a, by=world.staff)
    with pytest.raises(ValidationError):
        organization_merge(source=world.district, target=world.unit_a, by=world.staff)
    with pytest.raises(PermissionDenied):
        organization_merge(source=world.unit_a, target=world.unit_b, by=world.officer_a)
    organization_merge(source=world.unit_b, target=world.unit_a, by=world.staff)
    with pytest.raises(ValidationError):
        organization_merge(source=world.unit_b, target=world.unit_a, by=world.staff)
    assert Organization.objects.get(pk=world.unit_a.pk).member_count == 200


def test_delete_refused_with_records_allowed_when_empty(world):
    with pytest.raises(ValidationError, match="merge|Merge|sáp nhập"):
        organization_delete(org=world.district, by=world.staff)
    with pytest.raises(ValidationError):
        organization_delete(org=world.unit_a, by=world.staff)  # has a membership
    assert Organization.objects.filter(pk=world.unit_a.pk).exists()
    empty = make_unit("NB-P-E", "CĐCS trống", parent=world.district)
    organization_delete(org=empty, by=world.staff)
    assert not Organization.objects.filter(code="NB-P-E").exists()
    assert Organization.objects.get(pk=world.district.pk).numchild == 2
    with pytest.raises(PermissionDenied):
        organization_delete(org=world.unit_b, by=world.leader)


def test_update_and_create_write_audit(world):
    organization_update(
        org=world.unit_a, by=world.staff, data={"member_count": 150, "name": "CĐCS Alpha"}
    )
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes["member_count"] == [120, 150]
    child = organization_create(
        parent=world.district,
        by=world.staff,
        data={"code": "NB-P-N", "name": "CĐCS mới", "kind": "grassroots"},
    )
    assert child.parent_unit() == world.district
    with pytest.raises(PermissionDenied):
        organization_update(org=world.unit_a, by=world.officer_a, data={"name": "x"})


# --- people -----------------------------------------------------------------------------------


def test_add_person_creates_account_and_invites(
    world, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_add_person(
            org=world.unit_a,
            email="moi@example.vn",
            full_name="  Nguyễn  Văn   Mới ",
            role=Role.OFFICER,
            by=world.staff,
        )
    assert membership.user.full_name == "Nguyễn Văn Mới"
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["moi@example.vn"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives  # the HTML part
    with pytest.raises(ValidationError):
        membership_add_person(
            org=world.unit_a,
            email="moi@example.vn",
            full_name="",
            role=Role.OFFICER,
            by=world.staff,
        )
    with pytest.raises(PermissionDenied):
        membership_add_person(
            org=world.unit_a,
            email="x@example.vn",
            full_name="X",
            role=Role.OFFICER,
            by=world.officer_a,
        )


def test_users_import_good_and_bad(world, django_capture_on_commit_callbacks, eager_tasks):
    header = "Họ và tên,Email,Mã đơn vị,Vai trò\n"
    good = (
        header
        + "Hoàng Thị Lan,lan@example.vn,NB-P-A,officer\nHoàng Thị Lan,lan@example.vn,NB-P-B,Lãnh đạo\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = users_import(upload=SimpleUploadedFile("p.csv", good.encode()), by=world.staff)
    assert report.ok and report.created == 2
    lan = User.objects.get(email="lan@example.vn")
    assert set(lan.memberships.values_list("role", flat=True)) == {"officer", "leader"}
    assert len(mail.outbox) == 1
    bad = header + ",sai-email,KHONG,vua\nHoàng Thị Lan,lan@example.vn,NB-P-A,officer\n"
    users_before = User.objects.count()
    report = users_import(upload=SimpleUploadedFile("p.csv", bad.encode()), by=world.staff)
    rows = {p.row for p in report.problems}
    assert rows == {2, 3} and len(report.problems) >= 5
    assert User.objects.count() == users_before
    with pytest.raises(PermissionDenied):
        users_import(upload=SimpleUploadedFile("p.csv", good.encode()), by=world.officer_a)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_users_import_reads_roles_by_their_vietnamese_names(world, language):
    from django.utils import translation

    header = "Họ và tên,Email,Mã đơn vị,Vai trò\n"
    body = header + (
        "Lê Văn Một,mot@example.vn,NB-P-A,Cán bộ phụ trách\n"
        "Lê Văn Hai,hai@example.vn,NB-P,lãnh đạo\n"
        "Lê Văn Ba,ba@example.vn,NB,Cán bộ ban chuyên môn\n"
        "Lê Văn Bốn,bon@example.vn,NB,Thành viên Hội đồng TĐKT\n"
        "Lê Văn Năm,nam@example.vn,NB,council\n"
    )
    with translation.override(language):
        report = users_import(upload=SimpleUploadedFile("p.csv", body.encode()), by=world.staff)
    assert report.ok, [p.message for p in report.problems]
    roles = dict(
        Membership.objects.filter(
            user__email__endswith="@example.vn", user__full_name__startswith="Lê Văn"
        ).values_list("user__email", "role")
    )
    assert roles == {
        "mot@example.vn": "officer",
        "hai@example.vn": "leader",
        "ba@example.vn": "staff",
        "bon@example.vn": "council",
        "nam@example.vn": "council",
    }
    wrong = header + "Lê Văn Sáu,sau@example.vn,NB,thủ quỹ\n"
    report = users_import(upload=SimpleUploadedFile("p.csv", wrong.encode()), by=world.staff)
    message = report.problems[0].message
    assert "thủ quỹ" in message and "Cán bộ phụ trách (officer)" in message
    assert "Lãnh đạo (leader)" in message


# --- visibility -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer_a", {"NB-P-A"}),
        ("officer_b", {"NB-P-B"}),
        ("leader", {"NB-P", "NB-P-A", "NB-P-B"}),
        ("staff", {"NB", "NB-P", "NB-P-A", "NB-P-B", "NB-Q", "NB-Q-C"}),
        ("admin", {"TLD", "NB", "NB-P", "NB-P-A", "NB-P-B", "NB-Q", "NB-Q-C"}),
    ],
)
def test_visible_to(world, persona, expected, django_assert_num_queries):
    user = User.objects.get(pk=world.persona(persona).pk)
    with django_assert_num_queries(1 if persona == "admin" else 2):
        codes = set(Organization.objects.visible_to(user).values_list("code", flat=True))
    assert codes == expected


def test_visible_to_anonymous_and_inactive(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(AnonymousUser()).exists()
    world.officer_a.is_active = False
    assert not Organization.objects.visible_to(world.officer_a).exists()


def test_import_command(world, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "NB-P-K,CĐCS Kho bạc,grassroots,NB-P,12,\n", encoding="utf-8")
    out = StringIO()
    call_command("import_organizations", str(good), stdout=out)
    assert "1 units imported" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "NB-P-K,Trùng,grassroots,NB-P,12,\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_organizations", str(bad), stderr=err)
    assert "row 2" in err.getvalue()
