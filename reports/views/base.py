"""What every report page loads and checks before anything else: a published campaign the
person sees, the unit of the address the person may see, a phase of the campaign, or a report
whose unit the person may see; 404 otherwise, whatever the id guessed."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View

from campaigns.models import Phase
from campaigns.selectors import PUBLISHED, published_campaigns
from federation.models import Organization
from registrations.selectors import in_branch, takes_part
from reports import selectors
from reports.models import PhaseReport


def unit_url(campaign, phase, unit) -> str:
    return reverse("reports:unit", args=[campaign.pk, phase.pk, unit.pk])


class _Base(LoginRequiredMixin, View):
    permission_required = ""

    def load(self, **kwargs) -> None:
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define load() to read the objects of its URL."
        )

    def permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.today = timezone.localdate()
        self.load(**kwargs)
        if self.permission_required and not request.user.has_perm(
            self.permission_required, self.permission_object()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CampaignMixin(_Base):
    """A published campaign (``campaign_id``) the person sees; 404 otherwise. ``with_plan``:
    read with its themes, phases and milestones."""

    with_plan = False

    def asked_phase(self) -> int | None:
        """A phase id whose existence the campaign's query checks (see the dashboard)."""
        return None

    def load(self, *, campaign_id, **kwargs):
        if self.with_plan:
            campaigns = published_campaigns(self.request.user)
            try:
                self.campaign = selectors.campaign_with_plan(campaigns, campaign_id)
            except campaigns.model.DoesNotExist as exc:
                raise Http404 from exc
        else:
            self.campaign = selectors.campaign_by_pk(campaign_id, asked_phase=self.asked_phase())
            self.check_campaign()

    def check_campaign(self) -> None:
        """The rule ``published_campaigns`` filters by, in Python on the campaign read by its
        key: the same campaigns, without building that filter (an OR per membership)."""
        user = self.request.user
        if (
            self.campaign is None
            or self.campaign.status not in PUBLISHED
            or not user.is_active
            or not user.has_perm("campaigns.view_campaign", self.campaign)
        ):
            raise Http404

    def permission_object(self):
        return self.campaign


class UnitMixin(CampaignMixin):
    """A unit of the URL (``pk``) the person may see, in a published campaign.
    ``scope = "participant"``: the unit must take part (strictly below the issuer);
    ``"branch"``: the issuer itself will do (queues, roll-ups, dashboards)."""

    scope = "participant"

    def load(self, *, pk, **kwargs):
        super().load(**kwargs)
        self.unit = selectors.unit_by_pk(pk)
        # The rule ``visible_to`` filters by (``federation.view_unit``) in Python on the unit
        # read by its key: the same units, without building that filter.
        user = self.request.user
        if (
            self.unit is None
            or not user.is_active
            or not user.has_perm("federation.view_unit", self.unit)
        ):
            raise Http404
        check = takes_part if self.scope == "participant" else in_branch
        if not check(self.campaign, self.unit):
            raise Http404

    def permission_object(self):
        return self.unit

    def context(self, **extra) -> dict:
        return {
            "campaign": self.campaign,
            "unit": self.unit,
            "ancestors": selectors.breadcrumb(self.request.user, self.campaign, self.unit),
            "today": self.today,
            **extra,
        }


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
        return selectors.phase_infos(self.campaign)

    def context(self, **extra) -> dict:
        infos = extra.pop("infos", None) or self.phases()
        return super().context(
            phase=self.phase,
            infos=infos,
            info=next((i for i in infos if i.phase.pk == self.phase.pk), None),
            **extra,
        )


class ReportMixin(_Base):
    """A report of the URL (``pk``) whose unit the person may see, in a published campaign;
    404 otherwise, whatever the id guessed."""

    def load(self, *, pk, **kwargs):
        queryset = PhaseReport.objects.filter(
            organization__in=Organization.objects.visible_to(self.request.user),
            campaign__status__in=PUBLISHED,
        ).select_related("campaign", "campaign__issuer", "phase", "organization")
        self.report = get_object_or_404(queryset, pk=pk)
        self.campaign = self.report.campaign
        self.phase = self.report.phase
        self.unit = self.report.organization

    def permission_object(self):
        return self.unit

    def unit_url(self) -> str:
        return unit_url(self.campaign, self.phase, self.unit)
