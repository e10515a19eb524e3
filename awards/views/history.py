"""The award catalogue and the history of the awards received."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from awards import selectors
from awards.forms import HistorySearchForm
from awards.models import AwardType, InitiativeLevel
from awards.services.initiatives import initiatives_import
from emulation.mixins import RulePermissionMixin
from emulation.params import int_param
from federation.forms import ImportForm
from federation.models import Organization


class HistoryView(LoginRequiredMixin, TemplateView):
    template_name = "awards/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = HistorySearchForm(self.request.GET or None)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        unit = None
        unit_pk = int_param(self.request.GET, "unit")
        if unit_pk is not None:
            unit = Organization.objects.visible_to(user).filter(pk=unit_pk).first()
        awards = selectors.award_history(user, query=query, unit=unit)
        page = Paginator(awards, 50).get_page(self.request.GET.get("page"))
        params = {k: v for k, v in (("q", query), ("unit", unit.pk if unit else "")) if v}
        context.update(
            form=form,
            page=page,
            awards=list(page),
            unit=unit,
            query_string=urlencode(params),
            earlier=list(selectors.earlier_awards(user, query=query, unit=unit)[:100]),
            initiatives=list(selectors.initiatives_of(user, query=query, unit=unit)[:100]),
            can_import=user.has_perm("awards.import_initiatives"),
        )
        return context


class CatalogueView(LoginRequiredMixin, TemplateView):
    template_name = "awards/catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["award_types"] = list(
            AwardType.objects.filter(is_active=True).select_related("granting_unit")
        )
        return context


class InitiativeImportView(RulePermissionMixin, FormView):
    """Import the initiatives register from a spreadsheet, all rows or none."""

    permission_required = "awards.import_initiatives"
    template_name = "awards/initiative_import.html"
    form_class = ImportForm
    extra_context = {"levels": InitiativeLevel.choices}

    def form_valid(self, form):
        report = initiatives_import(
            upload=form.cleaned_data["file"], by=self.request.user, today=timezone.localdate()
        )
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(self.request, _("Imported %(count)s rows.") % {"count": report.created})
        return redirect("awards:history")
