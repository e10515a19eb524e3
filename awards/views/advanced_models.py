"""Pages of advanced models: proposals, publication, and the public gallery with its feed."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from awards import selectors
from awards.forms import ModelProposalForm
from awards.models import ExemplaryModel
from awards.services.advanced_models import model_propose, model_publish, model_withdraw
from awards.views.common import PER_PAGE, _errors_to_messages, _read
from emulation.mixins import ObjectPermissionMixin, RulePermissionMixin, apply_service


class ModelListView(LoginRequiredMixin, TemplateView):
    template_name = "awards/model_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        models = selectors.visible_models(user)
        page = Paginator(models, PER_PAGE).get_page(self.request.GET.get("page"))
        items = selectors.with_publish_rights(user, page)
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
        units = selectors.units_prepared_by(self.request.user)
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
                model_propose,
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
        service = model_withdraw if withdraw else model_publish
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
