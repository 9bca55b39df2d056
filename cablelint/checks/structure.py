"""Rules on the structure of the text: paragraphs split by page breaks, page furniture left in
the text, unbalanced brackets, truncated cables and repeated paragraphs."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple

from .. import regex
from ..dtg import parse_dtg
from ..engine import Diagnostic, Fix, Rule
from ..model import Cable, Field, Furniture, Paragraph
from ..packrules import find_all, folded_finds, folded_text
from ..packs import load_pack
from ..parse.body import SECTION_CLASSIFICATION

# -- shared analysis: where a page break splits a paragraph ---------------------------------


class Split(NamedTuple):
    """A page break inside a paragraph: blank lines and/or page furniture between two pieces
    of the paragraph's text, the second continuing the sentence of the first."""

    paragraph: Paragraph
    before_end: int  # just after the last character of the text before the break
    before_len: int  # length of the line before the break
    after_start: int  # first character of the continuation
    after_end: int  # end of the continuation's line
    furniture: tuple[Furniture, ...]  # page furniture in the break (not markup)


# A later section's classification line at the start of a line of the body.
_SECTION_LINE_RE = regex.compile(
    r"(?m)^[ \t]*(?P<line>" + SECTION_CLASSIFICATION + r"0*(?:[2-9]|[1-9]\d) +OF +\d+"
    r"(?: +(?:\[\[)?[A-Z][A-Z.'-]*(?:\|\|\d+\]\])?){1,4} +\d{1,7})")
#: Furniture kinds that are page furniture (markup such as ``---`` is only layout).
_PAGE_KINDS = {"page-header": "page header", "page-number": "page number",
               "release-stamp": "release stamp", "banner": "banner",
               "routing": "routing block"}
_SENTENCE_END = ".:;!?"
_CLOSERS = "\"')]”’*_"
# (a list label: one letter, "aa.", "iii)", roman "IV.", a number; not a word "HER. STILL")
_LABEL_RE = regex.compile(
    r"(?:[A-Za-z]|[a-z]{2,3}|[IVX]{2,4}|\d{1,2})[.)][ \t]|\([A-Za-z0-9]{1,3}\)[ \t]")
_MD_LEAD = " \t>*_"
_CLOCK_RE = regex.compile(r"\d{1,2}:\d{2}\b")  # a time of day opening a line
_NON_SPACE_RE = regex.compile(r"\S")


# A blank line with text after it (inside a paragraph, not the blank lines that end it)
# that does not follow the end of a sentence.
# (The pattern starts with the line break, a literal, for a fast scan; at the usual line
# break, followed by text, the branch fails on one character, before any look-behind.)
_MAYBE_OPEN_RE = regex.compile(r"\n(?:\n(?<![.:;!?]\n\n)| \n(?<![.:;!?]\n \n))(?=\s*\S)")


def _open_break(text: str, start: int, end: int, unwrapped: bool = False) -> bool:
    """Is there a blank line after a line that does not end a sentence, with text after it?
    Most paragraphs have no blank line but the ones that end them, or only after sentences:
    one regex search settles those, and most of the others (a letter before the blank
    line); the rest (spaces or marks before it, or several blank lines) are read in full.
    ``unwrapped``: the text's paragraphs are mostly one line (Markdown, HistoryLab), which a
    memchr-speed search for its line break and a look at the few characters after it settle
    (a regex scan of the line costs ~4 instructions a character)."""
    if unwrapped:
        nl = text.find("\n", start, end)
        if nl == -1 or (end - nl <= 4 and text[nl:end].isspace()):
            return False  # one line, then blank lines: no blank line with text after it
    m = _MAYBE_OPEN_RE.search(text, start, end)
    if m is None:
        return False
    if m.start() > start and text[m.start() - 1] not in " \t*_\n":
        return True
    for blank in ("\n\n", "\n \n"):
        at = text.find(blank, start, end)
        while at != -1:
            before = text[max(start, at - 8) : at].rstrip(" \t*_")
            if before and before[-1] not in _SENTENCE_END and _NON_SPACE_RE.search(
                    text, at + 2, end):
                return True
            at = text.find(blank, at + 2, end)
    return False
# A header line or a labelled heading ("SUBJECT: ...", "COMMENT: Potential for ..."), not
# running text that a page break could cut.
_LABEL_LINE_RE = regex.compile(r"[ \t>*_#]*[A-Z][A-Za-z.]*(?: [A-Za-z.]+){0,2}:")


@cache
def _pack() -> dict[str, Any]:
    data: dict[str, Any] = load_pack("structure")
    return data


class _Stamp(NamedTuple):
    literal: str  # the stamp is searched only where this occurs (a C-speed find)
    pattern: re.Pattern[str]
    what: str  # how a finding names it: "release stamp", "page header"
    before: int  # how far before its literal the stamp may start (0: at the literal)


@cache
def _inline_stamp_patterns() -> tuple[_Stamp, ...]:
    return tuple(_Stamp(s["literal"], regex.compile(s["pattern"]),
                        s.get("what", "release stamp"), int(s.get("before", -1)))
                 for s in _pack()["inline_stamps"])


def inline_stamps(cable: Cable) -> list[tuple[int, int]]:
    """FOIA page stamps (``U.S. Department of State Case No. ... Date: ...``) anywhere in the
    text, which text extraction leaves on a line of their own or inside a line (memoised)."""
    found = cable.memo.get("inline_stamps")
    if found is None:
        found = []
        for stamp in _inline_stamp_patterns():
            literal, pattern = stamp.literal, stamp.pattern
            if stamp.before < 0 and literal in cable.text:
                # the stamp starts at most ~60 characters before its literal
                found.extend(m.span() for m in pattern.finditer(cable.text))
        cable.memo["inline_stamps"] = found = sorted(found)
    return found


@cache
def _page_stamp_groups() -> tuple[tuple[str, tuple[tuple[int, _Stamp], ...]], ...]:
    """The stamps with ``before`` set, by their literal lower-cased (``PAGE`` and ``Page``,
    `` OF 0`` and `` of 0`` are one needle each), each with its place in the pack."""
    groups: dict[str, list[tuple[int, _Stamp]]] = {}
    for i, stamp in enumerate(_inline_stamp_patterns()):
        if stamp.before >= 0:
            groups.setdefault(stamp.literal.lower(), []).append((i, stamp))
    return tuple((needle, tuple(members)) for needle, members in groups.items())


def _page_stamps(cable: Cable) -> list[tuple[int, int, str]]:
    """Page headers, page numbers and release stamps of the pack (``before`` set) where their
    literal occurs: the pattern is tried at the literal, or in the few characters before it
    (" OF 0" stands in every section line of a telegram: no scan of the whole text). The
    literals with several spellings are found by one search of the folded text (shared with
    other rules) for each, not one search of the text for each spelling."""
    text = cable.text
    found: dict[tuple[int, int], tuple[int, str]] = {}  # span: (the stamp's place, what)
    inside = _Furniture.of(cable).holds
    for needle, members in _page_stamp_groups():
        # (one spelling: a search of the text is faster, the folded text's small letters
        # being more alike than the text's: "RELEASED" 15 K instructions against 26 K)
        hits = folded_finds(cable, needle) if len(members) > 1 else None
        if hits is None:  # (or a text with no folded form) a search for each spelling
            hits = sorted(at for _, stamp in members for at in find_all(text, stamp.literal))
        for at in hits:
            held = None  # (whether furniture holds the literal: asked once a stamp needs it)
            for i, stamp in members:
                if not text.startswith(stamp.literal, at):
                    continue
                pattern, before = stamp.pattern, stamp.before
                if not before:
                    # a stamp that starts at its literal, in furniture the parser knows (a
                    # telegram's "PAGE 02 ..." line): page-furniture drops it, unread
                    if held is None:
                        held = inside(at)
                    if held:
                        continue
                m = (pattern.match(text, at) if not before else
                     pattern.search(text, max(0, at - before), at + len(stamp.literal) + 8))
                if m is not None:
                    span = m.span()
                    # (the pack's first stamp names a span, as one stamp after another did)
                    if span not in found or found[span][0] > i:
                        found[span] = (i, stamp.what)
    return [(start, end, what) for (start, end), (_, what) in sorted(found.items())]


