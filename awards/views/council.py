"""Pages of the council: sessions, the ballot, the minutes and the ballots as PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from awards import documents, selectors
from awards.forms import AttendanceForm, BallotForm, SessionForm, WrittenOpinionForm
from awards.services.council import (
    attendance_record,
    ballot_cast,
    session_close,
    session_open,
    written_opinion_record,
)
from awards.views.common import PER_PAGE, _errors_to_messages
from emulation.confirm import Affected, Confirmation, confirmation_page, is_confirmed
from emulation.documents import pdf_response
from emulation.mixins import ObjectPermissionMixin, RulePermissionMixin, apply_service


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
        context.update(
            page=page,
            sessions=list(page),
            waiting=selectors.waiting_for_council(user),
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
        return selectors.council_candidates(self.unit)

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
                session_open,
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
        state = selectors.session_state(self.request.user, session)
        if state.can_vote and state.to_vote:
            context.setdefault("ballot_form", BallotForm(items=state.to_vote))
        absent = [m for m in state.members if not m.attended and not m.written_opinion]
        if state.can_manage and session.is_open:
            context.setdefault("attendance_form", AttendanceForm(members=state.members))
            if absent:
                context.setdefault(
                    "written_form", WrittenOpinionForm(members=absent, items=state.items)
                )
        context.update(
            members=state.members,
            counted=state.counted,
            quorum_met=state.quorum_met,
            session=session,
            items=state.items,
            can_vote=state.can_vote,
            voted_all=state.voted_all,
            can_manage=state.can_manage,
            voters=state.voters,
            decisions=list(session.decisions.all()),
            approved_awards=state.approved_awards,
        )
        return context


class SessionVoteView(SessionDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.object
        items = list(session.items.select_related("nomination__nominee_unit"))
        form = BallotForm(request.POST, items=items)
        form.is_valid()
        try:
            count = ballot_cast(session=session, by=request.user, choices=form.choices())
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(
                request, _("Your ballot was recorded (%(count)s votes).") % {"count": count}
            )
        return redirect(session.get_absolute_url())


class SessionAttendanceView(SessionDetailView):
    """The secretary records who attends the meeting."""

    http_method_names = ["post"]
    permission_required = "awards.change_session"

    def post(self, request, *args, **kwargs):
        session = self.object
        form = AttendanceForm(request.POST, members=list(session.members.all()))
        if form.is_valid():
            present = apply_service(
                form,
                attendance_record,
                session=session,
                by=request.user,
                attending=[int(pk) for pk in form.cleaned_data["attending"]],
            )
            if present is not None:
                messages.success(
                    request,
                    _("Attendance recorded: %(present)s of %(members)s members present.")
                    % {"present": present, "members": session.member_count},
                )
                return redirect(session.get_absolute_url())
        return self.render_to_response(self.get_context_data(attendance_form=form))


class SessionWrittenOpinionView(SessionDetailView):
    """The secretary enters an absent member's written opinion as that member's ballot."""

    http_method_names = ["post"]
    permission_required = "awards.change_session"

    def post(self, request, *args, **kwargs):
        session = self.object
        absent = list(session.members.filter(attended=False, written_opinion=False))
        items = list(session.items.select_related("nomination__nominee_unit"))
        form = WrittenOpinionForm(request.POST, members=absent, items=items)
        if form.is_valid():
            member = form.member()
            count = apply_service(
                form,
                written_opinion_record,
                session=session,
                by=request.user,
                member=member,
                choices=form.choices(),
            )
            if count is not None:
                messages.success(
                    request,
                    _("The written opinion of %(name)s was entered as a ballot.")
                    % {"name": member.name},
                )
                return redirect(session.get_absolute_url())
        return self.render_to_response(self.get_context_data(written_form=form))


class SessionCloseView(SessionMixin, View):
    """Close the session and count the ballots, after the confirmation page."""

    http_method_names = ["post"]
    permission_required = "awards.change_session"

    def confirmation(self, session) -> Confirmation:
        state = selectors.session_state(self.request.user, session)
        count = len(state.items)
        return Confirmation(
            question=_("Close “%(session)s” and count the ballots?") % {"session": session.title},
            consequences=[
                _(
                    "Voting ends: %(voters)s of %(members)s council members have voted; those "
                    "who have not can no longer vote."
                )
                % {"voters": state.voters, "members": session.member_count},
                _(
                    "Each share is taken of all %(members)s members, not of the votes cast: a "
                    "member who did not vote counts against."
                )
                % {"members": session.member_count},
                ngettext(
                    "The %(count)s nomination is decided by its ballots: approved when it "
                    "reaches its award's threshold, otherwise returned to its unit as rejected.",
                    "Each of the %(count)s nominations is decided by its ballots: approved when "
                    "it reaches its award's threshold, otherwise returned to its unit as "
                    "rejected.",
                    count,
                )
                % {"count": count},
                _("A closed session cannot be opened again."),
            ],
            button=_("Close and count"),
            cancel_url=session.get_absolute_url(),
            affected=[
                Affected(
                    label=item.nomination.nominee_name,
                    detail=ngettext(
                        "%(award)s · %(count)s ballot",
                        "%(award)s · %(count)s ballots",
                        item.ballots,
                    )
                    % {"award": item.nomination.award_type.name, "count": item.ballots},
                    url=item.nomination.get_absolute_url(),
                )
                for item in state.items
            ],
            affected_title=_("Nominations decided"),
            danger=True,
        )

    def post(self, request, *args, **kwargs):
        if not is_confirmed(request):
            if not self.object.is_open:
                messages.error(request, _("The session is already closed."))
                return redirect(self.object.get_absolute_url())
            return confirmation_page(
                request, self.confirmation(self.object), base_template="awards/base.html"
            )
        try:
            session_close(session=self.object, by=request.user)
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
