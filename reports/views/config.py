"""Configuration by the issuing unit's staff: the campaign's indicators and the day reporting on
each phase opens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Phase
from emulation.mixins import error_messages
from reports.forms import IndicatorForm, OpeningForm
from reports.models import Indicator
from reports.selectors.common import indicators_in_use, indicators_of, phase_infos
from reports.services.common import opening_of, window_of
from reports.services.config import (
    indicator_add,
    indicator_delete,
    indicator_update,
    indicators_add_defaults,
    reporting_opens_set,
)
from reports.views.base import CampaignMixin


class _ConfigMixin(CampaignMixin):
    permission_required = "reports.configure"

    def config_url(self) -> str:
        return reverse("reports:indicators", args=[self.campaign.pk])

    def render_page(self, form=None, **extra):
        return render(
            self.request,
            "reports/indicators.html",
            {
                "campaign": self.campaign,
                "indicators": indicators_of(self.campaign),
                "infos": phase_infos(self.campaign),
                "form": form or IndicatorForm(initial={"whole_numbers": True}),
                "editable": not self.campaign.is_closed,
                "used": indicators_in_use(self.campaign),
                **extra,
            },
        )


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class IndicatorsView(_ConfigMixin):
    """The campaign's indicators (add one, or the usual ones at once) and the day reporting
    on each phase opens."""

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                indicator = indicator_add(
                    campaign=self.campaign, by=request.user, data=form.cleaned_data
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request, _("The indicator “%(name)s” was added.") % {"name": indicator.name}
                )
                return redirect(self.config_url())
        return self.render_page(form)


class IndicatorDefaultsView(_ConfigMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            added = indicators_add_defaults(campaign=self.campaign, by=request.user)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            if added:
                messages.success(
                    request,
                    _("Added: %(names)s.") % {"names": "; ".join(i.name for i in added)},
                )
            else:
                messages.info(request, _("The campaign already has all the usual indicators."))
        return redirect(self.config_url())


class _IndicatorMixin(_ConfigMixin):
    def load(self, *, pk, **kwargs):
        super().load(**kwargs)
        self.indicator = get_object_or_404(Indicator, pk=pk, campaign=self.campaign)


class IndicatorEditView(_IndicatorMixin):
    def render_edit(self, form):
        return render(
            self.request,
            "reports/indicator_form.html",
            {"campaign": self.campaign, "indicator": self.indicator, "form": form},
        )

    def get(self, request, *args, **kwargs):
        indicator = self.indicator
        return self.render_edit(
            IndicatorForm(
                initial={
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "whole_numbers": indicator.whole_numbers,
                }
            )
        )

    def post(self, request, *args, **kwargs):
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                indicator_update(indicator=self.indicator, by=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The indicator was saved."))
                return redirect(self.config_url())
        return self.render_edit(form)


class IndicatorDeleteView(_IndicatorMixin):
    def get(self, request, *args, **kwargs):
        return render(
            request,
            "reports/indicator_delete.html",
            {
                "campaign": self.campaign,
                "indicator": self.indicator,
                "used": self.indicator.values.exists(),
            },
        )

    def post(self, request, *args, **kwargs):
        try:
            indicator_delete(indicator=self.indicator, by=request.user)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(
                request,
                _("The indicator “%(name)s” was deleted.") % {"name": self.indicator.name},
            )
        return redirect(self.config_url())


class OpeningView(_ConfigMixin):
    """The day reporting on one phase opens."""

    def load(self, *, phase_id, **kwargs):
        super().load(**kwargs)
        self.phase = get_object_or_404(Phase, pk=phase_id, campaign=self.campaign)

    def render_opening(self, form):
        return render(
            self.request,
            "reports/opening.html",
            {"campaign": self.campaign, "phase": self.phase, "form": form},
        )

    def get(self, request, *args, **kwargs):
        window = window_of(self.phase)
        return self.render_opening(
            OpeningForm(initial={"opens_on": window.opens_on if window else None})
        )

    def post(self, request, *args, **kwargs):
        form = OpeningForm(request.POST)
        if form.is_valid():
            try:
                reporting_opens_set(
                    phase=self.phase, by=request.user, opens_on=form.cleaned_data["opens_on"]
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Reporting on %(phase)s opens on %(day)s.")
                    % {
                        "phase": self.phase.name,
                        "day": opening_of(self.phase).strftime("%d/%m/%Y"),
                    },
                )
                return redirect(self.config_url())
        return self.render_opening(form)
