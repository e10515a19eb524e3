"""Pages of the grading of grassroots unions. Views stay thin: they find what the person may
see (a unit the rule ``federation.view_unit`` lets them see, a grading of a unit of
``Organization.objects.visible_to``), check the rule, hand what was posted to a service and
show its answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation.audit import audit_history
from emulation.documents import pdf_response
from emulation.mixins import error_messages, next_url
from emulation.params import to_int
from emulation.review import views as review
from emulation.spreadsheets import XLSX_TYPE
from emulation.uploads import stored_file_response
from federation.models import SUBTREE_ROLES, Membership, Organization, OrganizationKind
from grading import documents, exports, selectors
from grading.forms import CopyForm, ScoreForm, VerifyForm
from grading.models import Assessment, Evidence, ScoreSheet
from grading.services.assessments import assessment_save, assessment_submit
from grading.services.builder import gradings_on
from grading.services.common import full_sheet, sheet_for
from grading.services.publication import grades_publish
from grading.services.sheets import sheet_copy, sheet_problems
from grading.services.verification import (
    assessment_reopen,
    assessment_return,
    assessment_verify,
)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _bind(rows, form, names, prefixes) -> None:
    """Hand each criterion of ``rows`` its bound fields of ``form``: ``item.<name>`` is the
    field ``<prefix>_<criterion id>``."""
    for row in rows:
        for item in row.criteria:
            for name, prefix in zip(names, prefixes, strict=True):
                setattr(item, name, form[f"{prefix}_{item.criterion.pk}"])


def breadcrumb(user, unit, year: int) -> list:
    """The units above ``unit`` whose dashboard the person may open."""
    ancestors = list(unit.ancestors_chain()) if unit.depth > 1 else []
    return [a for a in ancestors if user.has_perm("grading.view_branch", a)]


class IndexView(review.ReviewView):
    """The person's gradings: the units they score, the branches they read, this year's
    sheets."""

    def load(self, **kwargs):
        self.year = _year(self.request, self.today)

    def get(self, request, *args, **kwargs):
        memberships = (
            Membership.objects.filter(user=request.user, organization__is_active=True)
            .select_related("organization")
            .order_by("organization__path")
        )
        own, branches = [], []
        for membership in memberships:
            unit = membership.organization
            if unit.kind == OrganizationKind.GRASSROOTS:
                own.append(unit)
            if membership.role in SUBTREE_ROLES and unit not in branches:
                branches.append(unit)
        gradings = {
            a.organization_id: a
            for a in Assessment.objects.filter(
                organization__in=own, sheet__year=self.year
            ).select_related("self_grade", "grade")
        }
        return render(
            request,
            "grading/index.html",
            {
                "year": self.year,
                "years": [self.year - 1, self.year, self.year + 1],
                "own": [(u, gradings.get(u.pk)) for u in own],
                "branches": branches,
                "sheets": ScoreSheet.objects.filter(year=self.year),
                "can_manage": request.user.has_perm("grading.manage_sheets"),
            },
        )


def _year(request, today) -> int:
    year = to_int(request.GET.get("year", ""))
    return year if year is not None and 2000 <= year <= 2100 else today.year


# --- Score sheets ----------------------------------------------------------------------------


class SheetView(review.ReviewView):
    """A score sheet as the units score on it (everyone signed in may read it)."""

    def load(self, *, sheet_id, **kwargs):
        found = ScoreSheet.objects.filter(pk=sheet_id).first()
        if found is None:
            raise Http404
        self.sheet = full_sheet(found.pk)

    def get(self, request, *args, **kwargs):
        return self.render_page(CopyForm(initial={"year": self.sheet.year + 1}))

    def render_page(self, form):
        rows, _self, _verified = selectors.sheet_rows(self.sheet, None)
        return render(
            self.request,
            "grading/sheet.html",
            {
                "sheet": self.sheet,
                "rows": rows,
                "problems": sheet_problems(self.sheet),
                "form": form,
                "can_manage": self.request.user.has_perm("grading.manage_sheets"),
                "in_use": gradings_on(self.sheet),
            },
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("grading.manage_sheets"):
            raise Http404
        form = CopyForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            copy = sheet_copy(sheet=self.sheet, year=form.cleaned_data["year"], by=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_page(form)
        messages.success(request, _("The sheet was copied to %(year)s.") % {"year": copy.year})
        return redirect(copy.get_absolute_url())


# --- A unit's grading ------------------------------------------------------------------------


class UnitMixin(review.ReviewView):
    """A grassroots union of the address (``pk``) the person may see, and the ``year``."""

    permission_required = "grading.view_assessment"

    def load(self, *, year, pk, **kwargs):
        self.year = year
        self.unit = Organization.objects.filter(pk=pk).first()
        if self.unit is None or not self.request.user.has_perm("federation.view_unit", self.unit):
            raise Http404
        if self.unit.kind != OrganizationKind.GRASSROOTS:
            raise Http404

    def permission_object(self):
        return self.unit


class UnitView(UnitMixin):
    """The unit's self-assessment: the form while it may still be changed (by its officers),
    its grading as it stands otherwise."""

    def setup_sheet(self):
        sheet = sheet_for(self.unit, self.year)
        self.sheet = full_sheet(sheet.pk) if sheet else None
        self.assessment = (
            selectors.read_assessment(None, sheet=self.sheet, organization=self.unit)
            if self.sheet
            else None
        )

    def can_edit(self) -> bool:
        return (
            self.sheet is not None
            and self.request.user.has_perm("grading.change_assessment", self.unit)
            and (self.assessment is None or self.assessment.is_editable)
        )

    def initial(self) -> dict:
        data = {"version": self.assessment.version if self.assessment else None}
        if self.assessment:
            for score in self.assessment.scores.all():
                data[f"points_{score.criterion_id}"] = score.self_points
                data[f"justification_{score.criterion_id}"] = score.justification
            data["declared"] = [str(k.pk) for k in self.assessment.declared_knockouts.all()]
        return data

    def render_page(self, form, **extra):
        rows, self_result, _verified = selectors.sheet_rows(self.sheet, self.assessment)
        if form is not None:
            _bind(
                rows,
                form,
                ("points", "justification", "upload"),
                ("points", "justification", "files"),
            )
        return render(
            self.request,
            "grading/unit.html",
            {
                "unit": self.unit,
                "year": self.year,
                "sheet": self.sheet,
                "assessment": self.assessment,
                "rows": rows,
                "result": self_result,
                "form": form,
                "ancestors": breadcrumb(self.request.user, self.unit, self.year),
                "problems": sheet_problems(self.sheet) if self.sheet else [],
                "past": selectors.past_grades(self.unit, before=self.year),
                **extra,
            },
        )

    def get(self, request, *args, **kwargs):
        self.setup_sheet()
        if self.sheet is None:
            return render(
                request,
                "grading/unit.html",
                {"unit": self.unit, "year": self.year, "sheet": None},
            )
        if not self.can_edit():
            if self.assessment is not None:
                return redirect(self.assessment.get_absolute_url())
            return self.render_page(None)
        return self.render_page(ScoreForm(initial=self.initial(), sheet=self.sheet))

    def post(self, request, *args, **kwargs):
        self.setup_sheet()
        if not self.can_edit():
            if self.sheet is None or not request.user.has_perm(
                "grading.change_assessment", self.unit
            ):
                raise Http404
            messages.info(request, _("This grading can no longer be changed."))
            return redirect(request.path)
        form = ScoreForm(request.POST, request.FILES, sheet=self.sheet)
        if not form.is_valid():
            return self.render_page(form)
        try:
            saved = assessment_save(
                organization=self.unit,
                year=self.year,
                by=request.user,
                entries=form.entries(),
                declared=form.declared(),
                today=self.today,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_page(form)
        if request.POST.get("action") != "submit":
            messages.success(request, _("The draft was saved."))
            return redirect(request.path)
        try:
            assessment_submit(saved, by=request.user, today=self.today)
        except ValidationError as exc:
            self.setup_sheet()
            form = ScoreForm(request.POST, sheet=self.sheet)
            form.is_valid()
            _add_errors(form, exc)
            return self.render_page(form, saved=True)
        above = self.unit.parent_unit()
        messages.success(
            request,
            _("The self-assessment was submitted to %(unit)s.")
            % {"unit": above.display_name if above else "—"},
        )
        return redirect(saved.get_absolute_url())


class AssessmentMixin(review.ObjectMixin):
    """A grading of the address (``pk``) whose unit the person may see; 404 otherwise."""

    object_name = "assessment"
    permission_required = "grading.view_assessment"

    def load(self, *, pk, **kwargs):
        visible = Assessment.objects.filter(
            organization__in=Organization.objects.visible_to(self.request.user)
        )
        if not visible.filter(pk=pk).exists():
            raise Http404
        self.object = self.assessment = selectors.read_assessment(pk)
        self.unit = self.assessment.organization
        self.campaign = None

    def unit_url(self) -> str:
        return self.assessment.get_absolute_url()

    def breadcrumb(self) -> list:
        return breadcrumb(self.request.user, self.unit, self.assessment.sheet.year)


class _AssessmentPage(AssessmentMixin):
    """The grading's page, with the reviewer's form (``form``: as posted, with its errors)."""

    def render_page(self, form=None):
        sheet = full_sheet(self.assessment.sheet_id)
        rows, self_result, verified_result = selectors.sheet_rows(sheet, self.assessment)
        user = self.request.user
        can_review = user.has_perm("grading.review_assessment", self.unit)
        if form is None and can_review and self.assessment.is_submitted:
            initial = {"version": self.assessment.version}
            for score in self.assessment.scores.all():
                initial[f"points_{score.criterion_id}"] = score.verified_points
                initial[f"comment_{score.criterion_id}"] = score.verifier_comment
            form = VerifyForm(initial=initial, sheet=sheet)
        if form is not None:
            _bind(rows, form, ("verify_points", "verify_comment"), ("points", "comment"))
        return render(
            self.request,
            "grading/assessment.html",
            {
                "assessment": self.assessment,
                "unit": self.unit,
                "year": sheet.year,
                "sheet": sheet,
                "rows": rows,
                "result": self_result,
                "verified": verified_result,
                "form": form,
                "can_review": can_review,
                "can_edit": user.has_perm("grading.change_assessment", self.unit)
                and self.assessment.is_editable,
                "ancestors": self.breadcrumb(),
                "past": selectors.past_grades(self.unit, before=sheet.year),
                "tab": "grading",
            },
        )


class AssessmentView(_AssessmentPage):
    """A unit's grading: each criterion's self-score, justification and evidence, the verified
    score and comment; the reviewer's form while it awaits review."""

    def get(self, request, *args, **kwargs):
        return self.render_page()


