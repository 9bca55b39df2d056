"""The body of a cable: numbered paragraphs, subparagraphs, headings, banners, page furniture.

Every format hands its body region here. One multi-line regex classifies the lines that
matter (most lines are plain text and cost nothing in Python); paragraphs run from their
number to the next paragraph or heading, so a paragraph split by a page break (blank lines,
page furniture, then a continuation) stays one paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any, NamedTuple

from .. import regex
from ..markings import read_slot
from ..model import Cable, Field, Furniture, Heading, MarkingSlot, Paragraph, SubParagraph, new_part
from .lines import FilteredLineRegex, LineRegex

# Classification words as banners print them, including OCR-spaced ones.
# (Spaces are escaped so that the pattern reads the same inside verbose regexes.)
BANNER_WORDS = (
    r"U ?N ?C ?L ?A ?S ?S ?I ?F ?I ?E ?D|UNCLAS|C ?O ?N ?F ?I ?D ?E ?N ?T ?I ?A ?L|"
    r"(?:TOP |)S ?E ?C ?R ?E ?T|SBU|LIMITED OFFICIAL USE|SENSITIVE BUT UNCLASSIFIED|"
    r"OFFICIAL - SBU|Official - SBU|OFFICIAL USE ONLY|SENSITIVE"
).replace(" ", r"\ ")
_BANNER_LEVEL = (
    ("TOP SECRET", "TS"),
    ("CONFIDENTIAL", "C"),
    ("SECRET", "S"),
    ("LIMITED OFFICIAL USE", "LOU"),
    ("SENSITIVE BUT UNCLASSIFIED", "SBU"),
    ("OFFICIAL - SBU", "SBU"),
    ("SBU", "SBU"),
    ("UNCLASSIFIED", "U"),
    ("UNCLAS", "U"),
)


def banner_level(words: str) -> str | None:
    """The level a banner's classification words state (``U``, ``C``...), or ``None``."""
    try:
        return _LEVEL_OF[words]
    except KeyError:
        level = _LEVEL_OF[words] = _banner_level(words)
        return level


_LEVEL_OF: dict[str, str | None] = {}  # banners repeat on every page: read each form once


def _banner_level(words: str) -> str | None:
    squeezed = re.sub(r"(?<=\w) (?=\w)", "", words.upper()) if " " in words else words.upper()
    for phrase, level in _BANNER_LEVEL:
        if phrase in words.upper() or phrase.replace(" ", "") in squeezed:
            return level
    return None


