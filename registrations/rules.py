"""Who may do what with registrations, built on the predicates of the union tree.

Every predicate takes (user, organization): the unit whose registration it is (or, for the
queue and the consolidation, the unit whose subtree is looked at). Memberships are read once
per request, so each check is a comparison of paths with no query.

- The unit's officers and leaders prepare, save and submit its registration.
- The reviewer is a leader or staff member of the unit directly above; staff of the provincial
  federation (or of the national confederation) may act at any level below them.
- Leaders and staff of the unit or of any unit above read its registration, its queue and its
  consolidation; the unit's other members read its own registration.
- A reviewer, or the unit itself, may reopen an approved registration (a new revision).
"""

import rules

from federation import rules as tree

can_register = tree.is_superuser | tree.is_unit_officer
can_review = tree.can_review_unit
can_view = tree.can_view_unit
can_read_subtree = tree.is_superuser | tree.is_subtree_reader

rules.add_perm("registrations.view_registration", can_view)
rules.add_perm("registrations.change_registration", can_register)
rules.add_perm("registrations.review_registration", can_review)
rules.add_perm("registrations.reopen_registration", can_review | can_register)
rules.add_perm("registrations.view_queue", can_read_subtree)
rules.add_perm("registrations.view_summary", can_read_subtree)
