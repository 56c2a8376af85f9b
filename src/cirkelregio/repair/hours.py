# SPDX-License-Identifier: EUPL-1.2
"""Opening hours in OpenStreetMap ``opening_hours`` syntax, read with the maintained
parser ``opening-hours-py`` (Rust core by Rémi Dupré, MIT or Apache-2.0).

Times are those of Europe/Amsterdam: an aware datetime is converted, a naive one is
taken as Amsterdam time.

Public holidays (``PH``) come from the calendar the library ships for the country
code NL: New Year's Day, Easter Sunday and Monday, King's Day, Ascension Day, Whit
Sunday and Monday and Christmas (25 and 26 December); not Good Friday nor
Liberation Day (5 May). That calendar covers the years 2000 to 2076: outside them an
expression that uses ``PH`` has an unknown state. School holidays (``SH``) differ per
region of the Netherlands and the library has no Dutch calendar for them, so an
expression that uses ``SH`` has an unknown state too.

No Django here: this module moves into the engine (``cirkelregio.engine.repair``)
when that package settles.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, ParserError, State

__all__ = [
    "AMSTERDAM",
    "HOLIDAY_YEARS",
    "is_open",
    "next_change",
    "next_opening",
    "normalized",
    "parse_problem",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The years the library's Dutch public-holiday calendar covers (checked by a test).
HOLIDAY_YEARS = range(2000, 2077)

# Selectors outside double-quoted comments.
_COMMENT = re.compile(r'"[^"]*"')
_PH = re.compile(r"\bPH\b")
_SH = re.compile(r"\bSH\b")


@lru_cache(maxsize=4096)
def _parse(expression: str) -> OpeningHours:
    return OpeningHours(
        expression,
        timezone=AMSTERDAM,
        country="NL",
        auto_country=False,
        auto_timezone=False,
    )


def _local(at: dt.datetime) -> dt.datetime:
    """``at`` in Amsterdam time (a naive ``at`` is taken as Amsterdam time). The
    round trip through UTC moves a wall time that does not exist (in the hour
    skipped when summer time starts) to a real one, which the library needs."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=AMSTERDAM)
    try:
        return aware.astimezone(dt.UTC).astimezone(AMSTERDAM)
    except OverflowError:  # the first or last hours of the calendar
        return aware.astimezone(AMSTERDAM)


def parse_problem(expression: str) -> str | None:
    """None when ``expression`` is valid ``opening_hours`` (or empty), else a short
    description of where reading it stopped."""
    if not expression.strip():
        return None
    try:
        _parse(expression)
    except ParserError as exc:
        lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
        position = lines[0].split("-->")[-1].strip() if lines else ""
        expected = lines[-1].lstrip("= ").strip() if len(lines) > 1 else ""
        parts = [f"at {position}" if position else "", expected]
        detail = ", ".join(p for p in parts if p)
        message = "not OpenStreetMap opening_hours syntax"
        return f"{message} ({detail})" if detail else message
    return None


def is_open(expression: str, at: dt.datetime) -> bool | None:
    """Whether a place with these opening hours is open at ``at``: True or False,
    None when it cannot be told (no hours, unreadable hours, an ``unknown`` rule,
    school holidays, or public holidays outside the calendar's years)."""
    if not expression.strip():
        return None
    try:
        hours = _parse(expression)
    except ParserError:
        return None
    local = _local(at)
    selectors = _COMMENT.sub("", expression)
    if _SH.search(selectors):
        return None
    if _PH.search(selectors) and local.year not in HOLIDAY_YEARS:
        return None
    state, _comment = hours.state(local)
    if state == State.OPEN:
        return True
    if state == State.CLOSED:
        return False
    return None


def normalized(expression: str) -> str | None:
    """The library's normal form of ``expression`` (non-overlapping rules where it
    can), or None when the expression is empty or not valid."""
    if not expression.strip():
        return None
    try:
        return str(_parse(expression).normalize())
    except ParserError:
        return None


def next_change(expression: str, at: dt.datetime) -> dt.datetime | None:
    """The first moment after ``at`` at which the state changes (in Amsterdam
    time), or None: when ``is_open`` cannot tell the state at ``at``, or the state
    never changes."""
    if is_open(expression, at) is None:
        return None
    change = _parse(expression).next_change(_local(at))
    if change is None:
        return None
    return change.astimezone(AMSTERDAM)


def next_opening(
    expression: str, at: dt.datetime, *, within: dt.timedelta = dt.timedelta(days=400)
) -> dt.datetime | None:
    """The next moment after ``at`` at which a place that is closed at ``at``
    opens, or None: when it is open or its state unknown at ``at``, or it does not
    open within ``within``."""
    if is_open(expression, at) is not False:
        return None
    start = _local(at)
    moment = start
    for _step in range(32):
        change = next_change(expression, moment)
        if change is None or change - start > within:
            return None
        state = is_open(expression, change)
        if state is True:
            return change
        if state is None:
            return None
        moment = change
    return None
