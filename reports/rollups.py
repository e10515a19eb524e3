"""Counters of the phase reports per branch of the union tree (see :mod:`emulation.rollups`).

For every unit, the rows of ``BranchReportCount`` and its siblings in :mod:`reports.models`
hold the totals of the reports of its whole subtree (itself included): reports per status,
indicator sums, themes reported and targets summed, per campaign, phase, kind of the counted
unit and report status. A report counts when its unit takes part in the campaign (active,
strictly below the issuer); its indicators, themes and targets count once it is sent
(submitted or approved), which is all the dashboard's scope chooses from.

Every report service calls :func:`report_changed` inside its transaction with the report's
status before and after the change (``None`` when the report did not exist or is gone): it adds
the difference to the rows of the unit and of each ancestor with one upsert per table.
:func:`rebuild` recomputes a campaign's counters from the base tables with one ``GROUP BY``
over the path prefix per level of the tree: the reference the tests compare the running
counters to, what the demo data and the benchmark call after their bulk inserts, and what
:func:`tree_changed` runs when units move, merge, close or change kind.
"""

from collections import defaultdict
from decimal import Context, Decimal

from django.db import connection, transaction
from django.db.models import Max
from django.dispatch import receiver

from campaigns.models import Campaign, Phase
from emulation import rollups
from emulation import sql as esql
from emulation.workflow import SENT, ReviewStatus
from federation.models import Organization
from federation.signals import tree_changed
from reports.models import (
    BranchIndicatorSum,
    BranchReportCount,
    BranchTargetSum,
    BranchThemeCount,
    IndicatorValue,
    PhaseReport,
    TargetResult,
    ThemeResult,
)

BASE = ["campaign", "phase", "branch", "kind", "status"]
TABLES = {
    BranchReportCount: (BASE, ["units"]),
    BranchIndicatorSum: ([*BASE, "indicator"], ["total", "values"]),
    BranchThemeCount: ([*BASE, "theme"], ["reports"]),
    BranchTargetSum: (
        [*BASE, "theme", "key", "name", "unit"],
        ["reports", "targets", "target_total", "achieved_total", "achieved_count"],
    ),
}


# ---------------------------------------------------------------------------------------------
# Keeping the counters as reports change.


def _counts(campaign: Campaign, organization: Organization) -> bool:
    issuer = campaign.issuer
    return (
        organization.is_active
        and organization.path.startswith(issuer.path)
        and organization.depth > issuer.depth
    )


def _content(report_id: int) -> dict:
    """A report's indicators, themes and targets as they add to the counters (three queries)."""
    indicators = list(
        IndicatorValue.objects.filter(report_id=report_id).values_list("indicator_id", "value")
    )
    themes = list(
        ThemeResult.objects.filter(report_id=report_id).values_list("theme_id", flat=True)
    )
    targets: dict[tuple, list] = {}
    for theme_id, key, name, unit, target, achieved in TargetResult.objects.filter(
        theme_result__report_id=report_id
    ).values_list("theme_result__theme_id", "key", "name", "unit", "target", "achieved"):
        sums = targets.setdefault((theme_id, key, name, unit), [1, 0, Decimal(0), Decimal(0), 0])
        sums[1] += 1
        sums[2] += target or 0
        if achieved is not None:
            sums[3] += achieved
            sums[4] += 1
    return {"indicators": indicators, "themes": themes, "targets": targets}


def report_changed(report: PhaseReport, before: str | None, after: str | None) -> None:
    """Add the change of one report to the counters of its unit and of the unit's ancestors:
    ``before`` and ``after`` are its status before and after the change, ``None`` when it did
    not exist yet or was deleted. Call it inside the service's transaction, the report locked
    (its content is read from the database as it stands when a sent status is involved)."""
    if before == after:
        return
    campaign = report.campaign
    organization = report.organization
    if not _counts(campaign, organization):
        return
    paths = rollups.branch_paths(organization.path, Organization.steplen)
    ids = dict(Organization.objects.filter(path__in=paths).values_list("path", "id"))
    branches = [ids[p] for p in paths if p in ids]
    content = _content(report.pk) if before in SENT or after in SENT else None
    rows: dict = defaultdict(list)
    for status, sign in ((before, -1), (after, 1)):
        if status is None:
            continue
        base = {
            "campaign": campaign.pk,
            "phase": report.phase_id,
            "kind": organization.kind,
            "status": status,
        }
        for branch in branches:
            key = {**base, "branch": branch}
            rows[BranchReportCount].append({**key, "units": sign})
            if status not in SENT or content is None:
                continue
            for indicator_id, value in content["indicators"]:
                rows[BranchIndicatorSum].append(
                    {**key, "indicator": indicator_id, "total": sign * value, "values": sign}
                )
            for theme_id in content["themes"]:
                rows[BranchThemeCount].append({**key, "theme": theme_id, "reports": sign})
            for (theme_id, target_key, name, unit), sums in content["targets"].items():
                rows[BranchTargetSum].append(
                    {
                        **key,
                        "theme": theme_id,
                        "key": target_key,
                        "name": name,
                        "unit": unit,
                        "reports": sign * sums[0],
                        "targets": sign * sums[1],
                        "target_total": sign * sums[2],
                        "achieved_total": sign * sums[3],
                        "achieved_count": sign * sums[4],
                    }
                )
    for model, (keys, sums) in TABLES.items():
        if rows[model]:
            rollups.add(model, rows[model], keys=keys, sums=sums)


