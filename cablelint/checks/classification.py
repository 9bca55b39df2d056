"""Rules on the cable's classification: banners, classification line, portion markings and
SMART captions agree with each other.

The model records every classification statement the parser found in ``cable.banners``
(the telegram classification line, banner lines anywhere in the text, a web page's
classification cell). :func:`statements` sorts out which of them state the cable's original
classification: a FOIA release prints ``UNCLASSIFIED`` on every page (the released state),
and a released e-mail's own banner is not the forwarded cable's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

from ..engine import Diagnostic, Rule
from ..markings import read_slot
from ..model import Cable, Marking, MarkingSlot
from ..packs import load_pack


class Statement(NamedTuple):
    """One statement of the cable's classification."""

    level: str
    grade: int
    start: int
    end: int
    kind: str  # "line" (classification line), "banner", "page" (web-page cell)


def _pack() -> Mapping[str, Any]:
    pack: Mapping[str, Any] = load_pack("classification")
    return pack


def grade(level: str) -> int | None:
    """0 unclassified (U, SBU, LOU), 1 CONFIDENTIAL, 2 SECRET, 3 TOP SECRET."""
    return _grades().get(level)


@cache
def _grades() -> dict[str, int]:
    return {str(k): int(v) for k, v in _pack()["grades"].items()}


@cache
def classified_levels() -> frozenset[str]:
    return frozenset(k for k, v in _grades().items() if v > 0)


def grade_name(value: int) -> str:
    return str(_pack()["grade_names"][value])


def released(cable: Cable) -> bool:
    """Was the cable released under FOIA (or declassified)? Its pages then carry the banner
    UNCLASSIFIED whatever the cable's original classification was."""
    if cable.format == "smart" or any(f.kind == "release-stamp" for f in cable.furniture):
        return True
    text = cable.text
    return any(cue in text for cue in _pack()["release_cues"])


def statements(cable: Cable) -> list[Statement]:
    """The statements of the cable's original classification, in text order (memoised)."""
    found = cable.memo.get("classification_statements")
    if found is None:
        found = cable.memo["classification_statements"] = _statements(cable)
    return list(found)


def _statements(cable: Cable) -> list[Statement]:
    lines = {f.start for f in cable.fields if f.name == "CLASSIFICATION"}
    pages = {f.start for f in cable.fields if f.name == "PAGE_CLASSIFICATION"}
    is_released: bool | None = None  # looked up when a banner says UNCLASSIFIED
    # A released e-mail's own banners stand before its forwarded block.
    envelope_end = 0
    if any(f.origin == "email" for f in cable.fields):
        envelope_end = min((f.line_start for f in cable.fields if f.origin in ("forward", "smart")),
                           default=0)
    out = []
    seen: set[int] = set()
    for level, start, end in sorted(cable.banners, key=lambda b: b[1]):
        value = grade(level)
        if value is None or start in seen or cable.quoted(start):
            continue
        seen.add(start)
        if start in pages:
            kind = "page"
        elif start in lines:
            kind = "line"
        else:
            kind = "banner"
            if start < envelope_end:
                continue
        if kind == "banner" and level == "U":
            if is_released is None:
                is_released = released(cable)
            if is_released:
                continue  # the release's banner, not the cable's
        out.append(Statement(level, value, start, end, kind))
    return out


def original_grade(cable: Cable) -> int | None:
    """The cable's original classification grade (the highest it states), or ``None``."""
    found = statements(cable)
    return max((s.grade for s in found), default=None)


def _quote(cable: Cable, start: int, end: int, width: int = 50) -> str:
    text = " ".join(cable.text[start:end].strip(" \t*#~_").split())
    text = text.replace("<center>", "").replace("</center>", "").strip(" *~_")
    return text if len(text) <= width else text[: width - 3] + "..."


