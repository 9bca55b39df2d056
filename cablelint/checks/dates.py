"""Rules on dates: the DTG against every other date a cable states about itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from .. import regex
from ..dtg import DTG, WEEKDAYS, parse_dtg, parse_stated_date
from ..engine import Diagnostic, Rule
from ..model import Cable, Field

_DE_RE = regex.compile(r"#\S+\s+(\d{3})(\d{4})")
_MRN_YEAR_RE = regex.compile(r"^\s*(\d{2})\s+[A-Z]")
#: The fields with dates other than DTGs: compared with the DTG (SENT and DATE of the
#: e-mails only) and, for SENT, DATE and WL_DATE, checked for their weekday.
_OTHER_DATES = frozenset({"DATE_DTG", "MRN", "DE", "WL_DATE", "SENT", "DATE"})
_HALF_DAY = dt.timedelta(hours=12)
_ONE_DAY = dt.timedelta(days=1)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Comparison(NamedTuple):
    field: Field
    ok: bool
    what: str  # how the other date reads, for messages
    #: A one-sided check (an e-mail sent after the cable) does not vote on whether the DTG
    #: itself is wrong: it is reported at its own line.
    votes: bool = True


class DtgDateMismatch(Rule):
    """The DTG exists and agrees with every other date the cable states about itself.

    The date-time group (``052045Z FEB 20``, ACP 127) is the cable's timestamp; when it
    disagrees with the cable's other dates, one of them was mistyped or misread, and every
    date-based analysis inherits the error. Compared with the DTG: the date part of the SMART
    ``Date/DTG`` field; the year of the MRN; other DTG lines (sections, the SMART header over
    the original telegram; zeroed SMART placeholders such as ``280000Z Jan 85`` by date only);
    the Julian day on the ``DE`` routing line (the same day or up to ``de_max_days`` later);
    WikiLeaks date lines and web-page dates (the same day, or within ``stated_max_minutes``);
    the forwarded e-mail's ``Sent:`` and the envelope's ``Date:`` (the same day or later, and
    their weekday must be right). A DTG that cannot exist (day 32, hour 24, 30 FEB, an
    unknown month) is reported too. Spacing noise (``P 251346 Z JUN 7 3``) is read as a DTG.
    When more dates disagree with the DTG than agree with it, the finding is at the DTG;
    otherwise it is at each date that disagrees.

    Failing::

        **MRN:** 20 MEXICO 368
        **Date/DTG:** Feb 05, 2020 / 062045Z FEB 20   <- D001 DTG 062045Z FEB 20 (2020-02-06)
                                                         disagrees with Date/DTG Feb 05, 2020

    Passing::

        **Date/DTG:** Feb 05, 2020 / 052045Z FEB 20
    """

    code = "D001"
    name = "dtg-date-mismatch"
    severity = "error"
    summary = "The DTG exists and agrees with the cable's other dates"
    options = {"de_max_days": 5, "stated_max_minutes": 180}

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        dtgs: list[tuple[Field, DTG]] = []
        others: list[Field] = []  # the fields with other dates, in the order of the text
        for f in cable.fields:
            if f.name in _OTHER_DATES:
                others.append(f)
            if f.name not in ("DTG", "DATE_DTG"):
                continue
            parsed = parse_dtg(f.value)
            if parsed is None:
                if f.name == "DTG":
                    yield Diagnostic(f.start, f.end, f"cannot read the DTG '{f.value}' "
                                                     "(letters where digits belong)")
                continue
            if parsed.month is None and parsed.problem == "no month and year":
                continue  # "O R 011200Z": a DTG line without month and year says too little
            if not parsed.valid:
                yield Diagnostic(f.start + parsed.start, f.start + parsed.end,
                                 f"DTG '{parsed.raw}' cannot exist: {parsed.problem}")
                continue
            dtgs.append((f, parsed))
        if not dtgs:
            return
        ref_field, ref = next(((f, d) for f, d in dtgs if f.name == "DTG"), dtgs[0])
        comparisons = list(self._compare(others, ref_field, ref, dtgs, options))
        yield from self._weekdays(others)
        ref_start = ref_field.start + ref.start
        ref_end = ref_field.start + ref.end
        voters = [c for c in comparisons if c.votes]
        bad = [c for c in voters if not c.ok]
        late = [c for c in comparisons if not c.votes and not c.ok]
        if not bad and not late:
            return
        # The DTG is the odd one out when more dates speak against it than for it (an
        # e-mail sent after the DTG says little for it: one-sided checks vote only against).
        if len(bad) + len(late) > len(voters) - len(bad):
            others = "; ".join(f"{c.what} (line {cable.locate(c.field.start)[0]})"
                               for c in bad + late)
            yield Diagnostic(ref_start, ref_end,
                             f"DTG {ref.raw} ({ref.date}) disagrees with {others}")
            return
        ref_line = cable.locate(ref_start)[0]
        for c in late:
            yield Diagnostic(c.field.start, c.field.end,
                             f"{c.what} is earlier than the DTG {ref.raw} ({ref.date}) "
                             f"on line {ref_line}")
        for c in bad:
            yield Diagnostic(c.field.start, c.field.end,
                             f"{c.what} disagrees with the DTG {ref.raw} ({ref.date}) "
                             f"on line {ref_line}")

    def _compare(
        self,
        others: list[Field],
        ref_field: Field,
        ref: DTG,
        dtgs: list[tuple[Field, DTG]],
        options: Mapping[str, Any],
    ) -> Iterator[_Comparison]:
        # ``what`` is only read for a date that disagrees: it is written only then.
        ref_date = ref.date
        ref_time = ref.datetime
        assert ref_date is not None and ref_time is not None
        for f, d in dtgs:
            if f is ref_field:
                continue
            if d.placeholder or ref.placeholder:
                ok = d.date == ref_date
                yield _Comparison(f, ok, "" if ok else f"the DTG {d.raw} ({d.date})")
            else:
                ok = d.datetime == ref_time
                yield _Comparison(f, ok, "" if ok else f"the DTG {d.raw}")
        for f in others:
            name = f.name
            if name == "DATE_DTG":
                stated = parse_stated_date(f.value)
                if stated is not None:
                    ok = stated.date == ref_date
                    yield _Comparison(f, ok, "" if ok else f"the Date/DTG date {stated.date}")
            elif name == "MRN":
                if f.origin != "smart":
                    continue
                m = _MRN_YEAR_RE.match(f.value)
                if m:
                    ok = int(m[1]) == ref_date.year % 100
                    yield _Comparison(f, ok,
                                      "" if ok else f"the MRN year '{m[1]}' of {f.value}")
            elif name == "DE":
                m = _DE_RE.search(f.value)
                if m and 1 <= int(m[1]) <= 366:
                    julian = int(m[1])
                    doy = ref_date.timetuple().tm_yday
                    days = 366 if _leap(ref_date.year) else 365
                    late = (julian - doy) % days
                    ok = late <= options["de_max_days"]
                    yield _Comparison(f, ok,
                                      "" if ok else f"the DE line's Julian day {julian:03d}")
            elif name == "WL_DATE":
                stated = parse_stated_date(f.value)
                if stated is None:
                    continue
                ok = stated.date == ref_date
                if not ok and stated.time is not None:
                    when = dt.datetime.combine(stated.date, stated.time)
                    ok = abs((when - ref_time).total_seconds()) <= 60 * options[
                        "stated_max_minutes"]
                yield _Comparison(f, ok, "" if ok else f"the date line {f.value.strip()}")
            elif f.origin in ("forward", "email"):  # SENT, DATE
                stated = parse_stated_date(f.value)
                if stated is None:
                    continue
                if stated.time is not None:
                    # Sent times are local (US Eastern for SMART Core); allow half a day.
                    sent = dt.datetime.combine(stated.date, stated.time) + dt.timedelta(hours=5)
                    ok = sent >= ref_time - _HALF_DAY
                else:
                    ok = stated.date >= ref_date - _ONE_DAY
                what = ""
                if not ok:
                    label = "forwarded e-mail's Sent" if name == "SENT" else "e-mail's Date"
                    when = (f"{stated.date} {stated.time:%H:%M}" if stated.time is not None
                            else str(stated.date))
                    what = f"the {label} {when}"
                yield _Comparison(f, ok, what, votes=False)

    def _weekdays(self, others: list[Field]) -> Iterator[Diagnostic]:
        for f in others:
            if f.name not in ("SENT", "DATE", "WL_DATE"):
                continue
            stated = parse_stated_date(f.value)
            if stated is not None and not stated.weekday_ok:
                right = _WEEKDAY_NAMES[stated.date.weekday()]
                wrote = _WEEKDAY_NAMES[WEEKDAYS.index(stated.weekday or "MON")]
                yield Diagnostic(f.start, f.end,
                                 f"{stated.date} was a {right}, not a {wrote}")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
