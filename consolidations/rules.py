"""Who may do what with consolidations sent up, built on the predicates of the union tree and of
the registrations (a consolidation is reviewed by whoever reviews the unit's registration).

Every predicate takes (user, organization): the unit that sends (or, for the queue, the unit
whose units below send to it).

- The upper unit's officers and leaders send its consolidation (the service checks the rest:
  an active campaign the unit takes part in, units below it, something approved below).
- The leader or staff of the unit directly above reviews it (approves, or returns it with a
  reason); staff of the provincial federation (or of the confederation) may act at any level
  below them.
- The unit's members and the leaders and staff of any unit above read it; leaders and staff
  of a unit or of a unit above read the queue of what its units below sent.
- A reviewer, or the unit itself, may reopen an approved consolidation, to send a new one.
"""

import rules

from federation import rules as tree
from registrations import rules as registration_rules

can_send = tree.is_superuser | tree.is_unit_officer
can_review = registration_rules.can_review
can_view = tree.can_view_unit
can_view_queue = tree.is_superuser | tree.is_subtree_reader

rules.add_perm("consolidations.send", can_send)
rules.add_perm("consolidations.review", can_review)
rules.add_perm("consolidations.view", can_view)
rules.add_perm("consolidations.view_queue", can_view_queue)
rules.add_perm("consolidations.reopen", can_review | can_send)
