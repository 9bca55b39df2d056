"""Rules on the values of header fields: identifiers, TAGS, the E.O. line."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from .. import regex
from ..confusions import confusions
from ..dtg import days_in_month, parse_dtg
from ..engine import Diagnostic, Fix, Rule
from ..model import Cable, Field
from ..packs import load_pack
from .stations import (
    Identifier,
    read_identifier,
    read_refid,
    read_serial,
    refid_stations,
    same_sender,
    same_year,
    sender,
    station,
)

# -- H002 mrn-format -------------------------------------------------------------------------

# What an MRN that is not well formed may still be: "20MEXICO 368", "2O MEXICO 368".
_MRN_LOOSE_RE = regex.compile(r"(?P<year>[0-9OIl|]{2}) ?(?P<station>[A-Z][A-Z .'/-]*?) ?"
                           r"(?P<serial>[0-9][0-9OIl|]{0,6})")
_OCR_DIGITS = str.maketrans({"O": "0", "I": "1", "l": "1", "|": "1"})


class MrnFormat(Rule):
    """MRNs and reference identifiers are well formed and agree with the cable.

    A cable's identifier is how it is cited and joined with other records; one that is
    malformed or names another post or year silently breaks every citation. Read in their
    real forms: the SMART ``MRN`` (``20 MEXICO 368``: year, station, serial), the serial of
    the classification line (``UNCLAS BOGOTA 001339``), and, where a web page or a CSV row
    states it (``cable.metadata["refid"]``), the Cablegate id (``07KUALALUMPUR1376``) or
    the CFPF document number (``1975STATE046226``, station cut to six letters). Checked:
    the MRN has the form ``YY STATION SERIAL`` (a missing space or an OCR letter in a digit
    place is reported with the fix); the station of each identifier is the sending post
    (the SMART ``From``, the ``FM`` line) when both are known posts of
    ``rules/gazetteer/posts.yaml`` (``MEXICO`` = ``MEXICO CITY``, ``KUALALUMPUR`` =
    ``KUALA LUMPUR``, ``STATE`` = ``SECSTATE WASHDC``); the year and serial of a Cablegate
    or CFPF id are the DTG's year (a day's slack at New Year) and the classification
    line's serial; each entry of the REF line has its serial (a post alone, ``REF:  KUALA
    LUMPUR`` or ``B. STATE``, is a reference cut off: the cable it cites cannot be found;
    a serial wrapped onto the next line is not). The MRN's year against the DTG is
    ``dtg-date-mismatch``'s; the MRN
    against the embedded telegram's serial is ``header-conflict``'s. Forms and words are
    in ``rules/identifiers.yaml``.

    Failing::

        **MRN:** 20 MONTERREY 368          <- H002 the MRN names MONTERREY, but the cable is
        **From:** AMEMBASSY MEXICO            from AMEMBASSY MEXICO (MEXICO)

    Passing::

        **MRN:** 20 MEXICO 368
        **From:** AMEMBASSY MEXICO
    """

    code = "H002"
    name = "mrn-format"
    severity = "error"
    fixes = ("unsafe",)
    summary = "MRNs and reference identifiers are well formed and name the sending post and year"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        for f in cable.fields:
            if f.name == "MRN":
                yield from self._mrn(cable, f)
            elif f.name == "CLASSIFICATION":
                yield from self._serial(cable, f)
            elif f.name == "PAGE_REFID":
                yield from self._refid(cable, f.value, f.start, "the page's reference id")
            elif f.name == "REF":
                yield from self._bare_references(cable, f)
        refid = cable.metadata.get("refid", "").strip()
        if refid:
            anchor = cable.header_start
            yield from self._refid(cable, refid, anchor, "the record's refid")

    def _mrn(self, cable: Cable, f: Field) -> Iterator[Diagnostic]:
        value = " ".join(f.value.split())
        upper = value.upper()
        if not value or any(w in upper for w in load_pack("identifiers")["mrn_not_stated"]):
            return
        ident = read_identifier(upper, "mrn") or _mrn_prefix(upper)
        if ident is None:
            if not confusions().found_anywhere(value):  # "MEX1CO" is ocr-confusion's
                yield from self._malformed(f, value)
            return
        yield from self._station(cable, f, ident, "the MRN", "smart")

    @staticmethod
    def _bare_references(cable: Cable, f: Field) -> Iterator[Diagnostic]:
        """A reference that names a post and no serial (``REF: KUALA LUMPUR``, ``(B) STATE``)
        was cut off: the cable it cites cannot be found. (A serial wrapped onto a later line,
        the field's value being its first line, is no cut.)"""
        text = cable.text
        value = text[f.start : f.end]
        if value[-1:].isdigit() and not _BARE_CUE_RE.search(value):
            return  # the usual case: each entry ends with its serial
        bounds = [0, *(i for m in _REF_SPLIT_RE.finditer(value) for i in m.span()), len(value)]
        for k in range(0, len(bounds) - 1, 2):
            entry = value[bounds[k] : bounds[k + 1]]
            words = _REF_YEAR_RE.sub("", entry).strip(" \t.()")
            if not words or any(c.isdigit() for c in words) or station(words.upper()) is None:
                continue
            if bounds[k + 1] == len(value) and _SERIAL_BELOW_RE.match(text, f.end):
                continue  # the serial stands on a later line ("(C) SECSTATE" / "36633")
            start = f.start + bounds[k] + entry.index(words)
            yield Diagnostic(start, start + len(words),
                             f"reference '{words}' names a post but no serial: it is cut off")

    def _malformed(self, f: Field, value: str) -> Iterator[Diagnostic]:
        m = _MRN_LOOSE_RE.fullmatch(value)
        if m is None:
            yield Diagnostic(f.start, f.end, f"MRN '{value}' is not of the form 'YY STATION "
                                             "SERIAL' (e.g. '20 MEXICO 368')")
            return
        right = (f"{m['year'].translate(_OCR_DIGITS)} {m['station'].strip()} "
                 f"{m['serial'].translate(_OCR_DIGITS)}")
        if read_identifier(right, "mrn") is None or right == value:
            yield Diagnostic(f.start, f.end, f"MRN '{value}' is not of the form 'YY STATION "
                                             "SERIAL' (e.g. '20 MEXICO 368')")
            return
        yield Diagnostic(f.start, f.end, f"MRN '{value}' is malformed; did you mean '{right}'?",
                         Fix(right, f.start, f.end, safe=False))

    def _serial(self, cable: Cable, f: Field) -> Iterator[Diagnostic]:
        ident = read_serial(f.value.upper())  # (a lower-cased cable: "S e c r e t state 068250")
        if ident is not None:
            yield from self._station(cable, f, ident, "the classification line", f.origin)

    def _station(self, cable: Cable, f: Field, ident: Identifier, what: str,
                 origin: str) -> Iterator[Diagnostic]:
        sent = sender(cable, origin)
        named = station(ident.station)
        if sent is None or named is None or same_sender(named, sent[0]):
            return
        written = ident.station.strip()
        at = cable.text[f.start : f.end].upper().find(written) if written else -1
        start, end = (f.start + at, f.start + at + len(written)) if at != -1 else (f.start,
                                                                                    f.end)
        yield Diagnostic(start, end,
                         f"{what} names {ident.station.strip()}, but the cable is from "
                         f"{sent[1]} ({sent[0]})")

    def _refid(self, cable: Cable, value: str, anchor: int, what: str) -> Iterator[Diagnostic]:
        ident = read_refid(value.upper())
        end = anchor + len(value) if what.startswith("the page") else anchor
        if ident is None:
            if not _REFID_LIKE_RE.match(value):
                return  # another scheme's id (a film number, a record key): not ours to judge
            yield Diagnostic(anchor, end, f"{what} '{value}' is neither a Cablegate id "
                                          "('07KUALALUMPUR1376') nor a CFPF document number "
                                          "('1975STATE046226')")
            return
        origin = "telegram" if cable.first("FM", "telegram") else "smart"
        sent = sender(cable, origin)
        named = refid_stations(ident)
        if sent is not None and named and not any(same_sender(n, sent[0]) for n in named):
            yield Diagnostic(anchor, end, f"{what} '{value}' names {ident.station}, but "
                                          f"the cable is from {sent[1]} ({sent[0]})")
        date = cable.date
        if date is not None and ident.year is not None and not same_year(ident.year, date):
            yield Diagnostic(anchor, end, f"{what} '{value}' has the year {ident.year}, but "
                                          f"the DTG is of {date}")
        line = cable.first("CLASSIFICATION", "telegram")
        serial = read_serial(line.value) if line else None
        if serial is not None and serial.serial != ident.serial:
            yield Diagnostic(anchor, end, f"{what} '{value}' has the serial {ident.serial}, "
                                          f"but the classification line has {serial.serial}")


# What separates a REF value's entries: ";", ",", ":", "AND", a list label ("A.", "A)",
# "(A)", glued "A)STATE"); a year or "REF" before an entry's post ("08 MADRID 1280").
_REF_SPLIT_RE = regex.compile(r"[;,:]|\s+AND\s+|(?:^|(?<=\s))\(?[A-Z][.)]\s*")
_REF_YEAR_RE = regex.compile(r"^\s*(?:REF\b)?\s*(?:\(\d{2}\)|\d{4}\b|\d{2}\b)?")
# The serial of a REF value's last entry on the next line, or alone on a later one.
_SERIAL_BELOW_RE = regex.compile(r"[ \t]*\n[ \t]*\d|(?:[ \t]*\n)+[ \t]*\d{1,7}[ \t]*(?:\n|$)")
# A post name before a separator or a label: an entry that may be bare.
_BARE_CUE_RE = regex.compile(r"[A-Za-z][ \t]*(?:[;,:]|[ \t]+\(?[A-Z][.)])")


# What means to be a Cablegate id or CFPF number: a two- or four-digit year, then letters.
_REFID_LIKE_RE = regex.compile(r"\s*(?:\d{2}|\d{4})[A-Za-z]")


# -- H003 tags-unknown -----------------------------------------------------------------------

_TAG_TOKEN_RE = regex.compile(r"\(.*?(?:\)|$)|[^\s,;()]+")
_TAG_SHAPE_RE = regex.compile(r"[A-Z]{4}")
_LABEL_TYPO_RE = regex.compile(r"[ \t>*]*(?P<label>[A-Z]{2,5})\b:?[ \t]+(?P<codes>[A-Z]{2,6}"
                            r"(?:[ \t]*,?[ \t]*[A-Z]{2,6})*)[ \t,]*$")


@cache
def tag_vocab() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(subject TAGS, geographic and organisation TAGS, all TAGS)."""
    tags = load_pack("gazetteer/tags")
    subject = frozenset(tags["subject"])
    other = frozenset(tags["country"]) | frozenset(tags["region"]) | frozenset(
        tags["organization"])
    return subject, other, subject | other


_MAX_RUN_WORDS = 120  # a real TAGS line has a dozen codes; pasted over itself four times, 50


def _repeated_run(f: Field, end: int, words: list[str]) -> Iterator[Diagnostic]:
    """A run of three TAGS or more written again right after itself (``PHUM, IS, EG, CH, ID,
    PHUM, IS, EG, CH, ID, ...``): the list was pasted over itself in an export. (A code
    written twice, ``KJUS FR KJUS``, is the drafter's, and harmless.)"""
    for size in range(3, len(words) // 2 + 1):
        for i in range(len(words) - 2 * size + 1):
            run = words[i : i + size]
            if words[i + size : i + 2 * size] != run:
                continue
            times = 2
            while words[i + times * size : i + (times + 1) * size] == run:
                times += 1
            yield Diagnostic(f.start, end, f"TAGS repeat the run '{' '.join(run)}' {times} "
                                           "times: the list was copied over itself")
            return


class TagsUnknown(Rule):
    """Every TAGS code is a known TAG; at least one is a subject TAG; the label is spelt right.

    TAGS file a cable: a misspelt TAG (``TSAP`` for ``TSPA``), two TAGS run together
    (``EINDETRD``) or a TAGS line whose label was misspelt (``TAGE PGOV CO``, so no TAGS field
    is read at all) hide the cable from every search by subject. Reported: a 4-letter code that
    is not a known TAG of ``rules/gazetteer/tags.yaml`` but two adjacent letters away from
    exactly one known subject TAG, three capitals that are exactly one known subject TAG with a
    letter lost (``GOV`` for ``PGOV``; not a program TAG's 'K': ``TIP``), or two known TAGS run
    together (the fix splits them); a TAGS line whose codes are all known country, region or
    organisation TAGS (no subject TAG); a header line that is a misspelt TAGS label followed by
    known TAGS, or a TAGS label written ``TAGS;``; a period between two TAGS (``TAGS: PTER.
    TU``); a run of three TAGS or more written again right after itself (``PHUM IS EG PHUM IS
    EG``: the list pasted over itself in an export). Not reported, for precision: codes the
    vocabulary lacks but that are shaped like a TAG (program TAGS such as ``KDEM``, temporary
    subject TAGS, later country codes), person names (``OVIP (BIDEN, JOSEPH)``), a code
    written twice (``KJUS FR KJUS``: the drafter's, harmless to search), and OCR misreadings
    (``ocr-confusion`` reports them).
    TAGS lines that go on over the next line are read whole.

    Failing::

        TAGS: ECON EINDETRD KIPR FR     <- H003 'EINDETRD' is two TAGS run together:
                                           'EIND ETRD'

    Passing::

        TAGS: ECON EIND ETRD KIPR FR
    """

    code = "H003"
    name = "tags-unknown"
    severity = "warning"
    fixes = ("safe", "unsafe")
    summary = "TAGS codes are known TAGS, with at least one subject TAG"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        tags = cable.get("TAGS")
        for f in tags:
            yield from self._codes(cable, f)
        if (cable.format in ("telegram", "html") or cable.embedded_telegram) and not any(
                f.origin == "telegram" for f in tags):
            yield from self._label_typo(cable)

    def _codes(self, cable: Cable, f: Field) -> Iterator[Diagnostic]:
        subject, other, known = tag_vocab()
        text = cable.text
        if text.startswith(";", f.start) and text.startswith(f.label, f.start - len(f.label)):
            # "TAGS;  PGOV, TU": the parser reads the label and a value from the ';'
            yield Diagnostic(f.start - len(f.label), f.start + 1,
                             f"'{f.label};' is a misspelt TAGS label; expected 'TAGS:'",
                             Fix("TAGS:", f.start - len(f.label), f.start + 1, safe=True))
        end = _tags_end(cable, f)
        words = [t for t in _TAG_TOKEN_RE.findall(text, f.start, end) if not t.startswith("(")]
        if not known.issuperset(words):  # else no code to report: read their places
            yield from self._unknown(text, f, end, subject, known)
        if words and other.issuperset(words) and subject.isdisjoint(words):
            yield Diagnostic(f.start, f.end, f"TAGS '{' '.join(words)}' has no subject TAG "
                                             "(only country, region or organisation TAGS)")
        if len(set(words)) < len(words) - 2 and len(words) <= _MAX_RUN_WORDS:
            # (most TAGS lines repeat no code; a line of thousands of words is no TAGS list
            # pasted over itself but a damaged file, and the search is cubic in its length)
            yield from _repeated_run(f, end, words)

    def _unknown(self, text: str, f: Field, end: int, subject: frozenset[str],
                 known: frozenset[str]) -> Iterator[Diagnostic]:
        ocr = confusions().tags
        tokens = [(m.group(0), m.start()) for m in _TAG_TOKEN_RE.finditer(text, f.start, end)]
        codes = [(t, s) for t, s in tokens if not t.startswith("(")]
        for i, (token, start) in enumerate(codes):
            if token in known or token in ocr or not _TAG_SHAPE_RE.fullmatch(token):
                right = _dropped(token, subject) if len(token) == 3 and token not in known \
                    and token not in ocr else None
                if right:  # "TAGS: GOV, PREL": a subject TAG that lost a letter
                    yield Diagnostic(start, start + len(token),
                                     f"'{token}' is not a known TAG; did you mean '{right}'?",
                                     Fix(right, start, start + len(token), safe=False))
                    continue
                if len(token) > 4 and token not in known and token not in ocr:
                    if token[-1] == "." and token[:-1] in known and i + 1 < len(codes):
                        # "TAGS: PTER. TU": a period for the separator between two TAGS
                        sep = "," if "," in text[f.start : f.end] else ""
                        yield Diagnostic(start + len(token) - 1, start + len(token),
                                         f"a period separates TAGS '{token[:-1]}' and "
                                         f"'{codes[i + 1][0]}'",
                                         Fix(sep, start + len(token) - 1, start + len(token),
                                             safe=False))
                        continue
                    yield from self._run_together(text, f, token, start)
                continue
            right = _transposed(token, subject)
            if right:
                yield Diagnostic(start, start + len(token),
                                 f"'{token}' is not a known TAG; did you mean '{right}'?",
                                 Fix(right, start, start + len(token), safe=False))

    def _run_together(self, text: str, f: Field, token: str, start: int) -> Iterator[Diagnostic]:
        subject, _other, known = tag_vocab()
        splits = [(token[:i], token[i:]) for i in (4, len(token) - 4) if 0 < i < len(token)
                  and token[:i] in known and token[i:] in known
                  and (token[:4] in subject or token[-4:] in subject)]
        splits = list(dict.fromkeys(splits))
        if len(splits) != 1:
            return
        sep = ", " if "," in text[f.start : f.end] else " "
        right = sep.join(splits[0])
        yield Diagnostic(start, start + len(token),
                         f"'{token}' is two TAGS run together: '{right}'",
                         Fix(right, start, start + len(token), safe=True))

    def _label_typo(self, cable: Cable) -> Iterator[Diagnostic]:
        """A header line "TAGE PGOV CO" where TAGS belong: the parser read no TAGS."""
        text = cable.text
        typos = frozenset(load_pack("identifiers")["tags_label_typos"])
        start, end = cable.header_start, cable.body_start
        if end <= start:
            return
        _subject, _other, known = tag_vocab()
        pos = start
        while pos < end:
            nl = text.find("\n", pos, end)
            line_end = end if nl == -1 else nl
            first = text[pos:line_end].lstrip(" \t>*").split(None, 1)
            m = (_LABEL_TYPO_RE.match(text, pos, line_end)
                 if first and first[0].rstrip(":") in typos else None)
            if m and m["label"] in typos:
                codes = re.split(r"[\s,]+", m["codes"].strip())
                if codes and all(c in known for c in codes):
                    yield Diagnostic(m.start("label"), m.end("label"),
                                     f"'{m['label']}' is a misspelt TAGS label; expected "
                                     "'TAGS:'", Fix("TAGS:", m.start("label"),
                                                    m.end("label") + (
                                                        1 if text[m.end("label")] == ":"
                                                        else 0), safe=False))
            pos = line_end + 1


def _tags_end(cable: Cable, f: Field) -> int:
    """The end of a TAGS field with the lines it goes on over ("..., SOCI,\\nKCRM, SP")."""
    text = cable.text
    end = f.end
    starts: set[int] | None = None  # the lines of fields: read for a line that may go on
    known = tag_vocab()[2]
    for _ in range(3):
        nl = text.find("\n", end)
        if nl == -1:
            break
        line_end = text.find("\n", nl + 1)
        line_end = len(text) if line_end == -1 else line_end
        line = text[nl + 1 : line_end]
        if not line.strip():
            break
        words = line.replace(",", " ").split()
        if not text[f.start : end].rstrip().endswith(",") and not known.issuperset(words):
            break
        if starts is None:
            starts = {g.line_start for g in cable.fields}
        if nl + 1 in starts:
            break
        end = line_end
    return end


def _mrn_prefix(value: str) -> Identifier | None:
    """An MRN followed by other text ("20 MEXICO 368 (b)(6)", "20 MEXICO 368; ...")."""
    for cut in range(len(value) - 1, 4, -1):
        if not value[cut].isalnum() and value[cut - 1].isdigit():
            found = read_identifier(value[:cut].rstrip(), "mrn")
            if found:
                return found
    return None


def _transposed(token: str, subject: frozenset[str]) -> str | None:
    """The one subject TAG that ``token`` is with two adjacent letters swapped."""
    found = {token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(len(token) - 1)}
    hits = found & subject
    return next(iter(hits)) if len(hits) == 1 else None


def _dropped(token: str, subject: frozenset[str]) -> str | None:
    """The one subject TAG that ``token`` (three capitals) is with one letter lost. A program
    TAG's 'K' is not counted lost: 'TIP' for 'KTIP' is an informal tag Cablegate indexes."""
    if not token.isupper() or not token.isalpha():
        return None
    # (the 104 spellings with one letter put back, looked up: not a walk over every TAG)
    found = {token[:i] + c + token[i:] for i in range(4) for c in _CAPITALS}
    found.discard("K" + token)
    hits = found & subject
    return next(iter(hits)) if len(hits) == 1 else None


_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# -- H004 eo-era -----------------------------------------------------------------------------

_EO_NUMBER_RE = regex.compile(r"\s*(?P<number>\d{5})\b")
_DECL_RE = regex.compile(r"\bDECL(?:ASSIFY)?\s*(?:ON)?\s*:\s*(?P<value>[^;]*)")
_DECL_DATE_RE = regex.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d+)\b|(?P<compact>\d{8})\b"
                           r"|(?P<iy>\d{4})[/-](?P<im>\d{1,2})[/-](?P<id>\d{1,2})\b")


class EoEra(Rule):
    """The E.O. line cites an order that existed and was in force, and a sane DECL date.

    The E.O. line names the executive order under which the cable was classified: 11652
    (from 1972), 12065 (from December 1978), 12356 (from August 1982), 12958 (from October
    1995, amended by 13292 in 2003), 13526 (from June 2010). An order that did not exist
    (``E.O. 19523``, ``E.O. 12598``) or was not yet or no longer in force on the cable's
    date (posts cited a new order from its signing, and the old one for ``grace_days``
    after the change-over) is a typo or a date error. A typo is fixed when exactly one order
    in force is one digit change or one swap of adjacent digits away. The ``DECL:`` date
    (``DECL: 02/05/2030``, ``DECL: 20190226``) must be a real date and not before the
    cable; ``OADR``, exemptions (``25X1``) and reasons (``1.4 (B), (D)``) are not dates.
    Declassification stamps (``E.O. 12958: DECL: DECLASSIFIED BY NARA``) are checked only
    for a number that is no order at all, and SMART placeholders (``E.O.: Unknown``) not at
    all. Orders and dates: ``rules/eo.yaml``.

    Failing::

        P 080904Z MAY 09
        E.O. 12598: N/A      <- H004 'E.O. 12598' is not an executive order on
                                classification; did you mean 12958?

    Passing::

        E.O. 12958: N/A
    """

    code = "H004"
    name = "eo-era"
    severity = "error"
    fixes = ("safe", "unsafe")
    summary = "The E.O. number existed and was in force on the cable's date; DECL dates are sane"
    options = {"grace_days": 365}

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        eos = cable.get("EO")
        if not eos:
            return
        pack = load_pack("eo")
        grace = int(options.get("grace_days", 365))
        for f in eos:
            m = _EO_NUMBER_RE.match(f.value)
            if m is None:
                continue
            upper = f.value.upper()
            if any(w in upper for w in pack["declassification_words"]):
                # a declassification stamp cites the order it was declassified under, of
                # any era: only a number that is no order at all is wrong
                yield from self._number(f, m, None, pack, grace)
                continue
            date = _date_for(cable, f)
            yield from self._number(f, m, date, pack, grace)
            # (with no date known, a DECL date that is no date is still told: "14/35/2010")
            yield from self._decl(f, date, upper)

    def _number(self, f: Field, m: re.Match[str], date: dt.date | None,
                pack: Mapping[str, Any], grace: int) -> Iterator[Diagnostic]:
        number = m["number"]
        orders = pack["orders"]
        start, end = f.start + m.start("number"), f.start + m.end("number")
        if number in orders:
            if date is not None and not _in_force(number, date, grace):
                right = [n for n in orders if not orders[n].get("amends")
                         and _in_force(n, date, grace)]
                yield Diagnostic(start, end, f"E.O. {number} was not in force on {date}; "
                                             f"expected {' or '.join(right) or 'none'}")
            return
        candidates = [n for n in orders if _one_edit(number, n)
                      and (date is None or _in_force(n, date, grace))]
        if len(candidates) == 1:
            yield Diagnostic(start, end, f"'E.O. {number}' is not an executive order on "
                                         f"classification; did you mean {candidates[0]}?",
                             Fix(candidates[0], start, end, safe=date is not None))
            return
        right = [n for n in orders if date is not None and not orders[n].get("amends")
                 and _in_force(n, date, grace)]
        hint = f"; the order in force on {date} was {' or '.join(right)}" if right else ""
        yield Diagnostic(start, end, f"'E.O. {number}' is not an executive order on "
                                     f"classification{hint}")

    def _decl(self, f: Field, date: dt.date | None, upper: str) -> Iterator[Diagnostic]:
        m = _DECL_RE.search(upper) if "DECL" in upper else None
        if m is None:
            return
        raw = m["value"].strip()
        d = _DECL_DATE_RE.match(raw)
        if d is None:
            return  # OADR, 25X1, a reason: not a date
        start = f.start + m.start("value") + (len(m["value"]) - len(m["value"].lstrip()))
        end = start + d.end()
        written = raw[: d.end()]
        decl = _decl_date(d, date)
        if decl is None:
            yield Diagnostic(start, end, f"DECL date '{written}' is not a date "
                                         "(expected MM/DD/YYYY)")
        elif date is not None and decl < date - dt.timedelta(days=1):
            yield Diagnostic(start, end, f"DECL date '{written}' ({decl}) is before the "
                                         f"cable's date {date}")


def _date_for(cable: Cable, f: Field) -> dt.date | None:
    """The date an E.O. line is judged by: the cable's DTG; for a SMART header, its own
    Date/DTG unless the cable is older than SMART (``smart_header_from``) or the DTG is a
    zeroed placeholder: then the archive filled the field."""
    if f.origin == "smart":
        smart = cable.first("DATE_DTG", "smart")
        parsed = parse_dtg(smart.value) if smart else None
        if parsed is None or not parsed.valid:
            return None
        since = _smart_header_from()
        if parsed.placeholder or parsed.date is None or parsed.date < since:
            return None  # a pre-SMART cable: the header's E.O. is the archive's, not the cable's
        return parsed.date
    return cable.date


@cache
def _smart_header_from() -> dt.date:
    return dt.date.fromisoformat(str(load_pack("eo")["smart_header_from"]))


def _in_force(number: str, date: dt.date, grace: int) -> bool:
    signed, until = _in_force_windows(grace)[number]
    return signed <= date and (until is None or date <= until)


def replaced_on(number: str) -> dt.date | None:
    """The day the next order took effect after order ``number`` of ``rules/eo.yaml`` (an
    order that amends another as the one it amends); ``None``: no later order, or unknown."""
    window = _in_force_windows(0).get(number)
    return None if window is None else window[1]


@cache
def _in_force_windows(grace: int) -> dict[str, tuple[dt.date, dt.date | None]]:
    """Per order of ``rules/eo.yaml``: the first and last day a cable may cite it (``None``:
    no later order). An order that amends another is in force as the one it amends. A
    cable may cite an order from its signing until the next order took effect plus
    ``grace`` days."""
    orders: Mapping[str, Any] = load_pack("eo")["orders"]
    windows: dict[str, tuple[dt.date, dt.date | None]] = {}
    for number, order in orders.items():
        if order.get("amends"):
            order = orders[order["amends"]]
        signed = dt.date.fromisoformat(str(order["signed"]))
        later = [dt.date.fromisoformat(str(o["effective"])) for o in orders.values()
                 if not o.get("amends") and dt.date.fromisoformat(str(o["signed"])) > signed]
        windows[number] = (signed, min(later) + dt.timedelta(days=grace) if later else None)
    return windows


def _one_edit(a: str, b: str) -> bool:
    """One digit changed, or two adjacent digits swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]])


def _decl_date(d: re.Match[str], cable_date: dt.date | None) -> dt.date | None:
    if d["compact"]:
        y, mo, day = int(d["compact"][:4]), int(d["compact"][4:6]), int(d["compact"][6:])
    elif d["iy"]:
        y, mo, day = int(d["iy"]), int(d["im"]), int(d["id"])
    else:
        mo, day, y = int(d["m"]), int(d["d"]), int(d["y"])
        if len(d["y"]) == 2 and cable_date is None:
            y += 2000 if y < 50 else 1900  # the century only to test the day and month
        elif len(d["y"]) == 2:
            # the century that puts the year nearest the cable's: a DECL date is at most 25
            # years on ("10/29/21" of a 2001 cable), and "10/29/98" of a 2001 cable is a date
            # before it, not one 97 years on
            y += cable_date.year // 100 * 100
            if y < cable_date.year - 50:
                y += 100
            elif y >= cable_date.year + 50:
                y -= 100
        elif len(d["y"]) != 4:
            return None
    if not (1 <= mo <= 12 and 1 <= day <= days_in_month(y, mo)) or y < 1900:
        return None
    return dt.date(y, mo, day)
