"""What every view shares: finding an object the user may see, checking a rule, and turning a
service's refusal into messages next to the form's fields."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from emulation.params import to_int
from emulation.workflow import missing_version


class ObjectPermissionMixin(LoginRequiredMixin):
    """Load ``self.object`` from a queryset already limited to what the user may see (so an id
    outside the user's branch is a 404), then check ``permission_required`` on it (403)."""

    permission_required: str | None = None
    pk_url_kwarg = "pk"

    def get_visible_queryset(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must name its visible queryset.")

    def get_permission_object(self):
        return self.object

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = get_object_or_404(self.get_visible_queryset(), pk=kwargs[self.pk_url_kwarg])
        if self.permission_required and not request.user.has_perm(
            self.permission_required, self.get_permission_object()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.object


class RulePermissionMixin(LoginRequiredMixin):
    """Check a rule that takes no object (e.g. "may import units")."""

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def apply_service(form, service, /, **kwargs):
    """Call a service; on ``ValidationError`` put its messages on the form and return None."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def next_url(request, default: str) -> str:
    """The ``next`` address of the form or the query when it is a path of this site, else
    ``default`` (a bare word would be taken for the name of a view by ``redirect``)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def error_messages(request, exc: ValidationError) -> None:
    """Each message of a refused service call, shown at the top of the next page."""
    for message in exc.messages:
        messages.error(request, message)


def posted_version(request) -> int:
    """The version of the row the form was drawn from (a guard against a form posted twice or
    from a page opened before someone else acted). A form without one, or with anything but a
    number, is refused (``ValidationError``): a transition never runs blind."""
    version = to_int(request.POST.get("version"))
    if version is None:
        raise missing_version()
    return version
