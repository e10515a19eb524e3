"""The registration summary's spreadsheet and PDF of a large branch are made by a background
job; the job's file is the document the request gives for a small one."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from emulation.jobs import job_run
from emulation.models import Job, JobState
from tests.registrations.test_views import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_tmp")]


def url(name, *args):
    return reverse(f"registrations:{name}", args=args)


def sheets(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


@pytest.mark.parametrize("name", ["summary-xlsx", "summary-pdf"])
def test_a_large_branch_gets_its_summary_from_a_job(
    world, campaign, make_registration, client_for, settings, name
):
    make_registration("approved")
    client = client_for(world.staff)
    address = url(name, campaign.pk, world.province.pk)
    settings.DOCUMENT_JOB_UNITS = 6  # the province's branch holds six units: at once
    at_once = client.get(address)
    assert at_once.status_code == 200 and not Job.objects.exists()
    settings.DOCUMENT_JOB_UNITS = 5
    response = client.get(address)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'data-state="queued"' in page and "data-hx-get" in page
    assert job_run(job.pk) == JobState.DONE
    download = client.get(reverse("job-download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    if name == "summary-xlsx":
        assert sheets(content) == sheets(at_once.content)
        assert job.title.startswith("Tổng hợp đăng ký thi đua")
    else:
        assert pdf_text(content) == pdf_text(at_once.content)
        assert "Công đoàn cơ sở Alpha Đông Á" in pdf_text(content)
