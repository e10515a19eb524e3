"""The reminder settings reached from the campaign page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from emulation.links import CONFIGURE, Link, provide


@provide("campaign")
def reminder_links(*, campaign, user, **context):
    if user.has_perm("campaigns.change_campaign", campaign):
        yield Link(
            _("Reminders"),
            reverse("reminders:rules", args=[campaign.pk]),
            section=CONFIGURE,
            testid="link-reminder-rules",
        )
