"""The pages of one unit's report: the start page, the report, the officer's form, the review
buttons, the history, the files and the reviewer's deadline extension. Views stay thin: they
find what the person may see, check the rule, hand what was typed to a service and show its
answer; what the person may do now is read by ``selectors.report_page``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from campaigns.selectors import published_campaigns
from emulation.review import views as review
from emulation.uploads import stored_file_response
from registrations.content import content_of as registration_content_of
from reports.content import CONTENT_PREFETCH, content_of, merged, skeleton
from reports.forms import ReportForm
from reports.models import Attachment, PhaseReport
from reports.selectors.common import indicators_of
from reports.selectors.report import form_refusal, report_page
from reports.selectors.start import start_page
from reports.services.drafts import report_save_draft
from reports.services.transitions import (
    report_approve,
    report_receive,
    report_return,
    report_submit,
)
from reports.views.base import PhaseUnitMixin, ReportMixin


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
            {"cards": start_page(request.user, campaigns, today), "today": today},
        )


class UnitReportView(PhaseUnitMixin):
    """The report of a unit on a phase: its status, what it says, its files, what is missing,
    and the buttons of whoever may act on it."""

    permission_required = "reports.view_report"

    def get(self, request, *args, **kwargs):
        infos = self.phases()
        info = next(i for i in infos if i.phase.pk == self.phase.pk)
        page = report_page(
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


class ReportFormView(PhaseUnitMixin, review.DraftFormView):
    """The officer's form: what was done under each registered theme, the achieved value of
    each target, the indicators, the assessment and the files; save a draft at any time, or
    save and submit."""

    permission_required = "reports.change_report"
    object_name = "report"
    template_name = "reports/form.html"
    service = report_submit
    not_editable = gettext_lazy("This report is “%(status)s”: it can no longer be edited.")
    sent = gettext_lazy("The report was sent to %(unit)s for review.")

    def find_object(self):
        return (
            PhaseReport.objects.filter(phase=self.phase, organization=self.unit)
            .prefetch_related(*CONTENT_PREFETCH, "attachments")
            .first()
        )

    def refusal(self):
        """Why the unit cannot report now; when it can, its approved registration is read for
        the form."""
        self.registration, refusal = form_refusal(self.campaign, self.phase, self.unit, self.today)
        return refusal or []

    def build_form(self, data=None, files=None):
        base = skeleton(registration_content_of(self.registration))
        content = merged(base, content_of(self.report) if self.report else None)
        return ReportForm(
            content,
            indicators_of(self.campaign),
            data,
            files,
            attachments=self.report.attachments.all() if self.report else (),
            version=self.report.version if self.report else None,
            registration_version=self.registration.version,
        )

    def save_draft(self, form):
        return report_save_draft(
            campaign=self.campaign,
            phase=self.phase,
            organization=self.unit,
            by=self.request.user,
            data=form.service_data(),
            uploads=form.uploads,
            remove=form.remove,
            expected_version=form.version,
            registration_version=form.registration_version,
            today=self.today,
        )


class SubmitView(ReportMixin, review.TransitionView):
    permission_required = "reports.change_report"
    service = report_submit
    done = gettext_lazy("The report was sent for review.")


class HistoryView(ReportMixin, review.HistoryView):
    """Every edit and transition of the report, and the deadline extension of its unit."""

    permission_required = "reports.view_report"
    template_name = "reports/history.html"


class AttachmentView(ReportMixin):
    """A file of a report, only through this view (never a public media URL)."""

    permission_required = "reports.view_report"

    def get(self, request, *args, file_id, **kwargs):
        record = get_object_or_404(Attachment, pk=file_id, report=self.report)
        return stored_file_response(request, record)


# ---------------------------------------------------------------------------------------------
# The reviewer and the receiving department.


class ApproveView(ReportMixin, review.TransitionView):
    permission_required = "reports.review_report"
    service = report_approve
    done = gettext_lazy("The report of %(unit)s was accepted.")


class ReturnView(ReportMixin, review.CommentView):
    """The reviewer's comment when returning a report (also reached from the inbox)."""

    permission_required = "reports.review_report"
    template_name = "reports/comment.html"
    service = report_return
    done = gettext_lazy("The report of %(unit)s was returned with your comment.")

    def title(self):
        title = _("Return the report")
        return f"{title} · {self.unit.name}"

    def heading(self):
        return _("Return the report of %(unit)s on %(phase)s") % {
            "unit": self.unit.name,
            "phase": self.phase.name,
        }


class ReceiveView(ReportMixin, review.TransitionView):
    permission_required = "reports.view_report"
    service = report_receive
    done = gettext_lazy("The report of %(unit)s was marked received.")


class ExtendView(PhaseUnitMixin, review.ExtendView):
    """The reviewer grants one unit a later report deadline on one phase."""

    permission_required = "reports.review_report"
    template_name = "reports/extend.html"
    done = gettext_lazy("%(unit)s may send its report until %(day)s.")