class _Furniture(NamedTuple):
    """Whether furniture overlaps a span of the text: two bisections in the furniture's
    sorted spans (:meth:`Cable.furniture_spans`), not a look at every piece (a paged
    telegram has one or more a page, and every page's header is a stamp to test)."""

    starts: list[int]
    reach: list[int]  # reach[k]: the farthest end of the pieces up to the k-th

    @classmethod
    def of(cls, cable: Cable) -> _Furniture:
        starts, reach, _proper = cable.furniture_spans()
        return cls(starts, reach)

    def overlaps(self, start: int, end: int) -> bool:
        """Does a piece of furniture overlap ``start``-``end`` (f.start < end, start < f.end)?"""
        k = bisect_left(self.starts, end)  # the pieces that start before ``end``
        return k > 0 and self.reach[k - 1] > start

    def holds(self, at: int) -> bool:
        """Does a piece of furniture hold the character at ``at``?"""
        return self.overlaps(at, at + 1)


def splits(cable: Cable) -> list[Split]:
    """Every page break that splits a paragraph (memoised; read by two rules)."""
    found = cable.memo.get("page_splits")
    if found is None:
        found = cable.memo["page_splits"] = _find_splits(cable)
    return found


def _find_splits(cable: Cable) -> list[Split]:
    text = cable.text
    furniture = {f.start: f for f in cable.furniture}
    for start, end in inline_stamps(cable):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        if not text[line_start:start].strip(_MD_LEAD) and not text[end:line_end].strip(_MD_LEAD):
            furniture.setdefault(line_start, Furniture("release-stamp", line_start, line_end))
    starts = sorted(at for at, f in furniture.items() if f.kind in _PAGE_KINDS)
    pack = _pack()
    walk: _Walk | None = None
    result: list[Split] = []
    unwrapped = cable.format in ("smart", "historylab")
    for p in cable.paragraphs:
        k = bisect_left(starts, p.start + 1)
        if not (k < len(starts) and starts[k] < p.end) and not _open_break(
                text, p.start, p.end, unwrapped):
            continue  # no furniture, no blank line after an open sentence
        end = p.end
        while end > p.start and text[end - 1] in " \t\n":
            end -= 1
        if walk is None:
            walk = _Walk(text, furniture, sorted(furniture), pack)
        found = walk.splits(p, end)
        blank_only = [s for s in found if not s.furniture]
        if len(blank_only) > pack["max_blank_splits"]:
            found = [s for s in found if s.furniture]  # double-spaced text
        result.extend(found)
    return result


# A rule of dashes or equals signs under a line: "POPE RECEIVES YASSER ARAFAT\n-----".
_RULE_LINE_RE = regex.compile(r"\n[ \t]*(?:-{3,}|={3,})[- =\t]*(?:\n|$)")


def _underlined(text: str, line_end: int, end: int) -> bool:
    """Is the line ending at ``line_end`` a heading, underlined by a rule of dashes (the
    Cablegate heading framed by rules above and below)? Then it starts a new piece."""
    return _RULE_LINE_RE.match(text, line_end, min(len(text), end + 1)) is not None


# A line break followed by a blank line (nothing but spacing and Markdown marks).
_BLANK_LINE_RE = regex.compile(r"\n[ \t>*_]*(?![^\n])")
# Blank lines, each with its line break.
_BLANK_LINES_RE = regex.compile(r"(?:[ \t>*_]*\n)*")


class _Walk(NamedTuple):
    """What walking a paragraph's lines needs: the text, the furniture by start offset (page
    furniture and markup are breaks), those offsets sorted, the options."""

    text: str
    furniture: dict[int, Furniture]
    furniture_starts: list[int]
    pack: Mapping[str, Any]

    def splits(self, p: Paragraph, end: int) -> list[Split]:
        """Walk the paragraph's lines: pieces of text separated by breaks (blank lines, page
        furniture). A break splits the paragraph when the piece after it continues the
        sentence of the piece before: the paragraph's own text (its first piece, or a
        continuation), or running text (a piece of several lines, or a long one) of an
        unnumbered paragraph or list inside it; never a heading, a label or a signature.
        Python looks at the break lines and the first line after each; the other lines of a
        piece are skipped over with one search for the next break."""
        text, furniture, pack = self.text, self.furniture, self.pack
        found: list[Split] = []
        last: tuple[int, int] | None = None  # the last text line (start, end)
        lines = 0  # lines of the piece that ``last`` ends
        running = True  # is that piece the paragraph's text (first piece or a continuation)?
        in_break = False
        material: list[Furniture] = []
        pos = p.start
        while pos < end:
            line_end = text.find("\n", pos, end)
            line_end = end if line_end == -1 else line_end
            f = furniture.get(pos)
            # (a line that starts with a letter is no blank line: no copy of a long line)
            if f is not None or pos == line_end or (
                    text[pos] in _MD_LEAD and not text[pos:line_end].strip(_MD_LEAD)):
                in_break = True
                if f is not None and f.kind in _PAGE_KINDS:
                    material.append(f)
                    if text[pos:f.end].lstrip(" \t>").startswith("PAGE 01 "):
                        last = None  # a section's first page: its header follows, no text
                    glued = _NON_SPACE_RE.search(text, f.end, line_end) if (
                        f.end < line_end) else None
                    if glued is not None:
                        # text glued after a page header: the line goes on after it
                        pos = glued.start()
                        continue
                pos = self._after_blank_lines(line_end + 1, end)
                continue
            if last is None or not in_break:
                last, lines = (pos, line_end), lines + 1
            else:
                before = text[last[0] : last[1]]
                after = text[pos:line_end]
                running = running or lines >= 2 or len(before) >= _min_line(pack, material)
                if running and not _LABEL_LINE_RE.match(before) and not _underlined(
                        text, line_end, end) and not _section_line(before) and _continues(
                        before, after, pack, bool(material)):
                    lead = len(after) - len(after.lstrip(_MD_LEAD))
                    before_end = last[0] + len(before.rstrip())
                    found.append(Split(p, before_end, len(before.rstrip()), pos + lead,
                                       line_end, tuple(material)))
                    running = True
                else:
                    running = False  # a new piece: a heading, a list item, a paragraph
                last, lines, in_break, material = (pos, line_end), 1, False, []
            if in_break or line_end >= end:
                pos = line_end + 1  # (a first line after breaks that open the paragraph)
                continue
            # the text lines up to the next break go on with this piece: only the last counts
            nxt = self._next_break(line_end, end)
            stop = end if nxt == -1 else nxt - 1  # the end of the piece's last line
            if stop > line_end:
                last = (text.rfind("\n", line_end, stop) + 1, stop)
                lines = 2  # (or more: only whether the piece has several lines matters)
            pos = stop + 1
        return found

    def _after_blank_lines(self, pos: int, end: int) -> int:
        """The start of the first line from ``pos`` on that is not blank or is furniture."""
        stop = _BLANK_LINES_RE.match(self.text, pos, end).end()  # type: ignore[union-attr]
        if stop > pos:
            starts = self.furniture_starts
            k = bisect_left(starts, pos)
            if k < len(starts) and starts[k] < stop:  # furniture among them: stop before
                stop = max(pos, self.text.rfind("\n", pos, starts[k]) + 1)
        return stop

    def _next_break(self, nl: int, end: int) -> int:
        """The start of the first break line (blank, or furniture) after the line break at
        ``nl`` and before ``end``; -1 if there is none."""
        text = self.text
        m = _BLANK_LINE_RE.search(text, nl, end)
        nxt = -1 if m is None else m.start() + 1
        starts = self.furniture_starts
        for k in range(bisect_right(starts, nl), len(starts)):
            at = starts[k]
            if at >= end or (nxt != -1 and at >= nxt):
                break
            if text[at - 1] == "\n":
                return at
        return nxt


def _section_line(line: str) -> bool:
    """A joined cable's next section header ("C O N F I D E N T I A L SECTION 02 OF 03 CAPE
    TOWN 00097"): the lines after it are that section's header, no continuation."""
    return "SECTION" in line and _SECTION_RE.search(line) is not None


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS + " \t")
    return not stripped or stripped[-1] in _SENTENCE_END


def _has_lower(line: str) -> bool:
    """Does ``line`` hold a lower-case character? (ASCII: one that upper-casing changes, a
    C-speed test instead of a generator over every character.)"""
    if line.isascii():
        return line != line.upper()
    return any(c.islower() for c in line)


def _capitals(line: str) -> bool:
    """Is ``line`` written in capitals: no lower-case letter, or one in ten at most (an
    all-capitals telegram with a stray OCR ``l``, a struck-out ``~~(a)~~`` label)?"""
    if not _has_lower(line):
        return True
    if line.isascii():  # counted at C speed: the bytes a deletion of the letters removes
        data = line.encode("ascii")
        lower = len(data) - len(data.translate(None, _LOWER_BYTES))
        return lower * 10 <= len(data) - len(data.translate(None, _UPPER_BYTES))
    lower = sum(c.islower() for c in line)
    return lower * 10 <= sum(c.isupper() for c in line)


