"""The views every reviewed object's pages share.

Each page loads the objects of its address (404 when the person may not see them), checks the
rule it names in ``permission_required`` on the unit (403), then answers; views stay thin and
hand what was typed to the app's services.

An app subclasses the mixins once, filling in the hooks: how its campaign and units are read
(``find_campaign``, ``find_unit``, ``takes_part``, ``in_branch``), which objects a person may
see (``visible``), the unit's page (``unit_url``), the breadcrumb, its templates and its
extensions. Its pages then declare what differs: the rule, the service, the texts.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from emulation.audit import audit_history
from emulation.links import links
from emulation.mixins import error_messages, next_url, posted_version
from emulation.review.extensions import dmy
from emulation.review.forms import CommentForm, ExtensionForm
from emulation.workflow import missing_version


def _missing(view, hook: str):
    return ImproperlyConfigured(f"{type(view).__name__} must define {hook}.")


class ReviewView(LoginRequiredMixin, View):
    """Load the objects of the address (:meth:`load`), check ``permission_required`` on
    :meth:`permission_object`, then dispatch; ``today`` is the local date."""

    permission_required = ""

    def load(self, **kwargs) -> None:
        """Find the objects of the address (404 when the person may not see them)."""
        raise _missing(self, "load()")

    def permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.today = timezone.localdate()
        self.load(**kwargs)
        if self.permission_required and not request.user.has_perm(
            self.permission_required, self.permission_object()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PageMixin(ReviewView):
    """What the shared pages ask the app: the unit's page and the breadcrumb."""

    extensions = None  # the app's Extensions (emulation.review.extensions)
    links_place = ""  # where higher apps put links on this page (emulation.links), if anywhere

    def unit_url(self) -> str:
        """The page of the unit's object (where a button goes back to)."""
        raise _missing(self, "unit_url()")

    def breadcrumb(self) -> list:
        """The units above the unit, each with ``link`` when the person may open it."""
        raise _missing(self, "breadcrumb()")

    def page_links(self) -> dict:
        """The links higher apps put on this page (by section), none when it names no place."""
        if not self.links_place:
            return {}
        return links(
            self.links_place,
            campaign=self.campaign,
            unit=self.unit,
            user=self.request.user,
            phase=getattr(self, "phase", None),
        )

    def context(self, **extra) -> dict:
        return {
            "campaign": self.campaign,
            "unit": self.unit,
            "ancestors": self.breadcrumb(),
            "today": self.today,
            "page_links": self.page_links(),
            **extra,
        }


class CampaignMixin(ReviewView):
    """A published campaign of the address (``campaign_id``) the person sees; 404 otherwise."""

    def find_campaign(self, campaign_id):
        """The campaign of id ``campaign_id`` with its issuer, or None (a method, or the app's
        function as a ``staticmethod``)."""
        raise _missing(self, "find_campaign()")

    def sees_campaign(self, campaign) -> bool:
        """The rule ``published_campaigns`` filters by, in Python on the campaign read by its
        key: the same campaigns, without building that filter (an OR per membership)."""
        user = self.request.user
        return (
            not campaign.is_draft
            and user.is_active
            and user.has_perm("campaigns.view_campaign", campaign)
        )

    def load(self, *, campaign_id, **kwargs):
        self.campaign = self.find_campaign(campaign_id)
        if self.campaign is None or not self.sees_campaign(self.campaign):
            raise Http404

    def permission_object(self):
        return self.campaign


class UnitMixin(CampaignMixin, PageMixin):
    """A unit of the address (``pk``) the person may see, in a published campaign. ``scope =
    "participant"``: the unit must take part (strictly below the issuer); ``"branch"``: the
    issuer itself will do (queues, consolidations, dashboards)."""

    scope = "participant"

    def find_unit(self, pk):
        """The unit of id ``pk``, or None."""
        raise _missing(self, "find_unit()")

    def takes_part(self, campaign, unit) -> bool:
        """The unit takes part in the campaign (strictly below the issuer, active)."""
        raise _missing(self, "takes_part()")

    def in_branch(self, campaign, unit) -> bool:
        """The unit is the issuer or below it, active."""
        raise _missing(self, "in_branch()")

    def load(self, *, pk, **kwargs):
        super().load(**kwargs)
        self.unit = self.find_unit(pk)
        # The rule ``visible_to`` filters by (``federation.view_unit``) in Python on the unit
        # read by its key: the same units, without building that filter.
        user = self.request.user
        if self.unit is None or not user.has_perm("federation.view_unit", self.unit):
            raise Http404
        check = self.takes_part if self.scope == "participant" else self.in_branch
        if not check(self.campaign, self.unit):
            raise Http404

    def permission_object(self):
        return self.unit


