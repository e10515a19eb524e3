"""Pages of the phase reports. Views stay thin: they find what the person may see (a unit of
``Organization.objects.visible_to``, a published campaign the person sees), check the rule,
hand what was typed to a service and show its answer."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from campaigns.models import CampaignStatus, Phase
from campaigns.selectors import PUBLISHED, campaign_with_plan, load_plan, published_campaigns
from emulation import sql as esql
from emulation.audit import audit_history
from emulation.documents import pdf_response
from emulation.mixins import error_messages, next_url, posted_version
from federation.models import Organization
from registrations.content import content_of as registration_content_of
from registrations.forms import CommentForm, ExtensionForm
from registrations.selectors import (
    ancestors_list,
    campaign_and_unit,
    campaign_by_pk,
    in_branch,
    takes_part,
    unit_by_pk,
)
from registrations.tables import progress_html
from reports import dashboard_html, documents, exports, selectors, services, tables
from reports.content import CONTENT_PREFETCH, ReportContent, content_of, merged, skeleton
from reports.forms import (
    INBOX_MARK_CHOICES,
    KIND_CHOICES,
    SCOPE_CHOICES,
    FigureFilterForm,
    IndicatorForm,
    OpeningForm,
    QueueFilterForm,
    ReportForm,
    figure_filters,
)
from reports.models import NOT_REPORTED, Attachment, Indicator, PhaseReport


def _ancestors(user, campaign, unit) -> list:
    """The units above ``unit`` for the breadcrumb, each linking to its dashboard when the
    person may read it (read with the unit by :class:`UnitMixin`, or one query)."""
    ancestors = getattr(unit, "ancestors_read", None)  # read with the unit (UnitMixin.load)
    if ancestors is None:
        ancestors = ancestors_list(unit)
    for ancestor in ancestors:
        ancestor.link = in_branch(campaign, ancestor) and user.has_perm(
            "reports.view_subtree", ancestor
        )
    return ancestors


def unit_url(campaign, phase, unit) -> str:
    return reverse("reports:unit", args=[campaign.pk, phase.pk, unit.pk])


# ---------------------------------------------------------------------------------------------
# Base classes: what every page loads and checks before anything else.


class _Base(LoginRequiredMixin, View):
    permission_required = ""

    def load(self, **kwargs) -> None:
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define load() to read the objects of its URL."
        )

    def permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.today = timezone.localdate()
        self.load(**kwargs)
        if self.permission_required and not request.user.has_perm(
            self.permission_required, self.permission_object()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CampaignMixin(_Base):
    """A published campaign (``campaign_id``) the person sees; 404 otherwise."""

    with_plan = False

    def load(self, *, campaign_id, **kwargs):
        if self.with_plan:
            campaigns = published_campaigns(self.request.user)
            try:
                self.campaign = campaign_with_plan(campaigns, campaign_id)
            except campaigns.model.DoesNotExist as exc:
                raise Http404 from exc
        else:
            self.campaign = campaign_by_pk(campaign_id)
            self.check_campaign()

    def check_campaign(self) -> None:
        """The rule ``published_campaigns`` filters by, in Python on the campaign read by its
        key: the same campaigns, without building that filter (an OR per membership)."""
        user = self.request.user
        if (
            self.campaign is None
            or self.campaign.status not in PUBLISHED
            or not user.is_active
            or not user.has_perm("campaigns.view_campaign", self.campaign)
        ):
            raise Http404

    def permission_object(self):
        return self.campaign


class UnitMixin(CampaignMixin):
    """A unit of the URL (``pk``) the person may see, in a published campaign.
    ``scope = "participant"``: the unit must take part (strictly below the issuer);
    ``"branch"``: the issuer itself will do (queues, roll-ups, dashboards)."""

    scope = "participant"
    # A parameterless SELECT of one value read with the campaign and the unit (``self.scalar``).
    scalar_sql = ""

    def load(self, *, pk, **kwargs):
        if self.with_plan:
            super().load(**kwargs)
            self.unit = unit_by_pk(pk)
            self.scalar = esql.fetch(self.scalar_sql, [])[0][0] if self.scalar_sql else None
        else:  # the campaign and the unit in one statement
            self.campaign, self.unit, self.scalar = campaign_and_unit(
                kwargs["campaign_id"], pk, scalar=self.scalar_sql, ancestors=True
            )
            self.check_campaign()
        # The rule ``visible_to`` filters by (``federation.view_unit``) in Python on the unit
        # read by its key: the same units, without building that filter.
        user = self.request.user
        if (
            self.unit is None
            or not user.is_active
            or not user.has_perm("federation.view_unit", self.unit)
        ):
            raise Http404
        check = takes_part if self.scope == "participant" else in_branch
        if not check(self.campaign, self.unit):
            raise Http404

    def permission_object(self):
        return self.unit

    def context(self, **extra) -> dict:
        return {
            "campaign": self.campaign,
            "unit": self.unit,
            "ancestors": _ancestors(self.request.user, self.campaign, self.unit),
            "today": self.today,
            **extra,
        }


class PhaseUnitMixin(UnitMixin):
    """A unit and one phase of the campaign (``phase_id``)."""

    def load(self, *, phase_id, **kwargs):
        super().load(**kwargs)
        self.phase = get_object_or_404(Phase, pk=phase_id, campaign=self.campaign)

    def phases(self):
        return selectors.phase_infos(self.campaign)

    def context(self, **extra) -> dict:
        infos = extra.pop("infos", None) or self.phases()
        return super().context(
            phase=self.phase,
            infos=infos,
            info=next((i for i in infos if i.phase.pk == self.phase.pk), None),
            **extra,
        )


class ReportMixin(_Base):
    """A report of the URL (``pk``) whose unit the person may see, in a published campaign;
    404 otherwise, whatever the id guessed."""

    def load(self, *, pk, **kwargs):
        queryset = PhaseReport.objects.filter(
            organization__in=Organization.objects.visible_to(self.request.user),
            campaign__status__in=PUBLISHED,
        ).select_related("campaign", "campaign__issuer", "phase", "organization")
        self.report = get_object_or_404(queryset, pk=pk)
        self.campaign = self.report.campaign
        self.phase = self.report.phase
        self.unit = self.report.organization

    def permission_object(self):
        return self.unit

    def unit_url(self) -> str:
        return unit_url(self.campaign, self.phase, self.unit)


# ---------------------------------------------------------------------------------------------
# The start page.


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


# ---------------------------------------------------------------------------------------------
# One unit's report.


class UnitReportView(PhaseUnitMixin):
    """The report of a unit on a phase: its status, what it says, its files, what is missing,
    and the buttons of whoever may act on it."""

    permission_required = "reports.view_report"

    def get(self, request, *args, **kwargs):
        user = request.user
        infos = self.phases()
        info = next(i for i in infos if i.phase.pk == self.phase.pk)
        report = selectors.report_for(self.phase, self.unit)
        extension = selectors.extension_of(self.phase, self.unit)
        registration = (
            self.unit.registrations.filter(campaign=self.campaign).only("status", "id").first()
        )
        content = content_of(report) if report else ReportContent()
        if report is not None:
            report.campaign, report.phase, report.organization = (
                self.campaign,
                self.phase,
                self.unit,
            )
        status = report.status if report else NOT_REPORTED
        active = self.campaign.status == CampaignStatus.ACTIVE
        can_prepare = active and user.has_perm("reports.change_report", self.unit)
        can_review = active and user.has_perm("reports.review_report", self.unit)
        deadline = services.deadline_for(self.phase, self.unit)
        indicators = selectors.indicators_of(self.campaign)
        problems = []
        if (
            report is not None
            and report.is_editable
            and can_prepare
            and registration is not None
            and registration.is_approved
        ):
            full = services.approved_registration(self.campaign, self.unit)
            problems = services.submission_problems(
                report, content, indicators=indicators, registration=full, today=self.today
            )
        why_not = ""
        if can_prepare and (report is None or report.is_editable):
            if not info.is_open(self.today):
                why_not = _("Reporting on %(phase)s opens on %(day)s.") % {
                    "phase": self.phase.name,
                    "day": info.opens_on.strftime("%d/%m/%Y"),
                }
            elif registration is None or not registration.is_approved:
                why_not = _(
                    "The unit reports on the themes of its registration once the unit above has "
                    "approved it."
                )
        return render(
            request,
            "reports/unit.html",
            self.context(
                infos=infos,
                report=report,
                content=content,
                indicators=[(i, content.indicators.get(i.pk)) for i in indicators],
                status=status,
                status_label=selectors.status_label(status),
                registration=registration,
                extension=extension,
                deadline=deadline,
                overdue=bool(
                    active
                    and deadline
                    and self.today > deadline
                    and status not in ("submitted", "approved")
                ),
                can_edit=can_prepare and not why_not and (report is None or report.is_editable),
                can_submit=can_prepare
                and not why_not
                and report is not None
                and report.is_editable,
                why_not=why_not,
                problems=problems,
                can_review=can_review and report is not None and report.is_submitted,
                can_extend=can_review
                and self.phase.report_deadline is not None
                and status not in ("submitted", "approved"),
                can_receive=report is not None
                and report.is_submitted
                and report.received_at is None
                and active
                and user.has_perm("reports.receive_report", report),
                reviewer=self.unit.parent_unit(),
                can_subtree=user.has_perm("reports.view_subtree", self.unit)
                and not self.unit.is_grassroots,
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
        """Why the unit cannot report on this phase now (the page says it), or None."""
        try:
            services.check_open(self.phase, self.today)
            return services.approved_registration(self.campaign, self.unit), None
        except ValidationError as exc:
            return None, exc.messages

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
                deadline=services.deadline_for(self.phase, self.unit),
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
                "ancestors": _ancestors(request.user, self.campaign, self.unit),
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


# ---------------------------------------------------------------------------------------------
# Upper units: the queue, the roll-up, the summary and the dashboard.


class QueueView(PhaseUnitMixin):
    """The units directly below one unit with their report on a phase, counts, a progress
    bar, filters and search; accept or return."""

    permission_required = "reports.view_subtree"
    scope = "branch"

    def get(self, request, *args, **kwargs):
        form = QueueFilterForm(request.GET or None)
        filters = selectors.QueueFilters()
        if form.is_valid():
            data = form.cleaned_data
            filters = selectors.QueueFilters(
                status=data["status"], kind=data["kind"], overdue=data["overdue"], q=data["q"]
            )
        queue = selectors.review_queue(
            self.campaign,
            self.phase,
            self.unit,
            filters=filters,
            today=self.today,
            page_number=request.GET.get("page"),
        )
        active = self.campaign.status == CampaignStatus.ACTIVE
        for row in queue.rows:
            row.can_review = active and request.user.has_perm("reports.review_report", row)
        return render(
            request,
            "reports/queue.html",
            self.context(
                queue=queue,
                form=form,
                query=filters.query_string(),
                can_review_any=any(r.can_review for r in queue.rows),
                comment_form=CommentForm(),
            ),
        )


class _FiguresMixin(PhaseUnitMixin):
    permission_required = "reports.view_subtree"
    scope = "branch"
    with_plan = True

    def filters(self) -> dict:
        form = FigureFilterForm(self.request.GET or None, phases=self.campaign.phases.all())
        self.filter_form = form
        values = form.values()
        return {"kind": values["kind"], "scope": values["scope"]}

    def get_rollup(self):
        return selectors.rollup(
            self.campaign, self.phase, self.unit, today=self.today, **self.filters()
        )


class RollupView(_FiguresMixin):
    """Each indicator and each target of a phase over a subtree, level by level: the unit's
    own report and each child's branch, each child opening its own."""

    def get(self, request, *args, **kwargs):
        data = self.get_rollup()
        return render(
            request,
            "reports/rollup.html",
            self.context(
                rollup=data,
                form=self.filter_form,
                query=_query(request, "kind", "scope"),
                results_table=tables.results_table(
                    data,
                    campaign=self.campaign,
                    drill="rollup",
                    query=_query(request, "kind", "scope"),
                ),
            ),
        )