_LOWER_BYTES = bytes(range(0x61, 0x7B))
_UPPER_BYTES = bytes(range(0x41, 0x5B))


def _min_line(pack: Mapping[str, Any], paged: object) -> int:
    """The shortest line after which a break may split running text: shorter across page
    furniture, which proves the page break (09STATE100153: a 49-character line)."""
    return int(pack["split_min_line_paged" if paged else "split_min_line"])


def _continues(before: str, after: str, pack: Mapping[str, Any], paged: bool = False) -> bool:
    """Does ``after`` (the first line after a break) continue the sentence of ``before``?
    ``paged``: page furniture stands in the break (a page header, a page number), so a page
    break is sure and only the sentence decides."""
    b = before.rstrip(" \t*_")
    a = after.lstrip(_MD_LEAD)
    if a.startswith("[["):  # a HistoryLab annotation: "[[GERMAN ||7]] CAPITAL MARKET ..."
        a = a.lstrip("[")
    if b.endswith("]]") and "||" in b:
        # a HistoryLab entity annotation, "[[EMBASSY'S|| 1]]", is no closing bracket
        b = b[: b.rindex("||")].rstrip()
    if not b or not a or _ends_sentence(b):
        return False
    if "[[" in before and before.count("[[") > before.count("]]"):
        return True  # a HistoryLab annotation left open: "... LOCAL [[[[MEXICAN ||"
    if b[-1] in _CLOSERS and not (a[0].islower() and (b[-1] == ")" or paged)):
        # a quotation or parenthesis closed at the end of a line may end a sentence; one
        # closed mid-sentence is continued in lower case ("... Defense Force (JDF)" / "who
        # have been nominated ...")
        return False
    # (only the first words count: a long line, a paragraph of thousands of characters in a
    # Markdown cable, is not split whole)
    words = a.split(None, max(pack["split_min_words"], 3))
    if _LABEL_RE.match(a):
        return False  # a list item: "a. ...", "ii) ...", "(1) ..."
    if _CLOCK_RE.match(a) and _CLOCK_RE.match(before.lstrip(_MD_LEAD)):
        return False  # a schedule's next entry: "9:00 am  Depart ..." / "9:45 am  Arrive ..."
    if a[0].islower():
        # "... showed some progress on" / "trafficking in persons ..." (one word will do:
        # "... detention times" / "varied):", but not a redaction "xxxxx" or a URL)
        word = words[0].rstrip(".,;:)")
        return len(words) >= pack["split_min_words"] or (
            word.isalpha() and word.strip("x") != "")
    if len(words) < pack["split_min_words"] or _LABEL_LINE_RE.match(a):
        return False
    if not (a[0].isupper() or a[0].isdigit() or a[0] in "\"“") or len(b) < _min_line(
            pack, paged):
        return False
    if b[-1] == "," or (b[-1] == "-" and b[-2:-1].isalpha()):
        return True  # "... Majority leader Jean-" / "Francois Cope ..."
    last_word = b.rsplit(None, 1)[-1]
    if not last_word.strip("xX"):
        return False  # a redaction ("xxxxx") may end a sentence as well as a word
    if not _capitals(b):
        # mixed case: an upper-case word after a break continues only a sentence cut after
        # a lower-case word ("... have acquired" / "Nicaraguan citizenship ..."), or after
        # a name across a page header ("... the Executive Secretary of the UN" / page header
        # / "Framework Convention on Climate Change ...")
        # ("C O R R E C T E D  C O P Y" after "... a diplomacy of" is a banner)
        return last_word.isalpha() and (last_word.islower() or paged) and _has_lower(a)
    # an all-capitals telegram: a long line cut mid-sentence, continued in capitals
    return last_word[-1].isalnum() and _capitals(a) and len(words) >= 3


def _quote(text: str, width: int = 50) -> str:
    # Normalising a prefix gives a prefix of the whole: a long text's head decides (S006
    # quotes whole paragraphs of thousands of characters).
    head = " ".join(text[: 3 * width].strip(" \t>*_#").split())
    if len(head) > width:
        return head[: width - 3] + "..."
    text = " ".join(text.strip(" \t>*_#").split())
    return text if len(text) <= width else text[: width - 3] + "..."


# -- S002 --------------------------------------------------------------------------------


class PageBreakSplit(Rule):
    """A paragraph is split by a page break: blank lines or page furniture, then the rest.

    Text taken from paged documents (PDFs, page-by-page transcriptions, printed telegrams)
    keeps the page break inside the paragraph: ``... showed some progress on``, blank lines
    (and often a page header, a page number or a release stamp), then ``trafficking in
    persons ...``. Tools that read a paragraph as a block of text then see two paragraphs,
    the second one unnumbered and unmarked, and sentences cut in two. A break splits a
    paragraph when the text before it stops mid-sentence and the text after it continues
    the sentence: in lower case, or (after a line cut mid-sentence) with a name or a number;
    across page furniture, which proves the page break, also after a capitalised word or a
    closing quotation mark (``... a proposed National`` / page header / ``Plan on ...``).
    The finding is at the continuation; the fix (unsafe: the break might be deliberate)
    replaces the break by a space, or by a line break in hard-wrapped text. Options in
    ``rules/structure.yaml``.

    Failing::

        1. (SBU) The administration showed some progress on

        trafficking in persons prosecutions.   <- S002 paragraph 1 is split by a page break
                                                  after line 1; its text continues at line 3

    Passing::

        1. (SBU) The administration showed some progress on trafficking in persons.

        2. (SBU) Next paragraph.
    """

    code = "S002"
    name = "page-break-split"
    severity = "info"
    fixes = ("unsafe",)
    summary = "A paragraph is split by a page break (blank lines or page furniture mid-sentence)"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        for s in splits(cable):
            joint = " " if s.before_len > 100 else "\n"
            yield Diagnostic(
                s.after_start, s.after_end,
                f"paragraph {s.paragraph.number} is split by a page break after "
                f"{cable.place(s.before_end)}; its text continues at "
                f"{cable.place(s.after_start, s.before_end)}",
                Fix(joint, s.before_end, s.after_start, safe=False))


# -- S003 --------------------------------------------------------------------------------

_PAGE_OF_RE = regex.compile(
    r"[ \t>]*PAGE\s+(?P<page>\d{1,3})\s|.*?(?P<cgpage>\d{3})(?:\.\d+)?\s+(?:OF|of)\s")


