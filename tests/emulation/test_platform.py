import datetime
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from emulation.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_ok(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_reports_a_dead_broker(db, client):
    original = (celery_app.conf.broker_url, celery_app.conf.broker_write_url)
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_write_url = original
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("error")


def test_a_form_with_an_outdated_token_gets_a_vietnamese_page(db):
    # A login form opened before the browser got another CSRF cookie (a sign-in in another tab).
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("accounts:login"))
    browser.cookies["csrftoken"] = "x" * 32  # what the other tab left
    login = "http://testserver" + reverse("accounts:login")
    response = browser.post(
        reverse("accounts:login"),
        {"username": "u", "password": "p", "csrfmiddlewaretoken": "y" * 32},
        headers={"Referer": login},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Trang đã cũ" in page
    assert "Không có gì được lưu" in page
    assert f'href="{login}" data-testid="csrf-again"' in page
    assert "verification failed" not in page  # not Django's technical page
    assert '<html lang="vi"' in page
    # A referer from another site is never offered as the way back.
    response = browser.post(
        reverse("accounts:login"),
        {"username": "u", "password": "p"},
        headers={"Referer": "https://evil.example/"},
    )
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_dates_and_numbers_are_vietnamese():
    with translation.override("vi"):
        rendered = Template(
            '{% load humanize_vi %}{{ d|date:"SHORT_DATE_FORMAT" }} {{ d }} {{ n|number }}'
        ).render(Context({"d": datetime.date(2017, 2, 3), "n": 11800000}))
    assert rendered == "03/02/2017 03/02/2017 11.800.000"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"


def _run(env_extra, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DJANGO_TESTING",
            "DATABASE_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k7#x!q2$Lm9@vR4^tZ8&wP1*yN6(eB3)uH5_jC0+fG7=sD2-aQ9~oI4",
    "ALLOWED_HOSTS": "thidua.example.vn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/emulation",
}


def test_production_check_deploy_passes():
    result = _run(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _run(env, "check")
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_sqlite():
    result = _run({**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "check")
    assert result.returncode != 0 and "SQLite" in result.stderr


def test_vietnamese_catalogue_is_complete():
    po = polib.pofile(str(ROOT / "locale/vi/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"No Vietnamese for: {untranslated[:20]} (run scripts/po.py)"
    assert not fuzzy, f"Fuzzy translations: {fuzzy[:20]}"


def test_vietnamese_catalogue_is_up_to_date(tmp_path):
    """Every translatable string of the code and templates is in the catalogue."""
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "static", "node_modules", "staticfiles", "__pycache__"
        ),
    )
    env = {**os.environ, "DJANGO_TESTING": "1"}
    subprocess.run(
        [sys.executable, "scripts/po.py", "update"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/vi/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(ROOT / "locale/vi/LC_MESSAGES/django.po"))}
    assert fresh - committed == set(), "Run: python scripts/po.py update, then fill the new strings"


# How many leading arguments of each gettext function are texts of the catalogue.
GETTEXT_TEXTS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": 2,
    "pgettext_lazy": 2,
    "npgettext": 3,
    "npgettext_lazy": 3,
}


def test_every_translated_text_reaches_the_catalogue():
    """``makemessages`` reads only the literal texts given to the gettext functions, and not
    the expressions inside an f-string's braces: a text translated inside an f-string, or
    passed as a variable, is missing from the catalogue and shows in English. Translate a
    literal, outside the f-string (in a variable, or in a template)."""
    import ast

    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "var", "node_modules", "static"} or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_f_strings = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_TEXTS
            ):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            texts = node.args[: GETTEXT_TEXTS[node.func.id]]
            if id(node) in in_f_strings:
                found.append(f"{where} (inside an f-string)")
            elif not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts):
                found.append(f"{where} (not a literal)")
    assert not found, f"Texts the catalogue cannot collect: {found}"


# One way of writing pages (ARCHITECTURE.md, 10-11): the application's code reads with
# querysets and writes HTML with templates, and keeps nothing in a process. Raw SQL stands only
# where a statement has no queryset form: the counters' upsert and rebuild, the reminder
# dispatch's bulk rows and the health check.
APP_DIRS = ("accounts", "awards", "campaigns", "emulation", "federation")
APP_DIRS += ("registrations", "reminders", "reports")
RAW_SQL_ALLOWED = {
    "emulation/rollups.py",
    "emulation/views.py",
    "reports/rollups.py",
    "reminders/services/dispatch.py",
    "reminders/services/rows.py",
}
# Escapes the plan's text first, then keeps its date ranges on one line in the PDF.
MARKUP_ALLOWED = {"campaigns/documents.py"}
FORBIDDEN = {
    "raw SQL": (r"\.cursor\(|\.execute\(|\.raw\(|RawSQL\(|\.extra\(", RAW_SQL_ALLOWED),
    "HTML written in Python": (r"mark_safe\(|format_html\(|SafeString\(", MARKUP_ALLOWED),
    "state kept in a process": (r"lru_cache|functools\.cache\b|@cache\b|threading\.", set()),
}


def _application_sources():
    for top in APP_DIRS:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("what", sorted(FORBIDDEN))
def test_pages_are_templates_over_querysets(what):
    import re

    pattern, allowed = FORBIDDEN[what]
    found = [
        f"{relative}:{number}: {line.strip()}"
        for relative, text in _application_sources()
        if relative not in allowed
        for number, line in enumerate(text.splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert not found, f"{what} in the application's code:\n" + "\n".join(found)


def test_healthz_tells_the_public_only_ok(db, client):
    response = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    # Through a proxy on this machine, a visitor is still the public.
    response = client.get(reverse("healthz"), HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.json() == {"status": "ok"}


def test_healthz_tells_the_public_only_error_when_broken(db, client):
    original = (celery_app.conf.broker_url, celery_app.conf.broker_write_url)
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9")
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_write_url = original
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_healthz_details_for_staff_from_anywhere(db, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="ops", is_staff=True))
    response = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9")
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    client.force_login(UserFactory(username="plain"))
    response = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9")
    assert response.json() == {"status": "ok"}
