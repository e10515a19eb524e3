"""The rows of the dashboard's long tables (progress and results per branch, late units,
themes, indicators per phase), written as HTML here rather than in the template.

Through Django's template language each row is a few dozen small nodes (tags, filters, a
``{% url %}``, translations looked up again on every row): for the 34 branches of a province
that was about half the cost of the page (see the "Phase reports" section of
``docs/benchmarks.md``). ``format_html`` writes the same markup, escaped the same way; the
labels are translated once per table and each kind of link is reversed once per process
(``emulation.html.url_format``).
"""

import html
from decimal import Decimal

from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from emulation.html import EMPTY, Fragments, format_html, url_format
from emulation.html import escape as _escape
from emulation.html import join as _join
from emulation.templatetags import humanize_vi


class Links:
    """A kind of link (``name`` and its leading arguments), each row's primary key put in its
    place: the address reversed once per process (:func:`emulation.html.url_format`)."""

    def __init__(self, name: str, *args, query: str = ""):
        head, _sep, tail = url_format(name, len(args) + 1).rpartition(f"{{{len(args)}}}")
        tail = tail.format() + (f"?{query}" if query else "")
        self.head, self.tail = _escape(head.format(*args)), _escape(tail)

    def __call__(self, pk) -> str:
        return f"{self.head}{pk}{self.tail}"


def numbers():
    """The ``number`` filter for one table: the separators looked up once, whole numbers
    (ints and whole decimals, most of the figures) written directly, the rest by the filter."""
    thousands = humanize_vi._separators()[1]
    number = humanize_vi.number
    written: dict[int, str] = {}  # the same small counts come back on every row

    def fmt(value) -> str:
        if type(value) is int:
            text = written.get(value)
            if text is None:
                text = written[value] = f"{value:,}".replace(",", thousands)
            return text
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return f"{int(value):,}".replace(",", thousands)
        return number(value)

    return fmt


def _bar_parts(order, labels: dict) -> list[tuple[str, str, str]]:
    """For each status a bar draws, approved first (the template of the registrations draws
    the same), without the "nothing yet" share: the status and the markup around its share
    and its count, written once per table."""
    return [
        (
            status,
            '<div class="progress" style="width: ',
            f'%"><div class="progress-bar reg-seg-{status}" title="{labels[status]}: ',
        )
        for status in reversed(order)
        if status != "none"
    ]


def _bar(counts: dict, parts) -> str:
    """The segments of a stacked progress bar of ``counts`` (see :func:`_bar_parts`)."""
    total = counts.get("total", 0) or 0
    if not total:
        return ""
    out = []
    for status, head, middle in parts:
        count = counts.get(status, 0)
        if count:
            out.append(f'{head}{count * 100 / total:.2f}{middle}{count}"></div></div>')
    return "".join(out)


def _labels(kind: str) -> dict:
    """The labels of the statuses, escaped once."""
    from reports.selectors import _labels as status_labels

    return {status: _escape(label) for status, label in status_labels(kind).items()}


def _unit_cell(row, own: str, unit_link: Links, drill_link: Links) -> str:
    """The unit's name: the unit's own report (``own``, escaped), a grassroots unit's report,
    or a branch to drill into."""
    unit = row.unit
    name = html.escape(unit.name)
    if row.is_self:
        return f'{name} <span class="text-muted small">({own})</span>'
    if unit.is_grassroots:
        return f'<a href="{unit_link(unit.pk)}">{name}</a>'
    return f'<a href="{drill_link(unit.pk)}" data-testid="drill">{name}</a>'


# The rows written by the functions below, by their content (emulation.html.Fragments).
ROWS = Fragments()


def _table_key(name: str, *parts) -> tuple:
    """What every row of a table is written from besides its own figures: the table, the
    language (labels, number separators), the address prefix (links) and ``parts``."""
    return (name, get_language(), get_script_prefix(), *parts)


def _unit_key(row) -> tuple:
    unit = row.unit
    return (unit.id, unit.code, unit.name, unit.kind, row.is_self)


