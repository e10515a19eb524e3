"""Every change to the union tree and its people goes through one of these functions."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Max, ProtectedError, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from treebeard.exceptions import PathOverflow

from accounts.services import user_send_invitation
from emulation.audit import audit_record
from emulation.tabular import TableError, fold, read_table
from federation import rollups
from federation import rules as perms
from federation.models import (
    Department,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    children_q,
    organization_search_key,
    subtree_q,
)
from federation.signals import (
    Closed,
    KindChanged,
    Moved,
    organization_merged,
    tree_changed,
    units_changed,
)

# ---------------------------------------------------------------------------------------------
# Bulk creation: paths are computed here, so thousands of units take a few INSERTs.


@dataclass
class NewUnit:
    code: str
    name: str
    kind: str
    parent_code: str | None = None
    short_name: str = ""
    member_count: int = 0
    email: str = ""
    row: int | None = None


def organizations_bulk_create(units: list[NewUnit], *, batch_size: int = 2000) -> int:
    """Insert units whose parents come earlier in the list or already exist.

    Paths are computed in Python from each parent's last child, so the whole list costs one
    SELECT for the existing parents, their last children, and batched INSERTs. The caller
    validates the list first (codes unique, parents known, no cycles).
    """
    codes_in_list = {u.code for u in units}
    existing_codes = {u.parent_code for u in units if u.parent_code} - codes_in_list
    parents: dict[str, tuple[str, int]] = {
        code: (path, depth)
        for code, path, depth in Organization.objects.filter(code__in=existing_codes).values_list(
            "code", "path", "depth"
        )
    }
    steplen = Organization.steplen
    next_step: dict[str, int] = {}
    for path, _depth in parents.values():
        last = Organization.objects.filter(children_q(path)).aggregate(last=Max("path")).get("last")
        next_step[path] = Organization._str2int(last[-steplen:]) + 1 if last else 1
    if any(u.parent_code is None for u in units):
        last_root = Organization.objects.filter(depth=1).aggregate(last=Max("path"))["last"]
        next_step[""] = Organization._str2int(last_root) + 1 if last_root else 1

    children_added: dict[str, int] = defaultdict(int)
    objects: list[Organization] = []
    for unit in units:
        if unit.parent_code:
            parent_path, parent_depth = parents[unit.parent_code]
        else:
            parent_path, parent_depth = "", 0
        step = next_step.get(parent_path, 1)
        next_step[parent_path] = step + 1
        path = Organization._get_path(parent_path, parent_depth + 1, step)
        parents[unit.code] = (path, parent_depth + 1)
        if parent_path:
            children_added[parent_path] += 1
        objects.append(
            Organization(
                path=path,
                depth=parent_depth + 1,
                numchild=0,
                code=unit.code,
                name=unit.name,
                short_name=unit.short_name,
                kind=unit.kind,
                member_count=unit.member_count,
                email=unit.email,
                search_key=organization_search_key(unit.name, unit.short_name, unit.code),
            )
        )
    numchild = defaultdict(int)
    for obj in objects:
        numchild[obj.path] = children_added.get(obj.path, 0)
    for obj in objects:
        obj.numchild = numchild[obj.path]
    Organization.objects.bulk_create(objects, batch_size=batch_size)
    rollups.count((obj.path, obj.kind, 1, obj.member_count) for obj in objects)
    new_paths = {obj.path for obj in objects}
    for path, count in children_added.items():
        if path not in new_paths:
            Organization.objects.filter(path=path).update(numchild=count + _numchild(path))
    return len(objects)


def _numchild(path: str) -> int:
    return Organization.objects.filter(path=path).values_list("numchild", flat=True).first() or 0


# ---------------------------------------------------------------------------------------------
# Import of a tree from a spreadsheet: all or nothing.

UNIT_COLUMNS = {
    "code": ("Mã đơn vị", "Mã", "code"),
    "name": ("Tên đơn vị", "Tên", "name"),
    "kind": ("Loại", "Cấp", "kind"),
    "parent_code": ("Mã đơn vị cấp trên", "Mã cấp trên", "parent", "parent code"),
    "member_count": ("Số đoàn viên", "Đoàn viên", "member count", "members"),
    "email": ("Email", "Thư điện tử"),
    "short_name": ("Tên viết tắt", "Tên ngắn", "short name"),
}

KIND_ALIASES = {
    "national": OrganizationKind.NATIONAL,
    "tongliendoan": OrganizationKind.NATIONAL,
    "provincial": OrganizationKind.PROVINCIAL,
    "tinh": OrganizationKind.PROVINCIAL,
    "local": OrganizationKind.LOCAL,
    "huyen": OrganizationKind.LOCAL,
    "xa": OrganizationKind.LOCAL,
    "sector": OrganizationKind.SECTOR,
    "nganh": OrganizationKind.SECTOR,
    "upper": OrganizationKind.UPPER,
    "captren": OrganizationKind.UPPER,
    "grassroots": OrganizationKind.GRASSROOTS,
    "coso": OrganizationKind.GRASSROOTS,
    "cdcs": OrganizationKind.GRASSROOTS,
}


@dataclass
class ImportProblem:
    row: int | None
    message: str


@dataclass
class ImportReport:
    created: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse_kind(value: str) -> str | None:
    folded = fold(value)
    if folded in OrganizationKind.values:
        return folded
    for label_kind in OrganizationKind:
        if fold(str(label_kind.label)) == folded:
            return label_kind.value
    return KIND_ALIASES.get(folded)


def _order_parents_first(units: dict[str, NewUnit]) -> tuple[list[NewUnit], set[str]]:
    """Order the file's units so that each parent comes before its children, and find the
    units whose chain of parents inside the file loops back on itself."""
    ordered: list[NewUnit] = []
    done: set[str] = set()
    in_cycle: set[str] = set()
    for code in units:
        chain: list[str] = []
        position: dict[str, int] = {}
        current = code
        while current in units and current not in done and current not in position:
            position[current] = len(chain)
            chain.append(current)
            current = units[current].parent_code
        if current in position:
            in_cycle.update(chain[position[current] :])
        for link in reversed(chain):
            done.add(link)
            ordered.append(units[link])
    return ordered, in_cycle


def _validate_units(rows, *, by) -> tuple[list[NewUnit], list[ImportProblem]]:
    problems: list[ImportProblem] = []
    units: dict[str, NewUnit] = {}
    for row in rows:
        code = row.get("code")
        name = row.get("name")
        if not code:
            problems.append(ImportProblem(row.number, _("The unit code is missing.")))
            continue
        if len(code) > 32:
            problems.append(
                ImportProblem(row.number, _("The unit code is longer than 32 characters."))
            )
        if code in units:
            problems.append(
                ImportProblem(
                    row.number,
                    _("The code %(code)s is duplicated (first seen on row %(row)s).")
                    % {"code": code, "row": units[code].row},
                )
            )
            continue
        if not name:
            problems.append(ImportProblem(row.number, _("The unit name is missing.")))
        kind = _parse_kind(row.get("kind"))
        if kind is None:
            problems.append(
                ImportProblem(
                    row.number,
                    _("Unknown kind of unit “%(kind)s”; use one of: %(kinds)s.")
                    % {"kind": row.get("kind"), "kinds": ", ".join(OrganizationKind.values)},
                )
            )
        members_raw = row.get("member_count") or "0"
        try:
            member_count = int(members_raw.replace(".", "").replace(",", ""))
            if member_count < 0:
                raise ValueError
        except ValueError:
            problems.append(
                ImportProblem(
                    row.number,
                    _("The member count “%(value)s” is not a whole number of zero or more.")
                    % {"value": members_raw},
                )
            )
            member_count = 0
        email = row.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    ImportProblem(
                        row.number,
                        _("“%(email)s” is not a valid email address.") % {"email": email},
                    )
                )
        units[code] = NewUnit(
            code=code,
            name=name,
            kind=kind or "",
            parent_code=row.get("parent_code") or None,
            short_name=row.get("short_name")[:100],
            member_count=member_count,
            email=email,
            row=row.number,
        )

    existing = dict(
        Organization.objects.filter(
            code__in={*units.keys(), *(u.parent_code for u in units.values() if u.parent_code)}
        ).values_list("code", "path")
    )
    for code, unit in units.items():
        if code in existing:
            problems.append(
                ImportProblem(
                    unit.row, _("The code %(code)s already exists in the system.") % {"code": code}
                )
            )
        parent = unit.parent_code
        if parent is None:
            if not by.is_superuser:
                problems.append(
                    ImportProblem(
                        unit.row,
                        _(
                            "The parent code is missing: only an administrator may add a top-level unit."
                        ),
                    )
                )
        elif parent not in units and parent not in existing:
            problems.append(
                ImportProblem(
                    unit.row, _("The parent code %(code)s is unknown.") % {"code": parent}
                )
            )
        elif parent in existing and parent not in units and not by.is_superuser:
            parent_org = Organization.objects.get(code=parent)
            if not perms.can_manage_unit(by, parent_org):
                problems.append(
                    ImportProblem(
                        unit.row,
                        _("You may not add units under %(code)s: it is outside your branch.")
                        % {"code": parent},
                    )
                )

    ordered, in_cycle = _order_parents_first(units)
    for code in sorted(in_cycle, key=lambda c: units[c].row):
        problems.append(
            ImportProblem(
                units[code].row,
                _("The unit %(code)s is part of a cycle of parents; a unit cannot be below itself.")
                % {"code": code},
            )
        )
    problems.sort(key=lambda p: p.row or 0)
    return ordered, problems


def organizations_import(*, upload, by) -> ImportReport:
    """Import units from a CSV or XLSX file: every row, or none when any row is wrong."""
    if not by.has_perm("federation.import_units"):
        raise PermissionDenied
    report = ImportReport()
    try:
        rows = read_table(upload, UNIT_COLUMNS, required=("code", "name", "kind", "parent_code"))
    except TableError as exc:
        report.problems.append(ImportProblem(None, str(exc)))
        return report
    units, problems = _validate_units(rows, by=by)
    if problems:
        report.problems = problems
        return report
    with transaction.atomic():
        report.created = organizations_bulk_create(units)
        if report.created:
            codes = {u.code for u in units}
            parents = {u.parent_code for u in units if u.parent_code not in codes}
            units_changed.send(
                sender=Organization,
                paths=list(
                    Organization.objects.filter(code__in=parents).values_list("path", flat=True)
                ),
            )
            anchor = Organization.objects.get(code=units[0].code)
            audit_record(
                actor=by,
                action="import",
                obj=anchor,
                changes={"created": report.created, "file": getattr(upload, "name", "")},
            )
    return report


# ---------------------------------------------------------------------------------------------
# One unit at a time.

EDITABLE_FIELDS = ("name", "short_name", "kind", "member_count", "email", "code")


def organization_create(*, parent: Organization, by, data: dict) -> Organization:
    if not by.has_perm("federation.manage_unit", parent):
        raise PermissionDenied
    with transaction.atomic():
        org = Organization.objects.add_child(
            parent, create_kwargs={k: v for k, v in data.items() if k in EDITABLE_FIELDS}
        )
        units_changed.send(sender=Organization, paths=[org.path])
        audit_record(actor=by, action="create", obj=org, changes={"parent": parent, **data})
    return org


def organization_update(*, org: Organization, by, data: dict) -> Organization:
    if not by.has_perm("federation.manage_unit", org):
        raise PermissionDenied
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=org.pk)
        changes = {}
        for name in EDITABLE_FIELDS:
            if name in data and getattr(locked, name) != data[name]:
                changes[name] = [getattr(locked, name), data[name]]
                setattr(locked, name, data[name])
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


# ---------------------------------------------------------------------------------------------
# People.


def membership_add(
    *, org: Organization, user, role: str, by, department: Department | None = None
) -> Membership:
    if not by.has_perm("federation.manage_unit", org):
        raise PermissionDenied
    if department is not None and department.organization_id != org.pk:
        raise ValidationError({"department": _("The department belongs to another unit.")})
    with transaction.atomic():
        if Membership.objects.filter(user=user, organization=org, role=role).exists():
            raise ValidationError({"user": _("This person already has this role in the unit.")})
        membership = Membership.objects.create(
            user=user, organization=org, role=role, department=department
        )
        audit_record(
            actor=by, action="membership-add", obj=org, changes={"user": user, "role": role}
        )
    return membership


def membership_remove(*, membership: Membership, by) -> None:
    if not by.has_perm("federation.manage_unit", membership.organization):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=by,
            action="membership-remove",
            obj=membership.organization,
            changes={"user": membership.user, "role": membership.role},
        )
        membership.delete()


def department_create(
    *, org: Organization, by, name: str, short_name: str = "", email: str = ""
) -> Department:
    if not by.has_perm("federation.manage_unit", org):
        raise PermissionDenied
    with transaction.atomic():
        if Department.objects.filter(organization=org, name__iexact=name).exists():
            raise ValidationError({"name": _("The unit already has a department with this name.")})
        department = Department.objects.create(
            organization=org, name=name, short_name=short_name, email=email
        )
        audit_record(actor=by, action="department-add", obj=org, changes={"name": name})
    return department


ROLE_ALIASES = {
    "officer": Role.OFFICER,
    "canbo": Role.OFFICER,
    "leader": Role.LEADER,
    "lanhdao": Role.LEADER,
    "staff": Role.STAFF,
    "chuyenvien": Role.STAFF,
    "council": Role.COUNCIL,
    "hoidong": Role.COUNCIL,
}


def parse_role(value: str) -> str | None:
    folded = fold(value)
    for role in Role:
        if folded in (role.value, fold(str(role.label))):
            return role.value
    return ROLE_ALIASES.get(folded)


USER_COLUMNS = {
    "full_name": ("Họ và tên", "Họ tên", "full name", "name"),
    "email": ("Email", "Thư điện tử"),
    "unit_code": ("Mã đơn vị", "Mã", "unit", "unit code"),
    "role": ("Vai trò", "role"),
    "username": ("Tên đăng nhập", "username"),
    "phone": ("Điện thoại", "phone"),
    "position": ("Chức vụ", "position"),
}


def users_import(*, upload, by) -> ImportReport:
    """Create people (or give existing people a new role) from a CSV or XLSX file, all or
    nothing. New people receive an email with a link to choose their password."""
    User = get_user_model()
    if not by.has_perm("federation.import_users"):
        raise PermissionDenied
    report = ImportReport()
    try:
        rows = read_table(
            upload, USER_COLUMNS, required=("full_name", "email", "unit_code", "role")
        )
    except TableError as exc:
        report.problems.append(ImportProblem(None, str(exc)))
        return report
    units = {
        o.code: o
        for o in Organization.objects.filter(
            code__in={r.get("unit_code") for r in rows}, is_active=True
        )
    }
    emails = {r.get("email").lower() for r in rows}
    existing_users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    existing_usernames = set(
        User.objects.filter(
            username__in={r.get("username") or r.get("email") for r in rows}
        ).values_list("username", flat=True)
    )
    seen: dict[tuple[str, str, str], int] = {}
    seen_usernames: dict[str, str] = {}
    plan = []
    for row in rows:
        problems_before = len(report.problems)
        email = row.get("email").lower()
        if not row.get("full_name"):
            report.problems.append(ImportProblem(row.number, _("The full name is missing.")))
        try:
            validate_email(email)
        except ValidationError:
            report.problems.append(
                ImportProblem(
                    row.number,
                    _("“%(email)s” is not a valid email address.") % {"email": row.get("email")},
                )
            )
        unit = units.get(row.get("unit_code"))
        if unit is None:
            report.problems.append(
                ImportProblem(
                    row.number,
                    _("The unit code %(code)s is unknown.") % {"code": row.get("unit_code")},
                )
            )
        elif not by.has_perm("federation.manage_unit", unit):
            report.problems.append(
                ImportProblem(
                    row.number,
                    _("You may not add people to %(code)s: it is outside your branch.")
                    % {"code": unit.code},
                )
            )
        role = parse_role(row.get("role"))
        if role is None:
            report.problems.append(
                ImportProblem(
                    row.number,
                    _("Unknown role “%(role)s”; use one of: %(roles)s.")
                    % {"role": row.get("role"), "roles": ", ".join(Role.values)},
                )
            )
        key = (email, row.get("unit_code"), role or "")
        if key in seen:
            report.problems.append(
                ImportProblem(
                    row.number,
                    _("The same person and role is on row %(row)s too.") % {"row": seen[key]},
                )
            )
        seen[key] = row.number
        user = existing_users.get(email)
        username = row.get("username") or email
        if user is None:
            if username in existing_usernames:
                report.problems.append(
                    ImportProblem(
                        row.number, _("The username %(name)s is taken.") % {"name": username}
                    )
                )
            elif seen_usernames.get(username, email) != email:
                report.problems.append(
                    ImportProblem(
                        row.number,
                        _("The username %(name)s is used twice in the file.") % {"name": username},
                    )
                )
            seen_usernames[username] = email
        elif (
            unit is not None
            and role
            and Membership.objects.filter(user=user, organization=unit, role=role).exists()
        ):
            report.problems.append(
                ImportProblem(
                    row.number, _("%(name)s already has this role in the unit.") % {"name": user}
                )
            )
        if len(report.problems) == problems_before:
            plan.append((row, email, username, unit, role))
    if report.problems:
        return report

    invited = []
    with transaction.atomic():
        created_users: dict[str, object] = {}
        for row, email, username, unit, role in plan:
            user = existing_users.get(email) or created_users.get(email)
            if user is None:
                user = User(
                    username=username,
                    email=email,
                    full_name=row.get("full_name"),
                    phone=row.get("phone")[:20],
                    position=row.get("position")[:150],
                )
                user.set_unusable_password()
                user.save()
                created_users[email] = user
                invited.append(user)
            Membership.objects.create(user=user, organization=unit, role=role)
            audit_record(
                actor=by, action="membership-add", obj=unit, changes={"user": user, "role": role}
            )
        report.created = len(plan)
        transaction.on_commit(lambda: [user_send_invitation(u) for u in invited])
    return report


def membership_add_person(
    *,
    org: Organization,
    email: str,
    full_name: str,
    role: str,
    by,
    department: Department | None = None,
) -> Membership:
    """Give a person a role in a unit, creating their account (and inviting them) when the
    email is new."""
    if not by.has_perm("federation.manage_unit", org):
        raise PermissionDenied
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            if User.objects.filter(username=email).exists():
                raise ValidationError(
                    {"email": _("The username %(name)s is taken.") % {"name": email}}
                )
            user = User(username=email, email=email, full_name=" ".join(full_name.split()))
            user.set_unusable_password()
            user.save()
        membership = membership_add(org=org, user=user, role=role, by=by, department=department)
        if created:
            transaction.on_commit(lambda: user_send_invitation(user))
    return membership
