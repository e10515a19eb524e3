"""What every report page loads and checks before anything else (``emulation.review.views``): a
published campaign the person sees, the unit of the address the person may see, a phase of the
campaign, or a report whose unit the person may see; 404 otherwise, whatever the id guessed."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from campaigns.models import Phase
from campaigns.selectors import PUBLISHED, published_campaigns
from emulation.review import views as review
from federation.models import Organization
from registrations.selectors.common import in_branch, takes_part, unit_by_pk
from reports.models import PhaseReport
from reports.selectors.common import breadcrumb as breadcrumb_of
from reports.selectors.common import campaign_by_pk, campaign_with_plan, phase_infos
from reports.services.extensions import EXTENSIONS


def unit_url(campaign, phase, unit) -> str:
    return reverse("reports:unit", args=[campaign.pk, phase.pk, unit.pk])


class _Pages(review.PageMixin):
    extensions = EXTENSIONS

    def unit_url(self) -> str:
        return unit_url(self.campaign, self.phase, self.unit)

    def breadcrumb(self) -> list:
        return breadcrumb_of(self.request.user, self.campaign, self.unit)

    def context(self, **extra) -> dict:
        return super().context(phase=getattr(self, "phase", None), **extra)


class CampaignMixin(review.CampaignMixin):
    """A published campaign (``campaign_id``) the person sees; 404 otherwise. ``with_plan``:
    read with its themes, phases and milestones."""

    with_plan = False

    def asked_phase(self) -> int | None:
        """A phase id whose existence the campaign's query checks (see the dashboard)."""
        return None

    def find_campaign(self, campaign_id):
        if not self.with_plan:
            return campaign_by_pk(campaign_id, asked_phase=self.asked_phase())
        campaigns = published_campaigns(self.request.user)
        try:
            return campaign_with_plan(campaigns, campaign_id)
        except campaigns.model.DoesNotExist as exc:
            raise Http404 from exc

    def sees_campaign(self, campaign) -> bool:
        # Read with its plan from the published campaigns the person sees already.
        return self.with_plan or super().sees_campaign(campaign)


class UnitMixin(_Pages, CampaignMixin, review.UnitMixin):
    """A unit of the URL (``pk``) the person may see, in a published campaign (see
    :class:`emulation.review.views.UnitMixin`)."""

    find_unit = staticmethod(unit_by_pk)
    takes_part = staticmethod(takes_part)
    in_branch = staticmethod(in_branch)


class PhaseUnitMixin(UnitMixin):
    """A unit and one phase of the campaign (``phase_id``)."""

    def load(self, *, phase_id, **kwargs):
        super().load(**kwargs)
        if self.with_plan:  # the campaign's phases are read with it
            self.phase = next((p for p in self.campaign.phases.all() if p.pk == phase_id), None)
            if self.phase is None:
                raise Http404
        else:
            self.phase = get_object_or_404(Phase, pk=phase_id, campaign=self.campaign)

    def phases(self):
        return phase_infos(self.campaign)

    def context(self, **extra) -> dict:
        infos = extra.pop("infos", None) or self.phases()
        return super().context(
            infos=infos,
            info=next((i for i in infos if i.phase.pk == self.phase.pk), None),
            **extra,
        )


class ReportMixin(_Pages, review.ObjectMixin):
    """A report of the URL (``pk``) whose unit the person may see, in a published campaign;
    404 otherwise, whatever the id guessed."""

    object_name = "report"

    def visible(self):
        return PhaseReport.objects.filter(
            organization__in=Organization.objects.visible_to(self.request.user),
            campaign__status__in=PUBLISHED,
        ).select_related("campaign", "campaign__issuer", "phase", "organization")

    def load(self, **kwargs):
        super().load(**kwargs)
        self.phase = self.report.phase
