"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Never run ``playwright install``: the browser is the system one, named below.
"""

import os

import pytest

from tests.conftest import build_world
from tests.e2e.helpers import DESKTOP

# Playwright's sync API runs an event loop in the test's thread; Django refuses database access
# from such a thread unless told it is safe (it is: the loop only drives the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Every ``page.goto("/...")`` goes to the live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Vietnamese browser, as the users have: the UI language follows Accept-Language.
    # Reduced motion turns Bootstrap's animations off: menus open at once, screenshots are stable.
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "viewport": DESKTOP,
        "reduced_motion": "reduce",
    }


@pytest.fixture(autouse=True)
def _short_timeouts(request):
    """Fail in seconds, not in Playwright's default 30 s, when something does not appear."""
    if "page" in request.fixturenames:
        page = request.getfixturevalue("page")
        page.set_default_timeout(10_000)
        page.set_default_navigation_timeout(15_000)


@pytest.fixture
def e2e_world(transactional_db, live_server):
    """The personas of ``tests/conftest.py``, committed so the live server's thread sees them."""
    return build_world()
