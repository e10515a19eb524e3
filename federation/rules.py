"""Permission predicates on the union tree.

Every predicate takes (user, organization). A unit's path is the prefix of its subtree's paths,
so "is ``org`` in the branch of a unit the user leads" is a string comparison with no query
beyond the user's memberships, which are read once per request.
"""

import rules

from federation.models import PROVINCIAL_KINDS, SUBTREE_ROLES, Organization, Role, memberships_of


def _in_branch(path: str, org: Organization) -> bool:
    return org.path.startswith(path)


@rules.predicate
def is_member(user, org: Organization | None) -> bool:
    """Any role in this very unit."""
    if org is None:
        return False
    return any(m.organization_id == org.pk for m in memberships_of(user))


@rules.predicate
def is_unit_officer(user, org: Organization | None) -> bool:
    """Officer or leader of this very unit: prepares its registration, reports, nominations."""
    if org is None:
        return False
    return any(
        m.organization_id == org.pk and m.role in (Role.OFFICER, Role.LEADER)
        for m in memberships_of(user)
    )


@rules.predicate
def is_subtree_reader(user, org: Organization | None) -> bool:
    """Leader or staff of the unit itself or of a unit above it."""
    if org is None:
        return False
    return any(
        m.role in SUBTREE_ROLES and _in_branch(m.organization_path, org)
        for m in memberships_of(user)
    )


@rules.predicate
def is_unit_staff(user, org: Organization | None) -> bool:
    """Department staff of the unit or of a unit above: manages units and people below."""
    if org is None:
        return False
    return any(
        m.role == Role.STAFF and _in_branch(m.organization_path, org) for m in memberships_of(user)
    )


@rules.predicate
def is_unit_staff_above(user, org: Organization | None) -> bool:
    """Department staff of a unit strictly above ``org``: may move, merge or delete it."""
    if org is None:
        return False
    return any(
        m.role == Role.STAFF
        and _in_branch(m.organization_path, org)
        and m.organization_path != org.path
        for m in memberships_of(user)
    )


@rules.predicate
def is_any_staff(user) -> bool:
    """Department staff of some unit."""
    return any(m.role == Role.STAFF for m in memberships_of(user))


@rules.predicate
def is_provincial_staff(user) -> bool:
    """Staff of a provincial federation or the national confederation. The kind of their unit
    is set by the staff above it, within the kinds its parent allows (federation.kinds), never
    by the unit itself."""
    return any(
        m.role == Role.STAFF and m.organization_kind in PROVINCIAL_KINDS
        for m in memberships_of(user)
    )


@rules.predicate
def is_upper_member(user) -> bool:
    """Leader or staff of some unit: has a subtree to browse."""
    return any(m.role in SUBTREE_ROLES for m in memberships_of(user))


@rules.predicate
def is_direct_reviewer(user, org: Organization | None) -> bool:
    """Leader or staff of the unit directly above ``org``: reviews what the unit sends up."""
    if org is None or org.depth <= 1:
        return False
    parent_path = org.parent_path
    return any(
        m.role in SUBTREE_ROLES and m.organization_path == parent_path for m in memberships_of(user)
    )


@rules.predicate
def is_provincial_staff_above(user, org: Organization | None) -> bool:
    """Staff of a provincial federation (or of the confederation) strictly above ``org``: may
    act as the reviewer at any level below them."""
    if org is None:
        return False
    return any(
        m.role == Role.STAFF
        and m.organization_kind in PROVINCIAL_KINDS
        and _in_branch(m.organization_path, org)
        and org.path != m.organization_path
        for m in memberships_of(user)
    )


is_superuser = rules.is_superuser
can_view_unit = is_superuser | is_member | is_subtree_reader
can_manage_unit = is_superuser | is_unit_staff
can_restructure_unit = is_superuser | is_unit_staff_above
# The reviewer of what a unit sends up (registrations, gradings).
can_review_unit = is_superuser | is_direct_reviewer | is_provincial_staff_above

rules.add_perm("federation.view_unit", can_view_unit)
rules.add_perm("federation.browse_tree", is_superuser | is_upper_member)
rules.add_perm("federation.manage_unit", can_manage_unit)
rules.add_perm("federation.restructure_unit", can_restructure_unit)
# A unit's kind carries powers (see federation.kinds): its own staff see it, the staff above
# change it.
rules.add_perm("federation.change_unit_kind", can_restructure_unit)
rules.add_perm("federation.import_units", is_superuser | is_any_staff)
rules.add_perm("federation.import_users", is_superuser | is_any_staff)
