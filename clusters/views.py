"""Pages of the emulation clusters and blocks. Views stay thin: they find the cluster, check
the rule, hand what was posted to a service and show its answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from clusters import documents, exports, selectors
from clusters.forms import AgreementForm, ClusterForm, MemberForm, RoleForm, ScoreForm
from clusters.models import Agreement, Cluster, ClusterMember, ClusterScore
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
from emulation.documents import pdf_response
from emulation.params import to_int
from emulation.review.views import ReviewView
from emulation.spreadsheets import XLSX_TYPE
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
        return render(
            self.request,
            "clusters/index.html",
            {"clusters": clusters.order_by("forming_unit__path", "kind", "name"), "form": form},
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

    def form(self, data=None):
        scores = {
            s.criterion_id: s
            for s in ClusterScore.objects.filter(
                criterion__agreement=self.agreement, scorer=self.scorer, scored=self.scored
            )
        }
        return ScoreForm(
            data,
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
            },
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                scores_save(
                    actor=request.user,
                    agreement=self.agreement,
                    scorer=self.scorer,
                    scored=self.scored,
                    entries=form.entries(),
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
