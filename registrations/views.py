"""Pages of the registrations. Views stay thin: they find what the person may see (a unit of
``Organization.objects.visible_to``, a published campaign the person sees), check the rule,
hand what was typed to a service and show its answer."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from campaigns.models import CampaignStatus
from campaigns.selectors import PUBLISHED, published_campaigns
from emulation.audit import audit_history
from emulation.documents import pdf_response
from emulation.mixins import error_messages, next_url, posted_version
from federation.models import Organization
from registrations import documents, exports, selectors, services
from registrations.content import CONTENT_PREFETCH, Content, content_of
from registrations.forms import (
    CommentForm,
    ExtensionForm,
    QueueFilterForm,
    RegistrationForm,
    parse_items,
)
from registrations.models import Registration

# ---------------------------------------------------------------------------------------------
# Base classes: what every page loads and checks before anything else.


class _Base(LoginRequiredMixin, View):
    permission_required = ""

    def load(self, **kwargs) -> None:
        """Find the objects of the URL (404 when the person may not see them)."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define load().")

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


class UnitCampaignMixin(_Base):
    """A unit of the URL (``pk``) the person may see, in a published campaign (``campaign_id``)
    the person sees. ``scope = "participant"``: the unit must take part (strictly below the
    issuer); ``"branch"``: the issuer itself will do (queues and consolidations)."""

    scope = "participant"

    def load(self, *, campaign_id, pk, **kwargs):
        # Read by primary key and checked with the rules in Python: the same sets as
        # ``published_campaigns(user)`` and ``Organization.objects.visible_to(user)``.
        user = self.request.user
        self.campaign = selectors.campaign_by_pk(campaign_id)
        if (
            self.campaign is None
            or self.campaign.status not in PUBLISHED
            or not user.is_active
            or not user.has_perm("campaigns.view_campaign", self.campaign)
        ):
            raise Http404
        self.unit = selectors.unit_by_pk(pk)
        if self.unit is None or not user.has_perm("federation.view_unit", self.unit):
            raise Http404
        check = selectors.takes_part if self.scope == "participant" else selectors.in_branch
        if not check(self.campaign, self.unit):
            raise Http404

    def permission_object(self):
        return self.unit

    def context(self, **extra) -> dict:
        return {
            "campaign": self.campaign,
            "unit": self.unit,
            "ancestors": selectors.breadcrumb(self.request.user, self.campaign, self.unit),
            "today": self.today,
            **extra,
        }


class RegistrationMixin(_Base):
    """A registration of the URL (``pk``) whose unit the person may see, in a published
    campaign; 404 otherwise, whatever the id guessed."""

    def load(self, *, pk, **kwargs):
        user = self.request.user
        queryset = Registration.objects.filter(
            organization__in=Organization.objects.visible_to(user),
            campaign__status__in=PUBLISHED,
        ).select_related("campaign", "campaign__issuer", "organization")
        self.registration = get_object_or_404(queryset, pk=pk)
        self.campaign = self.registration.campaign
        self.unit = self.registration.organization

    def permission_object(self):
        return self.unit

    def unit_url(self) -> str:
        return reverse("registrations:unit", args=[self.campaign.pk, self.unit.pk])

    def context(self, **extra) -> dict:
        return {
            "registration": self.registration,
            "campaign": self.campaign,
            "unit": self.unit,
            "ancestors": selectors.breadcrumb(self.request.user, self.campaign, self.unit),
            "revisions": list(self.registration.revisions.all()),
            **extra,
        }


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
        context["cards"] = selectors.start_page(user, campaigns)
        return context


# ---------------------------------------------------------------------------------------------
# One unit's registration.


class UnitRegistrationView(UnitCampaignMixin):
    """The registration of a unit in a campaign: its status, what it says, what is missing,
    and the buttons of whoever may act on it."""

    permission_required = "registrations.view_registration"

    def get(self, request, *args, **kwargs):
        page = selectors.registration_page(request.user, self.campaign, self.unit, today=self.today)
        return render(
            request,
            "registrations/unit.html",
            self.context(**page.context(), comment_form=CommentForm(), tab="registration"),
        )


