"""The mixes of ``--http`` and the simulated browser that plays them.

Standard library only: the locust process (``benchmarks/http_load.py``, gevent) imports this
module, so it must not import Django; the harness and the tests import it too, and the tests
play the mixes through Django's test client (``tests/test_benchmarks_harness.py``).

A mix is a list of steps that each virtual user plays in order, again and again, with no pause
(the figures are the server's capacity, not a day of real users). The harness hands each virtual
user a *plan*: its cookies (a session created server-side and a CSRF cookie), the URL of each
step, and for the reviewer the registrations it approves. See docs/benchmarks.md, "Under load".
"""

import base64
import json
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from typing import Protocol
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Step:
    label: str
    key: str  # the URL of the step in the user's plan
    action: str = "page"  # page | save_draft | approve
    htmx: bool = False
    expect_text: str = ""  # a 200 page that lacks it is an error (e.g. a signed-out badge)
    read_form: bool = False  # keep the page's form for the next step (parsing costs CPU)


@dataclass(frozen=True)
class Mix:
    name: str
    label: str
    persona: str
    steps: tuple[Step, ...]


FLOOR = Mix(
    "floor",
    "floor (base.html only)",
    "officer and reviewer sessions",
    (Step("floor (base.html only)", "floor"),),
)
OFFICER = Mix(
    "officer",
    "officer's mix",
    "an officer of a grassroots union",
    (
        Step("campaign page", "campaign"),
        Step("unit page", "unit"),
        Step("registration form", "registration_form", read_form=True),
        Step("save a draft registration (POST)", "registration_form", action="save_draft"),
        Step("report form", "report_form"),
        Step("notifications badge (htmx)", "badge", htmx=True, expect_text="unread-badge"),
    ),
)
REVIEWER = Mix(
    "reviewer",
    "reviewer's mix",
    "the leader of the unit with 1,000 grassroots units below",
    (
        Step("queue of 1,000 units", "queue"),
        Step("approve a registration (POST)", "approve", action="approve"),
        Step("consolidation", "consolidation"),
        Step("dashboard", "dashboard"),
    ),
)
MIXES = {mix.name: mix for mix in (FLOOR, OFFICER, REVIEWER)}
# The two requests by which a reviewer's registration that is already approved is made ready
# to be approved again (see VirtualUser.approve).
RECYCLE_REOPEN = "recycle: reopen, by the unit (POST)"
RECYCLE_SUBMIT = "recycle: submit again, by the unit (POST)"

# Django's message levels (django.contrib.messages.constants).
SUCCESS, ERROR = 25, 40


# ---------------------------------------------------------------------------------------------
# What comes back, and how it is asked for.


@dataclass
class Answer:
    status: int
    location: str = ""
    text: str = ""
    # (name, value, deleted) of each Set-Cookie header
    set_cookies: list[tuple[str, str, bool]] = field(default_factory=list)


def parse_set_cookie(headers: list[str]) -> list[tuple[str, str, bool]]:
    """(name, value, deleted) of Set-Cookie header values (deleted: emptied or expired)."""
    found = []
    for header in headers:
        jar = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue
        for name, morsel in jar.items():
            deleted = morsel.value == "" or morsel["max-age"] in ("0", 0)
            found.append((name, morsel.value, deleted))
    return found


class Transport(Protocol):
    """Sends one request and records it. ``check`` returns why the answer is wrong, or ''."""

    def request(
        self,
        method: str,
        path: str,
        *,
        label: str,
        headers: dict[str, str],
        body: str | None,
        check: Callable[[Answer], str],
    ) -> Answer | None: ...

    def failure(self, method: str, label: str, reason: str) -> None:
        """Record a step that could not even be sent (e.g. no form to post)."""


# ---------------------------------------------------------------------------------------------
# Reading pages as a browser does: forms, the CSRF token, the flash messages.