def progress_rows(rows, *, campaign, phase, query: str) -> SafeString:
    """The ``<tr>`` of the table "Progress by unit": for each branch its units, a bar of its
    registrations and one of its reports with their counts, and its late units. A row whose
    figures were written before is taken from :data:`ROWS`."""
    table = _table_key("progress", campaign.pk, phase.pk, query)
    write = None
    out = []
    for row in rows:
        key = (
            table,
            _unit_key(row),
            tuple(row.registration.counts.items()),
            tuple(row.report.counts.items()),
        )
        text = ROWS.get(key)
        if text is None:
            write = write or _progress_writer(campaign=campaign, phase=phase, query=query)
            text = ROWS.put(key, write(row))
        out.append(text)
    return _join(out)


def _progress_writer(*, campaign, phase, query: str):
    """The function writing one row of :func:`progress_rows` (labels and links made once)."""
    number = numbers()
    own = _escape(_("own report"))
    units_title = _escape(_("Units"))
    registrations_title = _escape(_("Registrations"))
    reports_title = _escape(_("Reports"))
    overdue_title = _escape(_("Overdue"))
    approved = _escape(_("%(approved)s/%(total)s approved"))
    unit_link = Links("reports:unit", campaign.pk, phase.pk)
    drill_link = Links("reports:dashboard", campaign.pk, query=query)
    report_labels = _labels("report")
    parts: dict = {}

    def write(row) -> str:
        registration, report = row.registration, row.report
        if not parts:
            parts["registration"] = _bar_parts(registration.order, _labels("registration"))
            parts["report"] = _bar_parts(report.order, report_labels)
            parts["legend"] = [
                (
                    status,
                    f'<span class="me-2"><i class="dot reg-seg-{status}"></i>'
                    f"{report_labels[status]}: ",
                )
                for status in reversed(report.order)
            ]
        counts = report.counts
        status_counts = "".join(
            f"{head}{number(counts[status])}</span>"
            for status, head in parts["legend"]
            if counts.get(status)
        )
        overdue = report.overdue
        if overdue:
            late = f'<span class="text-danger fw-semibold">{number(overdue)}</span>'
        else:
            late = '<span class="text-muted">0</span>'
        registered = approved % {
            "approved": number(registration.approved),
            "total": number(registration.total),
        }
        return (
            f'<tr data-testid="progress-row" data-unit="{html.escape(row.unit.code)}">'
            f"<td>{_unit_cell(row, own, unit_link, drill_link)}</td>"
            f'<td class="text-md-end" data-label="{units_title}">{number(report.total)}</td>'
            f'<td data-label="{registrations_title}"><div class="progress-stacked reg-progress"'
            f' role="img" aria-label="{registration.approved}/{registration.total}">'
            f"{_bar(registration.counts, parts['registration'])}</div>"
            f'<div class="small text-muted mt-1">{registered}</div></td>'
            f'<td data-label="{reports_title}"><div class="progress-stacked reg-progress"'
            f' role="img" aria-label="{report.approved}/{report.total}">'
            f"{_bar(counts, parts['report'])}</div>"
            f'<div class="small text-muted mt-1 status-counts">{status_counts}</div></td>'
            f'<td class="text-md-end" data-label="{overdue_title}">{late}</td></tr>\n'
        )

    return write


def _results_writer(*, campaign, phase, drill: str, query: str):
    """The function writing one row of :func:`results_table` (labels and links made once)."""
    number = numbers()
    own = _escape(_("own report"))
    unit_link = Links("reports:unit", campaign.pk, phase.pk)
    if drill == "dashboard":
        drill_link = Links("reports:dashboard", campaign.pk, query=query)
    else:
        drill_link = Links("reports:rollup", campaign.pk, phase.pk, query=query)

    def write(row) -> str:
        values = "".join(
            f'<td class="text-end text-nowrap" data-testid="results-value">{number(value)}</td>'
            for value in row.values
        )
        return (
            f'<tr data-testid="results-row" data-unit="{_escape(row.unit.code)}">'
            f"<td>{_unit_cell(row, own, unit_link, drill_link)}</td>"
            f'<td class="text-end text-nowrap">{number(row.counted or 0)}/'
            f"{number(row.report.total)}</td>{values}</tr>\n"
        )

    return write


