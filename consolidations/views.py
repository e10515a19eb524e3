"""Pages of the consolidations sent up. Views stay thin: they find what the person may see (a
unit of ``Organization.objects.visible_to``, a published campaign the person sees), check the
rule, hand what was posted to a service and show its answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Phase
from campaigns.selectors import PUBLISHED
from consolidations import selectors, services
from consolidations.models import Consolidation
from emulation.audit import audit_history
from emulation.mixins import error_messages, next_url, posted_version
from emulation.params import int_param
from emulation.review import views as review
from federation.models import Organization
from registrations.selectors.common import campaign_by_pk, in_branch, takes_part, unit_by_pk


class _Pages(review.PageMixin):
    def unit_url(self) -> str:
        return reverse("consolidations:unit", args=[self.campaign.pk, self.unit.pk])

    def breadcrumb(self) -> list:
        return selectors.breadcrumb(self.request.user, self.campaign, self.unit)


class UnitCampaignMixin(_Pages, review.UnitMixin):
    """A unit of the URL (``pk``) the person may see, in a published campaign (``campaign_id``)
    the person sees (see :class:`emulation.review.views.UnitMixin`)."""

    find_campaign = staticmethod(campaign_by_pk)
    find_unit = staticmethod(unit_by_pk)
    takes_part = staticmethod(takes_part)
    in_branch = staticmethod(in_branch)


class ConsolidationMixin(_Pages, review.ObjectMixin):
    """A consolidation of the URL (``pk``) whose unit the person may see, in a published
    campaign; 404 otherwise, whatever the id guessed. Its buttons go back to its page."""

    object_name = "consolidation"

    def visible(self):
        return Consolidation.objects.filter(
            organization__in=Organization.objects.visible_to(self.request.user),
            campaign__status__in=PUBLISHED,
        ).select_related(
            "campaign", "campaign__issuer", "phase", "organization", "submitted_by", "reviewed_by"
        )

    def object_url(self) -> str:
        return reverse("consolidations:detail", args=[self.object.pk])


# ---------------------------------------------------------------------------------------------
# The unit that sends.


class UnitView(UnitCampaignMixin):
    """The consolidations an upper unit sends to the unit above: its registrations and its
    report on each phase, with their state, the reviewer's comment, and the button to send."""

    permission_required = "consolidations.view"

    def get(self, request, *args, **kwargs):
        page = selectors.unit_page(request.user, self.campaign, self.unit, today=self.today)
        return render(request, "consolidations/unit.html", self.context(page=page))


class SendView(UnitCampaignMixin):
    """Send (or send again) one consolidation: the registrations, or the report on the phase
    posted as ``phase``."""

    permission_required = "consolidations.send"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        phase = None
        phase_id = int_param(request.POST, "phase")
        if phase_id is not None:
            phase = Phase.objects.filter(pk=phase_id, campaign=self.campaign).first()
            if phase is None:
                raise Http404
        try:
            consolidation = services.consolidation_send(
                campaign=self.campaign,
                organization=self.unit,
                phase=phase,
                by=request.user,
                today=self.today,
                expected_version=posted_version(request),
            )
        except ValidationError as exc:
            error_messages(request, exc)
            return redirect(next_url(request, self.unit_url()))
        above = selectors.reviewer_of(self.unit)
        messages.success(
            request,
            _("The consolidation was sent to %(unit)s: %(count)s units below counted.")
            % {"unit": above.display_name if above else "—", "count": consolidation.counted_units},
        )
        return redirect(next_url(request, self.unit_url()))


# ---------------------------------------------------------------------------------------------
# The unit above.


class QueueView(UnitCampaignMixin):
    """The upper units directly below a unit with the state of each of their consolidations:
    those awaiting review first to open, approve or return."""

    permission_required = "consolidations.view_queue"
    scope = "branch"

    def get(self, request, *args, **kwargs):
        waiting_only = request.GET.get("waiting") == "1"
        queue = selectors.queue(
            request.user,
            self.campaign,
            self.unit,
            waiting_only=waiting_only,
            page_number=request.GET.get("page"),
        )
        return render(
            request,
            "consolidations/queue.html",
            self.context(queue=queue, query="waiting=1" if waiting_only else ""),
        )


# ---------------------------------------------------------------------------------------------
# One consolidation.


class DetailView(ConsolidationMixin):
    """What was sent, as it was sent: the figures, the branches, the units counted; its state
    and the buttons of whoever may act on it now."""

    permission_required = "consolidations.view"

    def get(self, request, *args, **kwargs):
        page = selectors.detail(
            request.user, self.consolidation, counted_page=request.GET.get("page")
        )
        return render(request, "consolidations/detail.html", self.context(page=page, tab="sent"))


class ApproveView(ConsolidationMixin, review.TransitionView):
    permission_required = "consolidations.review"
    service = services.consolidation_approve
    done = gettext_lazy("The consolidation of %(unit)s was approved.")

    def unit_url(self) -> str:
        return self.object_url()


class ReturnView(ConsolidationMixin, review.CommentView):
    permission_required = "consolidations.review"
    template_name = "consolidations/comment.html"
    service = services.consolidation_return
    done = gettext_lazy("The consolidation of %(unit)s was returned with your reason.")

    def unit_url(self) -> str:
        return self.object_url()

    def heading(self):
        return _("Return the consolidation of %(unit)s: %(what)s") % {
            "unit": self.unit.name,
            "what": selectors.kind_title(self.consolidation.phase),
        }


class ReopenView(ConsolidationMixin, review.CommentView):
    permission_required = "consolidations.reopen"
    template_name = "consolidations/comment.html"
    action = "reopen"

    def unit_url(self) -> str:
        return self.object_url()

    def heading(self):
        return _("Reopen the consolidation of %(unit)s to send a new one: %(what)s") % {
            "unit": self.unit.name,
            "what": selectors.kind_title(self.consolidation.phase),
        }

    def call(self, comment, version):
        services.consolidation_reopen(
            self.consolidation, by=self.request.user, reason=comment, expected_version=version
        )
        return _("It was reopened: the unit may now send a new consolidation.")


class HistoryView(ConsolidationMixin):
    """Every sending, approval, return and reopening, with who, when and the figures sent."""

    permission_required = "consolidations.view"

    def get(self, request, *args, **kwargs):
        entries = audit_history(self.consolidation)[:200]
        return render(
            request,
            "consolidations/history.html",
            self.context(entries=entries, tab="history"),
        )