class BannerMismatch(Rule):
    """The classification line and the top and bottom banners state the same classification.

    A cable whose banner says SECRET while its classification line says CONFIDENTIAL (or
    whose last page says UNCLASSIFIED under a CONFIDENTIAL first page) was re-typed,
    spliced or mis-transcribed: one of the statements is wrong. Levels are compared by what
    they mean: ``UNCLAS``, ``UNCLASSIFIED``, ``SBU``, ``SENSITIVE BUT UNCLASSIFIED``,
    ``Official - SBU`` and ``LIMITED OFFICIAL USE`` are all unclassified; spaced-out
    ``C O N F I D E N T I A L`` is CONFIDENTIAL; ``SECRET//NOFORN`` is SECRET. A FOIA release
    prints ``UNCLASSIFIED`` on every page (and the released e-mail has banners of its own):
    those state the released document, not the cable, and are not compared. The finding is at
    the first statement of each level that disagrees with the classification line (or, with
    no classification line, with the first banner). Levels are ``rules/classification.yaml``.

    Failing::

        CONFIDENTIAL BOGOTA 001339
        ...
        SECRET                      <- C001 banner 'SECRET' (SECRET) disagrees with the
                                       classification line 'CONFIDENTIAL BOGOTA 001339'
                                       (CONFIDENTIAL, line 1)

    Passing::

        UNCLAS BOGOTA 001339
        ...
        SENSITIVE BUT UNCLASSIFIED
    """

    code = "C001"
    name = "banner-mismatch"
    severity = "warning"
    summary = "The classification line and the top and bottom banners agree"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if len({grade(level) for level, _s, _e in cable.banners}) < 2:
            return  # every statement says the same
        found = statements(cable)
        if len(found) < 2:
            return
        reference = next((s for s in found if s.kind == "line"), found[0])
        reported = {reference.grade}
        what = "the classification line" if reference.kind == "line" else "the first banner"
        if reference.kind == "page":
            what = "the page's classification"
        ref_line = cable.locate(reference.start)[0]
        for s in found:
            if s.grade in reported:
                continue
            reported.add(s.grade)
            kind = {"line": "classification line", "page": "page classification"}.get(
                s.kind, "banner")
            yield Diagnostic(
                s.start, s.end,
                f"{kind} '{_quote(cable, s.start, s.end)}' ({grade_name(s.grade)}) disagrees "
                f"with {what} '{_quote(cable, reference.start, reference.end)}' "
                f"({grade_name(reference.grade)}, line {ref_line})")


def marked_portions(cable: Cable, quotes: bool = False
                    ) -> Iterator[tuple[str, MarkingSlot, Marking]]:
    """Every valid marking of the cable's own portions: ``(what, slot, marking)``; with
    ``quotes``, also those of quoted messages."""
    quoted = set() if quotes else _quoted_paragraphs(cable)
    for i, p in enumerate(cable.paragraphs):
        if i in quoted:
            continue
        if p.slot.marking:
            yield f"paragraph {p.number}", p.slot, p.slot.marking
        for sub in p.subparagraphs:
            if sub.slot is not None and sub.slot.marking:
                yield f"subparagraph {sub.label} of paragraph {p.number}", sub.slot, \
                    sub.slot.marking
    for h in cable.headings:
        if h.slot.marking:
            yield "heading", h.slot, h.slot.marking


def _quoted_paragraphs(cable: Cable) -> set[int]:
    from .paragraphs import numbering_runs

    return {i for run, is_quote in numbering_runs(cable) if is_quote for i in run}


class MarkingExceedsBanner(Rule):
    """No portion is marked above the cable's classification.

    A ``(C)`` paragraph in an UNCLASSIFIED cable, or an ``(S)`` paragraph in a CONFIDENTIAL
    one, means either the marking or the classification is wrong: the cable is classified
    at the level of its highest portion. ``(SBU)`` and ``(LOU)`` paragraphs in an UNCLAS cable
    are normal (SBU and LOU are controls on unclassified text). The cable's classification is
    the highest its classification line and banners state; a FOIA release whose pages say
    only ``UNCLASSIFIED`` has lost its original classification and is not judged. Paragraphs,
    marked subparagraphs and SMART headings are checked; quoted messages are not.

    Failing::

        UNCLAS BOGOTA 001339
        ...
        2. (C) Second.      <- C002 paragraph 2 is marked '(C)' (CONFIDENTIAL), above the
                               cable's classification UNCLASSIFIED

    Passing::

        UNCLAS BOGOTA 001339
        ...
        2. (SBU) Second.
    """

    code = "C002"
    name = "marking-exceeds-banner"
    severity = "error"
    summary = "No paragraph or heading is marked above the cable's classification"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        high = classified_levels()
        if not cable.banners or not any(
                m.level in high for _w, _s, m in marked_portions(cable, quotes=True)):
            return  # nothing is marked CONFIDENTIAL or above
        cable_grade = original_grade(cable)
        if cable_grade is None:
            return
        for what, slot, marking in marked_portions(cable):
            value = grade(marking.level)
            if value is not None and value > cable_grade:
                yield Diagnostic(slot.start, slot.end,
                                 f"{what} is marked '{slot.raw}' ({grade_name(value)}), above "
                                 f"the cable's classification {grade_name(cable_grade)}")


