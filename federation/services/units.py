"""One unit at a time: create, edit, move (with its subtree), merge into another, delete."""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, ProtectedError, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from treebeard.exceptions import PathOverflow

from emulation.audit import audit_record
from emulation.versions import check_shown
from federation import kinds, rollups
from federation.models import Membership, Organization, subtree_q
from federation.signals import (
    Closed,
    KindChanged,
    Moved,
    organization_merged,
    tree_changed,
    units_changed,
)

EDITABLE_FIELDS = ("name", "short_name", "kind", "member_count", "email", "code")


def organization_create(*, parent: Organization, by, data: dict) -> Organization:
    if not by.has_perm("federation.manage_unit", parent):
        raise PermissionDenied
    kinds.check_placement(kind=data.get("kind", ""), parent=parent)
    with transaction.atomic():
        org = Organization.objects.add_child(
            parent, create_kwargs={k: v for k, v in data.items() if k in EDITABLE_FIELDS}
        )
        units_changed.send(sender=Organization, paths=[org.path])
        audit_record(actor=by, action="create", obj=org, changes={"parent": parent, **data})
    return org


def organization_update(
    *, org: Organization, by, data: dict, shown: str | None = None
) -> Organization:
    """Save the unit's fields in ``data``; ``shown``: the version the edit form showed
    (``emulation.versions``), refused when stale."""
    if not by.has_perm("federation.manage_unit", org):
        raise PermissionDenied
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=org.pk)
        if shown is not None:
            check_shown(locked, shown)
        changes = {}
        for name in EDITABLE_FIELDS:
            if name in data and getattr(locked, name) != data[name]:
                changes[name] = [getattr(locked, name), data[name]]
                setattr(locked, name, data[name])
        if "kind" in changes:
            if not by.has_perm("federation.change_unit_kind", locked):
                raise ValidationError(
                    {"kind": _("Only the staff of a unit above may change the kind of this unit.")}
                )
            kinds.check_kind_change(unit=locked, kind=locked.kind)
        if changes:
            locked.save()
            units_changed.send(sender=Organization, paths=[locked.path])
            if "kind" in changes:
                old_kind, new_kind = changes["kind"]
                tree_changed.send(
                    sender=Organization,
                    paths=[locked.path],
                    changes=[KindChanged(locked.pk, locked.path, old_kind, new_kind)],
                )
            audit_record(actor=by, action="update", obj=locked, changes=changes)
    return locked


def _move_under(units: list[Organization], parent: Organization) -> list[Moved]:
    """Move ``units`` (none below another, none above ``parent``), each with its subtree, to
    the end of ``parent``'s children, in their order: what treebeard's ``move(..., "last-child")``
    does, but each subtree's paths and depths are rewritten by one UPDATE on a range of the path
    index (treebeard's ``LIKE`` reads the whole table on SQLite: 65 ms per unit at 130,000
    units), and the parents' numbers of children once for all. Returns the moves, for the
    counters; the caller refreshes the units it keeps."""
    steplen = Organization.steplen
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    last = Organization.objects.children_of(parent).aggregate(last=Max("path"))["last"]
    step = Organization._str2int(last[-steplen:]) + 1 if last else 1
    if step + len(units) > len(Organization.alphabet) ** steplen:
        raise PathOverflow(_("The unit has no room for more units below it."))
    current = {
        pk: (path, depth)
        for pk, path, depth in Organization.objects.filter(
            pk__in=[u.pk for u in units]
        ).values_list("pk", "path", "depth")
    }
    # The deepest unit of the whole tree (the end of the (depth, path) index) bounds the
    # subtrees' depths: the paths' length allows 63 levels, real trees have 5 or 6.
    deepest = Organization.objects.aggregate(deepest=Max("depth"))["deepest"]
    longest = Organization._meta.get_field("path").max_length
    moves = []
    for unit in units:
        old_path, depth = current[unit.pk]
        new_path = Organization._get_path(parent.path, parent.depth + 1, step)
        step += 1
        shift = parent.depth + 1 - depth
        if (deepest + shift) * steplen > longest:
            raise PathOverflow(_("The tree would be too deep."))
        Organization.objects.filter(subtree_q(old_path)).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + shift,
        )
        moves.append(Moved(unit.pk, old_path, new_path))
    for path, count in Counter(m.old_path[:-steplen] for m in moves).items():
        Organization.objects.filter(path=path).update(numchild=F("numchild") - count)
    Organization.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(moves))
    rollups.move_branches(moves)
    return moves


