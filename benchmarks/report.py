"""Markdown tables of the results and a description of the machine they were measured on."""

import os
import platform
import sqlite3
import sys
from dataclasses import dataclass, field

from benchmarks.measure import JobMeasurement, Measurement
from benchmarks.pages import FLOOR


@dataclass
class SizeResult:
    grassroots: int
    wide_children: int
    database: str
    database_version: str = ""
    units: int = 0
    generation: dict[str, float] = field(default_factory=dict)  # step -> seconds
    reused: bool = False
    floors: dict[str, Measurement] = field(default_factory=dict)  # persona -> floor
    pages: list[Measurement] = field(default_factory=list)
    jobs: list[JobMeasurement] = field(default_factory=list)
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after measuring
    http: object | None = None  # benchmarks.under_load.HttpResult under --http


def _n(value: int) -> str:
    return f"{value:,}"


def database_version() -> str:
    """The database's name and version (call it while the benchmark database exists)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]} (local server, same machine)"
    return f"SQLite {sqlite3.sqlite_version}"


def machine_lines(database: str) -> list[str]:
    import django

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
    except OSError:
        pass
    ram = "unknown"
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            kib = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
            ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- Machine: {os.cpu_count()} CPU ({cpu}), {ram} RAM, {platform.system()} "
        f"{platform.release()}; load average at the end of the run {load} (1/5/15 min)",
        f"- Python {sys.version.split()[0]}, Django {django.get_version()}, database: {database}",
    ]


def generation_table(results: list[SizeResult]) -> list[str]:
    lines = [
        "| Grassroots units | Units in the tree | Migrate (s) | Plan the tree (s) | "
        "Bulk insert (s) | Tree total (s) | Personas and setup steps (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        g = r.generation
        grassroots = _n(r.grassroots) + (f" + {_n(r.wide_children)}" if r.wide_children else "")
        if r.reused:
            lines.append(
                f"| {grassroots} | {_n(r.units)} | {g.get('migrate', 0):.1f} | kept (--keep) "
                "| | | |"
            )
            continue
        lines.append(
            f"| {grassroots} | {_n(r.units)} | {g.get('migrate', 0):.1f} | {g['plan']:.1f} | "
            f"{g['insert']:.1f} | **{g['plan'] + g['insert']:.1f}** | {g['personas']:.2f} |"
        )
    return lines


def pages_table(result: SizeResult) -> list[str]:
    lines = [
        "| Page | Persona | p50 ms | p95 ms | × floor | SQL queries | SQL ms | KB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for persona, m in result.floors.items():
        lines.append(_row(m, persona, None))
    for m in result.pages:
        floor = m.floor_p50 or result.floors[m.page.persona].p50
        lines.append(_row(m, m.page.persona, floor))
    return lines


def _row(m: Measurement, persona: str, floor_p50: float | None) -> str:
    ratio = f"{m.p50 / floor_p50:.1f}" if floor_p50 else "1.0"
    label = f"*{FLOOR}*" if floor_p50 is None else m.page.label
    return (
        f"| {label} | {persona} | {m.p50:.1f} | {m.p95:.1f} | {ratio} | {m.queries} | "
        f"{m.sql_ms:.1f} | {m.size_bytes / 1024:.0f} |"
    )


def jobs_table(result: SizeResult) -> list[str]:
    """One line per step of each job: median seconds over its runs, the fastest and slowest,
    its SQL queries and their time (of the last run), and what the job noted."""
    lines = [
        "| Job | Step | Runs | Median s | Min s | Max s | SQL queries | SQL s | Figures |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in result.jobs:
        for i, name in enumerate(m.step_names):
            seconds = m.seconds(name)
            last = m.runs[-1].steps[name]
            notes = ""
            if i == 0:
                notes = ", ".join(
                    f"{k} {_n(v) if isinstance(v, int) else v}" for k, v in m.notes.items()
                )
            lines.append(
                f"| {m.job.label if i == 0 else ''} | {name} | {len(seconds)} | "
                f"{m.median(name):.2f} | {min(seconds):.2f} | {max(seconds):.2f} | "
                f"{last.queries} | {last.sql_seconds:.2f} | {notes} |"
            )
    return lines


def query_growth(results: list[SizeResult]) -> list[str]:
    """Pages and job steps whose number of queries differs between tree sizes."""
    counts: dict[tuple[str, str], dict[int, int]] = {}
    for r in results:
        for m in r.pages:
            counts.setdefault((m.page.label, m.page.persona), {})[r.grassroots] = m.queries
        for j in r.jobs:
            for name in j.step_names:
                queries = j.runs[-1].steps[name].queries
                counts.setdefault((f"{j.job.label}, {name}", "job"), {})[r.grassroots] = queries
    lines = []
    for (label, persona), by_size in counts.items():
        if len(set(by_size.values())) > 1:
            detail = ", ".join(f"{q} at {_n(size)}" for size, q in by_size.items())
            lines.append(f"- {label} ({persona}): {detail}")
    return lines


def render(results: list[SizeResult], *, vendor: str, repeat: int, warmup: int) -> str:
    out = [f"## Results on {'PostgreSQL' if vendor == 'postgresql' else 'SQLite'}", ""]
    out += machine_lines(results[0].database_version if results else vendor)
    if results and all(r.http is not None for r in results):
        return "\n".join(out + http_sections(results))
    out += [
        f"- {repeat} timed requests per page after {warmup} warm-up requests, Django test "
        "client through the full middleware, DEBUG off; SQL queries counted on one more request. "
        "Each timed request follows a timed request of the floor page by the same persona; "
        "× floor is the page's p50 over the p50 of those floor requests.",
        "",
        "### Tree generation",
        "",
        *generation_table(results),
        "",
    ]
    for r in results:
        out += [
            f"### {_n(r.grassroots)} grassroots units"
            + (f" + {_n(r.wide_children)} under one upper unit" if r.wide_children else "")
            + f" ({_n(r.units)} units in the tree)",
            "",
            *(pages_table(r) if r.pages or r.floors else []),
            *(["", *jobs_table(r)] if r.jobs else []),
            "",
            f"Load average (1 min) while measuring: {r.load[0]:.2f} before, {r.load[1]:.2f} "
            "after; other processes on the machine make the p95 noisy.",
            "",
        ]
    if len(results) > 1:
        growth = query_growth(results)
        out += ["### Query counts across sizes", ""]
        out += growth or ["Every page runs the same number of queries at every size."]
        out.append("")
    return "\n".join(out)


def http_sections(results: list[SizeResult]) -> list[str]:
    """Under --http: the tree generation, then the mixes of each size."""
    from benchmarks import under_load

    out = ["", "### Tree generation", "", *generation_table(results), ""]
    for r in results:
        out += [
            f"### Under load: {_n(r.grassroots)} grassroots units"
            + (f" + {_n(r.wide_children)} under one upper unit" if r.wide_children else "")
            + f" ({_n(r.units)} units in the tree)",
            "",
            *under_load.render(r.http),
        ]
    return out
