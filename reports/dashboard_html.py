"""The body of the dashboard, written as HTML here rather than in a template.

The dashboard's body is computed again on every first view after a change (it is cached
until the next one). Through Django's template language its ~150 nodes around the tables
cost about as much as computing the figures (see the "Phase reports" section of
``docs/benchmarks.md``); written with f-strings, as ``reports/tables.py`` writes the tables'
rows, they cost a fifth of that. The markup is the one the template wrote: every value is
escaped (``_escape``), the texts are the catalogue's (``gettext``; translated texts as
``{% translate %}`` escaped them, ``{% blocktranslate %}`` texts with their values escaped).
"""

from functools import lru_cache
from types import SimpleNamespace

from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from emulation.html import escape as _escape
from emulation.html import url
from reports import tables


def texts() -> SimpleNamespace:
    """The dashboard's own texts, translated in the active language and escaped, once per
    language and process (:func:`_texts`)."""
    return _texts(get_language())


@lru_cache(maxsize=16)
def _texts(language: str | None) -> SimpleNamespace:
    """The texts of :func:`texts` in ``language`` (the active one when called). They are listed
    here, outside the f-strings that write them, because ``makemessages`` does not read calls
    inside an f-string's braces."""
    return SimpleNamespace(
        **{
            key: _escape(value)
            for key, value in {
                "all_tables_xlsx": _("All tables (XLSX)"),
                "branch": _("Branch"),
                "change": _("Change"),
                "common_indicators_by_phase": _("Common indicators by phase"),
                "counted_approved": _("Counted: accepted reports."),
                "counted_sent": _("Counted: accepted reports and those awaiting review."),
                "counted_approved_registrations": _("Counted on approved registrations."),
                "days_late": _("Days late"),
                "deadline": _("Deadline"),
                "inbox_of_reports": _("Inbox of reports"),
                "indicator": _("Indicator"),
                "kind_of_unit": _("Kind of unit"),
                "next_deadlines_and_milestones": _("Next deadlines and milestones"),
                "no_unit_below": _("No unit below."),
                "no_unit_is_late": _("No unit is late."),
                "no_unit_is_late_yet": _("No unit is late yet."),
                "overdue": _("Overdue"),
                "passed": _("passed"),
                "phase": _("Phase"),
                "progress_by_unit": _("Progress by unit"),
                "registration": _("Registration"),
                "registrations": _("Registrations"),
                "registrations_approved": _("Registrations approved"),
                "report": _("Report"),
                "report_deadline": _("Report deadline"),
                "reports": _("Reports"),
                "reports_accepted": _("Reports accepted"),
                "reports_counted": _("Reports counted"),
                "reports_to_review": _("Reports to review"),
                "show": _("Show"),
                "summary_report_pdf": _("Summary report (PDF)"),
                "targets_and_details": _("Targets and details"),
                "no_indicator": _("The campaign counts no common indicator."),
                "no_deadline": _("This phase has no report deadline."),
                "today": _("today"),
                "unit": _("Unit"),
                "units": _("Units"),
                "units_overdue": _("Units overdue"),
                "units_taking_part": _("Units taking part"),
                "units_that_chose_each_theme": _("Units that chose each theme"),
            }.items()
        }
    )


def _xlsx(xlsx_url: str, table: str, query: str) -> str:
    """The spreadsheet link of one table (its address already escaped)."""
    more = f"&amp;{_escape(query)}" if query else ""
    return f'<a class="small fw-normal" href="{xlsx_url}?table={table}{more}">XLSX</a>'


def _header(title: str, *links: str) -> str:
    return (
        '<div class="card-header d-flex flex-wrap gap-2 align-items-center">\n'
        f'    <span class="me-auto">{title}</span>\n    ' + "\n    ".join(links) + "\n  </div>\n"
    )


def _days(days: int) -> str:
    return ngettext("in %(counter)s day", "in %(counter)s days", days) % {"counter": days}


