"""People: memberships (a person's role in a unit), departments, and the import of people from
a spreadsheet."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.services import invitations_queue
from emulation.audit import audit_record
from emulation.jobs import JobOutcome, job_start
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
from federation.models import Department, Membership, Organization, Role
from federation.services.imports import ImportProblem, ImportReport, cells_too_long


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


# Short Vietnamese names of the roles, besides their codes and full names (folded).
ROLE_ALIASES = {
    "canbo": Role.OFFICER,
    "lanhdao": Role.LEADER,
    "chuyenvien": Role.STAFF,
    "hoidong": Role.COUNCIL,
    "thanhvienhoidong": Role.COUNCIL,
}


def parse_role(value: str, names: dict[str, str] | None = None) -> str | None:
    """The role a cell names: its code, its name in any language of the system, or a short
    Vietnamese name. ``names`` is ``choice_names(Role, ROLE_ALIASES)``, once per file."""
    return (names or choice_names(Role, ROLE_ALIASES)).get(fold(value))


USER_COLUMNS = {
    "full_name": ("Họ và tên", "Họ tên", "full name", "name"),
    "email": ("Email", "Thư điện tử"),
    "unit_code": ("Mã đơn vị", "Mã", "unit", "unit code"),
    "role": ("Vai trò", "role"),
    "username": ("Tên đăng nhập", "username"),
    "phone": ("Điện thoại", "phone"),
    "position": ("Chức vụ", "position"),
}


USER_REQUIRED = ("full_name", "email", "unit_code", "role")


def _user_lengths() -> dict:
    User = get_user_model()
    return {
        key: (label, User._meta.get_field(key).max_length)
        for key, label in (
            ("full_name", _("full name")),
            ("email", _("email")),
            ("username", _("username")),
        )
    }


def users_import(*, upload, by) -> ImportReport:
    """Create people (or give existing people a new role) from a CSV or XLSX file, all or
    nothing. New people receive an email with a link to choose their password.

    The header is checked before any row is read; a file of more than ``IMPORT_JOB_ROWS`` rows
    is handed to a background job (``report.job``) whose page shows the same result."""
    if not by.has_perm("federation.import_users"):
        raise PermissionDenied
    report = ImportReport()
    name = getattr(upload, "name", "") or ""
    try:
        data = read_bytes(upload)
        table = open_table(data, name, USER_COLUMNS, required=USER_REQUIRED)
        if is_large(table):
            report.job = job_start(
                kind="federation.services.people.users_import_job",
                title=_("Import of people from %(name)s") % {"name": name},
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
    return _import_users(rows, by=by)


def users_import_job(job, progress) -> JobOutcome:
    """The background side of a large import of people (a runner of ``emulation.jobs``)."""
    by = job.requested_by
    if not by.has_perm("federation.import_users"):
        return JobOutcome(
            problems=[{"row": None, "message": _("You may no longer import people.")}]
        )
    try:
        with job.source.open("rb") as stored:
            table = open_table(stored.read(), job.source_name, USER_COLUMNS, USER_REQUIRED)
        rows = table.rows(progress)
    except TableError as exc:
        return JobOutcome(problems=[{"row": None, "message": str(exc)}])
    return _import_users(rows, by=by).outcome()


def _import_users(rows, *, by) -> ImportReport:
    User = get_user_model()
    report = ImportReport()
    lengths = _user_lengths()
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
    roles = choice_names(Role, ROLE_ALIASES)
    for row in rows:
        problems_before = len(report.problems)
        email = row.get("email").lower()
        if not row.get("full_name"):
            report.problems.append(ImportProblem(row.number, _("The full name is missing.")))
        elif has_line_break(row.get("full_name")):
            report.problems.append(
                ImportProblem(
                    row.number, _("A name is written on one line: remove the line breaks.")
                )
            )
        report.problems.extend(cells_too_long(row, lengths))
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
        role = parse_role(row.get("role"), roles)
        if role is None:
            report.problems.append(
                ImportProblem(
                    row.number,
                    _("Unknown role “%(role)s”; use one of: %(roles)s.")
                    % {"role": row.get("role"), "roles": choices_text(Role)},
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
    try:
        with transaction.atomic():
            _create_people(plan, existing_users, invited, by=by)
            report.created = len(plan)
            ids = [u.pk for u in invited]
            transaction.on_commit(lambda: invitations_queue(ids))
    except IntegrityError:
        # Another import created one of these accounts at the same moment.
        report.problems = [
            ImportProblem(
                None,
                _(
                    "Another import added some of these people at the same moment; nothing was "
                    "saved. Import the file again."
                ),
            )
        ]
        report.created = 0
    return report


def _create_people(plan, existing_users, invited, *, by) -> None:
    User = get_user_model()
    created_users: dict[str, object] = {}
    for row, email, username, unit, role in plan:
        user = existing_users.get(email) or created_users.get(email)
        if user is None:
            user = User(
                username=username,
                email=email,
                full_name=normalize_name(row.get("full_name")),
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
            user = User(username=email, email=email, full_name=normalize_name(full_name))
            user.set_unusable_password()
            user.save()
        membership = membership_add(org=org, user=user, role=role, by=by, department=department)
        if created:
            transaction.on_commit(lambda: invitations_queue([user.pk]))
    return membership
