"""The rows of the long tables (the reviewer's queue, the branches and the matrix of the
consolidation), written as HTML here rather than in the template.

Each row is a dozen small template nodes; through Django's template language 50 rows cost about
as much as the rest of the page (10 ms and more on the benchmark machine, see
``docs/benchmarks.md``). ``format_html`` writes the same markup, escaped the same way, in a tenth
of that. The labels are translated once per table, not once per row.
"""

import html

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from emulation.templatetags.humanize_vi import number
from emulation.workflow import ReviewStatus
from registrations.models import NOT_REGISTERED
from registrations.selectors import STATUS_ORDER, status_label

EMPTY = mark_safe("")


def _escape(value) -> str:
    """As Django's ``conditional_escape``, without its lazy-string wrapper (a few µs a call,
    a thousand calls a table)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(format_string: str, *args) -> SafeString:
    """As ``django.utils.html.format_html``, with :func:`_escape`."""
    return mark_safe(format_string.format(*(_escape(arg) for arg in args)))


def format_html_join(sep: str, format_string: str, args_generator) -> SafeString:
    return mark_safe(sep.join(format_html(format_string, *args) for args in args_generator))


def _join(parts) -> SafeString:
    return mark_safe("".join(parts))


# ---------------------------------------------------------------------------------------------
# The reviewer's queue.


def queue_rows(rows, *, csrf_token: str, here: str, here_quoted: str) -> SafeString:
    """The ``<tr>`` of each unit of the queue (as prepared by ``QueueView``)."""
    text = {
        "status": _("Status"),
        "sent": _("Sent"),
        "deadline": _("Deadline"),
        "below": _("units below it"),
        "overdue": _("overdue"),
        "extended": _("extended"),
        "approve": pgettext("review action", "Approve"),
        "return": _("Return"),
        "extend": _("Extend"),
        "view": _("View"),
        "select": _("Select"),
        "rev": _("rev."),
    }
    return _join(_queue_row(row, text, csrf_token, here, here_quoted) for row in rows)


def _queue_row(row, text, csrf_token, here, here_quoted) -> str:
    select = EMPTY
    if row.can_approve:
        select = format_html(
            '<input class="form-check-input" type="checkbox" name="ids" value="{}" '
            'form="bulk-form" aria-label="{}: {}" data-testid="queue-select">',
            row.registration_id,
            text["select"],
            row.name,
        )
    below = EMPTY
    if row.queue_url:
        below = format_html(
            '<div class="small"><a class="text-muted" href="{}">{} ›</a></div>',
            row.queue_url,
            text["below"],
        )
    revision = EMPTY
    if (row.registration_revision or 0) > 1:
        revision = format_html(
            ' <span class="small text-muted">{} {}</span>', text["rev"], row.registration_revision
        )
    if row.is_overdue:
        deadline = format_html(
            '<span class="text-danger fw-semibold">{} · {}</span>',
            row.deadline_text,
            text["overdue"],
        )
    else:
        deadline = row.deadline_text
    extended = EMPTY
    if row.extended_until:
        extended = format_html(' <span class="badge text-bg-info">{}</span>', text["extended"])
    actions = EMPTY
    if row.can_approve:
        actions = format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><input type="hidden" name="version" value="{}"><input type="hidden" '
            'name="next" value="{}"><button class="btn btn-success btn-sm" type="submit" '
            'data-testid="queue-approve">{}</button></form>\n'
            '<a class="btn btn-outline-warning btn-sm" href="{}?next={}" '
            'data-testid="queue-return">{}</a>\n',
            row.approve_url,
            csrf_token,
            row.registration_version,
            here,
            text["approve"],
            row.return_url,
            here_quoted,
            text["return"],
        )
    elif row.can_extend:
        actions = format_html(
            '<a class="btn btn-outline-secondary btn-sm" href="{}?next={}">{}</a>\n',
            row.extend_url,
            here_quoted,
            text["extend"],
        )
    return format_html(
        '<tr data-testid="queue-row" data-unit="{}">\n'
        "<td>{}</td>\n"
        '<td><a href="{}" data-testid="queue-unit">{}</a> '
        '<span class="text-muted small">{}</span>{}</td>\n'
        '<td data-label="{}"><span class="badge reg-status reg-status-{}" '
        'data-testid="reg-status">{}</span>{}</td>\n'
        '<td class="small text-nowrap" data-label="{}">{}</td>\n'
        '<td class="small text-nowrap" data-label="{}">{}{}</td>\n'
        '<td class="text-md-end queue-actions">{}'
        '<a class="btn btn-outline-secondary btn-sm" href="{}">{}</a></td>\n'
        "</tr>\n",
        row.code,
        select,
        row.unit_url,
        row.name,
        row.code,
        below,
        text["status"],
        row.status,
        row.status_label,
        revision,
        text["sent"],
        row.sent_text,
        text["deadline"],
        deadline,
        extended,
        actions,
        row.unit_url,
        text["view"],
    )


# ---------------------------------------------------------------------------------------------
# The consolidation.


def branch_rows(branches) -> SafeString:
    """The ``<tr>`` of each branch (as prepared by ``SummaryView``): its counts and a bar of
    its registrations, approved first. The labels are escaped once for the table; the figures
    are numbers, which need no escaping."""
    text = {
        "units": _("Units"),
        "approved": pgettext("review status", "Approved"),
        "submitted": pgettext("review status", "Awaiting review"),
        "none": pgettext("review status", "Not registered"),
        "own": _("own registration"),
    }
    text = {key: _escape(value) for key, value in text.items()}
    bar_label = _("%(approved)s of %(total)s approved")
    statuses = [s for s in reversed(STATUS_ORDER) if s != NOT_REGISTERED]
    labels = {status: _escape(status_label(status)) for status in statuses}
    rows = []
    for row in branches:
        if row.is_self:
            name = f'{_escape(row.unit.name)} <span class="text-muted small">({text["own"]})</span>'
        else:
            name = f'<a href="{_escape(row.url)}">{_escape(row.unit.name)}</a>'
        progress = row.progress
        counts = progress.counts
        bar = "".join(
            f'<div class="progress" style="width: {progress.percent(status)}%"><div '
            f'class="progress-bar reg-seg-{status}" title="{labels[status]}: {counts[status]}">'
            "</div></div>"
            for status in statuses
            if counts.get(status)
        )
        label = _escape(bar_label % {"approved": progress.approved, "total": progress.total})
        rows.append(
            f'<tr data-testid="summary-branch">\n<td>{name}</td>\n'
            f'<td class="text-md-end" data-label="{text["units"]}">{progress.total}</td>\n'
            f'<td class="text-md-end" data-label="{text["approved"]}">{progress.approved}</td>\n'
            f'<td class="text-md-end" data-label="{text["submitted"]}">{progress.submitted}'
            "</td>\n"
            f'<td class="text-md-end" data-label="{text["none"]}">'
            f"{counts.get(NOT_REGISTERED, 0)}</td>\n"
            f'<td><div class="progress-stacked reg-progress" role="img" aria-label="{label}">'
            f"{bar}</div></td>\n</tr>\n"
        )
    return _join(rows)


def theme_rows(themes, max_units: int) -> SafeString:
    """The ``<tr>`` of each theme of the consolidation: the units that chose it, with a bar
    against the most chosen one, and its targets summed."""
    units_title = _("Units")
    targets_title = _("Targets summed")
    average = _("average")
    rows = []
    for total in themes:
        bar = EMPTY
        if max_units:
            width = round(total.units * 100 / max_units)
            bar = format_html(
                '<div class="theme-bar mt-1"><span style="width: {}%"></span></div>', width
            )
        targets = _join(
            format_html(
                '<div data-testid="theme-target">{}: {}<strong>{}</strong> {} '
                '<span class="text-muted">({})</span></div>',
                target.name,
                f"{average} " if target.is_rate else "",
                number(target.value),
                target.unit,
                ngettext("%(counter)s unit", "%(counter)s units", target.units)
                % {"counter": target.units},
            )
            for target in total.targets
        ) or mark_safe('<span class="text-muted">—</span>')
        rows.append(
            format_html(
                '<tr data-testid="summary-theme">\n'
                '<td class="stack-muted"><span class="reg-num">{}</span></td>\n'
                '<td class="fw-semibold">{}</td>\n'
                '<td class="text-md-end" data-label="{}"><span data-testid="theme-units">{}'
                "</span>{}</td>\n"
                '<td class="small" data-label="{}">{}</td>\n</tr>\n',
                total.theme.number,
                total.theme.title,
                units_title,
                number(total.units),
                bar,
                targets_title,
                targets,
            )
        )
    return _join(rows)


def matrix_rows(rows) -> SafeString:
    """The ``<tr>`` of each registration of the matrix: its unit and a mark under each theme it
    chose (as prepared by ``SummaryView``)."""
    mark = mark_safe('<td class="theme-col">✓</td>')
    blank = mark_safe('<td class="theme-col"></td>')
    result = []
    for row in rows:
        badge = EMPTY
        if row.status != ReviewStatus.APPROVED:
            badge = format_html(
                ' <span class="badge reg-status reg-status-{}">{}</span>',
                row.status,
                row.status_label,
            )
        marks = _join(mark if chosen else blank for chosen in row.marks)
        result.append(
            format_html(
                '<tr data-testid="matrix-row">\n<td><a href="{}">{}</a>{}</td>\n{}\n</tr>\n',
                row.url,
                row.organization.name,
                badge,
                marks,
            )
        )
    return _join(result)


# ---------------------------------------------------------------------------------------------
# The progress bar of the queue and of the consolidation.


def progress_html(progress, *, legend: bool = False) -> SafeString:
    """What ``registrations/_progress.html`` writes for ``progress`` (the same markup), without
    a template include and its dozen nodes per segment."""
    segments = progress.segments
    bar = _join(
        format_html(
            '<div class="progress" style="width: {}%"><div class="progress-bar reg-seg-{}" '
            'title="{}: {}"></div></div>',
            seg["percent"],
            seg["status"],
            seg["label"],
            number(seg["count"]),
        )
        for seg in segments
        if seg["count"] and seg["status"] != NOT_REGISTERED
    )
    label = _("%(approved)s of %(total)s approved") % {
        "approved": progress.approved,
        "total": progress.total,
    }
    html_ = format_html(
        '<div class="progress-stacked reg-progress" role="img" aria-label="{}" '
        'data-testid="progress">\n  {}\n</div>\n',
        label,
        bar,
    )
    if legend:
        items = _join(
            format_html(
                '<span><i class="reg-seg-{}"></i>{}: <strong>{}</strong></span>',
                seg["status"],
                seg["label"],
                number(seg["count"]),
            )
            for seg in segments
        )
        html_ = format_html('{}<div class="reg-legend mt-2">\n  {}\n</div>\n', html_, items)
    return html_


# ---------------------------------------------------------------------------------------------
# The breadcrumb of the queue and of the consolidation.


def breadcrumb_html(campaign, unit, ancestors, *, queue_url, here: str = "", unit_link: str = ""):
    """What ``registrations/_breadcrumb.html`` writes (the same markup), without a template
    include; ``queue_url`` maps a unit's id to its queue (see ``views._url_maker``)."""
    number = f"{_escape(campaign.document_number)} · " if campaign.document_number else ""
    links = "".join(
        f'<li class="breadcrumb-item"><a href="{_escape(queue_url(parent.pk))}">'
        f"{_escape(parent.display_name)}</a></li>"
        for parent in ancestors
        if parent.link
    )
    if here:
        tail = (
            f'<li class="breadcrumb-item"><a href="{_escape(unit_link or "#")}">'
            f"{_escape(unit.display_name)}</a></li>\n    "
            f'<li class="breadcrumb-item active" aria-current="page">{_escape(here)}</li>\n    '
        )
    else:
        tail = (
            f'<li class="breadcrumb-item active" aria-current="page">'
            f"{_escape(unit.display_name)}</li>"
        )
    return mark_safe(
        f'\n<nav aria-label="{_escape(_("Breadcrumb"))}">\n'
        '  <ol class="breadcrumb small mb-3" data-testid="breadcrumb">\n'
        f'    <li class="breadcrumb-item"><a href="{_escape(reverse("registrations:index"))}">'
        f"{_escape(_('Registrations'))}</a></li>\n"
        f'    <li class="breadcrumb-item"><a href="{_escape(campaign.get_absolute_url())}">'
        f"{number}{_escape(campaign.year)}</a></li>\n"
        f"    {links}\n    {tail}\n  </ol>\n</nav>\n"
    )
