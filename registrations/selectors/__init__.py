"""Reads that the registration pages share, by topic, each a fixed number of queries whatever
the number of units (figures over a subtree come from the per-branch counters):

- ``common``: the campaign and unit of an address, the units above and below it, who takes
  part, counts per status and the progress bar;
- ``registration``: one unit's registration and what the person may do on it now;
- ``queue``: the reviewer's queue, with what the person may do on each row;
- ``summary``: the consolidation of a subtree;
- ``start``: the start page.
"""

from federation.selectors import in_subtree
from registrations.selectors.common import (
    STATUS_ORDER,
    UNIT_DEFER,
    Progress,
    ancestors_list,
    breadcrumb,
    campaign_by_pk,
    children_of,
    extended_not_sent,
    in_branch,
    participants,
    past_deadline,
    progress_from,
    status_label,
    takes_part,
    unit_by_pk,
    with_registration,
)
from registrations.selectors.queue import (
    Queue,
    QueueFilters,
    awaiting_approval,
    children_progress,
    ids_below,
    mark_actions,
    review_queue,
)
from registrations.selectors.registration import (
    RegistrationPage,
    extension_of,
    leader_of,
    registration_for,
    registration_page,
)
from registrations.selectors.start import CampaignCard, start_page
from registrations.selectors.summary import (
    BRANCHES_PER_PAGE,
    SCOPES,
    BranchPaging,
    BranchRow,
    Summary,
    TargetTotal,
    ThemeTotal,
    children_page,
    chosen_themes,
    subtree_participants,
    subtree_registrations,
    summary,
    theme_totals,
    unit_and_children,
    unit_and_children_page,
    unit_matrix,
)

__all__ = [
    "BRANCHES_PER_PAGE",
    "SCOPES",
    "STATUS_ORDER",
    "UNIT_DEFER",
    "BranchPaging",
    "BranchRow",
    "CampaignCard",
    "Progress",
    "Queue",
    "QueueFilters",
    "RegistrationPage",
    "Summary",
    "TargetTotal",
    "ThemeTotal",
    "ancestors_list",
    "awaiting_approval",
    "breadcrumb",
    "campaign_by_pk",
    "children_of",
    "children_page",
    "children_progress",
    "chosen_themes",
    "extended_not_sent",
    "extension_of",
    "ids_below",
    "in_branch",
    "in_subtree",
    "leader_of",
    "mark_actions",
    "participants",
    "past_deadline",
    "progress_from",
    "registration_for",
    "registration_page",
    "review_queue",
    "start_page",
    "status_label",
    "subtree_participants",
    "subtree_registrations",
    "summary",
    "takes_part",
    "theme_totals",
    "unit_and_children",
    "unit_and_children_page",
    "unit_by_pk",
    "unit_matrix",
    "with_registration",
]
