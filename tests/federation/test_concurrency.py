"""Four staff import units under one parent at the same moment: each import waits for the one
before it (the parent's row is locked), so every new unit gets its own path and no one gets an
error page. PostgreSQL only: SQLite locks the whole database and has no row locks."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from federation.models import Organization, Role
from federation.services.imports import organizations_import
from tests.conftest import build_world
from tests.factories import make_member

pytestmark = [
    pytest.mark.usefixtures("media_tmp"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite has none",
    ),
]

HEADER = "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên\n"


def test_four_imports_under_one_parent_at_once():
    world = build_world()
    people = [world.staff] + [
        make_member(world.province, Role.STAFF, f"staff{i}") for i in range(3)
    ]
    barrier = threading.Barrier(len(people))
    results: dict[int, object] = {}

    def run(index, person):
        from django.db import connections

        body = HEADER + "".join(
            f"NB-P-T{index}-{i},Công đoàn cơ sở {index}.{i},grassroots,NB-P\n" for i in range(40)
        )
        try:
            barrier.wait(timeout=10)
            results[index] = organizations_import(
                upload=SimpleUploadedFile(f"{index}.csv", body.encode()), by=person
            )
        except Exception as exc:  # noqa: BLE001 - what a web request would turn into a 500
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for index, report in results.items():
        assert not isinstance(report, Exception), f"import {index} failed: {report!r}"
        assert report.ok and report.created == 40, report.problems
    assert len(results) == 4
    district = Organization.objects.get(code="NB-P")
    children = Organization.objects.filter(path__startswith=district.path, depth=district.depth + 1)
    assert children.count() == 2 + 160
    assert district.numchild == 2 + 160
    assert Organization.objects.find_problems() == ([], [], [], [], [])
