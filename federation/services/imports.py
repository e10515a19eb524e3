"""Units in bulk: created with their paths computed here, and imported from a spreadsheet, all
or nothing (the import's report serves the import of people too)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation.audit import audit_record
from emulation.jobs import JobOutcome, job_start
from emulation.models import Job
from emulation.tabular import (
    TableError,
    choice_names,
    choices_text,
    fold,
    is_large,
    open_table,
    read_bytes,
)
from emulation.text import has_line_break, normalize_name
from federation import kinds, rollups
from federation import rules as perms
from federation.models import Organization, OrganizationKind, children_q, organization_search_key
from federation.signals import units_changed

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

UNIT_REQUIRED = ("code", "name", "kind", "parent_code")
# The cells checked against their column's length, with the name a message gives them.
UNIT_LENGTHS = {
    "name": (gettext_lazy("unit name"), Organization._meta.get_field("name").max_length),
    "short_name": (
        gettext_lazy("short name"),
        Organization._meta.get_field("short_name").max_length,
    ),
    "email": (gettext_lazy("email"), Organization._meta.get_field("email").max_length),
}
# The largest member count a unit may hold (the column is a 32-bit integer).
MAX_MEMBERS = 2_147_483_647

# Short Vietnamese names of the kinds, besides their codes and full names (folded).
KIND_ALIASES = {
    "tongliendoan": OrganizationKind.NATIONAL,
    "tld": OrganizationKind.NATIONAL,
    "tinh": OrganizationKind.PROVINCIAL,
    "ldldtinh": OrganizationKind.PROVINCIAL,
    "huyen": OrganizationKind.LOCAL,
    "ldldhuyen": OrganizationKind.LOCAL,
    "xa": OrganizationKind.LOCAL,
    "congdoanxa": OrganizationKind.LOCAL,
    "nganh": OrganizationKind.SECTOR,
    "congdoannganh": OrganizationKind.SECTOR,
    "captren": OrganizationKind.UPPER,
    "congdoancaptren": OrganizationKind.UPPER,
    "coso": OrganizationKind.GRASSROOTS,
    "cdcs": OrganizationKind.GRASSROOTS,
    "congdoancoso": OrganizationKind.GRASSROOTS,
}


@dataclass
class ImportProblem:
    row: int | None
    message: str


@dataclass
class ImportReport:
    created: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    # A large file goes to a background job: its page shows the result.
    job: Job | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def outcome(self) -> JobOutcome:
        """The report as a background job keeps it."""
        if self.problems:
            return JobOutcome(
                problems=[{"row": p.row, "message": p.message} for p in self.problems]
            )
        return JobOutcome(message=_("Imported %(count)s rows.") % {"count": self.created})


def cells_too_long(row, lengths: dict[str, int]) -> list[ImportProblem]:
    """A problem for each cell longer than its column may hold."""
    return [
        ImportProblem(
            row.number,
            _("The %(column)s is %(length)s characters long; at most %(limit)s are allowed.")
            % {"column": label, "length": len(row.get(key)), "limit": limit},
        )
        for key, (label, limit) in lengths.items()
        if len(row.get(key)) > limit
    ]


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
    kind_names = choice_names(OrganizationKind, KIND_ALIASES)
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
        if has_line_break(name) or has_line_break(row.get("short_name")):
            problems.append(
                ImportProblem(
                    row.number, _("A name is written on one line: remove the line breaks.")
                )
            )
        problems.extend(cells_too_long(row, UNIT_LENGTHS))
        kind = kind_names.get(fold(row.get("kind")))
        if kind is None:
            problems.append(
                ImportProblem(
                    row.number,
                    _("Unknown kind of unit “%(kind)s”; use one of: %(kinds)s.")
                    % {"kind": row.get("kind"), "kinds": choices_text(OrganizationKind)},
                )
            )
        members_raw = row.get("member_count") or "0"
        try:
            member_count = int(members_raw.replace(".", "").replace(",", ""))
            if not 0 <= member_count <= MAX_MEMBERS:
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
            name=normalize_name(name),
            kind=kind or "",
            parent_code=row.get("parent_code") or None,
            short_name=normalize_name(row.get("short_name")),
            member_count=member_count,
            email=email,
            row=row.number,
        )

    existing_kinds = dict(
        Organization.objects.filter(
            code__in={*units.keys(), *(u.parent_code for u in units.values() if u.parent_code)}
        ).values_list("code", "kind")
    )
    existing = set(existing_kinds)
    pairs = kinds.allowed_pairs()
    may_manage: dict[str, bool] = {}
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
            if parent not in may_manage:  # once per parent, not once per row
                may_manage[parent] = perms.can_manage_unit(
                    by, Organization.objects.get(code=parent)
                )
            if not may_manage[parent]:
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
    # The kinds the parents allow (federation.kinds), for the units whose chain of parents
    # makes sense: a cycle is already reported.
    for code, unit in units.items():
        parent = unit.parent_code
        parent_kind = units[parent].kind if parent in units else existing_kinds.get(parent)
        if unit.kind and parent_kind and code not in in_cycle:
            problem = kinds.placement_problem(unit.kind, parent_kind, pairs)
            if problem:
                problems.append(ImportProblem(unit.row, problem))
    problems.sort(key=lambda p: p.row or 0)
    return ordered, problems


def organizations_import(*, upload, by) -> ImportReport:
    """Import units from a CSV or XLSX file: every row, or none when any row is wrong.

    The header is checked before any row is read; a file of more than ``IMPORT_JOB_ROWS`` rows
    is handed to a background job (``report.job``) whose page shows the same result."""
    if not by.has_perm("federation.import_units"):
        raise PermissionDenied
    report = ImportReport()
    name = getattr(upload, "name", "") or ""
    try:
        data = read_bytes(upload)
        table = open_table(data, name, UNIT_COLUMNS, required=UNIT_REQUIRED)
        if is_large(table):
            report.job = job_start(
                kind="federation.services.imports.organizations_import_job",
                title=_("Import of units from %(name)s") % {"name": name},
                requested_by=by,
                source=data,
                source_name=name,
                total=table.estimate or 0,
            )
            return report
        rows = table.rows()
    except TableError as exc:
        report.problems.append(ImportProblem(None, str(exc)))
        return report
    return _import_units(rows, by=by, name=name)


def organizations_import_job(job, progress) -> JobOutcome:
    """The background side of a large import of units (a runner of ``emulation.jobs``)."""
    by = job.requested_by
    if not by.has_perm("federation.import_units"):
        return JobOutcome(problems=[{"row": None, "message": _("You may no longer import units.")}])
    try:
        with job.source.open("rb") as stored:
            table = open_table(stored.read(), job.source_name, UNIT_COLUMNS, UNIT_REQUIRED)
        rows = table.rows(progress)
    except TableError as exc:
        return JobOutcome(problems=[{"row": None, "message": str(exc)}])
    return _import_units(rows, by=by, name=job.source_name, progress=progress).outcome()


def _import_units(rows, *, by, name: str, progress=None) -> ImportReport:
    report = ImportReport()
    units, problems = _validate_units(rows, by=by)
    if problems:
        report.problems = problems
        return report
    codes = {u.code for u in units}
    parent_codes = {u.parent_code for u in units if u.parent_code and u.parent_code not in codes}
    with transaction.atomic():
        # One import at a time under a parent: the paths of its new children are computed from
        # its last child, which a concurrent import would take too.
        list(
            Organization.objects.select_for_update()
            .filter(code__in=parent_codes)
            .order_by("path")
            .values_list("pk", flat=True)
        )
        taken = sorted(Organization.objects.filter(code__in=codes).values_list("code", flat=True))
        if taken:
            rows_of = {u.code: u.row for u in units}
            report.problems = [
                ImportProblem(
                    rows_of[code],
                    _("The code %(code)s already exists in the system.") % {"code": code},
                )
                for code in taken
            ]
            report.problems.sort(key=lambda p: p.row or 0)
            return report
        report.created = organizations_bulk_create(units)
        if progress is not None:
            progress(len(units), len(units))
        if report.created:
            units_changed.send(
                sender=Organization,
                paths=list(
                    Organization.objects.filter(code__in=parent_codes).values_list(
                        "path", flat=True
                    )
                ),
            )
            anchor = Organization.objects.get(code=units[0].code)
            audit_record(
                actor=by,
                action="import",
                obj=anchor,
                changes={"created": report.created, "file": name},
            )
    return report