_LINE_RE = FilteredLineRegex(
    # Numbered paragraphs first: the commonest kind, and no other kind matches their lines;
    # then banners and markup, the next commonest (no kind before or after them matches theirs).
    # The number may run into a HistoryLab annotation: "1.[[ LEGAL COMITE || 10 ]] ...".
    # An optional group is written (?:X|), which the regex engine runs faster than (?:X)?.
    # A letter label followed by another ("H. M. McCoy", a signature's initials) is no
    # subparagraph.
    # Runs of blanks and Markdown before a kind's first letter, digit or sign are possessive:
    # that character is in no run, so giving one back cannot help, and a line of another
    # kind ("### **(SBU) Talks**", a heading) gave back each in turn, in pairs of runs.
    # So are a Cablegate page header's words: a blank and a capital follow each, a blank and
    # a digit the last, so giving back a letter or a word cannot help a line of capitals that
    # is no page header ("UNCLAS MADRID 000768", "E.O. 12958: N/A"), which gave back each.
    r"""
      (?=[ \t\f\v>#*]*+[¶\ufffd&\d])(?P<para>(?P<pp>[ \t\f\v]*(?:>[> \t]*|)(?:\#{1,6}[ \t]+|)(?:\*\*|))(?:(?P<sign>¶|\ufffd|&para;)|)[ \t]*(?P<num>\d{1,3})(?:\ (?=\.\ )|)\.(?:\*\*|)(?=[ \t(]|\[\[|$|[A-Z][A-Za-z]))
    | (?=[ \t>*#~_]*+(?:<center>|)[ \t*~_]*+[UCSTLO])(?P<banner>[ \t>*#~_]*+(?:<center>|)[ \t*~_]*+(?P<bw>"""
    + BANNER_WORDS
    + r"""|UNC\ L\ ASSIFIED)(?://[A-Z]+(?:[/\ ][A-Z]+)*|)[ \t*~_]*(?:</center>|)(?:\ +PTQ\d+|)[ \t]*$)
    | (?=[ \t]*[&<*N-])(?P<markup>[ \t]*(?:&nbsp;|<br>|-{3,}|\*{3,}|NNNN?|<<\ END\ OF\ DOCUMENT\ >>)[ \t]*$)
    | (?=[ \t>*_#|]*+[UCSPp])(?P<pageno>[ \t>*_#|]*+(?:(?:UNCLASSIFIED|UNC\ L?\ ?ASSIFIED|CONFIDENTIAL|SECRET|SBU)[|\t ]+|)(?:[Pp]age|PAGE)\ \d{1,3}\ (?:of|OF)\ \d{1,3}[ \t*_]*$)
    | (?P<mdpage>\#{1,6}\ +Page\ \d{1,3}[ \t]*$)
    | (?=[ \t>]*PAGE)(?P<pagehdr>[ \t>]*PAGE\ +\d{2,3}\ +(?:[A-Z][A-Z .]{0,30}?\ +\d{3,8}(?:\ +\d{2}\ +OF\ +\d{2}|)\ +\d{6}Z(?:[ \t]*$|(?=\ +[A-Z(]))|RU[A-Z]{3,5}\d{3,5}\ +[A-Z][A-Z /]*?\ \d{1,7}[ \t]*$))
    | (?=[ \t]*[A-Z][A-Za-z.'-]*+(?:\ [A-Z][A-Za-z.'-]*+){0,3}+\ \d)(?P<cgpage>[ \t]*+[A-Z][A-Za-z.'-]*+(?:\ [A-Z][A-Za-z.'-]*+){0,3}+\ \d{8}\ +\d{3}(?:\.\d+|)\ +(?:OF|of)\ +\d{3}[ \t]*$)
    | (?=[ \t>*]*+[ZOPR]\ )(?P<dtgline>[ \t>*]*+(?:[ZOPR]\ ){1,2}(?P<dtg>\d{6}Z\ [A-Z]{3}\ \d{2})\b)
    | (?=[ \t>*#\[]*(?:[RDIJ\d\[]|US|CS|St|Sy))(?P<stamp>[ \t>*#\[]*(?:RELEASED\ IN\ (?:FULL|PART)|Released\ in\ (?:Full|Part)|Declassified\ in\ Full
          |\[?Stamp:|\[?Image:|CSP-\d{4}-\d+\ |John\ Powers,|US\ Department\ of\ State[ \t]*$
          |\d{1,2}/\d{1,2}/\d{4}[ \t]*$|Declassified/Released\ US\ Department|Systematic\ Review
          ).*$)
    | (?P<sub>[ \t]*(?:-+[ \t]*|)(?P<sublabel>[A-Za-z]\.(?![ \t]+[A-Z]\.[ \t])|\([A-Za-z]\)|\(\d{1,2}\))(?=[ \t]))
    | (?=[#*])(?P<heading>(?:\#{1,6}[ \t]+(?P<htext>\S.*)|\*\*(?P<btext>[^*\n][^\n]*)\*\*)[ \t]*$)
    """,
    # The lines that may be of one of these kinds: after the blanks and Markdown, quote and
    # bracket characters a kind may start with, the first characters of a kind. A line of
    # prose that starts with two small letters (not "pa", for "page") is turned away first,
    # and so is a blank line ("" or " ": otherwise it meets every kind, a space twice).
    # A line of capitals costs a walk over at most four words, each taken whole (a Cablegate
    # page header: "SAN JOSE 00000123 002 OF 004").
    r"""(?![a-oq-z][a-z]|\n|\ \n)[ \t>*_\#|~\[\f\v]*(?:
      \d(?:\d{0,2}\ ?\.|\d?/\d{1,2}/\d{4})
    | [a-z]\.[ \t]
    | [A-Z](?:\.[ \t]|[A-Za-z.'-]*+(?:\ [A-Z][A-Za-z.'-]*+){0,3}+\ \d)
    | [ZOPR]\ (?:[ZOPR]\ )?\d{6}Z[ ]
    | U(?:\ ?N\ ?C|S\ Department\ of\ State)
    | C(?:\ ?O\ ?N\ ?F\ ?I\ ?D|SP-)
    | S(?:\ ?E\ ?C\ ?R\ ?E\ ?T(?![A-Za-z])|BU|ENSITIVE|tamp:|ystematic\ Review)
    | TOP\ S|LIMITED\ OFFICIAL\ USE|O(?:FFICIAL\ |fficial\ -\ SBU)
    | P(?:age\ \d|AGE\ )|page\ \d
    | R(?:ELEASED\ IN\ |eleased\ in\ )|Declassified|Image:|John\ Powers,|NNN
    | [¶\ufffd\#]|&(?:nbsp|para);|<(?:br>|<|center>)
    | -(?:--|-*+[ \t]*(?:\(|[A-Za-z]\.))|\((?:[A-Za-z]|\d\d?)\)
    | \*\*(?:\*|[^*\n][^\n]*\*\*[ \t]*$)
    )""",
    re.VERBOSE,
)
# A paragraph sign inside a line: a paragraph whose line break was lost ("... end. ¶3.") or,
# more often, a sign that an extraction glued onto a wrapped date ("on September¶15.").
_GLUED_SIGN_RE = regex.compile(r"¶(?P<num>\d{1,3})\.")
_SENTENCE_END = ".:;!?\")'”’*"
# Headings that are the transcription's own structure, not the cable's.
_STRUCTURE_HEADINGS = regex.compile(
    r"(?i)^[*_\[ ]*(?:page \d+|header fields|message (?:header|body)|recipient block|"
    r"categorization|release information|image\b|stamp\b|summary$|comment$|[A-Za-z /]+:|"
    r"end (?:summary|comment|note)\b|.*\.$)"
)


