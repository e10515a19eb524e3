"""``python -m benchmarks --http``: real HTTP load against gunicorn (docs/benchmarks.md,
"Under load").

The harness has built (or kept) the benchmark database on PostgreSQL. This module

1. prepares what the mixes need (:func:`prepare`, in ``benchmarks/http_prepare.py``): one
   officer per grassroots union for the officer's mix, leaders of the unit with 1,000
   grassroots units below for the reviewer's mix, the registrations they approve, and a session
   for each of them created server-side (no login form, so django-axes never counts anything),
   with a CSRF cookie;
2. collects the static files and starts gunicorn with 4 workers on a free port of 127.0.0.1,
   with production settings (``DJANGO_ENV=production``, DEBUG off, whitenoise, the cache in
   Redis; ``benchmarks/http_settings.py``; the server in ``benchmarks/http_server.py``);
3. plays each mix once through a plain HTTP client (:func:`preflight`: a page that fails says so
   before the load), then runs locust headless in a process of its own for each mix and for the
   floor page (``benchmarks/http_load.py``), each for ``--http-seconds`` after a warm-up;
4. stops gunicorn and computes the figures from every answer locust recorded.

The mixes themselves (the steps and how a browser plays them) are in
``benchmarks/http_mixes.py``.
"""

import http.client
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.database import BASE_DIR
from benchmarks.http_mixes import (
    FLOOR,
    MIXES,
    OFFICER,
    RECYCLE_REOPEN,
    RECYCLE_SUBMIT,
    REVIEWER,
    Answer,
    Transport,
    VirtualUser,
    parse_set_cookie,
)
from benchmarks.http_prepare import Prepared, prepare, split_plan
from benchmarks.http_server import (
    HTTP_DIR,
    VENV_BIN,
    WORKERS,
    Gunicorn,
    collect_static,
    free_port,
    server_environment,
)

DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/12"
# A kept database on which --http ran carries this after its fingerprint: the load changed
# registrations, so the page benchmarks rebuild it, while --http reuses it (it prepares again).
HTTP_MARK = " +http"
ORDER = (FLOOR, OFFICER, REVIEWER)  # the floor first, then the mixes


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The preflight: each mix played once by one user through a plain HTTP client.


class PlainTransport(Transport):
    """One request at a time with ``http.client`` (no redirect followed); problems listed."""

    def __init__(self, port: int):
        self.port = port
        self.problems: list[str] = []
        self.sent = 0

    def request(self, method, path, *, label, headers, body, check):
        self.sent += 1
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(
                method, path, body=body.encode() if body is not None else None, headers=headers
            )
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            answer = Answer(
                status=response.status,
                location=response.getheader("Location") or "",
                text=text,
                set_cookies=parse_set_cookie(response.headers.get_all("Set-Cookie") or []),
            )
        except OSError as exc:
            self.problems.append(f"{label} ({method} {path}): {exc}")
            return None
        finally:
            connection.close()
        problem = check(answer)
        if problem:
            self.problems.append(f"{label} ({method} {path}): {problem}")
        return answer

    def failure(self, method, label, reason):
        self.problems.append(f"{label} ({method}): {reason}")


def preflight(plan: dict, port: int) -> dict[str, list[str]]:
    """Each mix once, by its spare user: the problems of each mix (empty lists when all is
    well)."""
    problems = {}
    for mix in ORDER:
        transport = PlainTransport(port)
        user = VirtualUser(
            mix,
            plan["mixes"][mix.name][0],
            transport,
            origin=plan["origin"],
            headers=plan.get("headers"),
            deadline=time.monotonic() + 120,
            max_steps=len(mix.steps),
        )
        user.iteration()
        problems[mix.name] = transport.problems
    return problems


# ---------------------------------------------------------------------------------------------
# The load, and its figures.


@dataclass
class StepFigures:
    label: str
    method: str
    samples_ms: list[float] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0

    @property
    def answers(self) -> int:
        return len(self.samples_ms)

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)


@dataclass
class MixFigures:
    name: str
    label: str
    users: int
    seconds: float
    steps: dict[str, StepFigures] = field(default_factory=dict)
    recycled: int = 0
    error_reasons: Counter = field(default_factory=Counter)
    # Over the whole run (warm-up included): every right answer, and the CPU seconds the
    # server (gunicorn's processes; not PostgreSQL) and the load generator used.
    all_answers: int = 0
    server_cpu_s: float = 0.0
    locust_cpu_s: float = 0.0

    @property
    def cpu_ms_per_answer(self) -> float:
        return 1000 * self.server_cpu_s / self.all_answers if self.all_answers else 0.0

    @property
    def samples_ms(self) -> list[float]:
        return [s for step in self.steps.values() for s in step.samples_ms]

    @property
    def answers(self) -> int:
        return sum(step.answers for step in self.steps.values())

    @property
    def errors(self) -> int:
        return sum(step.errors for step in self.steps.values())

    @property
    def per_second(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)