class PageFurniture(Rule):
    """Page furniture is left inside the text: page headers, page numbers, release stamps.

    Each page of a printed or released cable carries furniture: telegram page headers
    (``PAGE 02 ROME 01196 01 OF 02 082030Z``), Cablegate page headers (``LONDON 00001991
    002 OF 005``), ``Page 2 of 5``, classification banners, release stamps (``RELEASED IN
    FULL``, ``U.S. Department of State Case No. F-2020-... Doc No. C0... Date: ...``). Left
    inside a paragraph, it becomes part of the paragraph's words for every search, n-gram
    and topic model. Reported: furniture in a page break that splits a paragraph (one finding
    per break, naming what the break holds); Cablegate-style page headers anywhere in the
    body of a plain-text telegram (or HistoryLab body text) after page 1, and page numbers
    (``Page 3 of 7``) anywhere in its body; a page stamp (a Cablegate page header too)
    inside a line of text (an export that joined the page's lines); a later
    section's classification line (``S E C R E T SECTION 2 OF 2 KABUL 3173``) inside the
    body, where the sections of a long telegram were joined with their headers; the
    section's routing block there (``FM``, ``TO``, ``INFO`` and addressee lines) is furniture
    of the break it makes. Not
    reported: the furniture between paragraphs of a paged FOIA transcription (every page of
    it looks so; the transcription keeps its pages on purpose) and the top and bottom
    banners. The fix deletes the furniture (safe for a lone telegram page header line).
    Option ``page_headers`` (default true): set it false to report telegram page headers
    only where they split a sentence, not every one left between paragraphs.

    Failing::

        5. (SBU) Sentences of the report vary because pre-trial detention times

        MADRID 00000293 002 OF 002      <- S003 page header 'MADRID 00000293 002 OF 002'
                                           splits paragraph 5; its text continues at line 5

        varied): ...

    Passing::

        5. (SBU) Sentences of the report vary because pre-trial detention times
        varied): ...
    """

    code = "S003"
    name = "page-furniture"
    severity = "warning"
    fixes = ("safe", "unsafe")
    summary = "Page headers, page numbers and release stamps are left inside the text"
    options = {"page_headers": True}

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        text = cable.text
        reported: set[int] = set()
        for s in splits(cable):
            if not s.furniture:
                continue
            shown = min(s.furniture, key=lambda f: list(_PAGE_KINDS).index(f.kind))
            first, last = s.furniture[0], s.furniture[-1]
            reported.update(f.start for f in s.furniture)
            yield Diagnostic(
                first.start, first.end,
                f"{_PAGE_KINDS[shown.kind]} '{_quote(text[shown.start:shown.end])}' splits "
                f"paragraph {s.paragraph.number}; its text continues at "
                f"{cable.place(s.after_start, first.start)}",
                Fix("", first.start, _line_end(text, last.end), safe=False))
        if cable.format in ("telegram", "html", "historylab") and options.get("page_headers", True):
            yield from self._page_headers(cable, reported)
        yield from self._inline_stamps(cable)
        yield from self._section_headers(cable, reported)

    @staticmethod
    def _section_headers(cable: Cable, reported: set[int]) -> Iterator[Diagnostic]:
        """The classification line of a later section ("S E C R E T SECTION 2 OF 2 KABUL
        3173") inside the body: the sections were joined with their headers left in."""
        text = cable.text
        start = cable.body_start
        end = cable.body_end or len(text)
        at = _first_section(cable)
        if at != -1 and at < start:
            at = text.find("SECTION", start)
        # Tried at the start of each line of the body that holds "SECTION", which the line
        # does (one line, led by ``^``: a search would try the pattern at every character).
        tried = -1
        while at != -1 and at < end:
            line = text.rfind("\n", 0, at) + 1
            if line >= start and line != tried:
                tried = line
                m = _SECTION_LINE_RE.match(text, line, end)
                if m is not None and not (
                        line in reported or text.rfind("\n", 0, line) + 1 in reported):
                    # (not the end of a routing block reported as splitting a paragraph)
                    yield Diagnostic(m.start("line"), m.end("line"), "section header "
                                     f"'{_quote(m['line'])}' is left in the body text")
            at = text.find("SECTION", at + 1)

    @staticmethod
    def _page_headers(cable: Cable, reported: set[int]) -> Iterator[Diagnostic]:
        text = cable.text
        start = cable.paragraphs[0].start if cable.paragraphs else cable.body_start
        for f in cable.furniture:
            # (a later page's header is furniture above the first paragraph too: "SUMMARY",
            # the page's banner and header, then "1. (C) ...")
            if f.kind not in ("page-header", "page-number") or f.start in reported or not (
                    (start if f.kind == "page-number" else cable.body_start) < f.start
                    < cable.body_end):
                continue
            if text.startswith("#", f.start):
                continue  # "## Page 3": a paged transcription's own page marker
            if f.kind == "page-header":
                m = _PAGE_OF_RE.match(text, f.start, f.end)
                if m is None or int(m["page"] or m["cgpage"]) <= 1:
                    continue  # page 1's header tops the cable
            # A page number ("Page 3 of 7") after the first paragraph's start is inside the
            # body, whatever the page: a telegram carries none of its own.
            yield Diagnostic(f.start, f.end,
                             f"{_PAGE_KINDS[f.kind]} '{_quote(text[f.start:f.end])}' is left "
                             "in the body text",
                             Fix("", f.start, _line_end(text, f.end), safe=True))

    @staticmethod
    def _inline_stamps(cable: Cable) -> Iterator[Diagnostic]:
        text = cable.text
        stamps = [(start, end, "release stamp") for start, end in inline_stamps(cable)]
        overlaps = _Furniture.of(cable).overlaps
        for start, end, what in stamps + _page_stamps(cable):
            # (furniture first: most stamps are lines the parser knows, "Page 1 of 7", and
            # this test is the cheaper)
            if overlaps(start, end):
                continue  # furniture the parser knows ("PAGE 04 ... 291400Z COALITION ...")
            line_start = text.rfind("\n", 0, start) + 1
            line_end = _line_end(text, end) - 1
            lead = text[line_start:start]
            if (not _BANNER_WORDS_RE.sub("", lead).strip(_STAMP_LINE)
                    or _DOC_NUMBER_LEAD_RE.fullmatch(lead) or _margin_noise(lead)) and \
                    not _BANNER_WORDS_RE.sub("", text[end:line_end]).strip(_STAMP_LINE + "-"):
                continue  # a stamp line of its own ("UNCLASSIFIED | Page 4 of 7"): furniture
            cut_end = end + 1 if text[end : end + 1] == " " else end
            yield Diagnostic(start, end, f"{what} "
                             f"'{_quote(text[start:end], 100)}' is left inside a line of text",
                             Fix("", start, cut_end, safe=False))


# What may stand beside a stamp on a footer line of its own: Markdown, bars, banners.
_STAMP_LINE = _MD_LEAD + "|"
_BANNER_WORDS_RE = regex.compile(
    r"\b(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|SBU|Official|SENSITIVE|NOFORN)\b")
# ... and, on an OCR'd reading-room page's top line, the document number printed in the
# corner over the banner ("C 0 6 6 9 8 3 6 8 =IED U.S. Department of State Case No. ...":
# the number spaced out, the banner's tail left of "UNCLASSIFIED").
_DOC_NUMBER_LEAD_RE = regex.compile(
    r"[ \t]*C(?=(?:[^0-9\n]*[0-9]){5})[ \t0-9OQ]{6,24}(?:[:=' \t]*[A-Za-z0-9']{0,4}ED)?[ \t]*")


def _margin_noise(lead: str) -> bool:
    """Is what stands before a stamp on its line a release stamp or one token of scanner
    noise, no word of text: OCR of a margin mark ("-PAGE 01 ...", "*9.17,Escki PAGE 01
    ...") or glued to the stamp ("zlitscoiVPAGE 01 ...")? A word of prose before it ("as
    PAGE 02 ...") is not."""
    token = lead.strip()
    if _RELEASE_LEAD_RE.fullmatch(lead):
        return True  # the reviewer's stamp beside it: "RELEASE IN FULL PAGE 01 STATE ..."
    return bool(token) and " " not in token and "\t" not in token and (
        not lead.endswith((" ", "\t")) or not token.isalpha())


_RELEASE_LEAD_RE = regex.compile(r"[ \t]*(?:RELEASED? IN (?:FULL|PART)|DECLASSIFIED)[ \t]+")


def _first_section(cable: Cable) -> int:
    """Where "SECTION" first occurs in the text, -1 if nowhere (memoised: S003 and S005 ask,
    and most cables have none, which only a scan of the whole text tells)."""
    at: int | None = cable.memo.get("first_section")
    if at is None:
        at = cable.memo["first_section"] = cable.text.find("SECTION")
    return at


def _line_end(text: str, offset: int) -> int:
    """The offset after the line break that ends the line holding ``offset``."""
    nl = text.find("\n", offset)
    return len(text) if nl == -1 else nl + 1


# -- S004 --------------------------------------------------------------------------------

_PAIRS = {")": "(", "]": "["}
# A portion marking whose ")" was misread ("(CJ", "(SBU}") or whose "(" was lost (a SMART
# heading's "**SBU)**"): ocr-confusion's or paragraph-marking's, no bracket of the text.
# (Matched only at a paragraph's empty marking slot.)
_DAMAGED_MARKING_RE = regex.compile(r"[*~_]*(?:\([A-Z/]{1,5}[J}|]|[A-Z/]{1,5}\))[*~_]*[ \t]")


def _damaged_marking_end(text: str, at: int) -> int:
    """The end of a damaged marking at ``at`` (:data:`_DAMAGED_MARKING_RE`), else 0."""
    m = _DAMAGED_MARKING_RE.match(text, at)
    return 0 if m is None else m.end()


