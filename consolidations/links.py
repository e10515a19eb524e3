"""The consolidation pages a person reaches from other apps' pages (``emulation.links``):

- the campaign page: an upper unit's officers and leaders reach the page where it sends its
  consolidations; provincial units' readers the queue of what their units below sent up
  (no query: the units are read already);
- a reviewer's queue (registrations, or a phase's reports): the consolidations the upper units
  below sent up, with the number awaiting review, and the state of the unit's own (one query);
- a branch's consolidation (registrations, or a phase's results): the state of the unit's own
  consolidation sent up (one query).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consolidations import selectors
from consolidations.models import Consolidation
from emulation.links import Link, provide
from federation.models import PROVINCIAL_KINDS
from registrations.selectors.common import in_branch, takes_part


def _sends(campaign, unit, user) -> bool:
    """The unit sends consolidations (it takes part and has units below) and the person may
    read them."""
    return bool(
        takes_part(campaign, unit) and unit.numchild and user.has_perm("consolidations.view", unit)
    )


@provide("campaign")
def campaign_links(*, campaign, user, units, **context):
    if campaign.is_draft:
        return
    for unit in units:
        if _sends(campaign, unit, user) and user.has_perm("consolidations.send", unit):
            yield Link(
                _("Consolidations of %(unit)s sent up") % {"unit": unit.display_name},
                reverse("consolidations:unit", args=[campaign.pk, unit.pk]),
                hint=_("Send the unit above the consolidated registrations and phase reports"),
                testid="link-sendup",
            )
    for unit in units:
        if (
            unit.kind in PROVINCIAL_KINDS
            and in_branch(campaign, unit)
            and user.has_perm("consolidations.view_queue", unit)
        ):
            yield Link(
                _("Consolidations sent up by the units below %(unit)s")
                % {"unit": unit.display_name},
                reverse("consolidations:queue", args=[campaign.pk, unit.pk]),
                testid="link-sendup-queue",
            )


@provide("queue")
def queue_links(*, campaign, unit, user, phase=None, **context):
    sends = _sends(campaign, unit, user)
    reads = not unit.is_grassroots and user.has_perm("consolidations.view_queue", unit)
    if not (sends or reads):
        return
    figures = selectors.queue_figures(campaign, unit, phase)
    if sends:
        yield _own(campaign, unit, phase, figures["own"])
    if reads and figures["units"]:
        waiting = figures["waiting"]
        yield Link(
            _("Consolidations sent up by the upper units below"),
            reverse("consolidations:queue", args=[campaign.pk, unit.pk])
            + ("?waiting=1" if waiting else ""),
            hint=ngettext("%(count)s awaiting review", "%(count)s awaiting review", waiting)
            % {"count": waiting}
            if waiting
            else _("none awaiting review"),
            status="submitted" if waiting else "",
            testid="sendup-queue-link",
        )


def _own(campaign, unit, phase, status) -> Link:
    """The link to the page where ``unit`` sends its consolidation of ``phase``, with its
    state."""
    state = selectors.status_of(status)
    return Link(
        _("%(what)s sent to the unit above") % {"what": selectors.kind_title(phase)},
        reverse("consolidations:unit", args=[campaign.pk, unit.pk]),
        hint=str(selectors.SENDER_LABELS[state]),
        status=state,
        testid="sendup-link",
    )


@provide("summary")
def summary_links(*, campaign, unit, user, phase=None, **context):
    if not _sends(campaign, unit, user):
        return
    status = (
        Consolidation.objects.filter(campaign=campaign, organization=unit, phase=phase)
        .values_list("status", flat=True)
        .first()
    )
    yield _own(campaign, unit, phase, status)
