"""The award catalogue and the history of the awards received."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils.http import urlencode
from django.views.generic import TemplateView

from awards import selectors
from awards.forms import HistorySearchForm
from awards.models import AwardType
from federation.models import Organization


class HistoryView(LoginRequiredMixin, TemplateView):
    template_name = "awards/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = HistorySearchForm(self.request.GET or None)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        unit = None
        unit_pk = self.request.GET.get("unit")
        if unit_pk and unit_pk.isdigit():
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