def _head(t, board, campaign, unit, phase, *, query: str, xlsx_url: str, can_inbox: bool) -> str:
    number = f" · {_escape(campaign.document_number)}" if campaign.document_number else ""
    buttons = []
    if can_inbox:
        buttons.append(
            f'<a class="btn btn-primary btn-sm" href="{url("reports:inbox", campaign.pk)}"'
            f' data-testid="inbox-link">{t.inbox_of_reports}</a>'
        )
    if not unit.is_grassroots:
        queue = url("reports:queue", campaign.pk, phase.pk, unit.pk)
        buttons.append(
            f'<a class="btn btn-outline-primary btn-sm" href="{queue}" data-testid="queue-link">'
            f"{t.reports_to_review}</a>"
        )
    pdf = url("reports:summary-pdf", campaign.pk, phase.pk, unit.pk)
    buttons.append(
        f'<a class="btn btn-outline-primary btn-sm" href="{pdf}?kind={_escape(board.kind)}'
        f'&amp;scope={_escape(board.scope)}" data-testid="dashboard-pdf">'
        f"{t.summary_report_pdf}</a>"
    )
    everything = f"{xlsx_url}?{_escape(query)}" if query else xlsx_url
    buttons.append(
        f'<a class="btn btn-outline-primary btn-sm" href="{everything}"'
        f' data-testid="dashboard-xlsx">{t.all_tables_xlsx}</a>'
    )
    year = _("Emulation campaign %(year)s") % {"year": campaign.year}
    title = _("Dashboard of %(unit)s") % {"unit": _escape(unit.name)}
    return (
        '<div class="d-flex flex-wrap align-items-start gap-2 mb-3">\n'
        '  <div class="me-auto min-w-0">\n'
        f'    <div class="small text-muted mb-1">{year}{number}</div>\n'
        f'    <h1 class="h4 mb-0" data-testid="dashboard-title">{title}</h1>\n'
        "  </div>\n"
        '  <div class="d-flex flex-wrap gap-2">\n    '
        + "\n    ".join(buttons)
        + "\n  </div>\n</div>\n\n"
    )


def _filters(t, options: dict) -> str:
    def field(width: str, name: str, label: str, choices: str, testid: str = "") -> str:
        test = f' data-testid="{testid}"' if testid else ""
        return (
            f'  <div class="{width}">\n'
            f'    <label class="form-label small mb-1" for="id_{name}">{label}</label>\n'
            f'    <select class="form-select form-select-sm" name="{name}" id="id_{name}"{test}>'
            f"{choices}</select>\n  </div>\n"
        )

    return (
        '<form class="row g-2 mb-3 align-items-end dashboard-filters" method="get"'
        ' data-testid="dashboard-filters">\n'
        + field("col-12 col-sm-4 col-lg-3", "phase", t.phase, options["phase"], "filter-phase")
        + field("col-6 col-sm-4 col-lg-3", "kind", t.kind_of_unit, options["kind"], "filter-kind")
        + field("col-6 col-sm-4 col-lg-3", "scope", t.reports_counted, options["scope"])
        + '  <div class="col-12 col-lg-2 d-grid"><button class="btn btn-primary btn-sm"'
        f' type="submit" data-testid="filter-apply">{t.show}</button></div>\n</form>\n\n'
    )


def _stats(t, board, phase, number) -> str:
    rollup = board.rollup
    registration, report = rollup.registration, rollup.report

    def card(value: str, label: str, testid: str = "", danger: bool = False) -> str:
        test = f' data-testid="{testid}"' if testid else ""
        css = "stat stat-date" if not testid else "stat text-danger" if danger else "stat"
        return (
            f'  <div class="card"><div class="card-body"><div class="{css}"{test}>{value}</div>'
            f'<div class="stat-label">{label}</div></div></div>\n'
        )

    days = board.days_to_deadline
    deadline = t.report_deadline
    if days is not None:
        if days > 0:
            deadline += f" · {_days(days)}"
        elif days == 0:
            deadline += f" · {t.today}"
        else:
            deadline += f" · {t.passed}"
    sent = _("Reports on %(phase)s sent") % {"phase": _escape(phase.name)}
    return (
        '<div class="dash-stats mb-3" data-testid="dashboard-stats">\n'
        + card(number(report.total), t.units_taking_part, "stat-units")
        + card(
            number(registration.approved),
            f"{t.registrations_approved} ({registration.approved_percent}%)",
            "stat-registered",
        )
        + card(number(report.sent), f"{sent} ({report.sent_percent}%)", "stat-sent")
        + card(number(report.approved), t.reports_accepted, "stat-accepted")
        + card(
            number(board.overdue_total),
            t.units_overdue,
            "stat-overdue",
            danger=bool(board.overdue_total),
        )
        + card(f"{board.deadline:%d/%m/%Y}" if board.deadline else "—", deadline)
        + "</div>\n\n"
    )


