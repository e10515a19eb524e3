"""Links that higher apps put on a lower app's page, without the lower app importing them.

Places: ``"campaign"`` (the campaign page: ``campaign``, ``user``, ``units``), and the pages of
the review stack that name theirs (``emulation.review.views.PageMixin.links_place``: ``campaign``,
``unit``, ``user``, ``phase``): ``"queue"`` (a reviewer's queue of the units below) and
``"summary"`` (the consolidation of a unit's branch, its registrations or a phase's results).

The campaign page (app ``campaigns``) shows where each person goes next in the campaign: the
unit's registration and reports, the queues and dashboards of the branch, the issuer's settings.
Those pages belong to apps above ``campaigns``, so each of them registers a provider here from
its ``apps.py``::

    @provide("campaign")
    def registration_links(*, campaign, user, units):
        yield Link(_("Registration"), reverse(...), section=WORK)

A provider receives the page's context as keywords, checks permissions with ``user.has_perm``
(the rules read the memberships already loaded for the request, so a provider costs no query
unless it says so) and yields :class:`Link` objects.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

WORK = "work"  # the units' work: registrations, reports, queues, dashboards
CONFIGURE = "configure"  # the issuer's settings of the campaign

_providers: dict[str, list[Callable[..., Iterable["Link"]]]] = defaultdict(list)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    section: str = WORK
    hint: str = ""
    testid: str = ""
    status: str = ""  # a review state: the hint shows as its badge


def provide(place: str):
    """Register a function that yields the links of ``place`` (e.g. ``"campaign"``)."""

    def register(provider):
        if provider not in _providers[place]:
            _providers[place].append(provider)
        return provider

    return register


def links(place: str, **context) -> dict[str, list[Link]]:
    """The links of ``place`` for this context, by section, in the apps' order."""
    sections: dict[str, list[Link]] = {WORK: [], CONFIGURE: []}
    for provider in _providers[place]:
        for link in provider(**context):
            sections.setdefault(link.section, []).append(link)
    return sections