class ObjectMixin(PageMixin):
    """A reviewed object of the address (``pk``) whose unit the person may see, in a published
    campaign; 404 otherwise, whatever the id guessed. The app names it (``object_name``: the
    attribute and the template's variable) and says which objects the person sees
    (:meth:`visible`)."""

    object_name = "object"

    def visible(self):
        """The objects the person may see, with what the pages read joined."""
        raise _missing(self, "visible()")

    def load(self, *, pk, **kwargs):
        self.object = get_object_or_404(self.visible(), pk=pk)
        setattr(self, self.object_name, self.object)
        self.campaign = self.object.campaign
        self.unit = self.object.organization

    def permission_object(self):
        return self.unit

    def context(self, **extra) -> dict:
        return super().context(**{self.object_name: self.object}, **extra)


class QueueView(UnitMixin):
    """The reviewer's queue: the units directly below one unit with their object's status,
    counts and a progress bar, filters (the app's ``form_class``) and search. The app reads
    the queue (:meth:`read_queue`)."""

    scope = "branch"
    template_name = ""
    form_class = None
    links_place = "queue"

    def read_queue(self, filters, page_number):
        raise _missing(self, "read_queue()")

    def get(self, request, *args, **kwargs):
        form = self.form_class(request.GET or None)
        filters = form.filters()
        queue = self.read_queue(filters, request.GET.get("page"))
        return render(
            request,
            self.template_name,
            self.context(queue=queue, form=form, query=filters.query_string()),
        )


class DraftFormView(UnitMixin):
    """The officer's form in an active campaign: save a draft at any time, or save and submit
    (then what is still missing shows on the form, the draft saved). An object no longer
    editable sends the person back to its page; a unit that cannot prepare one now (the app's
    :meth:`refusal`) gets the reasons instead of a form.

    The app reads its object (:meth:`find_object`), builds its form (:meth:`build_form`), saves
    it with its service (:meth:`save_draft`) and names its submit ``service`` and its texts."""

    object_name = "object"
    template_name = ""
    service = None  # the submit service: service(object, *, by, expected_version, today)
    not_editable = ""  # ``%(status)s``
    sent = ""  # ``%(unit)s``: the unit above

    def find_object(self):
        """The unit's object with what its form reads, or None."""
        raise _missing(self, "find_object()")

    def build_form(self, data=None, files=None):
        raise _missing(self, "build_form()")

    def save_draft(self, form):
        """Save the draft with the app's service and return the object."""
        raise _missing(self, "save_draft()")

    def refusal(self) -> list:
        """Why the unit cannot prepare its object now (empty: it can)."""
        return []

    def load(self, **kwargs):
        super().load(**kwargs)
        if not self.campaign.is_active:
            raise Http404

    def read_object(self) -> None:
        self.object = self.find_object()
        setattr(self, self.object_name, self.object)

    def render_form(self, form, **extra):
        scope = getattr(self, self.extensions.scope)
        return render(
            self.request,
            self.template_name,
            self.context(
                form=form,
                deadline=self.extensions.deadline_for(scope, self.unit),
                **{self.object_name: self.object},
                **extra,
            ),
        )

    def get(self, request, *args, **kwargs):
        self.read_object()
        if self.object is not None and not self.object.is_editable:
            status = self.object.get_status_display()
            messages.info(request, self.not_editable % {"status": status})
            return redirect(self.unit_url())
        refusal = self.refusal()
        if refusal:
            return self.render_form(None, refusal=refusal)
        return self.render_form(self.build_form())

    def post(self, request, *args, **kwargs):
        self.read_object()
        refusal = self.refusal()
        if refusal:
            return self.render_form(None, refusal=refusal)
        form = self.build_form(request.POST, request.FILES)
        if self.object is not None and form.version is None:
            # An edit of what exists says which version it showed: else it could overwrite
            # what someone saved meanwhile.
            form.add_error(missing_version())
            return self.render_form(form)
        try:
            saved = self.save_draft(form)
        except ValidationError as exc:
            form.add_error(exc)
            return self.render_form(form)
        if request.POST.get("action") != "submit":
            messages.success(request, _("The draft was saved."))
            return redirect(request.path)
        try:
            type(self).service(
                saved, by=request.user, expected_version=saved.version, today=self.today
            )
        except ValidationError as exc:
            # Saved, but not sent: say what is missing, on the form, to fix it there.
            self.read_object()
            form = self.build_form(request.POST)
            form.version = self.object.version
            return self.render_form(form, missing=exc.messages, saved=True)
        above = self.unit.parent_unit() or self.unit
        messages.success(request, self.sent % {"unit": above.display_name})
        return redirect(self.unit_url())


