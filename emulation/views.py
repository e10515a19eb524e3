import secrets

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from emulation.celery import app as celery_app
from emulation.jobs import job_progress
from emulation.models import Job, JobState

LOCAL_ADDRESSES = {"127.0.0.1", "::1"}


def _sees_health_details(request) -> bool:
    """Staff, or a request from this machine that came through no proxy (a proxy on the same
    host would make every visitor look local)."""
    if getattr(request.user, "is_staff", False):
        return True
    forwarded = any(
        name in request.META
        for name in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
    )
    return not forwarded and request.META.get("REMOTE_ADDR", "") in LOCAL_ADDRESSES


@never_cache
def healthz(request):
    """The state of the database, the cache and the broker: 200 when all answer, 503
    otherwise. The public learns only that ("ok" or "error"); staff and this machine see each
    check."""
    checks = {}
    try:
        connection.ensure_connection()
        checks["database"] = "ok" if connection.is_usable() else "error: not usable"
    except Exception as exc:  # any failure is reported, never raised
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        token = secrets.token_hex(8)
        cache.set("healthz", token, 30)
        checks["cache"] = "ok" if cache.get("healthz") == token else "error: not kept"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:
        checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error"}
    if _sees_health_details(request):
        body.update(checks)
    return JsonResponse(body, status=200 if healthy else 503)


class FloorView(LoginRequiredMixin, TemplateView):
    """The benchmark's floor: only the base template, through the same middleware."""

    template_name = "base.html"


def csrf_failure(request, reason=""):
    """A form sent with an outdated security token (the page was open before a sign-in or a
    sign-out elsewhere): say so in the user's language and offer the page again, instead of
    Django's English technical page. The reason stays in the log, not on the screen."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    again = referer if safe else ""
    return render(request, "403_csrf.html", {"again": again}, status=403)


class JobMixin(LoginRequiredMixin):
    """A background job, for the person who asked only (404 for anyone else)."""

    def get_job(self) -> Job:
        return get_object_or_404(Job, pk=self.kwargs["pk"], requested_by=self.request.user)


class JobView(JobMixin, View):
    """The job's page: its progress, polled by htmx until it ends, then the link to its result
    or its problems."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        done, total = job_progress(job)
        context = {"job": job, "done": done, "total": total, "percent": _percent(job, done, total)}
        if request.htmx:
            return render(request, "jobs/_status.html", context)
        return render(request, "jobs/job.html", context)


def _percent(job: Job, done: int, total: int) -> int:
    if job.state == JobState.DONE:
        return 100
    return min(99, done * 100 // total) if total else 0


class JobDownloadView(JobMixin, View):
    """The result of a finished job, for the person who asked, as long as the job is kept."""

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if job.state != JobState.DONE or not job.result:
            raise Http404
        return FileResponse(
            job.result.open("rb"),
            as_attachment=True,
            filename=job.result_name,
            content_type=job.result_type or "application/octet-stream",
        )
