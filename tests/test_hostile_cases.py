"""The inputs that answered 500 (issue 15, point 4), each reproduced: junk in an address answers
400, a number no column can hold gets a message on its field, nothing is saved."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.html_forms import form_values
from tests.test_permissions import (
    award_catalogue,
    campaign_a,
    holiday_a,
    reg_a,
    reg_district,
    registration_of_a,
)

HUGE = str(2**70)
BEYOND_INT = str(2**31)
BEYOND_BIGINT = str(2**63)


def client_of(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode("utf-8")


@pytest.mark.parametrize("award", ["abc", "²", HUGE, "-1", "1\x00"])
def test_decision_form_with_a_junk_award(world, award):
    award_catalogue(world)
    response = client_of(world.staff).get(reverse("awards:decision-create"), {"award": award})
    assert response.status_code == 400


@pytest.mark.parametrize("unit", ["²", "abc", HUGE])
def test_award_history_with_a_junk_unit(world, unit):
    award_catalogue(world)
    response = client_of(world.staff).get(reverse("awards:history"), {"unit": unit})
    assert response.status_code == 400
    # A unit given as a number still filters.
    ok = client_of(world.staff).get(reverse("awards:history"), {"unit": world.unit_a.pk})
    assert ok.status_code == 200


def test_marking_notifications_read_with_junk_ids(world):
    from reminders.models import Notification

    mine = [Notification.objects.create(user=world.officer_a, subject=f"Tin {i}") for i in range(2)]
    client = client_of(world.officer_a)
    url = reverse("reminders:notifications-read")
    for junk in ("abc", "²", HUGE):
        assert client.post(url, {"id": junk}).status_code == 400
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert client.post(url, {"id": mine[0].pk}).status_code == 302
    assert set(Notification.objects.filter(read_at__isnull=True)) == {mine[1]}


@pytest.mark.parametrize("ids", ["99999999999999999999999", "²", "abc"])
def test_bulk_approval_with_junk_ids(world, ids):
    url = reverse("registrations:bulk-approve", kwargs=reg_district(world))
    response = client_of(world.staff).get(url, {"ids": ids})
    assert response.status_code == 400
    # Posted items that are not numbers are left out, never a 500.
    response = client_of(world.staff).post(url, {"items": f"{ids}:{ids}", "confirmed": "1"})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("version", ["²", "abc", HUGE, "", None])
def test_a_transition_requires_the_version_it_showed(world, version):
    """``version=²`` answered 500; a post without a version approved. Both are refused with a
    message now, and the registration stays as it was."""
    registration = registration_of_a(world)
    client = client_of(world.staff)
    data = {} if version is None else {"version": version}
    response = client.post(reverse("registrations:approve", kwargs=reg_a(world)), data, follow=True)
    assert response.status_code == 200
    assert "Trang không cho biết phiên bản đã hiển thị" in text(response)
    registration.refresh_from_db()
    assert registration.status == "submitted"
    # With the version shown, it goes through.
    response = client.post(
        reverse("registrations:approve", kwargs=reg_a(world)),
        {"version": registration.version},
    )
    registration.refresh_from_db()
    assert registration.status == "approved"


@pytest.mark.parametrize("version", ["²", "", HUGE])
def test_a_returning_comment_requires_the_version(world, version):
    registration = registration_of_a(world)
    url = reverse("registrations:return", kwargs=reg_a(world))
    response = client_of(world.staff).post(url, {"comment": "Bổ sung.", "version": version})
    assert response.status_code == 200
    assert "Trang không cho biết phiên bản đã hiển thị" in text(response)
    registration.refresh_from_db()
    assert registration.status == "submitted"


@pytest.mark.parametrize(
    "field,value",
    [
        ("number", BEYOND_INT),
        ("number", BEYOND_BIGINT),
        ("number", HUGE),
        ("min_themes", "40000"),
        ("min_themes", HUGE),
        ("min_themes", "0"),
        ("title", "T" * 501),
        ("symbol", "K" * 41),
    ],
)
def test_campaign_numbers_beyond_their_column(world, field, value):
    from campaigns.models import Campaign

    url = reverse("campaigns:edit", kwargs=campaign_a(world))
    client = client_of(world.staff)
    data = form_values(client.get(url))
    before = Campaign.objects.values().get()
    response = client.post(url, {**data, field: value})
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in text(response)
    assert value[:50] in text(response)  # what was typed is kept
    assert Campaign.objects.values().get() == before


@pytest.mark.parametrize(
    "field,value",
    [("day", HUGE), ("day", "32"), ("day", "0"), ("month", "13"), ("origin_year", HUGE)],
)
def test_holiday_day_beyond_its_bounds(world, field, value):
    from campaigns.models import Holiday

    url = reverse("campaigns:holiday-edit", kwargs=holiday_a(world))
    client = client_of(world.staff)
    data = form_values(client.get(url))
    response = client.post(url, {**data, field: value})
    assert response.status_code == 200 and 'data-testid="form-errors"' in text(response)
    holiday = Holiday.objects.get(pk=holiday_a(world)["pk"])
    assert (holiday.day, holiday.month, holiday.origin_year) == (1, 6, None)


@pytest.mark.parametrize("number", [BEYOND_INT, HUGE, "²"])
def test_decision_number_beyond_its_column(world, number):
    from awards.models import Decision

    award_catalogue(world)
    url = reverse("awards:decision-create")
    client = client_of(world.staff)
    data = form_values(client.get(url))
    count = Decision.objects.count()
    response = client.post(url, {**data, "number": number, "signer_name": "Lê Văn A"})
    assert response.status_code == 200
    assert Decision.objects.count() == count


def test_names_over_the_column_length(world):
    """A name longer than its column is a message on the field (PostgreSQL would refuse the
    row), nothing saved."""
    from federation.models import Organization

    url = reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk})
    client = client_of(world.staff)
    data = form_values(client.get(url))
    for field in ("name", "short_name", "code"):
        response = client.post(url, {**data, field: "Đ" * 2000})
        assert response.status_code == 200, field
        assert 'data-testid="form-errors"' in text(response), field
    assert Organization.objects.get(pk=world.unit_a.pk).name == world.unit_a.name


def test_bulk_approval_items_without_their_version_approve_nothing(world):
    registration = registration_of_a(world)
    url = reverse("registrations:bulk-approve", kwargs=reg_district(world))
    client = client_of(world.staff)
    for item in (f"{registration.pk}", f"{registration.pk}:", f"{registration.pk}:²"):
        response = client.post(url, {"items": item, "confirmed": "1"})
        assert response.status_code == 302
        registration.refresh_from_db()
        assert registration.status == "submitted", item
    client.post(url, {"items": f"{registration.pk}:{registration.version}", "confirmed": "1"})
    registration.refresh_from_db()
    assert registration.status == "approved"


@pytest.mark.parametrize("version", ["²", "", HUGE])
def test_a_nomination_step_requires_the_version(world, version):
    from awards.models import Nomination
    from tests.test_permissions import nomination_of_a

    kwargs = nomination_of_a(world)
    before = Nomination.objects.values("status", "version", "current_level_id").get(**kwargs)
    for step in ("awards:nomination-endorse", "awards:nomination-return"):
        response = client_of(world.staff).post(
            reverse(step, kwargs=kwargs), {"comment": "Ý kiến.", "version": version}, follow=True
        )
        assert response.status_code == 200
        assert "Trang không cho biết phiên bản đã hiển thị" in text(response)
    after = Nomination.objects.values("status", "version", "current_level_id").get(**kwargs)
    assert after == before


@pytest.mark.parametrize("next_value", ["abc", "home", "//evil.example/x", "http://evil.example/"])
def test_a_next_address_that_is_not_a_path_of_the_site_is_ignored(world, next_value):
    """``next=abc`` answered 500 (``redirect`` took it for the name of a view)."""
    registration = registration_of_a(world)
    response = client_of(world.staff).post(
        reverse("registrations:approve", kwargs=reg_a(world)),
        {"version": registration.version, "next": next_value},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/") and "evil" not in response["Location"]


@pytest.mark.parametrize(
    "name,kwargs,query",
    [
        ("registrations:summary", "reg_district", {"page": "²"}),
        ("reports:dashboard", "rep_district", {"phase": "²"}),
        ("reports:rollup", "rep_district_phase", {"page": "²"}),
    ],
)
def test_pages_and_phases_in_superscript_digits(world, name, kwargs, query):
    from tests import test_permissions

    url = reverse(name, kwargs=getattr(test_permissions, kwargs)(world))
    assert client_of(world.staff).get(url, query).status_code == 200


def test_nul_in_a_query_string_is_a_bad_request(world):
    """On PostgreSQL a search for ``1\\x00x`` answered 500."""
    response = client_of(world.staff).get(reverse("federation:lookup"), {"q": "1\x00x"})
    assert response.status_code == 400
    assert (
        client_of(world.staff).get(reverse("federation:lookup"), {"q": "Alpha"}).status_code == 200
    )
