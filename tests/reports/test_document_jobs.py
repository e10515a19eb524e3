"""Long documents leave the web workers free: for a branch of more units than
DOCUMENT_JOB_UNITS, the dashboard's spreadsheet and the phase's summary PDF are made by a
background job (the address answers with a redirect to its page), and the job's file is the
document the request would have given; a small branch still gets it at once."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from emulation.jobs import job_run
from emulation.models import Job, JobState
from tests.reports.conftest import phase
from tests.reports.test_views import _seed_reports, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_tmp")]


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def sheets(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def through_a_job(client, address, settings, units: int):
    """Ask for the document with the threshold just under the branch's size: the redirect to
    the job's page, then the worker's run, then the download."""
    settings.DOCUMENT_JOB_UNITS = units - 1
    response = client.get(address)
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert job.state == JobState.QUEUED
    assert job_run(job.pk) == JobState.DONE
    job.refresh_from_db()
    page = client.get(response.url).content.decode()
    assert reverse("job-download", args=[job.pk]) in page
    download = client.get(reverse("job-download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    return job, b"".join(download.streaming_content)


def test_the_dashboard_spreadsheet_of_a_large_branch_is_made_by_a_job(
    world, registered, client_for, settings
):
    _seed_reports(world, registered)
    client = client_for(world.staff)
    address = url("dashboard-xlsx", registered.pk, world.province.pk)
    settings.DOCUMENT_JOB_UNITS = 1000
    at_once = client.get(address)
    assert at_once.status_code == 200 and not Job.objects.exists()
    # The province's branch: itself, two districts and three grassroots unions.
    job, content = through_a_job(client, address, settings, units=6)
    assert job.result_name == at_once["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert sheets(content) == sheets(at_once.content)
    assert job.unit == world.province and job.requested_by == world.staff
    # The link stays the asker's: another reviewer of the branch cannot take it.
    assert client_for(world.admin).get(reverse("job-download", args=[job.pk])).status_code == 404


def test_the_summary_pdf_of_a_large_branch_is_made_by_a_job(
    world, registered, client_for, settings
):
    _seed_reports(world, registered)
    first = phase(registered, 1)
    client = client_for(world.staff)
    address = url("summary-pdf", registered.pk, first.pk, world.province.pk)
    settings.DOCUMENT_JOB_UNITS = 1000
    at_once = client.get(address)
    assert at_once["Content-Type"] == "application/pdf"
    job, content = through_a_job(client, address, settings, units=6)
    assert job.result_type == "application/pdf" and job.result_name.endswith(".pdf")
    assert pdf_text(content) == pdf_text(at_once.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text(content)


def test_a_job_checks_the_permission_again_when_it_runs(world, registered, client_for, settings):
    from federation.models import Membership

    settings.DOCUMENT_JOB_UNITS = 1
    client = client_for(world.staff)
    client.get(url("dashboard-xlsx", registered.pk, world.province.pk))
    job = Job.objects.get()
    Membership.objects.filter(user=world.staff).delete()  # no longer staff of the province
    assert job_run(job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert not job.result
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404
