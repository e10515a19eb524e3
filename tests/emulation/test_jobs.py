"""Background jobs: a real Celery worker runs an import queued after its commit (with a Redis
broker, as CI has), and expired jobs are deleted with their files."""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from emulation.jobs import job_run, jobs_purge
from emulation.models import Job, JobState
from federation.models import Organization
from federation.services.imports import organizations_import

UNITS = "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên\n" + "".join(
    f"NB-P-W{i},Công đoàn cơ sở {i},grassroots,NB-P\n" for i in range(8)
)

pytestmark = pytest.mark.usefixtures("media_tmp")


def test_expired_jobs_are_deleted_with_their_files(world, settings):
    settings.IMPORT_JOB_ROWS = 3
    report = organizations_import(
        upload=SimpleUploadedFile("u.csv", UNITS.encode()), by=world.staff
    )
    job = report.job
    assert job_run(job.pk) == JobState.DONE
    job.refresh_from_db()
    source = Path(job.source.path)
    assert source.exists()
    assert jobs_purge(now=job.expires_at - dt.timedelta(seconds=1)) == 0
    assert jobs_purge(now=job.expires_at + dt.timedelta(seconds=1)) == 1
    assert not Job.objects.exists() and not source.exists()
    kept = job.expires_at - job.created_at
    assert abs(kept - dt.timedelta(days=settings.JOB_KEEP_DAYS)) < dt.timedelta(seconds=5)
    assert timezone.now() < job.expires_at


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")),
    reason="needs a Redis broker: set CELERY_BROKER_URL=redis://... to run a real worker",
)
def test_a_worker_runs_the_job_queued_after_commit(settings):
    from celery.contrib.testing.worker import start_worker

    from emulation.celery import app
    from tests.conftest import build_world

    settings.IMPORT_JOB_ROWS = 3
    app.conf.task_always_eager = False
    world = build_world()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        report = organizations_import(
            upload=SimpleUploadedFile("u.csv", UNITS.encode()), by=world.staff
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = Job.objects.get(pk=report.job.pk)
            if job.finished:
                break
            time.sleep(0.5)
    assert job.state == JobState.DONE, job.error
    assert Organization.objects.filter(code__startswith="NB-P-W").count() == 8
