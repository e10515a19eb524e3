"""Dispatch for the whole confederation's size, on an empty database of its own:

    DATABASE_URL=postgres://.../emulation_rem_bench python -m reminders.bench [UNITS]

Builds a provincial issuer with 1,200 upper units and UNITS grassroots units (130,000 by
default), each with a mailbox and one officer, a campaign with its default rules, then times
the dispatch of the day after the registration deadline (every unit late: a delivery, an email
and a notification each, plus the reviewers' notices and the department's digest) and of the
same day again (nothing new). Prints the figures and the number of queries.
"""

import datetime as dt
import multiprocessing
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")


def work(_index: int) -> int:
    """One worker's share of the pending deliveries (claimed with SKIP LOCKED)."""
    from django.db import connections

    from reminders import services

    connections.close_all()
    return services.process_pending().processed


def main(units: int) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from campaigns.models import Campaign, CampaignStatus
    from federation.models import Department, Membership, Organization, Role
    from federation.services import NewUnit, organizations_bulk_create
    from reminders import services
    from reminders.models import Delivery, Notification, OutboxMessage

    call_command("migrate", verbosity=0)
    if Organization.objects.exists():
        sys.exit("The benchmark needs an empty database of its own.")
    started = time.perf_counter()
    uppers = 1200
    rows = [
        NewUnit("BN", "Tổng Liên đoàn", "national"),
        NewUnit("BP", "LĐLĐ tỉnh", "provincial", "BN"),
    ]
    rows += [NewUnit(f"U{i:04d}", f"Công đoàn cấp trên {i}", "upper", "BP") for i in range(uppers)]
    rows += [
        NewUnit(
            f"G{i:06d}",
            f"Công đoàn cơ sở {i}",
            "grassroots",
            f"U{i % uppers:04d}",
            email=f"g{i}@example.vn",
        )
        for i in range(units)
    ]
    organizations_bulk_create(rows)
    province = Organization.objects.get(code="BP")
    department = Department.objects.create(
        organization=province, name="Ban CSPL", email="cspl@example.vn"
    )
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"o{i}", email=f"o{i}@example.vn") for i in range(units)], batch_size=5000
    )
    users = dict(User.objects.values_list("username", "pk"))
    orgs = dict(Organization.objects.filter(code__startswith="G").values_list("code", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=users[f"o{i}"], organization_id=orgs[f"G{i:06d}"], role=Role.OFFICER)
            for i in range(units)
        ],
        batch_size=5000,
    )
    campaign = Campaign.objects.create(
        issuer=province,
        year=2030,
        title="Bench",
        slug="bench",
        status=CampaignStatus.ACTIVE,
        registration_deadline=dt.date(2030, 3, 31),
        receiving_department=department,
    )
    print(f"setup: {time.perf_counter() - started:.1f} s, {campaign.reminder_rules.count()} rules")
    from django.db import connections

    workers = int(os.environ.get("WORKERS", str(os.cpu_count() or 2)))

    for label in ("first run", "same day again"):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = services.dispatch(today=dt.date(2030, 4, 1), process=False)
            planned = time.perf_counter() - started
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            processed = sum(pool.map(work, range(workers)))
        elapsed = time.perf_counter() - started
        print(
            f"{label}: {elapsed:.1f} s in all ({planned:.1f} s to write the deliveries in "
            f"{len(queries)} queries, then {workers} workers), {result.due} due, "
            f"{result.created} new, {processed} processed"
        )
    print(
        f"rows: {Delivery.objects.count()} deliveries, {OutboxMessage.objects.count()} emails, "
        f"{Notification.objects.count()} notifications"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 130_000)
