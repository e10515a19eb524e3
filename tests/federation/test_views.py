import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from federation.models import Organization
from tests.factories import bulk_units
from tests.html_forms import shown_by


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name", ["federation:unit-detail", "federation:tree-children", "federation:unit-history"]
)
def test_unit_pages_keep_a_constant_number_of_queries(world, client, url_name):
    client.force_login(world.staff)
    url = reverse(url_name, kwargs={"pk": world.district.pk})
    client.get(url)  # warm the content-type cache
    small = count_queries(client, url)
    bulk_units("NB-P", 50, "NB-P-X")
    large = count_queries(client, url)
    assert large == small
    assert small <= 12


def test_tree_and_search_keep_a_constant_number_of_queries(world, client):
    client.force_login(world.staff)
    small = [
        count_queries(client, reverse("federation:tree")),
        count_queries(client, reverse("federation:tree") + "?q=Công"),
    ]
    bulk_units("NB-P", 60, "NB-P-X")
    large = [
        count_queries(client, reverse("federation:tree")),
        count_queries(client, reverse("federation:tree") + "?q=Công"),
    ]
    assert small == large
    assert max(large) <= 10


def test_unit_page_shows_rolled_up_figures(world, client):
    client.force_login(world.staff)
    body = client.get(
        reverse("federation:unit-detail", kwargs={"pk": world.province.pk})
    ).content.decode()
    # Three grassroots unions with 120 + 80 + 40 members below the province.
    assert 'data-testid="stat-grassroots">3<' in body
    assert "240" in body


def test_officer_sees_own_unit_without_subtree(world, client):
    client.force_login(world.officer_a)
    response = client.get(reverse("federation:my-unit"), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == world.unit_a.get_absolute_url()
    assert "Alpha Đông Á" in body and world.officer_a.full_name in body
    # The parent's name is shown as text, not as a link to a page the officer may not open.
    assert world.district.name in body
    assert world.district.get_absolute_url() not in body


def test_edit_unit_bad_input_keeps_values(world, client):
    client.force_login(world.staff)
    url = reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk})
    data = {
        "code": "NB-P-B",
        "name": "Tên mới",
        "short_name": "",
        "kind": "grassroots",
        "member_count": "-5",
        "email": "sai",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mã này đã được dùng cho một đơn vị khác." in body
    assert 'value="Tên mới"' in body
    unit = Organization.objects.get(pk=world.unit_a.pk)
    assert unit.name == "Công đoàn cơ sở Alpha Đông Á" and unit.code == "NB-P-A"


def test_edit_unit_saves(world, client):
    client.force_login(world.staff)
    url = reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk})
    data = {
        "code": "NB-P-A",
        "name": "Công đoàn cơ sở Alpha",
        "short_name": "CĐCS Alpha",
        "kind": "grassroots",
        "member_count": "130",
        "email": "alpha@example.vn",
        **shown_by(client, url),
    }
    assert client.post(url, data).status_code == 302
    assert Organization.objects.get(pk=world.unit_a.pk).member_count == 130


def test_move_view_rejects_unknown_and_outside_codes(world, client):
    client.force_login(world.leader)  # a leader is not staff: no restructuring
    assert (
        client.get(reverse("federation:unit-move", kwargs={"pk": world.unit_a.pk})).status_code
        == 403
    )
    client.force_login(world.staff)
    url = reverse("federation:unit-move", kwargs={"pk": world.unit_a.pk})
    response = client.post(url, {"new_parent": "KHONG-CO"})
    assert "Không có đơn vị mã “KHONG-CO”" in response.content.decode()
    assert 'value="KHONG-CO"' in response.content.decode()
    response = client.post(url, {"new_parent": "NB-P"})
    assert "Đơn vị đã trực thuộc đơn vị này." in response.content.decode()
    assert client.post(url, {"new_parent": "NB-Q"}).status_code == 302
    assert Organization.objects.get(pk=world.unit_a.pk).parent_unit() == world.district_q


def test_delete_view_points_to_merge(world, client):
    client.force_login(world.staff)
    url = reverse("federation:unit-delete", kwargs={"pk": world.unit_a.pk})
    response = client.post(url)
    assert response.status_code == 200
    assert "Hãy sáp nhập vào đơn vị khác." in response.content.decode()
    assert (
        reverse("federation:unit-merge", kwargs={"pk": world.unit_a.pk})
        in response.content.decode()
    )