class RegistrationFormView(UnitCampaignMixin):
    """The officer's form: choose themes, write commitments and targets, add works; save a
    draft at any time, or save and submit."""

    permission_required = "registrations.change_registration"

    def load(self, **kwargs):
        super().load(**kwargs)
        if self.campaign.status != CampaignStatus.ACTIVE:
            raise Http404
        self.registration = (
            Registration.objects.filter(campaign=self.campaign, organization=self.unit)
            .prefetch_related(*CONTENT_PREFETCH)
            .first()
        )

    def themes(self):
        return list(self.campaign.themes.all())

    def render_form(self, form, **extra):
        return render(
            self.request,
            "registrations/form.html",
            self.context(
                form=form,
                registration=self.registration,
                deadline=services.EXTENSIONS.deadline_for(self.campaign, self.unit),
                **extra,
            ),
        )

    def get(self, request, *args, **kwargs):
        if self.registration is not None and not self.registration.is_editable:
            messages.info(
                request,
                _("This registration is “%(status)s”: it can no longer be edited.")
                % {"status": self.registration.get_status_display()},
            )
            return redirect("registrations:unit", self.campaign.pk, self.unit.pk)
        content = content_of(self.registration) if self.registration else None
        version = self.registration.version if self.registration else None
        return self.render_form(RegistrationForm(self.themes(), content, version=version))

    def post(self, request, *args, **kwargs):
        form = RegistrationForm(self.themes(), None, data=request.POST)
        form.version = request.POST.get("version") or None
        try:
            registration = services.registration_save_draft(
                campaign=self.campaign,
                organization=self.unit,
                by=request.user,
                data=form.service_data(),
                expected_version=form.version,
            )
        except ValidationError as exc:
            form.add_error(exc)
            return self.render_form(form)
        if request.POST.get("action") != "submit":
            messages.success(request, _("The draft was saved."))
            return redirect("registrations:form", self.campaign.pk, self.unit.pk)
        try:
            services.registration_submit(
                registration, by=request.user, expected_version=registration.version
            )
        except ValidationError as exc:
            # Saved, but not sent: say what is missing, on the form, to fix it there.
            self.registration = registration
            form.version = registration.version
            return self.render_form(form, missing=exc.messages, saved=True)
        messages.success(
            request,
            _("The registration was sent to %(unit)s for review.")
            % {"unit": (self.unit.parent_unit() or self.unit).display_name},
        )
        return redirect("registrations:unit", self.campaign.pk, self.unit.pk)


