"""Pages of the registrations. Views stay thin: they find what the person may see (a unit of
``Organization.objects.visible_to``, a published campaign the person sees), check the rule,
hand what was typed to a service and show its answer."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from campaigns.selectors import PUBLISHED, published_campaigns
from emulation.confirm import Affected, Confirmation, confirmation_page, is_confirmed
from emulation.documents import pdf_response
from emulation.jobs import BackgroundDocumentMixin
from emulation.params import int_list_param, int_param
from emulation.review import views as review
from emulation.review.extensions import dmy
from federation.models import Organization
from federation.selectors import branch_is_large
from registrations import documents, exports, services
from registrations.content import CONTENT_PREFETCH, Content, content_of
from registrations.forms import QueueFilterForm, RegistrationForm, parse_items
from registrations.models import Registration
from registrations.selectors.common import breadcrumb as breadcrumb_of
from registrations.selectors.common import campaign_by_pk, in_branch, takes_part, unit_by_pk
from registrations.selectors.queue import awaiting_approval, ids_below, review_queue
from registrations.selectors.registration import registration_page
from registrations.selectors.start import start_page
from registrations.selectors.summary import BranchPaging, unit_matrix
from registrations.selectors.summary import summary as summary_of

# ---------------------------------------------------------------------------------------------
# Base classes: what every page loads and checks before anything else (emulation.review), with
# the registrations' readers.


class _Pages(review.PageMixin):
    extensions = services.EXTENSIONS

    def unit_url(self) -> str:
        return reverse("registrations:unit", args=[self.campaign.pk, self.unit.pk])

    def breadcrumb(self) -> list:
        return breadcrumb_of(self.request.user, self.campaign, self.unit)


class UnitCampaignMixin(_Pages, review.UnitMixin):
    """A unit of the URL (``pk``) the person may see, in a published campaign (``campaign_id``)
    the person sees (see :class:`emulation.review.views.UnitMixin`)."""

    find_campaign = staticmethod(campaign_by_pk)
    find_unit = staticmethod(unit_by_pk)
    takes_part = staticmethod(takes_part)
    in_branch = staticmethod(in_branch)


class RegistrationMixin(_Pages, review.ObjectMixin):
    """A registration of the URL (``pk``) whose unit the person may see, in a published
    campaign; 404 otherwise, whatever the id guessed."""

    object_name = "registration"

    def visible(self):
        return Registration.objects.filter(
            organization__in=Organization.objects.visible_to(self.request.user),
            campaign__status__in=PUBLISHED,
        ).select_related("campaign", "campaign__issuer", "organization")

    def context(self, **extra) -> dict:
        return super().context(revisions=list(self.registration.revisions.all()), **extra)


# ---------------------------------------------------------------------------------------------
# The start page.


class IndexView(LoginRequiredMixin, TemplateView):
    """The campaigns the person takes part in: their units' registrations, the queues they
    review and the consolidations they read."""

    template_name = "registrations/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaigns = list(
            published_campaigns(user).select_related("issuer").order_by("-year", "-pk")[:12]
        )
        context["cards"] = start_page(user, campaigns)
        return context


# ---------------------------------------------------------------------------------------------
# One unit's registration.


class UnitRegistrationView(UnitCampaignMixin):
    """The registration of a unit in a campaign: its status, what it says, what is missing,
    and the buttons of whoever may act on it."""

    permission_required = "registrations.view_registration"

    def get(self, request, *args, **kwargs):
        page = registration_page(request.user, self.campaign, self.unit, today=self.today)
        return render(
            request,
            "registrations/unit.html",
            self.context(**page.context(), tab="registration"),
        )


class RegistrationFormView(UnitCampaignMixin, review.DraftFormView):
    """The officer's form: choose themes, write commitments and targets, add works; save a
    draft at any time, or save and submit."""

    permission_required = "registrations.change_registration"
    object_name = "registration"
    template_name = "registrations/form.html"
    service = services.registration_submit
    not_editable = gettext_lazy("This registration is “%(status)s”: it can no longer be edited.")
    sent = gettext_lazy("The registration was sent to %(unit)s for review.")

    def find_object(self):
        return (
            Registration.objects.filter(campaign=self.campaign, organization=self.unit)
            .prefetch_related(*CONTENT_PREFETCH)
            .first()
        )

    def build_form(self, data=None, files=None):
        themes = list(self.campaign.themes.all())
        if data is not None:
            form = RegistrationForm(themes, None, data=data)
            form.version = int_param(data, "version")
            return form
        if self.registration is None:
            return RegistrationForm(themes, None)
        return RegistrationForm(
            themes, content_of(self.registration), version=self.registration.version
        )

    def save_draft(self, form):
        return services.registration_save_draft(
            campaign=self.campaign,
            organization=self.unit,
            by=self.request.user,
            data=form.service_data(),
            expected_version=form.version,
        )


class SubmitView(RegistrationMixin, review.TransitionView):
    permission_required = "registrations.change_registration"
    service = services.registration_submit
    done = gettext_lazy("The registration was sent for review.")


class RegistrationPdfView(RegistrationMixin):
    permission_required = "registrations.view_registration"

    def get(self, request, *args, **kwargs):
        registration = (
            Registration.objects.select_related("campaign", "campaign__issuer", "organization")
            .prefetch_related(*CONTENT_PREFETCH)
            .get(pk=self.registration.pk)
        )
        pdf = documents.registration_pdf(registration, content_of(registration))
        return pdf_response(
            pdf,
            documents.registration_filename(registration),
            attachment=request.GET.get("download") == "1",
        )


class RevisionView(RegistrationMixin):
    """An earlier, approved revision, frozen when the registration was reopened."""

    permission_required = "registrations.view_registration"

    def get(self, request, *args, number, **kwargs):
        revision = get_object_or_404(self.registration.revisions, number=number)
        content = Content.from_json(revision.content)
        if request.GET.get("format") == "pdf":
            pdf = documents.registration_pdf(
                self.registration, content, revision=revision.number, frozen=revision
            )
            return pdf_response(
                pdf, documents.registration_filename(self.registration, revision.number)
            )
        return render(
            request,
            "registrations/revision.html",
            self.context(
                revision=revision, content=content, tab="revision", current=revision.number
            ),
        )


class HistoryView(RegistrationMixin, review.HistoryView):
    permission_required = "registrations.view_registration"
    template_name = "registrations/history.html"


# ---------------------------------------------------------------------------------------------
# The reviewer.


class QueueView(UnitCampaignMixin, review.QueueView):
    """The units directly below one unit, with their registration status, counts and a
    progress bar, filters and search; approve or return; select several to approve."""

    permission_required = "registrations.view_queue"
    template_name = "registrations/queue.html"
    form_class = QueueFilterForm

    def read_queue(self, filters, page_number):
        user, campaign, unit = self.request.user, self.campaign, self.unit
        return review_queue(
            user, campaign, unit, filters=filters, today=self.today, page_number=page_number
        )


class BulkApproveView(UnitCampaignMixin):
    """Approve several registrations at once, after the confirmation page that lists the
    units (``emulation.confirm``)."""

    permission_required = "registrations.view_queue"
    scope = "branch"

    def queue_url(self) -> str:
        return reverse("registrations:queue", args=[self.campaign.pk, self.unit.pk])

    def confirmation(self, rows) -> Confirmation:
        count = len(rows)
        return Confirmation(
            question=ngettext(
                "Approve the registration of this unit?",
                "Approve the registrations of these %(counter)s units?",
                count,
            )
            % {"counter": count},
            consequences=[
                _(
                    "Each one is approved as it stands now. A registration changed or handled "
                    "by someone else meanwhile is left out and reported."
                ),
                _(
                    "An approved registration can no longer be edited by its unit: it can only "
                    "be reopened for a new revision."
                ),
            ],
            button=ngettext(
                "Approve %(counter)s registration", "Approve %(counter)s registrations", count
            )
            % {"counter": count},
            cancel_url=self.queue_url(),
            affected=[
                Affected(
                    label=r.organization.name,
                    detail=_("sent %(day)s") % {"day": dmy(r.submitted_at)},
                    url=reverse("registrations:unit", args=[self.campaign.pk, r.organization_id]),
                )
                for r in rows
            ],
            affected_title=_("Units whose registration is approved"),
            fields=[("items", f"{r.pk}:{r.version}") for r in rows],
        )

    def ask(self, ids):
        """The confirmation page of the registrations ``ids`` (None: all awaiting review) that
        the person may approve; back to the queue when there is none."""
        request = self.request
        rows = awaiting_approval(request.user, self.campaign, self.unit, ids)
        if not rows:
            messages.warning(request, _("Choose at least one registration awaiting review."))
            return redirect(self.queue_url())
        return confirmation_page(
            request,
            self.confirmation(rows),
            base_template="registrations/base.html",
            action=reverse("registrations:bulk-approve", args=[self.campaign.pk, self.unit.pk]),
            context=self.context(rows=rows),
        )

    def get(self, request, *args, **kwargs):
        ids = None
        if request.GET.get("all") != "1":
            ids = int_list_param(request.GET, "ids")
        return self.ask(ids)

    def post(self, request, *args, **kwargs):
        items = parse_items(request.POST.getlist("items"))
        if not is_confirmed(request):
            return self.ask([pk for pk, _version in items])
        below = ids_below(self.campaign, self.unit, [pk for pk, _version in items])
        result = services.registrations_bulk_approve(
            items=[item for item in items if item[0] in below], by=request.user
        )
        if result.approved:
            messages.success(
                request,
                ngettext(
                    "%(count)s registration was approved.",
                    "%(count)s registrations were approved.",
                    len(result.approved),
                )
                % {"count": len(result.approved)},
            )
        for registration, reason in result.skipped:
            messages.warning(
                request,
                _("%(unit)s was not approved: %(reason)s")
                % {"unit": registration.organization.display_name, "reason": reason},
            )
        if not result.approved and not result.skipped:
            messages.warning(request, _("Choose at least one registration awaiting review."))
        return redirect(self.queue_url())


class ApproveView(RegistrationMixin, review.TransitionView):
    permission_required = "registrations.review_registration"
    service = services.registration_approve
    done = gettext_lazy("The registration of %(unit)s was approved.")


class ReturnView(RegistrationMixin, review.CommentView):
    permission_required = "registrations.review_registration"
    template_name = "registrations/comment.html"
    service = services.registration_return
    done = gettext_lazy("The registration of %(unit)s was returned with your comment.")

    def heading(self):
        return _("Return the registration of %(unit)s") % {"unit": self.unit.name}


class ReopenView(RegistrationMixin, review.CommentView):
    permission_required = "registrations.reopen_registration"
    template_name = "registrations/comment.html"
    action = "reopen"

    def heading(self):
        return _("Reopen the registration of %(unit)s for a new revision") % {
            "unit": self.unit.name
        }

    def call(self, comment, version):
        services.registration_reopen(self.registration, by=self.request.user, reason=comment)
        return _(
            "Revision %(number)s was started as a draft; the approved revision stays readable."
        ) % {"number": self.registration.revision + 1}


class ExtendView(UnitCampaignMixin, review.ExtendView):
    """The reviewer grants one unit a later deadline."""

    permission_required = "registrations.review_registration"
    template_name = "registrations/extend.html"
    done = gettext_lazy("%(unit)s may submit until %(day)s.")


# ---------------------------------------------------------------------------------------------
# The consolidation.


class _SummaryMixin(UnitCampaignMixin):
    permission_required = "registrations.view_summary"
    scope = "branch"
    links_place = "summary"

    def get_summary(self, paging=None):
        return summary_of(
            self.campaign,
            self.unit,
            scope=self.request.GET.get("scope", "approved"),
            today=self.today,
            paging=paging,
        )


class SummaryView(_SummaryMixin):
    """The consolidation of a subtree, on two tabs: the figures (units per status, themes
    chosen and targets summed per theme, the figures of each branch), and the units with the
    themes each one chose (``?view=units``, paginated)."""

    def get(self, request, *args, **kwargs):
        units_tab = request.GET.get("view") == "units"
        # The page shows a page of the branches (the documents list them all); the units' tab,
        # which shows none, reads the first (its ``page`` is the registrations').
        paging = BranchPaging() if units_tab else BranchPaging.from_params(request.GET)
        summary = self.get_summary(paging=paging)
        page, rows = None, []
        if units_tab:
            page, rows = unit_matrix(
                self.campaign,
                self.unit,
                summary.statuses,
                page_number=request.GET.get("page"),
                count=summary.counted,
            )
        return render(
            request,
            "registrations/summary.html",
            self.context(
                summary=summary,
                units_tab=units_tab,
                page=page,
                rows=rows,
                query=f"scope={summary.scope}&view=units",
            ),
        )


class _SummaryDocumentMixin(BackgroundDocumentMixin, _SummaryMixin):
    """The summary's documents: made by a background job for a large branch."""

    def document_is_large(self) -> bool:
        return branch_is_large(self.unit)


class SummaryXlsxView(_SummaryDocumentMixin):
    document_title = gettext_lazy("Registration summary (XLSX)")

    def render_document(self, request, *args, **kwargs):
        summary = self.get_summary()
        body = exports.summary_xlsx(summary, today=self.today)
        response = HttpResponse(body, content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="{documents.summary_filename(summary, "xlsx")}"'
        )
        return response


class SummaryPdfView(_SummaryDocumentMixin):
    document_title = gettext_lazy("Registration summary (PDF)")

    def render_document(self, request, *args, **kwargs):
        summary = self.get_summary()
        pdf = documents.summary_pdf(summary, today=self.today)
        return pdf_response(
            pdf,
            documents.summary_filename(summary, "pdf"),
            attachment=request.GET.get("download") == "1",
        )
