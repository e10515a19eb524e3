"""What counts (the statuses, the units), the keys and sums of the counter tables, and
:func:`record`, which moves the counters as registrations change."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from campaigns.models import Campaign
from emulation import rollups
from emulation.workflow import SENT
from federation.models import Organization
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