class _FormParser(HTMLParser):
    """Every <form>: method, action, the fields a browser would send unchanged, the named
    submit buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[tuple[str, bool]], bool] | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "testid": a.get("data-testid", ""),
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            elif kind in ("submit", "image"):
                self._form["buttons"].append((name, a.get("value", "")))
            elif kind not in ("file", "button", "reset"):
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self._form["buttons"].append((name, a.get("value", "")))
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea = (name, [])
        elif tag == "select" and name and "disabled" not in a:
            self._select = (name, [], "multiple" in a)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, []]
            self._select[1].append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # A browser drops the one newline that may follow <textarea>.
            self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, multiple = self._select
            values = [o[0] if o[0] is not None else "".join(o[2]).strip() for o in options if o[1]]
            if not values and options and not multiple:
                first = options[0]
                values = [first[0] if first[0] is not None else "".join(first[2]).strip()]
            self._form["fields"].extend((name, v) for v in values)
            self._select = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_posting_to(html: str, path: str) -> dict | None:
    """The first POST form of the page that sends to the page itself (no action, or ``path``)."""
    for form in forms_of(html):
        if form["method"] == "post" and form["action"] in ("", path):
            return form
    return None


_TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TOKEN_HEADER = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')


def csrf_token_in(html: str) -> str:
    """The CSRF token of a page: a form's hidden field, or htmx's header on <body>."""
    match = _TOKEN_INPUT.search(html) or _TOKEN_HEADER.search(html)
    return match.group(1) if match else ""


def message_levels(value: str) -> list[int] | None:
    """The levels of the flash messages in Django's ``messages`` cookie (read, not verified:
    the signature is the server's business). None when it cannot be read."""
    payload = value.split(":", 1)[0]  # payload:signature, or payload:timestamp:signature
    compressed = payload.startswith(".")
    if compressed:
        payload = payload[1:]
    try:
        data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if compressed:
            data = zlib.decompress(data)
        messages = json.loads(data.decode("utf-8"))
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None
    levels = []
    for message in messages if isinstance(messages, list) else []:
        if isinstance(message, list) and len(message) >= 3 and message[0] == "__json_message":
            levels.append(int(message[2]))
    return levels


# ---------------------------------------------------------------------------------------------
# The virtual user.


