"""Pages of nominations: the list, the form, the detail page with its dossier, and the buttons
of the review (submit, endorse, return)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from awards import documents, exports, selectors
from awards.eligibility import Status, eligibility_check
from awards.forms import (
    CommentForm,
    DeclarationForm,
    DossierForm,
    NominationForm,
    PriorAwardForm,
)
from awards.models import AwardType, DossierFile, Nomination, RuleKind, Stage
from awards.quotas import quota_uses
from awards.services.dossier import dossier_file_add, dossier_file_remove
from awards.services.eligibility import nomination_declare, prior_award_for, prior_award_record
from awards.services.nominations import nomination_create, nomination_delete, nomination_update
from awards.services.review import nomination_endorse, nomination_return, nomination_submit
from awards.views.common import PER_PAGE, _errors_to_messages
from emulation.audit import audit_history
from emulation.documents import pdf_response
from emulation.mixins import ObjectPermissionMixin, RulePermissionMixin, apply_service
from emulation.params import to_int
from emulation.uploads import stored_file_response
from emulation.workflow import check_version, missing_version


class NominationListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/nomination_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        stage = self.request.GET.get("stage", "")
        if stage not in Stage.values:
            stage = ""
        query = self.request.GET.get("q", "").strip()
        visible = selectors.visible_nominations(user)
        counts = selectors.stage_counts(visible)
        nominations = selectors.filter_nominations(visible, stage=stage, query=query).order_by(
            "-updated_at", "-id"
        )
        page = Paginator(nominations, PER_PAGE).get_page(self.request.GET.get("page"))
        params = {k: v for k, v in (("stage", stage), ("q", query)) if v}
        context.update(
            page=page,
            nominations=list(page),
            stage=stage,
            query=query,
            query_string=urlencode(params),
            stages=[(value, label, counts.get(value, 0)) for value, label in Stage.choices],
            total=sum(counts.values()),
            awaiting=selectors.awaiting_me(user).count(),
            can_add=user.has_perm("awards.add_nomination"),
            can_sessions=user.has_perm("awards.view_sessions"),
        )
        return context


class NominationsXlsxView(LoginRequiredMixin, View):
    def get(self, request):
        stage = request.GET.get("stage", "")
        nominations = selectors.filter_nominations(
            selectors.visible_nominations(request.user).select_related("decision"),
            stage=stage if stage in Stage.values else "",
            query=request.GET.get("q", "").strip(),
        ).order_by("campaign__year", "nominating_unit__path", "pk")
        return exports.nominations_xlsx(nominations)


class NominationCreateView(RulePermissionMixin, TemplateView):
    permission_required = "awards.add_nomination"
    template_name = "awards/nomination_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        units = selectors.units_prepared_by(request.user)
        self.units = list(units[:50])
        chosen = request.GET.get("unit") or request.POST.get("unit")
        self.unit = next((u for u in self.units if str(u.pk) == str(chosen)), None) or (
            self.units[0] if self.units else None
        )
        if self.unit is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        initial = {"nominee_unit": self.unit.code, "occasion": "year_end"}
        return NominationForm(data, user=self.request.user, unit=self.unit, initial=initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context.update(units=self.units, unit=self.unit)
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            data = dict(form.cleaned_data)
            nomination = apply_service(
                form,
                nomination_create,
                by=request.user,
                campaign=data.pop("campaign"),
                award_type=data.pop("award_type"),
                nominating_unit=self.unit,
                data=data,
            )
            if nomination is not None:
                messages.success(
                    request, _("The nomination was saved as a draft. Now add its dossier.")
                )
                return redirect(nomination.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class NominationMixin(ObjectPermissionMixin):
    permission_required = "awards.view_nomination"

    def get_visible_queryset(self):
        return selectors.visible_nominations(self.request.user).select_related(
            "phase", "decision", "created_by"
        )


class NominationDetailView(NominationMixin, TemplateView):
    template_name = "awards/nomination_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nomination = self.object
        actions = selectors.nomination_actions(self.request.user, nomination)
        if actions.can_change:
            context.setdefault(
                "dossier_form", DossierForm(documents=nomination.award_type.documents)
            )
        checks = eligibility_check(nomination)
        declaration_rules = [c.rule for c in checks if c.rule.kind == RuleKind.DECLARATION]
        history_awards = AwardType.objects.filter(
            pk__in=[
                a.pk
                for c in checks
                if c.rule.kind == RuleKind.HISTORY and not c.satisfied
                for a in c.rule.prior_awards.all()
            ]
        )
        if actions.can_change and declaration_rules:
            context.setdefault(
                "declaration_form",
                DeclarationForm(
                    rules=declaration_rules,
                    declared=[c.rule.pk for c in checks if c.status == Status.DECLARED],
                ),
            )
        if (
            (nomination.is_editable or actions.can_endorse)
            and self.request.user.has_perm("awards.record_history", nomination.nominee_unit)
            and history_awards.exists()
        ):
            context.setdefault(
                "prior_form",
                PriorAwardForm(
                    award_types=history_awards,
                    initial={"year": nomination.campaign.year - 1},
                ),
            )
        acting = (
            nomination.current_level
            if actions.can_endorse
            else nomination.nominating_unit
            if actions.can_change
            else None
        )
        context.update(
            quota_uses=quota_uses(nomination, acting) if acting is not None else [],
            checks=checks,
            blocked=any(c.blocking for c in checks),
            nomination=nomination,
            files=list(nomination.files.all()),
            missing=actions.missing,
            endorsements=list(
                nomination.endorsements.select_related("level", "forwarded_to", "by")
            ),
            path=selectors.path_to_granting(nomination),
            can_change=actions.can_change,
            can_delete=actions.can_delete,
            can_endorse=actions.can_endorse,
            can_return=actions.can_return,
            comment_form=CommentForm(initial={"version": nomination.version}),
            session_items=selectors.session_items_of(self.request.user, nomination),
        )
        return context


class DossierAddView(NominationDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        nomination = self.object
        if not request.user.has_perm("awards.change_nomination", nomination):
            raise PermissionDenied
        form = DossierForm(request.POST, request.FILES, documents=nomination.award_type.documents)
        if form.is_valid():
            record = apply_service(
                form,
                dossier_file_add,
                nomination=nomination,
                by=request.user,
                document=form.document_name(),
                upload=form.cleaned_data["file"],
            )
            if record is not None:
                messages.success(
                    request,
                    _("“%(name)s” was added to the dossier.") % {"name": record.original_name},
                )
                return redirect(nomination.get_absolute_url())
        return self.render_to_response(self.get_context_data(dossier_form=form))


class NominationDeclareView(NominationDetailView):
    """The nominating unit declares the declared conditions of the award."""

    http_method_names = ["post"]
    permission_required = "awards.change_nomination"

    def post(self, request, *args, **kwargs):
        nomination = self.object
        rules = list(nomination.award_type.rules.filter(kind=RuleKind.DECLARATION))
        form = DeclarationForm(request.POST, rules=rules)
        if form.is_valid():
            count = apply_service(
                form,
                nomination_declare,
                nomination=nomination,
                by=request.user,
                rules=[int(pk) for pk in form.cleaned_data["rules"]],
            )
            if count is not None:
                messages.success(request, _("The declarations were recorded."))
                return redirect(nomination.get_absolute_url())
        return self.render_to_response(self.get_context_data(declaration_form=form))


class PriorAwardAddView(NominationDetailView):
    """Complete the nominee's award history with an earlier award."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        nomination = self.object
        if not request.user.has_perm("awards.record_history", nomination.nominee_unit):
            raise PermissionDenied
        award_types = AwardType.objects.filter(
            pk__in=nomination.award_type.rules.filter(kind=RuleKind.HISTORY).values("prior_awards")
        )
        form = PriorAwardForm(request.POST, award_types=award_types)
        if form.is_valid():
            record = apply_service(
                form,
                prior_award_record,
                by=request.user,
                **prior_award_for(
                    nomination,
                    award_type=form.cleaned_data["award_type"],
                    year=form.cleaned_data["year"],
                    reference=form.cleaned_data["reference"],
                    today=timezone.localdate(),
                ),
            )
            if record is not None:
                messages.success(
                    request,
                    _("%(award)s of %(year)s was added to the award history.")
                    % {"award": record.award_type.name, "year": record.year},
                )
                return redirect(nomination.get_absolute_url())
        return self.render_to_response(self.get_context_data(prior_form=form))


