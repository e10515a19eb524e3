"""The dashboard of a subtree: its filters, the figures it shows and the key its computed body
is cached under."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Sum
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign, Phase
from emulation.params import to_int
from emulation.workflow import ReviewStatus
from federation.models import Organization
from registrations.models import ThemeChoiceCount
from registrations.selectors.summary import BranchPaging
from reports.selectors.common import KINDS, SCOPES, PhaseInfo, default_phase, phase_infos
from reports.selectors.overdue import OverdueUnit, first_overdue, overdue_rows
from reports.selectors.progress import Rollup, rollup

OVERDUE_ROWS = 25
DEFAULT_SCOPE = "approved"
_KINDS = frozenset(str(kind) for kind in KINDS)


# ---------------------------------------------------------------------------------------------
# Filters.


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters as ``reports.forms.FigureFilterForm`` validated them (every
    value one of its choices, or all of them their defaults)."""

    phase_id: int | None = None
    kind: str = ""
    scope: str = DEFAULT_SCOPE

    def items(self) -> list[tuple[str, str]]:
        """The filters that differ from their defaults, as validated (nothing typed in the
        address goes into a link or a form as it was)."""
        values = [("phase", self.phase_id or ""), ("kind", self.kind)]
        if self.scope != DEFAULT_SCOPE:
            values.append(("scope", self.scope))
        return [(name, str(value)) for name, value in values if value]

    @property
    def query(self) -> str:
        """The query string the dashboard's links carry."""
        return urlencode(self.items())


def asked_phase(params) -> int | None:
    """The phase id a dashboard's address asks for, when it is a number: whether the campaign
    has it is read with the campaign (``common.campaign_by_pk``)."""
    return to_int(params.get("phase", ""))


def cache_key(
    campaign: Campaign,
    unit: Organization,
    filters: Filters,
    *,
    today: dt.date,
    inbox: bool,
    page: int = 1,
) -> str:
    """The key of the dashboard's computed body: the campaign (with its creation time, so that
    a database rebuilt with the same ids never meets an old entry) and its figures' version,
    which every change of what the dashboard shows counts up in its transaction; the unit and
    its place in the tree; the validated filters and the page of the branches (a number: the
    view keeps a body under the number of the page it shows, never one asked for beyond the
    last); the day, the language, and whether the reader may open the inbox (the only part of
    the body that depends on the person). A search's body is not kept."""
    return ":".join(
        [
            "reports-dashboard-5",
            str(campaign.pk),
            f"{campaign.created_at.timestamp():.6f}" if campaign.created_at else "",
            str(campaign.figures_version),
            str(unit.pk),
            unit.path,
            str(filters.phase_id or ""),
            filters.kind,
            filters.scope,
            str(int(page)),
            today.isoformat(),
            get_language() or "",
            "inbox" if inbox else "",
        ]
    )


def can_open_inbox(user, campaign: Campaign, unit: Organization) -> bool:
    """The dashboard of the issuing unit links to the inbox of whoever may keep it."""
    return unit.pk == campaign.issuer_id and user.has_perm("reports.view_inbox", campaign)


# ---------------------------------------------------------------------------------------------
# What it shows.


def is_settled(phase: Phase, today: dt.date) -> bool:
    """Whether a phase's figures are final: its report deadline has passed (without one, the
    phase is over)."""
    return (phase.report_deadline or phase.end) < today


@dataclass
class IndicatorRow:
    indicator: object
    values: list  # one per phase, in order
    settled: list | None = None  # one per phase: its figures are final (None: every one)

    @property
    def change(self) -> int | None:
        """The change from the first to the last phase that has a figure, in percent, among
        the phases whose figures are final: a phase still reported on (or not yet) is never
        compared with one that is over."""
        settled = self.settled if self.settled is not None else [True] * len(self.values)
        figures = [
            v for v, final in zip(self.values, settled, strict=True) if v is not None and final
        ]
        if len(figures) < 2 or not figures[0]:
            return None
        return round((figures[-1] - figures[0]) * 100 / figures[0])


@dataclass
class Event:
    day: dt.date
    kind: str  # "deadline", "milestone", "opening"
    text: str
    days_left: int
    is_round: bool = False


