"""Imports that scale and fail cleanly: the header is checked before any row, files beyond the
caps (bytes, rows, columns, unpacked size) are refused with a message, lengths and ranges the
database would refuse become row-numbered problems, and a large file runs as a background job
whose page shows the same all-or-nothing result."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from emulation.jobs import job_run
from emulation.models import Job, JobState
from federation.models import Organization
from federation.services.imports import organizations_import
from federation.services.people import users_import

HEADER = "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên,Số đoàn viên\n"

pytestmark = pytest.mark.usefixtures("media_tmp")


def csv_file(body: str, name="units.csv"):
    return SimpleUploadedFile(name, body.encode())


def units_csv(count: int, prefix="NB-P-N") -> str:
    return HEADER + "".join(
        f"{prefix}{i},Công đoàn cơ sở số {i},grassroots,NB-P,{i}\n" for i in range(count)
    )


def xlsx_file(rows, name="units.xlsx"):
    """As Excel writes it: the sheet's size declared at its top."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx_bytes(rows) -> bytes:
    """As openpyxl's write-only mode writes it: no declared size."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(report):
    return [(p.row, p.message) for p in report.problems]


def test_a_wrong_header_is_refused_before_any_row_is_read(world, settings):
    settings.IMPORT_MAX_ROWS = 100
    junk = xlsx_bytes([["a", "b", "c"], *([["x", "y", "z"]] * 500)])
    report = organizations_import(upload=SimpleUploadedFile("j.xlsx", junk), by=world.staff)
    assert report.job is None
    # The header's message, not the rows cap: no row was read.
    assert problems(report) == [
        (None, "Dòng tiêu đề thiếu các cột: Mã đơn vị, Tên đơn vị, Loại, Mã đơn vị cấp trên.")
    ]


def test_too_many_rows_are_refused_with_a_message(world, settings):
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_JOB_ROWS = 1000
    header = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
    rows = [header, *([["X", "Y", "grassroots", "NB-P"]] * 150)]
    too_many = [(None, "Tệp có hơn 100 dòng; hãy chia thành các tệp nhỏ hơn.")]
    # A spreadsheet as Excel writes it declares its size at its top: refused at once.
    report = organizations_import(upload=xlsx_file(rows), by=world.staff)
    assert problems(report) == too_many
    # A CSV, counted as it is streamed.
    report = organizations_import(upload=csv_file(units_csv(150)), by=world.staff)
    assert problems(report) == too_many
    # A spreadsheet that declares no size: a background job reads it, and stops at the cap.
    report = organizations_import(
        upload=SimpleUploadedFile("big.xlsx", xlsx_bytes(rows)), by=world.staff
    )
    assert report.job is not None and report.ok
    assert job_run(report.job.pk) == JobState.FAILED
    report.job.refresh_from_db()
    assert report.job.problems == [{"row": None, "message": too_many[0][1]}]
    assert not Organization.objects.filter(code__startswith="NB-P-N").exists()


def test_too_many_columns_are_refused(world, settings):
    settings.IMPORT_MAX_COLUMNS = 10
    header = HEADER.strip() + "," + ",".join(f"Cột {i}" for i in range(10)) + "\n"
    report = organizations_import(
        upload=csv_file(header + "A,B,grassroots,NB-P,1\n"), by=world.staff
    )
    assert problems(report) == [(None, "Dòng tiêu đề có hơn 10 cột.")]


def test_a_file_over_the_size_cap_is_refused_on_the_field(world, client_for, settings):
    settings.IMPORT_MAX_BYTES = 2000
    body = units_csv(100)
    assert len(body.encode()) > 2000
    response = client_for(world.staff).post(reverse("federation:import"), {"file": csv_file(body)})
    assert response.status_code == 200
    size = f"{len(body.encode()) / 1024:.1f}".replace(".", ",")
    assert response.context["form"].errors["file"] == [
        f"Tệp có dung lượng {size}\xa0KB; tệp nhập tối đa 2,0\xa0KB."
    ]
    assert not Organization.objects.filter(code__startswith="NB-P-N").exists()


def test_a_spreadsheet_that_unpacks_too_large_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 6000
    header = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
    data = xlsx_bytes([header, *([["A", "x" * 30_000, "grassroots", "NB-P"]] * 6)])
    assert len(data) < 6000
    report = organizations_import(upload=SimpleUploadedFile("bomb.xlsx", data), by=world.staff)
    assert len(report.problems) == 1 and "khi giải nén" in report.problems[0].message


def test_lengths_and_ranges_become_row_numbered_problems(world):
    body = (
        HEADER
        + f"NB-P-L1,{'Đ' * 256},grassroots,NB-P,1\n"
        + "NB-P-L2,Công đoàn cơ sở Hai,grassroots,NB-P,99999999999999\n"
        + "NB-P-L3,Công đoàn cơ sở Ba,grassroots,NB-P,-4\n"
    )
    report = organizations_import(upload=csv_file(body), by=world.staff)
    assert [row for row, _message in problems(report)] == [2, 3, 4]
    assert "256 ký tự; tối đa 255" in report.problems[0].message
    assert "99999999999999" in report.problems[1].message
    assert not Organization.objects.filter(code__startswith="NB-P-L").exists()


def test_people_import_lengths_are_row_numbered(world):
    body = "Họ và tên,Email,Mã đơn vị,Vai trò\n" + f"{'N' * 151},dai@example.vn,NB-P-A,officer\n"
    report = users_import(upload=csv_file(body, "p.csv"), by=world.staff)
    assert [row for row, _message in problems(report)] == [2]
    assert "151 ký tự; tối đa 150" in report.problems[0].message


# --- large imports run as background jobs ----------------------------------------------------


def test_a_small_import_stays_immediate(world, client_for, settings):
    settings.IMPORT_JOB_ROWS = 10
    response = client_for(world.staff).post(
        reverse("federation:import"), {"file": csv_file(units_csv(5))}
    )
    assert response.status_code == 302 and response.url == reverse("federation:import")
    assert Organization.objects.filter(code__startswith="NB-P-N").count() == 5
    assert not Job.objects.exists()


def test_a_large_import_runs_as_a_job_with_its_page(
    world, client_for, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.IMPORT_JOB_ROWS = 10
    client = client_for(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("federation:import"), {"file": csv_file(units_csv(25))})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert job.state == JobState.DONE, job.error
    assert (job.done, job.total) == (25, 25)
    assert Organization.objects.filter(code__startswith="NB-P-N").count() == 25
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    page = client.get(response.url).content.decode()
    assert "Đã nhập 25 dòng." in page and 'data-state="done"' in page
    assert 'data-hx-trigger="every 2s"' not in page  # finished: the page polls no more
    # Only the person who asked sees it.
    for other in (world.admin, world.leader):
        assert client_for(other).get(response.url).status_code == 404


def test_a_large_wrong_import_saves_nothing_and_lists_its_rows(
    world, client_for, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.IMPORT_JOB_ROWS = 10
    body = units_csv(20) + "NB-P-N3,Trùng mã,grassroots,NB-P,1\n" + "NB-P-X,Sai loại,xyz,NB-P,1\n"
    client = client_for(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("federation:import"), {"file": csv_file(body)})
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert [p["row"] for p in job.problems] == [22, 23]
    assert not Organization.objects.filter(code__startswith="NB-P-N").exists()
    page = client.get(response.url).content.decode()
    assert "Chưa nhập dữ liệu nào: tệp có 2 lỗi." in page
    assert 'data-row="22"' in page and 'data-row="23"' in page


def test_a_queued_job_page_polls_and_the_worker_runs_it(world, client_for, settings):
    # Without a worker yet (the broker got the message after the commit) the page waits and
    # polls; the worker's function then does the work, once.
    settings.IMPORT_JOB_ROWS = 10
    client = client_for(world.staff)
    response = client.post(reverse("federation:import"), {"file": csv_file(units_csv(12))})
    job = Job.objects.get()
    page = client.get(response.url).content.decode()
    assert 'data-state="queued"' in page and 'data-hx-trigger="every 2s"' in page
    fragment = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"')
    assert job_run(job.pk) == JobState.DONE
    assert job_run(job.pk) == "skipped"
    assert Organization.objects.filter(code__startswith="NB-P-N").count() == 12


def test_a_large_people_import_runs_as_a_job_and_invites_after_commit(
    world, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.IMPORT_JOB_ROWS = 3
    body = "Họ và tên,Email,Mã đơn vị,Vai trò\n" + "".join(
        f"Người số {i},nguoi{i}@example.vn,NB-P-A,officer\n" for i in range(5)
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        report = users_import(upload=csv_file(body, "p.csv"), by=world.staff)
    assert report.job is not None and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=False) as after_job:
        for callback in queued:
            callback()  # the job's message reaches the worker, which runs it
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.message == "Đã nhập 5 dòng."
    # The invitations wait for the import's commit, then go through the queue.
    assert mail.outbox == []
    for callback in after_job:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [f"nguoi{i}@example.vn" for i in range(5)]


def test_invitations_are_not_sent_inside_the_request(
    world, client_for, django_capture_on_commit_callbacks, eager_tasks
):
    body = "Họ và tên,Email,Mã đơn vị,Vai trò\nNgười Mới,moi@example.vn,NB-P-A,officer\n"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(world.staff).post(
            reverse("federation:people-import"), {"file": csv_file(body, "p.csv")}
        )
    assert response.status_code == 302
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]


@pytest.mark.parametrize("persona", ["anonymous", "officer_a"])
def test_job_pages_are_closed_to_others(world, client_for, persona, settings):
    settings.IMPORT_JOB_ROWS = 3
    report = organizations_import(upload=csv_file(units_csv(5)), by=world.staff)
    job_run(report.job.pk)
    client = client_for(world.persona(persona))
    for name in ("job", "job-download"):
        response = client.get(reverse(name, args=[report.job.pk]))
        assert response.status_code in (302, 404)
        if persona == "anonymous":
            assert response.url.startswith(reverse("accounts:login"))
