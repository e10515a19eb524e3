"""Pages of commendation. Views stay thin: they find the object the person may see (404
otherwise), check the rule (403), and hand what was typed to a service."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.syndication.views import Feed
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from awards import documents, exports, selectors, services
from awards.forms import (
    AttachForm,
    BallotForm,
    CommentForm,
    DecisionForm,
    DossierForm,
    HistorySearchForm,
    ModelProposalForm,
    NominationForm,
    SessionForm,
)
from awards.models import (
    AwardType,
    DossierFile,
    ExemplaryModel,
    Nomination,
    Stage,
    Vote,
)
from emulation.audit import audit_history
from emulation.documents import pdf_response
from emulation.mixins import ObjectPermissionMixin, RulePermissionMixin, apply_service
from emulation.workflow import ReviewStatus, check_version
from federation.models import Organization, Role

PER_PAGE = 30


def units_prepared_by(user):
    """The units whose nominations and models the person prepares (officer or leader)."""
    units = Organization.objects.filter(is_active=True)
    if user.is_superuser:
        return units.order_by("path")
    return (
        units.filter(memberships__user=user, memberships__role__in=(Role.OFFICER, Role.LEADER))
        .distinct()
        .order_by("depth", "path")
    )


def _read(field_file) -> bytes:
    """The bytes of a stored file (at most 10 MB), or 404 when it is gone from the storage."""
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------------------------------------
# Nominations.


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
        counts = dict(
            visible.annotate(stage_code=selectors.stage_expression())
            .order_by()
            .values_list("stage_code")
            .annotate(n=Count("id"))
        )
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
        units = units_prepared_by(request.user)
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
                services.nomination_create,
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
        user = self.request.user
        can_change = user.has_perm("awards.change_nomination", nomination)
        can_review = nomination.status == ReviewStatus.SUBMITTED and user.has_perm(
            "awards.review_nomination", nomination
        )
        files = list(nomination.files.all())
        if can_change and nomination.is_editable:
            context.setdefault(
                "dossier_form", DossierForm(documents=nomination.award_type.documents)
            )
        context.update(
            nomination=nomination,
            files=files,
            missing=services.missing_documents(nomination),
            endorsements=list(
                nomination.endorsements.select_related("level", "forwarded_to", "by")
            ),
            path=_path_to_granting(nomination),
            can_change=can_change and nomination.is_editable,
            can_delete=can_change and nomination.status == ReviewStatus.DRAFT,
            can_endorse=can_review and not nomination.at_granting_level,
            can_return=can_review,
            comment_form=CommentForm(initial={"version": nomination.version}),
            session_items=list(
                nomination.session_items.select_related("session").order_by(
                    "-session__meeting_date"
                )
            ),
        )
        return context


def _path_to_granting(nomination: Nomination):
    """The units from the nominating unit up to the granting unit, marking where it is now."""
    granting = nomination.award_type.granting_unit
    unit = nomination.nominating_unit
    step = Organization.steplen
    paths = [unit.path[:i] for i in range(len(granting.path), len(unit.path) + 1, step)]
    units = list(Organization.objects.filter(path__in=paths).order_by("-depth"))
    for u in units:
        u.is_current = u.pk == nomination.current_level_id and nomination.status != "draft"
    return units


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
                services.dossier_file_add,
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


class DossierFileView(NominationMixin, View):
    """A dossier file, only through this view (never a public media URL)."""

    def get(self, request, pk, file_id):
        record = get_object_or_404(DossierFile, pk=file_id, nomination=self.object)
        response = HttpResponse(_read(record.file), content_type=record.content_type)
        response["Content-Disposition"] = content_disposition_header(
            request.GET.get("download") == "1"
            or not record.content_type.startswith(("image/", "application/pdf")),
            record.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class _NominationPostView(NominationMixin, View):
    http_method_names = ["post"]
    success_message = ""

    def call(self, form):
        raise ImproperlyConfigured(
            f"{type(self).__name__} must define call() (_NominationPostView is a base class)."
        )

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        form.is_valid()
        try:
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
        nomination = services.nomination_submit(
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
        nomination = services.nomination_endorse(
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
        services.nomination_return(
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
        services.nomination_delete(nomination=self.object, by=self.request.user)
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
        services.dossier_file_remove(
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
        if form.is_valid():
            saved = apply_service(
                form,
                services.nomination_update,
                nomination=self.object,
                by=request.user,
                data=form.cleaned_data,
                expected_version=request.POST.get("version") or None,
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


# ---------------------------------------------------------------------------------------------
# The council.


class SessionListView(RulePermissionMixin, TemplateView):
    permission_required = "awards.view_sessions"
    template_name = "awards/session_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sessions = (
            selectors.visible_sessions(user)
            .annotate(item_count=Count("items"))
            .order_by("-meeting_date", "-pk")
        )
        page = Paginator(sessions, PER_PAGE).get_page(self.request.GET.get("page"))
        waiting = (
            selectors.visible_nominations(user)
            .filter(
                status=ReviewStatus.SUBMITTED,
                council_result="",
                current_level=F("award_type__granting_unit"),
                award_type__granting_unit__in=selectors.council_units_managed(user),
            )
            .count()
        )
        context.update(
            page=page,
            sessions=list(page),
            waiting=waiting,
            can_open=bool(selectors.council_units_managed(user).exists()),
        )
        return context


class SessionCreateView(RulePermissionMixin, TemplateView):
    permission_required = "awards.manage_council"
    template_name = "awards/session_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        self.units = list(selectors.council_units_managed(request.user).order_by("path")[:50])
        chosen = request.GET.get("unit") or request.POST.get("unit")
        self.unit = next((u for u in self.units if str(u.pk) == str(chosen)), None) or (
            self.units[0] if self.units else None
        )
        return super().dispatch(request, *args, **kwargs)

    def candidates(self):
        if self.unit is None:
            return Nomination.objects.none()
        return (
            Nomination.objects.filter(
                status=ReviewStatus.SUBMITTED,
                council_result="",
                current_level=self.unit,
                award_type__granting_unit=self.unit,
            )
            .exclude(session_items__session__status="open")
            .select_related("award_type", "nominating_unit", "nominee_unit")
            .order_by("award_type__position", "nominee_kind", "pk")
        )

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        candidates = self.candidates()
        initial = {
            "meeting_date": timezone.localdate(),
            "title": _("Review of the nominations of %(year)s")
            % {"year": timezone.localdate().year},
            "nominations": list(candidates.values_list("pk", flat=True)),
        }
        return SessionForm(data, nominations=candidates, initial=initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context.update(units=self.units, unit=self.unit)
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if self.unit is None:
            raise PermissionDenied
        if form.is_valid():
            session = apply_service(
                form,
                services.session_open,
                by=request.user,
                granting_unit=self.unit,
                title=form.cleaned_data["title"],
                meeting_date=form.cleaned_data["meeting_date"],
                place=form.cleaned_data["place"],
                nominations=list(form.cleaned_data["nominations"]),
            )
            if session is not None:
                messages.success(request, _("The council session is open for voting."))
                return redirect(session.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class SessionMixin(ObjectPermissionMixin):
    permission_required = "awards.view_session"

    def get_visible_queryset(self):
        return selectors.visible_sessions(self.request.user)


class SessionDetailView(SessionMixin, TemplateView):
    template_name = "awards/session_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        user = self.request.user
        items = list(
            session.items.select_related(
                "nomination__award_type", "nomination__nominee_unit", "nomination__nominating_unit"
            ).annotate(ballots=Count("votes"))
        )
        # A member sees their own ballots, never anyone else's.
        mine = dict(
            Vote.objects.filter(item__session=session, voter=user).values_list("item_id", "choice")
        )
        for item in items:
            item.my_vote = mine.get(item.pk)
        can_vote = user.has_perm("awards.vote", session)
        to_vote = [item for item in items if item.pk not in mine]
        if can_vote and to_vote:
            context.setdefault("ballot_form", BallotForm(items=to_vote))
        context.update(
            session=session,
            items=items,
            can_vote=can_vote,
            voted_all=can_vote and not to_vote,
            can_manage=user.has_perm("awards.change_session", session),
            voters=Vote.objects.filter(item__session=session).values("voter").distinct().count(),
            decisions=list(session.decisions.all()),
            approved_awards=_approved_awards(session, items),
        )
        return context


def _approved_awards(session, items):
    """Award types with approved nominations still waiting for a decision."""
    awards = {}
    for item in items:
        n = item.nomination
        if n.council_result == "approved" and n.decision_id is None:
            awards[n.award_type_id] = n.award_type
    return list(awards.values())


class SessionVoteView(SessionDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.object
        items = list(session.items.select_related("nomination__nominee_unit"))
        form = BallotForm(request.POST, items=items)
        form.is_valid()
        try:
            count = services.ballot_cast(session=session, by=request.user, choices=form.choices())
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(
                request, _("Your ballot was recorded (%(count)s votes).") % {"count": count}
            )
        return redirect(session.get_absolute_url())


class SessionCloseView(SessionMixin, View):
    http_method_names = ["post"]
    permission_required = "awards.change_session"

    def post(self, request, *args, **kwargs):
        try:
            services.session_close(session=self.object, by=request.user)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("The session is closed and the ballots are counted."))
        return redirect(self.object.get_absolute_url())


class MinutesPdfView(SessionMixin, View):
    def get(self, request, pk):
        return pdf_response(
            documents.minutes_pdf(self.object),
            documents.session_filename(self.object, "bien-ban"),
            attachment=request.GET.get("download") == "1",
        )


class BallotsPdfView(SessionMixin, View):
    def get(self, request, pk):
        return pdf_response(
            documents.ballots_pdf(self.object),
            documents.session_filename(self.object, "phieu-bieu-quyet"),
            attachment=request.GET.get("download") == "1",
        )


# ---------------------------------------------------------------------------------------------
# Decisions.


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
        pk = request.GET.get("award") or request.POST.get("award")
        if not pk:
            first = (
                Nomination.objects.filter(
                    council_result="approved",
                    decision__isnull=True,
                    award_type__granting_unit__in=selectors.council_units_managed(request.user),
                )
                .values_list("award_type_id", flat=True)
                .first()
            )
            pk = first or (
                AwardType.objects.filter(
                    granting_unit__in=selectors.council_units_managed(request.user)
                )
                .values_list("pk", flat=True)
                .first()
            )
        self.award = AwardType.objects.select_related("granting_unit").filter(pk=pk).first()
        if self.award is None or not request.user.has_perm(
            "awards.change_decision", self.award.granting_unit
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def candidates(self):
        return (
            Nomination.objects.filter(
                award_type=self.award, council_result="approved", decision__isnull=True
            )
            .select_related("award_type", "nominating_unit", "nominee_unit")
            .order_by("nominee_kind", "nominee_unit__path", "pk")
        )

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        candidates = self.candidates()
        last = (
            self.award.granting_unit.decisions.filter(year=timezone.localdate().year)
            .order_by("-number")
            .first()
        )
        initial = {
            "number": (last.number + 1) if last else 1,
            "symbol": self.award.decision_symbol,
            "date": timezone.localdate(),
            "place": documents.place_of(self.award.granting_unit),
            "signing_authority": "TM. BAN THƯỜNG VỤ",
            "signer_title": "CHỦ TỊCH",
            "distribution": "Như Điều 3;\nLưu: VT, Ban CSPL.",
            "nominations": list(candidates.values_list("pk", flat=True)),
        }
        return DecisionForm(data, nominations=candidates, initial=initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["award"] = self.award
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            data = dict(form.cleaned_data)
            decision = apply_service(
                form,
                services.decision_issue,
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
        visible = set(
            selectors.visible_nominations(self.request.user)
            .filter(decision=decision)
            .values_list("pk", flat=True)
        )
        awardees = list(
            decision.nominations.select_related("nominee_unit", "nominating_unit").order_by(
                "nominee_kind", "nominee_unit__path", "person_name", "pk"
            )
        )
        for n in awardees:
            n.can_view = n.pk in visible
        context.update(decision=decision, awardees=awardees)
        return context


class DecisionPdfView(DecisionMixin, View):
    def get(self, request, pk):
        return pdf_response(
            documents.decision_pdf(self.object),
            documents.decision_filename(self.object),
            attachment=request.GET.get("download") == "1",
        )


# ---------------------------------------------------------------------------------------------
# The award history.


class HistoryView(LoginRequiredMixin, TemplateView):
    template_name = "awards/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = HistorySearchForm(self.request.GET or None)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        unit = None
        unit_pk = self.request.GET.get("unit")
        if unit_pk and unit_pk.isdigit():
            unit = Organization.objects.visible_to(user).filter(pk=unit_pk).first()
        awards = selectors.award_history(user, query=query, unit=unit)
        page = Paginator(awards, 50).get_page(self.request.GET.get("page"))
        params = {k: v for k, v in (("q", query), ("unit", unit.pk if unit else "")) if v}
        context.update(
            form=form, page=page, awards=list(page), unit=unit, query_string=urlencode(params)
        )
        return context


# ---------------------------------------------------------------------------------------------
# Advanced models.


class ModelListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/model_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        models = selectors.visible_models(user)
        page = Paginator(models, PER_PAGE).get_page(self.request.GET.get("page"))
        items = list(page)
        for m in items:
            m.can_publish = user.has_perm("awards.publish_model", m)
        context.update(
            page=page,
            models=items,
            can_add=user.has_perm("awards.add_model"),
        )
        return context


class ModelCreateView(RulePermissionMixin, TemplateView):
    permission_required = "awards.add_model"
    template_name = "awards/model_form.html"

    def get_form(self):
        units = units_prepared_by(self.request.user)
        if self.request.method == "POST":
            return ModelProposalForm(self.request.POST, self.request.FILES, units=units)
        return ModelProposalForm(units=units, initial={"organization": units.first()})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            data = form.cleaned_data
            model = apply_service(
                form,
                services.model_propose,
                by=request.user,
                organization=data["organization"],
                title=data["title"],
                subject=data["subject"],
                story=data["story"],
                photo=data["photo"],
            )
            if model is not None:
                messages.success(
                    request, _("The advanced model was proposed; provincial staff publish it.")
                )
                return redirect(model.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class ModelMixin(ObjectPermissionMixin):
    permission_required = "awards.view_model"

    def get_visible_queryset(self):
        return selectors.visible_models(self.request.user)


class ModelDetailView(ModelMixin, TemplateView):
    template_name = "awards/model_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            model=self.object,
            can_publish=self.request.user.has_perm("awards.publish_model", self.object),
        )
        return context


class ModelPublishView(ModelMixin, View):
    http_method_names = ["post"]
    permission_required = "awards.publish_model"

    def post(self, request, *args, **kwargs):
        withdraw = request.POST.get("action") == "withdraw"
        service = services.model_withdraw if withdraw else services.model_publish
        try:
            service(model=self.object, by=request.user)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(
                request,
                _("The advanced model was withdrawn from the public page.")
                if withdraw
                else _("The advanced model is published on the public page."),
            )
        return redirect(self.object.get_absolute_url())


class ModelPhotoView(View):
    """A model's photo: anyone for a published model, otherwise only those who may see it."""

    def get(self, request, model_id):
        model = get_object_or_404(ExemplaryModel, pk=model_id)
        if not model.is_published and not (
            request.user.is_authenticated and request.user.has_perm("awards.view_model", model)
        ):
            raise Http404
        if not model.photo:
            raise Http404
        response = HttpResponse(_read(model.photo), content_type=model.photo_content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "public, max-age=3600" if model.is_published else "private"
        return response


class GalleryView(TemplateView):
    """The public page of published advanced models, for the federation's website."""

    template_name = "awards/gallery.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.published_models(), 12).get_page(self.request.GET.get("page"))
        context.update(page=page, models=list(page))
        return context


class GalleryDetailView(TemplateView):
    template_name = "awards/gallery_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["model"] = get_object_or_404(
            selectors.published_models(), pk=self.kwargs["model_id"]
        )
        return context


class GalleryFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Advanced models")
    subtitle = gettext_lazy("Exemplary people and collectives of the emulation campaigns")
    link = reverse_lazy("awards:gallery")

    def items(self):
        return selectors.published_models()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.subject} ({item.organization.name}). {item.story[:600]}"

    def item_link(self, item):
        return item.get_public_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organization.name


# ---------------------------------------------------------------------------------------------
# The catalogue.


class CatalogueView(LoginRequiredMixin, TemplateView):
    template_name = "awards/catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["award_types"] = list(
            AwardType.objects.filter(is_active=True).select_related("granting_unit")
        )
        return context


# ---------------------------------------------------------------------------------------------
# Plaques for registered key works.


class PlaqueListView(RulePermissionMixin, TemplateView):
    permission_required = "awards.manage_plaques"
    template_name = "awards/plaque_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plaques = selectors.visible_plaques(user)
        candidates = selectors.plaque_candidates(user)
        page = Paginator(candidates, 50).get_page(self.request.GET.get("page"))
        context.update(
            plaques=list(plaques),
            candidates=list(page),
            page=page,
            attach_form=AttachForm(initial={"attached_on": timezone.localdate()}),
        )
        return context


class PlaquesXlsxView(RulePermissionMixin, View):
    permission_required = "awards.manage_plaques"

    def get(self, request):
        return exports.plaques_xlsx(selectors.visible_plaques(request.user))


class PlaqueGrantView(RulePermissionMixin, View):
    permission_required = "awards.manage_plaques"
    http_method_names = ["post"]

    def post(self, request, key_work_id):
        work = get_object_or_404(selectors.visible_key_works(request.user), pk=key_work_id)
        try:
            services.plaque_grant(by=request.user, key_work=work, note=request.POST.get("note", ""))
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("“%(work)s” will bear a plaque.") % {"work": work.name})
        return redirect("awards:plaques")


class PlaqueAttachView(RulePermissionMixin, View):
    permission_required = "awards.manage_plaques"
    http_method_names = ["post"]

    def post(self, request, pk):
        plaque = get_object_or_404(selectors.visible_plaques(request.user), pk=pk)
        form = AttachForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please enter the day it was attached as dd/mm/yyyy."))
            return redirect("awards:plaques")
        try:
            services.plaque_attach(
                plaque=plaque, by=request.user, attached_on=form.cleaned_data["attached_on"]
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("The day the plaque was attached was recorded."))
        return redirect("awards:plaques")