class TransitionView(ObjectMixin):
    """A button that calls the app's ``service`` on the object with the version the page
    showed, and goes back (to ``next``, or the unit's page) saying ``done`` (``%(unit)s``: the
    unit's name) or why it was refused."""

    http_method_names = ["post"]
    service = None  # service(object, *, by, expected_version)
    done = ""

    def post(self, request, *args, **kwargs):
        try:
            type(self).service(
                self.object, by=request.user, expected_version=posted_version(request)
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, self.done % {"unit": self.unit.display_name})
        return redirect(next_url(request, self.unit_url()))


class CommentView(ObjectMixin):
    """A transition that needs a comment (``action``: return, reopen): a small page with the
    form (also reached from the object's page and the queue), shown again with the service's
    message when it refuses the comment. The app declares the service, the texts and the
    template."""

    template_name = ""
    action = "return"
    service = None  # service(object, *, by, comment, expected_version)
    done = ""

    def heading(self) -> str:
        raise _missing(self, "heading()")

    def title(self) -> str:
        return self.heading()

    def call(self, comment: str, version) -> str:
        """Call the service with the comment and return the message to show."""
        type(self).service(
            self.object, by=self.request.user, comment=comment, expected_version=version
        )
        return self.done % {"unit": self.unit.display_name}

    def render_page(self, form):
        back = next_url(self.request, self.unit_url())
        return render(
            self.request,
            self.template_name,
            {
                self.object_name: self.object,
                "campaign": self.campaign,
                "unit": self.unit,
                "form": form,
                "title": self.title(),
                "heading": self.heading(),
                "action": self.action,
                "next": back,
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(CommentForm(initial={"version": self.object.version}))

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            message = self.call(form.cleaned_data["comment"], form.cleaned_data["version"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    form.add_error("comment" if key == "comment" else None, errors)
                return self.render_page(form)
            error_messages(request, exc)
            return redirect(self.unit_url())
        messages.success(request, message)
        return redirect(next_url(request, self.unit_url()))


class HistoryView(ObjectMixin):
    """Every transition and edit of the object, and the deadline extension of its unit, with
    who and when, from the audit log."""

    template_name = ""

    def get(self, request, *args, **kwargs):
        entries = audit_history(self.object)
        scope = getattr(self, self.extensions.scope)
        extension = self.extensions.of(scope, self.unit)
        if extension is not None:
            entries = (entries | audit_history(extension)).order_by("-created_at", "-id")
        return render(
            request,
            self.template_name,
            self.context(entries=entries.select_related("actor")[:200], tab="history"),
        )


class ExtendView(UnitMixin):
    """The reviewer grants one unit a later deadline (in an active campaign), then goes back
    saying ``done`` (``%(unit)s``, ``%(day)s``: the unit, its new deadline)."""

    template_name = ""
    done = ""

    def load(self, **kwargs):
        super().load(**kwargs)
        if not self.campaign.is_active:
            raise Http404

    def scope_object(self):
        """The campaign or phase the extension is granted in."""
        return getattr(self, self.extensions.scope)

    def render_page(self, form):
        return render(
            self.request,
            self.template_name,
            self.context(
                form=form,
                extension=self.extensions.of(self.scope_object(), self.unit),
                next=next_url(self.request, self.unit_url()),
            ),
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(ExtensionForm())

    def post(self, request, *args, **kwargs):
        form = ExtensionForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            extension = self.extensions.grant(
                scope=self.scope_object(),
                organization=self.unit,
                by=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.render_page(form)
        messages.success(
            request,
            self.done % {"unit": self.unit.display_name, "day": dmy(extension.until)},
        )
        return redirect(next_url(request, self.unit_url()))