def _prev_line_blank(text: str, start: int) -> bool:
    """Is the line before the one starting at ``start`` blank (or is this the first line)?
    A rule of dashes counts as blank: a heading's underline, split by Cablegate's line
    wrapping ("---------------------------- -------"), and 1980s cables' "- " separators."""
    if start <= 1:
        return True
    prev_end = start - 1  # the "\n" ending the previous line
    prev_start = text.rfind("\n", 0, prev_end) + 1
    return not text[prev_start:prev_end].strip(" \t\f\v>*_#-")


def _prev_line_ends_sentence(text: str, start: int) -> bool:
    """Does the line before end where a paragraph may end? A hard-wrapped line (40 to 100
    characters) that stops mid-sentence does not: the next line continues it."""
    prev = text[text.rfind("\n", 0, start - 1) + 1 : start - 1].rstrip()
    return not prev or prev[-1] in _SENTENCE_END or not 40 <= len(prev) <= 100


def _page_margin(text: str, pos: int, pp: str, number: int, last_number: int,
                 since: int) -> bool:
    """Is the indented numbered line at ``pos`` a paragraph on a page that OCR set in by a
    margin ("        6. (SBU) Members told the DCM...")? Its number continues the paragraphs
    and its next line is set in as far as it, no further: a Markdown list item's next line is
    another item or is set in to the item's text. Its number may be a mistyped one near the
    run's (a gap, a repeat, two swapped), not the 1 that opens a list, nor a later item of a
    list opened by a "1." set in as far since ``since`` (the open paragraph's number)."""
    if not max(2, last_number - 1) <= number <= last_number + 3 or pp.strip(" "):
        return False
    if text.find(f"\n{pp}1.", since, pos) != -1:
        return False  # "    1. ...", "    2. ...": a list inside the paragraph
    start = text.find("\n", pos) + 1
    if start == 0:
        return False
    end = text.find("\n", start)
    line = text[start : len(text) if end == -1 else end]
    rest = line.lstrip(" ")
    return (len(line) - len(rest) == len(pp) and rest != ""
            and not _PARA_OR_ITEM_RE.match(rest))


