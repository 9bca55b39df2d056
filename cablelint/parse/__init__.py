"""Detect the format of a file and parse it, once, into a :class:`~cablelint.model.Cable`.

Formats:
  ``smart``      SMART cable in a FOIA release (e-mail envelope, Markdown, tables)
  ``telegram``   classic ACP-127 telegram (Cablegate, CFPF plain text)
  ``html``       a telegram inside a web page's ``<pre>`` blocks
  ``historylab`` HistoryLab CFPF body text (entity list, ``@@@``, body; no header)
  ``unknown``    nothing recognisable as a cable

:func:`parse` never raises on any text.
"""

from __future__ import annotations

import re

from .. import regex
from ..model import Cable, Field
from ..source import Decoded, MappedTextMap, TextMap, decode
from . import telegram
from .body import scan_body
from .lines import LineRegex

# A SMART header label: bold, in the e-mail envelope, or at the start of a line. Each is
# searched for on its own, so that each search starts from a literal.
_SMART_BOLD_RE = regex.compile(r"\*\*(?:MRN|Date/DTG):?\*\*")
_SMART_LINE_RE = LineRegex(r"[ \t>|*+-]*(?:MRN|Date/DTG):?[ \t|]")
_PRE_RE = regex.compile(r"<pre\b", re.IGNORECASE)
_PRE_LITERALS = ("<pre", "<PRE")
# "</pre>" in any case: what `"</pre>" in text.lower()` found, without lower-casing a whole
# page (no character outside ASCII lower-cases to one of these).
_PRE_END_RE = regex.compile(r"</[Pp][Rr][Ee]>")
# The web page's metadata cells, and the fields they become (origin "page").
_PAGE_FIELDS = {"date": "WL_DATE", "classification": "PAGE_CLASSIFICATION",
                "cable": "PAGE_REFID", "origin": "PAGE_ORIGIN"}
_HISTORYLAB_RE = regex.compile(r"^@{3,}[ \t]*$", re.MULTILINE)
# (Cablegate's spaced classification words and lower-cased E.O. label count too: "S E C R E T
# BAGHDAD 000028", "S e c r e t state 068250", "E.o. 12958: decl: 07/01/2034".)
_TELEGRAM_RE = LineRegex(
    r"[ \t]*(?:VZCZC|[ZOPR](?:\ [ZOPR])?\ +\d\d\ ?\d\d\ ?\d\d\ ?Z\ |FM\ [A-Z]|"
    r"This\ record\ is\ a\ partial\ extract|(?:E\.[Oo]\.|EO)\ ?\d{5}|TAGS:?\ [A-Z]{2,4}\b|"
    r"SUBJECT:\ |S\ [Ee]\ [Cc]\ [Rr]\ [Ee]\ [Tt]\ |"
    r"C\ [Oo]\ [Nn]\ [Ff]\ [Ii]\ [Dd]\ [Ee]\ [Nn]\ [Tt]\ [Ii]\ [Aa]\ [Ll]\ )",
    re.VERBOSE,
)


def detect(text: str) -> str:
    # Each regex runs only when a literal it needs is in the text; a single character first
    # (a C memchr), since a telegram has no "<" and no "@".
    head = text[:20000]
    angle = "<" in text
    if angle and _pre_tag(text) and ("</pre>" in text or _PRE_END_RE.search(text)):
        return "html"
    if (angle and "<b>From:</b>" in head) or (("MRN" in head or "Date/DTG" in head) and (
        _SMART_BOLD_RE.search(head) or any(_SMART_LINE_RE.finditer(head))
    )):
        return "smart"
    if "@" in head and "@@@" in head and _HISTORYLAB_RE.search(head):
        return "historylab"
    # Two markers make a telegram; "SUBJECT:" counts once (memos have one per document).
    hits = subject = 0
    for _, m in _TELEGRAM_RE.finditer(head):
        if m.group(0).lstrip(" \t\n").startswith("SUBJECT"):
            subject += 1
            if subject > 1:
                continue
        hits += 1
        if hits == 2:
            return "telegram"
    return "unknown"