class UnbalancedBrackets(Rule):
    """Parentheses and square brackets balance within a paragraph or a header field.

    An unmatched bracket is text lost in transcription or redaction: ``(b)(6) Mexico City)``
    lost the ``(`` of ``(Mexico City)``. Each paragraph (and each header field with its
    continuation lines) is checked on its own; a parenthesis opened at the end of one
    paragraph and closed in the next is a parenthetical across paragraphs, not a defect.
    List labels (``a)``, ``1)``, ``iv)``, ``11676;B)``), smileys and ``(A`` at the start of a
    line are not brackets. Quotation marks are not checked: a quotation that runs over several
    paragraphs repeats its opening mark at each, and OCR confuses the curly ones.

    Failing::

        **Drafted By:** POL (b)(6) Mexico City)     <- S004 ')' in '(b)(6) Mexico City)'
                                                       has no matching '('

    Passing::

        **Drafted By:** POL (b)(6) (Mexico City)
    """

    code = "S004"
    name = "unbalanced-brackets"
    severity = "warning"
    summary = "Parentheses and square brackets balance within a paragraph or header field"

    def _check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        text = cable.text
        brackets = _Brackets.of(cable)
        if brackets is None:
            return
        emoticons = tuple(_pack()["emoticons"])
        balanced, outside = brackets.in_paragraphs(cable.paragraphs)
        # (most ")" follow a letter: one character's look-up each, no call)
        dashes = [at for at in brackets.closing if text[at - 1] in " \n" and _dash_shaped(text, at)]
        if dashes:  # rare: a ")" that is Cablegate's dash counts as no bracket (07PARIS2027)
            balanced = [ok and bisect_left(dashes, p.start) == bisect_left(dashes, p.end)
                        for p, ok in zip(cable.paragraphs, balanced, strict=True)]
        carried: list[int] = []  # '(' left open by the previous paragraph
        for p, ok in zip(cable.paragraphs, balanced, strict=True) if not all(balanced) else ():
            if ok:  # most are
                if carried:
                    yield from (self._open(text, at) for at in carried)
                    carried = []
                continue
            opened, stray = _scan(text, p.start, p.end, emoticons, brackets, bool(dashes))
            slot = p.slot
            if (opened or stray) and slot.marking is None and (
                    damaged := slot.end if slot.raw else _damaged_marking_end(text, slot.start)):
                # a malformed marking ("(C", "SBU)") or one whose ")" OCR misread ("(CJ"):
                # paragraph-marking's or ocr-confusion's finding, no bracket of the text
                opened = [at for at in opened if not slot.start <= at < damaged]
                stray = [at for at in stray if not slot.start <= at < damaged]
            if carried and stray:
                # a parenthetical across two paragraphs: closes what the previous opened
                matched = min(len(carried), len(stray))
                carried, stray = carried[:-matched], stray[matched:]
            yield from (self._open(text, at) for at in carried)
            yield from (self._close(text, at) for at in stray)
            carried = opened
        yield from (self._open(text, at) for at in carried)
        if not outside:
            return  # every bracket is in a paragraph: no header field block holds one
        for start, end in _field_blocks(cable, brackets):
            opened, stray = _scan(text, start, end, emoticons, brackets)
            yield from (self._open(text, at) for at in opened)
            yield from (self._close(text, at) for at in stray)

    @staticmethod
    def _close(text: str, at: int) -> Diagnostic:
        return Diagnostic(at, at + 1, f"'{text[at]}' in '{_context(text, at)}' has no matching "
                          f"'{_PAIRS[text[at]]}'")

    @staticmethod
    def _open(text: str, at: int) -> Diagnostic:
        closer = ")" if text[at] == "(" else "]"
        return Diagnostic(at, at + 1, f"'{text[at]}' in '{_context(text, at)}' is never "
                          f"closed by '{closer}'")

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        # A run of one bracket left open or stray ("[[[[ ILC || 8", a HistoryLab annotation
        # that lost its "]]") is one defect: one finding, over the run.
        last: Diagnostic | None = None
        for d in self._check(cable, options):
            if last is not None and d.start == last.end and d.message[:3] == last.message[:3] \
                    and cable.text[d.start] == cable.text[last.start]:
                last = last._replace(end=d.end)
                continue
            if last is not None:
                yield last
            last = d
        if last is not None:
            yield last


def _context(text: str, at: int) -> str:
    """The words around the bracket at ``at``, on its line: before a closing one, around an
    opening one."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end == -1 else line_end
    closing = text[at] in ")]"
    left = max(line_start, at - (30 if closing else 12))
    right = at + 1 if closing else min(line_end, at + 25)
    snippet = text[left:right]
    if left > line_start and " " in snippet[: at - left]:
        snippet = snippet[snippet.index(" ") + 1 :]  # not a word cut in two on the left
    if not closing and right < line_end and " " in snippet and text[right] != " ":
        snippet = snippet[: snippet.rindex(" ")]  # nor on the right (a closing one ends it)
    return snippet.strip(" *_")


class _Brackets(NamedTuple):
    """The offsets of the bracket characters in the text, sorted, of each kind. A cable has a
    few dozen brackets in thousands of characters: one memchr-speed ``str.find`` per bracket
    finds them, and whether a paragraph balances is a few bisections and comparisons, not a
    pass over its text."""

    opening: list[int]  # of each "("
    closing: list[int]  # of each ")"
    square: tuple[list[int], list[int]] | None  # of each "[" and each "]"; None: there is none
    #: :meth:`every`'s list once made (asked for each paragraph and field block that does not
    #: balance: sorting them all each time was quadratic in a text of thousands of brackets)
    memo: list[list[int]]

    @classmethod
    def of(cls, cable: Cable) -> _Brackets | None:
        """The brackets of the cable's text; None if it has none."""
        text = cable.text
        opening, closing = offsets(cable, "("), offsets(cable, ")")
        square = (_offsets(text, "["), _offsets(text, "]"))
        if square[0] or square[1]:
            return cls(opening, closing, square, [])
        return cls(opening, closing, None, []) if opening or closing else None

    def every(self) -> list[int]:
        """The offset of each "(", ")", "[" and "]", in text order."""
        if not self.memo:
            square = self.square
            found = self.opening + self.closing
            if square is not None:
                found += square[0] + square[1]
            self.memo.append(sorted(found))
        return self.memo[0]

    def in_paragraphs(self, paragraphs: list[Paragraph]) -> tuple[list[bool], bool]:
        """Does each paragraph balance (as :meth:`balanced` tells), and does a bracket stand
        outside the paragraphs (in text order, apart, as the parser makes them)? A paragraph
        mostly starts where the previous one ends: the brackets before its start are those
        before that end, two bisections a paragraph, not four. (With square brackets, rare:
        :meth:`balanced` for each, and outside is taken as yes.)"""
        if self.square is not None:
            return [self.balanced(start, end) for start, end in map(_SPAN, paragraphs)], True
        opening, closing = self.opening, self.closing
        balanced: list[bool] = []
        outside = False
        before_open = before_close = last_end = 0  # brackets before the last paragraph's end
        for start, end in map(_SPAN, paragraphs):
            if start != last_end:
                o, c = bisect_left(opening, start), bisect_left(closing, start)
                outside = outside or o != before_open or c != before_close
                before_open, before_close = o, c
            o, c = bisect_left(opening, end), bisect_left(closing, end)
            balanced.append(o - before_open == c - before_close)
            before_open, before_close, last_end = o, c, end
        return balanced, outside or before_open < len(opening) or before_close < len(closing)

    def balanced(self, start: int, end: int) -> bool:
        """As many ``(`` as ``)`` and ``[`` as ``]`` between start and end? (Counted by
        bisection: a running balance of every bracket costs more to build than the few
        paragraphs a cable has cost to test.)"""
        opening, closing, square = self.opening, self.closing, self.square
        if bisect_left(opening, end) - bisect_left(opening, start) != bisect_left(
                closing, end) - bisect_left(closing, start):
            return False
        return square is None or _count(square[0], start, end) == _count(square[1], start, end)

    def between(self, start: int, end: int) -> list[int]:
        """The offsets of every bracket between start and end, in text order."""
        every = self.every()
        return every[bisect_left(every, start) : bisect_left(every, end)]


def _count(found: list[int], start: int, end: int) -> int:
    """How many of the sorted offsets ``found`` are between start and end."""
    return bisect_left(found, end) - bisect_left(found, start)


def offsets(cable: Cable, char: str) -> list[int]:
    """The offsets of ``char`` in the cable's text, in order (memoised: S004, T002 and T003
    read those of "(" and ")", which one memchr-speed ``str.find`` each finds)."""
    key = "offsets " + char
    found: list[int] | None = cable.memo.get(key)
    if found is None:
        found = cable.memo[key] = _offsets(cable.text, char)
    return found


def _offsets(text: str, char: str) -> list[int]:
    found: list[int] = []
    at = text.find(char)
    while at != -1:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def _scan(text: str, start: int, end: int, emoticons: tuple[str, ...], brackets: _Brackets,
          dashes: bool = False) -> tuple[list[int], list[int]]:
    """Unmatched ``(``/``[`` (opened) and ``)``/``]`` (stray) between start and end.
    ``dashes``: the text has dash-shaped ``)``, so counting cannot tell a balance."""
    if not dashes and brackets.balanced(start, end):
        return [], []
    segment = text[start:end]
    stacks: dict[str, list[int]] = {"(": [], "[": []}
    stray: list[int] = []
    for at in brackets.between(start, end):
        ch = text[at]
        if ch in "([":
            stacks[ch].append(at)
        elif stacks[_PAIRS[ch]] and not (ch == ")" and (_cablegate_dash(
                text, at, stacks["("][-1]) or _label_opens_line(text, start, at))):
            stacks[_PAIRS[ch]].pop()
        elif not _not_a_bracket(segment, at - start, emoticons):
            stray.append(at)
    opened = [at for at in sorted(stacks["("] + stacks["["]) if not _line_label(text, at)]
    return opened, stray