def results_table(data, *, campaign, drill: str, query: str) -> SafeString:
    """The table of the results per branch: the reports counted and each indicator's total
    for the unit's own report and each branch, and the totals (``drill``: the page a branch's
    name opens, "dashboard" or "rollup")."""
    number = numbers()
    table = _table_key("results", campaign.pk, data.phase.pk, drill, query)
    write = None
    out = []
    for row in data.rows:
        key = (table, _unit_key(row), tuple(row.values), row.counted, row.report.total)
        text = ROWS.get(key)
        if text is None:
            write = write or _results_writer(
                campaign=campaign, phase=data.phase, drill=drill, query=query
            )
            text = ROWS.put(key, write(row))
        out.append(text)
    indicators = "".join(
        f'<th class="text-end" title="{_escape(i.name)} ({_escape(i.unit)})">{_escape(i.name)}'
        f'<div class="small text-muted fw-normal">{_escape(i.unit)}</div></th>'
        for i in data.indicators
    )
    if not data.rows:
        none = _escape(_("No unit below."))
        out.append(
            f'<tr><td colspan="{len(data.indicators) + 2}" class="text-muted">{none}</td></tr>'
        )
    totals = "".join(
        f'<td class="text-end text-nowrap">{number(value)}</td>' for value in data.total_values
    )
    unit, counted, total = _escape(_("Unit")), _escape(_("Reports counted")), _escape(_("Total"))
    return SafeString(
        '<div class="table-responsive">\n'
        '<table class="table table-sm table-hover mb-0 results-table" data-testid="results-table">'
        f"\n  <thead><tr>\n    <th>{unit}</th>\n"
        f'    <th class="text-end">{counted}</th>\n'
        f"    {indicators}\n  </tr></thead>\n  <tbody>\n  {''.join(out)}\n  </tbody>\n"
        '  <tfoot><tr class="fw-semibold" data-testid="results-total">\n'
        f"    <td>{total}</td>\n"
        f'    <td class="text-end text-nowrap">{number(data.counted)}/'
        f"{number(data.report.total)}</td>\n    {totals}\n  </tr></tfoot>\n</table>\n</div>\n"
    )


def overdue_rows(rows, *, campaign, phase) -> SafeString:
    """The ``<tr>`` of the units late with their report (a row written before is taken from
    :data:`ROWS`)."""
    table = _table_key("overdue", campaign.pk, phase.pk)
    write = None
    out = []
    for row in rows:
        key = (
            table,
            row.unit.id,
            row.unit.name,
            row.branch,
            row.status,
            row.status_label,
            row.registration_label,
            row.deadline,
            row.extended,
            row.days_late,
        )
        text = ROWS.get(key)
        if text is None:
            write = write or _overdue_writer(campaign=campaign, phase=phase)
            text = ROWS.put(key, write(row))
        out.append(text)
    return _join(out)


def _overdue_writer(*, campaign, phase):
    """The function writing one row of :func:`overdue_rows` (labels and links made once)."""
    number = numbers()
    text = {
        key: _escape(value)
        for key, value in (
            ("branch", _("Branch")),
            ("report", _("Report")),
            ("registration", _("Registration")),
            ("deadline", _("Deadline")),
            ("late", _("Days late")),
        )
    }
    extended = format_html(' <span class="badge text-bg-info">{}</span>', _("extended"))
    unit_link = Links("reports:unit", campaign.pk, phase.pk)

    def write(row) -> str:
        deadline = row.deadline.strftime("%d/%m/%Y") if row.deadline else ""
        return (
            f'<tr data-testid="overdue-row"><td><a href="{unit_link(row.unit.pk)}">'
            f"{_escape(row.unit.name)}</a></td>"
            f'<td class="small" data-label="{text["branch"]}">{_escape(row.branch or "—")}</td>'
            f'<td data-label="{text["report"]}"><span class="badge reg-status '
            f'reg-status-{_escape(row.status)}" data-testid="rep-status">'
            f"{_escape(row.status_label)}</span></td>"
            f'<td class="small" data-label="{text["registration"]}">'
            f"{_escape(row.registration_label)}</td>"
            f'<td class="small text-nowrap" data-label="{text["deadline"]}">{deadline}'
            f"{extended if row.extended else EMPTY}</td>"
            f'<td class="text-md-end text-danger fw-semibold" data-label="{text["late"]}">'
            f"{number(row.days_late)}</td></tr>\n"
        )

    return write


