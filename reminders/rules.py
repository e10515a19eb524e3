"""Who may read the email outbox: administrators, and provincial staff (the outbox page then
shows the emails of the campaigns issued in their own branch)."""

import rules

from federation.rules import is_provincial_staff, is_superuser

rules.add_perm("reminders.view_outbox", is_superuser | is_provincial_staff)
