"""The score-sheet builder's pages (for whoever ``grading.manage_sheets`` lets in): a sheet's
heading, each of its parts on a page of its own form, removal, and the sheet as XLSX out and
in. The sheet's page (``grading:sheet``) shows the parts with their links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation.mixins import apply_service, error_messages
from emulation.review import views as review
from emulation.spreadsheets import XLSX_TYPE
from grading import sheet_io
from grading.forms import (
    CriterionForm,
    GradeForm,
    GroupForm,
    KnockOutForm,
    SheetForm,
    SheetImportForm,
)
from grading.models import Criterion, CriterionGroup, Grade, KnockOut, ScoreSheet
from grading.services.builder import gradings_on, sheet_item_delete, sheet_item_save, sheet_save

# part of the address: (model, form, heading of a new one, heading of a change)
PARTS = {
    "group": (
        CriterionGroup,
        GroupForm,
        gettext_lazy("New group of criteria or of bonus/penalty items"),
        gettext_lazy("Change the group"),
    ),
    "criterion": (
        Criterion,
        CriterionForm,
        gettext_lazy("New criterion"),
        gettext_lazy("Change the criterion"),
    ),
    "grade": (Grade, GradeForm, gettext_lazy("New grade"), gettext_lazy("Change the grade")),
    "knockout": (
        KnockOut,
        KnockOutForm,
        gettext_lazy("New knock-out condition"),
        gettext_lazy("Change the knock-out condition"),
    ),
}


class _Manager(review.ReviewView):
    permission_required = "grading.manage_sheets"

    def load(self, *, sheet_id=None, **kwargs):
        self.sheet = None
        if sheet_id is not None:
            self.sheet = ScoreSheet.objects.filter(pk=sheet_id).first()
            if self.sheet is None:
                raise Http404


class SheetEditView(_Manager):
    """A new sheet (no ``sheet_id``) or the heading of one: year, type, title, total, grading
    period and cap."""

    def form(self, data=None):
        return SheetForm(data, instance=self.sheet or ScoreSheet(total=100))

    def render_form(self, form):
        return render(
            self.request,
            "grading/sheet_form.html",
            {
                "form": form,
                "sheet": self.sheet,
                "heading": _("Change the score sheet") if self.sheet else _("New score sheet"),
                "in_use": gradings_on(self.sheet) if self.sheet else 0,
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        sheet = apply_service(form, sheet_save, sheet=form.save(commit=False), by=request.user)
        if sheet is None:
            return self.render_form(form)
        messages.success(request, _("The score sheet was saved."))
        return redirect(sheet.get_absolute_url())


class SheetItemView(_Manager):
    """A part of the sheet: new (no ``item_id``) or changed."""

    def load(self, *, sheet_id, part, item_id=None, **kwargs):
        super().load(sheet_id=sheet_id)
        if part not in PARTS:
            raise Http404
        self.part = part
        self.model, self.form_class, self.new_heading, self.change_heading = PARTS[part]
        self.item = None
        if item_id is not None:
            self.item = _item(self.sheet, self.model, item_id)

    def form(self, data=None):
        initial = {}
        if self.item is None and self.part == "criterion":
            initial["group"] = self.request.GET.get("group")
        return self.form_class(
            data,
            instance=self.item or self.model(),
            initial=initial,
            sheet=self.sheet,
        )

    def render_form(self, form):
        return render(
            self.request,
            "grading/sheet_form.html",
            {
                "form": form,
                "sheet": self.sheet,
                "heading": self.change_heading if self.item else self.new_heading,
                "item": self.item,
                "part": self.part,
                "in_use": gradings_on(self.sheet),
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        item = apply_service(
            form, sheet_item_save, sheet=self.sheet, item=form.save(commit=False), by=request.user
        )
        if item is None:
            return self.render_form(form)
        messages.success(request, _("“%(item)s” was saved.") % {"item": item})
        return redirect(f"{self.sheet.get_absolute_url()}#{self.part}-{item.pk}")


class SheetItemDeleteView(SheetItemView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            sheet_item_delete(sheet=self.sheet, item=self.item, by=request.user)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("“%(item)s” was removed.") % {"item": self.item})
        return redirect(self.sheet.get_absolute_url())


def _item(sheet, model, item_id):
    if model is Criterion:
        found = Criterion.objects.filter(pk=item_id, group__sheet=sheet).first()
    else:
        found = model.objects.filter(pk=item_id, sheet=sheet).first()
    if found is None:
        raise Http404
    return found


class SheetXlsxView(review.ReviewView):
    """The sheet as XLSX, in the layout the import reads (everyone signed in may read a sheet,
    as its page)."""

    def load(self, *, sheet_id, **kwargs):
        self.sheet = ScoreSheet.objects.filter(pk=sheet_id).first()
        if self.sheet is None:
            raise Http404

    def get(self, request, *args, **kwargs):
        response = HttpResponse(sheet_io.sheet_xlsx(self.sheet), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"bang-cham-diem-{self.sheet.year}-{self.sheet.unit_type}.xlsx"
        )
        return response


class SheetImportView(_Manager):
    """A sheet for a year and type from an XLSX file: every row, or nothing with every problem
    listed by its row number."""

    def render_form(self, form, report=None):
        return render(
            self.request,
            "grading/sheet_import.html",
            {"form": form, "report": report, "columns": sheet_io.COLUMN_HELP},
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(SheetImportForm())

    def post(self, request, *args, **kwargs):
        form = SheetImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form)
        report = sheet_io.sheet_import(
            upload=form.cleaned_data["file"],
            year=form.cleaned_data["year"],
            unit_type=form.cleaned_data["unit_type"],
            by=request.user,
        )
        if not report.ok:
            return self.render_form(form, report)
        messages.success(request, _("The score sheet was imported."))
        return redirect(reverse("grading:sheet", args=[report.sheet.pk]))
