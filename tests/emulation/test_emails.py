"""Every HTML email names its language and carries its subject as its title, whichever way it is
rendered (an invitation, a password reset, a reminder alone or in a batch, the weekly digest),
and is valid HTML for the Nu HTML checker when it is installed."""

import re
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from emulation.mail import render_email
from reminders.services import rendering
from tests.e2e.pagecheck import vnu_jar, vnu_missing

pytestmark = pytest.mark.django_db


def _emails(world, client):
    """(name, subject, html) of each kind of email."""
    emails = []
    subject, _text, html = render_email(
        "invitation", {"user": world.officer_a, "link": "https://thidua.example.vn/x/"}
    )
    emails.append(("invitation", subject, html))
    mail.outbox.clear()
    client.post(reverse("accounts:password_reset"), {"email": world.officer_a.email})
    message = mail.outbox[-1]
    emails.append(("password-reset", message.subject, message.alternatives[0][0]))
    subject, _text, html = render_email(
        "reminder", {"subject": "Nhắc hạn <đăng ký> & báo cáo", "body": "Kính gửi đơn vị."}
    )
    emails.append(("reminder", subject, html))
    # A batch renders the template once around markers, then fills each message in.
    cache = {}
    shell_subject = "Nhắc hạn của “Alpha” & co"
    text_shell, html_shell = rendering._shells(-1, cache)
    html = html_shell.replace(rendering.SUBJECT_MARK, rendering.escape(shell_subject))
    emails.append(("reminder-batched", shell_subject, html.replace(rendering.MARK, "Nội dung.")))
    subject, _text, html = render_email(
        "weekly-digest",
        {"campaign": "Phong trào 2026", "week_start": "01/06", "week_end": "07/06", "rows": []},
    )
    emails.append(("weekly-digest", subject, html))
    return emails


def test_every_email_names_its_language_and_has_its_subject_as_title(world, client):
    for name, subject, html in _emails(world, client):
        assert re.match(r'<!doctype html><html lang="vi"><head><meta charset="utf-8">', html), name
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        escaped = subject.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert title == escaped.replace('"', "&quot;").replace("'", "&#x27;"), name
        assert title.strip(), name


def test_every_email_is_valid_html(world, client, tmp_path):
    missing = vnu_missing()
    if missing:
        pytest.skip(missing)
    files = []
    for name, _subject, html in _emails(world, client):
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    run = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
