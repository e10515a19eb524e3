"""The text of a reminder: its subject, its email (text and HTML) and its notification,
rendered once per rule around markers rather than once per unit."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.defaultfilters import linebreaksbr, urlize
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

from emulation.mail import render_email
from reminders.models import ReminderRule
from reminders.texts import PLACEHOLDERS, fill


def address_error(address: str) -> str:
    """Why ``address`` cannot receive mail ("" when it can)."""
    if not address:
        return _("No email address is recorded.")
    try:
        validate_email(address)
    except ValidationError:
        return _("The email address “%(address)s” is not valid.") % {"address": address}
    return ""


# The emails of deliveries that no rule makes, named by their context's "template".
RULELESS_TEMPLATES = ("weekly-digest", "council-open", "council-closing", "grading-deadline")

MARK = "\u2063REMINDER-BODY\u2063"
UNIT_MARK = "\u2063REMINDER-UNIT\u2063"
SUBJECT_MARK = "\u2063REMINDER-SUBJECT\u2063"
# A unit name with one of these may be turned into a link by urlize: its message is rendered
# on its own.
URLIZABLE = re.compile(r"[.@:\s\u2063]")


def body_html(body: str) -> str:
    """The body as the HTML template shows it (``{{ body|linebreaksbr|urlize }}``)."""
    return urlize(linebreaksbr(body, autoescape=True), autoescape=True)


def _html_body(rule: ReminderRule, ctx: dict, body: str, cache: dict) -> str:
    """``body_html(body)`` without running urlize on each of 130,000 bodies (half a
    millisecond each): the body of a rule and occurrence is turned into HTML once with a marker
    for the unit's name, then each message puts its escaped unit name in. Checked against the
    full rendering on the first message; a unit name that urlize could touch, or a rule whose
    text does not allow it, renders each message in full."""
    unit = str(ctx.get("unit", ""))
    if URLIZABLE.search(unit.replace(" ", "")):
        return body_html(body)
    key = (
        "html",
        rule.pk,
        tuple(sorted((k, str(v)) for k, v in ctx.items() if k in PLACEHOLDERS and k != "unit")),
    )
    shell = cache.get(key)
    if shell is None:
        shell = body_html(fill(rule.body, {**ctx, "unit": UNIT_MARK}))
        if shell.replace(UNIT_MARK, escape(unit)) != body_html(body):
            shell = False
        cache[key] = shell
    if shell is False:
        return body_html(body)
    return shell.replace(UNIT_MARK, escape(unit))


def _shells(rule_id: int, cache: dict) -> tuple[str, str]:
    """The text and HTML of the reminder email rendered once per rule around a marker, so that
    a batch of thousands of deliveries renders the templates once, not once per unit."""
    if rule_id not in cache:
        context = {
            "SITE_URL": settings.SITE_URL,
            "SITE_NAME": settings.SITE_NAME,
            "body": MARK,
            "subject": SUBJECT_MARK,
        }
        cache[rule_id] = (
            render_to_string("emails/reminder-body.txt", context),
            render_to_string(
                "emails/reminder-body.html", {**context, "email_subject": SUBJECT_MARK}
            ),
        )
    return cache[rule_id]


def message_for(
    rule: ReminderRule | None, context: dict, cache: dict | None = None
) -> tuple[str, str, str, str, str]:
    """(subject, text, html, notification body, link) of a delivery of ``rule`` (None: the
    weekly digest) with its ``context``. With ``cache``, the reminder templates are rendered
    once per rule (see :func:`_shells`); without, once per message (the reference rendering,
    which gives the same text)."""
    ctx = context
    if rule is None:
        # The weekly or asked-for digest, or a council notice: the template the context names.
        template = ctx.get("template")
        subject, text, html = render_email(
            template if template in RULELESS_TEMPLATES else "weekly-digest", ctx
        )
        return subject, text, html, text, ctx.get("link", "")
    subject = " ".join(fill(rule.subject, ctx).split())
    body = fill(rule.body, ctx)
    if ctx.get("groups") or cache is None:
        _subject, text, html = render_email("reminder", {**ctx, "subject": subject, "body": body})
    else:
        text_shell, html_shell = _shells(rule.pk, cache)
        text = text_shell.replace(MARK, body)
        html = html_shell.replace(SUBJECT_MARK, escape(subject)).replace(
            MARK, _html_body(rule, ctx, body, cache)
        )
    return subject, text, html, text, ctx.get("link", "")