def _progress(t, board, phase, parts: dict, *, query: str, xlsx_url: str) -> str:
    reports_on = _("Reports on %(phase)s") % {"phase": _escape(phase.name)}
    none = (
        ""
        if board.rollup.rows
        else f'<tr><td colspan="5" class="text-muted">{t.no_unit_below}</td></tr>'
    )
    return (
        '<div class="card mb-3">\n  '
        + _header(t.progress_by_unit, _xlsx(xlsx_url, "progress", query))
        + '  <div class="card-body pb-2">\n    <div class="row g-3">\n'
        '      <div class="col-md-6"><div class="small fw-semibold mb-1">'
        f"{t.registrations}</div>{parts['registration_progress']}</div>\n"
        f'      <div class="col-md-6"><div class="small fw-semibold mb-1">{reports_on}</div>'
        f"{parts['report_progress']}</div>\n    </div>\n  </div>\n"
        '  <div class="table-responsive">\n'
        '  <table class="table table-sm table-hover mb-0 table-stack progress-table"'
        ' data-testid="progress-table">\n    <thead><tr>\n'
        f"      <th>{t.unit}</th>\n"
        f'      <th class="text-end">{t.units}</th>\n'
        f'      <th style="width: 22%">{t.registrations}</th>\n'
        f'      <th style="width: 30%">{t.reports}</th>\n'
        f'      <th class="text-end">{t.overdue}</th>\n'
        "    </tr></thead>\n    <tbody>\n"
        f"    {parts['progress']}{none}\n    </tbody>\n  </table>\n  </div>\n</div>\n\n"
    )


def _overdue(t, board, phase, rows: str, number, *, query: str, xlsx_url: str) -> str:
    title = _("Units late with their report on %(phase)s") % {"phase": _escape(phase.name)}
    out = '<div class="card mb-3">\n  ' + _header(title, _xlsx(xlsx_url, "overdue", query))
    if board.overdue:
        heads = "".join(
            f"<th{css}>{text}</th>"
            for text, css in (
                (t.unit, ""),
                (t.branch, ""),
                (t.report, ""),
                (t.registration, ""),
                (t.deadline, ' class="text-nowrap"'),
                (t.days_late, ' class="text-end text-nowrap"'),
            )
        )
        out += (
            '  <div class="table-responsive">\n'
            '  <table class="table table-sm mb-0 table-stack" data-testid="overdue-table">\n'
            f"    <thead><tr>{heads}</tr></thead>\n    <tbody>\n    {rows}\n    </tbody>\n"
            "  </table>\n  </div>\n"
        )
        shown = len(board.overdue)
        if board.overdue_total > shown:
            more = _("The %(shown)s longest late of %(total)s; the spreadsheet lists them all.") % {
                "shown": shown,
                "total": board.overdue_total,
            }
            out += f'  <div class="card-footer small text-muted">{more}</div>\n'
    else:
        report = board.rollup.report
        if not board.deadline:
            text = t.no_deadline
        elif board.days_to_deadline >= 0:
            sent = _(
                "%(sent)s of %(total)s units have sent their report; the deadline is %(day)s."
            ) % {
                "sent": number(report.sent),
                "total": number(report.total),
                "day": f"{board.deadline:%d/%m/%Y}",
            }
            text = f"{t.no_unit_is_late_yet} {sent}"
        else:
            text = t.no_unit_is_late
        out += (
            f'  <div class="card-body small text-muted" data-testid="overdue-none">{text}</div>\n'
        )
    return out + "</div>\n\n"


