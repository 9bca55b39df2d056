"""SMART cables as FOIA releases carry them: a released e-mail (``<b>From:</b>`` envelope,
forwarded ``**Sent:**`` block) or a PDF transcribed to Markdown, with the SMART header as
``**Label:** value`` lines or a Markdown table (``| **MRN:** | 23 MEXICO 2544 |``), and
sometimes the original telegram embedded under the SMART header.
"""

from __future__ import annotations

import re

from .. import regex
from ..confusions import confusions
from ..model import Cable, Field, new_part
from . import telegram
from .body import scan_body
from .lines import LineRegex

# One label line: HTML envelope, bold Markdown, a Markdown table row, or plain text as OCR
# leaves a SMART header ("MRN: 20 MEXICO 368"; plain labels are spelled as SMART prints them,
# and "E.O:" as a 2023 cable prints it). The labels' runs are possessive: what may follow
# each (":", "*", a blank before "|") is no letter, so giving one back cannot help a line
# that is no label.
_LABEL_RE = LineRegex(
    r"""[ \t>]*+(?=[<|*+#\-MDFAETCRSIX])(?:
      <b>(?P<html>[A-Za-z][A-Za-z ]{0,20}+):</b>[ \t]*(?P<hv>.*)
    | \|[ \t]*(?:\*\*)?(?P<tab>[A-Za-z][A-Za-z0-9/. ]{0,24}+):?(?:\*\*)?[ \t]*:?[ \t]*\|[ \t]*(?P<tv>[^|\n]*)\|
    | (?:[-*+][ \t]+|)\#{0,3}[ \t]*\*\*(?P<md>[A-Za-z][A-Za-z0-9/. ]{0,24}+)(?::\*\*|\*\*:)[ \t]*(?P<mv>.*)
    | (?P<pl>MRN|Date/DTG|From|Action|E\.O\.?|TAGS|Captions|Reference|Subject|Sent|Cc|To
        |Info\ Office|Signature|Drafted\ By|Cleared\ By|Approved\ By|Released\ By|Info|XMT
        |Action\ Post|Dissemination\ Rule):[ \t]*(?P<pv>.*)
    )[ \t]*$""",
    re.VERBOSE,
)
# The value group of each kind of label line (the last group a match closes) and its label.
_LABEL_GROUP = {"hv": "html", "tv": "tab", "mv": "md", "pv": "pl"}

#: SMART labels and the canonical keys the model uses for them.
LABELS = {
    "MRN": "MRN",
    "DATE/DTG": "DATE_DTG",
    "FROM": "FROM",
    "ACTION": "ACTION",
    "E.O.": "EO",
    "E.O": "EO",
    "TAGS": "TAGS",
    "CAPTIONS": "CAPTIONS",
    "REFERENCE": "REFERENCE",
    "SUBJECT": "SUBJECT",
    "INFO OFFICE": "INFO_OFFICE",
    "SIGNATURE": "SIGNATURE",
    "DRAFTED BY": "DRAFTED_BY",
    "CLEARED BY": "CLEARED_BY",
    "APPROVED BY": "APPROVED_BY",
    "RELEASED BY": "RELEASED_BY",
    "INFO": "INFO",
    "XMT": "XMT",
    "ACTION POST": "ACTION_POST",
    "DISSEMINATION RULE": "DISSEMINATION_RULE",
    "SENT": "SENT",
    "CC": "CC",
    "TO": "TO",
    "DATE": "DATE",
    "SENDER": "SENDER",
    "RECIPIENT": "RECIPIENT",
}
# Labels only a SMART header has (the forwarded e-mail block has From, Sent, Cc, Subject).
_SMART_ONLY = frozenset({"MRN", "DATE_DTG", "ACTION", "EO", "TAGS", "CAPTIONS", "REFERENCE"})
# A line that cannot continue a header field: a numbered paragraph, a heading, a label.
_CONTINUATION_STOP = regex.compile(r"[ \t>]*(?:\d{1,3}\.|#|\*\*|\||<b>)")
# Labels of the SMART header block itself.
_HEADER_ONLY = _SMART_ONLY | {"SUBJECT", "FROM"}
# Fields that close the body: the signature and drafting block.
_BODY_END = frozenset({"SIGNATURE", "DRAFTED_BY", "CLEARED_BY", "APPROVED_BY", "RELEASED_BY"})
_END_BANNER = "SENSITIVE BUT UNCLASSIFIED"
_END_BANNER_RE = regex.compile(r"[ \t*]*SENSITIVE\ BUT\ UNCLASSIFIED[ \t*]*$", re.VERBOSE | re.MULTILINE)


