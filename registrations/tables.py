"""The rows of the long tables (the reviewer's queue, the branches and the matrix of the
consolidation), written as HTML here rather than in the template.

Each row is a dozen small template nodes; through Django's template language 50 rows cost about
as much as the rest of the page (10 ms and more on the benchmark machine, see
``docs/benchmarks.md``). ``format_html`` writes the same markup, escaped the same way, in a tenth
of that. The labels are translated once per table, not once per row.
"""

from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from emulation.html import EMPTY, format_html, url_format
from emulation.html import escape as _escape
from emulation.html import join as _join
from emulation.templatetags.humanize_vi import number
from emulation.workflow import ReviewStatus
from registrations.models import NOT_REGISTERED
from registrations.selectors import STATUS_ORDER, status_label

NO_TARGET = '<span class="text-muted">—</span>'


def _number(value) -> str:
    """``number(value)``, escaped; a whole decimal takes the short path of an integer (the
    same text: grouped digits, no decimals) instead of ``numberformat``."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return _escape(number(value))


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
    approved, submitted = ReviewStatus.APPROVED, ReviewStatus.SUBMITTED
    rows = []
    for row in branches:
        if row.is_self:
            name = f'{_escape(row.unit.name)} <span class="text-muted small">({text["own"]})</span>'
        else:
            name = f'<a href="{_escape(row.url)}">{_escape(row.unit.name)}</a>'
        counts = row.progress.counts
        total = counts.get("total", 0)
        bar = []
        for status in statuses:
            count = counts.get(status)
            if count:
                # ``Progress.percent``
                percent = f"{count * 100 / total:.2f}" if total else "0"
                bar.append(
                    f'<div class="progress" style="width: {percent}%"><div class="progress-bar '
                    f'reg-seg-{status}" title="{labels[status]}: {count}"></div></div>'
                )
        done = counts.get(approved, 0)
        label = _escape(bar_label % {"approved": done, "total": total})
        rows.append(
            f'<tr data-testid="summary-branch">\n<td>{name}</td>\n'
            f'<td class="text-md-end" data-label="{text["units"]}">{total}</td>\n'
            f'<td class="text-md-end" data-label="{text["approved"]}">{done}</td>\n'
            f'<td class="text-md-end" data-label="{text["submitted"]}">'
            f"{counts.get(submitted, 0)}</td>\n"
            f'<td class="text-md-end" data-label="{text["none"]}">'
            f"{counts.get(NOT_REGISTERED, 0)}</td>\n"
            f'<td><div class="progress-stacked reg-progress" role="img" aria-label="{label}">'
            f"{''.join(bar)}</div></td>\n</tr>\n"
        )
    return _join(rows)


def theme_rows(themes, max_units: int) -> SafeString:
    """The ``<tr>`` of each theme of the consolidation: the units that chose it, with a bar
    against the most chosen one, and its targets summed. The labels are translated and
    escaped once for the table, "n units" once per number."""
    units_title = _escape(_("Units"))
    targets_title = _escape(_("Targets summed"))
    average = _escape(_("average")) + " "
    plurals: dict[int, str] = {}
    rows = []
    for total in themes:
        bar = ""
        if max_units:
            width = round(total.units * 100 / max_units)
            bar = f'<div class="theme-bar mt-1"><span style="width: {width}%"></span></div>'
        targets = []
        for target in total.targets:
            units = target.units
            plural = plurals.get(units)
            if plural is None:
                plural = plurals[units] = _escape(
                    ngettext("%(counter)s unit", "%(counter)s units", units) % {"counter": units}
                )
            targets.append(
                f'<div data-testid="theme-target">{_escape(target.name)}: '
                f"{average if target.is_rate else ''}<strong>{_number(target.value)}</strong> "
                f'{_escape(target.unit)} <span class="text-muted">({plural})</span></div>'
            )
        rows.append(
            '<tr data-testid="summary-theme">\n'
            f'<td class="stack-muted"><span class="reg-num">{_escape(total.theme.number)}'
            "</span></td>\n"
            f'<td class="fw-semibold">{_escape(total.theme.title)}</td>\n'
            f'<td class="text-md-end" data-label="{units_title}"><span data-testid="theme-units">'
            f"{_number(total.units)}</span>{bar}</td>\n"
            f'<td class="small" data-label="{targets_title}">{"".join(targets) or NO_TARGET}'
            "</td>\n</tr>\n"
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
    segments = [
        (_escape(seg["status"]), _escape(seg["label"]), _number(seg["count"]), seg)
        for seg in progress.segments
    ]
    bar = "".join(
        f'<div class="progress" style="width: {_escape(seg["percent"])}%"><div '
        f'class="progress-bar reg-seg-{status}" title="{label}: {count}"></div></div>'
        for status, label, count, seg in segments
        if seg["count"] and seg["status"] != NOT_REGISTERED
    )
    label = _("%(approved)s of %(total)s approved") % {
        "approved": progress.approved,
        "total": progress.total,
    }
    html_ = (
        f'<div class="progress-stacked reg-progress" role="img" aria-label="{_escape(label)}" '
        f'data-testid="progress">\n  {bar}\n</div>\n'
    )
    if legend:
        items = "".join(
            f'<span><i class="reg-seg-{status}"></i>{label}: <strong>{count}</strong></span>'
            for status, label, count, _seg in segments
        )
        html_ += f'<div class="reg-legend mt-2">\n  {items}\n</div>\n'
    return mark_safe(html_)


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
    breadcrumb, registrations = _escape(_("Breadcrumb")), _escape(_("Registrations"))
    return mark_safe(
        f'\n<nav aria-label="{breadcrumb}">\n'
        '  <ol class="breadcrumb small mb-3" data-testid="breadcrumb">\n'
        f'    <li class="breadcrumb-item"><a href="{_escape(url_format("registrations:index", 0).format())}">'
        f"{registrations}</a></li>\n"
        f'    <li class="breadcrumb-item"><a href="{_escape(campaign.get_absolute_url())}">'
        f"{number}{_escape(campaign.year)}</a></li>\n"
        f"    {links}\n    {tail}\n  </ol>\n</nav>\n"
    )