def test_lookup_only_suggests_visible_units(world, client):
    client.force_login(world.leader)
    body = client.get(reverse("federation:lookup") + "?new_parent=Công đoàn").content.decode()
    assert "NB-P-A" in body and "NB-Q-C" not in body


def test_history_tab_lists_changes(world, client):
    client.force_login(world.staff)
    edit = reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk})
    client.post(
        edit,
        {
            "code": "NB-P-A",
            "name": "Công đoàn cơ sở Alpha Đông Á",
            "kind": "grassroots",
            "member_count": "121",
            "email": "",
            **shown_by(client, edit),
        },
    )
    body = client.get(
        reverse("federation:unit-history", kwargs={"pk": world.unit_a.pk})
    ).content.decode()
    assert "Sửa thông tin" in body and world.staff.full_name in body
    assert "Đoàn viên:</span> 120 → 121" in body


def test_seed_demo_is_idempotent(db):
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User
    from emulation.models import AuditEntry

    call_command("seed_demo", stdout=StringIO())
    counts = (Organization.objects.count(), User.objects.count(), AuditEntry.objects.count())
    passwords = dict(User.objects.values_list("username", "password"))
    call_command("seed_demo", stdout=StringIO())
    assert (
        Organization.objects.count(),
        User.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert Organization.objects.filter(kind="grassroots").count() >= 150
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    province = Organization.objects.get(name="Liên đoàn Lao động tỉnh Ninh Bình")
    assert province.departments.filter(name="Ban Chính sách - Pháp luật").exists()
    names = set(Organization.objects.filter(kind="local").values_list("name", flat=True))
    for district in (
        "Ninh Bình",
        "Tam Điệp",
        "Hoa Lư",
        "Gia Viễn",
        "Nho Quan",
        "Yên Mô",
        "Yên Khánh",
        "Kim Sơn",
    ):
        assert any(name.endswith(district) for name in names), district
    hoalu = Organization.objects.get(code="NB-HL")
    for username in ("cdcs1", "cdcs2"):
        unit = User.objects.get(username=username).memberships.get().organization
        assert unit.path.startswith(hoalu.path) and unit.kind == "grassroots"
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="cspl").check_password("thidua2017")


@pytest.mark.parametrize("query", ["alpha đông á", "ALPHA DONG A", "dong a", "nb-p-a"])
def test_search_ignores_accents_and_case(world, client, query):
    client.force_login(world.staff)
    body = client.get(reverse("federation:tree"), {"q": query}).content.decode()
    assert world.unit_a.get_absolute_url() in body
    assert world.unit_b.get_absolute_url() not in body


def test_outside_branch_gets_a_branded_404(world, client):
    client.force_login(world.officer_b)
    response = client.get(reverse("federation:unit-detail", kwargs={"pk": world.unit_a.pk}))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body and "Alpha" not in body


def test_forbidden_action_gets_a_branded_403(world, client):
    client.force_login(world.officer_a)
    response = client.get(reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk}))
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()


def test_member_form_hides_department_when_the_unit_has_none(world, client):
    client.force_login(world.staff)
    body = client.get(
        reverse("federation:member-add", kwargs={"pk": world.unit_a.pk})
    ).content.decode()
    assert 'name="department"' not in body
    body = client.get(
        reverse("federation:member-add", kwargs={"pk": world.province.pk})
    ).content.decode()
    assert 'name="department"' in body and "Ban Chính sách - Pháp luật" in body


def test_the_import_pages_name_the_kinds_and_roles_in_vietnamese(world, client):
    client.force_login(world.staff)
    page = client.get(reverse("federation:import")).content.decode()
    kinds = page.split('data-testid="import-kinds"')[1].split("</ul>")[0]
    for name, code in (
        ("Tổng Liên đoàn", "national"),
        ("LĐLĐ tỉnh, thành phố", "provincial"),
        ("Công đoàn cơ sở", "grassroots"),
    ):
        assert f'{name} <span class="text-muted">({code})</span>' in kinds
    page = client.get(reverse("federation:people-import")).content.decode()
    roles = page.split('data-testid="import-roles"')[1].split("</ul>")[0]
    assert "Cán bộ phụ trách" in roles and "Lãnh đạo" in roles and "(council)" in roles
