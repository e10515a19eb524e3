from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from emulation.audit import audit_history
from emulation.confirm import Confirmation, confirmation_page, is_confirmed
from emulation.mixins import ObjectPermissionMixin, RulePermissionMixin, apply_service
from federation import selectors
from federation.forms import (
    DepartmentForm,
    ImportForm,
    MemberForm,
    TreeSearchForm,
    UnitForm,
    UnitPickForm,
)
from federation.models import Membership, Organization, OrganizationKind, Role
from federation.rules import is_subtree_reader
from federation.services.imports import organizations_import
from federation.services.people import (
    department_create,
    membership_add_person,
    membership_remove,
    users_import,
)
from federation.services.units import (
    organization_create,
    organization_delete,
    organization_merge,
    organization_move,
    organization_update,
)

CHILDREN_PER_PAGE = 100


class UnitMixin(ObjectPermissionMixin):
    permission_required = "federation.view_unit"

    def get_visible_queryset(self):
        return Organization.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        ancestors = list(self.object.ancestors_chain())
        for ancestor in ancestors:
            ancestor.link = user.has_perm("federation.view_unit", ancestor)
        context.update(
            unit=self.object,
            ancestors=ancestors,
            can_manage=user.has_perm("federation.manage_unit", self.object),
            can_restructure=user.has_perm("federation.restructure_unit", self.object),
        )
        return context


class MyUnitView(LoginRequiredMixin, View):
    """The first unit of the user; a page saying so when the user belongs to none."""

    def get(self, request):
        unit = selectors.units_of(request.user).first()
        if unit is None:
            if request.user.is_superuser:
                return redirect("federation:tree")
            return render(request, "federation/no_unit.html")
        return redirect(unit.get_absolute_url())


class UnitDetailView(UnitMixin, DetailView):
    template_name = "federation/unit_detail.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        user = self.request.user
        sees_subtree = user.is_superuser or is_subtree_reader(user, unit)
        if sees_subtree:
            children, totals = selectors.children_with_rollup(unit)
            page = Paginator(children.filter(is_active=True), CHILDREN_PER_PAGE).get_page(
                self.request.GET.get("page")
            )
            context["children_page"] = page
            context["children"] = [(child, totals.get(child.path, {})) for child in page]
            context["totals"] = {
                "grassroots": sum(t["grassroots"] for t in totals.values()),
                "members": sum(t["members"] or 0 for t in totals.values()),
            }
            context["merged_units"] = unit.merged_units.all()
        context["sees_subtree"] = sees_subtree
        context["memberships"] = unit.memberships.select_related("user", "department").order_by(
            "role", "user__full_name"
        )
        context["departments"] = unit.departments.all()
        context["my_units"] = list(selectors.units_of(user)[:20])
        return context


class UnitHistoryView(UnitMixin, DetailView):
    template_name = "federation/unit_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = audit_history(self.object)[:200]
        return context


class TreeView(RulePermissionMixin, TemplateView):
    """The searchable tree of the units the user may see."""

    permission_required = "federation.browse_tree"
    template_name = "federation/tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = TreeSearchForm(self.request.GET or None)
        visible = Organization.objects.visible_to(user)
        context["form"] = form
        if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["kind"]):
            query = form.cleaned_data["q"].strip()
            results = visible
            if query:
                results = results.search(query)
            if form.cleaned_data["kind"]:
                results = results.filter(kind=form.cleaned_data["kind"])
            page = Paginator(results.order_by("path"), 50).get_page(self.request.GET.get("page"))
            chains = selectors.ancestor_names(list(page))
            context["results"] = [(unit, chains[unit.pk]) for unit in page]
            context["results_page"] = page
            context["searching"] = True
        else:
            if user.is_superuser:
                roots = Organization.objects.filter(depth=1)
            else:
                roots = selectors.units_of(user).filter(
                    memberships__user=user, memberships__role__in=("leader", "staff")
                )
            context["roots"] = roots
        return context


class TreeChildrenView(UnitMixin, DetailView):
    """The children of one unit, loaded into the tree when it is opened (htmx)."""

    template_name = "federation/_tree_children.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        children, totals = selectors.children_with_rollup(self.object)
        page = Paginator(children.filter(is_active=True), CHILDREN_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context["children"] = [(child, totals.get(child.path, {})) for child in page]
        context["children_page"] = page
        return context


class UnitLookupView(LoginRequiredMixin, View):
    """Suggestions for a unit-code field: ``<option>`` rows of the units the user may see."""

    def get(self, request):
        # htmx sends the value under the field's own name; take the first one given.
        query = next((value.strip() for value in request.GET.values() if value.strip()), "")
        units = []
        if len(query) >= 2:
            units = (
                Organization.objects.visible_to(request.user)
                .filter(is_active=True)
                .search(query)
                .order_by("depth", "name")[:20]
            )
        return render(request, "federation/_unit_options.html", {"units": units})


class UnitEditView(UnitMixin, FormView):
    permission_required = "federation.manage_unit"
    template_name = "federation/unit_form.html"
    form_class = UnitForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.object,
            "user": self.request.user,
            "parent": self.object.parent_unit(),
        }

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.fields if name != "shown"}
        # Restore the instance: ModelForm validation wrote the new values into it.
        self.object.refresh_from_db()
        saved = apply_service(
            form,
            organization_update,
            org=self.object,
            by=self.request.user,
            data=data,
            shown=form.shown,
        )
        if saved is None:
            form.after_refusal(self.object)
            return self.form_invalid(form)
        messages.success(self.request, _("The unit was saved."))
        return redirect(self.object.get_absolute_url())


