"""No way up the tree: a unit's kind carries powers (the staff of a provincial federation read
the outbox, keep the plaques), so a branch may not give itself or its units a kind above their
place. The kinds allowed under each kind are data (AllowedChildKind), checked on every path that
places a unit or changes its kind; only the staff above a unit change its kind."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emulation.models import AuditEntry
from federation.admin import OrganizationAdmin
from federation.kinds import HIERARCHY
from federation.models import AllowedChildKind, Organization, Role
from federation.models import OrganizationKind as K
from federation.services.imports import organizations_import
from federation.services.units import (
    organization_create,
    organization_merge,
    organization_move,
    organization_update,
)
from tests.factories import make_member, make_unit
from tests.html_forms import shown_by

PROVINCIAL_PAGES = ["reminders:outbox", "awards:plaques"]
REFUSED_UNDER_LOCAL = (
    "Đơn vị loại LĐLĐ tỉnh, thành phố không được trực thuộc đơn vị loại LĐLĐ huyện / "
    "Công đoàn xã, phường"
)


def unit_data(unit, **changes):
    data = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "member_count": str(unit.member_count),
        "email": unit.email,
    }
    return {**data, **changes}


@pytest.fixture
def district_staff(world):
    return make_member(world.district, Role.STAFF, username="hoalu-staff")


def test_the_migration_seeds_the_hierarchy(db):
    # The migration's own function, on an empty table: a transactional test run earlier in the
    # same process may have flushed what the migration wrote when the test database was made.
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    AllowedChildKind.objects.all().delete()
    migration = import_module("federation.migrations.0005_allowed_child_kinds")
    migration.seed(apps, SimpleNamespace(connection=connection))
    pairs = set(AllowedChildKind.objects.values_list("parent_kind", "child_kind"))
    assert pairs == {(p, c) for p, children in HIERARCHY.items() for c in children}
    assert (K.PROVINCIAL, K.LOCAL) in pairs and (K.LOCAL, K.PROVINCIAL) not in pairs
    assert {c for p, c in pairs if p == K.GRASSROOTS} == {K.GRASSROOTS}


def test_district_staff_cannot_raise_their_own_unit(world, client, district_staff):
    """The reproduction: staff of a district post kind=provincial on their own unit's form."""
    client.force_login(district_staff)
    for name in PROVINCIAL_PAGES:
        assert client.get(reverse(name)).status_code == 403
    url = reverse("federation:unit-edit", kwargs={"pk": world.district.pk})
    form = client.get(url).content.decode()
    # The kind is shown, read-only, with the reason.
    assert 'name="kind"' in form and "disabled" in form.split('name="kind"')[1].split(">")[0]
    assert "Chỉ cán bộ của đơn vị cấp trên mới được thay đổi loại của đơn vị này." in form
    response = client.post(
        url, shown_by(client, url) | unit_data(world.district, kind=K.PROVINCIAL, name="Hoa Lư")
    )
    assert response.status_code == 302
    world.district.refresh_from_db()
    assert world.district.kind == K.LOCAL and world.district.name == "Hoa Lư"
    for name in PROVINCIAL_PAGES:
        assert client.get(reverse(name)).status_code == 403


def test_the_service_refuses_a_kind_changed_by_the_units_own_staff(world, district_staff):
    with pytest.raises(ValidationError) as refused:
        organization_update(org=world.district, by=district_staff, data={"kind": K.SECTOR})
    assert refused.value.message_dict["kind"] == [
        "Chỉ cán bộ của đơn vị cấp trên mới được thay đổi loại của đơn vị này."
    ]
    assert Organization.objects.get(pk=world.district.pk).kind == K.LOCAL
    # The root's kind: nobody is above it but the administrators.
    national_staff = make_member(world.national, Role.STAFF, username="tld-staff")
    with pytest.raises(ValidationError):
        organization_update(org=world.national, by=national_staff, data={"kind": K.PROVINCIAL})


