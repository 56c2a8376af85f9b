# SPDX-License-Identifier: EUPL-1.2
"""Recurring repair events: an iCalendar recurrence rule (RFC 5545 ``RRULE``, e.g.
``FREQ=MONTHLY;BYDAY=2SA`` for every second Saturday), checked and expanded with
python-dateutil's ``rrulestr``.

Times are Europe/Amsterdam wall-clock times: a session from 10:00 to 13:00 stays at
10:00 to 13:00 in summer and in winter. A rule must end (``COUNT`` or ``UNTIL``),
within ``MAX_YEARS`` years of the first session and after at most
``MAX_OCCURRENCES`` sessions, so that every expansion is small. The first session
must itself be one of the rule's dates: calendar applications count the start as
an occurrence even when the rule does not produce it, dateutil does not, and the two
would disagree.

An ``UNTIL`` given as a date (``20271231``) or as a local time is read as Amsterdam
time (a date up to the end of that day) and stored in UTC, as RFC 5545 requires for
a start with a time zone.

Messages are English and marked for translation; the services translate them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_noop

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

__all__ = [
    "AMSTERDAM",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_OCCURRENCES",
    "MAX_YEARS",
    "Occurrence",
    "RecurrenceError",
    "day_range",
    "last_end",
    "normalise",
    "occurrences",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_OCCURRENCES = 260  # weekly for five years
# Events and periods lie in these years (and far from the ends of Python's dates).
FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_YEARS = 5
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# The rule parts of RFC 5545 (3.3.10) that a repair event may use; dateutil knows a
# few more (BYEASTER, ...) that calendar applications do not. The time of day comes
# from the start, so BYHOUR, BYMINUTE and BYSECOND are left out.
PARTS = (
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
)
# A daily or weekly rule filters on weekday and month only: those always match
# within a year. Other filters could match never, and dateutil then searches day by
# day up to the year 9999 (seconds of work) before it says so.
DAY_PARTS = {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYDAY", "BYMONTH", "WKST"}
_NUMBER = re.compile(r"^[0-9]{1,6}$")
_DATE = r"([0-9]{4})([0-9]{2})([0-9]{2})"
_UNTIL_DATE = re.compile(rf"^{_DATE}$")
_UNTIL_TIME = re.compile(rf"^{_DATE}T([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})(Z?)$")

NOT_A_RULE = gettext_noop(
    "Give an iCalendar recurrence rule of PART=VALUE pairs separated by "
    "semicolons, e.g. FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231."
)
UNKNOWN_PART = gettext_noop("Unknown rule part %(part)s.")
PART_NOT_WITH_FREQ = gettext_noop(
    "%(part)s cannot be used with FREQ=%(freq)s here; use FREQ=MONTHLY or YEARLY."
)
REPEATED_PART = gettext_noop("The rule part %(part)s is given twice.")
NEED_FREQ = gettext_noop("Give the frequency: FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
NEED_END = gettext_noop(
    "The recurrence must end: give COUNT (the number of sessions) or UNTIL (the "
    "last date), not both."
)
BAD_NUMBER = gettext_noop("%(part)s must be a whole number of at least 1.")
BAD_UNTIL = gettext_noop(
    "UNTIL must be a date (20271231) or a date and time (20271231T170000Z)."
)
INVALID_RULE = gettext_noop("This is not a valid recurrence rule: %(reason)s.")
NO_OCCURRENCE = gettext_noop("The rule gives no date on or after the start.")
START_NOT_IN_RULE = gettext_noop(
    "The start must be one of the rule's dates; the first date after it is %(first)s."
)
TOO_MANY = gettext_noop("The rule gives more than %(max)d sessions.")
TOO_LONG = gettext_noop(
    "The last session must be within %(years)d years of the first; the rule "
    "goes on until %(last)s."
)


class RecurrenceError(ValueError):
    """A rule that cannot be used: ``message % params`` says why (English, marked
    for translation)."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)


@dataclass(frozen=True)
class Occurrence:
    """One session of an event, in Amsterdam time."""

    start: dt.datetime
    end: dt.datetime


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=AMSTERDAM)
    return moment.astimezone(AMSTERDAM)


