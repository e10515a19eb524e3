"""Pages of the plaques given to registered key works."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from awards import exports, selectors
from awards.forms import AttachForm
from awards.services.plaques import plaque_attach, plaque_grant
from awards.views.common import _errors_to_messages
from emulation.mixins import RulePermissionMixin


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
            plaque_grant(by=request.user, key_work=work, note=request.POST.get("note", ""))
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
            plaque_attach(
                plaque=plaque, by=request.user, attached_on=form.cleaned_data["attached_on"]
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("The day the plaque was attached was recorded."))
        return redirect("awards:plaques")
