"""``python -m benchmarks``: build the tree, request the pages, print the table."""

import argparse
import os
import re
import sys
import time
import warnings
from pathlib import Path

from benchmarks.database import BenchDatabase, configure_environment
from benchmarks.under_load import DEFAULT_CACHE_URL

FINGERPRINT_VERSION = "v1"
# Issue 2: 130,000 grassroots units must generate in under two minutes.
GENERATION_BUDGET_S = 120


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = 1
    if text.endswith("k"):
        text, factor = text[:-1], 1000
    try:
        value = int(float(text) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("a size must be at least 1")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure the pages and jobs on a generated union tree (see docs/benchmarks.md). "
        "SQLite under var/bench/ by default; PostgreSQL when DATABASE_URL names a server "
        "(the databases emulation_bench_<size> are created and dropped there).",
    )
    parser.add_argument(
        "--sizes",
        default="1000,130000",
        help="comma-separated numbers of grassroots units, e.g. 1000,130k (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="timed requests per page (default: %(default)s)"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed requests first (default: %(default)s)"
    )
    parser.add_argument(
        "--pages",
        default="",
        help="only the pages (and jobs) whose label contains one of these comma-separated words",
    )
    parser.add_argument(
        "--jobs",
        default="",
        help="only the jobs whose label contains one of these words (and no page unless "
        "--pages is given too)",
    )
    parser.add_argument(
        "--wide",
        type=int,
        default=1000,
        help="grassroots units directly under one upper unit, added to each size "
        "(default: %(default)s; 0 leaves that unit out)",
    )
    parser.add_argument(
        "--job-runs",
        type=int,
        default=1,
        help="timed runs of each job (default: %(default)s; each is undone before the next)",
    )
    parser.add_argument("--seed", type=int, default=2017, help="random seed of the tree")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the benchmark databases afterwards and reuse them next time",
    )
    parser.add_argument(
        "--tag",
        default="",
        help="add this to the benchmark databases' names, so that runs at the same time "
        "(e.g. two checkouts, or --keep next to a fresh run) do not share a database",
    )
    parser.add_argument("--output", "-o", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--sql", action="store_true", help="print each page's SQL queries, slowest first"
    )
    http = parser.add_argument_group(
        "under load (HTTP)",
        "real HTTP load against gunicorn with 4 workers (PostgreSQL only; locust in a process "
        "of its own): the officer's and the reviewer's mixes and the floor page, instead of the "
        "pages and jobs",
    )
    http.add_argument("--http", action="store_true", help="measure under load instead")
    http.add_argument(
        "--http-users",
        type=int,
        default=50,
        help="concurrent virtual users per mix (default: %(default)s)",
    )
    http.add_argument(
        "--http-seconds",
        type=float,
        default=60,
        help="measured seconds per mix, after the warm-up (default: %(default)s)",
    )
    http.add_argument(
        "--http-warmup",
        type=float,
        default=5,
        help="seconds of load per mix before measuring (default: %(default)s)",
    )
    http.add_argument(
        "--http-cache-url",
        default=DEFAULT_CACHE_URL,
        help="CACHE_URL of the server (default: %(default)s; the run's keys are deleted after)",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the registered pages, jobs and personas, then stop",
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    if args.tag and not re.fullmatch(r"[a-z0-9_]{1,20}", args.tag):
        parser.error("--tag takes up to 20 lower-case letters, digits or underscores")
    if args.repeat < 1 or args.job_runs < 1 or args.warmup < 0 or args.wide < 0:
        parser.error("--repeat and --job-runs must be at least 1, --warmup and --wide at least 0")
    if args.http_users < 1 or not 0 < args.http_seconds <= 3600 or not 0 <= args.http_warmup <= 600:
        parser.error(
            "--http-users must be at least 1, --http-seconds within 0-3600 and --http-warmup "
            "within 0-600"
        )
    return args


def select(registry, args) -> tuple[list, list]:
    """(pages, jobs) chosen by ``--pages`` and ``--jobs``: ``--pages`` alone filters both,
    ``--jobs`` alone runs only jobs, neither runs everything."""
    pages = registry.select(registry.PAGES, args.pages) if args.pages or not args.jobs else []
    jobs = registry.select(registry.JOBS, args.jobs or args.pages)
    return pages, jobs


def needed_steps(pages, jobs):
    """The setup steps to run: all of them when a page is measured (pages do not say which
    they need), only those the jobs name when only jobs are (None: all)."""
    from benchmarks.scenario import SETUP_STEPS

    if pages or not jobs or any(job.steps is None for job in jobs):
        return None
    names = {name for job in jobs for name in job.steps}
    return [step for step in SETUP_STEPS if step.__name__ in names]


def _run_steps(scenario, steps, *, create: bool) -> None:
    from benchmarks.scenario import run_setup_steps

    if steps is None:
        run_setup_steps(scenario, create=create)
        return
    for step in steps:
        step(scenario, create=create)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    vendor = configure_environment()

    import django

    # WhiteNoise warns that collectstatic has not run; the pages do not need it.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from benchmarks import pages as page_registry
    from benchmarks.measure import PageFailed
    from benchmarks.report import render
    from benchmarks.scenario import PERSONA_HELP

    selected, jobs = ([], []) if args.http else select(page_registry, args)
    if args.list:
        for page in page_registry.PAGES:
            print(f"{page.label}  [{page.persona}]")
        for job in page_registry.JOBS:
            print(f"{job.label}  [job]")
        for persona, help_text in PERSONA_HELP.items():
            print(f"persona {persona}: {help_text}")
        return 0
    if args.http and vendor != "postgresql":
        say("--http runs on PostgreSQL only: set DATABASE_URL=postgres://... (see --help).")
        return 2
    if not selected and not jobs and not args.http:
        say(f"No page or job matches {args.pages or args.jobs!r}; see --list.")
        return 2

    results = []
    try:
        for size in args.sizes:
            results.append(run_size(vendor, size, (selected, jobs), args))
    except PageFailed as exc:
        say(f"FAILED: {exc}")
        return 1
    table = render(results, vendor=vendor, repeat=args.repeat, warmup=args.warmup)
    print(table)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(table + "\n", encoding="utf-8")
        say(f"Written to {args.output}")
    return 0


def run_size(vendor: str, size: int, chosen, args):
    """Build (or reuse) the database of one tree size, measure every page and job, drop it."""
    from benchmarks.report import SizeResult
    from benchmarks.scenario import setup_fingerprint

    label = f"{size}" if args.wide == 1000 else f"{size}_w{args.wide}"
    if args.tag:
        label += f"_{args.tag}"
    db = BenchDatabase(vendor, label)
    fingerprint = (
        f"{FINGERPRINT_VERSION} grassroots={size} wide={args.wide} seed={args.seed} "
        f"{setup_fingerprint()}"
    )
    only = needed_steps(*chosen)
    if only is not None:
        fingerprint += " only=" + ",".join(step.__name__ for step in only)
    result = SizeResult(grassroots=size, wide_children=args.wide, database=db.name)
    say(f"[{size:,}] database {db}")
    if args.keep and db.exists():
        db.activate()
        accepted = {fingerprint}
        if args.http:  # a database the load ran on before is prepared again
            from benchmarks.under_load import HTTP_MARK

            accepted.add(fingerprint + HTTP_MARK)
        result.reused = db.read_fingerprint() in accepted
    if not result.reused:
        db.create()
    try:
        build_and_measure(db, result, size, chosen, args, fingerprint)
    finally:
        if args.keep:
            from django.db import connections

            connections["default"].close()
        else:
            db.drop()
    return result


def build_and_measure(db, result, size: int, chosen, args, fingerprint: str) -> None:
    """Migrate, generate the tree unless it was kept, then time the floors, the pages and the
    jobs."""
    from django.core.management import call_command

    from benchmarks.measure import logged_in_client, measure, measure_job
    from benchmarks.pages import floor_page
    from benchmarks.report import database_version
    from benchmarks.scenario import PERSONAS, create_personas, load_scenario
    from benchmarks.tree import generate_tree
    from federation.models import Organization

    selected, jobs = chosen
    only = needed_steps(selected, jobs)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    result.generation["migrate"] = time.perf_counter() - started
    result.database_version = database_version()

    if result.reused:
        say(f"[{size:,}] reusing the kept tree")
    else:
        say(f"[{size:,}] generating {size:,} + {args.wide:,} grassroots units ...")
        stats = generate_tree(size, wide_children=args.wide, seed=args.seed)
        result.generation["plan"] = stats.seconds_plan
        result.generation["insert"] = stats.seconds_insert
        say(
            f"[{size:,}] {stats.units:,} units in {stats.seconds:.1f} s "
            f"(plan {stats.seconds_plan:.1f} s, insert {stats.seconds_insert:.1f} s)"
        )
        if stats.seconds > GENERATION_BUDGET_S * max(1, size / 130_000):
            say(f"[{size:,}] WARNING: slower than {GENERATION_BUDGET_S} s per 130,000 units")
        started = time.perf_counter()
        create_personas()
        _run_steps(load_scenario(), only, create=True)
        result.generation["personas"] = time.perf_counter() - started
        db.analyze()
        db.write_fingerprint(fingerprint)
    result.units = Organization.objects.count()

    scenario = load_scenario()
    _run_steps(scenario, only, create=False)
    if args.http:
        from benchmarks import under_load

        # The load changes registrations: a kept database is for --http only from now on.
        db.write_fingerprint(fingerprint + under_load.HTTP_MARK)
        result.http = under_load.run(db, scenario, args)
        return
    load_before = os.getloadavg()[0]
    personas = [p for p in PERSONAS if any(page.persona == p for page in selected)]
    clients = {p: logged_in_client(scenario.users[p]) for p in personas}
    for persona in personas:
        floor = measure(
            clients[persona],
            floor_page(persona),
            scenario,
            repeat=args.repeat,
            warmup=args.warmup,
        )
        result.floors[persona] = floor
        say(f"[{size:,}] floor as {persona}: p50 {floor.p50:.1f} ms")
    for page in selected:
        m = measure(
            clients[page.persona],
            page,
            scenario,
            repeat=args.repeat,
            warmup=args.warmup,
            floor=floor_page(page.persona),
        )
        result.pages.append(m)
        say(
            f"[{size:,}] {page.label} as {page.persona}: p50 {m.p50:.1f} ms, "
            f"p95 {m.p95:.1f} ms, {m.queries} queries"
        )
        if args.sql:
            for q in sorted(m.captured, key=lambda q: -float(q["time"])):
                say(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql']}")
    for job in jobs:
        say(f"[{size:,}] {job.label}: preparing ...")
        m = measure_job(
            job,
            scenario,
            runs=args.job_runs,
            sql=args.sql,
            progress=lambda text, job=job: say(f"[{size:,}] {job.label}: {text}"),
        )
        result.jobs.append(m)
        steps = ", ".join(
            f"{name} {m.median(name):.2f} s ({m.runs[-1].steps[name].queries} queries)"
            for name in m.step_names
        )
        say(f"[{size:,}] {job.label}: {steps}; prepared in {m.prepare_seconds:.1f} s; {m.notes}")
        if args.sql:
            for name in m.step_names:
                captured = m.runs[-1].steps[name].captured
                for q in sorted(captured, key=lambda q: -float(q["time"]))[:40]:
                    say(f"    {name}: {float(q['time']) * 1000:7.1f} ms  {q['sql']}")
    result.load = (load_before, os.getloadavg()[0])
