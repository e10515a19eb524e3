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

can_score = tree.is_superuser | tree.is_unit_officer
can_review = tree.can_review_unit
can_view = tree.can_view_unit
can_read_branch = tree.is_superuser | tree.is_subtree_reader

rules.add_perm("grading.view_assessment", can_view)
rules.add_perm("grading.change_assessment", can_score)
rules.add_perm("grading.review_assessment", can_review)
rules.add_perm("grading.view_branch", can_read_branch)
rules.add_perm("grading.publish", can_read_branch)
rules.add_perm("grading.manage_sheets", tree.is_superuser)
