"""The pages of one unit's report: the start page, the report, the officer's form, the review
buttons, the history, the files and the reviewer's deadline extension. Views stay thin: they
find what the person may see, check the rule, hand what was typed to a service and show its
answer; what the person may do now is read by ``selectors.report_page``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from campaigns.models import CampaignStatus
from campaigns.selectors import published_campaigns
from emulation.review import views as review
from registrations.content import content_of as registration_content_of
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


class ApproveView(ReportMixin, review.TransitionView):
    permission_required = "reports.review_report"
    service = services.report_approve
    done = gettext_lazy("The report of %(unit)s was accepted.")


class ReceiveView(ReportMixin, review.TransitionView):
    permission_required = "reports.view_report"
    service = services.report_receive
    done = gettext_lazy("The report of %(unit)s was marked received.")


class SubmitView(ReportMixin, review.TransitionView):
    permission_required = "reports.change_report"
    service = services.report_submit
    done = gettext_lazy("The report was sent for review.")


class ReturnView(ReportMixin, review.CommentView):
    """The reviewer's comment when returning a report (also reached from the inbox)."""

    permission_required = "reports.review_report"
    template_name = "reports/comment.html"
    service = services.report_return
    done = gettext_lazy("The report of %(unit)s was returned with your comment.")

    def title(self):
        title = _("Return the report")
        return f"{title} · {self.unit.name}"

    def heading(self):
        return _("Return the report of %(unit)s on %(phase)s") % {
            "unit": self.unit.name,
            "phase": self.phase.name,
        }

    def button(self):
        return _("Return with this comment")


class HistoryView(ReportMixin, review.HistoryView):
    """Every edit and transition of the report, and the deadline extension of its unit."""

    permission_required = "reports.view_report"
    template_name = "reports/history.html"


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


class ExtendView(PhaseUnitMixin, review.ExtendView):
    """The reviewer grants one unit a later report deadline on one phase."""

    permission_required = "reports.review_report"
    template_name = "reports/extend.html"
