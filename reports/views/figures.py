"""Upper units' pages: the reviewer's queue, the roll-up, the summary PDF, the dashboard and its
spreadsheet, and the receiving department's inbox."""

from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from emulation.documents import pdf_response
from emulation.jobs import BackgroundDocumentMixin
from emulation.review import views as review
from federation.selectors import branch_is_large
from registrations.selectors.summary import BranchPaging
from reports import documents, exports
from reports.forms import (
    INBOX_MARK_CHOICES,
    KIND_CHOICES,
    SCOPE_CHOICES,
    FigureFilterForm,
    QueueFilterForm,
)
from reports.selectors.common import load_plan, phase_infos
from reports.selectors.dashboard import Filters, cache_key, can_open_inbox, dashboard
from reports.selectors.dashboard import asked_phase as asked_phase_of
from reports.selectors.inbox import inbox
from reports.selectors.progress import rollup
from reports.selectors.queue import review_queue
from reports.views.base import CampaignMixin, PhaseUnitMixin, UnitMixin


class QueueView(PhaseUnitMixin, review.QueueView):
    """The units directly below one unit with their report on a phase, counts, a progress
    bar, filters and search; accept or return."""

    permission_required = "reports.view_subtree"
    template_name = "reports/queue.html"
    form_class = QueueFilterForm

    def read_queue(self, filters, page_number):
        return review_queue(
            self.campaign,
            self.phase,
            self.unit,
            filters=filters,
            today=self.today,
            user=self.request.user,
            page_number=page_number,
        )


class _FiguresMixin(PhaseUnitMixin):
    permission_required = "reports.view_subtree"
    scope = "branch"
    with_plan = True

    def filters(self) -> Filters:
        """The kind of unit and the reports counted, as the filter form validates them."""
        self.filter_form = FigureFilterForm(
            self.request.GET or None, phase_ids=[p.pk for p in self.campaign.phases.all()]
        )
        values = self.filter_form.values()
        return Filters(kind=values["kind"], scope=values["scope"])

    def get_rollup(self, filters: Filters, paging=None):
        return rollup(
            self.campaign,
            self.phase,
            self.unit,
            kind=filters.kind,
            scope=filters.scope,
            today=self.today,
            paging=paging,
        )


class RollupView(_FiguresMixin):
    """Each indicator and each target of a phase over a subtree, level by level: the unit's
    own report and each child's branch (a page of them, searched by name), each child
    opening its own."""

    links_place = "summary"

    def get(self, request, *args, **kwargs):
        filters = self.filters()
        paging = BranchPaging.from_params(request.GET)
        data = self.get_rollup(filters, paging)
        return render(
            request,
            "reports/rollup.html",
            self.context(
                rollup=data,
                form=self.filter_form,
                query=filters.query,
                page_query=paging.query(**dict(filters.items())),
                hidden_filters=filters.items(),
            ),
        )


class SummaryPdfView(BackgroundDocumentMixin, _FiguresMixin):
    """ "Báo cáo tổng hợp kết quả phong trào thi đua" of a phase over a subtree (made by a
    background job for a large branch)."""

    document_title = gettext_lazy("Summary report of the phase (PDF)")

    def document_is_large(self) -> bool:
        return branch_is_large(self.unit)

    def render_document(self, request, *args, **kwargs):
        data = self.get_rollup(self.filters())
        pdf = documents.summary_pdf(data, today=self.today)
        return pdf_response(
            pdf,
            documents.summary_filename(data),
            attachment=request.GET.get("download") == "1",
        )


