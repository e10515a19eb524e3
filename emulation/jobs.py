"""Work too long for a web request, run by a Celery worker: a large import, a long document.

A service starts a job (``job_start``) with the dotted name of its runner, a function of the
app that does the work: ``runner(job, progress) -> JobOutcome``. The worker (``job_run``,
called by the task ``emulation.run_job``) marks the job running, calls the runner, and keeps
its result file or its problems for the person who asked, until the job expires. Progress
goes through Django's cache (shared by every process), so the runner may report it from inside
its own transaction; the job page reads it there.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from emulation.models import Job, JobState

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class JobOutcome:
    """What a runner hands back: a file to download, or a message, or row-numbered problems
    (then nothing was saved)."""

    filename: str = ""
    content: bytes = b""
    content_type: str = "application/octet-stream"
    message: str = ""
    problems: list[dict] = field(default_factory=list)


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def job_progress(job: Job) -> tuple[int, int]:
    """How far the job is: (done, total), from the cache while it runs."""
    if job.state == JobState.RUNNING:
        kept = cache.get(_progress_key(job.pk))
        if kept:
            return kept[0], kept[1]
    return job.done, job.total


def job_start(
    *,
    kind: str,
    title: str,
    requested_by,
    unit=None,
    params: dict | None = None,
    source: bytes | None = None,
    source_name: str = "",
    total: int = 0,
) -> Job:
    """Record a job and queue it once the transaction commits. A broker that is down loses
    nothing: the job stays waiting and its page says so."""
    import_string(kind)  # a runner that does not exist is a programming error, raised here
    with transaction.atomic():
        job = Job(
            kind=kind,
            title=title[:255],
            requested_by=requested_by,
            unit=unit,
            params=params or {},
            total=total,
            source_name=source_name[:255],
            expires_at=timezone.now() + dt.timedelta(days=settings.JOB_KEEP_DAYS),
        )
        if source is not None:
            job.source.save("source", ContentFile(source), save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from emulation.tasks import run_job

    try:
        run_job.delay(job_id)
    except Exception:  # noqa: BLE001 - the job row stays waiting
        log.exception("could not queue job %s", job_id)


def job_run(job_id: int) -> str:
    """Run a waiting job (the worker's side). A job already taken by another worker, or
    finished, is left alone, so a message delivered twice runs the work once."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.QUEUED:
            return "skipped"
        job.state = JobState.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["state", "started_at"])

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job.pk), (done, total), settings.JOB_KEEP_DAYS * 86400)

    try:
        outcome = import_string(job.kind)(job, progress)
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        job.state = JobState.FAILED
        job.error = _("The work stopped on an unexpected error. Please try again later.")
    else:
        job.message = outcome.message
        job.problems = outcome.problems
        if outcome.problems:
            job.state = JobState.FAILED
        else:
            job.state = JobState.DONE
            if outcome.filename:
                job.result.save("result", ContentFile(outcome.content), save=False)
                job.result_name = outcome.filename[:255]
                job.result_type = outcome.content_type
    kept = cache.get(_progress_key(job.pk))
    if kept:
        job.done, job.total = kept
    if job.state == JobState.DONE:
        job.done = job.total
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job.pk))
    return job.state


def jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete expired jobs and their files."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(expires_at__lt=now).iterator():
        for stored in (job.source, job.result):
            if stored:
                stored.delete(save=False)
        job.delete()
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Long documents: the view that answers in the request for a small branch hands a large one to
# a job, which calls the same view again, in the worker, for the person who asked.


class BackgroundDocumentMixin:
    """A document view (GET) whose document is made by a job when :meth:`document_is_large`
    says so: the address answers with a redirect to the job's page. The view defines
    :meth:`render_document` (the response holding the document) and ``document_title``. The
    job renders it with the same address, filters and date, as the person who asked, whose
    permission is checked again then."""

    document_title = ""

    def document_is_large(self) -> bool:
        return False

    def get(self, request, *args, **kwargs):
        asked_on = getattr(request, "job_today", None)
        if asked_on is not None:  # in the worker
            self.today = asked_on
            return self.render_document(request, *args, **kwargs)
        if self.document_is_large():
            unit = getattr(self, "unit", None)
            job = job_start(
                kind="emulation.jobs.document_job",
                title=f"{self.document_title} · {unit}" if unit else str(self.document_title),
                requested_by=request.user,
                unit=unit,
                params={
                    "path": request.path_info,
                    "query": request.GET.urlencode(),
                    "today": getattr(self, "today", timezone.localdate()).isoformat(),
                },
            )
            return redirect(job)
        return self.render_document(request, *args, **kwargs)


def document_job(job: Job, progress: Progress) -> JobOutcome:
    """The runner of a long document: the view of the address, called in the worker."""
    params = job.params
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = params["path"]
    request.GET = QueryDict(params.get("query", ""))
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80", "REQUEST_METHOD": "GET"}
    request.user = job.requested_by
    request.job_today = dt.date.fromisoformat(params["today"])
    match = resolve(request.path_info)
    progress(0, 1)
    with translation.override(settings.LANGUAGE_CODE):
        response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        raise RuntimeError(f"the document's view answered {response.status_code}")
    header = Message()
    header["Content-Disposition"] = response.get("Content-Disposition", "")
    progress(1, 1)
    return JobOutcome(
        filename=header.get_filename() or "document",
        content=response.content,
        content_type=response.get("Content-Type", "application/octet-stream"),
    )
