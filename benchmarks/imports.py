"""Imports at scale, apart from ``make bench``:

    python -m benchmarks.imports junk       # a 100,000-row XLSX refused: time and memory
    DATABASE_URL=postgres://... python -m benchmarks.imports job   # 50,000 units by a job

``junk`` needs no database (the file is refused before any query). ``job`` needs an empty
database it may migrate; it builds a province and a district, then imports 50,000 grassroots
unions under the district as the web request and the worker would.
"""

import io
import os
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
os.environ.setdefault("DJANGO_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from openpyxl import Workbook  # noqa: E402

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Số đoàn viên"]


def xlsx(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dimensioned(rows) -> bytes:
    """As Excel writes it: the sheet's size declared at its top."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(label: str, action) -> None:
    """Time, and the growth of the process's peak memory (run one variant per process)."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{label}: {elapsed:.2f} s, peak memory +{(rss_after - rss_before) / 1024:.1f} MB "
        f"(process {rss_after / 1024:.0f} MB) -> {result}"
    )


def junk() -> None:
    from accounts.models import User
    from federation.services.imports import organizations_import

    admin = User(username="bench", is_superuser=True, is_active=True)
    variants = {
        "wrong header": lambda: xlsx([["a", "b", "c"], *(["x", i, "z"] for i in range(100_000))]),
        "right header, 100,000 junk rows": lambda: xlsx(
            [HEADER, *([f"J{i}", "x", "?", "?", "?"] for i in range(100_000))]
        ),
        "right header, 100,000 junk rows, with a dimension": lambda: dimensioned(
            [HEADER, *([f"J{i}", "x", "?", "?", "?"] for i in range(100_000))]
        ),
    }
    which = sys.argv[2] if len(sys.argv) > 2 else None
    for label, make in variants.items():
        if which and which != label:
            continue
        data = make()
        print(f"{label}: {len(data) / 1024:.0f} KB")
        measure(
            label,
            lambda data=data: [
                p.message
                for p in organizations_import(
                    upload=SimpleUploadedFile("junk.xlsx", data), by=admin
                ).problems
            ][:1],
        )


def job(count: int = 50_000) -> None:
    from django.core.management import call_command

    from accounts.models import User
    from emulation.jobs import job_run
    from emulation.models import Job
    from federation.models import Organization
    from federation.models import OrganizationKind as K
    from federation.services.imports import organizations_import

    call_command("migrate", verbosity=0)
    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.vn", "x"
    )
    root = Organization.objects.filter(code="B-TLD").first() or Organization.add_root(
        code="B-TLD", name="Tổng Liên đoàn", kind=K.NATIONAL
    )
    Organization.objects.filter(code__startswith="B-N-").delete()
    district = Organization.objects.filter(code="B-D").first()
    if district is None:
        province = root.add_child(code="B-P", name="LĐLĐ tỉnh", kind=K.PROVINCIAL)
        district = province.add_child(code="B-D", name="LĐLĐ huyện", kind=K.LOCAL)
    data = xlsx(
        [
            HEADER,
            *(
                [f"B-N-{i}", f"Công đoàn cơ sở số {i}", "grassroots", "B-D", 100 + i % 50]
                for i in range(count)
            ),
        ]
    )
    print(f"{count} valid rows: {len(data) / 1024:.0f} KB")
    start = time.perf_counter()
    report = organizations_import(upload=SimpleUploadedFile("big.xlsx", data), by=admin)
    print(f"request (header checked, job queued): {time.perf_counter() - start:.2f} s")
    assert report.job is not None, report.problems
    measure("job (read, validate, insert, counters)", lambda: job_run(report.job.pk))
    job = Job.objects.get(pk=report.job.pk)
    print(job.state, job.message, job.problems[:3], job.error)
    print("created:", Organization.objects.filter(code__startswith="B-N-").count())


if __name__ == "__main__":
    {"junk": junk, "job": job}[sys.argv[1]]()