def percentile(samples: list[float], p: float) -> float:
    """The nearest-rank percentile (the harness's p95: the value 95 % of samples do not pass)."""
    if not samples:
        return 0.0
    if p == 50:
        return statistics.median(samples)
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def figures(output: dict, mix_label: str) -> MixFigures:
    """The figures of one run of locust from its recorded answers: those that ended in the
    measured window (after the warm-up, up to the end of ``seconds``). An answer that failed
    its check counts as an error, not as an answer, and its time is left out."""
    t0, warmup, seconds = output["t0"], output["warmup"], output["seconds"]
    start, end = t0 + warmup, t0 + warmup + seconds
    result = MixFigures(
        output["mix"], mix_label, output["users"], seconds, recycled=output.get("recycled", 0)
    )
    for name, method, started, ms, size, error in output["records"]:
        result.all_answers += not error
        ended = started + ms / 1000
        if not (start <= ended <= end):
            continue
        step = result.steps.setdefault(name, StepFigures(name, method))
        if error:
            step.errors += 1
            result.error_reasons[f"{name}: {error}"] += 1
        else:
            step.samples_ms.append(ms)
            step.bytes += size
    return result


def run_locust(mix, plan_path: Path, port: int, *, users: int, seconds: float, warmup: float):
    out = HTTP_DIR / f"locust-{mix.name}-{os.getpid()}.json"
    out.unlink(missing_ok=True)
    run_time = int(warmup + seconds + 1.999)
    env = {
        **os.environ,
        "BENCH_HTTP_PLAN": str(plan_path),
        "BENCH_HTTP_MIX": mix.name,
        "BENCH_HTTP_OUT": str(out),
        "BENCH_HTTP_WARMUP": str(warmup),
        "BENCH_HTTP_SECONDS": str(seconds),
    }
    log = HTTP_DIR / f"locust-{mix.name}.log"
    with open(log, "wb") as stream:
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(BASE_DIR / "benchmarks" / "http_load.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{run_time}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{port}",
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
                "MixUser",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
            timeout=run_time + 120,
            check=False,
        )
    if not out.exists():
        raise RuntimeError(f"locust wrote no results for {mix.name}; see {log}")
    output = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return figures(output, mix.label)


