"""The clock of a test run: the suite must pass on any day and at any hour.

Every run moves the whole process's clock (``time-machine``, ticking from there) to one moment,
given with ``--clock "2027-12-31 23:30"`` or ``TEST_CLOCK=...`` (Vietnamese time), or ``now`` for
the real clock. Without either, the run picks a random moment of the year, hours after 17:00 UTC
(Hà Nội's next day) included, and prints it at the top so that a failure can be repeated:

    make test PYTEST_ARGS='--clock "2028-02-29 08:00"'

The moment is put in ``TEST_CLOCK`` so that processes the run starts agree with it.
"""

import datetime as dt
import os
import random
import zoneinfo

import time_machine

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
FORMAT = "%Y-%m-%d %H:%M"
_travel = None


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=None,
        help='moment of the run\'s clock, Vietnamese time ("YYYY-MM-DD HH:MM"), or "now"; '
        "default: $TEST_CLOCK, else a random moment of the year",
    )


def random_moment(rng: random.Random, year: int) -> dt.datetime:
    """A random minute of ``year`` in Hà Nội."""
    start = dt.datetime(year, 1, 1, tzinfo=HANOI)
    minutes = (dt.datetime(year + 1, 1, 1, tzinfo=HANOI) - start) // dt.timedelta(minutes=1)
    return start + dt.timedelta(minutes=rng.randrange(minutes))


def parse(value: str) -> dt.datetime:
    return dt.datetime.strptime(value.strip(), FORMAT).replace(tzinfo=HANOI)


def chosen_moment(config) -> dt.datetime | None:
    value = config.getoption("--clock") or os.environ.get("TEST_CLOCK")
    if value and value.strip().lower() == "now":
        return None
    if value:
        return parse(value)
    return random_moment(random.Random(), dt.date.today().year)


def pytest_configure(config):
    global _travel
    moment = chosen_moment(config)
    os.environ["TEST_CLOCK"] = moment.strftime(FORMAT) if moment else "now"
    config._test_clock = moment
    if moment is not None and _travel is None:
        _travel = time_machine.travel(moment, tick=True)
        _travel.start()


def pytest_unconfigure(config):
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def pytest_report_header(config):
    moment = getattr(config, "_test_clock", None)
    if moment is None:
        return "clock: the real one (--clock now)"
    return (
        f"clock: {moment.strftime(FORMAT)} in Hà Nội ({moment.astimezone(dt.UTC):%H:%M} UTC);"
        f' repeat with --clock "{moment.strftime(FORMAT)}"'
    )