def _pre_tag(text: str) -> bool:
    """Is there a ``<pre`` tag (in any case) in a text that holds "<pre" or "<PRE"? The tag
    is tried where the literal stands first: the case-blind search has no literal to start
    from and tries every character before the tag."""
    found = False
    for literal in _PRE_LITERALS:
        at = text.find(literal)
        if at != -1:
            if _PRE_RE.match(text, at):
                return True
            found = True
    return found and _PRE_RE.search(text) is not None


def parse_bytes(path: str, data: bytes) -> Cable:
    return parse_decoded(path, decode(data))


def parse_text(path: str, text: str) -> Cable:
    return parse_decoded(path, Decoded(text.replace("\r\n", "\n").replace("\r", "\n")))


def parse_decoded(path: str, decoded: Decoded) -> Cable:
    text = decoded.text
    fmt = "unknown" if decoded.binary else detect(text)
    if fmt == "html":
        from . import html  # each format's module is loaded when the format is first met

        extracted = html.extract(text)
        textmap: TextMap = MappedTextMap(extracted.text, raw=TextMap(text),
                                         origins=extracted.origins)
        cable = Cable(path, fmt, extracted.text, textmap, decoded)
        _parse_telegram(cable, extracted.meta[0][1] if extracted.meta else len(cable.text))
        for kind, start, end in extracted.meta:
            name = _PAGE_FIELDS[kind]
            cable.fields.append(Field(name, kind, cable.text[start:end], start, end, start,
                                      "page"))
        return cable
    cable = Cable(path, fmt, text, TextMap(text), decoded)
    if fmt == "smart":
        from . import smart

        smart.parse(cable)
    elif fmt == "telegram":
        _parse_telegram(cable, len(text))
        if text[:2].isdigit():
            _record_lines(cable)
    elif fmt == "historylab":
        m = _HISTORYLAB_RE.search(text)
        assert m is not None
        cable.body_start, cable.body_end = m.end(), len(text)
        scan_body(cable, cable.body_start, cable.body_end)
    return cable


# The record a cable file of WikiLeaks' release opens with (alx/cablegate): its id, subject,
# date, classification and origin, one a line, before the telegram.
_RECORD_RE = regex.compile(
    r"(?P<refid>\d{2}[A-Z][A-Z-]*\d+)\n[^\n]*\n(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<mon>Jan|Feb"
    r"|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<day>\d{2}) \d\d:\d\d:\d\d [+-]\d{4} "
    r"(?P<year>\d{4})\n(?P<classification>[A-Z][A-Z/ ]*)\n(?P<origin>[A-Z][^\n]*)\n")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _record_lines(cable: Cable) -> None:
    """The record lines over the telegram, read as the record a container gives a cable
    (``cable.metadata``): the header-conflict rule checks them against the text."""
    m = _RECORD_RE.match(cable.text)
    if m is None or cable.metadata:
        return
    month = _MONTHS.index(m["mon"]) + 1
    cable.metadata = {"refid": m["refid"], "date": f"{m['year']}-{month:02d}-{m['day']}",
                      "classification": m["classification"], "origin": m["origin"]}


def _parse_telegram(cable: Cable, end: int) -> None:
    body_start = telegram.parse_header(cable, 0, end)
    inner = telegram.wrapped_header(cable, body_start, end)
    if inner != -1:  # a printout's header over the telegram's: the telegram's counts
        cable.fields.clear()
        cable.banners.clear()
        cable.partial_extract = False
        body_start = telegram.parse_header(cable, inner, end)
    cable.body_start, cable.body_end = body_start, end
    scan_body(cable, body_start, end, dtg_origin="telegram")
    telegram.find_signature(cable, body_start, end)
