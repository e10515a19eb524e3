"""The calendar arithmetic of a plan, and the words of official documents."""

import datetime as dt
from types import SimpleNamespace

import pytest

from campaigns import dates
from emulation.documents import document_number, paragraphs, place_and_date, vietnamese_date

D = dt.date


@pytest.mark.parametrize(
    ("year", "origin", "expected"),
    [
        (2017, 1930, 87),  # Party founding
        (2017, 1992, 25),  # re-establishment of Ninh Bình province
        (2017, 1975, 42),
        (2017, 1890, 127),  # President Ho Chi Minh's birthday
        (2017, 1948, 69),
        (2017, 1929, 88),
        (2017, 1945, 72),
        (2026, 1930, 96),
        (2017, 2016, 1),
        (2017, 2017, None),  # the event itself, not an anniversary
        (2017, 2020, None),  # not yet happened
        (2017, None, None),  # a day without a year (Workers' Month)
    ],
)
def test_anniversary_is_campaign_year_minus_origin_year(year, origin, expected):
    assert dates.anniversary(year, origin) == expected


@pytest.mark.parametrize(
    ("number", "is_round", "is_decade"),
    [
        (25, True, False),
        (50, True, True),
        (130, True, True),
        (87, False, False),
        (None, False, False),
        (0, False, False),
    ],
)
def test_round_anniversaries_are_multiples_of_five_and_ten(number, is_round, is_decade):
    assert dates.is_round(number) is is_round
    assert dates.is_decade(number) is is_decade


def test_date_in_year_refuses_29_february_of_a_common_year():
    assert dates.date_in_year(2016, 2, 29) == D(2016, 2, 29)
    with pytest.raises(ValueError):
        dates.date_in_year(2017, 2, 29)
    assert dates.exists_in_some_year(2, 29)
    assert not dates.exists_in_some_year(2, 30)
    assert not dates.exists_in_some_year(13, 1)
    assert not dates.exists_in_some_year(None, 1)


def test_shift_year_keeps_the_day_and_turns_29_february_into_28():
    assert dates.shift_year(D(2017, 8, 31), 9) == D(2026, 8, 31)
    assert dates.shift_year(D(2016, 2, 29), 1) == D(2017, 2, 28)
    assert dates.shift_year(D(2016, 2, 29), 4) == D(2020, 2, 29)
    assert dates.shift_year(None, 1) is None


def test_phase_lookup_finds_the_phase_holding_a_day_or_none_in_a_gap():
    first = SimpleNamespace(name="Đợt 1", start=D(2017, 1, 1), end=D(2017, 8, 31))
    second = SimpleNamespace(name="Đợt 2", start=D(2017, 9, 15), end=D(2017, 12, 31))
    phases = [second, first]  # order does not matter
    assert dates.phase_for(D(2017, 1, 1), phases) is first  # first day included
    assert dates.phase_for(D(2017, 8, 31), phases) is first  # last day included
    assert dates.phase_for(D(2017, 9, 2), phases) is None  # a gap between phases
    assert dates.phase_for(D(2017, 9, 15), phases) is second
    assert dates.phase_for(D(2017, 12, 31), phases) is second
    assert dates.phase_for(D(2018, 1, 1), phases) is None
    assert dates.phase_for(D(2017, 5, 1), []) is None


def test_milestone_wording_in_the_plans_own_form():
    assert (
        dates.milestone_wording(
            name="Ngày thành lập Đảng Cộng sản Việt Nam",
            day=D(2017, 2, 3),
            origin_year=1930,
            anniversary=87,
        )
        == "kỷ niệm 87 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2017)"
    )
    # A period without a year: Workers' Month.
    assert (
        dates.milestone_wording(
            name="Tháng Công nhân", day=D(2017, 5, 1), end=D(2017, 5, 31), anniversary=None
        )
        == "tổ chức các hoạt động Tháng Công nhân (01/05/2017 - 31/05/2017)"
    )
    assert (
        dates.milestone_wording(name="ngày Quốc tế Lao động", day=D(2017, 5, 1))
        == "kỷ niệm ngày Quốc tế Lao động (01/05/2017)"
    )
    # A holiday's own template; placeholders are replaced, nothing else is interpreted.
    assert (
        dates.milestone_wording(
            name="x",
            template="chào mừng {n} năm {name} {origin}/{date} {0} {n.__class__}",
            day=D(2017, 7, 28),
            origin_year=1929,
            anniversary=88,
        )
        == "chào mừng 88 năm x 28/07/1929/28/07/2017 {0} {n.__class__}"
    )


def test_number_in_words():
    assert dates.number_in_words(2) == "hai"
    assert dates.number_in_words(12) == "12"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2017, 2, 23), "ngày 23 tháng 02 năm 2017"),  # months 1 and 2 take a zero
        (D(2017, 1, 5), "ngày 05 tháng 01 năm 2017"),  # days below 10 too
        (D(2017, 3, 9), "ngày 09 tháng 3 năm 2017"),
        (D(2017, 12, 31), "ngày 31 tháng 12 năm 2017"),
    ],
)
def test_vietnamese_date_follows_decree_30(day, expected):
    assert vietnamese_date(day) == expected


def test_place_date_number_and_paragraphs():
    assert place_and_date("Ninh Bình", D(2017, 2, 23)) == "Ninh Bình, ngày 23 tháng 02 năm 2017"
    assert place_and_date("Ninh Bình", None).startswith("Ninh Bình, ngày ")
    assert document_number(13, "KH-LĐLĐ") == "13/KH-LĐLĐ"
    assert document_number(5, "QĐ-LĐLĐ") == "05/QĐ-LĐLĐ"  # below 10: a leading zero
    assert document_number(None, "KH-LĐLĐ").endswith("/KH-LĐLĐ")
    assert paragraphs("  một   hai \n\n\nba\n") == ["một hai", "ba"]
