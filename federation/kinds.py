"""Which kinds of unit may stand under which: the rule lives in the table
:class:`~federation.models.AllowedChildKind`, checked on every path that places a unit or
changes its kind (the unit pages, the import, moves, merges and the admin).

A kind carries powers (the staff of a provincial federation read the email outbox, manage the
plaques, publish exemplary models): with this rule a branch cannot give itself a kind above
its place in the tree, and only the staff of a unit above may change a unit's kind.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from federation.models import AllowedChildKind, Organization, OrganizationKind

# The hierarchy as the first migration of the table seeds it (a copy: that migration keeps
# its own); a database emptied by a test's flush, or a new demo, gets it back from here.
HIERARCHY = {
    OrganizationKind.NATIONAL: [
        OrganizationKind.PROVINCIAL,
        OrganizationKind.SECTOR,
        OrganizationKind.UPPER,
    ],
    OrganizationKind.PROVINCIAL: [
        OrganizationKind.LOCAL,
        OrganizationKind.SECTOR,
        OrganizationKind.UPPER,
        OrganizationKind.GRASSROOTS,
    ],
    OrganizationKind.LOCAL: [OrganizationKind.UPPER, OrganizationKind.GRASSROOTS],
    OrganizationKind.SECTOR: [OrganizationKind.UPPER, OrganizationKind.GRASSROOTS],
    OrganizationKind.UPPER: [OrganizationKind.GRASSROOTS],
    # Member grassroots unions and department unions (công đoàn cơ sở thành viên, công đoàn
    # bộ phận) of a large grassroots union.
    OrganizationKind.GRASSROOTS: [OrganizationKind.GRASSROOTS],
}


def seed_hierarchy() -> None:
    """Add the rows of :data:`HIERARCHY` that the table lacks (rows added by an administrator
    stay)."""
    AllowedChildKind.objects.bulk_create(
        [
            AllowedChildKind(parent_kind=parent, child_kind=child)
            for parent, children in HIERARCHY.items()
            for child in children
        ],
        ignore_conflicts=True,
    )


def allowed_pairs() -> set[tuple[str, str]]:
    """Every (kind above, kind below) allowed, in one query."""
    return set(AllowedChildKind.objects.values_list("parent_kind", "child_kind"))


def kinds_under(parent_kind: str | None, pairs: set | None = None) -> list[str]:
    """The kinds a unit may have under a unit of ``parent_kind`` (every kind for a root, which
    only an administrator creates), in the order of the choices."""
    if parent_kind is None:
        return list(OrganizationKind.values)
    pairs = allowed_pairs() if pairs is None else pairs
    return [kind for kind in OrganizationKind.values if (parent_kind, kind) in pairs]


def _labels(kinds) -> str:
    return ", ".join(str(OrganizationKind(kind).label) for kind in kinds)


def placement_problem(kind: str, parent_kind: str | None, pairs: set | None = None) -> str:
    """Why a unit of ``kind`` cannot stand under a unit of ``parent_kind``; "" when it can."""
    allowed = kinds_under(parent_kind, pairs)
    if kind in allowed:
        return ""
    if not allowed:
        return _("No unit may stand under a unit of kind %(parent)s.") % {
            "parent": OrganizationKind(parent_kind).label
        }
    return _(
        "A unit of kind %(kind)s cannot stand under a unit of kind %(parent)s; allowed there: "
        "%(allowed)s."
    ) % {
        "kind": OrganizationKind(kind).label if kind in OrganizationKind.values else kind,
        "parent": OrganizationKind(parent_kind).label,
        "allowed": _labels(allowed),
    }


def children_problem(kind: str, children_kinds, pairs: set | None = None) -> str:
    """Why units of ``children_kinds`` cannot stay under a unit of ``kind``; "" when they can."""
    allowed = set(kinds_under(kind, pairs))
    wrong = [k for k in OrganizationKind.values if k in set(children_kinds) - allowed]
    if not wrong:
        return ""
    return _(
        "The units below it are of kind %(kinds)s, which cannot stand under a unit of kind "
        "%(kind)s."
    ) % {"kinds": _labels(wrong), "kind": OrganizationKind(kind).label}


def check_placement(*, kind: str, parent: Organization | None, field: str = "kind") -> None:
    """Refuse (``ValidationError`` on ``field``) a unit of ``kind`` under ``parent``."""
    problem = placement_problem(kind, parent.kind if parent else None)
    if problem:
        raise ValidationError({field: problem})


def check_kind_change(*, unit: Organization, kind: str) -> None:
    """Refuse a new ``kind`` for ``unit`` that its parent or its children do not allow."""
    pairs = allowed_pairs()
    parent = unit.parent_unit()
    problem = placement_problem(kind, parent.kind if parent else None, pairs)
    if not problem:
        children = Organization.objects.children_of(unit).values_list("kind", flat=True)
        problem = children_problem(kind, set(children.distinct()), pairs)
    if problem:
        raise ValidationError({"kind": problem})
