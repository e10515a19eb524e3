"""Pages of the campaign plan. Views stay thin: they find the object the person may see, check
the rule, and hand what was typed to a service."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from campaigns import dates, selectors
from campaigns.documents import plan_filename, plan_pdf
from campaigns.forms import (
    CampaignCreateForm,
    CampaignEditForm,
    CopyForm,
    HolidayForm,
    MilestonesForm,
    PhaseForm,
    ThemeForm,
)
from campaigns.ics import build_calendar
from campaigns.models import CalendarToken, CampaignStatus, Holiday
from campaigns.services.campaign import (
    activation_problems,
    campaign_activate,
    campaign_close,
    campaign_copy,
    campaign_create,
    campaign_update,
)
from campaigns.services.days import (
    calendar_token_reset,
    holiday_create,
    holiday_delete,
    holiday_update,
    milestones_set,
)
from campaigns.services.plan import (
    phase_add,
    phase_delete,
    phase_update,
    theme_add,
    theme_delete,
    theme_move,
    theme_update,
)
from campaigns.work import context_for
from emulation.audit import audit_history
from emulation.documents import pdf_response
from emulation.links import links
from emulation.mixins import ObjectPermissionMixin, RulePermissionMixin, apply_service
from emulation.work import UNIT, work_items

# ---------------------------------------------------------------------------------------------
# Mixins.


class CampaignMixin(ObjectPermissionMixin):
    """The campaign of the URL, among those the person may see (404 otherwise)."""

    permission_required = "campaigns.view_campaign"
    prefetch_plan = False

    def get_visible_queryset(self):
        queryset = selectors.visible_campaigns(self.request.user).select_related(
            "receiving_department"
        )
        if self.prefetch_plan:
            queryset = queryset.prefetch_related(*selectors.PLAN)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["campaign"] = self.object
        context["can_configure"] = user.has_perm("campaigns.change_campaign", self.object)
        return context


class ConfigureMixin(CampaignMixin):
    """Configuration pages: staff of the issuer (403 for others); a closed campaign is history,
    so its pages send the person back with a word of explanation."""

    permission_required = "campaigns.change_campaign"
    allow_closed = False

    def get(self, request, *args, **kwargs):
        if self.object.is_closed and not self.allow_closed:
            return self._closed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.object.is_closed and not self.allow_closed:
            return self._closed()
        return super().post(request, *args, **kwargs)

    def _closed(self):
        messages.warning(
            self.request,
            _("This campaign is closed and can no longer be changed; copy it to plan a new year."),
        )
        return redirect(self.object.get_absolute_url())


class _ServicePostView(ConfigureMixin, View):
    """A button that calls one service and goes back to a page."""

    http_method_names = ["post"]
    success_message = ""

    def call(self):
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define call() (_ServicePostView is a base class)."
        )

    def next_url(self):
        return self.object.get_absolute_url()

    def post(self, request, *args, **kwargs):
        if self.object.is_closed and not self.allow_closed:
            return self._closed()
        try:
            self.call()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return redirect(self.next_url())


# ---------------------------------------------------------------------------------------------
# Campaigns.


class CampaignListView(LoginRequiredMixin, TemplateView):
    template_name = "campaigns/campaign_list.html"
    per_page = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaigns = selectors.with_counts(selectors.visible_campaigns(user)).order_by(
            "-year", "issuer__path", "-pk"
        )
        page = Paginator(campaigns, self.per_page).get_page(self.request.GET.get("page"))
        context.update(
            page=page,
            campaigns=list(page),
            can_add=user.has_perm("campaigns.add_campaign"),
            can_manage_holidays=user.has_perm("campaigns.manage_holidays"),
            today=timezone.localdate(),
        )
        return context


class CampaignCreateView(RulePermissionMixin, FormView):
    permission_required = "campaigns.add_campaign"
    template_name = "campaigns/campaign_form.html"
    form_class = CampaignCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        today = timezone.localdate()
        form_units = CampaignCreateForm(user=self.request.user).fields["issuer"].queryset
        issuer = form_units.first()
        department = issuer.departments.order_by("pk").first() if issuer else None
        return {
            "year": today.year,
            "issuer": issuer,
            "place": issuer.name.split(" tỉnh ")[-1] if issuer and " tỉnh " in issuer.name else "",
            "receiving_department": department,
            "min_themes": 2,
            "symbol": "KH-LĐLĐ",
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        issuer = data.pop("issuer")
        year = data.pop("year")
        campaign = apply_service(
            form,
            campaign_create,
            by=self.request.user,
            issuer=issuer,
            year=year,
            data=data,
        )
        if campaign is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("The campaign was created as a draft. Now add its themes and phases.")
        )
        return redirect("campaigns:themes", pk=campaign.pk)


class CampaignDetailView(CampaignMixin, DetailView):
    template_name = "campaigns/campaign_detail.html"
    prefetch_plan = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        user = self.request.user
        today = timezone.localdate()
        phases = selectors.phase_views(campaign)
        my_units = selectors.units_in_branch(user, campaign)
        # What the person's units have to do in this campaign, as the home page shows it (each
        # item in its real state); the deadlines of the plan for those who prepare nothing.
        unit_work = []
        if campaign.is_active:
            unit_work = work_items(
                UNIT, context_for(user, today, campaigns=[campaign], units=my_units)
            )
        context.update(
            today=today,
            themes=sorted(campaign.themes.all(), key=lambda t: t.number),
            phases=phases,
            unphased=[m for m in campaign.milestones.all() if m.phase_id is None],
            timeline=selectors.timeline(campaign, today, phases),
            unit_work=unit_work,
            several_units=len({item.unit_id for item in unit_work}) > 1,
            next_steps=[] if unit_work else selectors.next_steps(campaign, today, phases),
            current=selectors.current_phase(phases, today),
            my_units=my_units,
            # The issuing unit itself registers nothing: its staff read the units' deadlines.
            taking_part=[u for u in my_units if u.pk != campaign.issuer_id],
            deadlines=selectors.deadlines(campaign, phases),
            links=links("campaign", campaign=campaign, user=user, units=my_units),
        )
        if context["can_configure"] and campaign.is_draft:
            context["problems"] = activation_problems(campaign)
        return context


class CampaignEditView(ConfigureMixin, FormView):
    template_name = "campaigns/campaign_form.html"
    form_class = CampaignEditForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        saved = apply_service(
            form,
            campaign_update,
            campaign=self.object,
            by=self.request.user,
            data=form.cleaned_data,
            shown=form.shown,
        )
        if saved is None:
            form.after_refusal(self.object)
            return self.form_invalid(form)
        messages.success(self.request, _("The plan was saved."))
        return redirect(saved.get_absolute_url())


class CampaignActivateView(_ServicePostView):
    def call(self):
        campaign_activate(campaign=self.object, by=self.request.user)
        self.success_message = _("The campaign is active: every unit of the branch sees it now.")


class CampaignCloseView(_ServicePostView):
    def call(self):
        campaign_close(campaign=self.object, by=self.request.user)
        self.success_message = _("The campaign is closed.")


class CampaignCopyView(ConfigureMixin, FormView):
    template_name = "campaigns/campaign_copy.html"
    form_class = CopyForm
    allow_closed = True

    def get_initial(self):
        return {"year": self.object.year + 1}

    def form_valid(self, form):
        result = apply_service(
            form,
            campaign_copy,
            campaign=self.object,
            by=self.request.user,
            year=form.cleaned_data["year"],
        )
        if result is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The copy for %(year)s is a draft. Check the opening paragraphs and the higher "
                "document: they still cite the documents of %(old)s."
            )
            % {"year": result.campaign.year, "old": self.object.year},
        )
        for holiday in result.skipped:
            messages.warning(
                self.request,
                _("“%(name)s” has no date in %(year)s and was left out.")
                % {"name": holiday.name, "year": result.campaign.year},
            )
        if result.number_cleared:
            messages.warning(
                self.request,
                _("The document number is already used in %(year)s: give the copy a new one.")
                % {"year": result.campaign.year},
            )
        return redirect(result.campaign.get_absolute_url())


class CampaignHistoryView(CampaignMixin, DetailView):
    template_name = "campaigns/campaign_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = audit_history(self.object)[:200]
        return context


# ---------------------------------------------------------------------------------------------
# Themes.


class ThemesView(ConfigureMixin, FormView):
    """The themes in their order, with a form to add one."""

    template_name = "campaigns/themes.html"
    form_class = ThemeForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["themes"] = list(self.object.themes.all())
        return context

    def form_valid(self, form):
        theme = apply_service(
            form,
            theme_add,
            campaign=self.object,
            by=self.request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
        )
        if theme is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Theme %(number)s was added.") % {"number": theme.number})
        return redirect("campaigns:themes", pk=self.object.pk)


class _ThemeMixin:
    @property
    def theme(self):
        if not hasattr(self, "_theme"):
            self._theme = get_object_or_404(self.object.themes, pk=self.kwargs["theme_id"])
        return self._theme


class ThemeEditView(_ThemeMixin, ConfigureMixin, FormView):
    template_name = "campaigns/item_form.html"
    form_class = ThemeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.theme}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit theme %(number)s") % {"number": self.theme.number},
            "back_url": reverse("campaigns:themes", kwargs={"pk": self.object.pk}),
        }

    def form_valid(self, form):
        theme = apply_service(
            form,
            theme_update,
            theme=self.theme,
            by=self.request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            shown=form.shown,
        )
        if theme is None:
            form.after_refusal(self.theme)
            return self.form_invalid(form)
        messages.success(self.request, _("The theme was saved."))
        return redirect("campaigns:themes", pk=self.object.pk)


class ThemeDeleteView(_ThemeMixin, ConfigureMixin, TemplateView):
    template_name = "campaigns/confirm_delete.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Delete theme %(number)s?") % {"number": self.theme.number},
            "item": self.theme.title,
            "back_url": reverse("campaigns:themes", kwargs={"pk": self.object.pk}),
        }

    def post(self, request, *args, **kwargs):
        if self.object.is_closed:
            return self._closed()
        try:
            theme_delete(theme=self.theme, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The theme was deleted."))
        return redirect("campaigns:themes", pk=self.object.pk)


class ThemeMoveView(_ThemeMixin, _ServicePostView):
    def call(self):
        offset = -1 if self.request.POST.get("direction") == "up" else 1
        theme_move(theme=self.theme, by=self.request.user, offset=offset)

    def next_url(self):
        return reverse("campaigns:themes", kwargs={"pk": self.object.pk})


# ---------------------------------------------------------------------------------------------
# Phases.


class PhasesView(ConfigureMixin, FormView):
    template_name = "campaigns/phases.html"
    form_class = PhaseForm

    def get_initial(self):
        count = self.object.phases.count()
        return {"name": f"Đợt {count + 1}"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        context["phases"] = selectors.phase_views(campaign)
        return context

    def form_valid(self, form):
        phase = apply_service(
            form,
            phase_add,
            campaign=self.object,
            by=self.request.user,
            data=form.cleaned_data,
        )
        if phase is None:
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was added.") % {"name": phase.name})
        return redirect("campaigns:phases", pk=self.object.pk)


class _PhaseMixin:
    @property
    def phase(self):
        if not hasattr(self, "_phase"):
            self._phase = get_object_or_404(self.object.phases, pk=self.kwargs["phase_id"])
        return self._phase


class PhaseEditView(_PhaseMixin, ConfigureMixin, FormView):
    template_name = "campaigns/item_form.html"
    form_class = PhaseForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.phase}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit %(name)s") % {"name": self.phase.name},
            "back_url": reverse("campaigns:phases", kwargs={"pk": self.object.pk}),
        }

    def form_valid(self, form):
        phase = apply_service(
            form,
            phase_update,
            phase=self.phase,
            by=self.request.user,
            data=form.cleaned_data,
            shown=form.shown,
        )
        if phase is None:
            form.after_refusal(self.phase)
            return self.form_invalid(form)
        messages.success(self.request, _("The phase was saved."))
        return redirect("campaigns:phases", pk=self.object.pk)


class PhaseDeleteView(_PhaseMixin, ConfigureMixin, TemplateView):
    template_name = "campaigns/confirm_delete.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Delete %(name)s?") % {"name": self.phase.name},
            "item": self.phase.name,
            "back_url": reverse("campaigns:phases", kwargs={"pk": self.object.pk}),
        }

    def post(self, request, *args, **kwargs):
        if self.object.is_closed:
            return self._closed()
        try:
            phase_delete(phase=self.phase, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The phase was deleted."))
        return redirect("campaigns:phases", pk=self.object.pk)


# ---------------------------------------------------------------------------------------------
# Milestones.


class MilestonesView(ConfigureMixin, FormView):
    """Every catalogue day of the campaign year, with its anniversary and phase; the chosen
    ones are ticked."""

    template_name = "campaigns/milestones.html"
    form_class = MilestonesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposals = selectors.proposals(self.object)
        form = context["form"]
        if form.is_bound:
            ticked = {str(v) for v in form.data.getlist("holidays")}
            for proposal in proposals:
                proposal.chosen = str(proposal.holiday.pk) in ticked
        context["proposals"] = proposals
        return context

    def form_valid(self, form):
        result = apply_service(
            form,
            milestones_set,
            campaign=self.object,
            by=self.request.user,
            holidays=list(form.cleaned_data["holidays"]),
        )
        if result is None:
            return self.form_invalid(form)
        added, removed = result
        messages.success(
            self.request,
            _("Milestones saved: %(added)s added, %(removed)s removed.")
            % {"added": len(added), "removed": len(removed)},
        )
        return redirect(self.object.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# The plan as PDF, and the calendar.


class PlanPdfView(CampaignMixin, View):
    prefetch_plan = True

    def get(self, request, *args, **kwargs):
        pdf = plan_pdf(self.object)
        return pdf_response(
            pdf, plan_filename(self.object), attachment=request.GET.get("download") == "1"
        )


class CalendarView(CampaignMixin, View):
    """The campaign's calendar, for a one-off import (the session is the key)."""

    prefetch_plan = True

    def get(self, request, *args, **kwargs):
        body = build_calendar([self.object], name=self.object.document_number or self.object.title)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="campaign-{self.object.pk}.ics"'
        return response