def test_staff_above_change_a_kind_within_what_the_parent_allows(world, client):
    client.force_login(world.staff)  # staff of the province, above the district
    url = reverse("federation:unit-edit", kwargs={"pk": world.district.pk})
    form = client.get(url).content.decode()
    select = form.split('name="kind"')[1].split("</select>")[0]
    assert "disabled" not in select.split(">")[0]
    assert 'value="sector"' in select and 'value="provincial"' not in select
    response = client.post(
        url, shown_by(client, url) | unit_data(world.district, kind=K.PROVINCIAL)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "Đơn vị loại LĐLĐ tỉnh, thành phố không được trực thuộc đơn vị loại LĐLĐ tỉnh, thành phố"
        in body
    )
    assert Organization.objects.get(pk=world.district.pk).kind == K.LOCAL
    # Grassroots: the upper-level union below it could not stay under it.
    make_unit("NB-P-U", "Công đoàn Khu công nghiệp Phượng", K.UPPER, world.district)
    response = client.post(
        url, shown_by(client, url) | unit_data(world.district, kind=K.GRASSROOTS)
    )
    assert response.status_code == 200
    assert (
        "Các đơn vị trực thuộc là loại Công đoàn cấp trên trực tiếp cơ sở, không được trực "
        "thuộc đơn vị loại Công đoàn cơ sở." in response.content.decode()
    )
    assert Organization.objects.get(pk=world.district.pk).kind == K.LOCAL
    assert (
        client.post(
            url, shown_by(client, url) | unit_data(world.district, kind=K.SECTOR)
        ).status_code
        == 302
    )
    assert Organization.objects.get(pk=world.district.pk).kind == K.SECTOR
    entry = AuditEntry.objects.get(action="update", object_id=str(world.district.pk))
    assert entry.changes["kind"] == [K.LOCAL, K.SECTOR]


def test_adding_a_provincial_child_under_a_district_is_refused(world, client, district_staff):
    client.force_login(district_staff)
    url = reverse("federation:unit-add-child", kwargs={"pk": world.district.pk})
    select = client.get(url).content.decode().split('name="kind"')[1].split("</select>")[0]
    assert 'value="grassroots"' in select and 'value="provincial"' not in select
    data = {"code": "NB-P-X", "name": "LĐLĐ giả", "kind": K.PROVINCIAL, "member_count": "0"}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert REFUSED_UNDER_LOCAL in body and 'value="LĐLĐ giả"' in body
    assert not Organization.objects.filter(code="NB-P-X").exists()
    with pytest.raises(ValidationError) as refused:
        organization_create(parent=world.district, by=district_staff, data=data)
    assert "kind" in refused.value.message_dict
    assert client.post(url, {**data, "kind": K.GRASSROOTS}).status_code == 302
    assert Organization.objects.get(code="NB-P-X").kind == K.GRASSROOTS


def test_only_grassroots_unions_stand_under_a_grassroots_union(world):
    data = {"code": "NB-P-A-1", "name": "Công đoàn bộ phận", "kind": K.UPPER}
    with pytest.raises(ValidationError) as refused:
        organization_create(parent=world.unit_a, by=world.staff, data=data)
    assert refused.value.message_dict["kind"] == [
        "Đơn vị loại Công đoàn cấp trên trực tiếp cơ sở không được trực thuộc đơn vị loại Công "
        "đoàn cơ sở; ở đó chỉ được: Công đoàn cơ sở."
    ]
    # Once the administrators allow nothing there, nothing is added.
    AllowedChildKind.objects.filter(parent_kind=K.GRASSROOTS).delete()
    with pytest.raises(ValidationError) as refused:
        organization_create(
            parent=world.unit_a, by=world.staff, data={**data, "kind": K.GRASSROOTS}
        )
    assert refused.value.message_dict["kind"] == [
        "Không đơn vị nào được trực thuộc đơn vị loại Công đoàn cơ sở."
    ]


def csv_upload(body: str):
    header = "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số đoàn viên,Email\n"
    return SimpleUploadedFile("units.csv", (header + body).encode("utf-8"))


def test_importing_a_provincial_unit_under_a_district_is_refused(world, district_staff):
    report = organizations_import(
        upload=csv_upload(
            "NB-P-X,CĐCS mới,coso,NB-P,10,\n"
            "NB-P-Y,LĐLĐ giả,tinh,NB-P,0,\n"  # row 3: provincial under a district
            "NB-P-Z,Công đoàn xã giả,huyen,NB-P-X,5,\n"  # row 4: under a unit of the file
        ),
        by=district_staff,
    )
    assert not report.ok
    assert [(p.row, p.message.split(";")[0]) for p in report.problems] == [
        (3, REFUSED_UNDER_LOCAL),
        (
            4,
            "Đơn vị loại LĐLĐ huyện / Công đoàn xã, phường không được trực thuộc đơn vị loại "
            "Công đoàn cơ sở",
        ),
    ]
    assert (
        not Organization.objects.filter(code__startswith="NB-P-")
        .exclude(code__in=["NB-P-A", "NB-P-B"])
        .exists()
    )
    report = organizations_import(
        upload=csv_upload("NB-P-X,CĐCS mới,coso,NB-P,10,\n"), by=district_staff
    )
    assert report.ok and Organization.objects.get(code="NB-P-X").kind == K.GRASSROOTS


