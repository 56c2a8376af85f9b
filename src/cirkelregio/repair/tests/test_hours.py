# SPDX-License-Identifier: EUPL-1.2
"""Opening hours: OpenStreetMap syntax in Amsterdam time with Dutch public holidays
(opening-hours-py with the country code NL). The weekdays of the dates are checked
here too, so that a wrong calendar assumption fails loudly."""

from __future__ import annotations

import datetime as dt

import pytest

from cirkelregio.repair import hours
from cirkelregio.repair.hours import AMSTERDAM


def at(day: str, time: str = "11:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=AMSTERDAM)


def test_second_saturday_of_the_month() -> None:
    first, second = dt.date(2027, 3, 6), dt.date(2027, 3, 13)
    assert first.weekday() == second.weekday() == 5  # Saturdays
    assert first.day <= 7 < second.day <= 14  # the 1st and the 2nd of March 2027
    assert hours.is_open("Sa[2] 10:00-13:00", at("2027-03-13")) is True
    assert hours.is_open("Sa[2] 10:00-13:00", at("2027-03-13", "13:30")) is False
    assert hours.is_open("Sa[2] 10:00-13:00", at("2027-03-06")) is False


def test_public_holiday_off_on_kings_day() -> None:
    assert dt.date(2027, 4, 27).weekday() == 1  # King's Day 2027 is a Tuesday
    rule = "Mo-Fr 09:00-17:00; PH off"
    assert hours.is_open(rule, at("2027-04-27")) is False
    assert hours.is_open(rule, at("2027-04-28")) is True
    assert hours.is_open(rule, at("2027-04-28", "17:30")) is False


def test_the_dutch_public_holidays_of_2027() -> None:
    holidays = [
        "2027-01-01",  # New Year's Day
        "2027-03-28",  # Easter Sunday
        "2027-03-29",  # Easter Monday
        "2027-04-27",  # King's Day
        "2027-05-06",  # Ascension Day
        "2027-05-16",  # Whit Sunday
        "2027-05-17",  # Whit Monday
        "2027-12-25",  # Christmas
        "2027-12-26",  # Boxing Day
    ]
    for day in holidays:
        assert hours.is_open("PH 10:00-12:00", at(day)) is True, day
    # Documented gaps of the calendar: Good Friday and Liberation Day.
    for day in ("2027-03-26", "2027-05-05", "2027-04-26"):
        assert hours.is_open("PH 10:00-12:00", at(day)) is False, day


def test_the_holiday_calendar_covers_2000_to_2076() -> None:
    years = hours.HOLIDAY_YEARS
    assert (years.start, years.stop) == (2000, 2077)
    rule = hours._parse("PH")
    assert rule.is_open(at("2000-12-25", "12:00"))
    assert not rule.is_open(at("1999-12-25", "12:00"))
    assert rule.is_open(at("2076-12-25", "12:00"))
    assert not rule.is_open(at("2077-12-25", "12:00"))
    # Outside those years a rule with PH cannot be told; one without PH can.
    assert hours.is_open("Mo-Fr 09:00-17:00; PH off", at("2080-12-25")) is None
    assert hours.is_open("Mo-Fr 09:00-17:00", at("2080-12-24")) is True


def test_times_are_amsterdam_time() -> None:
    rule = "Mo-Fr 09:00-17:00"
    utc = dt.UTC
    # Winter (CET, UTC+1) and summer (CEST, UTC+2).
    assert hours.is_open(rule, dt.datetime(2027, 3, 1, 7, 30, tzinfo=utc)) is False
    assert hours.is_open(rule, dt.datetime(2027, 3, 1, 8, 30, tzinfo=utc)) is True
    assert hours.is_open(rule, dt.datetime(2027, 7, 1, 14, 30, tzinfo=utc)) is True
    assert hours.is_open(rule, dt.datetime(2027, 7, 1, 15, 30, tzinfo=utc)) is False
    # A naive time is Amsterdam time.
    assert hours.is_open(rule, dt.datetime(2027, 3, 1, 9, 30)) is True  # noqa: DTZ001


@pytest.mark.parametrize(
    "expression", ["", "  ", "op afspraak", "Mo-Fr 9-17", "ma-vr 09:00-17:00"]
)
def test_missing_or_unreadable_hours_are_unknown(expression: str) -> None:
    assert hours.is_open(expression, at("2027-03-01")) is None


@pytest.mark.parametrize(
    ("expression", "readable"),
    [
        ("", True),
        ("Mo-Fr 09:00-17:00; PH off", True),
        ('Sa[2] 10:00-13:00 "tweede zaterdag"', True),
        ("24/7", True),
        ("op afspraak", False),
        ("Mo-Fr 9-17", False),
    ],
)
def test_parse_problem(expression: str, readable: bool) -> None:
    problem = hours.parse_problem(expression)
    assert (problem is None) is readable
    if not readable:
        assert problem is not None
        assert problem.startswith("not OpenStreetMap opening_hours syntax (at 1:")


def test_unknown_and_school_holidays_are_unknown() -> None:
    assert hours.is_open("Mo-Fr 09:00-17:00 unknown", at("2027-03-01")) is None
    # No Dutch school-holiday calendar: SH cannot be told.
    assert hours.is_open("Mo-Fr 09:00-17:00; SH off", at("2027-03-01")) is None
    # "SH" inside a comment is not a selector.
    assert hours.is_open('Mo-Fr 09:00-17:00 "SH"', at("2027-03-01")) is True