def _label_opens_line(text: str, start: int, at: int) -> bool:
    """Is the ``)`` at ``at`` a list label's that opens its line (``D) SEPARATELY, ...``), the
    label before it (``C)``) opening an earlier line since ``start``? It closes no parenthesis
    left open on an earlier line: that one lost its ``)``. (Without the label before it,
    ``(REF`` / ``B)`` is a parenthesis wrapped over two lines.)"""
    line_start = text.rfind("\n", 0, at) + 1
    if text[at + 1 : at + 2] not in (" ", "\t") or at - line_start > 6:
        return False
    m = _LINE_LABEL_RE.fullmatch(text, line_start, at)
    if m is None:
        return False
    label = m["label"]
    before = str(int(label) - 1) if label.isdigit() else chr(ord(label) - 1)
    if not before.isalnum() or before == "0":
        return False
    return re.search(rf"(?:^|\n)[ \t>*-]*{before}\)[ \t]", text[start:line_start]) is not None


_LINE_LABEL_RE = regex.compile(r"[ \t>*-]*(?P<label>[A-Za-z]|\d{1,2})")


def _dash_shaped(text: str, at: int) -> bool:
    """Is the ``)`` at ``at`` shaped like Cablegate's dash (``movements ) the FLNC``)?"""
    after = text[at + 1 : at + 3]
    return text[at - 1 : at] in (" ", "\n") and (after[:1] == "-" or (
        after[:1] == " " and after[1:].isalpha()))


def _cablegate_dash(text: str, at: int, opened: int) -> bool:
    """Is the ``)`` at ``at`` Cablegate's dash lost in a character-set conversion (between
    words: ``movements ) the FLNC``, encoding-damage's pattern, or at a line's start) rather
    than the closing bracket of the ``(`` at ``opened``, on an earlier line?"""
    return _dash_shaped(text, at) and text.find("\n", opened, at) != -1


# (a label after a semicolon too: "REF: A) ANKARA 11676;B) ANKARA 11279"; not after a
# comma: "REASONS 1.4 B,D)" closes a "(" that was lost)
_CLOSE_LABEL_RE = regex.compile(r"(?:^|[\s(>|;])(?:[A-Za-z]|\d{1,2}|[ivxIVX]{1,4})$")


def _not_a_bracket(segment: str, i: int, emoticons: tuple[str, ...]) -> bool:
    """A list label (``a)``, ``12)``, ``iv)``), a smiley, or a dash that an encoding turned
    into ``)`` (Cablegate's ``Prime Minister ) Francois Fillon``): not a closing bracket. (No
    encoding turns a dash into ``]``: one after a blank is a closing bracket.)"""
    if i == 0 or segment[i - 1] == "\n" or (segment[i - 1] in " \t" and segment[i] == ")"):
        return True  # (a "]" after a blank is stray: "[[USG || 10]] ]REPRESENTATION")
    if segment[i] == ")" and any(segment.endswith(e, 0, i + 1) for e in emoticons):
        return True
    return bool(_CLOSE_LABEL_RE.search(segment, max(0, i - 5), i))


def _line_label(text: str, at: int) -> bool:
    """``(A`` or ``(1`` opening a line: a list label that lost its ``)``."""
    line_start = text.rfind("\n", 0, at) + 1
    if text[line_start:at].strip(" \t>*_-"):
        return False
    # (a letter, a number or a roman numeral: "(see refs" and "(The plant ..." open a
    # parenthesis that lost its ")")
    m = re.match(r"\((?:[A-Za-z]|\d{1,3}|[ivxIVX]{2,4})\s", text[at : at + 6])
    return m is not None


def _field_blocks(cable: Cable, brackets: _Brackets) -> Iterator[tuple[int, int]]:
    """Each header field outside the paragraphs, with its continuation lines (up to a blank
    line or the next field), that holds a bracket. (The blocks are found from the brackets,
    a few, not from the fields, which a telegram has dozens of.)"""
    text = cable.text
    lines = sorted(set(map(_LINE_START, cable.fields)))
    if not lines:
        return
    para_starts = [p.start for p in cable.paragraphs]
    every = brackets.every()
    k = bisect_left(every, lines[0])  # (brackets before the first field are in no block)
    while k < len(every):
        i = bisect_right(lines, every[k]) - 1
        start = lines[i]
        limit = lines[i + 1] if i + 1 < len(lines) else len(text)
        k = bisect_left(every, limit, k)  # the next block that holds a bracket
        p = bisect_left(para_starts, start + 1) - 1
        if p >= 0 and start < cable.paragraphs[p].end:
            continue  # inside a paragraph: checked with it
        if p + 1 < len(para_starts) and para_starts[p + 1] < limit:
            # the block ends where the next paragraph starts (a web page's blank lines
            # can hold a space: "SUBJECT: ... \n \n1. ..." has no "\n\n" before the body)
            limit = para_starts[p + 1]
        blank = text.find("\n\n", start, limit)
        yield start, (limit if blank == -1 else blank)


_LINE_START = attrgetter("line_start")
_SPAN = attrgetter("start", "end")


# -- S005 --------------------------------------------------------------------------------

# (led by its literal, with the word boundary checked behind it: a pattern led by `\b` is
# tried at every character of the text)
_SECTION_RE = regex.compile(r"SECTION(?<!\wSECTION)\s+0?(\d{1,2})\s+OF\s+0?(\d{1,2})\b")


class Splice(NamedTuple):
    """Where a second cable's routing block starts in a cable's text (two records joined in
    one file): its DTG line and its FM line."""

    dtg: Field
    sender: str
    fm_end: int


def second_cable(cable: Cable) -> Splice | None:
    """A second cable spliced into this one (memoised): in the body, a routing block's DTG
    line and FM line right under it, both other than the cable's own (later sections of one
    cable repeat its DTG and sender; the FM alone differs in a relayed message's header)."""
    memo = cable.memo
    if "second_cable" not in memo:
        memo["second_cable"] = _second_cable(cable)
    splice: Splice | None = memo["second_cable"]
    return splice


def _second_cable(cable: Cable) -> Splice | None:
    text = cable.text
    routing = [f for f in cable.furniture
               if f.kind == "routing" and text.startswith("FM ", f.start)]
    if not routing:
        return None
    fm = cable.first("FM", "telegram")
    dtgs = [f for f in cable.get("DTG") if f.origin == "telegram"]
    if fm is None or len(dtgs) < 2:
        return None
    own_sender = " ".join(fm.value.split())
    own_dtg = parse_dtg(dtgs[0].value)
    if own_dtg is None or own_dtg.date is None:
        return None
    starts = {f.line_start: f for f in dtgs[1:]}
    for line in routing:
        sender = " ".join(text[line.start + 3 : line.end].split())
        if not sender or sender == own_sender or cable.quoted(line.start):
            continue
        dtg = starts.get(text.rfind("\n", 0, line.start - 1) + 1)  # the DTG line above it
        other = parse_dtg(dtg.value) if dtg is not None else None
        if dtg is not None and other is not None and other.date not in (None, own_dtg.date):
            return Splice(dtg, sender, line.end)
    return None


