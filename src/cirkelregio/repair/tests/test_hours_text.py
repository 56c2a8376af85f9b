# SPDX-License-Identifier: EUPL-1.2
"""Opening hours in words (``hours_text.describe``), pinned in Dutch and English,
and the next opening and closing (``hours.next_opening``, ``hours.next_change``)."""

from __future__ import annotations

import datetime as dt

import pytest

from cirkelregio.repair import hours, hours_text
from cirkelregio.repair.hours import AMSTERDAM

CASES = [
    (
        "Sa[2] 10:00-13:00; PH off",
        [
            "Every 2nd Saturday of the month: 10:00–13:00",
            "Closed on public holidays",
        ],
        ["Elke 2e zaterdag van de maand: 10.00–13.00 uur", "Gesloten op feestdagen"],
    ),
    (
        "Mo-Fr 09:00-17:30; Sa 09:00-16:00; PH off",
        [
            "Monday to Friday: 09:00–17:30",
            "Saturday: 09:00–16:00",
            "Closed on public holidays",
        ],
        [
            "Maandag tot en met vrijdag: 09.00–17.30 uur",
            "Zaterdag: 09.00–16.00 uur",
            "Gesloten op feestdagen",
        ],
    ),
    (
        "Sa[1,3] 10:00-13:00",
        ["Every 1st and 3rd Saturday of the month: 10:00–13:00"],
        ["Elke 1e en 3e zaterdag van de maand: 10.00–13.00 uur"],
    ),
    (
        "We[-1] 19:00-21:30",
        ["Every last Wednesday of the month: 19:00–21:30"],
        ["Elke laatste woensdag van de maand: 19.00–21.30 uur"],
    ),
    (
        "Mo,We,Fr 10:00-12:00,13:00-17:00",
        ["Monday, Wednesday and Friday: 10:00–12:00 and 13:00–17:00"],
        ["Maandag, woensdag en vrijdag: 10.00–12.00 en 13.00–17.00 uur"],
    ),
    (
        "Sa-Su 11:00-16:00",
        ["Saturday and Sunday: 11:00–16:00"],
        ["Zaterdag en zondag: 11.00–16.00 uur"],
    ),
    (
        "Mo-Su 08:00-18:00",
        ["Every day: 08:00–18:00"],
        ["Elke dag: 08.00–18.00 uur"],
    ),
    ("24/7", ["Every day: day and night"], ["Elke dag: dag en nacht"]),
    (
        "Su,PH off; Mo-Sa 10:00-18:00",
        ["Sunday and public holidays: closed", "Monday to Saturday: 10:00–18:00"],
        [
            "Zondag en feestdagen: gesloten",
            "Maandag tot en met zaterdag: 10.00–18.00 uur",
        ],
    ),
    (
        "Mo-Fr 09:00-17:00; PH 10:00-12:00",
        ["Monday to Friday: 09:00–17:00", "Public holidays: 10:00–12:00"],
        ["Maandag tot en met vrijdag: 09.00–17.00 uur", "Feestdagen: 10.00–12.00 uur"],
    ),
    (
        "Tu-Th 13:00-17:00; SH off",
        ["Tuesday to Thursday: 13:00–17:00", "Closed during school holidays"],
        [
            "Dinsdag tot en met donderdag: 13.00–17.00 uur",
            "Gesloten in de schoolvakanties",
        ],
    ),
    # Overlapping rules: a later one replaces an earlier one on the days both
    # select, so the library's normal form (no overlaps) is put in words.
    (
        "Mo-Sa 10:00-18:00; We off",
        ["Monday, Tuesday and Thursday to Saturday: 10:00–18:00"],
        ["Maandag, dinsdag en donderdag tot en met zaterdag: 10.00–18.00 uur"],
    ),
    (
        "Mo-Sa 10:00-18:00; Sa 10:00-17:00; PH off",
        [
            "Monday to Friday: 10:00–18:00",
            "Saturday: 10:00–17:00",
            "Closed on public holidays",
        ],
        [
            "Maandag tot en met vrijdag: 10.00–18.00 uur",
            "Zaterdag: 10.00–17.00 uur",
            "Gesloten op feestdagen",
        ],
    ),
    # ", " separates rules: "Mo, We 10:00-12:00" is Monday (all day) and Wednesday.
    (
        "Mo, We 10:00-12:00",
        ["Monday: day and night", "Wednesday: 10:00–12:00"],
        ["Maandag: dag en nacht", "Woensdag: 10.00–12.00 uur"],
    ),
]


