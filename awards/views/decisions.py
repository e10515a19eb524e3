"""Pages of award decisions and their PDF."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from awards import documents, exports, selectors
from awards.forms import DecisionForm
from awards.models import AwardType, Nomination
from awards.rewards import decision_payments
from awards.services.decisions import decision_issue
from awards.views.common import PER_PAGE
from emulation.confirm import Affected, Confirmation, confirmation_page, is_confirmed
from emulation.documents import document_number, pdf_response
from emulation.jobs import BackgroundDocumentMixin
from emulation.mixins import ObjectPermissionMixin, apply_service
from emulation.params import int_param
from emulation.review.extensions import dmy


class DecisionListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/decision_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decisions = (
            selectors.visible_decisions(self.request.user)
            .annotate(awardees=Count("nominations"))
            .order_by("-date", "-number", "-pk")
        )
        page = Paginator(decisions, PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(page=page, decisions=list(page))
        return context


class DecisionsXlsxView(LoginRequiredMixin, View):
    def get(self, request):
        decisions = selectors.visible_decisions(request.user).prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.select_related(
                    "nominee_unit", "nominating_unit"
                ).order_by("nominee_kind", "nominee_unit__path", "person_name"),
            )
        )
        return exports.decisions_xlsx(decisions)


class DecisionCreateView(LoginRequiredMixin, TemplateView):
    template_name = "awards/decision_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        pk = int_param(request.GET, "award") or int_param(request.POST, "award")
        if not pk:
            pk = selectors.decision_award_for(request.user)
        self.award = AwardType.objects.select_related("granting_unit").filter(pk=pk).first()
        if self.award is None or not request.user.has_perm(
            "awards.change_decision", self.award.granting_unit
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def candidates(self):
        return selectors.decision_candidates(self.award)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        candidates = self.candidates()
        initial = {
            "number": selectors.next_decision_number(
                self.award.granting_unit, timezone.localdate().year, self.award.decision_symbol
            ),
            "symbol": self.award.decision_symbol,
            "date": timezone.localdate(),
            "place": documents.place_of(self.award.granting_unit),
            "signing_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH",
            "distribution": "Như Điều 3;\nLưu: VT, Ban CSPL.",
            "nominations": list(candidates.values_list("pk", flat=True)),
        }
        return DecisionForm(
            data, nominations=candidates, issuer=self.award.granting_unit, initial=initial
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["award"] = self.award
        return context

    def confirmation(self, form) -> Confirmation:
        data = form.cleaned_data
        nominations = list(data["nominations"])
        count = len(nominations)
        number = document_number(data["number"], data["symbol"])
        return Confirmation(
            question=_("Issue decision %(number)s?") % {"number": number},
            consequences=[
                ngettext(
                    "Decision %(number)s of %(date)s, issued by %(issuer)s, grants “%(award)s” "
                    "to %(count)s nominee.",
                    "Decision %(number)s of %(date)s, issued by %(issuer)s, grants “%(award)s” "
                    "to %(count)s nominees.",
                    count,
                )
                % {
                    "number": number,
                    "date": dmy(data["date"]),
                    "issuer": self.award.granting_unit.name,
                    "award": self.award.name,
                    "count": count,
                },
                _(
                    "Their nominations are closed as awarded; the decision and the certificates "
                    "can then be printed."
                ),
                _(
                    "An issued decision cannot be changed or withdrawn: check its number, date "
                    "and signer (%(signer)s)."
                )
                % {"signer": data["signer_name"]},
            ],
            button=_("Issue the decision"),
            cancel_url=reverse("awards:decisions"),
            affected=[
                Affected(
                    label=n.nominee_name,
                    detail=n.nominating_unit.display_name,
                    url=n.get_absolute_url(),
                )
                for n in nominations
            ],
            affected_title=_("Awardees"),
            danger=True,
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid() and form.cleaned_data["nominations"] and not is_confirmed(request):
            return confirmation_page(
                request, self.confirmation(form), base_template="awards/base.html"
            )
        if form.is_valid():
            data = dict(form.cleaned_data)
            decision = apply_service(
                form,
                decision_issue,
                by=request.user,
                award_type=self.award,
                number=data.pop("number"),
                date=data.pop("date"),
                symbol=data.pop("symbol"),
                nominations=list(data.pop("nominations")),
                data=data,
            )
            if decision is not None:
                messages.success(
                    request,
                    _("Decision %(number)s was issued.") % {"number": decision.document_number},
                )
                return redirect(decision.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class DecisionMixin(ObjectPermissionMixin):
    permission_required = "awards.view_decision"

    def get_visible_queryset(self):
        return selectors.visible_decisions(self.request.user)


class DecisionDetailView(DecisionMixin, TemplateView):
    template_name = "awards/decision_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = self.object
        awardees = selectors.decision_awardees(self.request.user, decision)
        payments = decision_payments(decision, awardees)
        for n, payment in zip(awardees, payments.rows, strict=True):
            n.reward = payment.amount
            n.reward_multiple = payment.multiple
        context.update(
            payments=payments,
            can_export_payments=self.request.user.has_perm("awards.change_decision", decision),
            decision=decision,
            awardees=awardees,
            can_print_certificates=any(n.can_view for n in awardees),
        )
        return context


class DecisionPaymentsXlsxView(DecisionMixin, View):
    """The payment list of the decision's reward money (XLSX), for the finance department."""

    permission_required = "awards.change_decision"

    def get(self, request, pk):
        decision = self.object
        awardees = list(
            decision.nominations.select_related("nominee_unit").order_by(
                "nominee_kind", "nominee_unit__path", "person_name", "pk"
            )
        )
        return exports.payments_xlsx(decision, decision_payments(decision, awardees))


class DecisionPdfView(BackgroundDocumentMixin, DecisionMixin, View):
    """The decision with its list of awardees; made by a background job when they are more
    than ``DOCUMENT_JOB_AWARDEES``."""

    document_title = gettext_lazy("Award decision (PDF)")

    def document_is_large(self) -> bool:
        return self.object.nominations.count() > settings.DOCUMENT_JOB_AWARDEES

    def render_document(self, request, pk):
        return pdf_response(
            documents.decision_pdf(self.object),
            documents.decision_filename(self.object),
            attachment=request.GET.get("download") == "1",
        )


class DecisionCertificatesPdfView(BackgroundDocumentMixin, DecisionMixin, View):
    """Every certificate of the decision in one PDF, one per page, for printing in a batch:
    those of the awardees the person may see (all of them for the issuer's staff and council;
    its own for a unit that sees the decision through its awardees). More than
    ``DOCUMENT_JOB_CERTIFICATES`` are printed by a background job."""

    document_title = gettext_lazy("Certificates of the decision (PDF)")

    @cached_property
    def visible(self):
        return selectors.visible_awardee_ids(self.request.user, self.object)

    def document_is_large(self) -> bool:
        return len(self.visible) > settings.DOCUMENT_JOB_CERTIFICATES

    def render_document(self, request, pk):
        if not self.visible:
            raise Http404
        return pdf_response(
            documents.certificates_pdf(self.object, only=self.visible),
            documents.certificates_filename(self.object),
            attachment=request.GET.get("download") == "1",
        )
