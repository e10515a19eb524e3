"""Counters of registrations per branch of the union tree, kept by the services.

For every unit that has registrations of a campaign in its subtree (itself included), the tables
of ``registrations/models.py`` hold the totals of that subtree:

- ``RegistrationCount``: units per status of their registration, by the counted units' kind and
  level (0: the branch itself, 1: a unit directly below it, 2: further below, so the reviewer's
  queue reads its direct children's counts from one row per status); for registrations awaiting
  review or approved, also their works and products (count, estimated value, units with one);
- ``ThemeChoiceCount``: units that chose each theme;
- ``TargetSum``: alike targets (``Target.key``) per theme: units, targets and their sum;
- ``TargetLabel``: the name and unit of measure shown for a key.

Themes, targets and works count only for registrations awaiting review or approved
(``COUNTED_CONTENT``): the consolidation counts "approved" or "approved and awaiting review",
and the unit can edit its content only in the other states, so an edit of a draft never touches
these tables. A registration counts when its unit takes part in the campaign (active, strictly
below the issuer); the branches counted are the issuer and the units below it.

Every service that creates a registration or changes its status calls :func:`record` inside its
transaction: one upsert per table for the unit and all its ancestors (``emulation.rollups.add``).
:func:`rebuild` recomputes a campaign's counters from the base tables with one ``GROUP BY`` per
level of the tree over the path prefix; it is the reference the tests compare the counters to,
and what bulk loads (the demo, the benchmark) call. A change of the tree (a move, a merge, a
change of kind: ``federation.signals.tree_changed``) moves the counters by its difference
(:func:`apply_tree_changes`): a moved unit's own rows, the totals of its subtree, leave its old
ancestors and join the new ones; a closed unit's or a new kind's own registrations go through
:func:`record`. Only a subtree that enters a campaign's issuer's subtree is counted from the
base tables, that subtree alone. The cost is that of a few upserts (plus the subtree that
enters), whatever the size of the tree.

Public reads for other apps: :func:`status_counts`, :func:`theme_counts`, :func:`target_sums`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, F, Max, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Substr

from campaigns.models import Campaign, Theme
from emulation import rollups
from emulation.workflow import SENT, ReviewStatus
from federation import signals as federation_signals
from federation.models import Organization, subtree_q, subtrees_q
from registrations.models import (
    KeyWork,
    Level,
    RegisteredTheme,
    Registration,
    RegistrationCount,
    Target,
    TargetLabel,
    TargetSum,
    ThemeChoiceCount,
)

# The statuses whose themes, targets and works are counted.
COUNTED_CONTENT = tuple(SENT)

REGISTRATION_KEYS = ["campaign", "branch", "level", "kind", "status"]
REGISTRATION_SUMS = ["units", "key_works", "key_works_value", "units_with_key_works"]
THEME_KEYS = ["campaign", "branch", "kind", "status", "theme"]
TARGET_KEYS = ["campaign", "branch", "kind", "status", "theme", "key"]
TARGET_SUMS = ["units", "targets", "total"]
BATCH = 2000
STEPLEN = Organization.steplen


def _level(unit_depth: int, branch_depth: int) -> int:
    return min(unit_depth - branch_depth, Level.DEEPER)


def counts_in(campaign: Campaign, organization: Organization) -> bool:
    """The unit's registration is counted: the unit is active and strictly below the issuer."""
    issuer = campaign.issuer
    return (
        organization.is_active
        and organization.path.startswith(issuer.path)
        and organization.pk != issuer.pk
    )


# ---------------------------------------------------------------------------------------------
# Keeping the counters as registrations change.


@dataclass
class _Content:
    themes: list[int] = field(default_factory=list)
    targets: dict = field(default_factory=dict)  # (theme id, key) -> [targets, total]
    key_works: int = 0
    key_works_value: Decimal = Decimal(0)


