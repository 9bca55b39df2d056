"""Rules on numbered paragraphs: their sequence and their portion markings."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .. import regex
from ..dtg import parse_dtg
from ..engine import Diagnostic, Fix, Rule
from ..markings import vocabulary
from ..model import CLASSIFIED, Cable, MarkingSlot, Paragraph, SubParagraph
from ..packs import load_pack
from .structure import inline_stamps
from .values import replaced_on


def sequence_problems(numbers: Sequence[int]) -> Iterator[tuple[int, str, int]]:
    """Yield ``(index, kind, expected)`` for each item that breaks the run 1, 2, 3 ...

    ``kind`` is ``first``, ``wrong``, ``duplicate``, ``gap`` or ``order``. One wrong item
    yields one problem: a number that is wrong inside an otherwise correct run is reported
    alone, not as a gap followed by a string of out-of-order numbers.
    """
    expected = 1
    seen: set[int] = set()
    for i, n in enumerate(numbers):
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        if n == expected:
            expected += 1
        elif i == 0:
            yield i, "first", 1
            expected = 2 if nxt == 2 else n + 1
        elif nxt == expected + 1:
            yield i, "wrong", expected
            expected += 1
        elif n == expected - 1 or n in seen:
            yield i, "duplicate", expected
        elif n > expected:
            yield i, "gap", expected
            expected = n + 1
        else:
            yield i, "order", expected
        seen.add(n)


def describe(kind: str, label: str, expected: str, previous: str) -> str:
    """Say what is wrong with item ``label`` (``expected`` and ``previous`` are labels too)."""
    if kind == "first":
        return f"{label} is first, but numbering must start at {expected}"
    if kind == "wrong":
        return f"{label} should be {expected}"
    if kind == "duplicate":
        return f"{label} is used twice"
    if kind == "gap":
        return f"{label} follows {previous}: the numbering skips {expected}"
    return f"{label} is out of order after {previous}"


class ParagraphSequence(Rule):
    """Numbered paragraphs run 1, 2, 3 ... without gaps, duplicates or disorder.

    A gap means a lost paragraph (a dropped page, a truncated extract); a duplicate or a
    number out of order means paragraphs were merged, split or re-ordered on the way into the
    corpus. The finding is at the number of the paragraph that breaks the run. Lettered and
    numbered subparagraphs (``A.``, ``B.``; ``(1)``, ``(2)``; ``(a)``, ``(b)``) get the same
    check within their paragraph; an interview's ``Q.`` and ``A.`` and a ``c.`` (circa) before
    a number are no letters. A partial extract (WikiLeaks' notice ``This record is a partial
    extract``) lost its routing header, not its text: its numbering starts at 1 too. A
    paragraph whose number has a comma, semicolon or colon for its period (``8, (C) ...``,
    after a blank line, where the numbering lacks 8 or ends at 7) is named as such, with a
    fix (unsafe) that writes the period, rather than reported as a gap. A paragraph run onto
    the end of the line before it (``... from SD2. GEORGIA 8. (C) ...``: an export lost the
    line break) is read, and reported as run on.

    Failing::

        1. (U) First.

        3. (U) Third.      <- P001 paragraph 3 follows 1: the numbering skips 2

    and::

        1. (U) First.

        2, (U) Second.     <- P001 paragraph 2 is numbered '2,': a comma for the period
                              after its number
        3. (U) Third.

    Passing::

        1. (U) First.

        2. (U) Second.
    """

    code = "P001"
    name = "paragraph-sequence"
    severity = "error"
    fixes = ("unsafe",)
    summary = "Numbered paragraphs and subparagraphs run 1, 2, 3 ... without gaps or repeats"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if not cable.paragraphs:
            return
        for run, quoted in numbering_runs(cable):
            if quoted:
                continue  # a quoted message's own numbering is not the cable's
            paras = [cable.paragraphs[i] for i in run]
            reported: set[int] = set()
            if not _counts_up(paras):
                for d in self._numbers(cable, paras, [p.number for p in paras]):
                    reported.add(d.start)
                    yield d
            last = paras[-1] if paras else None
            if last is not None and (bad := _misnumbered(cable.text, last.number_end, last.end,
                                                         last.number + 1)) is not None:
                yield bad  # the run's next paragraph, its number damaged ("6, (SBU) ...")
            yield from self._run_on(cable, paras, reported)
            for p in paras:
                if p.subparagraphs:
                    for sub, expected, message in _subparagraph_problems(p.number,
                                                                         p.subparagraphs):
                        if expected == "(1)" and "(1)" in cable.text[p.start : sub.start]:
                            # "... ranged from (1) to get attention;\n(2) to use ...": an
                            # inline list whose items after the first wrapped to a line start
                            continue
                        if _continues_ref_list(cable.text, p.start, sub.start, expected):
                            # "REFS: (A) ...\n(B) HARARE 1141": a reference list (repeated in
                            # the body at a page break) whose A sits on its REF line
                            continue
                        yield Diagnostic(sub.start, sub.start + len(sub.label), message)

    @staticmethod
    def _run_on(cable: Cable, paras: list[Paragraph], reported: set[int]
                ) -> Iterator[Diagnostic]:
        """A paragraph run onto the line of the one before it (its number mid-line, after a
        sentence's end: the parse reads it), where an export lost the line break."""
        text = cable.text
        for i, p in enumerate(paras):
            if not p.start or text[p.start - 1] == "\n" or not text[p.start].isdigit() or (
                    p.number_start in reported):
                continue  # (most open their line; a "¶" marks one WikiLeaks found in a line)
            line_start = text.rfind("\n", 0, p.start) + 1
            if text[line_start : p.start].strip(" \t>#*¶"):
                where = f"paragraph {paras[i - 1].number}" if i else "the text before it"
                yield Diagnostic(p.number_start, p.number_end, f"paragraph {p.number} runs on "
                                 f"at the end of {where}: a line break is lost")

    def _numbers(self, cable: Cable, paras: list[Paragraph],
                 numbers: list[int]) -> Iterator[Diagnostic]:
        for i, kind, expected in sequence_problems(numbers):
            p = paras[i]
            if kind in ("gap", "first") and p.number == expected + 1:
                # The skipped paragraph may be there with a damaged number ("8, (C) ...")
                # that the parser did not read as one: say so, not that 8 is missing.
                since = paras[i - 1].number_end if i else cable.body_start
                bad = _misnumbered(cable.text, since, p.number_start, expected)
                if bad is None and not i:
                    bad = _run_into_header(cable, p.number_start, expected)
                if bad is not None:
                    yield bad
                    continue
            previous = str(paras[i - 1].number) if i else ""
            message = describe(kind, f"paragraph {p.number}", str(expected), previous)
            yield Diagnostic(p.number_start, p.number_end, message)


# A paragraph whose number is followed by a comma, semicolon or colon for the period:
# "8, (C) Senator Kerry ...". Only the number the sequence lacks (or the one after its last
# paragraph: "6, (SBU) Post will continue ...") is looked for, at the start of a line after a
# blank one and before a portion marking or a capital ("On November\n21, Uribe said" is a
# wrapped date, not paragraph 21).
_MISNUMBERED_RE = regex.compile(r"[ \t]*(?:¶[ \t]*|)(?P<num>\d{1,3})(?P<sep>[,;:])[ \t]+"
                                r"(?=\(|[A-Z])")
_SEPARATOR_NAMES = {",": "a comma", ";": "a semicolon", ":": "a colon"}


def _misnumbered(text: str, start: int, end: int, number: int) -> Diagnostic | None:
    """The finding for paragraph ``number`` written with a comma (semicolon, colon) for the
    period after its number between ``start`` and ``end``, else ``None``."""
    for sep in _SEPARATOR_NAMES:
        # (found by its literal, "8,", and read at its line's start)
        label = f"{number}{sep}"
        at = text.find(label, start, end)
        while at != -1:
            line = text.rfind("\n", 0, at) + 1
            m = _MISNUMBERED_RE.match(text, line, end)
            if m is not None and m.start("num") == at and _after_blank_line(text, line):
                return Diagnostic(at, at + len(label),
                                  f"paragraph {number} is numbered '{label}': "
                                  f"{_SEPARATOR_NAMES[sep]} for the period after its number",
                                  Fix(".", at + len(label) - 1, at + len(label), False))
            at = text.find(label, at + 1, end)
    return None


# A paragraph number and its portion marking run on after a header line's last words:
# "CLASSIFIED BY: ..., DCM. REASON: 1.4 (b), (d) 1. (C) Summary: ...".
_RUN_ON_FIRST_RE = regex.compile(r"[.,;:)\]][ \t]{1,3}(?P<num>\d{1,2})\.[ \t]+"
                                 r"\((?=[A-Z][A-Z/ -]{0,14}\))")


def _run_into_header(cable: Cable, end: int, number: int) -> Diagnostic | None:
    """The finding for the first paragraph, ``number``, run onto the end of the last header
    field's line before ``end`` (an export lost the line break, and the field's value took
    the paragraph), else ``None``. Asked only when the numbering seems to start late."""
    last = max((f for f in cable.fields if f.start < end), key=lambda f: f.start, default=None)
    if last is None:
        return None
    for m in _RUN_ON_FIRST_RE.finditer(cable.text, last.start, end):
        if int(m["num"]) == number:
            return Diagnostic(m.start("num"), m.end("num"),
                              f"paragraph {number} runs on at the end of the {last.label} "
                              "line: a line break is lost")
    return None


def _after_blank_line(text: str, at: int) -> bool:
    """Is the line starting at ``at`` the first of the text or after a blank line?"""
    if at == 0:
        return True
    before = text.rfind("\n", 0, at - 1)
    return not text[before + 1 : at - 1].strip()


_QUOTE_CUE = regex.compile(
    r"(?i)as follows|follows:|following:|begin text|begin quote|text of|\bqte\b|\bquote\b"
)


# The cues in ASCII text, found with plain searches in its lower-case form (the case-blind
# regex has no literal to start from); beyond ASCII, case-blind matching meets more letters.
_CUE_PHRASES = ("as follows", "follows:", "following:", "begin text", "begin quote", "text of")
_CUE_WORD_RE = regex.compile(r"q(?:te|uote)\b")
# A part of every cue above, without the letters i, s and k (which match more than ASCII).
_CUE_STEMS = ("follow", "beg", "text", "qte", "quote")


def _quote_cue(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` contain a cue that a quoted message follows?"""
    segment = text[start:end]
    lowered = segment.lower()
    if not segment.isascii():
        # The case-blind regex tries every position; run it only where a stem of a cue
        # stands. The stems' letters have no case-blind match beyond ASCII (unlike i, s, k).
        if not any(stem in lowered for stem in _CUE_STEMS):
            return False
        return _QUOTE_CUE.search(text, start, end) is not None
    if any(phrase in lowered for phrase in _CUE_PHRASES):
        return True
    for m in _CUE_WORD_RE.finditer(lowered):
        before = lowered[m.start() - 1] if m.start() else text[start - 1] if start else " "
        if not (before.isalnum() or before == "_"):
            return True
    return False


def numbering_runs(cable: Cable) -> list[tuple[list[int], bool]]:
    """The paragraphs' numbering runs, each with whether it is quoted text (memoised)."""
    runs = cable.memo.get("numbering_runs")
    if runs is None:
        runs = cable.memo["numbering_runs"] = _numbering_runs(cable)
    return runs


def _counts_up(paras: Sequence[Paragraph]) -> bool:
    """Are the paragraphs numbered 1, 2, 3 ...?"""
    return list(map(_NUMBER, paras)) == list(range(1, len(paras) + 1))


_NUMBER = operator.attrgetter("number")


def _numbering_runs(cable: Cable) -> list[tuple[list[int], bool]]:
    """Split the paragraphs into numbering runs (indices into ``cable.paragraphs``).

    Numbering that restarts at 1 starts a new run when it is not the cable's own: a quoted
    message (the paragraph before says "as follows:", "BEGIN TEXT", "QTE") or the body after
    a table of contents (a run of one-line numbered entries with no blank line between).
    A quoted run ends when a number continues the cable's own run instead. Paragraphs
    between BEGIN TEXT and END TEXT (QUOTE and UNQUOTE) form one quoted run of their own,
    but for one numbered as the cable's next paragraph or the one after (a quotation left
    open runs over it).
    """
    paras = cable.paragraphs
    if not cable.quotes and _counts_up(paras):
        return [(list(range(len(paras))), False)]  # 1, 2, 3 ...: one run, the cable's own
    main: list[int] = []
    runs: list[tuple[list[int], bool]] = [(main, False)]
    current: list[int] | None = None
    # BEGIN TEXT ... END TEXT, QUOTE ... UNQUOTE: not the cable's numbering
    in_quote = [i for i, p in enumerate(paras) if cable.quoted(p.start)]
    skip = set(in_quote)
    marked: dict[int, tuple[int, bool]] = {}  # _opens_new_run's look at each run, by its id
    for i, p in enumerate(paras):
        if i in skip:
            if current is None and main and 0 < p.number - paras[main[-1]].number <= 2:
                # the cable's next number (or the one after, a paragraph lost between): a
                # QUOTE whose UNQUOTE is lost or misspelt ("... UNUOTE.") ran on over it, it
                # is no quoted message's (whose numbering starts at 1)
                in_quote.remove(i)
                main.append(i)
            continue
        opens = "" if p.number != 1 or i == 0 else _opens_new_run(cable, runs[-1][0], p,
                                                                   marked)
        if p.number == 1 and i > 0 and (current is not None or opens):
            current = [i]
            runs.append((current, current is not None and (opens == "quote" or runs[-1][1])))
        elif current is not None and p.number != paras[current[-1]].number + 1 and main and (
            p.number == paras[main[-1]].number + 1
        ):
            current = None
            main.append(i)
        elif current is not None:
            current.append(i)
        else:
            main.append(i)
    if in_quote:
        runs.append((in_quote, True))
    return runs


def _opens_new_run(cable: Cable, run: list[int], new: Paragraph,
                   marked: dict[int, tuple[int, bool]]) -> str:
    """Why numbering may restart at ``new`` after ``run``: ``quote``, ``contents`` or ``""``
    (it may not). ``marked`` keeps, by run, how far it was read for a marking and whether one
    was found: a run that grows is read on from there, not again from its start."""
    if not run:
        return ""
    text = cable.text
    last = cable.paragraphs[run[-1]]
    if cable.format == "smart" and not new.slot.raw and _run_marked(cable, run, marked):
        return "quote"  # a Markdown list inside a marked SMART paragraph
    if _quote_cue(text, last.start, last.end) or text[last.start : last.end].rstrip(
    ).endswith(":"):
        return "quote"
    # A table of contents: entries of one line each, no blank line between two. Both asked
    # of each pair in turn, so that the first that fails ends the look (a run of hundreds of
    # paragraphs, each "1.", asked this at each: quadratic when one test read them all).
    paras = cable.paragraphs
    for k in range(len(run) - 1):
        a, b = paras[run[k]], paras[run[k + 1]]
        if "\n" in text[a.start : a.end].strip() or "\n\n" in text[a.start : b.start]:
            return ""
    return "contents" if len(run) >= 2 else ""


def _run_marked(cable: Cable, run: list[int], marked: dict[int, tuple[int, bool]]) -> bool:
    """Does a paragraph of ``run`` carry a valid marking? (Read on from where the last look
    at the same run stopped.)"""
    read, found = marked.get(id(run), (0, False))
    if not found:
        paras = cable.paragraphs
        found = any(paras[i].slot.marking for i in run[read:])
    marked[id(run)] = (len(run), found)
    return found


def _continues_ref_list(text: str, para_start: int, at: int, first: str) -> bool:
    """Is the lettered item at ``at`` the next entry of a reference list whose first entry
    (``first``, such as ``(A)``) stands on a ``REF:``/``REFS:``/``REFTEL:`` line above it, in
    the same block of lines (no blank line between)? Asked only of a reported item."""
    lines = text[max(para_start, at - 600) : at].split("\n")
    for line in reversed(lines[:-1]):  # the last piece is the item's own line, up to it
        stripped = line.strip()
        if not stripped:
            return False  # a blank line ends the block
        if _REF_LINE_RE.match(stripped) and first in stripped:
            return True
    return False


_REF_LINE_RE = regex.compile(r"(?i)REF(?:S|TELS?|ERENCES?)?\b")


def _subparagraph_problems(
    parent: int, subs: Sequence[SubParagraph]
) -> Iterator[tuple[SubParagraph, str, str]]:
    """Check each run of one style; a run of an outer style resets the runs nested in it.
    Yields the subparagraph, the label expected there and the message."""
    if not subs:
        return
    order: list[str] = []  # styles by nesting depth, in order of first appearance
    runs: dict[str, list[SubParagraph]] = {}

    def flush(style: str) -> Iterator[tuple[SubParagraph, str, str]]:
        run = runs.pop(style, [])
        if style == "letter." and run[0].ordinal == _Q and {s.ordinal for s in run} <= _QA:
            return  # an interview's questions and answers ("Q. ...", "A. ..."), not letters
        for i, kind, expected in sequence_problems([s.ordinal for s in run]):
            previous = run[i - 1].label if i else ""
            label = f"subparagraph {run[i].label} of paragraph {parent}"
            want = _label(run[i], expected)
            yield run[i], want, describe(kind, label, want, previous)

    for sub in subs:
        if sub.style not in order:
            order.append(sub.style)
        depth = order.index(sub.style)
        for inner in order[depth + 1 :]:
            yield from flush(inner)
        runs.setdefault(sub.style, []).append(sub)
    for style in order:
        yield from flush(style)


_Q = ord("Q") - 64
_QA = frozenset({_Q, ord("A") - 64})


def _label(sub: SubParagraph, ordinal: int) -> str:
    """How subparagraph number ``ordinal`` is written in the style of ``sub``."""
    if sub.style == "(digit)":
        return f"({ordinal})"
    letter = chr(64 + ordinal) if 1 <= ordinal <= 26 else "?"
    if sub.style == "letter.":
        return f"{letter}."
    if sub.style == "lower.":
        return f"{letter.lower()}."
    return f"({letter})" if sub.style == "(LETTER)" else f"({letter.lower()})"


# A paragraph whose line holds only what a publisher put in place of the withheld text
# (WikiLeaks' "[DETAILS REMOVED]", "[NAME REMOVED]", "XXXXXXXXXXXX").
_WITHHELD_RE = regex.compile(
    r"[.)]?[ \t]*(?:(?:\[[A-Z ]{0,30}(?:REMOVED|REDACTED|WITHHELD)\]|X{6,})[ \t.,;]*)+$", re.M)


# A line of the paragraph's own text: it ends a sentence (a heading below the placeholder,
# "Ahmadi-Nejad's Election and the IRC" over dashes, does not).
_SENTENCE_END_RE = regex.compile(r"[.!?][\"')\u201d\u2019]*[ \t]*$", re.M)


def _withheld(text: str, at: int, end: int) -> bool:
    """Does the line from ``at`` (after a paragraph number) hold only withheld text, and no
    line below it up to ``end`` end a sentence (a name withheld at the end of a line, the
    paragraph's text wrapped below it, is no withheld paragraph)?"""
    m = _WITHHELD_RE.match(text, at)
    return m is not None and _SENTENCE_END_RE.search(text, m.end(), end) is None


# What OCR reads of a portion marking that the reviewer of a FOIA release struck through
# ("(C)" -> "4E1-", "(.e)", "(5.)-", "-(75-3", "›;.)", "1,e1"): one short token after the
# number, holding a bracket or a stroke the marking's letters do not (not Markdown's "*" or
# "_": "6. **** Text" lost its marking), or digits run into letters; then the first word.
_STRUCK_RE = regex.compile(
    r"\.?[ \t]+(?P<tok>[^\s]{2,9})[ \t]+[\"'(]?[A-Z]")
_STRUCK_CHAR_RE = regex.compile(r"[()\[\]{}+;:=%|\\›‹—]|\d[A-Za-z]|[A-Za-z]\d|\d-\Z")
# A word, or a run of capitals (a damaged but legible marking, "[SBU]", "(SBU.)": reported).
_WORDLIKE_RE = regex.compile(r"[A-Za-z]{4}|[A-Z]{2}")


def _struck_marking(cable: Cable, at: int) -> bool:
    """Does an OCR'd struck-through marking stand after a paragraph number (only in a FOIA
    release, whose pages carry its release stamp: the stamps are memoised, S003 finds them)?"""
    m = _STRUCK_RE.match(cable.text, at)
    if m is None or _WORDLIKE_RE.search(m["tok"]) or not _STRUCK_CHAR_RE.search(m["tok"]):
        return False
    return any(f.kind == "release-stamp" for f in cable.furniture) or bool(inline_stamps(cable))


class ParagraphMarking(Rule):
    """Every numbered paragraph carries a portion marking, and every marking is well formed.

    Portion markings say what each paragraph may be shared as: ``(U)``, ``(SBU)``, ``(C)``,
    ``(S)``, ``(TS)``, with caveats such as ``(S//NF)`` or ``(S/REL NATO)``;
    ``(C - ENTIRE TEXT)`` covers the whole cable. The rule applies where the cable requires
    markings: a classified cable (CONFIDENTIAL or above, as its classification line states,
    else its highest banner, not one of a quoted message or a FOIA release) dated from
    1 December 1978 (E.O. 12065; without a DTG, unless it cites an order replaced by then,
    E.O. 11652), or any cable that marks some of its paragraphs (in a cable from before the
    requirement, some paragraphs of its own numbering: a later cable spliced into its record
    and numbered from 1 again does not hold it to markings). Unclassified telegrams that
    mark nothing are not flagged, nor those whose only markings are classified ones (``(S)``
    under ``UNCLAS``: ``marking-exceeds-banner`` reports them). In SMART cables, body
    headings need a marking too. A malformed marking (``(C NF)``, ``( C )``, ``C)``,
    ``SBU/N)``) is reported as malformed, not as missing. A paragraph whose line holds only
    the publisher's placeholder for withheld text (``7. [DETAILS REMOVED]``, ``XXXXXXXXXXXX``)
    lost its marking with its text and is not reported, nor is one that opens with its level
    spelt out and a stop (``1. CONFIDENTIAL. CLASSIFIED BY ...``, the older written form).
    The vocabulary is ``rules/markings.yaml``.

    Failing::

        1. (SBU) Marked.

        2. Not marked.          <- M001 paragraph 2 has no portion marking

        3. (C NF) Malformed.    <- M001 paragraph 3 has a malformed portion marking '(C NF)'

    Passing::

        1. (SBU) Marked.

        2. (C//NF) Marked with a caveat.
    """

    code = "M001"
    name = "paragraph-marking"
    severity = "error"
    summary = "Numbered paragraphs (and SMART headings) carry a well-formed portion marking"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        paras, headings = cable.paragraphs, cable.headings
        if not paras and not headings:
            return
        # Whether markings are required is asked only of a portion without one.
        required: bool | None = None
        quoted = {i for run, is_quote in numbering_runs(cable) if is_quote for i in run}
        for i, p in enumerate(paras):
            if i in quoted:
                continue  # a quoted message's own paragraphs: the quoting paragraph's marking
            slot = p.slot
            if slot.raw:
                if slot.marking is None:
                    yield Diagnostic(slot.start, slot.end,
                                     f"paragraph {p.number} has a malformed portion marking "
                                     f"'{slot.raw}'")
            else:
                if _withheld(cable.text, p.number_end, p.end):
                    continue  # "7. [DETAILS REMOVED]": its marking went with its text
                if _SPELLED_LEVEL_RE.match(cable.text, p.number_end):
                    continue  # "1.   CONFIDENTIAL.  CLASSIFIED BY ...": the level, spelt out
                if required is None:
                    required = _required(cable)
                # ("REF:" alone, then "1. STATE 1234": the reference list's entry is no paragraph;
                # "2. 4E1- Opening ...": a marking struck through, then OCR'd)
                if (required and not _reference_entry(cable, i)
                        and not _struck_marking(cable, p.number_end)
                        and not _marked_only_elsewhere(cable, i)):
                    yield Diagnostic(p.number_start, p.number_end,
                                     f"paragraph {p.number} has no portion marking")
            for sub in p.subparagraphs:  # subparagraphs need no marking, but a damaged one is
                if sub.slot is not None and sub.slot.malformed:
                    yield Diagnostic(sub.slot.start, sub.slot.end,
                                     f"subparagraph {sub.label} of paragraph {p.number} has a "
                                     f"malformed portion marking '{sub.slot.raw}'")
        for h in headings:
            if h.slot.malformed:
                yield Diagnostic(h.slot.start, h.slot.end,
                                 f"heading has a malformed portion marking '{h.slot.raw}'")
                continue
            if h.slot.raw:
                continue
            if required is None:
                required = _required(cable)
            if required:
                trailing = _TRAILING_MARKING_RE.search(h.text.rstrip("*# "))
                if trailing and vocabulary().parse(trailing["inner"]) is not None:
                    yield Diagnostic(h.start, h.end, f"heading '{_short(h.text)}' has its "
                                     "portion marking at the end, not at the start")
                else:
                    yield Diagnostic(h.start, h.end, f"heading '{_short(h.text)}' has no "
                                     "portion marking")


# A paragraph that opens with its level spelt out and a stop is marked the older way.
_SPELLED_LEVEL_RE = regex.compile(
    r"\.?[ \t]+(?:UNCLASSIFIED|CONFIDENTIAL|(?:TOP )?SECRET|LIMITED OFFICIAL USE)[.:][ \t]")


# A numbered reference list's entry after its number: a post (or STATE) and a serial, maybe
# after a year ("1. STATE 1234", "2. 84 ROME 567").
_REF_ENTRY_RE = regex.compile(r"[.)]?[ \t]+(?:\d{2,4}[ \t]+|)[A-Z][A-Za-z]+[ \t]+\d")


def _reference_entry(cable: Cable, i: int) -> bool:
    """Is paragraph ``i`` an entry of a numbered reference list under a REF line alone: a run
    of one-line entries numbered from 1, line after line, the first on the line below
    ``REF:``? (Asked only of a paragraph without a marking.)"""
    text, paras = cable.text, cable.paragraphs
    while True:
        p = paras[i]
        if _REF_ENTRY_RE.match(text, p.number_end) is None or "\n" in text[
                p.number_start : p.end].strip():
            return False
        if p.number == 1:
            return any(not f.value.strip() and not text[f.end : p.number_start].strip()
                       and text.count("\n", f.end, p.number_start) == 1
                       for f in cable.get("REF"))
        if i == 0 or paras[i - 1].number != p.number - 1 or text.count(
                "\n", paras[i - 1].number_start, p.number_start) != 1:
            return False
        i -= 1


def _marked_only_elsewhere(cable: Cable, i: int) -> bool:
    """Is unmarked paragraph ``i`` of a cable dated before markings were required, whose
    numbering from 1 (up to the next restart at 1) marks no paragraph: held to markings only
    by the marks of another numbering, such as a later cable spliced into the record
    (``1. AFTER AMBASSADOR'S AUDIENCE...`` of 1973, then ``1. (S) ...`` of 2008)? Asked only
    of a paragraph about to be reported."""
    paras = cable.paragraphs
    start = i
    while start and paras[start].number != 1:
        start -= 1
    end = i + 1
    while end < len(paras) and paras[end].number != 1:
        end += 1
    if any(paras[j].slot.raw for j in range(start, end)):
        return False
    return _dated_before_requirement(cable) is True


def _dated_before_requirement(cable: Cable) -> bool | None:
    """Does the cable's date (else its DTG's month, else its executive order) fall before
    markings were required? None when nothing dates it."""
    required_from = load_pack("markings")["required_from"]
    if isinstance(required_from, str):
        required_from = dt.date.fromisoformat(required_from)
    date = cable.date
    if date is not None:
        return date < required_from
    # A DTG that cannot exist (day 32, hour 24, 30 FEB) still tells its month and year:
    # a cable of March 1975 predates the requirement whatever its day.
    month = _dtg_month(cable)
    if month is not None:
        return month < (required_from.year, required_from.month)
    return True if _order_predates(cable, required_from) else None


def _required(cable: Cable) -> bool:
    """Must the cable's paragraphs (and SMART headings) carry markings?"""
    return not _entire_text_marked(cable) and _markings_required(cable)

_TRAILING_MARKING_RE = regex.compile(r"\((?P<inner>[A-Z/ -]{1,20})\)$")
_ENTIRE_RE = regex.compile(r"ENTIRE (?:TEXT|MESSAGE)", re.IGNORECASE)


def _entire_text_marked(cable: Cable) -> bool:
    """``(C - ENTIRE TEXT)`` and its variants (``C - ENTIRE TEXT.``, ``(CONFIDENTIAL - ENTIRE
    TEXT)``, ``(C) ENTIRE TEXT``) at the start of the first paragraph cover the whole cable."""
    if not cable.paragraphs:
        return False
    first = cable.paragraphs[0]
    if first.slot.marking and first.slot.marking.entire_text:
        return True
    return bool(_ENTIRE_RE.search(cable.text, first.number_end, min(first.end,
                                                                     first.number_end + 60)))


def _markings_required(cable: Cable) -> bool:
    from .classification import original_grade  # (classification imports this module)

    grade = original_grade(cable, line_first=True)
    if not grade:
        # An unclassified cable is held to markings by its own (U) or (SBU) markings; one
        # whose only markings are classified ones ((S) under UNCLAS: marking-exceeds-banner
        # reports them) has not taken up marking.
        return grade is None and cable.marks_paragraphs or any(
            s.marking.level not in CLASSIFIED for s in _slots(cable) if s.marking)
    if cable.marks_paragraphs:
        return True
    # (undated: required unless its order predates the requirement)
    return not _dated_before_requirement(cable)


_EO_NUMBER_RE = regex.compile(r"\s*(\d{5})\b")


def _order_predates(cable: Cable, required_from: dt.date) -> bool:
    """With no DTG to date it, does the cable cite an executive order that the next one
    replaced by the time markings were required (E.O. 11652, 10501)? Then it predates them."""
    f = cable.first("EO")
    m = _EO_NUMBER_RE.match(f.value) if f is not None else None
    replaced = replaced_on(m[1]) if m is not None else None
    return replaced is not None and replaced <= required_from


def _dtg_month(cable: Cable) -> tuple[int, int] | None:
    """The (year, month) of the cable's first DTG that states both, valid or not."""
    for name in ("DTG", "DATE_DTG"):
        for f in cable.get(name):
            parsed = parse_dtg(f.value)
            if parsed and parsed.year is not None and parsed.month is not None:
                return parsed.year, parsed.month
    return None


def _slots(cable: Cable) -> Iterator[MarkingSlot]:
    for p in cable.paragraphs:
        yield p.slot
    for h in cable.headings:
        yield h.slot


def _short(text: str, width: int = 40) -> str:
    text = text.strip("*# ")
    return text if len(text) <= width else text[: width - 3] + "..."