class CalendarSubscribeView(LoginRequiredMixin, TemplateView):
    """The person's secret calendar address; a button creates or resets it."""

    template_name = "campaigns/calendar_subscribe.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = CalendarToken.objects.filter(user=self.request.user).first()
        if token:
            context["feed_url"] = self.request.build_absolute_uri(
                reverse("campaigns:calendar-feed", kwargs={"token": token.token})
            )
            context["webcal_url"] = "webcal://" + context["feed_url"].split("://", 1)[1]
        return context

    def post(self, request, *args, **kwargs):
        calendar_token_reset(user=request.user)
        messages.success(
            request, _("Your calendar address is ready. Any earlier address no longer works.")
        )
        return redirect("campaigns:calendar-subscribe")


class CalendarFeedView(View):
    """The calendar of every active campaign the token's owner takes part in; the secret in the
    address replaces the session, so phone calendars can fetch it."""

    def get(self, request, token):
        found = CalendarToken.objects.select_related("user").filter(token=token).first()
        if found is None or not found.user.is_active:
            raise Http404
        campaigns = (
            selectors.visible_campaigns(found.user)
            .filter(status=CampaignStatus.ACTIVE)
            .prefetch_related(*selectors.PLAN)
        )
        body = build_calendar(campaigns, name=_("Emulation campaigns"))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=3600"
        return response


