"""A decision with more awardees than DOCUMENT_JOB_AWARDEES is printed by a background job:
the address answers with a redirect to the job's page, and the job's PDF is the decision the
request gives for a short one."""

import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from emulation.jobs import job_run
from emulation.models import Job, JobState
from tests.awards.test_documents import awarded  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_tmp")]


def text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(
        unicodedata.normalize("NFC", " ".join(page.extract_text() for page in reader.pages)).split()
    )


def test_a_long_decision_is_printed_by_a_job(awarded, world, client_for, settings):  # noqa: F811
    _session, decision = awarded
    client = client_for(world.staff)
    address = reverse("awards:decision-pdf", args=[decision.pk])
    settings.DOCUMENT_JOB_AWARDEES = 2  # two awardees: at once
    at_once = client.get(address)
    assert at_once.status_code == 200 and not Job.objects.exists()
    settings.DOCUMENT_JOB_AWARDEES = 1
    response = client.get(address)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert job_run(job.pk) == JobState.DONE
    download = client.get(reverse("job-download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert text(content) == text(at_once.content)
    assert "Số: 45/QĐ-LĐLĐ" in text(content)


def test_many_certificates_are_printed_by_a_job(awarded, world, client_for, settings):  # noqa: F811
    _session, decision = awarded
    client = client_for(world.staff)
    address = reverse("awards:decision-certificates", args=[decision.pk])
    settings.DOCUMENT_JOB_CERTIFICATES = 2  # two certificates: at once
    at_once = client.get(address)
    assert at_once.status_code == 200 and not Job.objects.exists()
    settings.DOCUMENT_JOB_CERTIFICATES = 1
    response = client.get(address)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert job_run(job.pk) == JobState.DONE
    download = client.get(reverse("job-download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert len(PdfReader(io.BytesIO(content)).pages) == 2
    assert text(content) == text(at_once.content)
    # Somebody else cannot open the job's page or its file.
    other = client_for(world.officer_b)
    assert other.get(reverse("job", args=[job.pk])).status_code == 404
