"""Walks every URL pattern with hostile input, next to the permission walk (same SAMPLES, same
world): no input answers 500.

For each URL, as a superuser and as the province's staff:
- GET with every usual query parameter set to junk: letters where a number is expected,
  superscript digits ("²".isdigit() is true in Python, int("²") fails), 2**70 (beyond any
  column), -1, 10,000 characters, NUL (PostgreSQL refuses it in text), full-width letters, and
  bytes that are not UTF-8 (Latin-1, UTF-16);
- when the page holds forms, POST each form with one field at a time set to junk (as the
  superuser, who sees every form; the junk values in turn, to keep the walk short), the others
  as the page filled them, then every field set to each junk value at once;
- a POST-only address gets the usual posted names set to junk.
Each answer must be a page (200, with the message on the field), a redirect, 400, 403, 404 or
405: never a server error. Run it on PostgreSQL as well (NUL and overlong text fail there).
"""

from urllib.parse import quote, quote_from_bytes, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.html_forms import Forms
from tests.test_permissions import SAMPLES, all_url_names

# (label, value as bytes): what is typed or forged into an address or a form.
JUNK = [
    ("letters", b"abc"),
    ("superscript", "²".encode()),
    ("huge", str(2**70).encode()),
    ("negative", b"-1"),
    ("long", b"9" * 10_000),
    ("nul", b"1\x00x"),
    ("fullwidth", "ｆｕｌｌｗｉｄｔｈ".encode()),
    ("latin-1", "Hà Nội é".encode("latin-1", "replace")),
    ("utf-16", "Hà Nội".encode("utf-16")),
]
# The staff's walk, shorter: the values that failed most often (numbers, NUL, encodings).
STAFF_JUNK = [JUNK[i] for i in (0, 1, 2, 5, 8)]
# The query parameters the views read.
QUERY_KEYS = (
    "page",
    "q",
    "unit",
    "award",
    "ids",
    "phase",
    "status",
    "kind",
    "stage",
    "mark",
    "table",
    "scope",
    "view",
    "year",
    "campaign",
    "download",
    "format",
    "all",
    "waiting",
    "overdue",
    "next",
)
# The names POST-only addresses read.
POST_KEYS = ("id", "version", "phase", "items", "comment", "reason", "next", "action", "note")
ALLOWED = {200, 302, 400, 403, 404, 405}
# Posting these would end the session or leave the site: nothing of the input reaches a view.
SKIP_POST = {"accounts:logout"}


def encode(pairs) -> str:
    return "&".join(f"{quote(name)}={quote_from_bytes(value)}" for name, value in pairs)


def post_forms(html: str, page: str) -> list[tuple[str, list]]:
    parser = Forms()
    parser.feed(html)
    found = []
    for form in parser.forms:
        action = form["action"] or page
        parts = urlsplit(action)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        if action.startswith(("/accounts/logout", "/i18n/")):
            continue
        found.append((action, form["fields"]))
    return found


def check(response, what):
    assert response.status_code in ALLOWED, (what, response.status_code)


def url_kwargs(name, world) -> dict | None:
    kwargs_fn = SAMPLES[name][0]
    return kwargs_fn(world) if kwargs_fn else None


def walk_url(name, world, persona, *, each_field: bool, junk_values=JUNK, kwargs=None) -> int:
    """Walk one address as ``persona`` with ``junk_values``; ``each_field``: also post each
    field of its forms with junk, one at a time (one junk value per field, in turn). Returns
    the requests made. ``kwargs``: the address's arguments, when an earlier walk fixed them
    (the object it named may since have been removed by a junk post: then 404)."""
    _kwargs_fn, query, _allowed, post_only = SAMPLES[name]
    url = reverse(name, kwargs=kwargs if kwargs is not None else url_kwargs(name, world))
    client = Client(raise_request_exception=False)
    client.force_login(world.persona(persona))
    form_urlencoded = "application/x-www-form-urlencoded"

    def post(action, pairs, what):
        response = client.post(action, encode(pairs), content_type=form_urlencoded)
        check(response, what)

    if post_only:
        if name in SKIP_POST:
            return 0
        for label, junk in junk_values:
            post(url, [(key, junk) for key in POST_KEYS], (name, "POST", label))
        return len(junk_values)
    requests = 0
    for label, junk in junk_values:
        junk_query = encode((key, junk) for key in QUERY_KEYS)
        check(client.get(f"{url}?{junk_query}"), (name, "GET", label))
        requests += 1
    page = client.get(f"{url}?{query}" if query else url)
    check(page, (name, "GET"))
    requests += 1
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        return requests
    seen = set()
    for action, fields in post_forms(page.content.decode("utf-8", "replace"), url):
        if action in seen or any(action.startswith(reverse(s)) for s in SKIP_POST):
            continue
        seen.add(action)
        shown = [(field, (value or "").encode()) for field, value, _typed in fields]
        if each_field:
            typed = [index for index, (_f, _v, is_typed) in enumerate(fields) if is_typed]
            for turn, index in enumerate(typed):
                label, junk = JUNK[turn % len(JUNK)]
                field = fields[index][0]
                pairs = [*shown[:index], (field, junk), *shown[index + 1 :]]
                post(action, pairs, (name, action, field, label))
                requests += 1
        for label, junk in junk_values:
            pairs = [
                (field, junk if typed else (value or "").encode()) for field, value, typed in fields
            ]
            post(action, pairs, (name, action, "every field", label))
            requests += 1
    return requests


@pytest.mark.parametrize("name", all_url_names())
def test_no_input_answers_500(name, world):
    # The superuser sees every form: each of its fields gets junk in turn. The staff walk the
    # same addresses with what their role shows them.
    kwargs = url_kwargs(name, world)
    walk_url(name, world, "admin", each_field=True, kwargs=kwargs)
    walk_url(name, world, "staff", each_field=False, junk_values=STAFF_JUNK, kwargs=kwargs)
