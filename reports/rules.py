"""Who may do what with phase reports, built on the predicates of the union tree and of the
registrations (a report is reviewed by whoever reviews the unit's registration).

Predicates on a unit take (user, organization); those on the receiving department's work take
(user, campaign) or (user, report).

- The unit's officers and leaders prepare, save and submit its reports.
- The leader or staff of the unit directly above reviews; staff of the provincial federation
  (or of the confederation) may act at any level below them.
- Leaders and staff of a unit or of any unit above read its reports, its dashboard, its
  roll-ups and the summary; the unit's other members read its own reports.
- Staff of the issuing unit (its departments; the receiving department in practice) keep the
  inbox of the reports that reach it and mark them received.
- Staff of the issuing unit configure the campaign's indicators and reporting dates.
"""

import rules

from campaigns import rules as campaign_rules
from federation import rules as tree
from registrations import rules as registration_rules


@rules.predicate
def reached_issuer(user, report) -> bool:
    """The report's unit is directly below the campaign's issuer: it reached the issuer."""
    if report is None:
        return False
    issuer = report.campaign.issuer
    unit = report.organization
    return unit.depth == issuer.depth + 1 and unit.path.startswith(issuer.path)


@rules.predicate
def is_report_issuer_staff(user, report) -> bool:
    return report is not None and campaign_rules.is_issuer_staff(user, report.campaign)


can_prepare = tree.is_superuser | tree.is_unit_officer
can_review = registration_rules.can_review
can_view = tree.can_view_unit
can_read_subtree = tree.is_superuser | tree.is_subtree_reader
can_keep_inbox = tree.is_superuser | campaign_rules.is_issuer_staff
can_receive = (tree.is_superuser | is_report_issuer_staff) & reached_issuer

rules.add_perm("reports.view_report", can_view)
rules.add_perm("reports.change_report", can_prepare)
rules.add_perm("reports.review_report", can_review)
rules.add_perm("reports.view_subtree", can_read_subtree)
rules.add_perm("reports.view_inbox", can_keep_inbox)
rules.add_perm("reports.receive_report", can_receive)
rules.add_perm("reports.configure", campaign_rules.can_configure_campaign)
