# SPDX-License-Identifier: EUPL-1.2
"""Recurrence rules: what is accepted, how it is stored, and the sessions it gives,
checked against dates worked out independently with the standard library's
calendar."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from cirkelregio.events import recurrence
from cirkelregio.events.recurrence import AMSTERDAM, RecurrenceError

START = dt.datetime(2027, 1, 9, 10, 0, tzinfo=AMSTERDAM)  # the second Saturday
END = dt.datetime(2027, 1, 9, 13, 0, tzinfo=AMSTERDAM)


def second_saturdays(year: int) -> list[dt.date]:
    """The second Saturday of every month of ``year``, from the calendar."""
    out = []
    for month in range(1, 13):
        saturdays = [
            week[calendar.SATURDAY]
            for week in calendar.monthcalendar(year, month)
            if week[calendar.SATURDAY]
        ]
        out.append(dt.date(year, month, saturdays[1]))
    return out


def test_second_saturday_gives_the_second_saturday_of_every_month() -> None:
    rule = recurrence.normalise("FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231", START)
    sessions = recurrence.occurrences(START, END, rule)
    assert [s.start.date() for s in sessions] == second_saturdays(2027)
    assert [s.start.date() for s in sessions][:4] == [
        dt.date(2027, 1, 9),
        dt.date(2027, 2, 13),
        dt.date(2027, 3, 13),
        dt.date(2027, 4, 10),
    ]


def test_sessions_keep_their_wall_clock_time_across_summer_time() -> None:
    rule = recurrence.normalise("FREQ=MONTHLY;BYDAY=2SA;COUNT=12", START)
    sessions = recurrence.occurrences(START, END, rule)
    assert {(s.start.time(), s.end.time()) for s in sessions} == {
        (dt.time(10), dt.time(13))
    }
    march, april = sessions[2], sessions[3]
    assert march.start.utcoffset() == dt.timedelta(hours=1)
    assert april.start.utcoffset() == dt.timedelta(hours=2)
    assert april.start.astimezone(dt.UTC).hour == 8


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        # A date is the end of that day in Amsterdam (winter: UTC+1).
        (
            "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231",
            "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231T225959Z",
        ),
        # A local time is Amsterdam time (summer: UTC+2).
        (
            "RRULE:freq=monthly;byday=2sa;until=20270710T130000",
            "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270710T110000Z",
        ),
        ("BYDAY=2SA;FREQ=MONTHLY;COUNT=3", "FREQ=MONTHLY;BYDAY=2SA;COUNT=3"),
        (
            "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270313T090000Z",
            "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270313T090000Z",
        ),
        ("  ", ""),
    ],
)
def test_rules_are_stored_in_normal_form(given: str, stored: str) -> None:
    assert recurrence.normalise(given, START) == stored


def test_until_is_included_to_the_end_of_the_day() -> None:
    rule = recurrence.normalise("FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270313", START)
    dates = [s.start.date() for s in recurrence.occurrences(START, END, rule)]
    assert dates == [dt.date(2027, 1, 9), dt.date(2027, 2, 13), dt.date(2027, 3, 13)]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("every second saturday", recurrence.NOT_A_RULE),
        ("FREQ=MONTHLY\nRRULE:FREQ=DAILY", recurrence.NOT_A_RULE),
        ("DTSTART:20270109T100000", recurrence.NOT_A_RULE),
        ("FREQ=MONTHLY;BYEASTER=1;COUNT=2", recurrence.UNKNOWN_PART),
        ("FREQ=MONTHLY;FREQ=WEEKLY;COUNT=2", recurrence.REPEATED_PART),
        ("BYDAY=2SA;COUNT=3", recurrence.NEED_FREQ),
        ("FREQ=HOURLY;COUNT=3", recurrence.NEED_FREQ),
        ("FREQ=MONTHLY;BYDAY=2SA", recurrence.NEED_END),
        ("FREQ=MONTHLY;BYDAY=2SA;COUNT=3;UNTIL=20271231", recurrence.NEED_END),
        ("FREQ=MONTHLY;BYDAY=2SA;COUNT=0", recurrence.BAD_NUMBER),
        ("FREQ=MONTHLY;BYDAY=2SA;COUNT=-1", recurrence.BAD_NUMBER),
        ("FREQ=MONTHLY;INTERVAL=0;COUNT=3;BYDAY=2SA", recurrence.BAD_NUMBER),
        ("FREQ=MONTHLY;BYDAY=2SA;UNTIL=20270231", recurrence.BAD_UNTIL),
        ("FREQ=MONTHLY;BYDAY=2SA;UNTIL=next year", recurrence.BAD_UNTIL),
        ("FREQ=MONTHLY;BYDAY=2XX;COUNT=3", recurrence.INVALID_RULE),
        ("FREQ=MONTHLY;WKST=XX;COUNT=3", recurrence.INVALID_RULE),
        ("FREQ=MONTHLY;BYDAY=2SA;BYHOUR=10;COUNT=3", recurrence.UNKNOWN_PART),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", recurrence.PART_NOT_WITH_FREQ),
        ("FREQ=WEEKLY;BYSETPOS=1;COUNT=3", recurrence.PART_NOT_WITH_FREQ),
        ("FREQ=MONTHLY;BYMONTHDAY=40;COUNT=3", recurrence.NO_OCCURRENCE),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", recurrence.NO_OCCURRENCE),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", recurrence.NO_OCCURRENCE),
        ("FREQ=MONTHLY;BYDAY=2SA;UNTIL=20261231", recurrence.NO_OCCURRENCE),
        ("FREQ=MONTHLY;BYDAY=1SA;COUNT=3", recurrence.START_NOT_IN_RULE),
        ("FREQ=WEEKLY;COUNT=261", recurrence.TOO_MANY),
        ("FREQ=DAILY;UNTIL=20280101", recurrence.TOO_MANY),
        ("FREQ=YEARLY;COUNT=7", recurrence.TOO_LONG),
    ],
)
def test_unusable_rules_are_refused_with_the_reason(rule: str, message: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        recurrence.normalise(rule, START)
    assert caught.value.message == message


def test_the_start_that_is_not_a_date_of_the_rule_names_the_first_one() -> None:
    with pytest.raises(RecurrenceError) as caught:
        recurrence.normalise("FREQ=MONTHLY;BYDAY=1SA;COUNT=3", START)
    assert caught.value.params == {"first": "2027-02-06 10:00"}


def test_weekday_rules_are_daily_and_weekly() -> None:
    start = dt.datetime(2027, 3, 15, 16, 0, tzinfo=AMSTERDAM)  # a Monday
    end = start + dt.timedelta(hours=2)
    weekdays = recurrence.normalise("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=6", start)
    days = [s.start.date() for s in recurrence.occurrences(start, end, weekdays)]
    assert days == [dt.date(2027, 3, d) for d in (15, 16, 17, 18, 19, 22)]


def test_the_limits_themselves_are_accepted() -> None:
    assert recurrence.normalise("FREQ=WEEKLY;COUNT=260", START)
    assert recurrence.normalise("FREQ=YEARLY;COUNT=6", START)  # 2027 to 2032


def test_occurrences_in_a_period_include_sessions_that_overlap_it() -> None:
    rule = recurrence.normalise("FREQ=MONTHLY;BYDAY=2SA;COUNT=12", START)
    after = dt.datetime(2027, 3, 13, 12, 0, tzinfo=AMSTERDAM)  # during March's
    before = dt.datetime(2027, 4, 10, 10, 0, tzinfo=AMSTERDAM)  # April's start
    sessions = recurrence.occurrences(START, END, rule, after=after, before=before)
    assert [s.start.date() for s in sessions] == [dt.date(2027, 3, 13)]
    ended = dt.datetime(2027, 3, 13, 13, 0, tzinfo=AMSTERDAM)
    assert not recurrence.occurrences(START, END, rule, after=ended, before=before)


def test_a_single_session_and_the_last_end() -> None:
    assert recurrence.occurrences(START, END, "") == [recurrence.Occurrence(START, END)]
    assert recurrence.last_end(START, END, "") == END
    rule = recurrence.normalise("FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231", START)
    assert recurrence.last_end(START, END, rule) == dt.datetime(
        2027, 12, 11, 13, 0, tzinfo=AMSTERDAM
    )


def test_day_range_covers_whole_days_in_amsterdam() -> None:
    after, before = recurrence.day_range(dt.date(2027, 3, 15), dt.date(2027, 3, 20))
    assert after == dt.datetime(2027, 3, 15, 0, 0, tzinfo=AMSTERDAM)
    assert before == dt.datetime(2027, 3, 21, 0, 0, tzinfo=AMSTERDAM)
    assert recurrence.day_range(None, None) == (None, None)