def _split(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in text.split(";"):
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        name, value = name.strip().upper(), value.strip().upper()
        if not sep or not name or not value:
            raise RecurrenceError(NOT_A_RULE)
        if name not in PARTS:
            raise RecurrenceError(UNKNOWN_PART, part=name[:40])
        if name in parts:
            raise RecurrenceError(REPEATED_PART, part=name)
        parts[name] = value
    return parts


def _until_utc(value: str) -> str:
    """UNTIL in UTC: a date is the end of that day, a local time is Amsterdam time."""
    date = _UNTIL_DATE.match(value)
    time = _UNTIL_TIME.match(value)
    try:
        if date is not None:
            y, m, d = (int(g) for g in date.groups())
            moment = dt.datetime(y, m, d, 23, 59, 59, tzinfo=AMSTERDAM)
        elif time is not None:
            y, m, d, hh, mm, ss = (int(g) for g in time.groups()[:6])
            zone = dt.UTC if time.group(7) else AMSTERDAM
            moment = dt.datetime(y, m, d, hh, mm, ss, tzinfo=zone)
        else:
            raise RecurrenceError(BAD_UNTIL)
    except ValueError as exc:  # e.g. 20270231
        raise RecurrenceError(BAD_UNTIL) from exc
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _rule(text: str, start: dt.datetime) -> rrule:
    try:
        rule = rrulestr(text, dtstart=_local(start))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        reason = str(exc).rstrip(".") or type(exc).__name__
        raise RecurrenceError(INVALID_RULE, reason=reason[:200]) from exc
    assert isinstance(rule, rrule)  # one RRULE value gives one rule, never a set
    return rule


def normalise(text: str, start: dt.datetime) -> str:
    """The rule as stored (parts in upper case, FREQ first, UNTIL in UTC), or "" for
    no recurrence. Raises RecurrenceError when the rule cannot be used with this
    start."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text:
        return ""
    if any(c in text for c in "\r\n:"):
        raise RecurrenceError(NOT_A_RULE)
    parts = _split(text)
    if parts.get("FREQ") not in FREQUENCIES:
        raise RecurrenceError(NEED_FREQ)
    if parts["FREQ"] in ("DAILY", "WEEKLY"):
        extra = sorted(set(parts) - DAY_PARTS)
        if extra:
            raise RecurrenceError(PART_NOT_WITH_FREQ, part=extra[0], freq=parts["FREQ"])
    if ("COUNT" in parts) == ("UNTIL" in parts):
        raise RecurrenceError(NEED_END)
    for name in ("COUNT", "INTERVAL"):
        value = parts.get(name)
        if value is not None and not (_NUMBER.match(value) and int(value) >= 1):
            raise RecurrenceError(BAD_NUMBER, part=name)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until_utc(parts["UNTIL"])
    ordered = {"FREQ": parts.pop("FREQ"), **parts}
    canonical = ";".join(f"{k}={v}" for k, v in ordered.items())

    local_start = _local(start)
    dates = list(islice(_rule(canonical, local_start), MAX_OCCURRENCES + 1))
    if not dates:
        raise RecurrenceError(NO_OCCURRENCE)
    if dates[0] != local_start:
        raise RecurrenceError(START_NOT_IN_RULE, first=f"{dates[0]:%Y-%m-%d %H:%M}")
    if len(dates) > MAX_OCCURRENCES:
        raise RecurrenceError(TOO_MANY, max=MAX_OCCURRENCES)
    if dates[-1] > local_start + relativedelta(years=MAX_YEARS):
        raise RecurrenceError(TOO_LONG, years=MAX_YEARS, last=f"{dates[-1]:%Y-%m-%d}")
    return canonical


def _starts(start: dt.datetime, rule: str) -> list[dt.datetime]:
    local_start = _local(start)
    if not rule:
        return [local_start]
    return list(islice(_rule(rule, local_start), MAX_OCCURRENCES))


def occurrences(
    start: dt.datetime,
    end: dt.datetime,
    rule: str,
    *,
    after: dt.datetime | None = None,
    before: dt.datetime | None = None,
) -> list[Occurrence]:
    """The sessions of an event (all of them, or those that overlap the period
    from ``after`` to ``before``), in order. Each lasts as long as the first, in
    wall-clock time. ``rule`` is a stored (normalised) rule or ""."""
    duration = _local(end) - _local(start)
    out = []
    for begin in _starts(start, rule):
        finish = begin + duration
        if before is not None and begin >= before:
            break
        if after is not None and finish <= after:
            continue
        out.append(Occurrence(begin, finish))
    return out


def last_end(start: dt.datetime, end: dt.datetime, rule: str) -> dt.datetime:
    """When the last session ends (the end itself for a single session)."""
    return _starts(start, rule)[-1] + (_local(end) - _local(start))


def day_range(
    first: dt.date | None, last: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """From the start of day ``first`` to the end of day ``last`` (both included,
    Amsterdam time); None leaves that side open."""

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=AMSTERDAM)

    return (
        midnight(first) if first else None,
        midnight(last + dt.timedelta(days=1)) if last else None,
    )