class VerifyView(_AssessmentPage):
    """The reviewer saves the verified scores, and approves with ``action=approve``."""

    permission_required = "grading.review_assessment"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        sheet = full_sheet(self.assessment.sheet_id)
        form = VerifyForm(request.POST, sheet=sheet)
        if not form.is_valid():
            return self.render_page(form)
        approve = request.POST.get("action") == "approve"
        try:
            done = assessment_verify(
                self.assessment,
                by=request.user,
                verified=form.verified(),
                approve=approve,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                error_messages(request, exc)
                return redirect(self.unit_url())
            _add_errors(form, exc)
            return self.render_page(form)
        if approve:
            messages.success(
                request,
                _("The grading of %(unit)s was approved: %(grade)s.")
                % {"unit": self.unit.display_name, "grade": done.grade.name if done.grade else ""},
            )
        else:
            messages.success(request, _("The verified scores were saved."))
        return redirect(self.unit_url())


class ReturnView(AssessmentMixin, review.CommentView):
    permission_required = "grading.review_assessment"
    template_name = "grading/comment.html"
    service = assessment_return
    done = gettext_lazy("The grading of %(unit)s was returned with your comment.")

    def heading(self):
        return _("Return the grading of %(unit)s") % {"unit": self.unit.name}


class ReopenView(AssessmentMixin, review.CommentView):
    permission_required = "grading.review_assessment"
    template_name = "grading/comment.html"
    action = "reopen"

    def heading(self):
        return _("Reopen the approved grading of %(unit)s") % {"unit": self.unit.name}

    def call(self, comment, version):
        assessment_reopen(
            self.assessment, by=self.request.user, reason=comment, expected_version=version
        )
        return _("It was reopened: the unit may change its self-assessment and submit it again.")


class HistoryView(AssessmentMixin):
    def get(self, request, *args, **kwargs):
        return render(
            request,
            "grading/history.html",
            {
                "assessment": self.assessment,
                "unit": self.unit,
                "year": self.assessment.sheet.year,
                "ancestors": self.breadcrumb(),
                "entries": audit_history(self.assessment)[:200],
                "tab": "history",
            },
        )


class EvidenceView(AssessmentMixin):
    """An evidence file, only through this view (never a public media URL)."""

    def get(self, request, *args, file_id, **kwargs):
        record = get_object_or_404(Evidence, pk=file_id, assessment=self.assessment)
        return stored_file_response(request, record)


class PdfView(AssessmentMixin):
    """The unit's score sheet (bảng chấm điểm) as an official PDF."""

    def get(self, request, *args, **kwargs):
        pdf = documents.assessment_pdf(self.assessment)
        name = f"bang-cham-diem-{self.unit.code}-{self.assessment.sheet.year}.pdf"
        return pdf_response(pdf, name)


# --- The upper unit --------------------------------------------------------------------------


class BranchMixin(review.ReviewView):
    """An upper unit of the address (``pk``) whose branch the person reads, and the year."""

    permission_required = "grading.view_branch"

    def load(self, *, year, pk, **kwargs):
        self.year = year
        self.unit = Organization.objects.filter(pk=pk).first()
        if self.unit is None or not self.request.user.has_perm("federation.view_unit", self.unit):
            raise Http404

    def permission_object(self):
        return self.unit

    def url(self) -> str:
        return reverse("grading:branch", args=[self.year, self.unit.pk])


class BranchView(BranchMixin):
    """The dashboard of a branch: the distribution of the published grades per unit directly
    below (drill-down to each), the units not graded yet, the gradings of the grassroots unions
    directly below to verify, and the publication with the cap checked."""

    def get(self, request, *args, **kwargs):
        page = selectors.branch_page(self.unit, self.year, request.GET.get("page"))
        return render(
            request,
            "grading/branch.html",
            {
                "unit": self.unit,
                "year": self.year,
                "page": page,
                "ancestors": breadcrumb(request.user, self.unit, self.year),
                "can_publish": request.user.has_perm("grading.publish", self.unit),
            },
        )


class BranchXlsxView(BranchMixin):
    def get(self, request, *args, **kwargs):
        page = selectors.branch_page(self.unit, self.year, per_page=None)
        response = HttpResponse(exports.branch_xlsx(self.unit, page), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"xep-loai-{self.unit.code}-{self.year}.xlsx"
        )
        return response


class BranchPdfView(BranchMixin):
    """The branch's grading summary as an official PDF (báo cáo kết quả xếp loại)."""

    def get(self, request, *args, **kwargs):
        pdf = documents.branch_pdf(self.unit, self.year, today=self.today)
        return pdf_response(pdf, f"xep-loai-{self.unit.code}-{self.year}.pdf")


class PublishView(BranchMixin):
    permission_required = "grading.publish"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            count = grades_publish(
                upper=self.unit, year=self.year, by=request.user, today=self.today
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("%(count)s grades were published.") % {"count": count})
        return redirect(next_url(request, self.url()))
