"""Walks every URL pattern of the project, for every persona.

Each named URL must have an entry in SAMPLES (the test fails otherwise, so every new view is
covered): how to fill its arguments with an object of grassroots unit A's branch, and who must
be let in. Then, for each persona:
- anonymous is sent to the login page unless the page is public;
- officer B of the sibling unit gets 403 or 404, or a page without a trace of unit A;
- the personas named as allowed get 200.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ("anonymous", "officer_a", "officer_b", "leader", "staff", "admin")

# Markers of unit A's data that must never reach officer B.
MARKERS = ("Alpha Đông Á", "NB-P-A")

ALL = {"officer_a", "officer_b", "leader", "staff", "admin"}


def unit_a(w):
    return {"pk": w.unit_a.pk}


def membership_a(w):
    return {"pk": w.unit_a.pk, "membership_id": w.officer_a.memberships.get().pk}


# name: (kwargs from the world, query string, personas who get 200 on GET, POST-only)
SAMPLES = {
    "home": (None, "", set(), False),
    "healthz": (None, "", None, False),  # public
    "accounts:login": (None, "", None, False),  # public
    "accounts:logout": (None, "", set(), True),
    "accounts:profile": (None, "", ALL, False),
    "accounts:password_change": (None, "", ALL, False),
    "accounts:password_reset": (None, "", None, False),
    "accounts:password_reset_done": (None, "", None, False),
    "accounts:password_reset_confirm": (
        lambda w: {"uidb64": "MQ", "token": "x-y"},
        "",
        None,
        False,
    ),
    "accounts:password_reset_complete": (None, "", None, False),
    "federation:my-unit": (None, "", set(), False),
    "federation:tree": (None, "q=Alpha", {"leader", "staff", "admin"}, False),
    "federation:lookup": (None, "q=Alpha", ALL, False),
    "federation:import": (None, "", {"staff", "admin"}, False),
    "federation:people-import": (None, "", {"staff", "admin"}, False),
    "federation:unit-detail": (unit_a, "", {"officer_a", "leader", "staff", "admin"}, False),
    "federation:tree-children": (unit_a, "", {"officer_a", "leader", "staff", "admin"}, False),
    "federation:unit-history": (unit_a, "", {"officer_a", "leader", "staff", "admin"}, False),
    "federation:unit-edit": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-add-child": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-move": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-merge": (unit_a, "", {"staff", "admin"}, False),
    "federation:unit-delete": (unit_a, "", {"staff", "admin"}, False),
    "federation:member-add": (unit_a, "", {"staff", "admin"}, False),
    "federation:member-remove": (membership_a, "", set(), True),
    "federation:department-add": (unit_a, "", {"staff", "admin"}, False),
    "set_language": (None, "", set(), True),
}

PUBLIC = {name for name, sample in SAMPLES.items() if sample[2] is None}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns == "admin":
                continue  # Django's own admin: checked separately below
            yield from _walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def all_url_names():
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_is_in_the_matrix():
    missing = [name for name in all_url_names() if name not in SAMPLES]
    assert not missing, f"Add these URLs to SAMPLES in {__file__}: {missing}"


@pytest.mark.parametrize("name", all_url_names())
def test_url_permissions(name, world, client_for):
    kwargs_fn, query, allowed, post_only = SAMPLES[name]
    url = reverse(name, kwargs=kwargs_fn(world) if kwargs_fn else None)
    if query:
        url = f"{url}?{query}"
    touches_unit_a = kwargs_fn is not None and "pk" in (kwargs_fn(world) or {})
    for persona in PERSONAS:
        client = client_for(world.persona(persona))
        response = client.post(url) if post_only else client.get(url)
        status = response.status_code
        body = response.content.decode("utf-8", "replace") if status == 200 else ""
        if persona == "anonymous":
            if name in PUBLIC:
                assert status in (200, 302, 503), (name, persona, status)
            elif name != "set_language":
                assert status == 302 and "/accounts/login/" in response["Location"], (
                    name,
                    persona,
                    status,
                )
            continue
        if persona == "officer_b":
            if touches_unit_a:
                assert status in (403, 404), (name, persona, status)
            for marker in MARKERS:
                assert marker not in body, f"{name} shows unit A's data to officer B"
            if post_only and touches_unit_a:
                assert world.officer_a.memberships.exists(), "officer B changed unit A"
        if allowed and persona in allowed and not post_only:
            assert status == 200, (name, persona, status)
        elif allowed is not None and not post_only and persona not in allowed:
            assert status in (302, 403, 404), (name, persona, status)


def test_admin_is_for_superusers_only(world, client_for):
    for persona in ("officer_a", "leader", "staff"):
        response = client_for(world.persona(persona)).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client_for(world.admin).get("/admin/").status_code == 200
    assert client_for(world.admin).get("/admin/federation/organization/").status_code == 200
