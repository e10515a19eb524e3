"""Pages of the plaques given to registered key works."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from awards import exports, selectors
from awards.forms import AttachForm
from awards.services.plaques import plaque_attach, plaque_grant
from awards.views.common import _errors_to_messages
from emulation.confirm import Affected, Confirmation, confirmation_page, is_confirmed
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

    def confirmation(self, work) -> Confirmation:
        registration = work.registration
        unit = registration.organization
        return Confirmation(
            question=_("Grant a plaque to “%(work)s”?") % {"work": work.name},
            consequences=[
                _(
                    "“%(work)s”, registered by %(unit)s in its registration of %(year)s, is "
                    "recorded as a work bearing a commemorative plaque of the campaign."
                )
                % {"work": work.name, "unit": unit.name, "year": registration.campaign.year},
                _("A plaque once granted cannot be withdrawn here."),
            ],
            button=_("Grant a plaque"),
            cancel_url=reverse("awards:plaques"),
            affected=[
                Affected(
                    label=unit.name,
                    detail=work.name,
                    url=reverse("registrations:unit", args=[registration.campaign_id, unit.pk]),
                )
            ],
            affected_title=_("Unit of the work"),
        )

    def post(self, request, key_work_id):
        work = get_object_or_404(selectors.visible_key_works(request.user), pk=key_work_id)
        if not is_confirmed(request):
            return confirmation_page(
                request, self.confirmation(work), base_template="awards/base.html"
            )
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