@dataclass
class Dashboard:
    campaign: Campaign
    unit: Organization
    phases: list[PhaseInfo]
    current: PhaseInfo
    kind: str
    scope: str
    today: dt.date
    rollup: Rollup
    overdue: list[OverdueUnit]
    overdue_total: int
    themes: list[tuple]
    indicator_rows: list[IndicatorRow]
    events: list[Event]
    query: str = ""  # the validated filters, for the links
    filters: Filters | None = None

    @property
    def has_running_phase(self) -> bool:
        """Some phase's figures are not final yet (its report deadline is ahead): the change
        leaves it out."""
        return any(not is_settled(info.phase, self.today) for info in self.phases)

    @property
    def page(self):
        """The page of the units directly below (None when every one is shown)."""
        return self.rollup.page

    @property
    def hidden_filters(self) -> list[tuple[str, str]]:
        """The validated filters the search of the branches keeps."""
        return self.filters.items() if self.filters else []

    @property
    def page_query(self) -> str:
        """The query string of the branches' page links: the filters and the search."""
        paging = self.rollup.paging
        return urlencode(self.hidden_filters + ([("q", paging.q)] if paging and paging.q else []))

    @property
    def phase(self) -> Phase:
        return self.current.phase

    @property
    def figures_query(self) -> str:
        """The kind and the scope counted, for the roll-up and the summary PDF."""
        return urlencode({"kind": self.kind, "scope": self.scope})

    @property
    def deadline(self) -> dt.date | None:
        return self.phase.report_deadline

    @property
    def days_to_deadline(self) -> int | None:
        return (self.deadline - self.today).days if self.deadline else None

    def chart_themes(self) -> dict:
        return {
            "labels": [f"{theme.number}. {theme.title}" for theme, _count in self.themes],
            "values": [count for _theme, count in self.themes],
        }

    def chart_indicators(self) -> list[dict]:
        return [
            {
                "title": f"{row.indicator.name} ({row.indicator.unit})",
                "labels": [info.phase.name for info in self.phases],
                "values": [float(v) if v is not None else 0 for v in row.values],
            }
            for row in self.indicator_rows
        ]


def next_events(
    campaign: Campaign, infos: list[PhaseInfo], today: dt.date, limit: int = 6
) -> list[Event]:
    """The next deadlines, reporting openings and commemorative milestones, from today on
    (from the campaign's prefetch: no query)."""
    views = campaign_selectors.phase_views(campaign)
    events = [
        Event(d.day, "deadline", d.label, (d.day - today).days)
        for d in campaign_selectors.deadlines(campaign, views)
        if d.day >= today
    ]
    events += [
        Event(
            info.opens_on,
            "opening",
            _("Reporting on %(phase)s opens") % {"phase": info.phase.name},
            (info.opens_on - today).days,
        )
        for info in infos
        if info.opens_on > today and info.opens_on != info.phase.start
    ]
    events += [
        Event(m.date, "milestone", capfirst(m.wording), (m.date - today).days, m.is_round)
        for m in campaign.milestones.all()
        if m.date >= today
    ]
    events.sort(key=lambda e: (e.day, e.kind))
    return events[:limit]


def theme_choices(campaign: Campaign, unit: Organization, *, kind: str) -> list[tuple]:
    """For each theme of the campaign, how many units of the subtree chose it in an approved
    registration (one query on the registrations' counters of the unit; the themes come from
    the campaign's prefetch)."""
    queryset = ThemeChoiceCount.objects.filter(
        campaign=campaign, branch=unit, status=ReviewStatus.APPROVED
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    counts = {
        row["theme_id"]: row["chosen"] or 0
        for row in queryset.order_by().values("theme_id").annotate(chosen=Sum("units"))
    }
    themes = sorted(campaign.themes.all(), key=lambda t: t.number)
    return [(theme, counts.get(theme.pk, 0)) for theme in themes]


def dashboard(
    campaign: Campaign,
    unit: Organization,
    *,
    phase_id=None,
    kind: str = "",
    scope: str = DEFAULT_SCOPE,
    today: dt.date,
    paging: BranchPaging | None = None,
) -> Dashboard | None:
    """Everything the dashboard of ``unit``'s subtree shows, in a fixed number of queries.
    ``campaign`` must come with its themes, phases and milestones prefetched
    (:func:`reports.selectors.common.load_plan`). None when the campaign has no phase.
    ``paging``: the branches of one page (see :func:`rollup`), else every one (the
    spreadsheet)."""
    infos = phase_infos(campaign)
    if not infos:
        return None
    chosen = next((i for i in infos if str(i.phase.pk) == str(phase_id)), None)
    current = chosen or default_phase(infos, today)
    kind = kind if kind in _KINDS else ""
    scope = scope if scope in SCOPES else DEFAULT_SCOPE
    data = rollup(
        campaign,
        current.phase,
        unit,
        scope=scope,
        kind=kind,
        today=today,
        all_phases=True,
        paging=paging,
    )
    # The branch of each late unit: read with it when the rows are a page (another page's).
    branches = {row.unit.path: row.unit.display_name for row in data.rows if not row.is_self}
    late = []
    if data.report.overdue:  # the counts say whether the list has anything: no query otherwise
        late = first_overdue(
            campaign, current.phase, unit, kind=kind, today=today, limit=OVERDUE_ROWS
        )
    settled = [is_settled(info.phase, today) for info in infos]
    indicator_rows = [
        IndicatorRow(
            indicator,
            [data.by_phase.get((info.phase.pk, indicator.pk)) for info in infos],
            settled,
        )
        for indicator in data.indicators
    ]
    filters = Filters(phase_id=chosen.phase.pk if chosen else None, kind=kind, scope=scope)
    return Dashboard(
        campaign=campaign,
        unit=unit,
        phases=infos,
        current=current,
        kind=kind,
        scope=scope,
        today=today,
        rollup=data,
        overdue=overdue_rows(late, current.phase, unit, today, branches),
        overdue_total=data.report.overdue,
        themes=theme_choices(campaign, unit, kind=kind),
        indicator_rows=indicator_rows,
        events=next_events(campaign, infos, today),
        query=filters.query,
        filters=filters,
    )
