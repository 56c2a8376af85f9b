# SPDX-License-Identifier: EUPL-1.2
"""Opening hours in words, in Dutch and English, for the patterns repair places use.

``describe("Sa[2] 10:00-13:00; PH off", "en")`` gives
``["Every 2nd Saturday of the month: 10:00–13:00", "Closed on public holidays"]``,
and in Dutch ``["Elke 2e zaterdag van de maand: 10.00–13.00 uur",
"Gesloten op feestdagen"]``: one line per rule, in the order of the rules.

What it puts in words: rules separated by ``;``, each with an optional weekday
selector (days ``Mo``..``Su``, ranges ``Mo-Fr``, lists ``Mo,We``, the nth weekday
of the month ``Sa[2]``, ``Sa[1,3]``, ``Sa[-1]``, public holidays ``PH`` and school
holidays ``SH``), optional times (``09:00-12:00,13:00-17:00``, or ``24/7``) and an
optional ``off``, ``closed`` or ``open``. Anything else (months, weeks, dates,
comments, fallback rules, open ends, sunrise and sunset, ``unknown``) is not put in
words: ``describe`` returns None and the page shows the rule as it is written.

A later rule replaces an earlier one on the days both select (``Mo-Sa 10:00-18:00;
We off``). Read line by line, such rules would mislead, so when rules overlap the
library's normal form (which has no overlapping rules where it can) is described
instead, and when that overlaps too, nothing is.

No Django here, like ``hours``: it moves into the engine with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cirkelregio.repair import hours

__all__ = ["describe"]

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

DAY_NAMES = {
    "en": [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    "nl": [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ],
}
ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "PH": "public holidays",
        "SH": "school holidays",
        "range": "{a} to {b}",
        "and": "and",
        "every day": "every day",
        "nth": "every {nth} {day} of the month",
        "last": "last",
        "closed": "closed",
        "all day": "day and night",
        "times": "{times}",
        "time": "{h}:{m}",
        "PH off": "closed on public holidays",
        "SH off": "closed during school holidays",
    },
    "nl": {
        "PH": "feestdagen",
        "SH": "schoolvakanties",
        "range": "{a} tot en met {b}",
        "and": "en",
        "every day": "elke dag",
        "nth": "elke {nth} {day} van de maand",
        "last": "laatste",
        "closed": "gesloten",
        "all day": "dag en nacht",
        "times": "{times} uur",
        "time": "{h}.{m}",
        "PH off": "gesloten op feestdagen",
        "SH off": "gesloten in de schoolvakanties",
    },
}

_DAY = "(Mo|Tu|We|Th|Fr|Sa|Su)"
_DAY_ITEM = re.compile(rf"^{_DAY}(?:-{_DAY})?$")
_NTH_ITEM = re.compile(rf"^{_DAY}\[(-1|[1-5](?:,[1-5])*(?:,-1)?)\]$")
_TIME_SPAN = re.compile(
    r"^([01][0-9]|2[0-4]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$"
)
_MODIFIERS = {"off": False, "closed": False, "open": True}


class _UnsupportedError(Exception):
    """The expression uses syntax this module does not put in words."""


@dataclass(frozen=True)
class _Days:
    """One item of a weekday selector: a day or range of days (``first`` to
    ``last``), the nth such days of the month (``nth``, -1 for the last), or the
    public or school holidays (``holiday`` "PH" or "SH")."""

    first: str = ""
    last: str = ""
    nth: tuple[int, ...] = ()
    holiday: str = ""

    def slots(self) -> set[tuple[str, int]]:
        if self.holiday:
            return {(self.holiday, 0)}
        if self.nth:
            return {(self.first, n) for n in self.nth}
        first, last = DAYS.index(self.first), DAYS.index(self.last)
        return {(DAYS[(first + i) % 7], 0) for i in range((last - first) % 7 + 1)}


@dataclass(frozen=True)
class _Rule:
    days: tuple[_Days, ...]  # empty: every day
    times: tuple[tuple[str, str], ...]  # (start, end) as "HH:MM"; empty: all day
    is_open: bool

    def slots(self) -> set[tuple[str, int]]:
        """The (day, nth) slots the rule selects: nth 0 is every such day of the
        month, -1 the last one; ("PH", 0) and ("SH", 0) are the holidays."""
        if not self.days:
            return {(day, 0) for day in DAYS}
        return set().union(*(item.slots() for item in self.days))


def _overlap(a: set[tuple[str, int]], b: set[tuple[str, int]]) -> bool:
    for day, nth in a:
        for other_day, other_nth in b:
            if day != other_day:
                continue
            # Every such day overlaps any of them; the last one may be the 4th or
            # the 5th.
            if nth == 0 or other_nth == 0 or nth == other_nth:
                return True
            if {nth, other_nth} & {-1} and {nth, other_nth} & {4, 5}:
                return True
    return False


def _parse_days(token: str) -> tuple[_Days, ...]:
    items: list[_Days] = []
    # Split on the commas outside brackets: "Sa[1,3],Su" -> "Sa[1,3]", "Su".
    for part in re.split(r",(?![^\[]*\])", token):
        if part in ("PH", "SH"):
            items.append(_Days(holiday=part))
            continue
        day = _DAY_ITEM.match(part)
        if day:
            items.append(_Days(first=day.group(1), last=day.group(2) or day.group(1)))
            continue
        nth = _NTH_ITEM.match(part)
        if nth:
            numbers = tuple(int(n) for n in nth.group(2).split(","))
            if len(set(numbers)) != len(numbers):
                raise _UnsupportedError(part)
            items.append(_Days(first=nth.group(1), last=nth.group(1), nth=numbers))
            continue
        raise _UnsupportedError(part)
    return tuple(items)


def _parse_times(token: str) -> tuple[tuple[str, str], ...]:
    spans = []
    for part in token.split(","):
        span = _TIME_SPAN.match(part)
        if not span:
            raise _UnsupportedError(part)
        start = (int(span.group(1)), int(span.group(2)))
        end = (int(span.group(3)), int(span.group(4)))
        # Past midnight (22:00-02:00) and times past 24:00 are not put in words.
        if start >= end or start[0] == 24 or end > (24, 0):
            raise _UnsupportedError(part)
        spans.append((f"{start[0]:02d}:{start[1]:02d}", f"{end[0]:02d}:{end[1]:02d}"))
    return tuple(spans)


def _looks_like_days(token: str) -> bool:
    return bool(re.match(r"^(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)", token))


def _parse_rule(text: str) -> _Rule:
    tokens = text.split()
    if not tokens:
        raise _UnsupportedError(text)
    days: tuple[_Days, ...] = ()
    times: tuple[tuple[str, str], ...] = ()
    is_open = True
    if _looks_like_days(tokens[0]):
        days = _parse_days(tokens.pop(0))
    if tokens and tokens[0] == "24/7":
        tokens.pop(0)
    elif tokens and tokens[0] not in _MODIFIERS:
        times = _parse_times(tokens.pop(0))
    if tokens and tokens[0] in _MODIFIERS:
        is_open = _MODIFIERS[tokens.pop(0)]
        if not is_open and times:
            raise _UnsupportedError(text)  # "Mo 10:00-12:00 off": a closed period
    if tokens:
        raise _UnsupportedError(text)
    return _Rule(days=days, times=times, is_open=is_open)


def _parse(expression: str) -> list[_Rule]:
    if '"' in expression or "||" in expression:
        raise _UnsupportedError(expression)
    rules = [_parse_rule(text) for text in expression.split(";") if text.strip()]
    if not rules:
        raise _UnsupportedError(expression)
    slots = [rule.slots() for rule in rules]
    for i, earlier in enumerate(slots):
        for later in slots[i + 1 :]:
            if _overlap(earlier, later):
                raise _UnsupportedError(expression)
    return rules


def _join(parts: list[str], conjunction: str) -> str:
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


def _ordinal(n: int, language: str) -> str:
    if n == -1:
        return _WORDS[language]["last"]
    if language == "nl":
        return f"{n}e"
    return f"{n}{ORDINAL_SUFFIX.get(n, 'th')}"


def _days_in_words(rule: _Rule, language: str) -> str:
    words = _WORDS[language]
    names = DAY_NAMES[language]
    if rule.slots() == {(day, 0) for day in DAYS}:
        return words["every day"]
    parts = []
    for item in rule.days:
        if item.holiday:
            parts.append(words[item.holiday])
        elif item.nth:
            nth = _join([_ordinal(n, language) for n in item.nth], words["and"])
            day = names[DAYS.index(item.first)]
            parts.append(words["nth"].format(nth=nth, day=day))
        elif (DAYS.index(item.last) - DAYS.index(item.first)) % 7 < 2:
            # One day, or two: "Monday and Tuesday", not "Monday to Tuesday".
            first = DAYS.index(item.first)
            span = (DAYS.index(item.last) - first) % 7
            parts += [names[(first + i) % 7] for i in range(span + 1)]
        else:
            first, last = names[DAYS.index(item.first)], names[DAYS.index(item.last)]
            parts.append(words["range"].format(a=first, b=last))
    return _join(parts, words["and"])


def _times_in_words(rule: _Rule, language: str) -> str:
    words = _WORDS[language]
    if not rule.is_open:
        return words["closed"]
    if not rule.times:
        return words["all day"]
    spans = []
    for start, end in rule.times:
        a = words["time"].format(h=start[:2], m=start[3:])
        b = words["time"].format(h=end[:2], m=end[3:])
        spans.append(f"{a}\u2013{b}")
    return words["times"].format(times=_join(spans, words["and"]))


def _line(rule: _Rule, language: str) -> str:
    words = _WORDS[language]
    holidays = {item.holiday for item in rule.days}
    if not rule.is_open and len(rule.days) == 1 and holidays & {"PH", "SH"}:
        text = words[f"{rule.days[0].holiday} off"]
    else:
        text = f"{_days_in_words(rule, language)}: {_times_in_words(rule, language)}"
    return text[:1].upper() + text[1:]


def describe(expression: str, language: str) -> list[str] | None:
    """The opening hours ``expression`` (OpenStreetMap ``opening_hours``) in words,
    one line per rule, in Dutch (``language`` "nl") or English (any other); None
    when it is empty, not valid, or uses syntax this module does not put in
    words."""
    language = "nl" if language[:2] == "nl" else "en"
    expression = expression.strip()
    if not expression or hours.parse_problem(expression) is not None:
        return None
    for candidate in (expression, hours.normalized(expression)):
        if not candidate:
            continue
        try:
            rules = _parse(candidate)
        except _UnsupportedError:
            continue
        return [_line(rule, language) for rule in rules]
    return None