def test_a_move_must_land_under_a_kind_that_allows_the_unit(world, client):
    client.force_login(world.admin)
    url = reverse("federation:unit-move", kwargs={"pk": world.district.pk})
    response = client.post(url, {"new_parent": world.district_q.code})
    assert response.status_code == 200
    assert "Đơn vị loại LĐLĐ huyện / Công đoàn xã, phường không được trực thuộc" in (
        response.content.decode()
    )
    world.district.refresh_from_db()
    assert world.district.parent_path == world.province.path
    with pytest.raises(ValidationError) as refused:
        organization_move(org=world.district_q, new_parent=world.unit_b, by=world.staff)
    assert "new_parent" in refused.value.message_dict
    # The rule is data: once the administrators allow it, the move is done.
    AllowedChildKind.objects.create(parent_kind=K.LOCAL, child_kind=K.LOCAL)
    assert client.post(url, {"new_parent": world.district_q.code}).status_code == 302
    world.district.refresh_from_db()
    assert world.district.parent_path == world.district_q.path


def test_a_merge_moves_children_only_under_a_kind_that_allows_them(world):
    make_unit("NB-P-U", "Công đoàn Khu công nghiệp Phượng", K.UPPER, world.district)
    with pytest.raises(ValidationError) as refused:
        organization_merge(source=world.district, target=world.unit_c, by=world.staff)
    assert (
        "Các đơn vị trực thuộc là loại Công đoàn cấp trên trực tiếp cơ sở"
        in refused.value.message_dict["target"][0]
    )
    assert Organization.objects.get(pk=world.district.pk).is_active
    organization_merge(source=world.district, target=world.district_q, by=world.staff)
    assert not Organization.objects.get(pk=world.district.pk).is_active


def admin_form(unit, **changes):
    form_class = OrganizationAdmin.form
    data = {
        **unit_data(unit),
        "is_active": "on",
        "treebeard_position": "first-child",
        "treebeard_ref_node": str(unit.parent_unit().pk),
        **changes,
    }
    return form_class(data=data, instance=unit)


def test_the_admin_keeps_the_rule(world, admin_client):
    form = admin_form(world.district, kind=K.PROVINCIAL)
    assert not form.is_valid()
    assert form.errors["kind"][0].startswith(
        "Đơn vị loại LĐLĐ tỉnh, thành phố không được trực thuộc đơn vị loại LĐLĐ tỉnh, thành phố"
    )
    make_unit("NB-P-U", "Công đoàn Khu công nghiệp Phượng", K.UPPER, world.district)
    world.district.refresh_from_db()
    form = admin_form(world.district, kind=K.GRASSROOTS)
    assert not form.is_valid() and "Các đơn vị trực thuộc" in form.errors["kind"][0]
    form = admin_form(world.district_q, treebeard_ref_node=str(world.unit_b.pk))
    assert not form.is_valid()
    assert "không được trực thuộc đơn vị loại Công đoàn cơ sở" in form.errors["kind"][0]
    assert admin_form(world.district, kind=K.SECTOR).is_valid()
    # Through the admin's own page too.
    url = reverse("admin:federation_organization_change", args=[world.district.pk])
    response = admin_client.post(url, admin_form(world.district, kind=K.PROVINCIAL).data)
    assert response.status_code == 200
    assert Organization.objects.get(pk=world.district.pk).kind == K.LOCAL
    # The table itself is kept in the admin.
    page = admin_client.get(reverse("admin:federation_allowedchildkind_changelist"))
    assert page.status_code == 200


def test_the_list_of_kinds_offered_follows_the_table(world, client):
    AllowedChildKind.objects.filter(parent_kind=K.LOCAL, child_kind=K.UPPER).delete()
    client.force_login(world.staff)
    url = reverse("federation:unit-add-child", kwargs={"pk": world.district.pk})
    select = client.get(url).content.decode().split('name="kind"')[1].split("</select>")[0]
    assert 'value="upper"' not in select and 'value="grassroots"' in select