# ---------------------------------------------------------------------------------------------
# Recomputing from the base tables.


def _select(model, level: int, branches: int = 0) -> tuple[str, str]:
    """The columns and the SELECT ... GROUP BY that compute ``model``'s rows of the branches at
    ``level`` (1 = the roots) from the base tables, for the campaign given as first parameter;
    of ``branches`` branches only when given (their paths are the last parameters)."""
    org = Organization._meta.db_table
    report = PhaseReport._meta.db_table
    quote = connection.ops.quote_name
    width = level * Organization.steplen
    head = ["campaign_id", "phase_id", "branch_id", "kind", "status"]
    select = ["r.campaign_id", "r.phase_id", "b.id", "o.kind", "r.status"]
    joins = [
        f"JOIN {org} o ON o.id = r.organization_id",
        f"JOIN {org} b ON b.path = SUBSTR(o.path, 1, {width})",
    ]
    where = [
        "r.campaign_id = %s",
        "o.is_active = %s",
        "o.path LIKE %s",
        "o.depth > %s",
        f"o.depth >= {level}",
    ]
    group = list(select)
    if branches:
        where.append(f"b.path IN ({', '.join(['%s'] * branches)})")
    if model is BranchReportCount:
        head += ["units"]
        select += ["COUNT(*)"]
    else:
        where.insert(4, "r.status IN (%s, %s)")
        if model is BranchIndicatorSum:
            joins.insert(0, f"JOIN {IndicatorValue._meta.db_table} v ON v.report_id = r.id")
            head += ["indicator_id", "total", "values"]
            select += ["v.indicator_id", "SUM(v.value)", "COUNT(*)"]
            group += ["v.indicator_id"]
        elif model is BranchThemeCount:
            joins.insert(0, f"JOIN {ThemeResult._meta.db_table} t ON t.report_id = r.id")
            head += ["theme_id", "reports"]
            select += ["t.theme_id", "COUNT(*)"]
            group += ["t.theme_id"]
        else:
            joins.insert(
                0,
                f"JOIN {ThemeResult._meta.db_table} t ON t.report_id = r.id "
                f"JOIN {TargetResult._meta.db_table} g ON g.theme_result_id = t.id",
            )
            head += ["theme_id", "key", "name", "unit", "reports", "targets"]
            head += ["target_total", "achieved_total", "achieved_count"]
            select += ["t.theme_id", "g.key", "g.name", "g.unit", "COUNT(DISTINCT r.id)"]
            select += ["COUNT(*)", "SUM(g.target)", "COALESCE(SUM(g.achieved), 0)"]
            select += ["COUNT(g.achieved)"]
            group += ["t.theme_id", "g.key", "g.name", "g.unit"]
    columns = ", ".join(quote(c) for c in head)
    sql = (
        f"SELECT {', '.join(select)} FROM {report} r {' '.join(joins)} "
        f"WHERE {' AND '.join(where)} GROUP BY {', '.join(group)}"
    )
    return columns, sql