_PARA_OR_ITEM_RE = regex.compile(r"(?:\d{1,3}\.|[A-Za-z]\.|[-*+\u2022])[ \t]")


def scan_body(
    cable: Cable,
    body_start: int,
    body_end: int,
    *,
    headings: bool = False,
    dtg_origin: str = "",
) -> None:
    """Scan the whole text once: banners and furniture everywhere; numbered paragraphs,
    subparagraphs and (with ``headings``) headings between ``body_start`` and ``body_end``.

    With ``dtg_origin``, DTG lines repeated in the body (later sections of a telegram) are
    recorded as DTG fields of that origin.
    """
    text = cable.text
    cable.quotes = find_quotes(text, body_start, body_end)
    paragraphs = cable.paragraphs
    pending = _PendingFurniture(cable.furniture)
    furniture = pending.matches  # (the furniture's lines, made into Furniture when read)
    subs: list[SubParagraph] = []
    open_para: tuple[int, int, int, int, int] | None = None  # number, start, nstart, nend, text
    last_number = 0
    smart = cable.format == "smart"
    roman: list[bool] = []  # does the body number something "II." or "iv."? (asked rarely)

    def numbers_in_roman() -> bool:
        if not roman:
            roman.append(any(numeral in text for numeral in _ROMAN_HINTS) and any(
                _ROMAN_RE.finditer(text, body_start, body_end)))
        return roman[0]

    def close(at: int) -> None:
        nonlocal open_para, subs
        assert open_para is not None
        number, pstart, nstart, nend, tstart = open_para
        limit = tstart + 80
        slot = read_slot(text, tstart, at if at < limit else limit)
        paragraphs.append(new_part(Paragraph, (number, pstart, nstart, nend, at, slot,
                                               tuple(subs) if subs else ())))
        open_para = None
        if subs:
            subs = []

    # (each line's kind group starts at the line's start)
    events: Iterable[Any] = _LINE_RE.matches(text)
    glued: list[_Inline] = _glued_starts(text, body_start, body_end) if "¶" in text else []
    if cable.format in ("telegram", "html"):  # (its first search tells if there is a ". (")
        glued += _run_on_starts(text, body_start, body_end)
    if glued:
        events = sorted([*events, *glued], key=_event_start)
    for m in events:
        kind = m.lastgroup
        pos = m.start(kind)
        if pos >= body_end and open_para is not None:
            close(body_end)
        if kind in _FURNITURE_KIND:
            furniture.append((kind, pos, m))
        elif kind == "banner":
            words = m["bw"]  # (its level looked up here: banners repeat on every page)
            level = _LEVEL_OF[words] if words in _LEVEL_OF else banner_level(words)
            if level:
                cable.banners.append((level, pos, m.end()))
            furniture.append((kind, pos, m))
        elif not body_start <= pos < body_end:
            continue
        elif kind == "para":
            pp = m["pp"]
            nstart, nend = m.span("num")
            number = int(text[nstart:nend])
            if smart and pp.startswith(("  ", "\t")) and not _page_margin(
                    text, pos, pp, number, last_number,
                    body_start if open_para is None else open_para[3]):
                continue  # an indented Markdown list item inside a paragraph
            # (the line before is blank: "\n\n" before the line, else looked at)
            end = m.end()
            if text[end : end + 1].isalpha():
                # no blank after the number ("6.THE PAST YEAR", a page that joined the lines:
                # "6.Request feedback"): only the next number, under a blank line
                if number != last_number + 1 or not (
                        text[pos - 2 : pos] == "\n\n" or _prev_line_blank(text, pos)):
                    continue
            elif not (
                text[pos - 2 : pos] == "\n\n"
                or _prev_line_blank(text, pos)
                or pp.strip()
                or (number == last_number + 1
                    and (m["sign"] or _prev_line_ends_sentence(text, pos)))
                or (m["sign"] and _prev_line_ends_sentence(text, pos))
                # the next number right under a page header ("PAGE 03 HELSIN 02613 01 OF 02
                # 121416Z" then "4. (C) ..."): the header ends the line before, not a sentence
                or (number == last_number + 1 and furniture
                    and not text[furniture[-1][2].end() : pos].strip())
            ):
                continue  # a wrapped line that starts with "12." (or "June\n¶6.")
            if open_para is not None:
                close(pos)
            open_para = (number, pos, nstart, nend, end)
            last_number = number
        elif kind == "inline":  # a paragraph sign inside a line, or a paragraph run on
            number = m.number
            if number != last_number + 1:
                continue  # "on September¶15.": a date, not a paragraph
            if m.run_on and any(p.number >= number for p in paragraphs):
                continue  # a repeated copy's paragraphs (page damage), not the cable's next
            if open_para is not None:
                close(pos)
            open_para = (number, pos, m.nstart, m.nend, m.nend + 1)
            last_number = number
        elif kind == "dtgline":
            if dtg_origin and not cable.quoted(pos):
                # later sections repeat the DTG line: every one must agree (a repeated
                # message quotes another cable's DTG line: that one is not this cable's)
                cable.fields.append(new_part(Field, ("DTG", "DTG", m["dtg"], m.start("dtg"),
                                                     m.end("dtg"), pos, dtg_origin)))
        elif kind == "sub":
            if open_para is not None and (
                _prev_line_blank(text, pos) or _prev_line_ends_sentence(text, pos)
            ):
                line_end = text.find("\n", m.end())
                slot = read_slot(text, m.end(), len(text) if line_end == -1 else line_end)
                sub = _subparagraph(m["sublabel"], m.start("sublabel"), slot)
                ambiguous = sub.label in _MARKING_LABELS or (
                    sub.label in _ROMAN_LABELS and numbers_in_roman()) or (
                    sub.label == "c." and _CIRCA_RE.match(text, m.end()) is not None)
                if ambiguous and not (
                    subs and subs[-1].style == sub.style and subs[-1].ordinal == sub.ordinal - 1
                ):
                    # "(C) text" is a marked unnumbered paragraph and "I." a roman numeral,
                    # unless the run of letters has reached them
                    continue
                subs.append(sub)
        elif kind == "heading" and headings:
            heading_text = (m["htext"] or m["btext"] or "").strip()
            if _STRUCTURE_HEADINGS.match(heading_text):
                continue
            if open_para is not None:
                close(pos)
            inner = m.start("htext") if m["htext"] is not None else m.start("btext")
            slot = read_slot(text, inner, m.end())
            cable.headings.append(new_part(Heading, (heading_text, pos, m.end(), slot)))
    if open_para is not None:
        close(min(body_end, len(text)))
    if cable.format != "smart" and text.find("\nTO ", body_start, body_end) != -1:
        blocks = [b for b in _routing_blocks(text, body_start, body_end) if not cable.quoted(b[0])]
        pending.routing = [new_part(Furniture, ("routing", a, b)) for a, b in blocks]
    if furniture or pending.routing:
        cable.furniture_later(pending)


