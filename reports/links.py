"""The report pages a person reaches from the campaign page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from emulation.links import CONFIGURE, Link, provide
from registrations.selectors.common import takes_part


def _phases(campaign):
    return sorted(campaign.phases.all(), key=lambda p: p.start)  # prefetched with the plan


@provide("campaign")
def report_links(*, campaign, user, units, **context):
    if user.has_perm("reports.configure", campaign):
        yield Link(
            _("Report indicators"),
            reverse("reports:indicators", args=[campaign.pk]),
            section=CONFIGURE,
            testid="link-indicators",
        )
    if campaign.is_draft:
        return
    phases = _phases(campaign)
    for unit in units:
        if not (takes_part(campaign, unit) and user.has_perm("reports.view_report", unit)):
            continue
        for phase in phases:
            yield Link(
                _("Report of %(unit)s on %(phase)s")
                % {"unit": unit.display_name, "phase": phase.name},
                reverse("reports:unit", args=[campaign.pk, phase.pk, unit.pk]),
                testid="link-report",
            )
    readers = [u for u in units if not u.is_grassroots and user.has_perm("reports.view_subtree", u)]
    if not units and user.has_perm("reports.view_subtree", campaign.issuer):
        readers = [campaign.issuer]
    for unit in readers:
        yield Link(
            _("Results dashboard of %(unit)s") % {"unit": unit.display_name},
            reverse("reports:dashboard", args=[campaign.pk, unit.pk]),
            hint=_("Progress per unit, late units, indicators, XLSX and the summary PDF"),
            testid="link-dashboard",
        )
    if user.has_perm("reports.view_inbox", campaign):
        yield Link(
            _("Inbox of the reports sent to the province"),
            reverse("reports:inbox", args=[campaign.pk]),
            testid="link-inbox",
        )
