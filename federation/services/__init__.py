"""Every change to the union tree and its people goes through one of these functions.

The functions live in modules by topic and are all importable from here:

- :mod:`~federation.services.imports`: units created in bulk, and imported from a spreadsheet;
- :mod:`~federation.services.units`: one unit at a time (create, edit, move, merge, delete);
- :mod:`~federation.services.people`: memberships, departments, and the import of people.
"""

from federation.services.imports import (
    KIND_ALIASES,
    UNIT_COLUMNS,
    ImportProblem,
    ImportReport,
    NewUnit,
    organizations_bulk_create,
    organizations_import,
)
from federation.services.people import (
    ROLE_ALIASES,
    USER_COLUMNS,
    department_create,
    membership_add,
    membership_add_person,
    membership_remove,
    parse_role,
    users_import,
)
from federation.services.units import (
    EDITABLE_FIELDS,
    organization_create,
    organization_delete,
    organization_merge,
    organization_move,
    organization_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "KIND_ALIASES",
    "ROLE_ALIASES",
    "UNIT_COLUMNS",
    "USER_COLUMNS",
    "ImportProblem",
    "ImportReport",
    "NewUnit",
    "department_create",
    "membership_add",
    "membership_add_person",
    "membership_remove",
    "organization_create",
    "organization_delete",
    "organization_merge",
    "organization_move",
    "organization_update",
    "organizations_bulk_create",
    "organizations_import",
    "parse_role",
    "users_import",
]
