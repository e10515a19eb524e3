"""The award catalogue and the history of the awards received."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from awards import selectors
from awards.forms import HistorySearchForm, InitiativeFileForm, InitiativeForm
from awards.models import AwardType, Initiative, InitiativeFile, InitiativeLevel
from awards.services.initiatives import (
    initiative_file_add,
    initiative_file_remove,
    initiative_record,
    initiatives_import,
)
from emulation import eligibility
from emulation.mixins import RulePermissionMixin, apply_service, error_messages
from emulation.params import int_param
from emulation.uploads import stored_file_response
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
            # The unit's published grades of every year, when the grading app provides them.
            grades=(eligibility.fact(eligibility.GRADE_HISTORY, organization=unit) or [])
            if unit
            else [],
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


class InitiativeAddView(RulePermissionMixin, FormView):
    """Record one initiative in the register."""

    permission_required = "awards.import_initiatives"
    template_name = "awards/initiative_form.html"
    form_class = InitiativeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        initiative = apply_service(
            form,
            initiative_record,
            by=self.request.user,
            today=timezone.localdate(),
            **{name: data.get(name) for name in ("nominee_unit", *InitiativeForm.Meta.fields)},
        )
        if initiative is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The initiative “%(title)s” was recorded.") % {"title": initiative.title},
        )
        return redirect(initiative)


class InitiativeMixin(LoginRequiredMixin):
    """An initiative, for those who see its unit (404 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.initiative = get_object_or_404(
                Initiative.objects.select_related("nominee_unit", "recorded_by").filter(
                    nominee_unit__in=Organization.objects.visible_to(request.user).values("pk")
                ),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def can_change(self) -> bool:
        return self.request.user.has_perm("awards.record_history", self.initiative.nominee_unit)


class InitiativeView(InitiativeMixin, TemplateView):
    """An initiative with its documents; its recorders add and remove documents here."""

    template_name = "awards/initiative_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            initiative=self.initiative,
            files=list(self.initiative.files.select_related("uploaded_by")),
            can_change=self.can_change(),
        )
        context.setdefault("file_form", InitiativeFileForm())
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_change():
            raise PermissionDenied
        form = InitiativeFileForm(request.POST, request.FILES)
        if form.is_valid():
            record = apply_service(
                form,
                initiative_file_add,
                initiative=self.initiative,
                by=request.user,
                document=form.cleaned_data["document"],
                upload=form.cleaned_data["file"],
            )
            if record is not None:
                messages.success(
                    request, _("“%(name)s” was added.") % {"name": record.original_name}
                )
                return redirect(self.initiative)
        return self.render_to_response(self.get_context_data(file_form=form))


class InitiativeFileView(InitiativeMixin, View):
    """A document of an initiative, only through this view."""

    def get(self, request, pk, file_id):
        record = get_object_or_404(InitiativeFile, pk=file_id, initiative=self.initiative)
        return stored_file_response(request, record)


class InitiativeFileRemoveView(InitiativeMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, file_id):
        try:
            initiative_file_remove(initiative=self.initiative, file_id=file_id, by=request.user)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The file was removed."))
        return redirect(self.initiative)