class TruncatedCable(Rule):
    """The cable's text is complete: no lost section, no text cut off at the end.

    Reported: a WikiLeaks partial extract (``This record is a partial extract of the
    original cable``); a multi-section cable whose file keeps its section headers
    (``SECTION 01 OF 03``, ``SECTION 03 OF 03``) but lacks one of them (Cablegate and the
    CFPF join the sections of a cable and keep only the first section line, so a lone
    ``SECTION 1 OF 3`` is no loss); text that stops in the middle of a word (``On July 3,
    Presi...``, where a web page cut the text); a body whose last line stops mid-sentence
    with no signature or end marker after it; a text that ends with a later section's
    routing block (``FM``, ``TO``, ``INFO`` lines in the body), the section's text lost; a
    second cable spliced into the text, as when a corpus joins two records (a routing block
    in the body whose DTG line and FM line are not the cable's: later sections repeat both);
    a database record glued after the last paragraph (``STEVENS 0 03/13/2008 9871
    PGOV,PREL,LY`` and the subject and summary again: the cable's own date and TAGS).

    Failing::

        1.  Summary.  On July 3, Presi...     <- S005 the text stops mid-word at 'Presi...'

    Passing::

        1.  Summary.  On July 3, President Medvedev ...

        SMITH
    """

    code = "S005"
    name = "truncated-cable"
    severity = "warning"
    summary = "The cable is complete: no lost section, no text cut off at its end"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        text = cable.text
        if cable.partial_extract:
            at = text.find("partial extract")
            at = max(0, text.rfind("\n", 0, at) + 1) if at != -1 else cable.header_start
            yield Diagnostic(at, _line_end(text, at) - 1, "the record is a partial extract of "
                             "the original cable (WikiLeaks' notice): its full text is not "
                             "available")
        first = _first_section(cable)
        if first != -1 and text.find("SECTION", first + 1) != -1:  # "SECTION 1 OF 2", and more
            yield from self._sections(cable)
        yield from self._routing_end(cable)
        yield from self._cut_end(cable)
        yield from self._record_trailer(cable)
        splice = second_cable(cable)
        if splice is not None:
            # (the message names the second cable alone: this cable's own DTG and sender
            # are on its first lines)
            yield Diagnostic(splice.dtg.line_start, splice.fm_end,
                             f"a second cable begins here (DTG {splice.dtg.value} from "
                             f"{splice.sender}, neither this cable's): the text below is "
                             "another record's")

    @staticmethod
    def _routing_end(cable: Cable) -> Iterator[Diagnostic]:
        """The text ends with a later section's routing block (FM, TO, INFO and addressee
        lines in the body, parse/body.py): the section's text after it is lost."""
        furniture = cable.furniture
        if not furniture or furniture[-1].kind != "routing":
            return
        last = furniture[-1]
        if cable.text[last.end:].strip():
            return
        first = last
        for f in reversed(furniture):
            if f.kind != "routing" or cable.text[f.end:first.start].strip():
                break
            first = f
        yield Diagnostic(last.start, last.end, "the text ends with the routing block of a "
                         f"later section ('{_quote(cable.text[first.start:first.end])}', "
                         f"{cable.place(first.start, last.start)}): the section's text is "
                         "missing")

    @staticmethod
    def _record_trailer(cable: Cable) -> Iterator[Diagnostic]:
        """A database record glued to the end of the text, in the last paragraph (08TRIPOLI220:
        '... End comment. STEVENS 0 03/13/2008 9871 PGOV,PREL,PHUM,PINR,LY DETAINED ...'):
        the cable's own date and TAGS, then its subject and summary once more. (The TAGS,
        comma-joined, are looked for first: one str.find; the date is read only then.)"""
        tags = cable.first("TAGS") if cable.format in ("telegram", "html") else None
        codes = _TAGS_RE.findall(tags.value) if tags is not None else ()
        if len(codes) < 2:
            return
        text, joined = cable.text, ",".join(codes)
        start = cable.paragraphs[-1].start if cable.paragraphs else cable.body_start
        at = text.find(joined, start, cable.body_end)
        end = at + len(joined)
        if at == -1 or text[end : end + 1] not in (" ", "\t", "\n", ""):
            return
        m = _TRAILER_RE.search(text, max(start, at - 40), at)
        date = cable.date if m is not None else None
        if date is not None and (int(m["m"]), int(m["d"]), int(m["y"])) == (
                date.month, date.day, date.year):
            yield Diagnostic(m.start(), end, "a database record is glued to the end of the "
                             f"text: '{text[m.start():end]}' (the cable's date and TAGS) and "
                             "the subject and summary after it are no part of the cable")

    @staticmethod
    def _sections(cable: Cable) -> Iterator[Diagnostic]:
        by_total: dict[int, list[tuple[int, int]]] = {}
        for m in _SECTION_RE.finditer(cable.text):
            if cable.quoted(m.start()):
                continue
            by_total.setdefault(int(m[2]), []).append((int(m[1]), m.start()))
        for total, found in by_total.items():
            numbers = {n for n, _ in found}
            if len(numbers) < 2 or total > 30 or max(numbers) > total:
                continue  # one section line only: the sections were joined
            missing = [n for n in range(1, total + 1) if n not in numbers]
            if missing:
                at = max(pos for _, pos in found)
                held = ", ".join(str(n) for n in sorted(numbers))
                lost = ", ".join(str(n) for n in missing)
                yield Diagnostic(at, at + len("SECTION"),
                                 f"section {lost} of {total} is missing: the file holds "
                                 f"section {held}")

    @staticmethod
    def _cut_end(cable: Cable) -> Iterator[Diagnostic]:
        if cable.format not in ("telegram", "html"):
            return  # a web page cuts a long text with "..."; an e-mail may end with one
        text = cable.text
        furniture = {f.start for f in cable.furniture}
        # (a web page's text ends with the page's own table, Reference ID to Origin: the
        # cable's text ends at the body's end)
        end = cable.body_end if cable.format == "html" else len(text)
        last = _last_text_line(text, cable.header_start, end, furniture)
        if last is None:
            return
        start, stop = last
        line = text[start:stop].rstrip()
        stripped = line.strip()
        if stripped in ("...", "…"):
            previous = _last_text_line(text, cable.header_start, start - 1, furniture)
            if previous is None:
                return
            before = text[previous[0] : previous[1]].strip()
            if len(before.split()) > 3 and not _ends_sentence(before) and not _has_end_marker(
                    before):
                yield Diagnostic(start + line.index(stripped[0]), start + len(line),
                                 f"the text stops after '{_tail(before)}' with '...': "
                                 "the rest of the cable is missing")
            return
        for dots in ("...", "…"):
            if line.endswith(dots) and len(line) > len(dots) and line[-len(dots) - 1].isalnum():
                word = line[:-len(dots)].split()[-1]
                at = start + len(line) - len(dots) - len(word)
                yield Diagnostic(at, start + len(line), f"the text stops mid-word at "
                                 f"'{word}{dots}': the rest of the cable is missing")
                return
        if not cable.paragraphs:
            return
        if stop > cable.body_end or start < cable.paragraphs[-1].start or _has_end_marker(line):
            return  # something (a signature, a closing line) follows the last paragraph
        words = line.split()
        if any(mark in line for mark in ("://", "www.", "@")):
            return  # a closing line with an address ("Visit us at http://...index.cfm")
        if len(words) >= 4 and line[-1].isalpha() and line[-1].islower() and (
                len(line) >= 50 or words[-1] in _NO_SENTENCE_END) \
                and not _glued_signature(words):
            yield Diagnostic(start + len(line) - len(words[-1]), start + len(line),
                             f"the body stops mid-sentence at '{_tail(line)}' with no "
                             "signature after it: the rest of the cable is missing")


# Before a database record's TAGS: maybe a number, the date, a number ("0 03/13/2008 9871 ").
_TRAILER_RE = regex.compile(r"(?:(?<=[ \t])\d{1,3}[ \t]+|)(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/"
                            r"(?P<y>\d{4})[ \t]+\d{1,7}[ \t]+\Z")
_TAGS_RE = regex.compile(r"[A-Z]{2,5}")

# Words no sentence ends with: a shorter last line that ends so is cut off too.
_NO_SENTENCE_END = frozenset(
    ("the", "a", "an", "of", "to", "and", "in", "for", "with", "on", "by", "at", "from", "that",
     "or"))


def _glued_signature(words: list[str]) -> bool:
    """Does the line end with the signer's name run onto its last sentence, in Cablegate's
    mixed case: "... inside Burma. Martinez", "... the Dark Side.” Stroum"?"""
    last, before = words[-1], words[-2]
    return last[0].isupper() and last[1:].isalpha() and last[1:].islower() \
        and before.rstrip("\"”')").endswith((".", "?", "!"))


def _tail(line: str, width: int = 40) -> str:
    """The last words of ``line``, at most ``width`` characters, no word cut in two."""
    line = " ".join(line.split())
    if len(line) <= width:
        return line
    tail = line[-width:]
    return tail[tail.index(" ") + 1 :] if line[-width - 1] != " " and " " in tail else tail


def _last_text_line(text: str, start: int, end: int, furniture: set[int]
                    ) -> tuple[int, int] | None:
    """The last line between start and end that is neither blank nor page furniture."""
    stop = end
    while stop > start:
        line_start = max(start, text.rfind("\n", start, stop) + 1)
        if text[line_start:stop].strip() and line_start not in furniture:
            return line_start, stop
        stop = line_start - 1
    return None