def rebuild(campaign: Campaign, paths=None) -> int:
    """Recompute the counters of ``campaign`` from its reports: one INSERT ... SELECT with a
    GROUP BY over the path prefix per table and level of the tree. With ``paths``, only the
    rows of the units at those paths and of their ancestors (what a change of the tree under
    the issuer touches: the branches below keep their own subtrees); every row otherwise.
    Returns the rows written."""
    campaign = Campaign.objects.select_related("issuer").get(pk=campaign.pk)
    issuer = campaign.issuer
    steplen = Organization.steplen
    by_level: dict[int, list[str]] = {}
    ids: list[int] = []
    if paths is not None:
        wanted = {b for p in paths for b in rollups.branch_paths(p, steplen)}
        for path, pk in Organization.objects.filter(path__in=sorted(wanted)).values_list(
            "path", "id"
        ):
            by_level.setdefault(len(path) // steplen, []).append(path)
            ids.append(pk)
        levels = sorted(by_level)
    else:
        deepest = Organization.objects.subtree_of(issuer).aggregate(d=Max("depth"))["d"]
        levels = list(range(1, (deepest or 0) + 1))
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model in TABLES:
            rows = model.objects.filter(campaign=campaign)
            if paths is not None:
                rows = rows.filter(branch_id__in=ids)
            rows.delete()
            table = connection.ops.quote_name(model._meta.db_table)
            for level in levels:
                branches = by_level.get(level, [])
                columns, select = _select(model, level, len(branches))
                params = [campaign.pk, True, issuer.path + "%", issuer.depth]
                if model is not BranchReportCount:
                    params += list(SENT)
                cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params + branches)
                written += max(cursor.rowcount, 0)
    return written


def snapshot(campaign: Campaign) -> dict:
    """Every non-zero counter of the campaign (tests compare it before and after a rebuild)."""
    result = {}
    for model, (keys, sums) in TABLES.items():
        columns = [
            k if k not in ("campaign", "phase", "branch", "indicator", "theme") else f"{k}_id"
            for k in keys
        ]
        for row in model.objects.filter(campaign=campaign).values_list(*columns, *sums):
            values = tuple(
                Decimal(v).quantize(Decimal("0.01")) if isinstance(v, Decimal | float) else v
                for v in row[len(keys) :]
            )
            if any(values):
                result[(model.__name__, *row[: len(keys)])] = values
    return result


# Beyond this many changed units (an import, a large merge), one full rebuild is simpler than
# listing their branches.
PARTIAL = 500


@receiver(tree_changed, dispatch_uid="reports_tree_changed")
def on_tree_changed(sender, paths=(), **kwargs) -> None:
    """Units moved, merged, closed or changed kind: recompute the counters of the campaigns
    whose issuer's subtree holds one of them (the tree's change and the counters commit
    together)."""
    paths = [p for p in paths if p]
    if not paths:
        return
    campaigns = Campaign.objects.select_related("issuer").filter(
        pk__in=PhaseReport.objects.values("campaign_id").distinct()
    )
    rebuilt = []
    for campaign in campaigns:
        issuer = campaign.issuer.path
        if len(paths) <= PARTIAL and all(p.startswith(issuer) and p != issuer for p in paths):
            rebuild(campaign, paths)  # within the issuer's subtree: those branches only
        elif any(p.startswith(issuer) or issuer.startswith(p) for p in paths):
            rebuild(campaign)  # across its edge, or the issuer itself: every row
        else:
            continue
        rebuilt.append(campaign.pk)
    Campaign.figures_changed(rebuilt)


# ---------------------------------------------------------------------------------------------
# Reading.


# The reads below are plain SQL with parameters: a dashboard makes four of them on every first
# view, and building each as a queryset (filters, GROUP BY, converters) cost Django five to ten
# times what the database spends on it. They return what the equivalent querysets returned:
# Django's SQLite backend sums a decimal column as ``CAST(SUM(...) AS NUMERIC)`` and reads it
# back through a 15-digit context, :func:`_decimal` does the same.


def _where(campaign: Campaign, branch_ids, *, kind: str = "", statuses=None, phase=None):
    """The WHERE clause (without the word) and its parameters shared by the reads."""
    branch_ids = list(branch_ids)
    sql = [f"branch_id IN ({', '.join(['%s'] * len(branch_ids))})", "campaign_id = %s"]
    params = [*branch_ids, campaign.pk]
    if phase is not None:
        sql.append("phase_id = %s")
        params.append(phase.pk)
    if kind:
        sql.append("kind = %s")
        params.append(kind)
    if statuses is not None:
        statuses = list(statuses)
        sql.append(f"status IN ({', '.join(['%s'] * len(statuses))})")
        params += statuses
    return " AND ".join(sql), params