def _contents(registration_ids: list[int]) -> tuple[dict[int, _Content], list[dict]]:
    """What each registration adds when its content counts, and the labels of its targets
    (three queries)."""
    contents: dict[int, _Content] = defaultdict(_Content)
    for registration_id, theme_id in RegisteredTheme.objects.filter(
        registration_id__in=registration_ids
    ).values_list("registration_id", "theme_id"):
        contents[registration_id].themes.append(theme_id)
    labels = []
    for registration_id, theme_id, key, value, name, unit in Target.objects.filter(
        registered_theme__registration_id__in=registration_ids
    ).values_list(
        "registered_theme__registration_id",
        "registered_theme__theme_id",
        "key",
        "value",
        "name",
        "unit",
    ):
        totals = contents[registration_id].targets.setdefault((theme_id, key), [0, Decimal(0)])
        totals[0] += 1
        totals[1] += value
        labels.append({"key": key, "name": name, "unit": unit})
    for registration_id, value in KeyWork.objects.filter(
        registration_id__in=registration_ids
    ).values_list("registration_id", "estimated_value"):
        content = contents[registration_id]
        content.key_works += 1
        content.key_works_value += value or 0
    return contents, labels


def _chains(units: Iterable[Organization], issuer: Organization) -> dict[int, list]:
    """For each unit: (branch id, level) of itself and its ancestors down from the issuer (one
    query)."""
    wanted = {
        path
        for unit in units
        for path in rollups.branch_paths(unit.path, STEPLEN)
        if len(path) >= len(issuer.path)
    }
    found = dict(Organization.objects.filter(path__in=wanted).values_list("path", "pk"))
    chains = {}
    for unit in units:
        chain = []
        for path in rollups.branch_paths(unit.path, STEPLEN):
            if len(path) >= len(issuer.path) and path in found:
                chain.append((found[path], _level(unit.depth, len(path) // STEPLEN)))
        chains[unit.pk] = chain
    return chains


def _save_labels(campaign_id: int, labels: list[dict]) -> None:
    """Keep, for every key, the smallest name and unit of measure typed for it."""
    merged: dict[str, list] = {}
    for label in labels:
        best = merged.setdefault(label["key"], [label["name"], label["unit"]])
        best[0] = min(best[0], label["name"])
        best[1] = min(best[1], label["unit"])
    if not merged:
        return
    known = {
        label.key: label
        for label in TargetLabel.objects.select_for_update().filter(
            campaign_id=campaign_id, key__in=list(merged)
        )
    }
    new = []
    for key, (name, unit) in sorted(merged.items()):
        label = known.get(key)
        if label is None:
            new.append(TargetLabel(campaign_id=campaign_id, key=key, name=name, unit=unit))
        elif name < label.name or unit < label.unit:
            label.name, label.unit = min(label.name, name), min(label.unit, unit)
            label.save(update_fields=["name", "unit"])
    TargetLabel.objects.bulk_create(new, ignore_conflicts=True)


def record(changes: Iterable[tuple[Registration, str | None, str | None]]) -> None:
    """Move the counters of registrations whose status went from ``before`` to ``after``
    (``None``: the registration did not exist before, or no longer exists).

    Call inside the service's transaction, once the change is saved. Each registration needs
    its ``campaign`` (with ``issuer``) and ``organization`` loaded. The content (themes, targets,
    works) must be the one the registration had in both states: true of every transition, since
    the content changes only in a draft or returned registration, which it does not count.
    """
    changes = [
        (registration, before, after)
        for registration, before, after in changes
        if before != after and counts_in(registration.campaign, registration.organization)
    ]
    if not changes:
        return
    needing = [r.pk for r, before, after in changes if {before, after} & set(COUNTED_CONTENT)]
    contents, labels = _contents(needing) if needing else ({}, [])
    registration_rows, theme_rows, target_rows = [], [], []
    by_issuer: dict[int, list] = defaultdict(list)
    for registration, _before, _after in changes:
        by_issuer[registration.campaign.issuer_id].append(registration)
    chains = {}
    for registrations in by_issuer.values():
        issuer = registrations[0].campaign.issuer
        chains.update(_chains([r.organization for r in registrations], issuer))
    for registration, before, after in changes:
        unit = registration.organization
        base = {"campaign": registration.campaign_id, "kind": unit.kind}
        for status, sign in ((before, -1), (after, 1)):
            if status is None:
                continue
            content = contents.get(registration.pk, _Content()) if status in SENT else None
            for branch_id, level in chains[unit.pk]:
                row = base | {"branch": branch_id, "level": level, "status": status, "units": sign}
                if content is not None:
                    row["key_works"] = sign * content.key_works
                    row["key_works_value"] = sign * content.key_works_value
                    row["units_with_key_works"] = sign if content.key_works else 0
                registration_rows.append(row)
                if content is None:
                    continue
                keys = base | {"branch": branch_id, "status": status}
                for theme_id in content.themes:
                    theme_rows.append(keys | {"theme": theme_id, "units": sign})
                for (theme_id, key), (targets, total) in content.targets.items():
                    target_rows.append(
                        keys
                        | {"theme": theme_id, "key": key}
                        | {"units": sign, "targets": sign * targets, "total": sign * total}
                    )
    rollups.add(
        RegistrationCount, registration_rows, keys=REGISTRATION_KEYS, sums=REGISTRATION_SUMS
    )
    rollups.add(ThemeChoiceCount, theme_rows, keys=THEME_KEYS, sums=["units"])
    rollups.add(TargetSum, target_rows, keys=TARGET_KEYS, sums=TARGET_SUMS)
    if labels:
        for campaign_id in {r.campaign_id for r, _b, _a in changes}:
            _save_labels(campaign_id, labels)


# ---------------------------------------------------------------------------------------------
# Recomputing a campaign's counters from the base tables.


def _grouped(queryset, prefix: str, depth: int, *, level: bool = False):
    """``queryset`` (of rows whose unit is reached through ``prefix``) annotated with the path
    of the unit's ancestor at ``depth`` (the branch), the unit's kind and, when ``level``, its
    level below that branch; the names to group by."""
    queryset = queryset.filter(**{f"{prefix}organization__depth__gte": depth})
    queryset = queryset.order_by().annotate(
        prefix=Substr(f"{prefix}organization__path", 1, depth * Organization.steplen),
        unit_kind=F(f"{prefix}organization__kind"),
    )
    names = ["prefix", "unit_kind"]
    if level:
        queryset = queryset.annotate(
            unit_level=Case(
                When(**{f"{prefix}organization__depth": depth}, then=Value(Level.SELF)),
                When(**{f"{prefix}organization__depth": depth + 1}, then=Value(Level.CHILD)),
                default=Value(Level.DEEPER),
            )
        )
        names.append("unit_level")
    return queryset, names


def _branches(roots):
    """The ids of the units in the subtrees of ``roots``, as a subquery: a delete of the
    counters of these branches walks the counters' index, which starts with the branch,
    instead of joining every counter row of the campaign to its unit."""
    return Organization.objects.filter(subtrees_q(roots)).values("pk")


def rebuild(
    campaign: Campaign,
    *,
    paths: Iterable[str] | None = None,
    under: Iterable[str] | None = None,
) -> None:
    """Recompute the counters of ``campaign``: one ``GROUP BY`` per table and per level of the
    tree below the issuer, over the path prefix of that level (no loop over units).

    With ``paths`` (units whose place, kind or state in the tree changed), only the branches
    those paths go through are recomputed: the units on them, from the issuer down. A branch
    elsewhere keeps its rows, which such a change cannot alter (its subtree is the same, and
    the levels inside it are relative to it); the target labels are kept as they are.

    With ``under`` (the paths of units that have just entered the issuer's subtree, none below
    another), only the branches of those units' subtrees, from their registrations: a work as
    long as the subtrees, whatever the campaign's size; the branches above them are left to the
    caller, and the target labels of the subtrees join the campaign's.
    """
    campaign = Campaign.objects.select_related("issuer").get(pk=campaign.pk)
    issuer = campaign.issuer
    roots = None if under is None else sorted(set(under))
    if roots == []:
        return
    top = issuer.depth if roots is None else min(len(root) for root in roots) // STEPLEN
    affected = None
    if paths is not None:
        affected = {
            prefix
            for path in paths
            if path
            for prefix in rollups.branch_paths(path, STEPLEN)
            if prefix.startswith(issuer.path)
        }
        if not affected:
            return
    with transaction.atomic():
        registrations = Registration.objects.filter(
            subtree_q(issuer, "organization__"),
            campaign=campaign,
            organization__is_active=True,
            organization__depth__gt=issuer.depth,
        )
        if roots is not None:
            registrations = registrations.filter(subtrees_q(roots, "organization__"))
            for model in (RegistrationCount, ThemeChoiceCount, TargetSum):
                model.objects.filter(campaign=campaign, branch__in=_branches(roots)).delete()
            deepest = registrations.aggregate(deepest=Max("organization__depth"))["deepest"]
            if deepest is None:
                return
            branches = dict(
                Organization.objects.filter(subtrees_q(roots), depth__lt=deepest + 1).values_list(
                    "path", "pk"
                )
            )
        elif affected is None:
            for model in (RegistrationCount, ThemeChoiceCount, TargetSum, TargetLabel):
                model.objects.filter(campaign=campaign).delete()
            deepest = registrations.aggregate(deepest=Max("organization__depth"))["deepest"]
            if deepest is None:
                return
            branches = dict(
                Organization.objects.subtree_of(issuer)
                .filter(depth__lt=deepest + 1)
                .values_list("path", "pk")
            )
        else:
            branches = dict(
                Organization.objects.filter(path__in=affected).values_list("path", "pk")
            )
            for model in (RegistrationCount, ThemeChoiceCount, TargetSum):
                model.objects.filter(campaign=campaign, branch_id__in=branches.values()).delete()
            deepest = max(len(path) for path in branches) // STEPLEN if branches else 0
        sent = registrations.filter(status__in=COUNTED_CONTENT)
        counts, themes, targets = [], [], []
        for depth in range(top, deepest + 1):
            scope = Q()
            if affected is not None:
                wanted = [p for p in branches if len(p) == depth * STEPLEN]
                if not wanted:
                    continue
                for path in wanted:
                    scope |= subtree_q(path, "organization__")
            elif roots is not None:
                # The subtrees as deep as this level or deeper (the shallowest one always is).
                level_roots = [root for root in roots if len(root) <= depth * STEPLEN]
                scope = subtrees_q(level_roots, "organization__")
            common = {"campaign_id": campaign.pk}
            queryset, names = _grouped(registrations.filter(scope), "", depth, level=True)
            scoped = sent.filter(scope)
            works = {}
            works_queryset, work_names = _grouped(
                KeyWork.objects.filter(registration__in=scoped.values("pk")),
                "registration__",
                depth,
                level=True,
            )
            for row in works_queryset.values(*work_names, "registration__status").annotate(
                count=Count("id"),
                value=Sum("estimated_value"),
                units=Count("registration_id", distinct=True),
            ):
                key = (
                    row["prefix"],
                    row["unit_level"],
                    row["unit_kind"],
                    row["registration__status"],
                )
                works[key] = row
            for row in queryset.values(*names, "status").annotate(units=Count("id")):
                key = (row["prefix"], row["unit_level"], row["unit_kind"], row["status"])
                work = works.get(key, {})
                counts.append(
                    RegistrationCount(
                        **common,
                        branch_id=branches[row["prefix"]],
                        level=row["unit_level"],
                        kind=row["unit_kind"],
                        status=row["status"],
                        units=row["units"],
                        key_works=work.get("count") or 0,
                        key_works_value=work.get("value") or 0,
                        units_with_key_works=work.get("units") or 0,
                    )
                )
            queryset, names = _grouped(
                RegisteredTheme.objects.filter(registration__in=scoped.values("pk")),
                "registration__",
                depth,
            )
            for row in queryset.values(*names, "registration__status", "theme_id").annotate(
                units=Count("registration_id", distinct=True)
            ):
                themes.append(
                    ThemeChoiceCount(
                        **common,
                        branch_id=branches[row["prefix"]],
                        kind=row["unit_kind"],
                        status=row["registration__status"],
                        theme_id=row["theme_id"],
                        units=row["units"],
                    )
                )
            queryset, names = _grouped(
                Target.objects.filter(registered_theme__registration__in=scoped.values("pk")),
                "registered_theme__registration__",
                depth,
            )
            for row in queryset.values(
                *names,
                "registered_theme__registration__status",
                "registered_theme__theme_id",
                "key",
            ).annotate(
                units=Count("registered_theme__registration_id", distinct=True),
                count=Count("id"),
                total=Sum("value"),
            ):
                targets.append(
                    TargetSum(
                        **common,
                        branch_id=branches[row["prefix"]],
                        kind=row["unit_kind"],
                        status=row["registered_theme__registration__status"],
                        theme_id=row["registered_theme__theme_id"],
                        key=row["key"],
                        units=row["units"],
                        targets=row["count"],
                        total=row["total"] or 0,
                    )
                )
        RegistrationCount.objects.bulk_create(counts, batch_size=BATCH)
        ThemeChoiceCount.objects.bulk_create(themes, batch_size=BATCH)
        TargetSum.objects.bulk_create(targets, batch_size=BATCH)
        if affected is not None:
            return
        if roots is not None:
            _save_labels(
                campaign.pk,
                list(
                    Target.objects.filter(registered_theme__registration__in=sent.values("pk"))
                    .order_by()
                    .values("key")
                    .annotate(name=Min("name"), unit=Min("unit"))
                ),
            )
            return
        TargetLabel.objects.bulk_create(
            (
                TargetLabel(campaign=campaign, key=row["key"], name=row["name"], unit=row["unit"])
                for row in Target.objects.filter(
                    registered_theme__registration__in=sent.values("pk")
                )
                .order_by()
                .values("key")
                .annotate(name=Min("name"), unit=Min("unit"))
            ),
            batch_size=BATCH,
        )


def campaigns_over(paths: Iterable[str]):
    """The campaigns whose issuer is one of ``paths`` or above one of them."""
    prefixes = {prefix for path in paths if path for prefix in rollups.branch_paths(path, STEPLEN)}
    return Campaign.objects.filter(issuer__path__in=prefixes).select_related("issuer")


def rebuild_over(paths: Iterable[str]) -> int:
    """Recompute, in every campaign whose issuer's subtree holds one of ``paths``, the branches
    those paths go through; returns how many campaigns were touched."""
    paths = [path for path in paths if path]
    campaigns = list(campaigns_over(paths))
    for campaign in campaigns:
        rebuild(campaign, paths=paths)
    return len(campaigns)


# The counter tables, their keys and their sums.
TABLES = (
    (RegistrationCount, REGISTRATION_KEYS, REGISTRATION_SUMS),
    (ThemeChoiceCount, THEME_KEYS, ["units"]),
    (TargetSum, TARGET_KEYS, TARGET_SUMS),
)


def _carried(model, sums, total: dict, branch: tuple[int, int], depth: int, sign: int) -> dict:
    """A row of a moved unit's counters (``total``: the totals of its subtree) as it adds, times
    ``sign``, to the counters of ``branch`` (id, depth), an ancestor of the unit at ``depth``:
    the unit itself is a child or deeper below it, the units below the unit are deeper."""
    row = total | {name: sign * total[name] for name in sums}
    row["branch"] = branch[0]
    if model is RegistrationCount:
        own = total["level"] == Level.SELF
        row["level"] = _level(depth, branch[1]) if own else Level.DEEPER
    return row


def _moved(moves: list) -> set[int]:
    """Units moved with their subtrees (``federation.signals.Moved``, none below another): in
    each campaign whose issuer was or is above a moved unit, the rows of the unit itself (the
    totals of its subtree) leave the old ancestors (from the issuer down) and join the new
    ones, one upsert per table for all of them. A subtree that enters the issuer's subtree is
    counted first (:func:`rebuild` ``under`` it, a work as long as the subtree); one that leaves
    it loses its rows. The rows inside a subtree stay: its units and the levels between them
    are the same. Returns the ids of the campaigns changed."""
    campaigns = list(campaigns_over([p for m in moves for p in (m.old_path, m.new_path)]))
    plan = []  # (move, campaign, was inside, is inside)
    entered: dict[int, list[str]] = defaultdict(list)
    for move in moves:
        for campaign in campaigns:
            issuer = campaign.issuer.path
            if move.new_path.startswith(issuer) and not issuer.startswith(move.new_path):
                was_in = move.old_path.startswith(issuer)
                plan.append((move, campaign, was_in, True))
                if not was_in:
                    entered[campaign.pk].append(move.new_path)
            elif move.old_path.startswith(issuer) and not issuer.startswith(move.new_path):
                plan.append((move, campaign, True, False))
    for campaign in campaigns:
        if entered[campaign.pk]:
            rebuild(campaign, under=entered[campaign.pk])
    if not plan:
        return set()
    chains = {
        path: rollups.branch_paths(path, STEPLEN)[:-1]
        for move in moves
        for path in (move.old_path, move.new_path)
    }
    ids = dict(
        Organization.objects.filter(
            path__in={p for chain in chains.values() for p in chain}
        ).values_list("path", "pk")
    )

    def carry(model, sums, total, campaign, end, sign):
        depth = len(end) // STEPLEN
        return [
            _carried(model, sums, total, (ids[path], len(path) // STEPLEN), depth, sign)
            for path in chains[end]
            if path.startswith(campaign.issuer.path) and path in ids
        ]

    rows, left = rollups.carried_rows(TABLES, plan, carry)
    rollups.apply_carried(TABLES, rows, left, _branches)
    return {campaign.pk for _move, campaign, _was, _is in plan}


def _own_changed(unit_id: int, path: str, *, before: dict | None, after: dict | None) -> set[int]:
    """The unit's own registrations counted as a unit of ``before`` (its fields ``kind`` and
    ``is_active``; None: not counted) and now of ``after``: :func:`record` takes them away as
    they were and adds them as they are, a few upserts per campaign (one call per campaign:
    it reads the unit's branches from one issuer down). Returns the ids of the campaigns
    changed."""
    registrations = list(
        Registration.objects.filter(organization_id=unit_id).select_related("campaign__issuer")
    )
    changes: dict[int, list] = defaultdict(list)
    for registration in registrations:
        for fields, status_before, status_after in (
            (before, registration.status, None),
            (after, None, registration.status),
        ):
            if fields is None:
                continue
            unit = Organization(pk=unit_id, path=path, depth=len(path) // STEPLEN, **fields)
            if counts_in(registration.campaign, unit):
                as_counted = Registration(
                    pk=registration.pk, campaign=registration.campaign, organization=unit
                )
                changes[registration.campaign_id].append((as_counted, status_before, status_after))
    for campaign_changes in changes.values():
        record(campaign_changes)
    return set(changes)


def apply_tree_changes(changes) -> set[int]:
    """Apply changes of the tree (the records of ``federation.signals``, in the order they
    happened) to the counters of every campaign they concern, by differences; returns the ids
    of the campaigns whose counters changed."""
    touched: set[int] = set()
    moves = []
    for change in [*changes, None]:
        if isinstance(change, federation_signals.Moved):
            moves.append(change)  # consecutive moves (a merge's) go together
            continue
        if moves:
            touched |= _moved(moves)
            moves = []
        if isinstance(change, federation_signals.Closed):
            kind = Organization.objects.filter(pk=change.unit_id).values_list("kind", flat=True)
            before = {"kind": kind.first(), "is_active": True}
            touched |= _own_changed(change.unit_id, change.path, before=before, after=None)
        elif isinstance(change, federation_signals.KindChanged):
            active = Organization.objects.filter(pk=change.unit_id, is_active=True).exists()
            touched |= _own_changed(
                change.unit_id,
                change.path,
                before={"kind": change.old_kind, "is_active": active},
                after={"kind": change.new_kind, "is_active": active},
            )
    return touched


def on_tree_changed(sender=None, *, paths=(), changes=None, **kwargs) -> None:
    """Receiver of ``federation.signals.tree_changed``: sent inside the transaction of a move, a
    merge or a change of kind. With ``changes`` (what the federation's services send), the
    counters move by the change's difference (:func:`apply_tree_changes`); without, the
    branches the affected units' paths go through, before and after it, are recomputed."""
    if changes is not None:
        Campaign.figures_changed(apply_tree_changes(changes))
        return
    rebuild_over(paths)
    Campaign.figures_changed(campaigns_over([path for path in paths if path]))


federation_signals.tree_changed.connect(on_tree_changed, dispatch_uid="registrations-rollups")


# ---------------------------------------------------------------------------------------------
# Reading the counters: querysets over the rows of a few branches, grouped by the database.


def _kind_q(kind: str) -> Q:
    return Q(kind=kind) if kind else Q()


REGISTRATION_STATUSES = tuple(status.value for status in ReviewStatus)


def status_counts(
    campaign: Campaign, branch_ids, *, kind: str = "", level: int | None = None
) -> dict[int, dict[str, int]]:
    """For each branch: how many units of its subtree (itself included) have a registration in
    each status (statuses of no unit left out); only the units ``level`` below when given (1:
    its direct children). Units without a registration are not counted here: they are the
    participants minus the sum (one query)."""
    branch_ids = list(branch_ids)
    if not branch_ids:
        return {}
    rows = RegistrationCount.objects.filter(
        _kind_q(kind), campaign=campaign, branch_id__in=branch_ids
    )
    if level is not None:
        rows = rows.filter(level=level)
    result: dict[int, dict[str, int]] = {pk: {} for pk in branch_ids}
    for branch_id, status, units in (
        rows.order_by().values_list("branch_id", "status").annotate(n=Sum("units"))
    ):
        if units:
            result.setdefault(branch_id, {})[status] = units
    return result


def level_figures(campaign: Campaign, branch_ids, *, kind: str = "") -> dict:
    """branch id -> level -> status -> {units, key_works, key_works_value,
    units_with_key_works} (one query)."""
    result: dict = defaultdict(lambda: defaultdict(dict))
    branch_ids = list(branch_ids)
    if not branch_ids:
        return result
    rows = (
        RegistrationCount.objects.filter(_kind_q(kind), campaign=campaign, branch_id__in=branch_ids)
        .order_by()
        .values("branch_id", "level", "status")
        .annotate(
            n=Sum("units"),
            works=Sum("key_works"),
            works_value=Sum("key_works_value"),
            with_works=Sum("units_with_key_works"),
        )
    )
    for row in rows:
        result[row["branch_id"]][row["level"]][row["status"]] = {
            "units": row["n"],
            "key_works": row["works"] or 0,
            "key_works_value": row["works_value"] or 0,
            "units_with_key_works": row["with_works"] or 0,
        }
    return result


@dataclass
class BranchFigures:
    """What :func:`branch_figures` reads for the consolidation of one unit."""

    own: dict  # status -> the unit's own registration (1 or nothing)
    whole: dict  # status -> units of the unit's subtree, itself included
    key_works: dict  # key_works, key_works_value, units_with_key_works in the statuses asked
    children: dict  # child id -> status -> units of the child's subtree


def branch_figures(campaign: Campaign, unit_id: int, child_ids, statuses) -> BranchFigures:
    """The figures of the consolidation of ``unit_id`` and of its children: one row per branch,
    the units of each status summed over the branch's rows (a few: one per level, kind and
    status), the unit's own registration and the works of the registrations in ``statuses``
    (one query). The same sums as :func:`level_figures` over every level."""
    counted = [str(status) for status in statuses]
    sums = {}
    for status in REGISTRATION_STATUSES:
        sums[f"all_{status}"] = Sum("units", filter=Q(status=status))
        sums[f"own_{status}"] = Sum("units", filter=Q(status=status, level=Level.SELF))
    works = Q(status__in=counted)
    rows = (
        RegistrationCount.objects.filter(campaign=campaign, branch_id__in=[unit_id, *child_ids])
        .order_by()
        .values("branch_id")
        .annotate(
            **sums,
            works=Sum("key_works", filter=works),
            works_value=Sum("key_works_value", filter=works),
            with_works=Sum("units_with_key_works", filter=works),
        )
    )

    def per_status(row, prefix: str) -> dict:
        return {
            status: row[f"{prefix}_{status}"]
            for status in REGISTRATION_STATUSES
            if row[f"{prefix}_{status}"] is not None
        }

    figures = BranchFigures(
        own={},
        whole={},
        key_works={"key_works": 0, "key_works_value": Decimal(0), "units_with_key_works": 0},
        children={pk: {} for pk in child_ids},
    )
    for row in rows:
        if row["branch_id"] == unit_id:
            figures.own = per_status(row, "own")
            figures.whole = per_status(row, "all")
            figures.key_works = {
                "key_works": row["works"] or 0,
                "key_works_value": row["works_value"] or Decimal(0),
                "units_with_key_works": row["with_works"] or 0,
            }
        else:
            figures.children[row["branch_id"]] = per_status(row, "all")
    return figures


def theme_counts(
    campaign: Campaign,
    branch_id: int,
    *,
    kind: str = "",
    statuses=(ReviewStatus.APPROVED,),
) -> dict[int, int]:
    """How many units of the branch chose each theme in a registration in ``statuses``
    (approved by default; awaiting review and approved are the ones counted); one query."""
    rows = (
        ThemeChoiceCount.objects.filter(
            _kind_q(kind),
            campaign=campaign,
            branch_id=branch_id,
            status__in=[str(status) for status in statuses],
        )
        .order_by()
        .values_list("theme_id")
        .annotate(n=Sum("units"))
    )
    return {theme_id: units for theme_id, units in rows if units}


def themes_chosen(campaign: Campaign, branch_id: int, *, statuses=(ReviewStatus.APPROVED,)):
    """The campaign's themes in their order, each with ``units``: :func:`theme_counts` of the
    branch, 0 for a theme nobody chose (one query: the branch's rows of each theme summed
    through the unique key, which starts with the branch)."""
    counts = (
        ThemeChoiceCount.objects.filter(
            campaign=campaign,
            branch_id=branch_id,
            status__in=[str(status) for status in statuses],
            theme=OuterRef("pk"),
        )
        .order_by()
        .values("theme")
        .annotate(n=Sum("units"))
        .values("n")
    )
    return (
        Theme.objects.filter(campaign=campaign)
        .annotate(units=Coalesce(Subquery(counts), 0))
        .order_by("number")
    )


def target_sums(
    campaign: Campaign,
    branch_id: int,
    *,
    kind: str = "",
    statuses=(ReviewStatus.APPROVED,),
) -> list[dict]:
    """Alike targets of the branch's registrations in ``statuses``, per theme: ``theme_id``,
    ``key``, ``name``, ``unit`` (of measure), ``units``, ``targets`` and ``total``; the name
    and unit of measure from the key's label, the key itself when it has none (one query)."""
    label = TargetLabel.objects.filter(campaign=campaign, key=OuterRef("key"))
    rows = (
        TargetSum.objects.filter(
            _kind_q(kind),
            campaign=campaign,
            branch_id=branch_id,
            status__in=[str(status) for status in statuses],
        )
        .order_by()
        .values("theme_id", "key")
        .annotate(
            n=Sum("units"),
            count=Sum("targets"),
            sum=Sum("total"),
            label_name=Subquery(label.values("name")[:1]),
            label_unit=Subquery(label.values("unit")[:1]),
        )
    )
    return [
        {
            "theme_id": row["theme_id"],
            "key": row["key"],
            "name": row["key"] if row["label_name"] is None else row["label_name"],
            "unit": "" if row["label_name"] is None else row["label_unit"],
            "units": row["n"],
            "targets": row["count"],
            "total": row["sum"],
        }
        for row in rows
        if row["n"]
    ]


def rebuild_all() -> None:
    """Every campaign's counters (the ``rebuild_counters`` command)."""
    for campaign in Campaign.objects.select_related("issuer").order_by("pk"):
        rebuild(campaign)
