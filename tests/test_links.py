"""No page links to a page its reader cannot open.

For each persona of the demo (an officer of a grassroots unit, a district leader, provincial
staff, a council member, an administrator), start from the home page and follow every internal
link breadth-first, as that person: every page reached must answer (no 403, 404 or 500), and
every download linked from a page (PDF, XLSX, dossier files) must answer too. Links are followed
with GET only, on this host; logging out and the Django admin are left alone. A URL is visited
once per view and arguments (``?page=2`` and ``?page=3`` of a list are the same page), and the
walk stops after a bounded number of pages so that it stays quick.

The world is the demo (``seed_demo``), seeded once for the module: the personas hold the
memberships the demo gives them, and the campaigns, registrations, reports, nominations, council
sessions and decisions are those a visitor of the demo meets.
"""

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.http import HttpResponse
from django.urls import Resolver404, include, path, resolve

from emulation import urls as project_urls

# Pages (HTML) visited per persona at most; downloads linked from them are checked besides.
PAGE_LIMIT = 70
# Instances of one view visited at most (other units' pages of the same kind add little), and
# of one download (each is a PDF or XLSX rendered for the check, the slow part of the walk).
PAGES_PER_VIEW = 3
DOWNLOADS_PER_VIEW = 1
# Query parameters that do not make another page (pagination, order, the download switch).
IGNORED_PARAMETERS = {"page", "sort", "order", "download", "next"}
# Paths never followed: logging out ends the walk; the admin has its own permission system.
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout/", "/i18n/")
DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ics", ".atom", ".zip", ".docx")

PERSONAS = {
    "grassroots officer": "cdcs1",
    "district leader": "hoalu",
    "provincial staff": "cspl",
    "council member": "hoidong1",
    "admin": "admin",
}


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.links


def internal_path(href: str, base: str) -> str | None:
    """The path and query of ``href`` when it is a page of this site worth following."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_key(url: str):
    """The view and its arguments: two URLs with the same key show the same page."""
    parts = urlsplit(url)
    query = tuple(sorted((k, v) for k, v in parse_qsl(parts.query) if k not in IGNORED_PARAMETERS))
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("unresolved", parts.path, query)
    return (match.view_name, match.args, tuple(sorted(match.kwargs.items())), query)


def is_download(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.path.endswith(DOWNLOAD_SUFFIXES)
        or "download=1" in parts.query
        or "/media/" in parts.path
        or ("/dossier/" in parts.path and parts.path.rstrip("/").split("/")[-1].isdigit())
    )


@dataclass
class Walk:
    pages: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    left: int = 0


def walk(client, start: str = "/") -> Walk:
    """Breadth-first over the internal links reachable from ``start``, the views not yet
    visited first (so that the bounded walk sees every kind of page before a second unit's)."""
    result = Walk()
    pending = [(start, "(start)")]
    seen = {page_key(start)}
    visits: Counter = Counter()
    while pending:
        index = min(range(len(pending)), key=lambda i: visits[page_key(pending[i][0])[0]])
        url, referrer = pending.pop(index)
        view = page_key(url)[0]
        download = is_download(url)
        cap = DOWNLOADS_PER_VIEW if download else PAGES_PER_VIEW
        if visits[view] >= cap or (not download and len(result.pages) >= PAGE_LIMIT):
            result.left += 1
            continue
        visits[view] += 1
        response = client.get(url)
        (result.downloads if download else result.pages).append(url)
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            target = internal_path(response["Location"], url)
            if target and urlsplit(target).path.startswith("/accounts/login/"):
                result.broken.append(f"{url} -> login (linked from {referrer})")
            elif target and page_key(target) not in seen:
                seen.add(page_key(target))
                pending.append((target, url))
            continue
        if status != 200:
            result.broken.append(f"{url} answers {status} (linked from {referrer})")
            continue
        if download or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in links_of(response.content.decode()):
            target = internal_path(href, url)
            if target is None:
                continue
            key = page_key(target)
            if key not in seen:
                seen.add(key)
                pending.append((target, url))
    return result


@pytest.mark.parametrize("persona", PERSONAS.values(), ids=PERSONAS.keys())
def test_every_link_a_persona_meets_opens(demo_seeded, db, client, persona):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=persona)
    client.force_login(user)
    result = walk(client)
    assert not result.broken, "\n".join(result.broken)
    # The walk went somewhere: the home page links to the person's work and the other apps.
    assert len(result.pages) >= 10, result.pages


# --- The walk itself, over a site of three pages -----------------------------------------------


def _page(body: str):
    return lambda request: HttpResponse(f"<!doctype html><title>t</title>{body}")


SITE = [
    path(
        "",
        _page(
            '<a href="/walk/list/?page=1">1</a><a href="/walk/list/?page=2">2</a>'
            '<a href="/walk/gone/">x</a><a href="https://example.org/">out</a>'
            '<a href="/admin/">admin</a><a href="mailto:a@b.vn">mail</a><a href="#top">top</a>'
        ),
        name="walk-start",
    ),
    path(
        "list/",
        _page('<a href="/walk/forbidden.pdf">pdf</a><a href="/walk/">back</a>'),
        name="walk-list",
    ),
    path("forbidden.pdf", lambda request: HttpResponse(status=403), name="walk-pdf"),
]
# The project's pages stay (the error pages' layout names them).
urlpatterns = [path("walk/", include(SITE)), *project_urls.urlpatterns]


def test_the_walk_reports_every_link_that_does_not_open(db, client, settings):
    settings.ROOT_URLCONF = __name__
    result = walk(client, "/walk/")
    assert result.pages == ["/walk/", "/walk/list/?page=1", "/walk/gone/"]  # ?page=2: same page
    assert result.downloads == ["/walk/forbidden.pdf"]
    assert result.broken == [
        "/walk/gone/ answers 404 (linked from /walk/)",
        "/walk/forbidden.pdf answers 403 (linked from /walk/list/?page=1)",
    ]