class _PendingFurniture:
    """The furniture :func:`scan_body` met: its lines (their kind, start and match) and the
    routing lines, made into :class:`~cablelint.model.Furniture` when the cable's furniture
    is first read."""

    __slots__ = ("before", "matches", "routing")

    def __init__(self, before: list[Furniture]) -> None:
        self.before = before  # the cable's furniture before the scan
        self.matches: list[tuple[str, int, re.Match[str]]] = []
        self.routing: list[Furniture] = []

    def __call__(self) -> list[Furniture]:
        furniture, kinds = self.before, _PIECE_KIND
        furniture += [new_part(Furniture, (kinds[kind], pos, m.end()))
                      for kind, pos, m in self.matches]
        if self.routing:
            furniture += self.routing
            furniture.sort(key=lambda f: f.start)
        return furniture

    def starts(self) -> set[int]:
        starts = {line[1] for line in self.matches}
        if self.before or self.routing:
            starts.update(f.start for f in self.before + self.routing)
        return starts


# Each pattern starts with its literal, so that the regex engine finds it at literal speed; each
# runs only when the text holds its literal (a C search cheaper still).
_QUOTE_BEGINS = tuple((literal, regex.compile(p)) for literal, p in (
    ("BEGIN", r"BEGIN\s+(?:TEXT|QUOTE)"), ("Begin", r"Begin\s+(?:[Tt]ext|[Qq]uote)"),
    ("QUOTE", r"QUOTE\b"), ("QTE", r"QTE\b")))