@pytest.mark.parametrize(("expression", "english", "dutch"), CASES)
def test_common_patterns_in_words(
    expression: str, english: list[str], dutch: list[str]
) -> None:
    assert hours_text.describe(expression, "en") == english
    assert hours_text.describe(expression, "nl") == dutch


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "op afspraak",  # not opening_hours syntax
        "Mo-Fr 10:00-17:00; Jul-Aug off",  # months
        'Sa[2] 10:00-13:00 "check the website"',  # a comment
        "Mo-Fr 22:00-02:00",  # past midnight
        "Mo-Fr 09:00-17:00 || unknown",  # a fallback rule
        "sunrise-sunset",
        "Mo-Fr 10:00+",  # open end
        "Sa 10:00-16:00; Sa[2] 10:00-13:00",  # overlapping, also when normalized
        "week 1-26 Mo 10:00-12:00",
        "2027 Dec 24 off",
    ],
)
def test_what_it_does_not_put_in_words(expression: str) -> None:
    assert hours_text.describe(expression, "en") is None
    assert hours_text.describe(expression, "nl") is None


def test_other_languages_get_english() -> None:
    assert hours_text.describe("Mo 10:00-12:00", "fr") == ["Monday: 10:00–12:00"]
    assert hours_text.describe("Mo 10:00-12:00", "nl-be") == [
        "Maandag: 10.00–12.00 uur"
    ]


def _at(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=AMSTERDAM)


def test_next_opening_and_closing() -> None:
    rule = "Sa[2] 10:00-13:00; PH off"
    # Saturday 11 July 2026 is the second Saturday of July.
    assert dt.date(2026, 7, 11).weekday() == 5
    assert hours.next_change(rule, _at("2026-07-11", "11:00")) == _at(
        "2026-07-11", "13:00"
    )
    assert hours.next_opening(rule, _at("2026-07-11", "11:00")) is None  # open
    assert hours.next_opening(rule, _at("2026-07-11", "14:00")) == _at(
        "2026-08-08", "10:00"
    )
    # A naive moment is Amsterdam time.
    assert hours.next_opening(
        rule,
        dt.datetime(2026, 7, 11, 14, 0),  # noqa: DTZ001
    ) == _at("2026-08-08", "10:00")
    # Over Christmas (Friday 25 and Saturday 26 December 2026) to Monday.
    weekdays = "Mo-Fr 09:00-17:00; PH off"
    assert hours.next_opening(weekdays, _at("2026-12-24", "18:00")) == _at(
        "2026-12-28", "09:00"
    )
    # Never open, unknown (school holidays), unreadable: no next opening.
    assert hours.next_opening("off", _at("2026-07-11", "11:00")) is None
    assert (
        hours.next_opening("Mo 10:00-12:00; SH off", _at("2026-07-11", "11:00")) is None
    )
    assert hours.next_opening("op afspraak", _at("2026-07-11", "11:00")) is None
    assert hours.next_change("op afspraak", _at("2026-07-11", "11:00")) is None


def test_a_wall_time_that_does_not_exist() -> None:
    """02:30 on 29 March 2026 is skipped when summer time starts: it is read as
    03:30 summer time, not refused."""
    gap = dt.datetime(2026, 3, 29, 2, 30, tzinfo=AMSTERDAM)
    assert hours.is_open("Su 03:00-04:00", gap) is True
    assert hours.is_open("Su 03:00-04:00", gap.replace(tzinfo=None)) is True
    assert hours.next_change("Su 03:00-04:00", gap) == _at("2026-03-29", "04:00")
