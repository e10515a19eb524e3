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
counters to, what the demo data and the benchmark call after their bulk inserts. When units
move, merge or change kind (``federation.signals.tree_changed``), the counters move by the
change's difference (``federation.signals.apply_tree_changes``): a moved unit's own rows, the
totals of its subtree, leave its old ancestors and join the new ones; a closed unit's or a new
kind's own reports go through :func:`report_changed`; only a subtree that enters a campaign's
issuer's subtree is counted from the base tables, that subtree alone.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Sum, Value, When
from django.dispatch import receiver

from campaigns.models import Campaign, Phase
from emulation import rollups
from emulation.workflow import SENT, ReviewStatus
from federation.models import Organization, children_q, subtrees_q
from federation.signals import Moved, apply_tree_changes, tree_changed
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


def _select(model, level: int, branches: int = 0, subtrees: int = 1) -> tuple[str, str]:
    """The columns and the SELECT ... GROUP BY that compute ``model``'s rows of the branches at
    ``level`` (1 = the roots) from the base tables, for the campaign given as first parameter,
    of the reports of units under one of ``subtrees`` path patterns (the next parameters);
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
        "(" + " OR ".join(["o.path LIKE %s"] * subtrees) + ")",
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


def _branches(roots):
    """The ids of the units in the subtrees of ``roots``, as a subquery: a delete of the
    counters of these branches walks the counters' index, which starts with the branch,
    instead of joining every counter row of the campaign to its unit."""
    return Organization.objects.filter(subtrees_q(roots)).values("pk")


def rebuild(campaign: Campaign, paths=None, *, under=None) -> int:
    """Recompute the counters of ``campaign`` from its reports: one INSERT ... SELECT with a
    GROUP BY over the path prefix per table and level of the tree. With ``paths``, only the
    rows of the units at those paths and of their ancestors (what a change of the tree under
    the issuer touches: the branches below keep their own subtrees); with ``under`` (the paths
    of units that have just entered the issuer's subtree, none below another), only the rows
    of the branches of those units' subtrees, from their reports (the branches above them are
    left to the caller); every row otherwise. Returns the rows written."""
    campaign = Campaign.objects.select_related("issuer").get(pk=campaign.pk)
    issuer = campaign.issuer
    steplen = Organization.steplen
    by_level: dict[int, list[str]] = {}
    ids: list[int] = []
    roots = None if under is None else sorted(set(under))
    if paths is not None:
        wanted = {b for p in paths for b in rollups.branch_paths(p, steplen)}
        for path, pk in Organization.objects.filter(path__in=sorted(wanted)).values_list(
            "path", "id"
        ):
            by_level.setdefault(len(path) // steplen, []).append(path)
            ids.append(pk)
        levels = sorted(by_level)
    elif roots is not None:
        if not roots:
            return 0
        deepest = Organization.objects.filter(subtrees_q(roots)).aggregate(d=Max("depth"))["d"]
        levels = list(range(min(len(root) for root in roots) // steplen, (deepest or 0) + 1))
    else:
        deepest = Organization.objects.subtree_of(issuer).aggregate(d=Max("depth"))["d"]
        levels = list(range(1, (deepest or 0) + 1))
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model in TABLES:
            rows = model.objects.filter(campaign=campaign)
            if paths is not None:
                rows = rows.filter(branch_id__in=ids)
            elif roots is not None:
                rows = rows.filter(branch__in=_branches(roots))
            rows.delete()
            table = connection.ops.quote_name(model._meta.db_table)
            for level in levels:
                branches = by_level.get(level, [])
                if roots is None:
                    patterns = [issuer.path + "%"]
                else:  # the subtrees as deep as this level or deeper (the shallowest one is)
                    patterns = [root + "%" for root in roots if len(root) <= level * steplen]
                columns, select = _select(model, level, len(branches), len(patterns))
                params = [campaign.pk, True, *patterns, issuer.depth]
                if model is not BranchReportCount:
                    params += list(SENT)
                cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params + branches)
                written += max(cursor.rowcount, 0)
    return written


# Beyond this many changed units (an import, a large merge), one full rebuild is simpler than
# listing their branches.
PARTIAL = 500


def _carried(sums, total: dict, branch_id: int, sign: int) -> dict:
    return total | {name: sign * total[name] for name in sums} | {"branch": branch_id}


def _moved(moves: list[Moved]) -> set[int]:
    """Units moved with their subtrees (none below another): in each campaign with reports
    whose issuer was or is above a moved unit, or moved with it, the rows of the unit itself
    (the totals of its subtree) leave its old ancestors and join the new ones, one upsert per
    table for all of them. A subtree that enters the issuer's subtree is counted first
    (:func:`rebuild` ``under`` it, a work as long as the subtree); one that leaves it loses its
    rows. The rows inside a subtree stay. Returns the ids of the campaigns changed."""
    steplen = Organization.steplen
    chains = {
        path: rollups.branch_paths(path, steplen)[:-1]
        for move in moves
        for path in (move.old_path, move.new_path)
    }
    around = Q(issuer__path__in={p for chain in chains.values() for p in chain})
    campaigns = list(
        Campaign.objects.select_related("issuer").filter(
            # The issuers moved with a subtree are below one of the new parents.
            around | subtrees_q({m.new_path[:-steplen] for m in moves}, "issuer__"),
            Exists(PhaseReport.objects.filter(campaign=OuterRef("pk"))),
        )
    )
    plan = []  # (move, campaign, was counted, is counted)
    entered: dict[int, list[str]] = defaultdict(list)
    for move in moves:
        old, new = move.old_path, move.new_path
        for campaign in campaigns:
            issuer = campaign.issuer.path
            was_in, is_in = old.startswith(issuer), new.startswith(issuer)
            if issuer.startswith(new):
                plan.append((move, campaign, True, True))  # the issuer moved with the subtree
            elif was_in or is_in:
                plan.append((move, campaign, was_in, is_in))
                if not was_in:
                    entered[campaign.pk].append(new)
    for campaign in campaigns:
        if entered[campaign.pk]:
            rebuild(campaign, under=entered[campaign.pk])
    if not plan:
        return set()
    ids = dict(
        Organization.objects.filter(
            path__in={p for chain in chains.values() for p in chain}
        ).values_list("path", "id")
    )

    def carry(model, sums, total, campaign, end, sign):
        return [_carried(sums, total, ids[path], sign) for path in chains[end] if path in ids]

    tables = [(model, keys, sums) for model, (keys, sums) in TABLES.items()]
    rows, left = rollups.carried_rows(tables, plan, carry)
    rollups.apply_carried(tables, rows, left, _branches)
    return {campaign.pk for _move, campaign, _was, _is in plan}


def _own_changed(unit_id: int, path: str, *, before: dict | None, after: dict | None) -> set[int]:
    """The unit's own reports counted as those of a unit of ``before`` (its fields ``kind`` and
    ``is_active``; None: not counted) and now of ``after``: :func:`report_changed` takes them
    away as they were and adds them as they are. Returns the ids of the campaigns changed."""
    touched = set()
    depth = len(path) // Organization.steplen
    for report in PhaseReport.objects.filter(organization_id=unit_id).select_related(
        "campaign__issuer"
    ):
        for fields, status_before, status_after in (
            (before, report.status, None),
            (after, None, report.status),
        ):
            if fields is None:
                continue
            unit = Organization(pk=unit_id, path=path, depth=depth, **fields)
            if _counts(report.campaign, unit):
                touched.add(report.campaign_id)
                as_counted = PhaseReport(
                    pk=report.pk,
                    campaign=report.campaign,
                    phase_id=report.phase_id,
                    organization=unit,
                )
                report_changed(as_counted, status_before, status_after)
    return touched


@receiver(tree_changed, dispatch_uid="reports_tree_changed")
def on_tree_changed(sender, paths=(), changes=None, **kwargs) -> None:
    """Units moved, merged, closed or changed kind, in the transaction of the change. With
    ``changes`` (what the federation's services send), the counters move by the change's
    difference (``federation.signals.apply_tree_changes``). Without, the counters of the
    campaigns whose issuer's subtree holds one of the ``paths`` are recomputed from the base
    tables."""
    if changes is not None:
        touched = apply_tree_changes(changes, moved=_moved, own_changed=_own_changed)
        Campaign.figures_changed(touched)
        return
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
# Reading: querysets over the rows of the branches asked for, one statement each.

REPORT_STATUSES = tuple(status.value for status in ReviewStatus)
CENTS = Decimal("0.01")
# The key, in the reads below, of the other children of ``rest_of`` summed as one branch.
REST = 0


def branches_q(branch_ids, rest_of: Organization | None = None) -> Q:
    """The counter rows (of any model with a ``branch``) of the branches ``branch_ids``; with
    ``rest_of`` (a unit of ``branch_ids``, a page of whose children are the others), also
    those of its other active children, which :func:`branch_key` sums as one row: what a page
    of children needs of those it does not show (the unit's own row is its whole less all
    its children)."""
    if rest_of is None:
        return Q(branch_id__in=list(branch_ids))
    # One subquery, the unit and all its active children (the page's among them): the counters'
    # index, which starts with the branch, is walked for each (an OR with the page's ids would
    # make the database read every counter row of the campaign).
    branches = Organization.objects.filter(
        Q(pk=rest_of.pk) | Q(children_q(rest_of), is_active=True)
    ).values("pk")
    return Q(branch_id__in=branches)


def branch_key(branch_ids, rest_of: Organization | None = None):
    """What the rows of :func:`branches_q` are grouped by: their branch, or :data:`REST` for
    the other children of ``rest_of``."""
    if rest_of is None:
        return F("branch_id")
    return Case(When(branch_id__in=list(branch_ids), then=F("branch_id")), default=Value(REST))


def _counters(
    model,
    campaign: Campaign,
    branch_ids,
    *,
    kind: str = "",
    statuses=None,
    phase=None,
    rest_of=None,
):
    """The counter rows of ``model`` for the branches ``branch_ids`` of ``campaign`` (of one
    phase, kind of counted unit and report statuses when given; ``rest_of``: see
    :func:`branches_q`)."""
    queryset = model.objects.filter(branches_q(branch_ids, rest_of), campaign=campaign)
    if phase is not None:
        queryset = queryset.filter(phase=phase)
    if kind:
        queryset = queryset.filter(kind=kind)
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    return queryset.order_by()


def report_counts(
    campaign: Campaign, phase: Phase, branch_ids, *, kind: str = "", rest_of=None
) -> dict:
    """branch id -> report status -> units of the branch with a report in that status (one row
    per branch; statuses of no unit and branches of none left out; ``rest_of``: see
    :func:`branches_q`)."""
    branch_ids = list(branch_ids)
    if not branch_ids:
        return {}
    rows = (
        _counters(BranchReportCount, campaign, branch_ids, kind=kind, phase=phase, rest_of=rest_of)
        .annotate(row_branch=branch_key(branch_ids, rest_of))
        .values("row_branch")
        .annotate(
            **{f"n_{status}": Sum("units", filter=Q(status=status)) for status in REPORT_STATUSES}
        )
    )
    result = {}
    for row in rows:
        counts = {s: row[f"n_{s}"] for s in REPORT_STATUSES if row[f"n_{s}"]}
        if counts:
            result[row["row_branch"]] = counts
    return result


def indicator_sums(
    campaign: Campaign,
    branch_ids,
    *,
    kind: str,
    statuses,
    phase=None,
    every_phase_of=None,
    rest_of=None,
) -> dict:
    """phase id -> branch id -> indicator id -> sum over the branch's reports in ``statuses``
    (of one phase when ``phase`` is given, but of every phase for the branch
    ``every_phase_of``; indicators nobody reported are left out; ``rest_of``: see
    :func:`branches_q`)."""
    branch_ids, statuses = list(branch_ids), list(statuses)
    if not branch_ids or not statuses:
        return {}
    queryset = (
        _counters(
            BranchIndicatorSum, campaign, branch_ids, kind=kind, statuses=statuses, rest_of=rest_of
        )
        .filter(values__gt=0)
        .annotate(row_branch=branch_key(branch_ids, rest_of))
    )
    if phase is not None:
        one_phase = Q(phase=phase)
        if every_phase_of is not None:
            one_phase |= Q(branch_id=every_phase_of)
        queryset = queryset.filter(one_phase)
    result: dict[int, dict] = {}
    for row in queryset.values("phase_id", "row_branch", "indicator_id").annotate(sum=Sum("total")):
        total = row["sum"]
        if total is not None:
            total = Decimal(total).quantize(CENTS)
        by_branch = result.setdefault(row["phase_id"], {})
        by_branch.setdefault(row["row_branch"], {})[row["indicator_id"]] = total
    return result


def theme_reports(campaign: Campaign, phase: Phase, branch_id: int, *, kind: str, statuses) -> dict:
    """theme id -> reports of the branch in ``statuses`` that speak of it."""
    statuses = list(statuses)
    if not statuses:
        return {}
    rows = (
        _counters(
            BranchThemeCount, campaign, [branch_id], kind=kind, statuses=statuses, phase=phase
        )
        .filter(reports__gt=0)
        .values("theme_id")
        .annotate(reports_sum=Sum("reports"))
    )
    return {row["theme_id"]: row["reports_sum"] for row in rows}


def target_sums(campaign: Campaign, phase: Phase, branch_id: int, *, kind: str, statuses) -> list:
    """(theme id, key, name, unit, reports, targets, target total, achieved total, achieved
    count) of the branch's reports in ``statuses``, summed over kinds and statuses."""
    statuses = list(statuses)
    if not statuses:
        return []
    return list(
        _counters(BranchTargetSum, campaign, [branch_id], kind=kind, statuses=statuses, phase=phase)
        .exclude(targets=0)
        .values("theme_id", "key", "name", "unit")
        .annotate(
            reports_sum=Sum("reports"),
            targets_sum=Sum("targets"),
            target_sum=Sum("target_total"),
            achieved_sum=Sum("achieved_total"),
            achieved_count_sum=Sum("achieved_count"),
        )
        .values_list(
            "theme_id",
            "key",
            "name",
            "unit",
            "reports_sum",
            "targets_sum",
            "target_sum",
            "achieved_sum",
            "achieved_count_sum",
        )
    )


def rebuild_all() -> None:
    """Every campaign's counters (the ``rebuild_counters`` command)."""
    for campaign in Campaign.objects.select_related("issuer").order_by("pk"):
        rebuild(campaign)
