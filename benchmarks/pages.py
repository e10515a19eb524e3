"""The pages the benchmark measures: one line each.

A page is a label, the persona who requests it (see ``benchmarks.scenario.PERSONAS``) and a
function from the :class:`~benchmarks.scenario.Scenario` to the URL. ``htmx=True`` sends the
``HX-Request`` header, as htmx does for a fragment. Every page must answer 200 to its persona;
any other status stops the run.

Later issues add their pages at the end of ``PAGES``, e.g.::

    Page("campaign dashboard", "staff", lambda s: reverse("campaigns:dashboard", args=[s.extra["campaign"].pk])),

and, when the page needs more data than the tree and the personas, a setup step (see
``benchmarks.scenario.setup_step``) in a module imported at the top of this one.

A job is work that is not a page (a Celery task, a command): a label, a function of the
scenario and a stopwatch that times its named steps (seconds and SQL queries), optional untimed
``prepare`` (once, before the first run), ``reset`` (after every run: undo what the run wrote,
so that the job can be repeated) and ``cleanup`` (at the end: undo ``prepare``), and the names
of the setup steps it needs (when only jobs are measured, only those run). Jobs run after the
pages, ``--job-runs`` times (1 by default: a job at full size takes a minute or more). See
``JOBS`` below.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from benchmarks import (  # register the setup steps of the pages and jobs below
    clusters_steps,
    grading_steps,
    reminders_steps,
    reports_steps,
    steps,
    tree_steps,
)
from benchmarks.scenario import Scenario


@dataclass(frozen=True)
class Page:
    label: str
    persona: str
    url: Callable[[Scenario], str]
    htmx: bool = False
    # Run before every request of the page, untimed (e.g. a change that a cache must see).
    before: Callable[[Scenario], None] | None = None


@dataclass(frozen=True)
class Job:
    label: str
    run: Callable  # (scenario, stopwatch) -> None; see benchmarks.measure.Stopwatch
    prepare: Callable[[Scenario], object] | None = None
    reset: Callable[[Scenario], None] | None = None
    cleanup: Callable[[Scenario], None] | None = None
    # The names of the setup steps it needs: when only jobs are measured, only these run (None:
    # every step).
    steps: tuple[str, ...] | None = None


def unit(name: str, pk_of: Callable[[Scenario], int]) -> Callable[[Scenario], str]:
    """A URL builder for a ``federation:<name>`` page taking a unit's pk."""
    return lambda s: reverse(f"federation:{name}", args=[pk_of(s)])


FLOOR = "floor (base.html only)"

# fmt: off
PAGES: list[Page] = [
    Page("unit page: province", "staff", unit("unit-detail", lambda s: s.province.pk)),
    Page("unit page: upper unit, 1,000 children", "leader", unit("unit-detail", lambda s: s.wide_unit.pk)),
    Page("unit page: grassroots", "officer", unit("unit-detail", lambda s: s.grassroots.pk)),
    Page("tree browser", "staff", lambda s: reverse("federation:tree")),
    Page("tree search", "staff", lambda s: reverse("federation:tree") + f"?q={s.search_word}"),
    Page("tree children: province (htmx)", "staff", unit("tree-children", lambda s: s.province.pk), htmx=True),
    Page("tree children: 1,000 children (htmx)", "leader", unit("tree-children", lambda s: s.wide_unit.pk), htmx=True),
    # The whole confederation seen from the top: the worst case for roll-ups and search.
    Page("unit page: national root", "national", unit("unit-detail", lambda s: s.root.pk)),
    Page("tree search: whole tree", "national", lambda s: reverse("federation:tree") + f"?q={s.search_word}"),
    # Campaign plan (the 2017 plan of Ninh Bình issued by the largest province).
    Page("campaign page", "officer", lambda s: reverse("campaigns:detail", args=[s.extra["campaign"].pk])),
    Page("campaign plan PDF", "officer", lambda s: reverse("campaigns:plan-pdf", args=[s.extra["campaign"].pk])),
    # Registrations: the reviewer's queue of 1,000 children and the province's consolidation.
    Page("registration queue: 1,000 children", "leader", steps.queue_url),
    Page("registration consolidation: province", "staff", steps.summary_url),
    # Commendation: the province's list of nominations and a decision of 300 awardees.
    Page("nominations list", "staff", lambda s: reverse("awards:nominations")),
    Page("decision PDF: 300 awardees", "staff", steps.decision_pdf_url),
    # Phase reports: the dashboard of a province and of the whole confederation, the province's
    # spreadsheet and summary PDF (phase 1 of a campaign issued by the national root).
    Page("reports dashboard: province", "staff", reports_steps.dashboard_url(lambda s: s.province)),
    Page("reports dashboard XLSX: province", "staff", reports_steps.dashboard_xlsx_url),
    Page("reports summary PDF: province", "staff", reports_steps.summary_pdf_url),
    Page("reports dashboard: national root", "national", reports_steps.dashboard_url(lambda s: s.root)),
    # The same dashboards on their first view after a change (their cache cannot answer).
    Page("reports dashboard after a change: province", "staff", reports_steps.dashboard_url(lambda s: s.province), before=reports_steps.change),
    Page("reports dashboard after a change: national root", "national", reports_steps.dashboard_url(lambda s: s.root), before=reports_steps.change),
    # Grading (issue 17): the dashboards of the province and of the whole confederation (every
    # grassroots union graded), and the queue of the unit of 1,000 children.
    Page("grading dashboard: province", "staff", grading_steps.dashboard_url),
    Page("grading verification queue: 1,000 children", "leader", grading_steps.queue_url),
    Page("grading dashboard: national root", "national", grading_steps.national_url),
    # Clusters (issue 18): a cluster of 50 members with 400 scores; the province's clusters.
    Page("cluster page: 50 members", "staff", clusters_steps.cluster_url),
    Page("clusters side by side: province", "staff", clusters_steps.index_url),
]
# fmt: on

JOBS: list[Job] = [
    # Reminders (issue 7): every participating unit is late on the day after the registration
    # deadline of a campaign of the national root (132,235 units at full size).
    Job(
        "reminder dispatch: all late units",
        reminders_steps.dispatch_late_units,
        prepare=reminders_steps.prepare,
        reset=reminders_steps.reset,
        cleanup=reminders_steps.cleanup,
        steps=("reminders_campaign",),
    ),
    # Changes of the tree (issue 13): moves within and across a campaign issuer's edge, a
    # merge and a change of kind, with every campaign's counters kept in the same transaction.
    Job(
        "tree changes: move, merge, kind",
        tree_steps.run,
        prepare=tree_steps.prepare,
        cleanup=tree_steps.cleanup,
        steps=("registrations", "reports_campaign"),
    ),
    # Grading (issue 17): the unit of 1,000 children publishes their grades together.
    Job(
        "grading publication: 1,000 grades",
        grading_steps.publish,
        reset=grading_steps.reset,
        steps=("grading",),
    ),
]


def floor_page(persona: str) -> Page:
    return Page(FLOOR, persona, lambda s: reverse("floor"))


def select(pages: list, pattern: str | None) -> list:
    """The pages (or jobs) whose label contains one of the comma-separated words of
    ``pattern``."""
    if not pattern:
        return list(pages)
    words = [w.strip().lower() for w in pattern.split(",") if w.strip()]
    return [p for p in pages if any(w in p.label.lower() for w in words)]
