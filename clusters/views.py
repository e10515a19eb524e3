"""Pages of the emulation clusters and blocks. Views stay thin: they find the cluster, check
the rule, hand what was posted to a service and show its answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from awards.models import AwardType, NomineeKind
from campaigns.models import Campaign, CampaignStatus
from clusters import documents, exports, selectors
from clusters.forms import (
    AgreementForm,
    ClusterForm,
    MemberForm,
    RoleForm,
    ScoreForm,
    SummaryForm,
    VoteOpenForm,
)
from clusters.models import (
    Agreement,
    Cluster,
    ClusterMember,
    ClusterScore,
    ClusterSummary,
    ClusterVote,
    MemberRole,
    ScoreEvidence,
)
from clusters.services.agreements import (
    acts_for,
    agreement_accept,
    agreement_draft,
    leader_of,
    may_score,
    points_text,
    scores_save,
)
from clusters.services.membership import cluster_create, member_add, member_remove, role_set
from clusters.services.summaries import (
    may_write,
    summary_approve,
    summary_return,
    summary_save,
    summary_submit,
)
from clusters.services.votes import ballot_cast, vote_close, vote_open
from emulation.documents import pdf_response
from emulation.mixins import posted_version
from emulation.params import to_int
from emulation.review.forms import CommentForm
from emulation.review.views import ReviewView
from emulation.spreadsheets import XLSX_TYPE
from emulation.uploads import stored_file_response
from emulation.workflow import ReviewStatus
from federation.models import Membership, Organization, Role, subtrees_q


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class IndexView(ReviewView):
    """The clusters of the person's units and those formed in the branches they read."""

    def load(self, **kwargs):
        pass

    def get(self, request, *args, **kwargs):
        return self.render_page(None)

    def staff_units(self):
        return Organization.objects.filter(
            pk__in=Membership.objects.filter(user=self.request.user, role=Role.STAFF).values(
                "organization_id"
            )
        )

    def render_page(self, form):
        user = self.request.user
        memberships = list(Membership.objects.filter(user=user).select_related("organization"))
        own = [m.organization_id for m in memberships]
        readers = [m.organization for m in memberships if m.role in (Role.LEADER, Role.STAFF)]
        clusters = Cluster.objects.select_related("forming_unit")
        if not user.is_superuser:
            condition = Q(members__organization_id__in=own)
            if readers:
                condition |= subtrees_q(readers, "forming_unit__")
            clusters = clusters.filter(condition).distinct()
        staff_units = self.staff_units() if not user.is_superuser else Organization.objects.all()
        if form is None and (user.is_superuser or staff_units.exists()):
            form = ClusterForm(units=staff_units, initial={"term_start": self.today.year})
        year = to_int(self.request.GET.get("year", ""), maximum=9999) or self.today.year
        rows = selectors.overview(clusters.order_by("forming_unit__path", "kind", "name"), year)
        summaries = dict(
            ClusterSummary.objects.filter(
                cluster_id__in=[r.cluster.pk for r in rows], year=year
            ).values_list("cluster_id", "status")
        )
        for row in rows:
            row.summary_status = summaries.get(row.cluster.pk, "")
        return render(
            self.request,
            "clusters/index.html",
            {
                "rows": rows,
                "year": year,
                "years": range(year - 2, year + 2),
                "form": form,
                "statuses": dict(ReviewStatus.choices),
            },
        )

    def post(self, request, *args, **kwargs):
        units = self.staff_units() if not request.user.is_superuser else Organization.objects.all()
        form = ClusterForm(request.POST, units=units)
        if form.is_valid():
            try:
                cluster = cluster_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The cluster was created."))
                return redirect(cluster)
        return self.render_page(form)


class ClusterMixin(ReviewView):
    permission_required = "clusters.view_cluster"

    def load(self, *, pk, year=None, **kwargs):
        self.cluster = get_object_or_404(Cluster.objects.select_related("forming_unit"), pk=pk)
        value = year or self.request.GET.get("year", "")
        value = to_int(value, maximum=9999) or self.today.year
        self.year = min(max(value, self.cluster.term_start), self.cluster.term_end)

    def permission_object(self):
        return self.cluster

    def back(self):
        return redirect(f"{self.cluster.get_absolute_url()}?year={self.year}")


