"""A large import goes to a background job: the page it leads to polls its progress and shows
the result once a worker has run it, on a desktop and on a phone."""

import os
import re

import pytest
from playwright.sync_api import expect

from emulation.jobs import job_run
from emulation.models import Job
from federation.models import Organization
from tests.e2e.helpers import BAD_ROWS, PHONE, as_upload, login

SHOTS = os.environ.get("E2E_SHOTS_DIR")

ROWS = [[f"NB-P-J{i}", f"Công đoàn cơ sở số {i}", "grassroots", "NB-P", i, ""] for i in range(12)]


def shoot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def upload(page, data):
    page.goto("/units/import/")
    page.set_input_files("input[type=file]", data)
    page.get_by_test_id("import-submit").click()


@pytest.mark.e2e
def test_a_large_import_shows_its_progress_then_its_result(page, e2e_world, settings, media_tmp):
    settings.IMPORT_JOB_ROWS = 5
    login(page, "staff")
    upload(page, as_upload(ROWS, "xlsx"))
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    status = page.get_by_test_id("job-status")
    expect(status).to_have_attribute("data-state", "queued")
    expect(page.get_by_test_id("job-state")).to_have_text("Đang chờ")
    shoot(page, "job-queued-desktop")
    job = Job.objects.get()
    job_run(job.pk)  # the worker
    # The page learns it by itself (htmx polls every 2 s).
    expect(status).to_have_attribute("data-state", "done", timeout=8_000)
    expect(page.get_by_test_id("job-message")).to_have_text("Đã nhập 12 dòng.")
    assert Organization.objects.filter(code__startswith="NB-P-J").count() == 12
    shoot(page, "job-done-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, "job-done-phone")


@pytest.mark.e2e
def test_a_large_wrong_import_lists_its_problems_on_the_job_page(
    page, e2e_world, settings, media_tmp
):
    settings.IMPORT_JOB_ROWS = 3
    login(page, "staff")
    upload(page, as_upload(BAD_ROWS, "csv"))
    job = Job.objects.get()
    job_run(job.pk)
    page.reload()
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-state", "failed")
    problems = page.get_by_test_id("import-problem")
    expect(problems).to_have_count(6)
    shoot(page, "job-failed-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, "job-failed-phone")
