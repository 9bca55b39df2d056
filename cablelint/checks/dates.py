"""Rules on dates: the DTG against every other date a cable states about itself."""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from .. import regex
from ..dtg import DTG, WEEKDAYS, parse_dtg, parse_stated_date
from ..engine import Diagnostic, Rule
from ..model import Cable, Field
from .structure import second_cable

_DE_RE = regex.compile(r"#\S+\s+(\d{3})(\d{4})")
_MRN_YEAR_RE = regex.compile(r"^\s*(\d{2})\s+[A-Z]")
#: The fields with dates other than DTGs: compared with the DTG (SENT and DATE of the
#: e-mails only) and, for SENT, DATE and WL_DATE, checked for their weekday.
_OTHER_DATES = frozenset({"DATE_DTG", "MRN", "DE", "WL_DATE", "SENT", "DATE"})
_HALF_DAY = dt.timedelta(hours=12)
_ONE_DAY = dt.timedelta(days=1)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Disagreement(NamedTuple):
    field: Field
    what: str  # how the other date reads, for messages


def _same_clock(hhmm: str, ref: dt.datetime) -> bool:
    """Is the DE line's time ``hhmm`` within an hour of the DTG's time of day? A DE line
    stamped a day or more after the DTG is a transmission delayed past midnight or by days;
    at the same hour and minute it is the same moment, and a day apart is a mistyped day
    (every DE line of the shared and unseen corpora is the DTG's day, 0 to 21 minutes on)."""
    hour, minute = int(hhmm[:2]), int(hhmm[2:])
    if hour > 23 or minute > 59:
        return False
    return abs(hour * 60 + minute - ref.hour * 60 - ref.minute) <= 60


