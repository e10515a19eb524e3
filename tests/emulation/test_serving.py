"""The demo is served as production serves it: DEBUG off unless asked, the Vietnamese error
pages, static files through whitenoise, on the port the user chooses."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[2]
# What a developer's shell would not have: the test run's own settings.
TEST_ONLY = (
    "DJANGO_TESTING",
    "DEBUG",
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ENV",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SITE_URL",
)


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(extra)
    return env


def _setting(name, **extra):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            f"from django.conf import settings; print(settings.{name})",
        ],
        cwd=ROOT,
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_debug_is_off_unless_asked():
    assert _setting("DEBUG") == "False"
    assert _setting("DEBUG", DEBUG="1") == "True"
    hosts = _setting("ALLOWED_HOSTS")
    assert "'127.0.0.1'" in hosts and "'localhost'" in hosts


@pytest.fixture
def no_debug(settings):
    settings.DEBUG = False
    return settings


def _vietnamese_page(response):
    page = response.content.decode()
    assert '<html lang="vi"' in page
    assert "URLconf" not in page and "Traceback" not in page  # not Django's technical pages
    return page


def test_an_unknown_address_answers_the_vietnamese_404(db, client, no_debug):
    page = _vietnamese_page(client.get("/khong-co-trang-nay/"))
    assert "Không tìm thấy trang" in page
    assert "/static/css/app.css" in page


def test_a_page_outside_the_branch_answers_the_vietnamese_404(world, client, no_debug):
    client.force_login(world.officer_b)
    response = client.get(reverse("federation:unit-detail", kwargs={"pk": world.unit_a.pk}))
    assert response.status_code == 404
    page = _vietnamese_page(response)
    assert "Không tìm thấy trang" in page
    assert "nằm ngoài phạm vi của bạn" in page
    assert world.unit_a.name not in page
    assert 'data-testid="user-menu"' in page  # the menu of a signed-in person is kept


def test_a_forbidden_action_answers_the_vietnamese_403(world, client, no_debug):
    client.force_login(world.officer_a)
    response = client.get(reverse("federation:unit-edit", kwargs={"pk": world.unit_a.pk}))
    assert response.status_code == 403
    assert "Không được phép" in _vietnamese_page(response)


@pytest.mark.urls("tests.emulation.urls_failing")
def test_a_failing_page_answers_the_vietnamese_500(db, no_debug):
    response = Client(raise_request_exception=False).get("/failing/")
    assert response.status_code == 500
    page = _vietnamese_page(response)
    assert "Lỗi hệ thống" in page and 'data-testid="error-500"' in page
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page


def test_the_error_pages_render_without_a_request():
    """Django renders 500.html and 400.html with no request and no context processors."""
    for name, text in (("500.html", "Lỗi hệ thống"), ("400.html", "Yêu cầu không hợp lệ")):
        page = loader.get_template(name).render()
        assert text in page and '<html lang="vi">' in page and "/static/css/app.css" in page
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Lỗi hệ thống" in response.content.decode()


def test_a_foreign_host_answers_the_vietnamese_400(db, client, no_debug):
    response = client.get("/accounts/login/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in _vietnamese_page(response)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # a loaded machine is slow
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_the_development_server_serves_as_production(tmp_path):
    """``make run``'s server, DEBUG off: pages, static files through whitenoise (no collecting
    step), the Vietnamese 404, on the port asked for."""
    port = _free_port()
    env = _env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded machine starts Django slowly
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        status, _headers, page = _get(base + "/accounts/login/")
        assert status == 200 and "Đăng nhập" in page
        assert 'href="/static/css/app.css"' in page
        for asset, kind in (
            ("/static/css/app.css", "text/css"),
            ("/static/vendor/bootstrap/bootstrap.bundle.min.js", "javascript"),
            ("/static/admin/css/base.css", "text/css"),
        ):
            status, headers, _body = _get(base + asset)
            assert status == 200, asset
            assert kind in headers["Content-Type"]
            assert "max-age" in headers.get("Cache-Control", "")  # whitenoise's answer
        status, _headers, page = _get(base + "/khong-co-trang-nay/")
        assert status == 404 and "Không tìm thấy trang" in page and "URLconf" not in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_run_dev_refuses_a_port_that_is_not_a_number():
    result = subprocess.run(
        ["bash", "scripts/run-dev.sh"],
        cwd=ROOT,
        env=_env(PORT="80a"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "PORT" in result.stderr
