"""Celery tasks of the shared mechanisms: thin, ids in, a service call."""

from celery import shared_task

from emulation.jobs import job_run, jobs_purge


@shared_task(name="emulation.run_job")
def run_job(job_id: int) -> str:
    return job_run(job_id)


@shared_task(name="emulation.purge_jobs")
def purge_jobs() -> dict:
    return {"deleted": jobs_purge()}
