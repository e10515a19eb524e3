"""Who may see and configure campaigns, built on the predicates of the union tree.

- Staff of the issuing unit (or of a unit above it) and superusers configure a campaign.
- Every unit in the issuer's branch sees it once it is no longer a draft, and so do the
  leaders and staff above the issuer (its reviewers).
- The holiday catalogue is kept by superusers (national days) and by staff for their branch.
"""

import rules

from federation import rules as tree
from federation.models import memberships_of


@rules.predicate
def is_issuer_staff(user, campaign) -> bool:
    """Staff of the issuing unit or of a unit above it."""
    return campaign is not None and tree.is_unit_staff(user, campaign.issuer)


@rules.predicate
def is_in_issuer_branch(user, campaign) -> bool:
    """Any role in the issuing unit or in a unit below it: the campaign is for this unit."""
    if campaign is None:
        return False
    path = campaign.issuer.path
    return any(m.organization_path.startswith(path) for m in memberships_of(user))


@rules.predicate
def is_issuer_reviewer(user, campaign) -> bool:
    """Leader or staff of the issuer or of a unit above it."""
    return campaign is not None and tree.is_subtree_reader(user, campaign.issuer)


@rules.predicate
def is_published(user, campaign) -> bool:
    return campaign is not None and not campaign.is_draft


@rules.predicate
def is_scope_staff(user, holiday) -> bool:
    """Staff of the unit a holiday belongs to (or above it); national days are for superusers."""
    return (
        holiday is not None
        and holiday.scope_unit_id is not None
        and tree.is_unit_staff(user, holiday.scope_unit)
    )


can_configure_campaign = tree.is_superuser | is_issuer_staff
can_view_campaign = can_configure_campaign | (
    is_published & (is_in_issuer_branch | is_issuer_reviewer)
)

rules.add_perm("campaigns.add_campaign", tree.is_superuser | tree.is_any_staff)
rules.add_perm("campaigns.view_campaign", can_view_campaign)
rules.add_perm("campaigns.change_campaign", can_configure_campaign)
rules.add_perm("campaigns.manage_holidays", tree.is_superuser | tree.is_any_staff)
rules.add_perm("campaigns.change_holiday", tree.is_superuser | is_scope_staff)