def _children_cpu() -> float:
    """CPU seconds of this process's waited-for children (locust, once it has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def clear_cache(cache_url: str, prefix: str) -> int:
    """Delete the keys this run wrote in Redis (only those: other people use that server)."""
    import redis

    client = redis.Redis.from_url(cache_url)
    deleted = 0
    for _ in range(10_000):  # bounded: SCAN pages of 1,000
        keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))[:1000]
        if not keys:
            break
        deleted += client.delete(*keys)
    return deleted


@dataclass
class HttpResult:
    users: int
    seconds: float
    warmup: float
    workers: int = WORKERS
    prepared: Prepared | None = None
    mixes: list[MixFigures] = field(default_factory=list)
    preflight: dict[str, list[str]] = field(default_factory=dict)
    static_seconds: float = 0.0
    prepare_seconds: float = 0.0
    cache: str = ""
    load: tuple[float, float] = (0.0, 0.0)


def run(db, scenario, args) -> HttpResult:
    """Prepare, start gunicorn, play the preflight and the mixes, stop gunicorn."""
    result = HttpResult(users=args.http_users, seconds=args.http_seconds, warmup=args.http_warmup)
    HTTP_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result.prepared = prepare(scenario, users=args.http_users)
    result.prepare_seconds = time.perf_counter() - started
    say(
        f"[http] prepared in {result.prepare_seconds:.1f} s: {args.http_users} users per mix, "
        f"{result.prepared.approvable:,} registrations to approve, "
        f"{result.prepared.changed:,} registrations set to their starting state"
    )
    prefix = f"bench-http-{os.getpid()}-{secrets.token_hex(4)}"
    env = server_environment(db.name, args.http_cache_url, prefix)
    result.cache = args.http_cache_url
    result.static_seconds = collect_static(env)
    port = free_port()
    plan = dict(result.prepared.plan)
    plan["origin"] = f"https://127.0.0.1:{port}"  # behind a TLS proxy, as in production
    plan["headers"] = {"X-Forwarded-Proto": "https"}
    load_plan, first = split_plan(plan, args.http_users)
    plan_path = HTTP_DIR / f"plan-{os.getpid()}.json"
    plan_path.write_text(json.dumps(load_plan), encoding="utf-8")
    plan_path.chmod(0o600)
    from django.db import connections

    connections.close_all()  # the server's workers have the database to themselves
    result.load = (os.getloadavg()[0], 0.0)
    try:
        with Gunicorn(env, port, HTTP_DIR / "gunicorn.log") as server:
            say(f"[http] gunicorn: {WORKERS} workers on 127.0.0.1:{port}")
            result.preflight = preflight(first, port)
            for name, problems in result.preflight.items():
                for problem in problems:
                    say(f"[http] preflight, {name}: {problem}")
            for mix in ORDER:
                say(
                    f"[http] {mix.label}: {args.http_users} users, "
                    f"{args.http_warmup:g} s warm-up + {args.http_seconds:g} s ..."
                )
                server_cpu = server.cpu_seconds()
                locust_cpu = _children_cpu()
                m = run_locust(
                    mix,
                    plan_path,
                    port,
                    users=args.http_users,
                    seconds=args.http_seconds,
                    warmup=args.http_warmup,
                )
                m.server_cpu_s = server.cpu_seconds() - server_cpu
                m.locust_cpu_s = _children_cpu() - locust_cpu
                result.mixes.append(m)
                say(
                    f"[http] {mix.label}: {m.per_second:.1f} answers/s, p50 {m.p50:.0f} ms, "
                    f"p95 {m.p95:.0f} ms, {m.errors} errors; server CPU "
                    f"{m.cpu_ms_per_answer:.1f} ms per answer, locust CPU {m.locust_cpu_s:.1f} s"
                )
                for reason, n in m.error_reasons.most_common(5):
                    say(f"    {n} x {reason}")
            if server.process.poll() is not None:
                say(f"[http] gunicorn stopped during the run:\n{server.tail()}")
    finally:
        plan_path.unlink(missing_ok=True)
        result.load = (result.load[0], os.getloadavg()[0])
        try:
            clear_cache(args.http_cache_url, prefix)
        except Exception as exc:  # noqa: BLE001 - a report, not a failure
            say(f"[http] could not clear the cache keys {prefix}*: {exc}")
    return result


# ---------------------------------------------------------------------------------------------
# The tables.


def mixes_table(result: HttpResult) -> list[str]:
    floor = next((m for m in result.mixes if m.name == FLOOR.name), None)
    lines = [
        "| Mix | Users | Answers | Answers/s | × floor | p50 ms | p95 ms | Errors | "
        "Server CPU ms/answer |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in result.mixes:
        if m is floor or not floor or not m.per_second:
            ratio = "1.0" if m is floor else "—"
        else:
            ratio = f"{floor.per_second / m.per_second:.1f}"
        label = f"*{m.label}*" if m is floor else m.label
        lines.append(
            f"| {label} | {m.users} | {m.answers:,} | {m.per_second:.1f} | {ratio} | "
            f"{m.p50:.0f} | {m.p95:.0f} | {m.errors:,} | {m.cpu_ms_per_answer:.1f} |"
        )
    return lines


def steps_table(result: HttpResult) -> list[str]:
    lines = [
        "| Mix | Request | Answers | p50 ms | p95 ms | Errors | KB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for m in result.mixes:
        mix = MIXES[m.name]
        order = [s.label for s in mix.steps] + [RECYCLE_REOPEN, RECYCLE_SUBMIT]
        names = sorted(m.steps, key=lambda n: order.index(n) if n in order else len(order))
        for i, name in enumerate(names):
            s = m.steps[name]
            kb = s.bytes / s.answers / 1024 if s.answers else 0
            lines.append(
                f"| {m.label if i == 0 else ''} | {name} | {s.answers:,} | {s.p50:.0f} | "
                f"{s.p95:.0f} | {s.errors:,} | {kb:.0f} |"
            )
    return lines


def render(result: HttpResult) -> list[str]:
    prepared = result.prepared
    out = [
        f"- {result.users} virtual users per mix (locust, headless, no pause between requests), "
        f"{result.warmup:g} s of warm-up then {result.seconds:g} s measured; gunicorn with "
        f"{result.workers} sync workers on 127.0.0.1, DJANGO_ENV=production (DEBUG off, static "
        f"files by whitenoise), cache {result.cache}; the load generator runs on the same "
        "machine. × floor is the floor's answers/s over the mix's. Server CPU: the CPU time "
        "of gunicorn's processes (not PostgreSQL's) over the whole run, warm-up included, per "
        "right answer of that run.",
    ]
    if prepared:
        out.append(
            f"- Officers of {prepared.officer_units} grassroots unions "
            f"({prepared.report_forms} of them may report on the open phase); "
            f"{prepared.approvable:,} registrations awaiting approval at the start, shared out "
            f"among the reviewers; preparation {result.prepare_seconds:.1f} s, collectstatic "
            f"{result.static_seconds:.1f} s."
        )
    out += ["", *mixes_table(result), "", *steps_table(result), ""]
    locust = ", ".join(f"{m.label} {m.locust_cpu_s:.1f} s" for m in result.mixes)
    out.append(f"CPU time of the load generator (locust): {locust}.")
    recycled = sum(m.recycled for m in result.mixes)
    if recycled:
        out.append(
            f"Registrations reopened and submitted again to be approved once more: {recycled:,}."
        )
    problems = [f"- {name}: {p}" for name, ps in result.preflight.items() for p in ps]
    if problems:
        out += ["", "Preflight (each mix played once before the load) found:", "", *problems]
    for m in result.mixes:
        if m.error_reasons:
            out += ["", f"Errors of the {m.label}:", ""]
            out += [f"- {n} × {reason}" for reason, n in m.error_reasons.most_common(8)]
    out += [
        "",
        f"Load average (1 min): {result.load[0]:.2f} before, {result.load[1]:.2f} after.",
        "",
    ]
    return out