def _sum(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(SUM({column}) AS NUMERIC)"
    return f"SUM({column})"


_FLOAT = Context(prec=15).create_decimal_from_float


def _decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    return _FLOAT(value)


def report_counts_sql(campaign: Campaign, phase: Phase, branch_ids, *, kind: str = ""):
    """The statement of :func:`report_counts` (branch id, status, units), to read it alone or
    with others (``emulation.sql.union_all``); ``branch_ids`` must not be empty."""
    where, params = _where(campaign, branch_ids, kind=kind, phase=phase)
    return (
        f"SELECT branch_id, status, SUM(units) FROM {BranchReportCount._meta.db_table}"
        f" WHERE {where} AND units > 0 GROUP BY branch_id, status",
        params,
    )


def _pivot(column: str, value: str, keys, *, decimal: bool = False) -> str:
    """One ``SUM`` per key: the sum of ``value`` over the rows whose ``column`` is that key
    (``NULL`` when none is); ``decimal``: read back as :func:`_sum` reads a decimal sum. The
    keys are the code's own (statuses, ids), written inline."""
    sums = []
    for key in keys:
        literal = key if isinstance(key, int) else "'" + str(key).replace("'", "''") + "'"
        total = f"SUM(CASE WHEN {column} = {literal} THEN {value} END)"
        if decimal and connection.vendor == "sqlite":
            total = f"CAST({total} AS NUMERIC)"
        sums.append(total)
    return ", ".join(sums)


REPORT_STATUSES = tuple(status.value for status in ReviewStatus)


def report_counts_by_branch_sql(campaign: Campaign, phase: Phase, branch_ids, *, kind: str = ""):
    """:func:`report_counts` as one row per branch (branch id, then the units of each status of
    :data:`REPORT_STATUSES`): a quarter of the rows of :func:`report_counts_sql`, to read in
    the dashboard's statement (``emulation.sql.union_all``)."""
    where, params = _where(campaign, branch_ids, kind=kind, phase=phase)
    return (
        f"SELECT branch_id, {_pivot('status', 'units', REPORT_STATUSES)}"
        f" FROM {BranchReportCount._meta.db_table} WHERE {where} AND units > 0"
        " GROUP BY branch_id",
        params,
        1 + len(REPORT_STATUSES),
    )


def report_counts_by_branch_of(rows) -> dict:
    """The rows of :func:`report_counts_by_branch_sql` as :func:`report_counts` gives them."""
    return {
        row[0]: {
            status: int(units)
            for status, units in zip(REPORT_STATUSES, row[1:], strict=True)
            if units
        }
        for row in rows
    }


def report_counts_of(rows) -> dict:
    """The rows of :func:`report_counts_sql` as :func:`report_counts` gives them."""
    result: dict[int, dict] = {}
    for branch_id, status, units in rows:
        result.setdefault(branch_id, {})[status] = units
    return result


def report_counts(campaign: Campaign, phase: Phase, branch_ids, *, kind: str = "") -> dict:
    """branch id -> report status -> units of the branch with a report in that status."""
    branch_ids = list(branch_ids)
    if not branch_ids:
        return {}
    return report_counts_of(esql.fetch(*report_counts_sql(campaign, phase, branch_ids, kind=kind)))


def indicator_sums_sql(
    campaign: Campaign, branch_ids, *, kind: str, statuses, phase=None, every_phase_of=None
):
    """The statement of :func:`indicator_sums`, five columns (branch id, ``NULL``, phase id,
    indicator id, sum) so that it can be read with the status counts
    (``emulation.sql.union_all`` with a width of 5); None when nothing can match."""
    branch_ids, statuses = list(branch_ids), list(statuses)
    if not branch_ids or not statuses:
        return None
    only = phase if every_phase_of is None else None
    where, params = _where(campaign, branch_ids, kind=kind, statuses=statuses, phase=only)
    if phase is not None and every_phase_of is not None:
        where += " AND (phase_id = %s OR branch_id = %s)"
        params += [phase.pk, every_phase_of]
    return (
        f"SELECT branch_id, NULL, phase_id, indicator_id, {_sum('total')}"
        f" FROM {BranchIndicatorSum._meta.db_table}"
        f' WHERE {where} AND "values" > 0 GROUP BY phase_id, branch_id, indicator_id',
        params,
        5,
    )


def indicator_sums_by_branch_sql(
    campaign: Campaign,
    branch_ids,
    indicator_ids,
    *,
    kind: str,
    statuses,
    phase=None,
    every_phase_of=None,
):
    """:func:`indicator_sums_sql` as one row per branch and phase (branch id, phase id, then
    the sum of each indicator of ``indicator_ids``): a fifth of its rows. None when nothing
    can match."""
    branch_ids, statuses, indicator_ids = list(branch_ids), list(statuses), list(indicator_ids)
    if not branch_ids or not statuses or not indicator_ids:
        return None
    only = phase if every_phase_of is None else None
    where, params = _where(campaign, branch_ids, kind=kind, statuses=statuses, phase=only)
    if phase is not None and every_phase_of is not None:
        where += " AND (phase_id = %s OR branch_id = %s)"
        params += [phase.pk, every_phase_of]
    sums = _pivot("indicator_id", "total", indicator_ids, decimal=True)
    return (
        f"SELECT branch_id, phase_id, {sums} FROM {BranchIndicatorSum._meta.db_table}"
        f' WHERE {where} AND "values" > 0 GROUP BY phase_id, branch_id',
        params,
        2 + len(indicator_ids),
    )


def indicator_sums_by_branch_of(rows, indicator_ids) -> dict:
    """The rows of :func:`indicator_sums_by_branch_sql` as :func:`indicator_sums` gives them."""
    result: dict[int, dict] = {}
    cents = Decimal("0.01")
    for row in rows:
        branch_id, phase_id = row[0], row[1]
        sums = {}
        for indicator_id, total in zip(indicator_ids, row[2:], strict=True):
            if total is None:
                continue
            if type(total) is not Decimal:  # SQLite: an int or a float (see _decimal)
                total = _FLOAT(total)
            sums[indicator_id] = total.quantize(cents)
        if sums:
            result.setdefault(phase_id, {})[branch_id] = sums
    return result


def indicator_sums_of(rows) -> dict:
    """The rows of :func:`indicator_sums_sql` as :func:`indicator_sums` gives them."""
    result: dict[int, dict] = {}
    cents = Decimal("0.01")
    for branch_id, _none, phase_id, indicator_id, total in rows:
        if total is not None:
            if type(total) is not Decimal:  # SQLite: an int or a float (see _decimal)
                total = _FLOAT(total)
            total = total.quantize(cents)
        phase = result.get(phase_id)
        if phase is None:
            phase = result[phase_id] = {}
        branch = phase.get(branch_id)
        if branch is None:
            branch = phase[branch_id] = {}
        branch[indicator_id] = total
    return result


def indicator_sums(
    campaign: Campaign, branch_ids, *, kind: str, statuses, phase=None, every_phase_of=None
) -> dict:
    """phase id -> branch id -> indicator id -> sum over the branch's reports in ``statuses``
    (of one phase when ``phase`` is given, but of every phase for the branch
    ``every_phase_of``; indicators nobody reported are left out)."""
    statement = indicator_sums_sql(
        campaign,
        branch_ids,
        kind=kind,
        statuses=statuses,
        phase=phase,
        every_phase_of=every_phase_of,
    )
    if statement is None:
        return {}
    return indicator_sums_of(esql.fetch(statement[0], statement[1]))


def theme_reports(campaign: Campaign, phase: Phase, branch_id: int, *, kind: str, statuses) -> dict:
    """theme id -> reports of the branch in ``statuses`` that speak of it."""
    statuses = list(statuses)
    if not statuses:
        return {}
    where, params = _where(campaign, [branch_id], kind=kind, statuses=statuses, phase=phase)
    return dict(
        esql.fetch(
            f"SELECT theme_id, SUM(reports) FROM {BranchThemeCount._meta.db_table}"
            f" WHERE {where} AND reports > 0 GROUP BY theme_id",
            params,
        )
    )


def target_sums(campaign: Campaign, phase: Phase, branch_id: int, *, kind: str, statuses) -> list:
    """(theme id, key, name, unit, reports, targets, target total, achieved total, achieved
    count) of the branch's reports in ``statuses``, summed over kinds and statuses."""
    statuses = list(statuses)
    if not statuses:
        return []
    where, params = _where(campaign, [branch_id], kind=kind, statuses=statuses, phase=phase)
    return [
        (*row[:6], _decimal(row[6]), _decimal(row[7]), row[8])
        for row in esql.fetch(
            f"SELECT theme_id, key, name, unit, SUM(reports), SUM(targets),"
            f" {_sum('target_total')}, {_sum('achieved_total')}, SUM(achieved_count)"
            f" FROM {BranchTargetSum._meta.db_table}"
            f" WHERE {where} AND NOT (targets = 0) GROUP BY theme_id, key, name, unit",
            params,
        )
    ]


def rebuild_all() -> None:
    """Every campaign's counters (the ``rebuild_counters`` command)."""
    for campaign in Campaign.objects.select_related("issuer").order_by("pk"):
        rebuild(campaign)
