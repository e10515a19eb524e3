"""The registration pages a person reaches from the campaign page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from emulation.links import Link, provide
from registrations.selectors.common import takes_part


@provide("campaign")
def registration_links(*, campaign, user, units, **context):
    if campaign.is_draft:
        return
    readers = [u for u in units if user.has_perm("registrations.view_summary", u)]
    if not units and user.has_perm("registrations.view_summary", campaign.issuer):
        readers = [campaign.issuer]  # an administrator with no unit of their own
    for unit in units:
        if takes_part(campaign, unit) and user.has_perm("registrations.view_registration", unit):
            yield Link(
                _("Registration of %(unit)s") % {"unit": unit.display_name},
                reverse("registrations:unit", args=[campaign.pk, unit.pk]),
                hint=_("Choose the themes, write the commitments and targets, submit"),
                testid="link-registration",
            )
    for unit in readers:
        if unit.is_grassroots:
            continue
        yield Link(
            _("Review the registrations of the units below %(unit)s") % {"unit": unit.display_name},
            reverse("registrations:queue", args=[campaign.pk, unit.pk]),
            testid="link-registration-queue",
        )
        yield Link(
            _("Consolidated registrations of %(unit)s") % {"unit": unit.display_name},
            reverse("registrations:summary", args=[campaign.pk, unit.pk]),
            hint=_("Which unit chose which themes, targets summed, XLSX and PDF"),
            testid="link-registration-summary",
        )