def _has_end_marker(line: str) -> bool:
    upper = line.upper()
    return any(marker in upper for marker in _pack()["end_markers"])


# -- S006 --------------------------------------------------------------------------------

class DuplicateParagraph(Rule):
    """The same paragraph does not occur twice in one cable.

    A paragraph repeated (often under the same number, after a page break) is a page
    transcribed twice or two copies of a cable run together: counts of words and mentions
    double, and the paragraph numbering goes wrong. Paragraphs are compared by their text
    after the number and the portion marking, lower-cased, with spacing collapsed, up to
    the first blank line; a later paragraph whose text starts with the
    whole text of an earlier one, or whose whole text starts the earlier one, repeats it
    (a repeated page often runs the repeated paragraph into the next). A short first block
    (``(U) BEGIN TALKING POINTS:``, a heading) is read with the block after it; short
    paragraphs (``(U) Begin text.``, ``Comment.`` alone) are not compared.
    Options in ``rules/structure.yaml``.

    Failing::

        1. (U) In recent months government Ministers and senior officials have spent
        roughly 4 million USD on luxury vehicles.

        2. (U) In recent months government Ministers and senior officials have spent
        roughly 4 million USD on luxury vehicles.      <- S006 paragraph 2 repeats the text
                                                          of paragraph 1 (line 1)

    Passing::

        1. (U) In recent months government Ministers and senior officials have spent
        roughly 4 million USD on luxury vehicles.

        2. (U) The public outcry has been enormous.
    """

    code = "S006"
    name = "duplicate-paragraph"
    severity = "warning"
    summary = "The same paragraph text does not occur twice in one cable"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        min_chars = _pack()["duplicate_min_chars"]
        yield from self._compare(cable, _candidates(cable, min_chars), min_chars)

    @staticmethod
    def _compare(cable: Cable, paragraphs: list[Paragraph], min_chars: int
                 ) -> Iterator[Diagnostic]:
        text = cable.text
        # key: [(the text compared, as written (None: not read yet), paragraph)]
        seen: dict[str, list[tuple[str | None, Paragraph]]] = {}
        width = min_chars + min_chars // 3  # the first window of _key, read here inline
        search = _BLANK_RE.search
        for p in paragraphs:
            start, end = p.slot.end if p.slot.raw else p.number_end + 1, p.end
            stop = start + width
            blank = search(text, start, end if end < stop + 2 else stop + 2)
            head_end = blank.start() if blank else end
            if head_end > stop:
                head_end = stop
            key = " ".join(text[start:head_end].lower().split())[:min_chars]
            if len(key) < min_chars:
                if head_end < stop:
                    # a short first block: a short paragraph, or a heading or an opening line
                    # ("Begin talking points:") with the paragraph's text after it
                    key = _normalise(text[start : _head_end(text, start, end, min_chars)])
                    key = key[:min_chars]
                else:
                    key = _key(text, start, end, min_chars)  # much white space: a longer window
                if len(key) < min_chars:
                    continue
            bucket = seen.setdefault(key, [])
            if not bucket:
                bucket.append((None, p))
                continue
            block = text[start : _head_end(text, start, end, min_chars)]
            first = None
            for i, (other, q) in enumerate(bucket):
                if other is None:
                    q_start = q.slot.end if q.slot.raw else q.number_end + 1
                    other = text[q_start : _head_end(text, q_start, q.end, min_chars)]
                    bucket[i] = (other, q)
                if _starts_alike(block, other):
                    first = q
                    break
            bucket.append((block, p))
            if first is not None:
                yield Diagnostic(p.number_start, p.number_end,
                                 f"paragraph {p.number} repeats the text of paragraph "
                                 f"{first.number} ({cable.place(first.start, p.number_start)}): "
                                 f"'{_quote(block, 40)}'")


#: ``bytes.translate`` of a Latin-1 text: each character as ``str.lower`` writes it (one
#: Latin-1 character for each), and the characters ``str.split`` parts words at deleted.
_LOWER_LATIN1 = bytes(ord(chr(b).lower()) for b in range(256))
_SPACES_LATIN1 = bytes(b for b in range(256) if chr(b).isspace())


def _candidates(cable: Cable, min_chars: int) -> list[Paragraph]:
    """The paragraphs that may repeat another: those whose first ``min_chars // 2``
    characters but white space, lower-cased, another has too (one C-speed translation of a
    paragraph's head, instead of the words of its key split and joined). Two paragraphs of
    the same key (``min_chars`` characters, normalised: a single space between words, so
    half of them at least no space) start with the same such characters; a paragraph with
    fewer has a key too short to be compared."""
    folded = folded_text(cable)  # the text as Latin-1 bytes, shared with other rules
    if folded is None or not folded.exact:
        return cable.paragraphs  # (not Latin-1: every paragraph's key is normalised)
    data = folded.data
    need = min_chars // 2
    window = 3 * min_chars // 2
    first: dict[bytes, int] = {}  # a head: the index of the first paragraph with it
    shared: set[int] = set()
    for i, p in enumerate(cable.paragraphs):
        start = p.slot.end if p.slot.raw else p.number_end + 1
        stop = start + window
        head = data[start : stop if stop < p.end else p.end].translate(_LOWER_LATIN1,
                                                                       _SPACES_LATIN1)
        if len(head) < need:
            if stop >= p.end:
                continue
            head = data[start : p.end].translate(_LOWER_LATIN1, _SPACES_LATIN1)  # much space
            if len(head) < need:
                continue
        j = first.setdefault(head[:need], i)
        if j != i:
            shared.update((i, j))
    if not shared:
        return []  # (the usual case: no two paragraphs start alike)
    return [p for i, p in enumerate(cable.paragraphs) if i in shared]


# The first blank line of a paragraph (as ``_block_end`` finds it).
_BLANK_RE = regex.compile(r"\n ?\n")


def _key(text: str, start: int, end: int, length: int) -> str:
    """The first ``length`` characters of the paragraph's text up to its first blank line
    (``text[start:_block_end(...)]``), normalised: what decides the paragraph's bucket.
    The text is read in windows of about one and a third, then three times ``length``
    characters (normalising a prefix gives a prefix of the whole), so only a blank line
    among those matters and a long paragraph costs no more than a short one."""
    for width in (length + length // 3, 3 * length):
        blank = _BLANK_RE.search(text, start, min(end, start + width + 2))
        head_end = min(blank.start() if blank else end, start + width)
        key = _normalise(text[start:head_end])[:length]
        if len(key) == length or head_end < start + width:
            break  # complete, or cut by the blank line or the paragraph's end
    return key


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _starts_alike(block: str, other: str) -> bool:
    """Does one block, normalised, start with the other normalised? A normalised prefix is a
    prefix of the whole (but for a final sigma, which lower-cases by what follows it): a
    block that starts with the other as written does, and of the longer block (a repeated
    page runs on for thousands of characters) only the head is normalised."""
    if len(block) < len(other):
        block, other = other, block
    if "\u03a3" in block:
        norm, head = _normalise(other), _normalise(block)
        return head.startswith(norm) or norm.startswith(head)
    if block.startswith(other):
        return True
    norm = _normalise(other)
    width = 2 * len(other)
    while True:
        head = _normalise(block[:width])
        if len(head) >= len(norm):
            return head.startswith(norm)  # (the whole block's normalised text does too)
        if width >= len(block):
            return norm.startswith(head)  # (the whole block is normalised: shorter)
        width *= 2


def _head_end(text: str, start: int, end: int, length: int) -> int:
    """The end of the text a paragraph is compared by: its first block, and while that is
    shorter than ``length`` (a heading, "Begin talking points:", a marking line), the next
    block too."""
    cut = _block_end(text, start, end)
    while cut < end and _shorter(text, start, cut, length):
        m = _NON_SPACE_RE.search(text, cut, end)
        if m is None:
            break
        cut = _block_end(text, m.start(), end)
    return cut


def _shorter(text: str, start: int, end: int, length: int) -> bool:
    """Is ``text[start:end]`` normalised shorter than ``length``? (A normalised prefix is a
    prefix of the whole: a long block is long at its head, which is read first.)"""
    stop = min(end, start + 2 * length)
    if len(_normalise(text[start:stop])) >= length:
        return False
    return stop == end or len(_normalise(text[start:end])) < length


def _block_end(text: str, start: int, end: int) -> int:
    """Where the paragraph's first blank line starts (``end`` without one)."""
    cut = text.find("\n\n", start, end)
    if cut == -1:
        cut = end
    # (a "\n \n" counts only before that one: the rest of a long paragraph is not read)
    at = text.find("\n \n", start, min(end, cut + 2))
    return cut if at == -1 else at
