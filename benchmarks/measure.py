"""Requesting a page many times through the full middleware and timing it."""

import gc
import math
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.pages import Job, Page
from benchmarks.scenario import Scenario


class PageFailed(Exception):
    """A page did not answer 200 to its persona."""


@dataclass
class Measurement:
    page: Page
    url: str
    samples_ms: list[float]
    queries: int
    sql_ms: float
    size_bytes: int
    captured: list[dict] = field(default_factory=list, repr=False)
    # The floor page, requested alternately with this page, so that both meet the same load.
    floor_samples_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def floor_p50(self) -> float | None:
        return statistics.median(self.floor_samples_ms) if self.floor_samples_ms else None


class _QueryTimer:
    """Times every query of a request to the microsecond: the ``execute()`` call (an execute
    wrapper) and the fetching of its rows. SQLite produces rows while they are fetched, so
    ``execute()`` alone would miss most of the work of a large scan."""

    FETCHES = ("fetchone", "fetchmany", "fetchall")

    def __init__(self):
        self.seconds: list[float] = []

    def __call__(self, execute, sql, params, many, context):
        cursor = context["cursor"]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            cursor._bench_query = (self, len(self.seconds))
            self.seconds.append(time.perf_counter() - started)

    @contextmanager
    def fetches(self):
        """Count the time spent fetching rows towards the query that produced them."""
        timer = self

        def timed(name):
            def fetch(self, *args):
                started = time.perf_counter()
                try:
                    return self.db.wrap_database_errors(getattr(self.cursor, name))(*args)
                finally:
                    owner, index = getattr(self, "_bench_query", (None, 0))
                    if owner is timer:
                        timer.seconds[index] += time.perf_counter() - started

            return fetch

        for name in self.FETCHES:
            setattr(CursorWrapper, name, timed(name))
        try:
            yield
        finally:
            for name in self.FETCHES:
                delattr(CursorWrapper, name)


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, page: Page, url: str, scenario: Scenario | None = None):
    if page.before and scenario is not None:
        page.before(scenario)
    headers = {"HX-Request": "true"} if page.htmx else {}
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        where = response.get("Location", "")
        raise PageFailed(
            f"{page.label!r} as {page.persona} ({url}) answered {response.status_code}"
            + (f" -> {where}" if where else "")
        )
    return response


def measure(
    client: Client,
    page: Page,
    scenario: Scenario,
    *,
    repeat: int,
    warmup: int,
    floor: Page | None = None,
) -> Measurement:
    """Warm up, time ``repeat`` requests, then count the queries of one more request.

    With ``floor``, each timed request of the page follows a timed request of the floor page,
    so that the ratio between them holds even when the machine's load changes during the run.
    """
    url = page.url(scenario)
    floor_url = floor.url(scenario) if floor else ""
    for _ in range(warmup):
        _get(client, page, url, scenario)
        if floor:
            _get(client, floor, floor_url)
    gc.collect()
    samples, floor_samples = [], []
    for _ in range(repeat):
        if floor:
            floor_samples.append(_timed(client, floor, floor_url))
        if page.before:
            page.before(scenario)
        samples.append(_timed(client, page, url))
    timer = _QueryTimer()
    if page.before:
        page.before(scenario)
    with (
        CaptureQueriesContext(connection) as captured,
        connection.execute_wrapper(timer),
        timer.fetches(),
    ):
        response = _get(client, page, url)
    queries = list(captured.captured_queries)
    # Django records query times to the millisecond only; use our own finer timings.
    for query, seconds in zip(queries, timer.seconds, strict=False):
        query["time"] = f"{seconds:.6f}"
    return Measurement(
        page=page,
        url=url,
        samples_ms=samples,
        queries=len(queries),
        sql_ms=sum(float(q["time"]) for q in queries) * 1000,
        size_bytes=len(response.content),
        captured=queries,
        floor_samples_ms=floor_samples,
    )


def _timed(client: Client, page: Page, url: str) -> float:
    started = time.perf_counter()
    _get(client, page, url)
    return (time.perf_counter() - started) * 1000


# ---------------------------------------------------------------------------------------------
# Jobs: work that is not a page, timed step by step.


class _QueryCounter:
    """Counts and times the queries of a step without keeping their SQL (a bulk insert of
    thousands of rows would otherwise be kept in memory); with ``keep``, the first characters
    of each statement are kept for ``--sql``."""

    def __init__(self, keep: bool = False):
        self.count = 0
        self.seconds = 0.0
        self.keep = keep
        self.captured: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            self.count += 1
            self.seconds += seconds
            if self.keep:
                self.captured.append({"sql": " ".join(sql.split())[:300], "time": f"{seconds:.6f}"})


@dataclass
class StepResult:
    seconds: float
    queries: int
    sql_seconds: float
    captured: list[dict] = field(default_factory=list, repr=False)


class Stopwatch:
    """What a job's function receives: ``with watch.step("first day"): ...`` times a step and
    counts its queries (execute only: rows fetched by the step are in its seconds);
    ``watch.note(rows=...)`` records figures for the table."""

    def __init__(self, keep_sql: bool = False):
        self.steps: dict[str, StepResult] = {}
        self.notes: dict[str, object] = {}
        self.keep_sql = keep_sql

    @contextmanager
    def step(self, name: str):
        counter = _QueryCounter(self.keep_sql)
        gc.collect()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            yield
        self.steps[name] = StepResult(
            time.perf_counter() - started, counter.count, counter.seconds, counter.captured
        )

    def note(self, **figures) -> None:
        self.notes.update(figures)


@dataclass
class JobMeasurement:
    job: Job
    runs: list[Stopwatch]
    prepare_seconds: float = 0.0

    @property
    def step_names(self) -> list[str]:
        return list(self.runs[0].steps) if self.runs else []

    def seconds(self, name: str) -> list[float]:
        return [run.steps[name].seconds for run in self.runs]

    def median(self, name: str) -> float:
        return statistics.median(self.seconds(name))

    @property
    def notes(self) -> dict:
        return self.runs[-1].notes if self.runs else {}


def measure_job(
    job: Job, scenario: Scenario, *, runs: int, sql: bool = False, progress=None
) -> JobMeasurement:
    """Prepare (untimed), run ``runs`` times, undoing each run with
    ``job.reset``, then clean up. A run that raises stops the benchmark."""
    result = JobMeasurement(job=job, runs=[])
    started = time.perf_counter()
    if job.prepare:
        job.prepare(scenario)
    result.prepare_seconds = time.perf_counter() - started
    try:
        if job.reset:
            job.reset(scenario)  # what a killed run left behind
        for _ in range(max(1, runs)):
            watch = Stopwatch(keep_sql=sql)
            try:
                job.run(scenario, watch)
            except Exception as exc:
                raise PageFailed(f"job {job.label!r} failed: {exc}") from exc
            finally:
                if job.reset:
                    job.reset(scenario)
            result.runs.append(watch)
            if progress:
                progress(
                    f"run {len(result.runs)}: "
                    + ", ".join(f"{n} {s.seconds:.2f} s" for n, s in watch.steps.items())
                )
    finally:
        if job.cleanup:
            job.cleanup(scenario)
    return result
