"""No stale overwrite (issue 15, point 7): an edit form of a shared object carries the version
it showed; a post made from a page opened before someone else saved is refused with what they
changed, keeping what was typed; saving again from the refused page goes through."""

import pytest
from django.test import Client
from django.urls import reverse

from federation.models import Role
from tests.factories import make_member
from tests.html_forms import form_values
from tests.test_permissions import campaign_a, holiday_a, phase_a, theme_a


def client_of(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _campaign(world):
    from campaigns.models import Campaign

    return Campaign.objects.get(pk=campaign_a(world)["pk"])


def _unit(world):
    from federation.models import Organization

    return Organization.objects.get(pk=world.unit_a.pk)


def _theme(world):
    from campaigns.models import Theme

    return Theme.objects.get(pk=theme_a(world)["theme_id"])


def _phase(world):
    from campaigns.models import Phase

    return Phase.objects.get(pk=phase_a(world)["phase_id"])


def _holiday(world):
    from campaigns.models import Holiday

    holiday_a(world)
    return Holiday.objects.get(scope_unit=world.unit_a)


# name: (url name, kwargs, field edited, read the object, the field's name on the page)
FORMS = {
    "campaign": ("campaigns:edit", campaign_a, "title", _campaign, "Tên phong trào"),
    "unit": ("federation:unit-edit", lambda w: {"pk": w.unit_a.pk}, "name", _unit, "Tên"),
    "theme": ("campaigns:theme-edit", theme_a, "title", _theme, "Tên ngắn"),
    "phase": ("campaigns:phase-edit", phase_a, "name", _phase, "Tên"),
    "holiday": ("campaigns:holiday-edit", holiday_a, "name", _holiday, "Tên"),
}


@pytest.mark.parametrize("kind", FORMS)
def test_a_stale_edit_is_refused_with_what_changed(world, kind):
    name, kwargs, field, read_first, label = FORMS[kind]
    url = reverse(name, kwargs=kwargs(world))
    edited = read_first(world)

    def read(_world):
        return type(edited).objects.get(pk=edited.pk)

    mine, theirs = client_of(world.staff), client_of(make_member(world.province, Role.STAFF))
    opened = form_values(mine.get(url))
    assert opened.get("shown"), "the form carries the version it showed"
    # Someone else saves first.
    other = form_values(theirs.get(url))
    response = theirs.post(url, {**other, field: "Giá trị của người khác"})
    assert response.status_code == 302, kind
    assert getattr(read(world), field) == "Giá trị của người khác"
    # The page opened before is refused, saying what changed, and keeps what was typed.
    response = mine.post(url, {**opened, field: "Giá trị của tôi"})
    assert response.status_code == 200, kind
    body = response.content.decode()
    assert "Người khác đã lưu nội dung này sau khi bạn mở trang" in body
    assert "“Giá trị của người khác”" in body and "Giá trị của tôi" in body
    assert label.lower() in body.lower()
    assert getattr(read(world), field) == "Giá trị của người khác"
    # Saving again from the refused page overwrites knowingly.
    again = form_values(response)
    assert again[field] == "Giá trị của tôi"
    response = mine.post(url, again)
    assert response.status_code == 302, kind
    assert getattr(read(world), field) == "Giá trị của tôi"


@pytest.mark.parametrize("kind", FORMS)
@pytest.mark.parametrize("shown", [None, "", "junk", "title:zz", "x" * 5000])
def test_an_edit_without_the_version_is_refused(world, kind, shown):
    name, kwargs, field, read_first, _label = FORMS[kind]
    url = reverse(name, kwargs=kwargs(world))
    edited = read_first(world)

    def read(_world):
        return type(edited).objects.get(pk=edited.pk)

    client = client_of(world.staff)
    data = form_values(client.get(url))
    data.pop("shown")
    if shown is not None:
        data["shown"] = shown
    before = getattr(read(world), field)
    response = client.post(url, {**data, field: "Không được lưu"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="form-errors"' in body
    assert getattr(read(world), field) == before


def test_an_unchanged_field_edited_by_someone_else_is_named_alone(world):
    """Only the fields the other person changed are named, with their values."""
    url = reverse("campaigns:edit", kwargs=campaign_a(world))
    mine, theirs = client_of(world.staff), client_of(make_member(world.province, Role.STAFF))
    opened = form_values(mine.get(url))
    other = form_values(theirs.get(url))
    assert theirs.post(url, {**other, "place": "Ninh Bình", "number": "9"}).status_code == 302
    response = mine.post(url, {**opened, "title": "Tiêu đề mới"})
    body = response.content.decode()
    assert "“Ninh Bình”" in body and "“9”" in body
    assert "tên phong trào (trích yếu) nay là" not in body
    assert _campaign(world).title != "Tiêu đề mới"