class DossierFileView(NominationMixin, View):
    """A dossier file, only through this view (never a public media URL)."""

    def get(self, request, pk, file_id):
        record = get_object_or_404(DossierFile, pk=file_id, nomination=self.object)
        return stored_file_response(request, record)


class _NominationPostView(NominationMixin, View):
    http_method_names = ["post"]
    success_message = ""

    def call(self, form):
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define call() (_NominationPostView is a base class)."
        )

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            self.call(form)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, self.success_message)
        return redirect(self.next_url())

    def next_url(self):
        return self.object.get_absolute_url()


class NominationSubmitView(_NominationPostView):
    def call(self, form):
        if not self.request.user.has_perm("awards.change_nomination", self.object):
            raise PermissionDenied
        nomination = nomination_submit(
            nomination=self.object,
            by=self.request.user,
            expected_version=form.cleaned_data.get("version"),
        )
        self.success_message = _("The nomination was sent to %(unit)s.") % {
            "unit": nomination.current_level.name
        }


class NominationEndorseView(_NominationPostView):
    def call(self, form):
        # A page opened before someone else acted: say so rather than refuse.
        check_version(self.object, form.cleaned_data.get("version"))
        if not self.request.user.has_perm("awards.review_nomination", self.object):
            raise PermissionDenied
        nomination = nomination_endorse(
            nomination=self.object,
            by=self.request.user,
            comment=form.cleaned_data.get("comment", ""),
            expected_version=form.cleaned_data.get("version"),
        )
        self.success_message = _("Endorsed: the nomination was forwarded to %(unit)s.") % {
            "unit": nomination.current_level.name
        }

    def next_url(self):
        # The endorser may no longer see it at the next level only if they never could: they
        # saw it before, so its page stays theirs.
        return self.object.get_absolute_url()