class _TransitionView(RegistrationMixin):
    """A button that calls one service on a registration and goes back."""

    http_method_names = ["post"]

    def call(self, request):
        """Call the service and return the message to show."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define call().")

    def post(self, request, *args, **kwargs):
        try:
            message = self.call(request)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, message)
        return redirect(next_url(request, self.unit_url()))


class SubmitView(_TransitionView):
    permission_required = "registrations.change_registration"

    def call(self, request):
        services.registration_submit(
            self.registration, by=request.user, expected_version=posted_version(request)
        )
        return _("The registration was sent for review.")


class ApproveView(_TransitionView):
    permission_required = "registrations.review_registration"

    def call(self, request):
        services.registration_approve(
            self.registration, by=request.user, expected_version=posted_version(request)
        )
        return _("The registration of %(unit)s was approved.") % {"unit": self.unit.display_name}


class _CommentView(RegistrationMixin):
    """A transition that needs a comment: a small page with the form (also reached from the
    registration page), shown again with the service's message when it refuses."""

    template_name = "registrations/comment.html"
    heading = ""
    button = ""

    def call(self, request, comment: str, version):
        """Call the service with the comment and return the message to show."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define call().")

    def render_page(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "registration": self.registration,
                "campaign": self.campaign,
                "unit": self.unit,
                "form": form,
                "heading": self.heading,
                "button": self.button,
                "action": self.action,
                "next": next_url(self.request, self.unit_url()),
                "back_url": next_url(self.request, self.unit_url()),
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(CommentForm(initial={"version": self.registration.version}))

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            message = self.call(request, form.cleaned_data["comment"], form.cleaned_data["version"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    form.add_error("comment" if key == "comment" else None, errors)
                return self.render_page(form)
            error_messages(request, exc)
            return redirect(self.unit_url())
        messages.success(request, message)
        return redirect(next_url(request, self.unit_url()))


class ReturnView(_CommentView):
    permission_required = "registrations.review_registration"
    action = "return"

    @property
    def heading(self):
        return _("Return the registration of %(unit)s") % {"unit": self.unit.name}

    @property
    def button(self):
        return _("Return with this comment")

    def call(self, request, comment, version):
        services.registration_return(
            self.registration, by=request.user, comment=comment, expected_version=version
        )
        return _("The registration of %(unit)s was returned with your comment.") % {
            "unit": self.unit.display_name
        }


class ReopenView(_CommentView):
    permission_required = "registrations.reopen_registration"
    action = "reopen"

    @property
    def heading(self):
        return _("Reopen the registration of %(unit)s for a new revision") % {
            "unit": self.unit.name
        }

    @property
    def button(self):
        return _("Reopen")

    def call(self, request, comment, version):
        services.registration_reopen(self.registration, by=request.user, reason=comment)
        return _(
            "Revision %(number)s was started as a draft; the approved revision stays readable."
        ) % {"number": self.registration.revision + 1}


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


class HistoryView(RegistrationMixin):
    """Every transition and edit of the registration, and the deadline extensions of its unit,
    with who and when, from the audit log."""

    permission_required = "registrations.view_registration"

    def get(self, request, *args, **kwargs):
        entries = audit_history(self.registration)
        extension = selectors.extension_of(self.campaign, self.unit)
        if extension is not None:
            entries = (entries | audit_history(extension)).order_by("-created_at", "-id")
        return render(
            request,
            "registrations/history.html",
            self.context(entries=entries.select_related("actor")[:200], tab="history"),
        )


# ---------------------------------------------------------------------------------------------
# The reviewer.


class QueueView(UnitCampaignMixin):
    """The units directly below one unit, with their registration status, counts and a
    progress bar, filters and search; approve or return; select several to approve."""

    permission_required = "registrations.view_queue"
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
            request.user,
            self.campaign,
            self.unit,
            filters=filters,
            today=self.today,
            page_number=request.GET.get("page"),
        )
        return render(
            request,
            "registrations/queue.html",
            self.context(
                queue=queue, form=form, query=filters.query_string(), comment_form=CommentForm()
            ),
        )


class BulkApproveView(UnitCampaignMixin):
    """Approve several registrations at once, after a page that lists the units."""

    permission_required = "registrations.view_queue"
    scope = "branch"

    def queue_url(self) -> str:
        return reverse("registrations:queue", args=[self.campaign.pk, self.unit.pk])

    def get(self, request, *args, **kwargs):
        ids = None
        if request.GET.get("all") != "1":
            ids = [int(v) for v in request.GET.getlist("ids") if v.isdigit()]
        rows = selectors.awaiting_approval(request.user, self.campaign, self.unit, ids)
        if not rows:
            messages.warning(request, _("Choose at least one registration awaiting review."))
            return redirect(self.queue_url())
        return render(
            request,
            "registrations/bulk_confirm.html",
            self.context(rows=rows, queue_url=self.queue_url()),
        )

    def post(self, request, *args, **kwargs):
        items = parse_items(request.POST.getlist("items"))
        below = selectors.ids_below(self.campaign, self.unit, [pk for pk, _version in items])
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


class ExtendView(UnitCampaignMixin):
    """The reviewer grants one unit a later deadline."""

    permission_required = "registrations.review_registration"

    def load(self, **kwargs):
        super().load(**kwargs)
        if self.campaign.status != CampaignStatus.ACTIVE:
            raise Http404

    def render_page(self, form):
        return render(
            self.request,
            "registrations/extend.html",
            self.context(
                form=form,
                extension=selectors.extension_of(self.campaign, self.unit),
                next=next_url(
                    self.request,
                    reverse("registrations:unit", args=[self.campaign.pk, self.unit.pk]),
                ),
            ),
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(ExtensionForm())

    def post(self, request, *args, **kwargs):
        form = ExtensionForm(request.POST)
        if form.is_valid():
            try:
                extension = services.deadline_extend(
                    campaign=self.campaign,
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
                    _("%(unit)s may submit until %(day)s.")
                    % {"unit": self.unit.display_name, "day": extension.until.strftime("%d/%m/%Y")},
                )
                return redirect(
                    next_url(
                        request,
                        reverse("registrations:unit", args=[self.campaign.pk, self.unit.pk]),
                    )
                )
        return self.render_page(form)


# ---------------------------------------------------------------------------------------------
# The consolidation.


class _SummaryMixin(UnitCampaignMixin):
    permission_required = "registrations.view_summary"
    scope = "branch"

    def get_summary(self, paging=None):
        return selectors.summary(
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
        paging = (
            selectors.BranchPaging()
            if units_tab
            else selectors.BranchPaging.from_params(request.GET)
        )
        summary = self.get_summary(paging=paging)
        page, rows = None, []
        if units_tab:
            page, rows = selectors.unit_matrix(
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


class SummaryXlsxView(_SummaryMixin):
    def get(self, request, *args, **kwargs):
        summary = self.get_summary()
        body = exports.summary_xlsx(summary, today=self.today)
        response = HttpResponse(body, content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="{documents.summary_filename(summary, "xlsx")}"'
        )
        return response


class SummaryPdfView(_SummaryMixin):
    def get(self, request, *args, **kwargs):
        summary = self.get_summary()
        pdf = documents.summary_pdf(summary, today=self.today)
        return pdf_response(
            pdf,
            documents.summary_filename(summary, "pdf"),
            attachment=request.GET.get("download") == "1",
        )