class UnitAddChildView(UnitMixin, FormView):
    permission_required = "federation.manage_unit"
    template_name = "federation/unit_form.html"
    form_class = UnitForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "parent": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "adding_child": True}

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.fields if name != "shown"}
        child = apply_service(
            form, organization_create, parent=self.object, by=self.request.user, data=data
        )
        if child is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The unit %(name)s was added.") % {"name": child.name})
        return redirect(child.get_absolute_url())


class _UnitPickView(UnitMixin, FormView):
    permission_required = "federation.restructure_unit"
    template_name = "federation/unit_pick.html"
    field_name = ""
    label = ""
    help_text = ""

    def get_form(self, form_class=None):
        return UnitPickForm(
            **self.get_form_kwargs(),
            user=self.request.user,
            field_name=self.field_name,
            label=self.label,
            help_text=self.help_text,
        )


class UnitMoveView(_UnitPickView):
    field_name = "new_parent"

    def get_form(self, form_class=None):
        self.label = _("Code of the new parent unit")
        self.help_text = _("The unit moves with all the units below it.")
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": "move"}

    def form_valid(self, form):
        moved = apply_service(
            form,
            organization_move,
            org=self.object,
            new_parent=form.cleaned_data["new_parent"],
            by=self.request.user,
        )
        if moved is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(unit)s now stands under %(parent)s.")
            % {"unit": moved.name, "parent": form.cleaned_data["new_parent"].name},
        )
        return redirect(moved.get_absolute_url())


class UnitMergeView(_UnitPickView):
    field_name = "target"

    def get_form(self, form_class=None):
        self.label = _("Code of the unit that absorbs this one")
        self.help_text = _(
            "Its child units, people and records move to that unit; this unit stays in the "
            "history as merged."
        )
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": "merge"}

    def form_valid(self, form):
        target = apply_service(
            form,
            organization_merge,
            source=self.object,
            target=form.cleaned_data["target"],
            by=self.request.user,
        )
        if target is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(unit)s was merged into %(target)s.")
            % {"unit": self.object.name, "target": target.name},
        )
        return redirect(target.get_absolute_url())


class UnitDeleteView(UnitMixin, TemplateView):
    permission_required = "federation.restructure_unit"
    template_name = "federation/unit_delete.html"

    def post(self, request, *args, **kwargs):
        parent = self.object.parent_unit()
        try:
            organization_delete(org=self.object, by=request.user)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(error=exc.messages[0]))
        messages.success(request, _("The unit %(name)s was deleted.") % {"name": self.object.name})
        return redirect(parent.get_absolute_url() if parent else reverse("federation:tree"))


class MemberAddView(UnitMixin, FormView):
    permission_required = "federation.manage_unit"
    template_name = "federation/member_form.html"
    form_class = MemberForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.object}

    def form_valid(self, form):
        data = form.cleaned_data
        membership = apply_service(
            form,
            membership_add_person,
            org=self.object,
            email=data["email"],
            full_name=data.get("full_name") or "",
            role=data["role"],
            department=data.get("department"),
            by=self.request.user,
        )
        if membership is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s now has the role %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display()},
        )
        return redirect(self.object.get_absolute_url())


class MemberRemoveView(UnitMixin, View):
    permission_required = "federation.manage_unit"

    def confirmation(self, membership) -> Confirmation:
        unit = self.object
        names = {
            "name": membership.user.get_full_name(),
            "role": membership.get_role_display(),
            "unit": unit.name,
        }
        return Confirmation(
            question=_("Remove the role %(role)s of %(name)s?") % names,
            consequences=[
                _(
                    "%(name)s no longer acts as %(role)s of %(unit)s: what the role lets them "
                    "see and do there ends now. The role can be given again later."
                )
                % names
            ],
            button=_("Remove the role"),
            cancel_url=unit.get_absolute_url(),
            danger=True,
        )

    def post(self, request, pk, membership_id):
        membership = get_object_or_404(
            Membership.objects.select_related("user"), pk=membership_id, organization=self.object
        )
        if not is_confirmed(request):
            return confirmation_page(request, self.confirmation(membership))
        membership_remove(membership=membership, by=request.user)
        messages.success(
            request, _("%(name)s no longer has a role in this unit.") % {"name": membership.user}
        )
        return HttpResponseRedirect(self.object.get_absolute_url())


class DepartmentAddView(UnitMixin, FormView):
    permission_required = "federation.manage_unit"
    template_name = "federation/department_form.html"
    form_class = DepartmentForm

    def form_valid(self, form):
        department = apply_service(
            form,
            department_create,
            org=self.object,
            by=self.request.user,
            **form.cleaned_data,
        )
        if department is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The department was added."))
        return redirect(self.object.get_absolute_url())


class _ImportView(RulePermissionMixin, FormView):
    form_class = ImportForm
    service = None
    kind = ""

    def form_valid(self, form):
        report = type(self).service(upload=form.cleaned_data["file"], by=self.request.user)
        if report.job is not None:
            messages.info(
                self.request,
                _("The file is large: it is imported in the background; this page shows how far."),
            )
            return redirect(report.job)
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(self.request, _("Imported %(count)s rows.") % {"count": report.created})
        return redirect(self.request.path)


class UnitImportView(_ImportView):
    permission_required = "federation.import_units"
    template_name = "federation/import_units.html"
    service = staticmethod(organizations_import)
    extra_context = {"kinds": OrganizationKind.choices}


class PeopleImportView(_ImportView):
    permission_required = "federation.import_users"
    template_name = "federation/import_people.html"
    service = staticmethod(users_import)
    extra_context = {"roles": Role.choices}
