"""``python -m benchmarks --http``: the server, gunicorn with production settings on the
benchmark database, and its static files (see ``benchmarks/under_load.py``)."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.database import BASE_DIR, BENCH_DIR

HTTP_DIR = BENCH_DIR / "http"
VENV_BIN = Path(sys.executable).parent
WORKERS = 4
START_TIMEOUT_S = 60  # gunicorn must answer within this
STOP_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(database_name: str, cache_url: str, cache_prefix: str) -> dict:
    """Production settings on the benchmark database (the process's own settings give the
    secret key: the sessions created here must be read there)."""
    from django.conf import settings

    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database_name}").geturl()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "CELERY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.http_settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": url,
            "CACHE_URL": cache_url,
            "BENCH_CACHE_PREFIX": cache_prefix,
            # Nothing is queued by the mixes; Redis rather than files in var/ all the same.
            "CELERY_BROKER_URL": cache_url,
            "BENCH_STATIC_ROOT": str(HTTP_DIR / "static"),
            "BENCHMARK": "1",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    return env


def _static_digest() -> str:
    """What the collected files depend on: the project's static files (names, sizes, times)
    and the versions of Django and whitenoise (the admin's files, the compression)."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha1(f"{version('Django')} {version('whitenoise')}".encode())
    for folder in sorted([BASE_DIR / "static", *BASE_DIR.glob("*/static")]):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(BASE_DIR)} {stat.st_size} {stat.st_mtime_ns}".encode()
            )
    return digest.hexdigest()


def collect_static(env: dict) -> float:
    """``collectstatic`` into the benchmark's folder, as a deployment does (compressed copies
    and the manifest); skipped when the files have not changed since the last run."""
    started = time.perf_counter()
    root = Path(env["BENCH_STATIC_ROOT"])
    stamp = root / ".bench-digest"
    digest = _static_digest()
    if (root / "staticfiles.json").exists() and stamp.exists() and stamp.read_text() == digest:
        return 0.0
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=600,
    )
    stamp.write_text(digest)
    return time.perf_counter() - started


class Gunicorn:
    """gunicorn with ``WORKERS`` sync workers on 127.0.0.1:``port``; a context manager that
    stops it (TERM, then KILL after ``STOP_TIMEOUT_S``)."""

    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "emulation.wsgi:application",
                    "--workers",
                    str(WORKERS),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    # As the README's production command: each worker recycled after about
                    # a thousand requests.
                    "--max-requests",
                    "1000",
                    "--max-requests-jitter",
                    "100",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "10",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log}:\n{self.tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                connection.getresponse().read()
                connection.close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT_S} s; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers, the recycled ones included (as they are
        waited for, the master's children's time)."""
        if self.process is None:
            return 0.0
        total = 0.0
        for stat in _proc_stats():
            pid, ppid, own, children = stat
            if pid == self.process.pid:
                total += own + children
            elif ppid == self.process.pid:
                total += own
        return total

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __exit__(self, *exc):
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only what it started
            process.wait(timeout=STOP_TIMEOUT_S)


def _proc_stats():
    """(pid, parent pid, own CPU s, waited-for children's CPU s) of each process (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (name) "
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        yield int(entry.name), int(fields[1]), (utime + stime) / ticks, (cutime + cstime) / ticks
