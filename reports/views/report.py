"""The pages of one unit's report: the start page, the report, the officer's form, the review
buttons, the history, the files and the reviewer's deadline extension. Views stay thin: they
find what the person may see, check the rule, hand what was typed to a service and show its
answer; what the person may do now is read by ``selectors.report_page``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from campaigns.models import CampaignStatus
from campaigns.selectors import published_campaigns
from emulation.audit import audit_history
from emulation.mixins import error_messages, next_url, posted_version
from registrations.content import content_of as registration_content_of
from registrations.forms import CommentForm, ExtensionForm
from reports import selectors, services
from reports.content import CONTENT_PREFETCH, content_of, merged, skeleton
from reports.forms import ReportForm
from reports.models import Attachment, PhaseReport
from reports.views.base import PhaseUnitMixin, ReportMixin, unit_url


class IndexView(LoginRequiredMixin, View):
    """The campaigns the person takes part in: the reports of their units per phase, the
    dashboards they read, the inbox they keep and the indicators they configure."""

    def get(self, request):
        campaigns = list(
            published_campaigns(request.user)
            .select_related("issuer")
            .prefetch_related("phases")
            .order_by("-year", "-pk")[:12]
        )
        today = timezone.localdate()
        return render(
            request,
            "reports/index.html",
            {"cards": selectors.start_page(request.user, campaigns, today), "today": today},
        )


class UnitReportView(PhaseUnitMixin):
    """The report of a unit on a phase: its status, what it says, its files, what is missing,
    and the buttons of whoever may act on it."""

    permission_required = "reports.view_report"

    def get(self, request, *args, **kwargs):
        infos = self.phases()
        info = next(i for i in infos if i.phase.pk == self.phase.pk)
        page = selectors.report_page(
            self.campaign, self.phase, self.unit, info, user=request.user, today=self.today
        )
        return render(
            request,
            "reports/unit.html",
            self.context(
                infos=infos,
                report=page.report,
                content=page.content,
                indicators=page.indicators,
                status=page.status,
                status_label=page.status_label,
                registration=page.registration,
                extension=page.extension,
                deadline=page.deadline,
                overdue=page.overdue,
                can_edit=page.can_edit,
                can_submit=page.can_submit,
                why_not=page.why_not,
                problems=page.problems,
                can_review=page.can_review,
                can_extend=page.can_extend,
                can_receive=page.can_receive,
                reviewer=self.unit.parent_unit(),
                can_subtree=page.can_subtree,
            ),
        )


class ReportFormView(PhaseUnitMixin):
    """The officer's form: what was done under each registered theme, the achieved value of
    each target, the indicators, the assessment and the files; save a draft at any time, or
    save and submit."""

    permission_required = "reports.change_report"

    def load(self, **kwargs):
        super().load(**kwargs)
        if self.campaign.status != CampaignStatus.ACTIVE:
            raise Http404
        self.report = (
            PhaseReport.objects.filter(phase=self.phase, organization=self.unit)
            .prefetch_related(*CONTENT_PREFETCH, "attachments")
            .first()
        )

    def refusal(self):
        """(the approved registration, None), or (None, why the unit cannot report now)."""
        return selectors.form_refusal(self.campaign, self.phase, self.unit, self.today)

    def build(self, registration, data=None, files=None):
        base = skeleton(registration_content_of(registration))
        content = merged(base, content_of(self.report) if self.report else None)
        return ReportForm(
            content,
            selectors.indicators_of(self.campaign),
            data,
            files,
            attachments=self.report.attachments.all() if self.report else (),
            version=self.report.version if self.report else None,
            registration_version=registration.version,
        )

    def render_form(self, form, **extra):
        return render(
            self.request,
            "reports/form.html",
            self.context(
                form=form,
                report=self.report,
                deadline=services.EXTENSIONS.deadline_for(self.phase, self.unit),
                **extra,
            ),
        )

    def get(self, request, *args, **kwargs):
        if self.report is not None and not self.report.is_editable:
            messages.info(
                request,
                _("This report is “%(status)s”: it can no longer be edited.")
                % {"status": self.report.get_status_display()},
            )
            return redirect(unit_url(self.campaign, self.phase, self.unit))
        registration, refusal = self.refusal()
        if refusal:
            return self.render_form(None, refusal=refusal)
        return self.render_form(self.build(registration))

    def post(self, request, *args, **kwargs):
        registration, refusal = self.refusal()
        if refusal:
            return self.render_form(None, refusal=refusal)
        form = self.build(registration, request.POST, request.FILES)
        try:
            report = services.report_save_draft(
                campaign=self.campaign,
                phase=self.phase,
                organization=self.unit,
                by=request.user,
                data=form.service_data(),
                uploads=form.uploads,
                remove=form.remove,
                expected_version=form.version,
                registration_version=form.registration_version,
                today=self.today,
            )
        except ValidationError as exc:
            form.add_error(exc)
            return self.render_form(form)
        if request.POST.get("action") != "submit":
            messages.success(request, _("The draft was saved."))
            return redirect("reports:form", self.campaign.pk, self.phase.pk, self.unit.pk)
        try:
            services.report_submit(
                report, by=request.user, expected_version=report.version, today=self.today
            )
        except ValidationError as exc:
            # Saved, but not sent: say what is missing, on the form, to fix it there.
            self.report = (
                PhaseReport.objects.filter(pk=report.pk)
                .prefetch_related(*CONTENT_PREFETCH, "attachments")
                .first()
            )
            form = self.build(registration, request.POST)
            form.version = self.report.version
            return self.render_form(form, missing=exc.messages, saved=True)
        messages.success(
            request,
            _("The report was sent to %(unit)s for review.")
            % {"unit": (self.unit.parent_unit() or self.unit).display_name},
        )
        return redirect(unit_url(self.campaign, self.phase, self.unit))


class _TransitionView(ReportMixin):
    """A button that calls one service on a report and goes back."""

    http_method_names = ["post"]

    def call(self, request):
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define call() to run its service on the report."
        )

    def post(self, request, *args, **kwargs):
        try:
            message = self.call(request)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, message)
        return redirect(next_url(request, self.unit_url()))


class SubmitView(_TransitionView):
    permission_required = "reports.change_report"

    def call(self, request):
        services.report_submit(
            self.report, by=request.user, expected_version=posted_version(request)
        )
        return _("The report was sent for review.")


class ApproveView(_TransitionView):
    permission_required = "reports.review_report"

    def call(self, request):
        services.report_approve(
            self.report, by=request.user, expected_version=posted_version(request)
        )
        return _("The report of %(unit)s was accepted.") % {"unit": self.unit.display_name}


class ReceiveView(_TransitionView):
    permission_required = "reports.view_report"

    def call(self, request):
        services.report_receive(
            self.report, by=request.user, expected_version=posted_version(request)
        )
        return _("The report of %(unit)s was marked received.") % {"unit": self.unit.display_name}


class ReturnView(ReportMixin):
    """The reviewer's comment when returning a report (also reached from the inbox)."""

    permission_required = "reports.review_report"

    def render_page(self, form):
        return render(
            self.request,
            "reports/comment.html",
            {
                "report": self.report,
                "campaign": self.campaign,
                "phase": self.phase,
                "unit": self.unit,
                "form": form,
                "next": next_url(self.request, self.unit_url()),
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(CommentForm(initial={"version": self.report.version}))

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            services.report_return(
                self.report,
                by=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    form.add_error("comment" if key == "comment" else None, errors)
                return self.render_page(form)
            error_messages(request, exc)
            return redirect(self.unit_url())
        messages.success(
            request,
            _("The report of %(unit)s was returned with your comment.")
            % {"unit": self.unit.display_name},
        )
        return redirect(next_url(request, self.unit_url()))


class HistoryView(ReportMixin):
    """Every edit and transition of the report, and the deadline extension of its unit."""

    permission_required = "reports.view_report"

    def get(self, request, *args, **kwargs):
        entries = audit_history(self.report)
        extension = selectors.extension_of(self.phase, self.unit)
        if extension is not None:
            entries = (entries | audit_history(extension)).order_by("-created_at", "-id")
        return render(
            request,
            "reports/history.html",
            {
                "report": self.report,
                "campaign": self.campaign,
                "phase": self.phase,
                "unit": self.unit,
                "ancestors": selectors.breadcrumb(request.user, self.campaign, self.unit),
                "entries": entries.select_related("actor")[:200],
            },
        )


class AttachmentView(ReportMixin):
    """A file of a report, only through this view (never a public media URL)."""

    permission_required = "reports.view_report"

    def get(self, request, *args, file_id, **kwargs):
        record = get_object_or_404(Attachment, pk=file_id, report=self.report)
        try:
            with record.file.open("rb") as handle:
                data = handle.read()
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = HttpResponse(data, content_type=record.content_type)
        response["Content-Disposition"] = content_disposition_header(
            request.GET.get("download") == "1"
            or not record.content_type.startswith(("image/", "application/pdf")),
            record.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ExtendView(PhaseUnitMixin):
    """The reviewer grants one unit a later report deadline on one phase."""

    permission_required = "reports.review_report"

    def load(self, **kwargs):
        super().load(**kwargs)
        if self.campaign.status != CampaignStatus.ACTIVE:
            raise Http404

    def render_page(self, form):
        return render(
            self.request,
            "reports/extend.html",
            self.context(
                form=form,
                extension=selectors.extension_of(self.phase, self.unit),
                next=next_url(self.request, unit_url(self.campaign, self.phase, self.unit)),
            ),
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(ExtensionForm())

    def post(self, request, *args, **kwargs):
        form = ExtensionForm(request.POST)
        if form.is_valid():
            try:
                extension = services.report_deadline_extend(
                    phase=self.phase,
                    organization=self.unit,
                    by=request.user,
                    until=form.cleaned_data["until"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.error_dict.items():
                        form.add_error(key if key in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(unit)s may send its report until %(day)s.")
                    % {"unit": self.unit.display_name, "day": extension.until.strftime("%d/%m/%Y")},
                )
                return redirect(next_url(request, unit_url(self.campaign, self.phase, self.unit)))
        return self.render_page(form)