class SummaryPdfView(_FiguresMixin):
    """ "Báo cáo tổng hợp kết quả phong trào thi đua" of a phase over a subtree."""

    def get(self, request, *args, **kwargs):
        data = self.get_rollup()
        pdf = documents.summary_pdf(data, today=self.today)
        return pdf_response(
            pdf,
            documents.summary_filename(data),
            attachment=request.GET.get("download") == "1",
        )


def _query(request, *names) -> str:
    from urllib.parse import urlencode

    return urlencode({n: request.GET[n] for n in names if request.GET.get(n)})


class DashboardView(UnitMixin):
    """The state of the campaign over a subtree: registration and report progress per child,
    overdue units, the themes chosen, the indicators per phase, the next dates.

    Its figures are read from the counters per branch that the services keep (the rows of the
    unit and of its children): a fixed number of short queries whatever the size of the
    subtree. The rendered body is kept in the cache under a key that changes with anything
    recorded in the audit log (every report, registration, plan or tree change writes there),
    with the day, the filters, the language and the unit's place in the tree: a view after a
    change computes it again, a repeated view costs a few queries and no rendering; at most
    :attr:`CACHE_SECONDS` old."""

    permission_required = "reports.view_subtree"
    scope = "branch"
    template_name = "reports/dashboard.html"
    CACHE_SECONDS = 600
    scalar_sql = selectors.FIGURES_VERSION_SQL  # read with the campaign and the unit

    def get_dashboard(self):
        """The dashboard, computed: the campaign is read again with its plan first."""
        # The campaign read by load() (with its issuer), given its plan: its themes, phases and
        # milestones (three statements; reading the campaign again would cost a fourth).
        load_plan(self.campaign)
        filters = figure_filters(self.request.GET, self.campaign.phases.all())
        return selectors.dashboard(self.campaign, self.unit, today=self.today, **filters)

    def tables(self, board, query: str) -> dict:
        """The rows of the long tables, written in Python (``reports.tables``)."""
        phase = board.phase
        return {
            "progress": tables.progress_rows(
                board.rollup.rows, campaign=self.campaign, phase=phase, query=query
            ),
            "overdue": tables.overdue_rows(board.overdue, campaign=self.campaign, phase=phase),
            "themes": tables.theme_rows(board.themes),
            "indicators": tables.indicator_rows(board.indicator_rows),
            "registration_progress": progress_html(board.rollup.registration, legend=True),
            "report_progress": progress_html(board.rollup.report, legend=True),
            "phase_options": tables.phase_options(board.phases, phase),
            "kind_options": tables.options_html(KIND_CHOICES, board.kind),
            "scope_options": tables.options_html(SCOPE_CHOICES, board.scope),
            "events": tables.events_html(board.events),
        }

    def can_inbox(self) -> bool:
        return self.unit.pk == self.campaign.issuer_id and self.request.user.has_perm(
            "reports.view_inbox", self.campaign
        )

    def get(self, request, *args, **kwargs):
        can_inbox = self.can_inbox()
        key = selectors.dashboard_cache_key(
            self.campaign,
            self.unit,
            today=self.today,
            params=request.GET,
            extra=f"inbox={int(can_inbox)}",
            version=self.scalar or 0,
        )
        content = cache.get(key)
        if content is None:
            board = self.get_dashboard()
            if board is None:
                raise Http404
            query = _query(request, "phase", "kind", "scope")
            content = dashboard_html.body_html(
                board,
                campaign=self.campaign,
                unit=self.unit,
                query=query,
                parts=self.tables(board, query),
                results_table=tables.results_table(
                    board.rollup, campaign=self.campaign, drill="dashboard", query=query
                ),
                can_inbox=can_inbox,
            )
            cache.set(key, str(content), self.CACHE_SECONDS)
        return render(request, self.template_name, self.context(content=mark_safe(content)))


