"""Publication dates: calendars, month names in three languages, plausibility window, relative dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agents.clean.calendars import lunar_hijri_to_gregorian, solar_hijri_to_gregorian
from agents.clean.dates import DateWindow, find_date, find_relative_date, parse_machine_date
from agents.text.normalize import normalize

WINDOW = DateWindow(anchor=datetime(2025, 12, 28, 7, 15, tzinfo=UTC), min_year=1990)


@pytest.mark.parametrize(
    ("solar", "gregorian"),
    [
        ((1404, 10, 7), date(2025, 12, 28)),
        ((1404, 1, 1), date(2025, 3, 21)),
        ((1403, 12, 30), date(2025, 3, 20)),
        ((1399, 1, 1), date(2020, 3, 20)),
        ((1357, 11, 22), date(1979, 2, 11)),
    ],
)
def test_solar_hijri_known_dates(solar: tuple[int, int, int], gregorian: date) -> None:
    assert solar_hijri_to_gregorian(*solar) == gregorian


def test_lunar_hijri_tabular_dates_are_within_two_days_of_the_observed_calendar() -> None:
    observed = {
        (1446, 9, 1): date(2025, 3, 1),
        (1445, 10, 1): date(2024, 4, 10),
        (1447, 1, 1): date(2025, 6, 26),
    }
    for hijri, gregorian in observed.items():
        converted = lunar_hijri_to_gregorian(*hijri)
        assert converted is not None and abs((converted - gregorian).days) <= 2


@pytest.mark.parametrize("bad", [(1404, 13, 1), (1404, 7, 31), (1404, 0, 5)])
def test_out_of_range_solar_dates_are_rejected(bad: tuple[int, int, int]) -> None:
    assert solar_hijri_to_gregorian(*bad) is None


@pytest.mark.parametrize(
    ("line", "expected", "precision"),
    [
        ("تاريخ النشر: 28th, April 2025 GMT", datetime(2025, 4, 28, tzinfo=UTC), "date"),
        ("1404/10/07", datetime(2025, 12, 28, tzinfo=UTC), "date"),
        ("۱۴۰۴/۱۰/۰۷", datetime(2025, 12, 28, tzinfo=UTC), "date"),
        ("۷ دی ۱۴۰۴", datetime(2025, 12, 28, tzinfo=UTC), "date"),
        ("الأحد 27 أبريل 2025 - 10:30 ص", datetime(2025, 4, 27, tzinfo=UTC), "date"),
        ("27 إبريل 2025", datetime(2025, 4, 27, tzinfo=UTC), "date"),
        ("12 نيسان 2025", datetime(2025, 4, 12, tzinfo=UTC), "date"),
        ("4 كانون الثاني 2025", datetime(2025, 1, 4, tzinfo=UTC), "date"),
        ("12 غشت 2025", datetime(2025, 8, 12, tzinfo=UTC), "date"),
        ("٣ أغسطس/آب ٢٠٢٥", datetime(2025, 8, 3, tzinfo=UTC), "date"),
        ("March 3, 2025 10:15 GMT", datetime(2025, 3, 3, 10, 15, tzinfo=UTC), "datetime"),
        ("2025-04-28T09:30:00+03:00", datetime(2025, 4, 28, 6, 30, tzinfo=UTC), "datetime"),
        ("28/04/2025", datetime(2025, 4, 28, tzinfo=UTC), "date"),
        ("15 رمضان 1446 هـ", datetime(2025, 3, 15, tzinfo=UTC), "date"),
        ("Published Nov. 11, 2025 at 6:45 p.m.", datetime(2025, 11, 11, tzinfo=UTC), "date"),  # AP style
        ("Updated 3 Sept. 2025", datetime(2025, 9, 3, tzinfo=UTC), "date"),
    ],
)
def test_find_date(line: str, expected: datetime, precision: str) -> None:
    found = find_date(normalize(line), WINDOW)
    assert found is not None
    assert (found.value, found.precision) == (expected, precision)


@pytest.mark.parametrize("line", ["30 ديسمبر 2025", "2031-01-01", "5 May 1850", "1450/01/01"])
def test_implausible_dates_are_rejected(line: str) -> None:
    assert find_date(normalize(line), WINDOW) is None


def test_a_date_the_day_after_fetching_is_still_accepted() -> None:
    found = find_date(normalize("29 ديسمبر 2025"), DateWindow(WINDOW.anchor.replace(hour=23), 1990))
    assert found is not None


def test_event_dates_without_a_year_are_not_publication_dates() -> None:
    assert find_date(normalize("في 18 ديسمبر الماضي"), WINDOW) is None


@pytest.mark.parametrize(
    ("line", "header", "expected"),
    [
        ("صدر عن الكرملين صباح اليوم الإثنين بيان", False, date(2025, 12, 22)),
        ("صدر بيان اليوم الأحد", False, date(2025, 12, 28)),
        ("منذ 3 ساعات", True, date(2025, 12, 28)),
        ("منذ 10 ساعات", True, date(2025, 12, 27)),
        ("Updated 2 hours ago", True, date(2025, 12, 28)),
        ("أمس", True, date(2025, 12, 27)),
        ("منذ 3 ساعات", False, None),
    ],
)
def test_relative_dates(line: str, header: bool, expected: date | None) -> None:
    found = find_relative_date(normalize(line), WINDOW, header)
    assert (found.value.date() if found else None) == expected
    if found:
        assert found.precision == "date"


def test_machine_dates_from_html_metadata() -> None:
    assert parse_machine_date("2025-03-05T08:20:00+03:30", WINDOW) == (
        datetime(2025, 3, 5, 4, 50, tzinfo=UTC),
        "datetime",
    )
    assert parse_machine_date("2025-03-05", WINDOW) == (datetime(2025, 3, 5, tzinfo=UTC), "date")
    assert parse_machine_date("2030-01-01T00:00:00Z", WINDOW) is None