class DashboardView(UnitMixin):
    """The state of the campaign over a subtree: registration and report progress per child,
    overdue units, the themes chosen, the indicators per phase, the next dates.

    Its figures are read from the counters per branch that the services keep (the rows of the
    unit and of its children): a fixed number of queries whatever the size of the subtree. The
    rendered body is kept in Django's cache (shared by every process) under a key holding the
    campaign's ``figures_version``, read with the campaign before any figure: every service
    that changes what the dashboard shows counts it up in its transaction, so the next view
    after a change computes the body again and a repeated view renders no figure at all (at
    most :attr:`CACHE_SECONDS` old)."""

    permission_required = "reports.view_subtree"
    scope = "branch"
    template_name = "reports/dashboard.html"
    CACHE_SECONDS = 600

    def asked_phase(self) -> int | None:
        return asked_phase_of(self.request.GET)

    def filters(self) -> Filters:
        """The filters as the filter form validates them: the phase asked for is one of the
        campaign's when the campaign's query says so (no query for the phases here)."""
        asked = self.asked_phase()
        exists = asked is not None and getattr(self.campaign, "asked_phase_exists", False)
        form = FigureFilterForm(self.request.GET or None, phase_ids=[asked] if exists else [])
        return Filters(**form.values())

    def get_dashboard(self, filters: Filters, paging=None):
        """The dashboard, computed: the campaign read by load() (with its issuer) is given its
        plan first (three queries). ``paging``: a page of the branches, else all of them."""
        load_plan(self.campaign)
        return dashboard(
            self.campaign,
            self.unit,
            phase_id=filters.phase_id,
            kind=filters.kind,
            scope=filters.scope,
            today=self.today,
            paging=paging,
        )

    def get(self, request, *args, **kwargs):
        filters = self.filters()
        paging = BranchPaging.from_params(request.GET)
        can_inbox = can_open_inbox(request.user, self.campaign, self.unit)

        def key(page: int) -> str:
            return cache_key(
                self.campaign, self.unit, filters, today=self.today, inbox=can_inbox, page=page
            )

        # A search is not kept: only the pages of the branches, under their own number.
        body = None if paging.q else cache.get(key(paging.number))
        if body is None:
            board = self.get_dashboard(filters, paging)
            if board is None:
                raise Http404
            body = render_to_string(
                "reports/_dashboard.html",
                {
                    "board": board,
                    "campaign": self.campaign,
                    "unit": self.unit,
                    "can_inbox": can_inbox,
                    "kind_choices": KIND_CHOICES,
                    "scope_choices": SCOPE_CHOICES,
                    "chart_themes": board.chart_themes(),
                    "chart_indicators": board.chart_indicators(),
                },
            )
            if not paging.q:  # a page asked beyond the last is kept as the last, its number
                cache.set(key(board.page.number), body, self.CACHE_SECONDS)
        return render(request, self.template_name, self.context(body=body))


class DashboardXlsxView(BackgroundDocumentMixin, DashboardView):
    """Every table of the dashboard as a sheet of one workbook (``?table=`` for one), made by
    a background job for a large branch."""

    document_title = gettext_lazy("Dashboard (XLSX)")

    def document_is_large(self) -> bool:
        return branch_is_large(self.unit)

    def render_document(self, request, *args, **kwargs):
        board = self.get_dashboard(self.filters())
        if board is None:
            raise Http404
        table = request.GET.get("table", "")
        body = exports.dashboard_xlsx(board, table=table if table in exports.TABLES else "")
        response = HttpResponse(body, content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, exports.dashboard_filename(board, table)
        )
        return response


class InboxView(CampaignMixin):
    """The reports that reached the issuing unit: new ones to mark received, then accept or
    return; with counts per mark and a filter by phase."""

    permission_required = "reports.view_inbox"

    def get(self, request, *args, **kwargs):
        infos = phase_infos(self.campaign)
        phase_id = request.GET.get("phase", "")
        phase = next((i.phase for i in infos if str(i.phase.pk) == phase_id), None)
        box = inbox(
            self.campaign,
            request.user,
            phase=phase,
            mark=request.GET.get("mark", ""),
            page_number=request.GET.get("page"),
        )
        # The links carry the filters as validated, never what was typed.
        by_phase = [("phase", phase.pk)] if phase else []
        return render(
            request,
            "reports/inbox.html",
            {
                "campaign": self.campaign,
                "department": self.campaign.receiving_department,
                "box": box,
                "infos": infos,
                "phase": phase,
                "marks": INBOX_MARK_CHOICES,
                "active": box.active,
                "query": urlencode(by_phase + ([("mark", box.mark)] if box.mark else [])),
                "filter_query": urlencode(by_phase),
                "today": self.today,
            },
        )