class DashboardXlsxView(DashboardView):
    """Every table of the dashboard as a sheet of one workbook (``?table=`` for one)."""

    def get(self, request, *args, **kwargs):
        board = self.get_dashboard()
        if board is None:
            raise Http404
        table = request.GET.get("table", "")
        body = exports.dashboard_xlsx(board, table=table if table in exports.TABLES else "")
        response = HttpResponse(body, content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, exports.dashboard_filename(board, table)
        )
        return response


# ---------------------------------------------------------------------------------------------
# The receiving department.


class InboxView(CampaignMixin):
    """The reports that reached the issuing unit: new ones to mark received, then accept or
    return; with counts per mark and a filter by phase."""

    permission_required = "reports.view_inbox"

    def get(self, request, *args, **kwargs):
        infos = selectors.phase_infos(self.campaign)
        phase_id = request.GET.get("phase", "")
        phase = next((i.phase for i in infos if str(i.phase.pk) == phase_id), None)
        box = selectors.inbox(
            self.campaign,
            request.user,
            phase=phase,
            mark=request.GET.get("mark", ""),
            page_number=request.GET.get("page"),
        )
        active = self.campaign.status == CampaignStatus.ACTIVE
        for report in box.rows:
            report.can_review = active and request.user.has_perm(
                "reports.review_report", report.organization
            )
        department = self.campaign.receiving_department
        return render(
            request,
            "reports/inbox.html",
            {
                "campaign": self.campaign,
                "department": department,
                "box": box,
                "infos": infos,
                "phase": phase,
                "marks": INBOX_MARK_CHOICES,
                "active": active,
                "query": _query(request, "phase", "mark"),
                "filter_query": _query(request, "phase"),
                "today": self.today,
            },
        )


# ---------------------------------------------------------------------------------------------
# Configuration: indicators and reporting dates.


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
                "indicators": selectors.indicators_of(self.campaign),
                "infos": selectors.phase_infos(self.campaign),
                "form": form or IndicatorForm(initial={"whole_numbers": True}),
                "editable": not self.campaign.is_closed,
                "used": set(
                    Indicator.objects.filter(campaign=self.campaign, values__isnull=False)
                    .values_list("pk", flat=True)
                    .distinct()
                ),
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
                indicator = services.indicator_add(
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
            added = services.indicators_add_defaults(campaign=self.campaign, by=request.user)
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
                services.indicator_update(
                    indicator=self.indicator, by=request.user, data=form.cleaned_data
                )
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
            services.indicator_delete(indicator=self.indicator, by=request.user)
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
        window = services.window_of(self.phase)
        return self.render_opening(
            OpeningForm(initial={"opens_on": window.opens_on if window else None})
        )

    def post(self, request, *args, **kwargs):
        form = OpeningForm(request.POST)
        if form.is_valid():
            try:
                services.reporting_opens_set(
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
                        "day": services.opening_of(self.phase).strftime("%d/%m/%Y"),
                    },
                )
                return redirect(self.config_url())
        return self.render_opening(form)