_Q_LITERALS = tuple(literal for literal, _ in _QUOTE_BEGINS[2:])
_QUOTE_ENDS = tuple((literal, regex.compile(p)) for literal, p in (
    ("END", r"END\s+(?:OF\s+)?(?:TEXT|QUOTE)"), ("End", r"End\s+(?:of\s+)?(?:[Tt]ext|[Qq]uote)"),
    ("UNQUOTE", r"UNQUOTE\b"), ("UNQTE", r"UNQTE\b")))


def _markers(patterns: tuple[tuple[str, re.Pattern[str]], ...], text: str, start: int, end: int
             ) -> list[tuple[int, int]]:
    found = []
    for literal, pattern in patterns:
        if literal not in text:
            continue
        for m in pattern.finditer(text, start, end):
            if m.start() and text[m.start() - 1].isalnum():
                continue  # inside a word ("UNQUOTE" holds no QUOTE)
            found.append((m.start(), m.end()))
    return sorted(found)


def _begin_markers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``_markers(_QUOTE_BEGINS, ...)``, cheaper: looking for a word of capitals costs about
    as much as reading the text (most letters of a cable in capitals are in the word), and most
    cables quote nothing. "BEGIN" and "Begin" are looked for first (two C searches, cheaper
    than one regex scan); "QUOTE" and "QTE" by their "Q" (a C memchr: Q is a rare letter)."""
    found = _markers(_QUOTE_BEGINS[:2], text, start, end) if (
        text.find("BEGIN", start, end) != -1 or text.find("Begin", start, end) != -1) else []
    at = text.find("Q", start, end)
    while at != -1:
        if text.startswith(_Q_LITERALS, at, end):  # (one test turns most Qs away)
            for literal, pattern in _QUOTE_BEGINS[2:]:
                if text.startswith(literal, at, end):
                    m = pattern.match(text, at, end)
                    if m is not None and not (at and text[at - 1].isalnum()):
                        found.append((at, m.end()))
        at = text.find("Q", at + 1, end)
    return sorted(found)



def find_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted text: BEGIN TEXT ... END TEXT, QUOTE ... UNQUOTE, QTE ... UNQTE. A begin with
    no end is no quotation."""
    begins = _begin_markers(text, start, end)
    if not begins:
        return []
    ends = _markers(_QUOTE_ENDS, text, start, end)
    end_starts = [s for s, _ in ends]  # (sorted: each begin's close is a bisection, not a
    # walk over the ends, quadratic in a text of thousands of QUOTE ... UNQUOTE)
    quotes = []
    pos = start
    for b_start, b_end in begins:
        if b_start < pos:
            continue
        k = bisect_left(end_starts, b_end)
        if k == len(ends):
            break
        quotes.append((b_start, ends[k][1]))
        pos = ends[k][1]
    return quotes


# A later section's routing block left inside the body where the sections of a long telegram
# were joined (CFPF, HistoryLab): "FM USMISSION OECD PARIS", "TO SECSTATE WASHDC IMMEDIATE
# 6155", "INFO AMEMBASSY ANKARA" and one addressee a line, then (often) the section's
# classification line. Its lines are furniture, each on its own; the HistoryLab annotations
# ("[[AMEMBASSY [[ATHENS || 39]] ||27]]") are read through.
_TO_LINE_RE = regex.compile(r"TO +\S")
# (The parse reads no YAML pack, so its addressee words are its own: the sender prefixes of
# rules/identifiers.yaml and the Department, Defense and Washington addressees.)
_ADDRESSEE_RE = regex.compile(
    r"(?:AMEMBASSY|AMCONSUL|AMCONGEN|USMISSION|USDEL|USLO|USINT|USEC|USNATO|USCINC|SECSTATE"
    r"|SECDEF|CINC|COMUS|JCS|DIA|CIA|NSC|WHITE HOUSE)\b[A-Z0-9 .,/&'()-]*")
