"""The locustfile of ``python -m benchmarks --http`` (docs/benchmarks.md, "Under load").

Run by the harness in a process of its own (locust patches the standard library with gevent,
which must never happen in the Django process)::

    BENCH_HTTP_PLAN=var/bench/http/plan.json BENCH_HTTP_MIX=officer BENCH_HTTP_OUT=out.json \\
    BENCH_HTTP_WARMUP=5 BENCH_HTTP_SECONDS=60 \\
    .venv/bin/locust -f benchmarks/http_load.py --headless -u 50 -r 50 -t 66s \\
        --host http://127.0.0.1:8000

Each virtual user takes the next plan of the mix (its session and CSRF cookies, its URLs, its
registrations to approve) and plays the mix with no pause until the warm-up and the measured
seconds are over, or until it has sent ``MAX_STEPS_PER_SECOND`` steps per second of the run.
Every answer is recorded (name, start, milliseconds, bytes, error) and written to
``BENCH_HTTP_OUT`` when locust quits; the harness computes the figures from it.
"""

import json
import os
import sys
import time
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# locust put this file's folder first on the path; modules named like the standard library's
# must not be found there.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

from http.cookiejar import DefaultCookiePolicy  # noqa: E402

from locust import FastHttpUser, constant, events, task  # noqa: E402
from locust.exception import StopUser  # noqa: E402

from benchmarks.http_mixes import MIXES, Answer, Transport, VirtualUser, parse_set_cookie  # noqa: E402

MAX_STEPS_PER_SECOND = 200  # per user: far above what one user can send, a bound all the same

PLAN = json.loads(Path(os.environ["BENCH_HTTP_PLAN"]).read_text(encoding="utf-8"))
MIX = MIXES[os.environ["BENCH_HTTP_MIX"]]
OUT = Path(os.environ["BENCH_HTTP_OUT"])
WARMUP = float(os.environ.get("BENCH_HTTP_WARMUP", "5"))
SECONDS = float(os.environ["BENCH_HTTP_SECONDS"])
PLANS = PLAN["mixes"][MIX.name]

RECORDS: list[list] = []
STATE = {"t0": None, "mono0": None, "recycled": 0, "users": 0}
_slots = count()


@events.test_start.add_listener
def _start(**_kwargs):
    STATE["t0"], STATE["mono0"] = time.time(), time.monotonic()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time, **_kw):
    RECORDS.append(
        [
            name,
            request_type,
            start_time,
            response_time,
            response_length or 0,
            str(exception) if exception else "",
        ]
    )


@events.quitting.add_listener
def _write(**_kwargs):
    OUT.write_text(
        json.dumps(
            {
                "mix": MIX.name,
                "t0": STATE["t0"],
                "warmup": WARMUP,
                "seconds": SECONDS,
                "users": STATE["users"],
                "recycled": STATE["recycled"],
                "records": RECORDS,
            }
        ),
        encoding="utf-8",
    )


class _NoCookies(DefaultCookiePolicy):
    """The virtual user keeps its own cookies (sent as a header): locust's jar keeps none."""

    def set_ok(self, cookie, request):
        return False

    def return_ok(self, cookie, request):
        return False


class LocustTransport(Transport):
    def __init__(self, client):
        self.client = client

    def request(self, method, path, *, label, headers, body, check):
        with self.client.request(
            method,
            path,
            name=label,
            headers=headers,
            data=body,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 0:  # no answer at all (refused, reset, timeout)
                response.failure(f"no answer: {getattr(response, 'error', '')}")
                return None
            answer = Answer(
                status=response.status_code,
                location=response.headers.get("location") or "",
                text=response.text or "",
                set_cookies=parse_set_cookie(response.headers.getlist("set-cookie")),
            )
            problem = check(answer)
            if problem:
                response.failure(problem)
            else:
                response.success()
            return answer

    def failure(self, method, label, reason):
        events.request.fire(
            request_type=method,
            name=label,
            response_time=0,
            response_length=0,
            exception=RuntimeError(reason),
            context={},
            start_time=time.time(),
            url="",
            response=None,
        )


class MixUser(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self):
        slot = next(_slots)
        STATE["users"] += 1
        self.client.cookiejar.set_policy(_NoCookies())
        duration = WARMUP + SECONDS
        self.virtual = VirtualUser(
            MIX,
            PLANS[slot % len(PLANS)],
            LocustTransport(self.client),
            origin=PLAN["origin"],
            headers=PLAN.get("headers"),
            deadline=(STATE["mono0"] or time.monotonic()) + duration,
            max_steps=int(MAX_STEPS_PER_SECOND * duration),
            start=slot,
        )

    def on_stop(self):
        STATE["recycled"] += getattr(self, "virtual", None) and self.virtual.recycled or 0

    @task
    def play(self):
        if not self.virtual.iteration():
            raise StopUser()