class NominationReturnView(_NominationPostView):
    def call(self, form):
        # A page opened before someone else acted: say so rather than refuse.
        check_version(self.object, form.cleaned_data.get("version"))
        if not self.request.user.has_perm("awards.review_nomination", self.object):
            raise PermissionDenied
        nomination_return(
            nomination=self.object,
            by=self.request.user,
            comment=form.cleaned_data.get("comment", ""),
            expected_version=form.cleaned_data.get("version"),
        )
        self.success_message = _("The nomination was returned to %(unit)s with your comment.") % {
            "unit": self.object.nominating_unit.name
        }


class NominationDeleteView(_NominationPostView):
    def call(self, form):
        if not self.request.user.has_perm("awards.change_nomination", self.object):
            raise PermissionDenied
        nomination_delete(nomination=self.object, by=self.request.user)
        self.success_message = _("The draft was deleted.")
        self.deleted = True

    def next_url(self):
        if getattr(self, "deleted", False):
            return reverse("awards:nominations")
        return self.object.get_absolute_url()


class DossierRemoveView(_NominationPostView):
    def call(self, form):
        if not self.request.user.has_perm("awards.change_nomination", self.object):
            raise PermissionDenied
        dossier_file_remove(
            nomination=self.object, file_id=self.kwargs["file_id"], by=self.request.user
        )
        self.success_message = _("The file was removed from the dossier.")


class NominationEditView(NominationMixin, TemplateView):
    permission_required = "awards.change_nomination"
    template_name = "awards/nomination_form.html"

    def get_form(self):
        n = self.object
        data = self.request.POST if self.request.method == "POST" else None
        initial = {
            "occasion": n.occasion,
            "phase": n.phase_id,
            "nominee_unit": n.nominee_unit.code,
            "person_name": n.person_name,
            "gender": n.gender,
            "birth_year": n.birth_year,
            "position": n.position,
            "achievement": n.achievement,
        }
        return NominationForm(
            data, user=self.request.user, unit=n.nominating_unit, editing=n, initial=initial
        )

    def get(self, request, *args, **kwargs):
        if not self.object.is_editable:
            messages.warning(
                request, _("This nomination was sent up and can no longer be changed.")
            )
            return redirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context.update(nomination=self.object, unit=self.object.nominating_unit, editing=True)
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        version = to_int(request.POST.get("version"))
        if version is None:
            form.add_error(None, missing_version())
        if form.is_valid():
            saved = apply_service(
                form,
                nomination_update,
                nomination=self.object,
                by=request.user,
                data=form.cleaned_data,
                expected_version=version,
            )
            if saved is not None:
                messages.success(request, _("The nomination was saved."))
                return redirect(saved.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class NominationHistoryView(NominationMixin, TemplateView):
    template_name = "awards/nomination_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(nomination=self.object, entries=audit_history(self.object)[:200])
        return context


class CertificateView(NominationMixin, View):
    def get(self, request, pk):
        nomination = self.object
        if nomination.decision_id is None:
            raise Http404
        nomination = Nomination.objects.select_related(
            "decision__issuer", "award_type", "nominee_unit", "campaign", "phase"
        ).get(pk=nomination.pk)
        return pdf_response(
            documents.certificate_pdf(nomination),
            documents.certificate_filename(nomination),
            attachment=request.GET.get("download") == "1",
        )
