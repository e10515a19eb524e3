"""Every change to a campaign plan goes through one of these functions.

Each is keyword-only and runs in one transaction: check the permission, lock the campaign row,
validate everything first (a ``ValidationError`` keyed by form field, with a translatable
message), then write and record the change in the audit log. Nothing is saved half-done.

The functions live in modules by topic and are all importable from here:

- :mod:`~campaigns.services.campaign`: the campaign (create, edit, publish, close, copy);
- :mod:`~campaigns.services.plan`: its themes and phases;
- :mod:`~campaigns.services.days`: milestones, the catalogue of days, calendar addresses;
- :mod:`~campaigns.services.common`: what they share (fields, locks, the audit entry).
"""

from campaigns.services.campaign import (
    CopyResult,
    activation_problems,
    campaign_activate,
    campaign_close,
    campaign_copy,
    campaign_create,
    campaign_update,
)
from campaigns.services.common import (
    CAMPAIGN_FIELDS,
    HOLIDAY_FIELDS,
    PHASE_FIELDS,
    YEAR_MAX,
    YEAR_MIN,
    audit_record,
)
from campaigns.services.days import (
    calendar_token_reset,
    holiday_create,
    holiday_delete,
    holiday_update,
    milestone_add,
    milestones_set,
)
from campaigns.services.plan import (
    phase_add,
    phase_delete,
    phase_update,
    theme_add,
    theme_delete,
    theme_move,
    theme_update,
)

__all__ = [
    "CAMPAIGN_FIELDS",
    "HOLIDAY_FIELDS",
    "PHASE_FIELDS",
    "YEAR_MAX",
    "YEAR_MIN",
    "CopyResult",
    "activation_problems",
    "audit_record",
    "calendar_token_reset",
    "campaign_activate",
    "campaign_close",
    "campaign_copy",
    "campaign_create",
    "campaign_update",
    "holiday_create",
    "holiday_delete",
    "holiday_update",
    "milestone_add",
    "milestones_set",
    "phase_add",
    "phase_delete",
    "phase_update",
    "theme_add",
    "theme_delete",
    "theme_move",
    "theme_update",
]
