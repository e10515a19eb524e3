"""The one confirmation page of the acts that cannot be undone (``emulation.confirm``): it posts
every field again with ``confirmed=1`` (each value once, never the CSRF token), lists those
affected (a long list cut, its count kept), and the removal of a role asks through it too."""

import unicodedata

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from emulation.confirm import (
    MAX_LISTED,
    Affected,
    Confirmation,
    confirmation_page,
    is_confirmed,
    posted_fields,
)
from federation.models import Membership

pytestmark = pytest.mark.django_db


def _request(data):
    request = RequestFactory().post("/somewhere/?x=1", data)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_the_page_posts_back_every_field_but_the_token_and_the_confirmation():
    request = _request(
        {"items": ["1:3", "2:5"], "note": 'Chào "mừng" <b>', "csrfmiddlewaretoken": "t"}
    )
    assert not is_confirmed(request)
    assert posted_fields(request) == [
        ("items", "1:3"),
        ("items", "2:5"),
        ("note", 'Chào "mừng" <b>'),
    ]
    response = confirmation_page(
        request,
        Confirmation(
            question="Làm việc này?",
            consequences=["Điều thứ nhất.", "Điều thứ hai."],
            button="Làm",
            cancel_url="/back/",
        ),
    )
    body = unicodedata.normalize("NFC", response.content.decode())
    assert response.status_code == 200
    assert '<h1 class="h5" data-testid="confirm-question">Làm việc này?</h1>' in body
    assert body.count('name="items"') == 2
    assert 'name="note" value="Chào &quot;mừng&quot; &lt;b&gt;"' in body
    assert 'name="csrfmiddlewaretoken" value="t"' not in body
    assert body.count('name="confirmed" value="1"') == 1
    assert 'action="/somewhere/?x=1"' in body
    assert 'href="/back/" data-testid="confirm-cancel"' in body
    assert is_confirmed(_request({"confirmed": "1"}))
    assert not is_confirmed(RequestFactory().get("/?confirmed=1"))


def test_a_long_list_of_those_affected_is_cut_and_counted():
    many = [Affected(label=f"Đơn vị {i}") for i in range(MAX_LISTED + 7)]
    response = confirmation_page(
        _request({}),
        Confirmation(
            question="Duyệt?",
            consequences=["Duyệt tất cả."],
            button="Duyệt",
            cancel_url="/",
            affected=many,
            affected_title="Đơn vị",
            fields=[("items", "1:1")],
        ),
    )
    body = unicodedata.normalize("NFC", response.content.decode())
    assert body.count('data-testid="confirm-affected-item"') == MAX_LISTED
    assert "và 7 mục khác" in body
    assert body.count('name="items"') == 1


def test_removing_a_role_asks_first(world, client_for):
    membership = world.officer_a.memberships.get()
    remove = reverse("federation:member-remove", args=[world.unit_a.pk, membership.pk])
    client = client_for(world.staff)
    response = client.post(remove)
    assert response.status_code == 200
    body = unicodedata.normalize("NFC", response.content.decode())
    role = membership.get_role_display()
    assert f"Thu hồi vai trò {role} của {world.officer_a.get_full_name()}?" in body
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(remove, {"confirmed": "1"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # Who may not manage the unit is refused before any question.
    other = world.officer_b.memberships.get()
    refused = client_for(world.officer_a).post(
        reverse("federation:member-remove", args=[world.unit_b.pk, other.pk])
    )
    assert refused.status_code in (403, 404)