# ---------------------------------------------------------------------------------------------
# The catalogue of commemorative days.


class HolidayListView(RulePermissionMixin, TemplateView):
    permission_required = "campaigns.manage_holidays"
    template_name = "campaigns/holiday_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = timezone.localdate().year
        holidays = list(Holiday.objects.visible_to(user).select_related("scope_unit"))
        for holiday in holidays:
            holiday.this_year = holiday.anniversary_in(year)
            holiday.round_this_year = dates.is_round(holiday.this_year)
            holiday.decade_this_year = dates.is_decade(holiday.this_year)
            holiday.can_change = user.has_perm("campaigns.change_holiday", holiday)
        context.update(holidays=holidays, year=year)
        return context


class HolidayCreateView(RulePermissionMixin, FormView):
    permission_required = "campaigns.manage_holidays"
    template_name = "campaigns/holiday_form.html"
    form_class = HolidayForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        holiday = apply_service(form, holiday_create, by=self.request.user, data=form.cleaned_data)
        if holiday is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The day was added to the catalogue."))
        return redirect("campaigns:holidays")


class _HolidayMixin(ObjectPermissionMixin):
    permission_required = "campaigns.change_holiday"

    def get_visible_queryset(self):
        return Holiday.objects.visible_to(self.request.user).select_related("scope_unit")


class HolidayEditView(_HolidayMixin, FormView):
    template_name = "campaigns/holiday_form.html"
    form_class = HolidayForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "holiday": self.object}

    def form_valid(self, form):
        holiday = apply_service(
            form,
            holiday_update,
            holiday=self.object,
            by=self.request.user,
            data=form.cleaned_data,
            shown=form.shown,
        )
        if holiday is None:
            form.after_refusal(self.object)
            return self.form_invalid(form)
        messages.success(self.request, _("The day was saved."))
        return redirect("campaigns:holidays")


class HolidayDeleteView(_HolidayMixin, TemplateView):
    template_name = "campaigns/confirm_delete.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Delete this commemorative day?"),
            "item": str(self.object),
            "back_url": reverse("campaigns:holidays"),
        }

    def post(self, request, *args, **kwargs):
        try:
            holiday_delete(holiday=self.object, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The day was deleted."))
        return redirect("campaigns:holidays")