class ClusterView(ClusterMixin):
    def get(self, request, *args, **kwargs):
        return self.render_page(MemberForm())

    def render_page(self, member_form):
        user = self.request.user
        page = selectors.cluster_page(self.cluster, self.year)
        mine = (
            {m.organization_id for m in user.memberships.all()} if not user.is_superuser else None
        )
        for row in page.rows:
            row.mine = user.is_superuser or row.unit.pk in mine
        return render(
            self.request,
            "clusters/cluster.html",
            {
                "cluster": self.cluster,
                "page": page,
                "year": self.year,
                "years": range(self.cluster.term_start, self.cluster.term_end + 1),
                "manage": user.has_perm("clusters.manage_cluster", self.cluster),
                "member_form": member_form,
                "leads": page.leader is not None and (user.is_superuser or page.leader.pk in mine),
                "votes": selectors.votes_of(self.cluster, self.year),
                "summary": ClusterSummary.objects.filter(
                    cluster=self.cluster, year=self.year
                ).first(),
                "chart": selectors.chart_data(page),
            },
        )


class ManageMixin(ClusterMixin):
    permission_required = "clusters.manage_cluster"
    http_method_names = ["post"]


class MemberAddView(ManageMixin):
    def post(self, request, *args, **kwargs):
        form = MemberForm(request.POST)
        if form.is_valid():
            try:
                member_add(
                    actor=request.user,
                    cluster=self.cluster,
                    organization=form.cleaned_data["unit"],
                    year=self.year,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The member was added."))
                return self.back()
        view = ClusterView()
        view.request, view.cluster, view.year = request, self.cluster, self.year
        return view.render_page(form)


class MemberView(ManageMixin):
    def load(self, *, member_id, **kwargs):
        super().load(**kwargs)
        self.member = get_object_or_404(ClusterMember, pk=member_id, cluster=self.cluster)
        self.year = self.member.year


class MemberRemoveView(MemberView):
    def post(self, request, *args, **kwargs):
        member_remove(actor=request.user, member=self.member)
        messages.success(request, _("The member was removed."))
        return self.back()


class RoleView(MemberView):
    def post(self, request, *args, **kwargs):
        form = RoleForm(request.POST)
        if form.is_valid():
            role_set(actor=request.user, member=self.member, role=form.cleaned_data["role"])
            messages.success(request, _("The roles of the year were saved."))
        return self.back()


class AgreementView(ClusterMixin):
    """The leader drafts the agreement (criteria and points) until a member accepts it."""

    def load(self, **kwargs):
        super().load(**kwargs)
        leader = leader_of(self.cluster, self.year)
        if leader is None or not acts_for(self.request.user, leader):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        agreement = Agreement.objects.filter(cluster=self.cluster, year=self.year).first()
        initial = {}
        if agreement is not None:
            initial = {
                "criteria": "\n".join(
                    f"{c.title} | {points_text(c.max_points)}" for c in agreement.criteria.all()
                ),
                "aggregate": agreement.aggregate,
            }
        return self.render_page(AgreementForm(initial=initial))

    def render_page(self, form):
        return render(
            self.request,
            "clusters/agreement_form.html",
            {"cluster": self.cluster, "year": self.year, "form": form},
        )

    def post(self, request, *args, **kwargs):
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                agreement_draft(
                    actor=request.user,
                    cluster=self.cluster,
                    year=self.year,
                    criteria=form.cleaned_data["criteria"],
                    aggregate=form.cleaned_data["aggregate"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The agreement was saved."))
                return self.back()
        return self.render_page(form)


class AcceptView(ClusterMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        agreement = get_object_or_404(Agreement, cluster=self.cluster, year=self.year)
        value = request.POST.get("unit", "")
        unit = get_object_or_404(Organization, pk=to_int(value) or 0)
        try:
            agreement_accept(actor=request.user, agreement=agreement, organization=unit)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(unit)s accepted the agreement.") % {"unit": unit.name})
        return self.back()


class AgreementPdfView(ClusterMixin):
    def get(self, request, *args, **kwargs):
        agreement = Agreement.objects.filter(cluster=self.cluster, year=self.year).first()
        if agreement is None:
            raise Http404
        pdf = documents.agreement_pdf(agreement)
        return pdf_response(pdf, f"giao-uoc-{self.cluster.pk}-{self.year}.pdf")


class ScoreView(ClusterMixin):
    """A member scores itself (with evidence); the leader scores another member."""

    def load(self, *, scored_id, **kwargs):
        super().load(**kwargs)
        self.agreement = Agreement.objects.filter(cluster=self.cluster, year=self.year).first()
        members = {
            m.organization_id: m.organization
            for m in ClusterMember.objects.filter(
                cluster=self.cluster, year=self.year
            ).select_related("organization")
        }
        self.scored = members.get(scored_id)
        if self.agreement is None or self.scored is None or self.agreement.agreed_at is None:
            raise Http404
        user = self.request.user
        own = self.scored.pk in {m.organization_id for m in user.memberships.all()}
        self.scorer = (
            self.scored if own or user.is_superuser else leader_of(self.cluster, self.year)
        )
        if self.scorer is None or not may_score(user, self.agreement, self.scorer, self.scored):
            raise Http404

    def form(self, data=None, files=None):
        scores = {
            s.criterion_id: s
            for s in ClusterScore.objects.filter(
                criterion__agreement=self.agreement, scorer=self.scorer, scored=self.scored
            )
        }
        return ScoreForm(
            data,
            files,
            criteria=list(self.agreement.criteria.all()),
            with_evidence=self.scorer == self.scored,
            initial_scores=scores,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(self.form())

    def render_page(self, form):
        return render(
            self.request,
            "clusters/score_form.html",
            {
                "cluster": self.cluster,
                "year": self.year,
                "form": form,
                "scorer": self.scorer,
                "scored": self.scored,
                "evidence": ScoreEvidence.objects.filter(
                    agreement=self.agreement, organization=self.scored
                ).select_related("criterion"),
            },
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                scores_save(
                    actor=request.user,
                    agreement=self.agreement,
                    scorer=self.scorer,
                    scored=self.scored,
                    entries=form.entries(),
                    files=form.files_by_criterion() if self.scorer == self.scored else None,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The scores were saved."))
                return self.back()
        return self.render_page(form)


class XlsxView(ClusterMixin):
    def get(self, request, *args, **kwargs):
        page = selectors.cluster_page(self.cluster, self.year)
        response = HttpResponse(exports.cluster_xlsx(self.cluster, page), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"cum-thi-dua-{self.cluster.pk}-{self.year}.xlsx"
        )
        return response


class VoteOpenView(ClusterMixin):
    """The leader opens the year's vote (suy tôn) for one award of a campaign."""

    def load(self, **kwargs):
        super().load(**kwargs)
        leader = leader_of(self.cluster, self.year)
        if leader is None or not acts_for(self.request.user, leader):
            raise PermissionDenied

    def build_form(self, data=None):
        forming = self.cluster.forming_unit
        step = Organization.steplen
        paths = [forming.path[:i] for i in range(step, len(forming.path) + 1, step)]
        campaigns = Campaign.objects.filter(year=self.year, issuer__path__in=paths).exclude(
            status=CampaignStatus.DRAFT
        )
        awards = AwardType.objects.filter(
            is_active=True,
            nominee_kind=NomineeKind.COLLECTIVE,
            granting_unit__path__in=paths,
        )
        members = ClusterMember.objects.filter(cluster=self.cluster, year=self.year).select_related(
            "organization"
        )
        return VoteOpenForm(data, campaigns=campaigns, awards=awards, members=members)

    def get(self, request, *args, **kwargs):
        return self.render_page(self.build_form())

    def render_page(self, form):
        return render(
            self.request,
            "clusters/vote_open.html",
            {"cluster": self.cluster, "year": self.year, "form": form},
        )

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                vote = vote_open(
                    actor=request.user,
                    cluster=self.cluster,
                    year=self.year,
                    campaign=data["campaign"],
                    award_type=data["award_type"],
                    threshold=data["threshold"],
                    candidate_ids=data["candidates"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The vote is open."))
                return redirect("clusters:vote", self.cluster.pk, vote.pk)
        return self.render_page(form)


class VoteMixin(ClusterMixin):
    def load(self, *, vote_id, **kwargs):
        super().load(**kwargs)
        self.vote = get_object_or_404(
            ClusterVote.objects.select_related("award_type", "campaign"),
            pk=vote_id,
            cluster=self.cluster,
        )
        self.year = self.vote.year

    def back(self):
        return redirect("clusters:vote", self.cluster.pk, self.vote.pk)


class VoteView(VoteMixin):
    """The vote: its candidates, the units that voted (never how), the ballot of each of the
    person's member units that has not voted, and the totals once closed."""

    def get(self, request, *args, **kwargs):
        user = request.user
        members = list(
            ClusterMember.objects.filter(cluster=self.cluster, year=self.year).select_related(
                "organization"
            )
        )
        voted = {b.organization_id: b for b in self.vote.ballots.select_related("organization")}
        candidates = list(
            self.vote.candidates.select_related(
                "organization",
                "nomination__nominating_unit",
                "nomination__award_type__granting_unit",
            )
        )
        for c in candidates:
            # The link only for who may open the nomination (the rules read the rows selected
            # above and the person's memberships, read once: no query per candidate).
            c.nomination_visible = c.nomination is not None and user.has_perm(
                "awards.view_nomination", c.nomination
            )
        mine = {m.organization_id for m in user.memberships.all()}
        to_vote = [
            m.organization
            for m in members
            if m.organization_id not in voted
            and (user.is_superuser or m.organization_id in mine)
            and acts_for(user, m.organization)
        ]
        leader = next((m.organization for m in members if m.role == MemberRole.LEADER), None)
        may_close = (leader is not None and acts_for(user, leader)) or user.has_perm(
            "clusters.manage_cluster", self.cluster
        )
        base = self.vote.member_count if not self.vote.is_open else len(members)
        return render(
            request,
            "clusters/vote.html",
            {
                "cluster": self.cluster,
                "year": self.year,
                "vote": self.vote,
                "members": members,
                "voted": voted,
                "candidates": candidates,
                "to_vote": to_vote if self.vote.is_open else [],
                "may_close": may_close and self.vote.is_open,
                "base": base,
            },
        )


class BallotView(VoteMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        unit = get_object_or_404(Organization, pk=to_int(request.POST.get("unit", "")) or 0)
        approved = [v for v in (to_int(x) for x in request.POST.getlist("approve")) if v]
        try:
            ballot_cast(actor=request.user, vote=self.vote, organization=unit, approved=approved)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The ballot of %(unit)s was cast.") % {"unit": unit.name})
        return self.back()


class VoteCloseView(VoteMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            vote_close(actor=request.user, vote=self.vote)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The vote is closed and counted."))
        return self.back()


class SummaryView(ClusterMixin):
    """The leader's summary of the year: written and sent by the leader, approved or returned
    by the forming federation's staff."""

    def load(self, **kwargs):
        super().load(**kwargs)
        self.summary = ClusterSummary.objects.filter(cluster=self.cluster, year=self.year).first()
        self.writes = may_write(self.request.user, self.cluster, self.year)

    def build_form(self, data=None):
        initial = {}
        if self.summary is not None:
            initial = {"text": self.summary.text, "version": self.summary.version}
        return SummaryForm(data, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_page(self.build_form())

    def render_page(self, form):
        editable = self.writes and (self.summary is None or self.summary.is_editable)
        return render(
            self.request,
            "clusters/summary.html",
            {
                "cluster": self.cluster,
                "year": self.year,
                "summary": self.summary,
                "form": form if editable else None,
                "reviews": self.summary is not None
                and self.summary.is_submitted
                and self.request.user.has_perm("clusters.manage_cluster", self.cluster),
            },
        )

    def post(self, request, *args, **kwargs):
        if not self.writes:
            raise PermissionDenied
        form = self.build_form(request.POST)
        if form.is_valid():
            try:
                summary = summary_save(
                    actor=request.user,
                    cluster=self.cluster,
                    year=self.year,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
                if request.POST.get("action") == "submit":
                    summary_submit(summary, by=request.user, expected_version=summary.version)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if request.POST.get("action") == "submit":
                    messages.success(
                        request,
                        _("The summary was sent to %(unit)s.")
                        % {"unit": self.cluster.forming_unit.name},
                    )
                else:
                    messages.success(request, _("The draft was saved."))
                return redirect("clusters:summary", self.cluster.pk, self.year)
        return self.render_page(form)


class SummaryReviewMixin(ClusterMixin):
    permission_required = "clusters.manage_cluster"

    def load(self, **kwargs):
        super().load(**kwargs)
        self.summary = get_object_or_404(ClusterSummary, cluster=self.cluster, year=self.year)

    def back(self):
        return redirect("clusters:summary", self.cluster.pk, self.year)


class SummaryApproveView(SummaryReviewMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            summary_approve(self.summary, by=request.user, expected_version=posted_version(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The summary was approved."))
        return self.back()


class SummaryReturnView(SummaryReviewMixin):
    def render_page(self, form):
        return render(
            self.request,
            "clusters/summary_return.html",
            {
                "cluster": self.cluster,
                "year": self.year,
                "form": form,
                "heading": _("Return the summary of %(cluster)s") % {"cluster": self.cluster.name},
                "action": "return",
                "next": reverse("clusters:summary", args=[self.cluster.pk, self.year]),
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(CommentForm(initial={"version": self.summary.version}))

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                summary_return(
                    self.summary,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The summary was returned to the cluster leader."))
                return self.back()
        return self.render_page(form)


class SummaryPdfView(ClusterMixin):
    """The year's summary of the cluster as an official document: members, scores, ranks and
    the votes' results."""

    def get(self, request, *args, **kwargs):
        page = selectors.cluster_page(self.cluster, self.year)
        summary = ClusterSummary.objects.filter(cluster=self.cluster, year=self.year).first()
        votes = selectors.votes_of(self.cluster, self.year)
        pdf = documents.summary_pdf(self.cluster, self.year, page, summary, votes)
        return pdf_response(pdf, f"tong-ket-cum-{self.cluster.pk}-{self.year}.pdf")


class EvidenceView(ClusterMixin):
    """An evidence file of a self-score, only through this view (never a public media URL),
    to the people who see the cluster."""

    def load(self, *, file_id, **kwargs):
        super().load(**kwargs)
        self.record = get_object_or_404(ScoreEvidence, pk=file_id, agreement__cluster=self.cluster)

    def get(self, request, *args, **kwargs):
        return stored_file_response(request, self.record)
