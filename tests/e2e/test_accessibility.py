"""Every kind of page of the demo, as its people see it: axe-core finds no serious or critical
WCAG 2.1 A/AA violation, and the Nu HTML checker no error.

The pages are found as a person finds them: from the start page, following every link (downloads,
the admin and logging out aside), for cspl (the province's staff), hoalu (a district's leader),
cdcs1 (a grassroots officer), hoidong1 (a council member) and a visitor who is not signed in.
Each person opens each kind of address once (its path with the numbers taken out, and the names
of its query: ``/registrations/c/N/review/N/?status=``), and each kind is checked once, as the
first person who reaches it sees it. The layout tests check their pages in more states (errors
shown, menus open) and on a phone too.
"""

import collections
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.helpers import DESKTOP, login
from tests.e2e.pagecheck import Documents, axe_problems, vnu_missing, vnu_problems

pytestmark = pytest.mark.e2e

PERSONAS = ("cspl", "hoalu", "cdcs1", "hoidong1", None)
# Not pages to check: files, feeds, the admin (Django's own), logging out, switching language.
NOT_PAGES = re.compile(
    r"^/(admin|i18n)/|/logout|\.(pdf|xlsx|atom|ics|csv)(\?|$)|/files/|/dossier/\d+/$"
    r"|/photo$|[?&](download|format)="
)
MAX_PAGES_PER_PERSON = 250


def kind_of(address: str) -> str:
    parts = urlsplit(address)
    query = re.sub(r"=[^&]*", "=", parts.query)
    return re.sub(r"\d+", "N", parts.path) + (f"?{query}" if query else "")


def walk_the_demo(browser, base_url, on_page, documents=None) -> dict[str, str]:
    """Open every kind of page of the demo for each persona; ``on_page(page, name, first)`` is
    called on each (``first``: no persona has checked this kind yet); ``documents`` watches
    each page. Returns the kinds of page found, with who found each first."""
    found: dict[str, str] = {}
    for persona in PERSONAS:
        context = browser.new_context(
            base_url=base_url, viewport=DESKTOP, locale="vi-VN", reduced_motion="reduce"
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        if documents is not None:
            documents.watch(page)
        if persona:
            login(page, persona)
        queue = collections.deque(["/"])
        opened: set[str] = set()
        while queue and len(opened) < MAX_PAGES_PER_PERSON:
            address = queue.popleft()
            kind = kind_of(address)
            if kind in opened:
                continue
            opened.add(kind)
            try:
                response = page.goto(address)
            except PlaywrightError as exc:
                if "Download is starting" in str(exc):
                    continue  # a file, not a page
                raise
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            name = f"{persona or 'visitor'} {kind}"
            first = kind not in found
            found.setdefault(kind, persona or "visitor")
            on_page(page, name, first)
            for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                parts = urlsplit(link)
                if parts.netloc != urlsplit(base_url).netloc:
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if not NOT_PAGES.search(target) and kind_of(target) not in opened:
                    queue.append(target)
        context.close()
    return found


@pytest.fixture
def demo(transactional_db, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def test_every_page_of_the_demo_is_accessible_and_valid_html(browser, demo, tmp_path):
    """One walk: each kind of page is checked by axe-core as it is shown and kept for the Nu
    HTML checker, which reads them all at the end."""
    problems = []
    missing = vnu_missing()
    documents = None if missing else Documents()

    def check(page, name, first):
        if first:
            problems.extend(axe_problems(page, name))
            if documents is not None:
                documents.keep(page, name)

    found = walk_the_demo(browser, demo, check, documents)
    # Every part of the application was reached.
    for part in ("/units/", "/campaigns/", "/registrations/", "/reports/", "/awards/", "/rem"):
        assert any(kind.startswith(part) for kind in found), part
    assert len(found) >= 80, sorted(found)
    assert not problems, "\n".join(problems)
    if documents is None:
        pytest.skip(f"axe-core found nothing serious; the HTML was not checked: {missing}")
    assert len(documents.items) >= 80, len(documents.items)
    assert len(found) >= len(documents.items)
    problems = vnu_problems(documents, tmp_path / "html")
    assert not problems, "\n".join(problems)