#: A section's classification line up to its section number ("C O N F I D E N T I A L
#: SECTION 02"), read here and by the page-furniture rule.
SECTION_CLASSIFICATION = (
    r"(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|C O N F I D E N T I A L"
    r"|S E C R E T)(?://?[A-Z]+)? +SECTION +")
_ROUTING_SECTION_RE = regex.compile(SECTION_CLASSIFICATION + r"\d+ +OF +\d+ +[A-Z0-9 .'-]*")
_ANNOTATION_RE = regex.compile(r"\[\[|\]\]|\|\|[ \t]*\d+[ \t]*")


def _plain(line: str) -> str:
    """A line without its HistoryLab annotations' brackets and entity numbers."""
    return " ".join(_ANNOTATION_RE.sub(" ", line).split()) if "[[" in line else line.strip()


def _routing_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The routing lines of later sections inside the body: a TO line after a FM line (or
    after an addressee whose FM was run onto the end of the line before it), with the INFO
    and addressee lines after it and a section's classification line ending them."""
    found: list[tuple[int, int]] = []
    # (each TO line found by a C search for "\nTO ": a "^"-anchored regex tries every offset;
    # a TO on the region's first line has no line before it and is never a block's)
    at = text.find("\nTO ", start, end)
    while at != -1:
        to = at + 1
        at = text.find("\nTO ", to, end)
        if (found and to < found[-1][1]) or _TO_LINE_RE.match(text, to, end) is None:
            continue
        prev = text.rfind("\n", start, to - 1) + 1
        if prev <= start:
            continue
        before = _plain(text[prev : to - 1])
        if before.startswith("FM "):
            first = prev
        elif _ADDRESSEE_RE.fullmatch(before) and text[start : prev - 1].rstrip().endswith(" FM"):
            first = prev  # "... IN THE FM" / "AMEMBASSY BONN" / "TO SECSTATE WASHDC"
        else:
            continue
        lines = [(first, to - 1), ]
        pos = to
        while pos < end:
            nl = text.find("\n", pos, end)
            line_end = end if nl == -1 else nl
            line = _plain(text[pos:line_end])
            if not (line.startswith(("TO ", "INFO ")) or _ADDRESSEE_RE.fullmatch(line)):
                if _ROUTING_SECTION_RE.fullmatch(line):
                    lines.append((pos, line_end))
                break
            lines.append((pos, line_end))
            pos = line_end + 1
        found.extend(lines)
    return found


_FURNITURE_KIND = {
    "pageno": "page-number",
    "mdpage": "page-number",
    "pagehdr": "page-header",
    "cgpage": "page-header",
    "stamp": "release-stamp",
    "markup": "markup",
}
# The kind of each piece of furniture (a banner is one too), by its line's kind.
_PIECE_KIND = {**_FURNITURE_KIND, "banner": "banner"}


_MARKING_LABELS = frozenset({"(C)", "(S)", "(U)"})
# "c." before a number is circa ("c. 9:00 am  Depart via milair", a schedule's line).
_CIRCA_RE = regex.compile(r"[ \t]+\d")
# Single letters that are roman numerals, in a cable that numbers something "II." or "iv.".
_ROMAN_LABELS = frozenset({"I.", "V.", "X.", "i.", "v.", "x.", "(i)", "(v)", "(x)", "(I)",
                           "(V)", "(X)"})
_ROMAN_HINTS = ("II.", "IV.", "VI.", "ii.", "iv.", "vi.", "II)", "IV)", "ii)", "iv)")
_ROMAN_RE = LineRegex(r"[ \t(]*(?:II|III|IV|VI|ii|iii|iv|vi)[.)][ \t]")