class VirtualUser:
    """One simulated browser playing a mix for one plan until ``deadline`` (monotonic seconds)
    or ``max_steps`` steps, whichever comes first. ``start`` is the step it begins with (moved
    on to the next page, since a POST needs the page before it), so that users started
    together do not all ask for the same page at the same moment."""

    def __init__(
        self,
        mix: Mix,
        plan: dict,
        transport: Transport,
        *,
        origin: str,
        headers: dict[str, str] | None = None,
        deadline: float,
        max_steps: int,
        start: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.mix = mix
        self.plan = plan
        self.transport = transport
        self.origin = origin
        self.headers = dict(headers or {})
        self.deadline = deadline
        self.steps_left = max_steps
        self.clock = clock
        self.cookies = dict(plan["cookies"])
        self.unit_cookies = dict(plan.get("unit_cookies") or {})
        self.items = [dict(item) for item in plan.get("items", ())]
        self.next_item = 0
        self.token = ""  # the CSRF token of the last page read
        self.form: dict | None = None  # the last form read (registration form)
        self.recycled = 0
        steps = mix.steps
        self.cursor = next(
            (i for i in range(start, start + len(steps)) if steps[i % len(steps)].action == "page"),
            0,
        )

    # -- driving ---------------------------------------------------------------------------

    def active(self) -> bool:
        return self.steps_left > 0 and self.clock() < self.deadline

    def iteration(self) -> bool:
        """Play the mix once. False when the user must stop (time or count used up)."""
        steps = self.mix.steps
        for _ in steps:
            if not self.active():
                return False
            step = steps[self.cursor % len(steps)]
            self.cursor += 1
            self.steps_left -= 1
            getattr(self, step.action)(step)
        return self.active()

    # -- the three kinds of step ----------------------------------------------------------

    def page(self, step: Step) -> None:
        path = self.plan["urls"][step.key]

        def check(answer: Answer) -> str:
            if answer.status != 200:
                return _status_problem(answer, 200)
            if step.expect_text and step.expect_text not in answer.text:
                return f"answered 200 without {step.expect_text!r}"
            return ""

        answer = self._send("GET", path, step.label, check=check, htmx=step.htmx)
        if answer is not None and answer.status == 200:
            self.token = csrf_token_in(answer.text) or self.token
            self.form = form_posting_to(answer.text, path) if step.read_form else None

    def save_draft(self, step: Step) -> None:
        """Post the registration form just read back unchanged, with the "save draft" button,
        as a browser does (its CSRF token and the version it showed included)."""
        path = self.plan["urls"][step.key]
        form, self.form = self.form, None
        if form is None:
            self.transport.failure("POST", step.label, "no registration form on the page read")
            return
        drafts = [b for b in form["buttons"] if b[1] != "submit"]
        data = list(form["fields"]) + drafts[:1]
        self._send("POST", path, step.label, data=data, referer=path, check=_done)

    def approve(self, step: Step) -> None:
        """Approve the next of this user's registrations. Each user has its own (no two users
        race for one); when all have been approved, the next one is first reopened and
        submitted again by its unit's officer (two more POSTs, shown on their own lines), so
        that a run of any length never runs out of registrations to approve."""
        if not self.items:
            self.transport.failure("POST", step.label, "no registration left to approve")
            return
        item = self.items[self.next_item % len(self.items)]
        self.next_item += 1
        if item["status"] == "approved" and not self._recycle(item):
            self.items.remove(item)
            return
        if not self.active():
            return
        answer = self._send(
            "POST",
            item["approve"],
            step.label,
            data=[("csrfmiddlewaretoken", self.token), ("version", str(item["version"]))],
            referer=self.plan["urls"].get("queue", item["approve"]),
            check=_done,
        )
        if answer is not None and not _done(answer):
            item["status"], item["version"] = "approved", item["version"] + 1
        else:
            self.items.remove(item)  # its state is unknown now: leave it alone

    def _recycle(self, item: dict) -> bool:
        # No page of the unit's is read first: its CSRF cookie's secret is a valid token.
        secret = self.plan.get("unit_token", "")
        for label, path, data in (
            (RECYCLE_REOPEN, item["reopen"], [("comment", "Bổ sung kết quả (benchmark).")]),
            (RECYCLE_SUBMIT, item["submit"], []),
        ):
            if not self.active():
                return False
            self.steps_left -= 1
            data = [("csrfmiddlewaretoken", secret), ("version", str(item["version"])), *data]
            answer = self._send(
                "POST", path, label, data=data, referer=item["unit"], check=_done, unit=True
            )
            if answer is None or _done(answer):
                return False
            item["version"] += 1
        item["status"] = "submitted"
        self.recycled += 1
        return True

    # -- HTTP -----------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        label: str,
        *,
        check: Callable[[Answer], str],
        data: list[tuple[str, str]] | None = None,
        referer: str = "",
        htmx: bool = False,
        unit: bool = False,
    ) -> Answer | None:
        cookies = self.unit_cookies if unit else self.cookies
        headers = dict(self.headers)
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
            body = urlencode(data or [])
        answer = self.transport.request(
            method, path, label=label, headers=headers, body=body, check=check
        )
        if answer is not None:
            for name, value, deleted in answer.set_cookies:
                if deleted:
                    cookies.pop(name, None)
                else:
                    cookies[name] = value
            if method == "POST":
                # The redirect is not followed: its page would show the message (read by
                # ``check``) and drop the cookie.
                cookies.pop("messages", None)
        return answer


def _status_problem(answer: Answer, expected: int) -> str:
    where = f" -> {answer.location}" if answer.location else ""
    return f"answered {answer.status}{where} instead of {expected}"


def _done(answer: Answer) -> str:
    """A form or button that worked: a redirect (not to the login page) with a success
    message and no error message, as the next page would show."""
    if answer.status != 302:
        return _status_problem(answer, 302)
    if "/accounts/login" in urlsplit(answer.location).path:
        return "redirected to the login page"
    messages = [v for name, v, deleted in answer.set_cookies if name == "messages" and not deleted]
    if not messages:
        return "redirected without a message"
    levels = message_levels(messages[-1])
    if levels is None:
        return "unreadable messages cookie"
    if any(level >= ERROR for level in levels):
        return "refused (an error message)"
    if SUCCESS not in levels:
        return "redirected without a success message"
    return ""