def _sbu(marking: Marking) -> bool:
    return marking.level == "SBU" or "SBU" in marking.caveats


class CaptionMarking(Rule):
    """A SMART cable's ``Captions: SENSITIVE`` and its SBU markings agree.

    SMART gives an unclassified cable with Sensitive But Unclassified text the caption
    ``SENSITIVE``; its portions are marked ``(SBU)``. Portions marked ``(SBU)`` under captions
    without ``SENSITIVE`` (or with no Captions line), or a ``SENSITIVE`` caption over portions
    that are all marked ``(U)``, mean the caption or the markings were changed or lost. A
    caption struck through by the release (``~~SENSITIVE~~``) still counts, and a marked
    subject (``Subject: (SBU) ...``) is a portion too. Classified cables,
    and SMART headers over an older telegram, are not judged. Caption words are
    ``rules/classification.yaml``.

    Failing::

        **Captions:** SENSITIVE       <- C003 captions say 'SENSITIVE', but every marked
        ...                              portion is '(U)' (2 portions)
        1. (U) First.

        2. (U) Second.

    Passing::

        **Captions:** SENSITIVE
        ...
        1. (SBU) First.
    """

    code = "C003"
    name = "caption-marking"
    severity = "warning"
    summary = "SMART Captions SENSITIVE agrees with the SBU portion markings"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if cable.format != "smart" or cable.embedded_telegram:
            return
        mrn = cable.first("MRN", "smart")
        if mrn is None:
            return
        marks = list(marked_portions(cable))
        if (original_grade(cable) or 0) > 0 or any(
                (grade(m.level) or 0) > 0 for _w, _s, m in marks):
            return  # a classified cable
        valid = [(w, s, m) for w, s, m in marks if grade(m.level) is not None]
        if not valid:
            return
        subject = cable.first("SUBJECT", "smart")
        if subject is not None:  # "Subject: (SBU) Mexico: ..." marks a portion too
            slot = read_slot(cable.text, subject.start, subject.end)
            if slot.marking is not None and grade(slot.marking.level) is not None:
                valid.append(("the subject", slot, slot.marking))
        sbu = [(w, s, m) for w, s, m in valid if _sbu(m)]
        caption = cable.first("CAPTIONS", "smart")
        words = set()
        if caption is not None:
            words = {w for w in caption.value.replace("~", " ").replace("*", " ").replace(
                ",", " ").replace(";", " ").replace("/", " ").upper().split()}
        sensitive = bool(words & set(_pack()["sensitive_captions"]))
        if sbu and not sensitive:
            what, slot, _m = sbu[0]
            if caption is None:
                count = "the only SBU portion" if len(sbu) == 1 else f"{len(sbu)} SBU portions"
                yield Diagnostic(slot.start, slot.end,
                                 f"{what} is marked '{slot.raw}' ({count}), but the SMART "
                                 "header has no 'Captions: SENSITIVE'")
            else:
                yield Diagnostic(caption.start, caption.end,
                                 f"captions '{caption.value}' lack SENSITIVE, but {len(sbu)} "
                                 f"portions are marked SBU ({what}: '{slot.raw}')")
        elif sensitive and caption is not None and all(m.level == "U" for _w, _s, m in valid):
            yield Diagnostic(caption.start, caption.end,
                             f"captions say '{caption.value}', but every marked portion is "
                             f"'(U)' ({len(valid)} portions)")