class DtgDateMismatch(Rule):
    """The DTG exists and agrees with every other date the cable states about itself.

    The date-time group (``052045Z FEB 20``, ACP 127) is the cable's timestamp; when it
    disagrees with the cable's other dates, one of them was mistyped or misread, and every
    date-based analysis inherits the error. Compared with the DTG: the date part of the SMART
    ``Date/DTG`` field; the year of the MRN; other DTG lines (sections, the SMART header over
    the original telegram; zeroed SMART placeholders such as ``280000Z Jan 85`` by date only);
    the Julian day on the ``DE`` routing line (the same day or up to ``de_max_days`` later;
    the same day when its time is within an hour of the DTG's; it has no year, so it does
    not vote for the DTG against dates that differ from it in the year alone);
    WikiLeaks date lines and web-page dates (the same day, or within ``stated_max_minutes``);
    the forwarded e-mail's ``Sent:`` and the envelope's ``Date:`` (the same day or later, and
    their weekday must be right). A DTG that cannot exist (day 32, hour 24, 30 FEB, an
    unknown month) is reported too. Spacing noise (``P 251346 Z JUN 7 3``) is read as a DTG.
    When more dates disagree with the DTG than agree with it, the finding is at the DTG;
    otherwise it is at each date that disagrees.

    Failing::

        **MRN:** 20 MEXICO 368
        **Date/DTG:** Feb 05, 2020 / 062045Z FEB 20   <- D001 the Date/DTG date 2020-02-05
                                  disagrees with the DTG 062045Z FEB 20 (2020-02-06) on line 2

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
        dated: list[Field] = []  # the fields with other dates, in the order of the text
        for f in cable.fields:
            name = f.name
            if name in _OTHER_DATES:
                dated.append(f)
            if name != "DTG" and name != "DATE_DTG":
                continue
            parsed = parse_dtg(f.value)
            if parsed is None:
                if name == "DTG":
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
        agree, bad, late = self._compare(dated, ref_field, ref, dtgs, options)
        if bad and (splice := second_cable(cable)) is not None and (
                ref_field.start < splice.dtg.start):
            # A second cable's DTG lines (two records joined in one file, which
            # truncated-cable reports) are not this cable's.
            dtgs = [(f, d) for f, d in dtgs if not splice.dtg.start <= f.start < cable.body_end]
            agree, bad, late = self._compare(dated, ref_field, ref, dtgs, options)
        yield from self._weekdays(dated)
        if not bad and not late:
            return
        ref_start = ref_field.start + ref.start
        ref_end = ref_field.start + ref.end
        # The DTG is the odd one out when more dates speak against it than for it (an
        # e-mail sent after the DTG says little for it: one-sided checks vote only against).
        if len(bad) + len(late) > agree:
            others = "; ".join(f"{c.what} ({cable.place(c.field.start, ref_start)})"
                               for c in bad + late)
            yield Diagnostic(ref_start, ref_end,
                             f"DTG {ref.raw} ({ref.date}) disagrees with {others}")
            return
        for c in late:
            yield Diagnostic(c.field.start, c.field.end,
                             f"{c.what} is earlier than the DTG {ref.raw} ({ref.date}) "
                             f"on {cable.place(ref_start, c.field.start)}")
        for c in bad:
            yield Diagnostic(c.field.start, c.field.end,
                             f"{c.what} disagrees with the DTG {ref.raw} ({ref.date}) "
                             f"on {cable.place(ref_start, c.field.start)}")

    def _compare(
        self,
        dated: list[Field],
        ref_field: Field,
        ref: DTG,
        dtgs: list[tuple[Field, DTG]],
        options: Mapping[str, Any],
    ) -> tuple[int, list[_Disagreement], list[_Disagreement]]:
        """Compare the other dates with the DTG ``ref``: the number of dates that agree with
        it, those that disagree, and the one-sided checks (an e-mail sent after the cable)
        that fail; these do not vote on whether the DTG itself is wrong. A date's ``what``
        (how it reads, for messages) is written only when it disagrees."""
        agree = 0
        de_agrees = 0  # the DE line's vote: its Julian day has no year
        year_only = True  # every disagreeing date differs from the DTG in its year alone
        bad: list[_Disagreement] = []
        late: list[_Disagreement] = []
        ref_date = ref.date
        ref_time = ref.datetime
        assert ref_date is not None and ref_time is not None
        for f, d in dtgs:
            if f is ref_field:
                continue
            if d.placeholder or ref.placeholder:
                if d.date == ref_date:
                    agree += 1
                else:
                    bad.append(_Disagreement(f, f"the DTG {d.raw} ({d.date})"))
            elif d.datetime == ref_time:
                agree += 1
            else:
                year_only = False
                bad.append(_Disagreement(f, f"the DTG {d.raw}"))
        for f in dated:
            name = f.name
            if name == "DATE_DTG":
                stated = parse_stated_date(f.value)
                if stated is None:
                    continue
                if stated.date == ref_date:
                    agree += 1
                else:
                    year_only = year_only and stated.date.replace(year=2000) == \
                        ref_date.replace(year=2000)
                    bad.append(_Disagreement(f, f"the Date/DTG date {stated.date}"))
            elif name == "MRN":
                if f.origin != "smart":
                    continue
                m = _MRN_YEAR_RE.match(f.value)
                if m is None:
                    continue
                if int(m[1]) == ref_date.year % 100:
                    agree += 1
                else:
                    bad.append(_Disagreement(f, f"the MRN year '{m[1]}' of {f.value}"))
            elif name == "DE":
                m = _DE_RE.search(f.value)
                if not (m and 1 <= int(m[1]) <= 366):
                    continue
                julian = int(m[1])
                # the day of the year (not timetuple().tm_yday: it builds a struct_time)
                doy = ref_date.toordinal() - dt.date(ref_date.year, 1, 1).toordinal() + 1
                days = 366 if _leap(ref_date.year) else 365
                after = (julian - doy) % days  # days from the DTG to the DE line
                if after and not ref.placeholder and _same_clock(m[2], ref_time):
                    after = days  # at the DTG's own time a day on: a mistyped day, no delay
                if after <= options["de_max_days"]:
                    agree += 1
                    de_agrees += 1
                else:
                    year_only = False
                    bad.append(_Disagreement(f, f"the DE line's Julian day {julian:03d}"))
            elif name == "WL_DATE":
                stated = parse_stated_date(f.value)
                if stated is None:
                    continue
                ok = stated.date == ref_date
                if not ok and stated.time is not None:
                    when = dt.datetime.combine(stated.date, stated.time)
                    ok = abs((when - ref_time).total_seconds()) <= 60 * options[
                        "stated_max_minutes"]
                if ok:
                    agree += 1
                else:
                    year_only = year_only and stated.date.replace(year=2000) == \
                        ref_date.replace(year=2000)
                    bad.append(_Disagreement(f, f"the date line {f.value.strip()}"))
            elif f.origin in ("forward", "email"):  # SENT, DATE: one-sided, no vote
                stated = parse_stated_date(f.value)
                if stated is None:
                    continue
                if stated.time is not None:
                    # Sent times are local (US Eastern for SMART Core); allow half a day.
                    sent = dt.datetime.combine(stated.date, stated.time) + dt.timedelta(hours=5)
                    if sent >= ref_time - _HALF_DAY:
                        continue
                    when = f"{stated.date} {stated.time:%H:%M}"
                else:
                    if stated.date >= ref_date - _ONE_DAY:
                        continue
                    when = str(stated.date)
                label = "forwarded e-mail's Sent" if name == "SENT" else "e-mail's Date"
                late.append(_Disagreement(f, f"the {label} {when}"))
        if bad and year_only:
            agree -= de_agrees  # a year the DE line cannot tell: it does not vote on it
        return agree, bad, late

    def _weekdays(self, dated: list[Field]) -> Iterator[Diagnostic]:
        for f in dated:
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
