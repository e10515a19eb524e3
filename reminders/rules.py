"""Who may read the email outbox: administrators, and provincial staff (the outbox page then
shows the emails of their own branch: of its units, people and departments). Who may preview
and send a campaign's digest on demand: those who configure the campaign (its issuer's staff,
administrators)."""

import rules

from campaigns.rules import can_configure_campaign
from federation.rules import is_provincial_staff, is_superuser

rules.add_perm("reminders.view_outbox", is_superuser | is_provincial_staff)
rules.add_perm("reminders.send_digest", can_configure_campaign)
