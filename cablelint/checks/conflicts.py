"""A cable that states a thing twice: the two statements agree."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import regex
from ..dtg import parse_dtg, parse_stated_date
from ..engine import Diagnostic, Rule
from ..model import CLASSIFIED, Cable, Field
from ..packs import load_pack
from ..parse.body import banner_level
from .stations import (
    origin_station,
    read_identifier,
    read_serial,
    same_sender,
    sender,
    station,
)
from .values import tag_vocab

_FORWARD_RE = regex.compile(r"^\s*(?:(?:FW|FWD|RE|AW|WG)\s*:\s*)+", re.IGNORECASE)
_MARKDOWN_RE = regex.compile(r"\*\*|__|~~|`|\\(?=[_*])|<[^>]{1,10}>")
_LEADING_MARKING_RE = regex.compile(r"^\s*(?:\([A-Z/ -]{1,20}\)\s*)+")
_NOT_WORD_RE = regex.compile(r"[^A-Z0-9]+")
_TAG_RE = regex.compile(r"\(.*?(?:\)|$)|[^\s,;()]+")
_MIN_SIMILARITY = 0.8
_ROUTING_RE = regex.compile(r"^\s*[A-Z]{4,7}/")  # "RUEHC/SECSTATE WASHDC"
_PRECEDENCES = frozenset({"ROUTINE", "PRIORITY", "IMMEDIATE", "NIACT", "FLASH"})


def normal_subject(value: str) -> str:
    """Case, Markdown, forwarding prefixes, leading portion markings and punctuation removed."""
    value = _MARKDOWN_RE.sub("", value)
    value = _FORWARD_RE.sub("", value)
    value = _LEADING_MARKING_RE.sub("", value.upper())
    return " ".join(_NOT_WORD_RE.sub(" ", value).split())


def subjects_agree(a: str, b: str) -> bool:
    """Equal, one cut short of the other (a subject's first line, a truncated e-mail
    subject), or as close as OCR noise leaves two copies."""
    if not a or not b or a in b or b in a:
        return True
    import difflib  # only when two values differ

    return difflib.SequenceMatcher(None, a, b).ratio() >= _MIN_SIMILARITY


def _family(level: str | None) -> str | None:
    if level is None:
        return None
    return level if level in CLASSIFIED else "U"


# An E.O. value's order number ("12958: DECL: ...", "12958"); 13292 amended 12958.
_EO_RE = regex.compile(r"\s*(1[1-3]\d{3})\b")
_EO_SAME = {"13292": "12958"}


class HeaderConflict(Rule):
    """Where a cable states a thing twice, the two statements agree.

    A FOIA release or a web page often states a cable's facts more than once: the SMART
    header over the original telegram (subject, MRN against the classification line's
    serial, TAGS, action addressees against TO and INFO, the E.O. order), the forwarding
    e-mail's subject, the web page's metadata (origin, classification), and the columns of
    the CSV row a cable came in (``cable.metadata``: ``date``, ``classification``,
    ``origin``; the date is the DTG's own, to the day, or within three hours when it states
    a time). When they
    disagree, one of them is wrong and a researcher cannot tell which. Values are compared
    normalised (case, spacing, punctuation, Markdown, ``FW:``/``RE:``, a leading ``(U)``, a
    subject cut short, OCR-level noise), TAGS as sets of known TAGS (person names and
    unknown codes are left to ``tags-unknown``), classifications by level (UNCLAS, SBU and
    LOU are one family). Placeholders are not compared (``E.O.: Unknown``, zeroed DTGs).
    Dates against the DTG (web-page date lines, the MRN's year) are ``dtg-date-mismatch``'s.

    Failing::

        **MRN:** | 85 PORT MORESBY 199 |
        ...
        LIMITED OFFICIAL USE PORT MORESBY 00198   <- H005 the serial 198 of the
                                                     classification line disagrees with
                                                     the MRN 85 PORT MORESBY 199

    Passing::

        LIMITED OFFICIAL USE PORT MORESBY 00199
    """

    code = "H005"
    name = "header-conflict"
    severity = "error"
    summary = "Facts stated twice (SMART header and telegram, e-mail, page, record) agree"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if cable.embedded_telegram:
            yield from self._smart_over_telegram(cable)
        yield from self._email_subject(cable)
        yield from self._page(cable)
        if cable.metadata:
            yield from self._metadata(cable, cable.metadata)

    # -- SMART header over the original telegram ------------------------------------------
    def _smart_over_telegram(self, cable: Cable) -> Iterator[Diagnostic]:
        smart_subject = cable.first("SUBJECT", "smart")
        tel_subject = cable.first("SUBJECT", "telegram")
        if smart_subject and tel_subject and not subjects_agree(
                normal_subject(smart_subject.value), normal_subject(tel_subject.value)):
            yield Diagnostic(tel_subject.start, tel_subject.end,
                             f"the telegram's subject '{tel_subject.value.strip()}' disagrees "
                             f"with the SMART header's '{smart_subject.value.strip()}' on "
                             f"{cable.place(smart_subject.start, tel_subject.start)}")
        mrn = cable.first("MRN", "smart")
        line = cable.first("CLASSIFICATION", "telegram")
        ident = read_identifier(" ".join(mrn.value.split()), "mrn") if mrn else None
        serial = read_serial(line.value) if line else None
        if mrn and line and ident and serial:
            if serial.serial != ident.serial:
                yield Diagnostic(line.start, line.end,
                                 f"the serial {serial.serial} of the classification line "
                                 f"disagrees with the MRN {mrn.value.strip()} on "
                                 f"{cable.place(mrn.start, line.start)}")
            elif (station(serial.station) and station(ident.station)
                  and not same_sender(station(serial.station) or "",
                                      station(ident.station) or "")):
                yield Diagnostic(line.start + serial.station_start,
                                 line.start + serial.station_end,
                                 f"the classification line names {serial.station}, the MRN "
                                 f"{mrn.value.strip()} on {cable.place(mrn.start, line.start)}")
        yield from self._tags(cable)
        yield from self._action(cable)
        yield from self._eo(cable)

    @staticmethod
    def _eo(cable: Cable) -> Iterator[Diagnostic]:
        """The order the SMART header's E.O. names is the telegram's E.O. line's (an archive
        fills an older cable's header from its telegram; ``Unknown`` is no statement).
        12958 and 13292, which amended it, are one order; a number that is no order of
        ``rules/eo.yaml`` is ``eo-era``'s."""
        smart, tel = cable.first("EO", "smart"), cable.first("EO", "telegram")
        if smart is None or tel is None:
            return
        a, b = _EO_RE.match(smart.value), _EO_RE.match(tel.value)
        if a is None or b is None or _EO_SAME.get(a[1], a[1]) == _EO_SAME.get(b[1], b[1]):
            return
        orders = load_pack("eo")["orders"]
        if a[1] not in orders or b[1] not in orders:
            return  # a number that is no order ("12598") is eo-era's typo
        yield Diagnostic(smart.start + a.start(1), smart.start + a.end(1),
                         f"the SMART header's E.O. {a[1]} disagrees with the telegram's E.O. "
                         f"{b[1]} on {cable.place(tel.start, smart.start)}")

    @staticmethod
    def _action(cable: Cable) -> Iterator[Diagnostic]:
        """Each action addressee of the SMART header is among the telegram's addressees
        (its TO and INFO lines, up to the classification line): every word of the entry,
        in any order ("WASHDC, SECSTATE" is "SECSTATE WASHDC"), without its routing
        indicator and precedence. (SMART may list as action a post the telegram informs.)"""
        action = cable.first("ACTION", "smart")
        if action is None:
            return
        found = [f for f in cable.fields if f.origin == "telegram" and f.name in ("TO", "INFO")]
        if not found:
            return
        first = min(f.line_start for f in found)
        to = next((f.value for f in found if f.name == "TO"), found[0].value)
        line = cable.first("CLASSIFICATION", "telegram")
        end = line.line_start if line is not None and line.line_start > first else len(
            cable.text)
        addressees = _NOT_WORD_RE.sub("", cable.text[first:end].upper())
        pos = action.start
        for entry in action.value.split(";"):
            words = [w for w in _NOT_WORD_RE.split(_ROUTING_RE.sub("", entry.upper()))
                     if w and w not in _PRECEDENCES]
            if words and not all(w in addressees for w in words):
                name = " ".join(words)
                yield Diagnostic(pos, pos + len(entry.rstrip()),
                                 f"the SMART header's action addressee '{name}' is not among "
                                 f"the telegram's addressees (TO {to.strip()}, INFO ...)")
            pos += len(entry) + 1

    def _tags(self, cable: Cable) -> Iterator[Diagnostic]:
        smart, tel = cable.first("TAGS", "smart"), cable.first("TAGS", "telegram")
        if smart is None or tel is None:
            return
        _subject, _other, known = tag_vocab()
        a = {t for t in _TAG_RE.findall(smart.value.upper()) if t in known}
        b = {t for t in _TAG_RE.findall(tel.value.upper()) if t in known}
        # The SMART header of an older cable may add index TAGS to the telegram's; only a
        # TAG of the telegram that the header lacks is a disagreement.
        if not a or not b or not b - a:
            return
        parts = [f"the telegram has {', '.join(sorted(b - a))}"]
        if a - b:
            parts.append(f"the SMART header has {', '.join(sorted(a - b))}")
        yield Diagnostic(tel.start, tel.end,
                         f"the telegram's TAGS disagree with the SMART header's on "
                         f"{cable.place(smart.start, tel.start)}: {' and '.join(parts)} only")

    # -- the e-mail around the cable -------------------------------------------------------
    def _email_subject(self, cable: Cable) -> Iterator[Diagnostic]:
        emailed = [f for f in cable.get("SUBJECT") if f.origin in ("email", "forward")]
        if not emailed:
            return
        cable_subject = cable.first("SUBJECT", "smart") or cable.first("SUBJECT", "telegram")
        if cable_subject is None:
            return
        want = normal_subject(cable_subject.value)
        smart_core = any(f.name == "FROM" and f.origin == "forward" and "SMART" in f.value.upper()
                         for f in cable.fields)
        for f in emailed:
            # A forwarder may retitle an e-mail; only a forward that keeps the subject
            # (the SMART Core e-mail itself, or "FW: <subject>") states the cable's subject.
            if not _FORWARD_RE.match(_MARKDOWN_RE.sub("", f.value)) and not (
                    f.origin == "forward" and smart_core):
                continue
            got = normal_subject(f.value)
            if not subjects_agree(got, want):
                yield Diagnostic(f.start, f.start + len(f.value.rstrip()),
                                 f"the e-mail's subject '{f.value.strip()}' disagrees with "
                                 f"the cable's subject '{cable_subject.value.strip()}' on "
                                 f"{cable.place(cable_subject.start, f.start)}")

    # -- the web page's metadata -------------------------------------------------------------
    def _page(self, cable: Cable) -> Iterator[Diagnostic]:
        for f in cable.fields:
            if f.origin != "page":
                continue
            if f.name == "PAGE_CLASSIFICATION":
                yield from self._classification(cable, f.value, f, "the page's classification")
            elif f.name == "PAGE_ORIGIN":
                yield from self._origin(cable, f.value, f, "the page's origin")

    def _classification(self, cable: Cable, value: str, where: Field | None,
                        what: str) -> Iterator[Diagnostic]:
        line = cable.first("CLASSIFICATION", "telegram")
        if line is None:
            return
        stated, text = banner_level(value), banner_level(line.value)
        if stated is None or text is None or _family(stated) == _family(text):
            return
        anchor = where or line
        yield Diagnostic(anchor.start, anchor.end,
                         f"{what} '{value.strip()}' disagrees with the classification line "
                         f"'{line.value.strip()}' on {cable.place(line.start, anchor.start)}")

    def _origin(self, cable: Cable, value: str, where: Field | None,
                what: str) -> Iterator[Diagnostic]:
        sent = sender(cable, "telegram") or sender(cable, "smart")
        stated = origin_station(value)
        if sent is None or stated is None or same_sender(stated, sent[0]):
            return
        fm = cable.first("FM", "telegram") or cable.first("FROM", "smart")
        anchor = where or fm
        if anchor is None:
            return
        yield Diagnostic(anchor.start, anchor.end,
                         f"{what} '{value.strip()}' ({stated}) disagrees with the sender "
                         f"{sent[1]} ({sent[0]})")

    # -- the record a container gave the cable in ------------------------------------------
    def _metadata(self, cable: Cable, meta: Mapping[str, str]) -> Iterator[Diagnostic]:
        date = meta.get("date", "").strip()
        if date:
            yield from self._date(cable, date)
        if meta.get("classification", "").strip():
            yield from self._classification(cable, meta["classification"], None,
                                            "the record's classification")
        if meta.get("origin", "").strip():
            yield from self._origin(cable, meta["origin"], None, "the record's origin")

    def _date(self, cable: Cable, value: str) -> Iterator[Diagnostic]:
        stated, when = _record_date(value)
        for f in cable.fields:
            if f.name not in ("DTG", "DATE_DTG"):
                continue
            parsed = parse_dtg(f.value)
            if parsed is None or not parsed.valid or parsed.date is None:
                continue
            # The record states the DTG's own date (and time): a day off is a mistyped day.
            if when is not None and parsed.datetime is not None and not parsed.placeholder:
                off = abs((when - parsed.datetime).total_seconds()) > _RECORD_MAX_SECONDS
            else:
                off = stated is not None and stated != parsed.date
            if off:
                yield Diagnostic(f.start + parsed.start, f.start + parsed.end,
                                 f"the record's date '{value}' disagrees with the DTG "
                                 f"{parsed.raw} ({parsed.date})")
            return


#: How far a record's time may be from the DTG's (as dtg-date-mismatch's stated_max_minutes
#: for WikiLeaks' date lines; Cablegate's and the CFPF's CSV rows state the DTG's minute).
_RECORD_MAX_SECONDS = 180 * 60


#: A UTC offset after a record's time ("2007-02-26T16:03:00-05:00", "21:03Z").
_UTC_OFFSET_RE = regex.compile(r":\d\d(?::\d\d(?:\.\d+)?)? ?(?:Z\b|(?P<sign>[+-])(?P<h>\d\d):?"
                               r"(?P<m>\d\d)\b)")


def _record_date(value: str) -> tuple[dt.date | None, dt.datetime | None]:
    """The record's date, and its date and time in UTC when it states one (Cablegate's
    ``2007-02-26 21:03``; alx/cablegate's date line ``Sat Apr 07 00:00:00 +0200 2001`` is
    read as a date alone). Midnight is a date alone too: a date stored as a date and time
    (``1987-12-30 00:00:00``, ``12/30/1987 0:00``) says nothing of the hour."""
    stated = parse_stated_date(value)
    if stated is not None:
        if stated.time is None or stated.time == dt.time(0, 0):
            return stated.date, None
        when = dt.datetime.combine(stated.date, stated.time)
        offset = _UTC_OFFSET_RE.search(value)
        if offset is not None and offset["sign"]:
            shift = dt.timedelta(hours=int(offset["h"]), minutes=int(offset["m"]))
            when = when - shift if offset["sign"] == "+" else when + shift
        return stated.date, when
    try:
        return dt.date.fromisoformat(value.strip()[:10]), None
    except ValueError:
        return None, None