def organization_move(*, org: Organization, new_parent: Organization, by) -> Organization:
    """Move a unit, with its whole subtree, under another parent."""
    if not (
        by.has_perm("federation.restructure_unit", org)
        and by.has_perm("federation.manage_unit", new_parent)
    ):
        raise PermissionDenied
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        new_parent = Organization.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(org.path):
            raise ValidationError(
                {"new_parent": _("A unit cannot be moved under itself or one of its own units.")}
            )
        if org.parent_path == new_parent.path:
            raise ValidationError(
                {"new_parent": _("The unit is already directly under this unit.")}
            )
        if not new_parent.is_active:
            raise ValidationError({"new_parent": _("The new parent unit is no longer active.")})
        kinds.check_placement(kind=org.kind, parent=new_parent, field="new_parent")
        old_parent = org.parent_unit()
        moves = _move_under([org], new_parent)
        org.refresh_from_db()
        tree_changed.send(
            sender=Organization,
            paths=[moves[0].old_path, moves[0].new_path],
            changes=moves,
        )
        audit_record(
            actor=by, action="move", obj=org, changes={"from": old_parent, "to": new_parent}
        )
    return org


def organization_merge(*, source: Organization, target: Organization, by) -> Organization:
    """Merge ``source`` into ``target``: its child units, people and records move to the target;
    the source stays, inactive, pointing at the target."""
    if not (
        by.has_perm("federation.restructure_unit", source)
        and by.has_perm("federation.manage_unit", target)
    ):
        raise PermissionDenied
    with transaction.atomic():
        source = Organization.objects.select_for_update().get(pk=source.pk)
        target = Organization.objects.select_for_update().get(pk=target.pk)
        if source.pk == target.pk:
            raise ValidationError({"target": _("A unit cannot be merged into itself.")})
        if target.path.startswith(source.path):
            raise ValidationError(
                {"target": _("A unit cannot be merged into one of its own units.")}
            )
        if not source.is_active:
            raise ValidationError({"target": _("This unit was already merged or closed.")})
        if not target.is_active:
            raise ValidationError({"target": _("The target unit is no longer active.")})
        children = list(Organization.objects.children_of(source))
        problem = kinds.children_problem(target.kind, {child.kind for child in children})
        if problem:
            raise ValidationError({"target": problem})
        moves = _move_under(children, target) if children else []
        paths = [source.path, *(p for m in moves for p in (m.old_path, m.new_path))]
        moved_members = 0
        for membership in Membership.objects.filter(organization=source).select_related("user"):
            duplicate = Membership.objects.filter(
                user=membership.user_id, organization=target, role=membership.role
            ).exists()
            if duplicate:
                membership.delete()
            else:
                membership.organization = target
                membership.department = None
                membership.save(update_fields=["organization", "department"])
                moved_members += 1
        target.refresh_from_db()
        target.member_count += source.member_count
        target.save(update_fields=["member_count", "updated_at"])
        source.refresh_from_db()
        source.is_active = False
        source.merged_into = target
        source.save(update_fields=["is_active", "merged_into", "updated_at"])
        organization_merged.send(sender=Organization, source=source, target=target, by=by)
        tree_changed.send(
            sender=Organization,
            paths=[*paths, target.path],
            changes=[*moves, Closed(source.pk, source.path)],
        )
        audit_record(
            actor=by,
            action="merge",
            obj=source,
            changes={"into": target, "children": len(children), "memberships": moved_members},
        )
        audit_record(actor=by, action="absorb", obj=target, changes={"from": source})
    return target


def organization_delete(*, org: Organization, by) -> None:
    """Delete a unit that holds nothing; a unit with records must be merged instead."""
    if not by.has_perm("federation.restructure_unit", org):
        raise PermissionDenied
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        if Organization.objects.subtree_of(org).exclude(pk=org.pk).exists():
            raise ValidationError(
                _(
                    "This unit has units below it, so it cannot be deleted. Merge it into another unit instead."
                )
            )
        if org.merged_units.exists():
            raise ValidationError(
                _("Other units were merged into this unit, so it cannot be deleted.")
            )
        units_changed.send(sender=Organization, paths=[org.path])
        audit_record(
            actor=by, action="delete", obj=org, changes={"code": org.code, "name": org.name}
        )
        try:
            with transaction.atomic():
                org.delete()
        except ProtectedError as exc:
            raise ValidationError(
                _(
                    "This unit has records (people, registrations, reports…), so it cannot be deleted. Merge it into another unit instead."
                )
            ) from exc
