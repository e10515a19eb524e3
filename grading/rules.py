"""Who may do what in the grading of grassroots unions, built on the predicates of the union
tree. Every predicate takes (user, organization).

- The officers and leaders of a grassroots union score it and submit its grading.
- The reviewer is a leader or staff member of the unit directly above; staff of the provincial
  federation (or the confederation) may act at any level below them. The reviewer verifies,
  approves, returns and reopens (with a reason).
- The unit's members see its own grading; leaders and staff of a unit or above see their
  branch: its gradings, its dashboard, and publish the grades of the units directly below.
"""

import rules

from federation import rules as tree
from federation.models import PROVINCIAL_KINDS, SUBTREE_ROLES, Organization, Role, memberships_of


@rules.predicate
def is_direct_reviewer(user, org: Organization | None) -> bool:
    """Leader or staff of the unit directly above ``org``."""
    if org is None or org.depth <= 1:
        return False
    parent_path = org.parent_path
    return any(
        m.role in SUBTREE_ROLES and m.organization_path == parent_path for m in memberships_of(user)
    )


@rules.predicate
def is_provincial_staff_above(user, org: Organization | None) -> bool:
    """Staff of a provincial federation (or of the confederation) strictly above ``org``."""
    if org is None:
        return False
    return any(
        m.role == Role.STAFF
        and m.organization_kind in PROVINCIAL_KINDS
        and org.path.startswith(m.organization_path)
        and org.path != m.organization_path
        for m in memberships_of(user)
    )


can_score = tree.is_superuser | tree.is_unit_officer
can_review = tree.is_superuser | is_direct_reviewer | is_provincial_staff_above
can_view = tree.can_view_unit
can_read_branch = tree.is_superuser | tree.is_subtree_reader

rules.add_perm("grading.view_assessment", can_view)
rules.add_perm("grading.change_assessment", can_score)
rules.add_perm("grading.review_assessment", can_review)
rules.add_perm("grading.view_branch", can_read_branch)
rules.add_perm("grading.publish", can_read_branch)
rules.add_perm("grading.manage_sheets", tree.is_superuser)
