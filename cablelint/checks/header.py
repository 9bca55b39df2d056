"""Rules on the header: the fields each format requires."""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

from .. import regex
from ..confusions import confusions
from ..engine import Diagnostic, Rule
from ..model import Cable, Field
from ..packs import load_pack

#: Which part of the cable states the fields a format requires.
_ORIGIN = {"smart": "smart", "telegram": "telegram", "html": "telegram"}


def requirements(fmt: str, pack: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    reqs = pack.get(fmt, [])
    while isinstance(reqs, str):  # an alias: "html: telegram"
        reqs = pack.get(reqs, [])
    return list(reqs)


class _Requirement(NamedTuple):
    field: str
    label: str
    lifted_by_partial_extract: bool
    since: dt.date | None


class _Format(NamedTuple):
    """A format's requirements, read from the pack once per run."""

    requirements: tuple[_Requirement, ...]
    required: frozenset[str]  # the required field names
    order: list[str]  # the usual order of header fields
    before_next: frozenset[str]  # missing fields reported at the field that follows them


@cache
def _format(fmt: str) -> _Format:
    pack = load_pack("requirements")
    reqs = requirements(fmt, pack)
    order = requirements(fmt, pack.get("order", {})) or [r["field"] for r in reqs]
    table = tuple(
        _Requirement(r["field"], r["label"], "partial-extract" in r.get("unless", ()),
                     _as_date(r["from"]) if r.get("from") else None)
        for r in reqs)
    return _Format(table, frozenset(r.field for r in table), list(order),
                   frozenset(pack.get("before-next", ())))


class HeaderFieldMissing(Rule):
    """The header fields that the cable's format requires are present and not empty.

    A cable without its MRN, DTG, sender, addressees, E.O. line, TAGS or subject cannot be
    cited, dated, filed or searched. SMART cables need at least MRN, Date/DTG, From, Action,
    E.O., TAGS and Subject; telegrams need the DTG line, FM, TO, the classification line,
    E.O., TAGS and SUBJECT. Requirements may depend on the era: TAGS and E.O. lines became
    mandatory on telegrams on 1 March 1973, so a 1966 cable without TAGS is not defective.
    A cable that declares itself a partial extract is not held to its lost routing header.
    The requirements are ``rules/requirements.yaml``; the finding is where the field belongs.
    Several fields lost where the text stops (a record cut off in its header: no field and no
    paragraph after the place they belong) are one finding that names them all.

    Failing::

        P 262103Z FEB 07
        FM AMEMBASSY BOGOTA
        TO SECSTATE WASHDC
        UNCLAS BOGOTA 001339
        E.O. 12958: N/A
        SUBJECT: NOISE ON HUMANITARIAN ACCORD     <- H001 required header field TAGS is missing

    Passing: the same with ``TAGS: PTER PGOV PHUM CO`` before the subject.
    """

    code = "H001"
    name = "header-field-missing"
    severity = "error"
    summary = "The header fields the cable's format requires are present"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        origin = _ORIGIN.get(cable.format)
        if origin is None:
            return
        fmt = _format(cable.format)
        # A clean cable states every required field, not empty: one pass over its fields.
        # (``value.strip()`` is true exactly when the value is not empty nor all blank.)
        stated = {f.name for f in cable.fields
                  if f.origin == origin and f.value and not f.value.isspace()}
        if fmt.required <= stated:
            return
        missing: dict[int, list[str]] = {}  # where each missing field belongs -> labels
        trailing: bool | None = None  # is the routing block printed after the text?
        for req in fmt.requirements:
            if req.field in stated:
                continue
            if cable.partial_extract and req.lifted_by_partial_extract and not (
                    origin == "telegram" and req.field in _ROUTING and stated & _ROUTING):
                continue  # its routing block is lost (not FM when TO is there, or TO when FM)
            if req.since:
                date = cable.date
                if date and date < req.since:
                    continue
            fields = cable.get(req.field, origin)
            if not fields:
                if origin == "telegram" and req.field in _TRAILING_FIELDS:
                    if trailing is None:
                        trailing = _header_after_body(cable)
                    if trailing:
                        continue  # a telegram handler's printout: printed after the text
                anchor = _where_expected(cable, origin, fmt.order, req.field,
                                         req.field in fmt.before_next)
                if req.field == "CLASSIFICATION" and _misread_classification(cable, anchor):
                    continue  # there, OCR-damaged ("UNCLASSIFIFD"): ocr-confusion's finding
                damaged = _damaged_label(cable, anchor, req.field)
                if damaged is not None:  # "SUBJEGT: ...": the line is there, its label damaged
                    at, label = damaged
                    yield Diagnostic(at, at + len(label), f"required header field {req.label} "
                                     f"is missing: its label reads '{label}'")
                    continue
                if origin == "telegram" and cable.paragraphs and \
                        anchor > cable.paragraphs[0].start:
                    if trailing is None:
                        trailing = _header_after_body(cable)
                    if trailing:  # a printout's subject stands above its text, not after it
                        anchor = cable.text.rfind("\n", 0, cable.paragraphs[0].start) + 1
                missing.setdefault(anchor, []).append(req.label)
            else:  # stated, but every statement is empty
                f = fields[0]
                yield Diagnostic(f.line_start, f.end,
                                 f"required header field {req.label} is empty")
        for anchor, labels in missing.items():
            if len(labels) > 1 and _cut_off_at(cable, origin, anchor):
                # one defect, one finding: the record stops in its header (06KABUL3934)
                yield Diagnostic(anchor, _line_end(cable.text, anchor),
                                 f"required header fields {_and(labels)} are missing: the "
                                 "text stops before them (the record is cut off)")
                continue
            for label in labels:
                yield Diagnostic(anchor, _line_end(cable.text, anchor),
                                 f"required header field {label} is missing")


# The routing block that a telegram handler's printout (POEMS, "Post: STATE MRN: ... Printed
# by:" of a FOIA release) prints after the text: FM, TO (INFO alone for a repeat), then the
# E.O. (OCR's "E.0.") and TAGS lines, each on a line of its own (a page's furniture may stand
# between them). The parser reads a header above the text only.
# The addressee lines of the routing block: a partial extract that kept one of them is held
# to the other. (Not to the DTG line: a 2000-02 printout's extract times its pages instead,
# "PAGE 01 HARARE 02505 240956Z", unseen prec14 01HARARE2505.)
_ROUTING = frozenset({"FM", "TO"})
_TRAILING_FIELDS = frozenset({"DTG", "FM", "TO", "CLASSIFICATION", "EO", "TAGS"})
_TRAILING_HEADER_RE = regex.compile(
    r"(?m)^[ \t]*FM[ \t]+[A-Z][^\n]*\n(?:[^\n]*\n){0,40}?[ \t]*(?:TO|INFO)[ \t]+[A-Z][^\n]*\n"
    r"(?:[^\n]*\n){0,60}?[ \t]*E\.[ \t]?[O0]\.[ \t]*1\d{4}\b[^\n]*\n(?:[^\n]*\n){0,8}?[ \t]*TAGS\b")


def _header_after_body(cable: Cable) -> bool:
    """Are FM, TO, E.O. and TAGS printed after the cable's last paragraph (searched only
    for a telegram that misses header fields, so no cost on a clean one)?"""
    start = max(cable.body_start, cable.paragraphs[-1].start if cable.paragraphs else 0)
    return _TRAILING_HEADER_RE.search(cable.text, start) is not None


def _cut_off_at(cable: Cable, origin: str, anchor: int) -> bool:
    """Does the cable's text stop where missing fields belong: no header field of its
    format and no paragraph after that place?"""
    return not any(p.start >= anchor for p in cable.paragraphs) and not any(
        f.origin == origin and f.line_start >= anchor for f in cable.fields)


def _and(labels: list[str]) -> str:
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


@cache
def _as_date(value: str | dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _where_expected(cable: Cable, origin: str, order: list[str], missing: str,
                    before_next: bool = False) -> int:
    """The line where a missing field belongs: after the block of the field that comes
    before it in the format's usual order, else at the field that comes after it, else at
    the first header line. A field that opens a block of its own (``before-next``: a
    telegram's E.O. line, set off from the classification line by SIPDIS and distribution
    lines) belongs at the field that follows it, when that one is stated."""
    index = order.index(missing) if missing in order else len(order)
    if before_next and index + 1 < len(order):
        field = cable.first(order[index + 1], origin)
        if field is not None:
            return field.line_start
    # After the last block of the fields that come before it in the order (each as first
    # stated after the blocks before it): a distribution line ``INFO LOG-00 ...`` above the
    # DTG is out of the usual order, no anchor for a classification line missing after the
    # addressees, and no stand-in for the ``INFO`` addressees after ``TO``.
    anchor = -1
    for name in order[:index]:
        fields = cable.get(name, origin)
        if fields:
            field = next((f for f in fields if f.line_start >= anchor), fields[0])
            anchor = max(anchor, _after_block(cable, field))
    if anchor >= 0:
        # past the lines of fields outside the order stated there (Cablegate's date line
        # "Friday, 07 September 2007, 10:49" between the addressees and the classification)
        unordered = {f.line_start: f for f in cable.fields
                     if f.origin == origin and f.name not in order}
        while anchor in unordered:
            anchor = min(_line_end(cable.text, unordered.pop(anchor).end) + 1,
                         len(cable.text))
        return anchor
    for name in order[index + 1 :]:
        field = cable.first(name, origin)
        if field is not None:
            return field.line_start
    return cable.header_start


# Labels whose line OCR may damage past reading ("SUBJEGT:", "TAG5:"): the field's name ->
# the label as written.
_LABELS = {"SUBJECT": "SUBJECT", "TAGS": "TAGS"}


def _damaged_label(cable: Cable, anchor: int, field: str) -> tuple[int, str] | None:
    """The line where ``field`` belongs (at ``anchor``, or the line above it) opens with its
    label one character off and a colon ("SUBJEGT: FRANCE: ..."): the label's offset and
    the word as written."""
    label = _LABELS.get(field)
    if label is None:
        return None
    text = cable.text
    above = text.rfind("\n", 0, max(anchor - 1, 0)) + 1 if anchor else 0
    for start in (anchor, above):
        word = text[start : start + len(label) + 1]
        if len(word) == len(label) + 1 and word[-1] == ":" and sum(
                a != b for a, b in zip(word.upper(), label, strict=False)) == 1:
            return start, word[:-1]
    return None


_LEVEL_WORDS = frozenset({"UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "SECRET"})


def _misread_classification(cable: Cable, anchor: int) -> bool:
    """Does the line where the classification line belongs (the line at ``anchor``, or the
    last one above it before a blank line) open with an OCR misreading of a level
    ("UNCLASSIFIFD TEHRAN 5055")? Then the line is there, damaged, not missing."""
    text = cable.text
    end = anchor - 1 if text[anchor - 1 : anchor] == "\n" else _line_end(text, anchor)
    for line_end in (end, _line_end(text, anchor)):
        line_start = text.rfind("\n", 0, max(line_end, 0)) + 1
        words = text[line_start:line_end].split(None, 1)
        if not words or len(words[0]) < 5:
            continue
        found = confusions().find(words[0])
        right = {word for word, _ in (confusions().anywhere.get(w, ("", False))
                                      for w in found.anywhere)}
        right.update(found.digit_readings.values())
        if right & _LEVEL_WORDS:
            return True
    return False


def _after_block(cable: Cable, field: Field) -> int:
    """The start of the line after a field's block: its line and the continuation lines
    that follow it (not blank, not another field)."""
    text = cable.text
    starts = {f.line_start for f in cable.fields}
    limit = cable.body_start if cable.body_start > field.line_start else len(text)
    nl = text.find("\n", field.end)
    while nl != -1 and nl + 1 < limit:
        line_start = nl + 1
        nl = text.find("\n", line_start)
        line = text[line_start : len(text) if nl == -1 else nl]
        if not line.strip() or line_start in starts:
            return line_start
    return len(text) if nl == -1 else nl + 1


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl == -1 else nl