class _Inline(NamedTuple):
    """A paragraph number inside a line (a sign glued on, a paragraph run on): an event of
    :func:`scan_body` as a line's match is, its kind ``lastgroup``, where it starts ``start``
    (so that the matches, the commonest events, need no test of their type)."""

    pos: int
    number: int
    nstart: int
    nend: int
    run_on: bool = False
    lastgroup = "inline"  # (no field: a class attribute)

    def start(self, kind: str | None = None) -> int:
        return self.pos


def _event_start(event: Any) -> int:
    """Where a line's match (:func:`scan_body`'s events) or a glued sign starts."""
    return event.start(event.lastgroup)  # type: ignore[no-any-return]


def _glued_starts(text: str, start: int, end: int) -> list[_Inline]:
    out = []
    # (each sign found by a C search and first told by the character before it: most signs
    # open their line, and a regex search would step through the text)
    at = text.find("¶", start, end)
    while at != -1:
        g = _GLUED_SIGN_RE.match(text, at, end) if at and text[at - 1] in " \t" else None
        if g is not None:
            line_start = text.rfind("\n", 0, at) + 1
            before = text[line_start:at]
            # (not at the start of its line, which the line regex sees, nor glued to a word)
            if before.strip() and before.rstrip()[-1] in _SENTENCE_END:
                out.append(_Inline(at, int(g["num"]), g.start("num"), g.end("num")))
        at = text.find("¶", at + 1, end)
    return out


# A numbered paragraph run onto the end of the one before it, where an export lost the line
# break (09BAKU30: "... as it can from SD2. GEORGIA 8. (C) According to BP ..."): its number
# and portion marking after a sentence's end, or after a heading's capitalised words there.
_RUN_ON_PARA_RE = regex.compile(r"(?P<num>\d{1,2})\. \((?:U|C|S|SBU|TS)(?://?[A-Z][A-Z ]*)?\) ")
_RUN_ON_HEADING_RE = regex.compile(r"(?:[ \t]+[A-Z][A-Z'-]+){0,5}[ \t]*$")


def _run_on_starts(text: str, start: int, end: int) -> list[_Inline]:
    out = []
    at = text.find(". (", start, end)  # (a C search: a number's ". (" is rare mid-line)
    while at != -1:
        # the number's one or two digits, a blank before them (most are at a line's start:
        # a test of the character two before the ". (" turns them away)
        if at >= 2 and text[at - 2] == " ":
            num = at - 1 if text[at - 1].isdigit() else -1
        else:
            num = at - 2 if at > 2 and text[at - 3] == " " and text[at - 2 : at].isdigit() else -1
        m = _RUN_ON_PARA_RE.match(text, num, end) if num != -1 else None
        if m is not None:
            lo = max(start, num - 120)  # (a heading's few words and a sentence's end: no more)
            nl = text.rfind("\n", lo, num)
            before = text[nl + 1 if nl != -1 else lo : num]
            cut = _RUN_ON_HEADING_RE.search(before)
            lead = before[: cut.start()] if cut is not None else before
            if lead.strip() and lead.rstrip()[-1] in _SENTENCE_END:
                out.append(_Inline(num, int(m["num"]), num, m.end("num"), True))
        at = text.find(". (", at + 1, end)
    return out


def _subparagraph(label: str, pos: int, slot: MarkingSlot) -> SubParagraph:
    if label.endswith("."):
        if label[0].islower():
            return new_part(SubParagraph, (label, "lower.", ord(label[0]) - 96, pos, slot))
        return new_part(SubParagraph, (label, "letter.", ord(label[0]) - 64, pos, slot))
    inner = label[1:-1]
    if inner.isdigit():
        return new_part(SubParagraph, (label, "(digit)", int(inner), pos, slot))
    if inner.isupper():
        return new_part(SubParagraph, (label, "(LETTER)", ord(inner) - 64, pos, slot))
    return new_part(SubParagraph, (label, "(letter)", ord(inner) - 96, pos, slot))