def _end_banner(text: str, start: int, end: int) -> int:
    """The start of the first line of ``text[start:end]`` that is the banner closing a SMART
    body, or ``end``. The banner's words are looked for (a C search), not each line."""
    at = text.find(_END_BANNER, start, end)
    while at != -1:
        line_start = text.rfind("\n", 0, at) + 1
        if line_start >= start and _END_BANNER_RE.match(text, line_start, end):
            return line_start
        at = text.find(_END_BANNER, at + 1, end)
    return end


def _misread_label(label: str) -> str | None:
    """The key of a label OCR misread ("E.0." for "E.O."; ocr-confusion reports it), if the
    label it stands for is a SMART label."""
    found = confusions().labels.get(label.strip().upper())
    return LABELS.get(found[0]) if found else None


def parse(cable: Cable) -> None:
    text = cable.text
    header_end = 0  # end of the SMART header (the Subject line)
    body_end = len(text)
    seen_smart = False  # labels before the first SMART-only label belong to the forward block
    for line_start, m in _LABEL_RE.finditer(text):
        group = m.lastgroup or ""
        label_group = _LABEL_GROUP[group]
        label = m[label_group]
        origin = "email" if label_group == "html" else "smart" if seen_smart else "forward"
        name = LABELS.get(label.strip().upper()) or _misread_label(label)
        if name is None or (header_end and name in _HEADER_ONLY):
            continue  # after the SMART header, "TAGS:" and "SUBJECT:" are the telegram's
        if name in _SMART_ONLY and origin != "email":
            origin = "smart"
            if not seen_smart:
                cable.header_start = line_start
            seen_smart = True
        raw = m[group]
        value = raw.replace("<br>", "; ").replace("\\_", "_").strip().rstrip("*").strip()
        start = m.start(group)
        cable.fields.append(new_part(Field, (name, label, value, start, start + len(raw),
                                             line_start, origin)))
        if origin == "smart" and name == "SUBJECT" and not header_end:
            header_end = m.end()
        if origin == "smart" and name in _BODY_END and header_end and body_end == len(text):
            body_end = line_start
    if not header_end:  # no Subject: the header ends with its last field's block
        header_end = max((f.end for f in cable.fields
                          if f.origin == "smart" and f.name in _HEADER_ONLY), default=0)
        while header_end < len(text):  # continuation lines ("B) 19 Mexico 3428")
            nl = text.find("\n", header_end + 1)
            line = text[header_end + 1 : len(text) if nl == -1 else nl]
            if not line.strip() or _CONTINUATION_STOP.match(line):
                break
            header_end = len(text) if nl == -1 else nl
    body_end = _end_banner(text, header_end, body_end)
    body_start = telegram.parse_header(cable, header_end, body_end)
    cable.embedded_telegram = body_start > header_end and any(
        f.origin == "telegram" and f.name in ("DTG", "FM", "TO", "CLASSIFICATION")
        for f in cable.fields
    )
    cable.body_start, cable.body_end = body_start, body_end
    # One scan: the release's own banners and stamps, around the body, count too.
    scan_body(cable, body_start, body_end, headings=not cable.embedded_telegram,
              dtg_origin="telegram" if cable.embedded_telegram else "")