def theme_rows(themes) -> SafeString:
    """The ``<tr>`` of the themes with the units that chose each."""
    number = numbers()
    return _join(
        f'<tr><td><span class="theme-number me-1">{_escape(theme.number)}</span> '
        f'{_escape(theme.title)}</td><td class="text-end fw-semibold" data-testid="theme-count">'
        f"{number(count)}</td></tr>"
        for theme, count in themes
    )


def indicator_rows(rows) -> SafeString:
    """The ``<tr>`` of the common indicators, one column per phase and the change."""
    number = numbers()
    dash = '<td class="text-end text-nowrap"><span class="text-muted">—</span></td>'
    out = []
    for row in rows:
        values = "".join(
            dash if value is None else f'<td class="text-end text-nowrap">{number(value)}</td>'
            for value in row.values
        )
        change = row.change
        if change is None:
            change_cell = ""
        else:
            colour = "text-success" if change >= 0 else "text-danger"
            change_cell = f'<span class="{colour}">{"+" if change > 0 else ""}{change}%</span>'
        out.append(
            f'<tr><td>{_escape(row.indicator.name)} <span class="text-muted">'
            f"({_escape(row.indicator.unit)})</span></td>{values}"
            f'<td class="text-end">{change_cell}</td></tr>\n'
        )
    return _join(out)


def options_html(choices, selected) -> SafeString:
    """The ``<option>`` of a filter's choices (value, label), ``selected`` marked."""
    return _join(
        f'<option value="{_escape(value)}"{" selected" if value == selected else ""}>'
        f"{_escape(label)}</option>"
        for value, label in choices
    )


def phase_options(infos, phase) -> SafeString:
    """The phases of the filter, each with its dates."""
    return options_html(
        (
            (
                info.phase.pk,
                f"{info.phase.name} ({info.phase.start:%d/%m} – {info.phase.end:%d/%m})",
            )
            for info in infos
        ),
        phase.pk,
    )


EVENT_BADGES = {"deadline": "text-bg-danger", "opening": "text-bg-primary"}


def events_html(events) -> SafeString:
    """The ``<li>`` of the next deadlines, reporting openings and milestones."""
    if not events:
        return format_html(
            '<li class="list-group-item text-muted small">{}</li>',
            _("Nothing ahead in this campaign."),
        )
    badges = {
        "deadline": _escape(_("deadline")),
        "opening": _escape(_("opens")),
        "round": _escape(_("round anniversary")),
    }
    today = _escape(_("today"))
    out = []
    for event in events:
        if event.kind in EVENT_BADGES:
            badge = (
                f'<span class="badge {EVENT_BADGES[event.kind]} me-1">{badges[event.kind]}</span>'
            )
        elif event.is_round:
            badge = f'<span class="badge text-bg-warning me-1">{badges["round"]}</span>'
        else:
            badge = ""
        if event.days_left == 0:
            left = today
        else:
            left = _escape(
                ngettext("in %(counter)s day", "in %(counter)s days", event.days_left)
                % {"counter": event.days_left}
            )
        out.append(
            f'<li class="list-group-item d-flex gap-3 align-items-baseline event-{event.kind}">'
            f'<span class="text-nowrap fw-semibold event-date">{event.day:%d/%m/%Y}</span>'
            f'<span class="me-auto">{badge}{_escape(event.text)}</span>'
            f'<span class="small text-muted text-nowrap">{left}</span></li>\n'
        )
    return _join(out)
