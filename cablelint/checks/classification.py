"""Rules on the cable's classification: banners, classification line, portion markings and
SMART captions agree with each other.

The model records every classification statement the parser found in ``cable.banners``
(the telegram classification line, banner lines anywhere in the text, a web page's
classification cell). :func:`statements` sorts out which of them state the cable's original
classification: a FOIA release prints ``UNCLASSIFIED`` on every page (the released state),
and a released e-mail's own banner is not the forwarded cable's.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

from ..engine import Diagnostic, Rule
from ..markings import read_slot
from ..model import Cable, Heading, Marking, MarkingSlot, Paragraph, SubParagraph
from ..packrules import find_all, folded_finds
from ..packs import load_pack
from .paragraphs import numbering_runs


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


def original_grade(cable: Cable, line_first: bool = False) -> int | None:
    """The cable's original classification grade (the highest it states), or ``None``. With
    ``line_first``, its classification line's grade where it has one (paragraph-marking: a
    page banner that disagrees with the line is banner-mismatch's finding; read as the cable's
    grade, one CONFIDENTIAL banner would demand a marking of every paragraph)."""
    if line_first and (line := _line_grade(cable)) is not None:
        return line
    return max((s.grade for s in statements(cable)), default=None)


def _line_grade(cable: Cable) -> int | None:
    """The grade of the cable's first classification line (the statement :func:`statements`
    calls ``line``), found without sorting out every statement (paragraph-marking asks it
    alone in a run of the mission rules)."""
    lines = cable.get("CLASSIFICATION")
    if not lines:
        return None
    levels = {start: level for level, start, _end in cable.banners}
    for start in sorted(f.start for f in lines):
        level = levels.get(start)
        value = grade(level) if level is not None else None
        if value is not None and not cable.quoted(start):
            return value
    return None


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
        banners, grades = cable.banners, _grades()
        if not banners:
            return
        first = grades.get(banners[0][0])
        if all(grades.get(level) == first for level, _s, _e in banners):
            return  # every statement says the same
        found = statements(cable)
        if len(found) < 2:
            return
        reference = next((s for s in found if s.kind == "line"), found[0])
        reported = {reference.grade}
        what = "the classification line" if reference.kind == "line" else "the first banner"
        if reference.kind == "page":
            what = "the page's classification"
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
                f"({grade_name(reference.grade)}, {cable.place(reference.start, s.start)})")


def marked_portions(cable: Cable, quotes: bool = False
                    ) -> Iterator[tuple[str, MarkingSlot, Marking]]:
    """Every valid marking of the cable's own portions: ``(what, slot, marking)``; with
    ``quotes``, also those of quoted messages."""
    for owner, sub, slot, marking in _portions(cable, quotes):
        yield _what(owner, sub), slot, marking


#: A validly marked portion: (paragraph or heading, subparagraph or None, slot, marking);
#: for the subject, (None, None, slot, marking). Plain tuples: what the portion is called is
#: written only for a finding (:func:`_what`).
_Portion = tuple[Paragraph | Heading | None, SubParagraph | None, MarkingSlot, Marking]


def _what(owner: Paragraph | Heading | None, sub: SubParagraph | None) -> str:
    if owner is None:
        return "the subject"
    if isinstance(owner, Heading):
        return "heading"
    if sub is None:
        return f"paragraph {owner.number}"
    return f"subparagraph {sub.label} of paragraph {owner.number}"


def _portions(cable: Cable, quotes: bool = False) -> Iterator[_Portion]:
    """:func:`marked_portions` as :data:`_Portion` tuples."""
    quoted = set() if quotes else _quoted_paragraphs(cable)
    for i, p in enumerate(cable.paragraphs):
        if i in quoted:
            continue
        if p.slot.marking:
            yield p, None, p.slot, p.slot.marking
        for sub in p.subparagraphs:
            if sub.slot is not None and sub.slot.marking:
                yield p, sub, sub.slot, sub.slot.marking
    for h in cable.headings:
        if h.slot.marking:
            yield h, None, h.slot, h.slot.marking


def _marks_any(cable: Cable, levels: frozenset[str]) -> bool:
    """Is any portion (quoted ones too) validly marked with one of ``levels``?"""
    for p in cable.paragraphs:
        if p.slot.marking and p.slot.marking.level in levels:
            return True
        for sub in p.subparagraphs:
            if sub.slot is not None and sub.slot.marking and sub.slot.marking.level in levels:
                return True
    return any(h.slot.marking and h.slot.marking.level in levels for h in cable.headings)


def _quoted_paragraphs(cable: Cable) -> set[int]:
    return {i for run, is_quote in numbering_runs(cable) if is_quote for i in run}


class MarkingExceedsBanner(Rule):
    """No portion is marked above the cable's classification.

    A ``(C)`` paragraph in an UNCLASSIFIED cable, or an ``(S)`` paragraph in a CONFIDENTIAL
    one, means either the marking or the classification is wrong: the cable is classified
    at the level of its highest portion. ``(SBU)`` and ``(LOU)`` paragraphs in an UNCLAS cable
    are normal (SBU and LOU are controls on unclassified text). The cable's classification is
    the highest its classification line and banners state; a FOIA release whose pages say
    only ``UNCLASSIFIED`` has lost its original classification and is not judged. Paragraphs,
    marked subparagraphs and SMART headings are checked; quoted messages are not. A caveat
    too: a portion marked NOFORN (``(S/NF)``, ``(C//NOFORN)``) in a cable that says NOFORN
    nowhere else (no ``NOFORN`` line, no ``SECRET//NOFORN``) is reported once, at the first
    not already above the cable's level.

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
        if not cable.banners:
            return
        high = classified_levels()
        if not _marks_any(cable, high):
            return  # nothing is marked CONFIDENTIAL or above
        cable_grade = original_grade(cable)
        if cable_grade is None:
            return
        noforn: tuple[str, MarkingSlot] | None = None
        for owner, sub, slot, marking in _portions(cable):
            value = grade(marking.level)
            if value is not None and value > cable_grade:
                yield Diagnostic(slot.start, slot.end,
                                 f"{_what(owner, sub)} is marked '{slot.raw}' "
                                 f"({grade_name(value)}), above the cable's classification "
                                 f"{grade_name(cable_grade)}")
            elif noforn is None and marking.caveats and _noforn(marking):
                noforn = (_what(owner, sub), slot)
        if noforn is not None and not _states_noforn(cable):
            what, slot = noforn
            yield Diagnostic(slot.start, slot.end,
                             f"{what} is marked '{slot.raw}' (NOFORN), but the cable's "
                             "classification carries no NOFORN")


def _noforn(marking: Marking) -> bool:
    return any(c == "NF" or c.startswith("NOFORN") for c in marking.caveats)


# NOFORN as a cable states it outside its portion markings: "NOFORN" on its own line or after
# the level ("SECRET//NOFORN", "S E C R E T NOFORN"), spaced out, "NO FOREIGN DISSEM", "//NF".
# (Literals found by a search of the folded text, each with its spellings: a case-blind
# pattern with no literal to start from is tried at every character of the text.)
_NOFORN_LITERALS = (("nofor", ("NOFOR", "Nofor", "nofor")), ("n o f o r n", ("N O F O R N",)),
                    ("no foreign", ("NO FOREIGN", "No Foreign", "no foreign")))


def _states_noforn(cable: Cable) -> bool:
    """Does the cable say NOFORN anywhere but in a portion marking (a paragraph's, a
    subparagraph's, a heading's, quoted ones too)? Read only for a cable with a NOFORN
    portion."""
    text = cable.text
    slots = [(p.slot.start, p.slot.end) for p in cable.paragraphs if p.slot.raw]
    slots += [(s.slot.start, s.slot.end) for p in cable.paragraphs for s in p.subparagraphs
              if s.slot is not None and s.slot.raw]
    slots += [(h.slot.start, h.slot.end) for h in cable.headings if h.slot.raw]
    for folded, spellings in _NOFORN_LITERALS:
        hits = folded_finds(cable, folded)  # (one search for every case of the literal)
        if hits is None:
            hits = [at for spelling in spellings for at in find_all(text, spelling)]
        if any(text.startswith(spellings, at) and not any(a <= at < b for a, b in slots)
               for at in hits):
            return True
    # "NF" alone, not inside a word ("CONFIDENTIAL", "INFO")
    return any(not (text[at - 1 : at].isalpha() or text[at + 2 : at + 3].isalpha())
               and not any(a <= at < b for a, b in slots) for at in find_all(text, "NF"))


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
        if cable.first("MRN", "smart") is None:
            return
        grades = _grades()
        valid: list[_Portion] = []
        for portion in _portions(cable):
            value = grades.get(portion[3].level)
            if value:
                return  # a classified cable
            if value is not None:
                valid.append(portion)
        if not valid:
            return
        caption = cable.first("CAPTIONS", "smart")
        sensitive = caption is not None and _sensitive_caption(caption.value)
        subject = cable.first("SUBJECT", "smart")
        # "Subject: (SBU) Mexico: ..." marks a portion too; a valid marking needs a "(".
        subject_marked = subject is not None and cable.text.find(
            "(", subject.start, subject.end) != -1
        # A finding needs SBU portions under captions without SENSITIVE, or SENSITIVE over
        # portions all marked (U): most cables show neither at a glance.
        if sensitive:
            if any(m.level != "U" for _o, _s, _slot, m in valid):
                return
        elif not subject_marked and not any(_sbu(m) for _o, _s, _slot, m in valid):
            return
        if (original_grade(cable) or 0) > 0:
            return  # a classified cable
        if subject is not None and subject_marked:
            slot = read_slot(cable.text, subject.start, subject.end)
            if slot.marking is not None and grade(slot.marking.level) is not None:
                valid.append((None, None, slot, slot.marking))
        sbu = [portion for portion in valid if _sbu(portion[3])]
        if sbu and not sensitive:
            owner, sub, slot, _m = sbu[0]
            what = _what(owner, sub)
            if caption is None:
                count = "the only SBU portion" if len(sbu) == 1 else f"{len(sbu)} SBU portions"
                yield Diagnostic(slot.start, slot.end,
                                 f"{what} is marked '{slot.raw}' ({count}), but the SMART "
                                 "header has no 'Captions: SENSITIVE'")
            else:
                yield Diagnostic(caption.start, caption.end,
                                 f"captions '{caption.value}' lack SENSITIVE, but {len(sbu)} "
                                 f"portions are marked SBU ({what}: '{slot.raw}')")
        elif sensitive and caption is not None and all(
                m.level == "U" for _o, _s, _slot, m in valid):
            yield Diagnostic(caption.start, caption.end,
                             f"captions say '{caption.value}', but every marked portion is "
                             f"'(U)' ({len(valid)} portions)")


_CAPTION_SEPARATORS = str.maketrans("~*,;/", "     ")


def _sensitive_caption(value: str) -> bool:
    """Does a Captions value name SENSITIVE (or SBU), struck through or not?"""
    words = value.translate(_CAPTION_SEPARATORS).upper().split()
    return not _sensitive_words().isdisjoint(words)


@cache
def _sensitive_words() -> frozenset[str]:
    return frozenset(_pack()["sensitive_captions"])
