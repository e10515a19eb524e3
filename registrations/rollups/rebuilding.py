"""Recomputing a campaign's counters from the base tables: one ``GROUP BY`` per table and per
level of the tree, over the path prefix; of every campaign, or of the branches some paths go
through."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Count, F, Max, Min, Q, Sum, Value, When
from django.db.models.functions import Substr

from campaigns.models import Campaign
from emulation import rollups
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
from registrations.rollups.recording import COUNTED_CONTENT, STEPLEN, _save_labels

BATCH = 2000


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


def rebuild_all() -> None:
    """Every campaign's counters (the ``rebuild_counters`` command)."""
    for campaign in Campaign.objects.select_related("issuer").order_by("pk"):
        rebuild(campaign)