def _themes_and_indicators(t, board, parts: dict, charts: list, *, query: str, xlsx_url: str):
    chosen = t.units_that_chose_each_theme
    themes = (
        '  <div class="col-lg-5">\n    <div class="card h-100">\n      '
        + _header(chosen, _xlsx(xlsx_url, "themes", query))
        + '      <div class="card-body">\n'
        '        <div class="chart-box chart-themes"><canvas data-chart="themes" role="img"'
        f' aria-label="{chosen}"></canvas></div>\n'
        '        <table class="table table-sm small mb-0 mt-2" data-testid="themes-table">\n'
        f"          <tbody>{parts['themes']}</tbody>\n        </table>\n"
        f'        <div class="small text-muted mt-1">{t.counted_approved_registrations}'
        "</div>\n      </div>\n    </div>\n  </div>\n"
    )
    if board.indicator_rows:
        canvases = "".join(
            '<div class="chart-box chart-small"><canvas data-chart="indicator"'
            f' data-index="{index}" role="img" aria-label="{_escape(item["title"])}">'
            "</canvas></div>"
            for index, item in enumerate(charts)
        )
        phases = "".join(
            f'<th class="text-end">{_escape(info.phase.name)}</th>' for info in board.phases
        )
        body = (
            f'        <div class="indicator-charts">{canvases}</div>\n'
            '        <div class="table-responsive mt-2">\n'
            '        <table class="table table-sm small mb-0" data-testid="phases-table">\n'
            f"          <thead><tr><th>{t.indicator}</th>{phases}"
            f'<th class="text-end">{t.change}</th></tr></thead>\n'
            f"          <tbody>\n          {parts['indicators']}\n          </tbody>\n"
            "        </table>\n        </div>\n"
        )
    else:
        body = f'        <p class="text-muted small mb-0">{t.no_indicator}</p>\n'
    indicators = (
        '  <div class="col-lg-7">\n    <div class="card h-100">\n      '
        + _header(t.common_indicators_by_phase, _xlsx(xlsx_url, "phases", query))
        + f'      <div class="card-body">\n{body}      </div>\n    </div>\n  </div>\n'
    )
    return f'<div class="row g-3 mb-3">\n{themes}{indicators}</div>\n\n'


def _results(t, board, campaign, unit, phase, results_table: str, *, query: str, xlsx_url: str):
    title = _("Results of %(phase)s by unit") % {"phase": _escape(phase.name)}
    rollup = url("reports:rollup", campaign.pk, phase.pk, unit.pk)
    details = (
        f'<a class="small fw-normal" href="{rollup}?kind={_escape(board.kind)}'
        f'&amp;scope={_escape(board.scope)}">{t.targets_and_details} ›</a>'
    )
    counted = t.counted_approved if board.scope == "approved" else t.counted_sent
    return (
        '<div class="card mb-3">\n  '
        + _header(title, details, _xlsx(xlsx_url, "results", query))
        + f"  {results_table}\n"
        f'  <div class="card-footer small text-muted">{counted}</div>\n</div>\n\n'
    )


def _events(t, parts: dict, *, query: str, xlsx_url: str) -> str:
    return (
        '<div class="card mb-3">\n  '
        + _header(t.next_deadlines_and_milestones, _xlsx(xlsx_url, "events", query))
        + '  <ul class="list-group list-group-flush" data-testid="events">\n'
        f"    {parts['events']}\n  </ul>\n</div>\n"
    )


def body_html(
    board,
    *,
    campaign,
    unit,
    query: str,
    parts: dict,
    results_table: str,
    can_inbox: bool,
) -> SafeString:
    """The dashboard's body: title and buttons, filters, figures, progress per branch, late
    units, themes and indicators (with the data of their charts), results per branch and
    the next dates. ``parts`` holds the tables' rows and the filters' options
    (``DashboardView.tables``)."""
    phase = board.phase
    t = texts()
    number = tables.numbers()
    xlsx_url = _escape(url("reports:dashboard-xlsx", campaign.pk, unit.pk))
    charts = board.chart_indicators()
    options = {
        "phase": parts["phase_options"],
        "kind": parts["kind_options"],
        "scope": parts["scope_options"],
    }
    return SafeString(
        _head(t, board, campaign, unit, phase, query=query, xlsx_url=xlsx_url, can_inbox=can_inbox)
        + _filters(t, options)
        + _stats(t, board, phase, number)
        + _progress(t, board, phase, parts, query=query, xlsx_url=xlsx_url)
        + _overdue(t, board, phase, parts["overdue"], number, query=query, xlsx_url=xlsx_url)
        + _themes_and_indicators(t, board, parts, charts, query=query, xlsx_url=xlsx_url)
        + _results(t, board, campaign, unit, phase, results_table, query=query, xlsx_url=xlsx_url)
        + _events(t, parts, query=query, xlsx_url=xlsx_url)
        + json_script(board.chart_themes(), "chart-themes-data")
        + "\n"
        + json_script(charts, "chart-indicators-data")
        + "\n"
    )
