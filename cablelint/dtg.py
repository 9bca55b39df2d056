"""Date-time groups (``052045Z FEB 20``) and the other date forms cables state about themselves.

A DTG is ``DDHHMMZ MON YY`` (ACP 127). Old text carries spacing noise (``251346 Z JUN 7 3``),
which is read, not rejected. A DTG that cannot exist (day 32, hour 24, 30 FEB, an unknown
month) parses with ``valid`` false and says why in ``problem``.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

from . import regex

MONTHS = {
    name: i
    for i, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

DTG_RE = regex.compile(
    r"(?<![\dA-Za-z])(?P<d>\d ?\d) ?(?P<h>\d ?\d) ?(?P<m>\d ?\d) ?Z(?:\b|(?=[A-Z]{3}\d)),? *"
    r"(?:(?P<mon>[A-Za-z]{3,9})\.? *(?P<y>\d ?\d(?:\d\d)?)(?!\d))?"
)


def expand_year(yy: int) -> int:
    """Two-digit years: cables run from the 1940s to today."""
    if yy >= 100:
        return yy
    return 1900 + yy if yy >= 40 else 2000 + yy


class DTG(NamedTuple):
    raw: str
    day: int
    hour: int
    minute: int
    month: int | None
    year: int | None
    problem: str | None = None
    start: int = 0  # offset of the match within the string parsed
    end: int = 0

    @property
    def valid(self) -> bool:
        return self.problem is None and self.month is not None and self.year is not None

    @property
    def date(self) -> dt.date | None:
        if not self.valid:
            return None
        assert self.month is not None and self.year is not None
        return dt.date(self.year, self.month, self.day)

    @property
    def datetime(self) -> dt.datetime | None:
        d = self.date
        return dt.datetime(d.year, d.month, d.day, self.hour, self.minute) if d else None

    @property
    def placeholder(self) -> bool:
        """SMART headers of pre-SMART cables carry zeroed times (``280000Z Jan 85``)."""
        return self.hour == 0 and self.minute == 0


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """As ``calendar.monthrange(year, month)[1]`` (without importing calendar and locale)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS[month - 1]


def _digits(s: str) -> int:
    return int(s) if len(s) == 2 else int(s.replace(" ", ""))


@lru_cache(maxsize=256)  # the model's date and the date rules read the same fields
def parse_dtg(text: str) -> DTG | None:
    """Find and parse the first DTG in ``text``; ``None`` when there is none."""
    m = DTG_RE.search(text)
    if not m:
        return None
    d, h, mi, mon, y = m.group("d", "h", "m", "mon", "y")
    day, hour, minute = _digits(d), _digits(h), _digits(mi)
    month = year = None
    problem = None
    if mon:
        month = MONTHS.get(mon[:3].upper())
        if month is None or (len(mon) > 3 and not _is_month_name(mon)):
            problem = f"unknown month '{mon}'"
            month = None
        year = expand_year(_digits(y))
    else:
        problem = "no month and year"
    if hour > 23:
        problem = problem or f"hour {hour:02d} does not exist"
    elif minute > 59:
        problem = problem or f"minute {minute:02d} does not exist"
    if problem is None and month is not None and year is not None:
        last = days_in_month(year, month)
        if not 1 <= day <= last:
            problem = f"day {day:02d} does not exist in {mon[:3].upper()} {year}"
    return DTG(m.group(0).strip(), day, hour, minute, month, year, problem, m.start(), m.end())


_FULL_MONTHS = (
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER",
    "SEPT", "OCTOBER", "NOVEMBER", "DECEMBER",
)


def _is_month_name(word: str) -> bool:
    return word.upper() in _FULL_MONTHS


class StatedDate(NamedTuple):
    """A calendar date written in prose (``Wednesday, February 05, 2020 3:50 PM``)."""

    date: dt.date
    weekday: str | None  # as stated, three upper-case letters
    time: dt.time | None

    @property
    def weekday_ok(self) -> bool:
        return self.weekday is None or WEEKDAYS[self.date.weekday()] == self.weekday


_MON = r"(?P<mon>[A-Za-z]{3,9})\.?"
_DATE_FORMS = (
    # Feb 05, 2020 / February 05, 2020
    regex.compile(_MON + r" +(?P<d>\d{1,2}),? +(?P<y>\d{4})"),
    # 9 Feb 2020 / 24 April 2008
    regex.compile(r"(?P<d>\d{1,2}) +" + _MON + r",? +(?P<y>\d{4})"),
    # 1975-03-04
    regex.compile(r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"),
    # 2/4/2020 (US order, as Outlook writes it)
    regex.compile(r"(?<![\d/])(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\b"),
)
_WEEKDAY_RE = regex.compile(r"^\W*(?P<wd>[A-Za-z]{3,9}),?\s")
_TIME_RE = regex.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::\d{2})?(?: *(?P<ap>[AaPp][Mm]))?")


@lru_cache(maxsize=256)  # the date rule reads an e-mail's Sent and Date lines twice
def parse_stated_date(text: str) -> StatedDate | None:
    for form in _DATE_FORMS:
        m = form.search(text)
        if not m:
            continue
        if "mon" in form.groupindex and m["mon"] is not None:
            month = MONTHS.get(m["mon"][:3].upper())
            if month is None:
                continue
        else:
            month = int(m["mo"])
        try:
            date = dt.date(int(m["y"]), month, int(m["d"]))
        except ValueError:
            return None
        wd = _WEEKDAY_RE.match(text)
        weekday = wd["wd"][:3].upper() if wd and wd["wd"][:3].upper() in WEEKDAYS else None
        time = None
        t = _TIME_RE.search(text, m.end())
        if t:
            hour, minute = int(t["h"]), int(t["mi"])
            if t["ap"]:
                hour = hour % 12 + (12 if t["ap"].upper() == "PM" else 0)
            if hour < 24 and minute < 60:
                time = dt.time(hour, minute)
        return StatedDate(date, weekday, time)
    return None
