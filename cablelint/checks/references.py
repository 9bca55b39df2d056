"""Rules on references: the reference list (``REF:``, SMART ``Reference:``) and the text's
citations of it (``REF A``, ``(reftel)``, ``REFS A-C``) agree.

The list is read from the parser's REF and REFERENCE fields and the lines that continue
them; citations are found by one scan for the citation words, each read on from where it
stands. The knowledge (citation words, connectors, months) is ``rules/references.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

from .. import regex
from ..engine import Diagnostic, Rule
from ..model import Cable
from ..packrules import find_all, folded_finds
from ..packs import load_pack


class Label(NamedTuple):
    letter: str  # upper case; a numbered list's labels are its numbers ("1", "2")
    start: int
    end: int
    skipped: tuple[str, ...] = ()  # the letters this label skips ("C" for A, B, D)
    repeated: bool = False  # the letter of the label before, again ("B) ...\nB) ...")


class RefList:
    __slots__ = ("start", "end", "labels", "count")

    def __init__(self, start: int, end: int, labels: list[Label], count: int) -> None:
        self.start = start  # offset of the list's value (after "REF:")
        self.end = end
        self.labels = labels
        self.count = count  # references at most, for an unlettered list (0: "NONE")

    @property
    def letters(self) -> list[str]:
        return [label.letter for label in self.labels]


class Citation(NamedTuple):
    start: int
    end: int
    word: str  # as written: "REFTEL", "ref", "Refs"
    letters: tuple[str, ...]  # upper case, or numbers ("REFTEL 1"); empty for a bare citation
    quoted: bool
    named: bool  # "REF STATE 12345": names the cable it cites


class References:
    __slots__ = ("lists", "citations")

    def __init__(self, lists: list[RefList], citations: list[Citation]) -> None:
        self.lists = lists
        self.citations = citations


# -- knowledge -------------------------------------------------------------------------------

class _Knowledge(NamedTuple):
    cite_re: re.Pattern[str]
    letters_re: re.Pattern[str]
    letter_only: frozenset[str]
    ranges: frozenset[str]
    no_refs: frozenset[str]
    month_re: str
    months: tuple[str, ...]


@cache
def _knowledge() -> _Knowledge:
    pack = load_pack("references")
    words = sorted(pack["citation_words"], key=len, reverse=True)
    # Each word as written in capitals, capitalised, or lower case: a literal-led alternation.
    # (longest first; ties alphabetical, so that the pattern is the same in every run and
    # its compiled program is found in the disk cache)
    forms = sorted({f for w in words for f in (w.upper(), w.capitalize(), w.lower())},
                   key=lambda f: (-len(f), f))
    cite_re = regex.compile(r"(?:" + "|".join(re.escape(f) for f in forms) + r")(?![A-Za-z])")
    connectors = [*pack["list_connectors"], *pack["range_connectors"]]
    conn = "|".join(re.escape(c) for c in sorted(connectors, key=len, reverse=True))
    # ("ref. A, p. 8": "p." and a number is a page, not reference P)
    letter = r"(?:\([A-Za-z]\)|(?![Pp]\.[ \t]*\d)[A-Za-z](?![A-Za-z0-9'’]))"
    letters_re = regex.compile(
        rf"[ \t]*\.?[ \t]*(?:\n[ \t]*)?(?P<first>{letter})"
        rf"(?P<more>(?:[ \t]*(?i:{conn})[ \t]*{letter})*)")
    months = tuple(pack["months"])
    return _Knowledge(
        cite_re, letters_re, frozenset(pack["letter_only_words"]),
        frozenset(c.lower() for c in pack["range_connectors"]),
        frozenset(v.upper() for v in pack["no_references"]),
        "|".join(months), months)


# -- the reference list ----------------------------------------------------------------------

# (A letter and ")" may be glued to the entry's capital or digit: "REF: A)STATE 179915 B) ...")
_LABEL_RE = regex.compile(
    r"(?<![^\s;,:>¶\ufffd])(?:\((?P<p>[A-Za-z])\)(?=[ \t\n]*\S)"
    r"|(?P<d>[A-Za-z])(?:\.(?=[ \t\n]+\S)|\)(?=[ \t\n]+\S|[A-Z0-9])))")
_NEXT_LABEL_RE = regex.compile(
    r"[ \t>*¶\ufffd]*(?:\((?P<p>[A-Za-z])\)|(?P<d>[A-Za-z])[.)])[ \t]+\S")
_FIRST_NUMBERED_RE = regex.compile(
    r"[ \t>*]*(?:\((?P<p>1)\)|(?P<d>1)[.)])[ \t]+(?:\d{2,4}[ \t]+)?[A-Z][A-Za-z]+[ \t]+\d")
_NEXT_NUMBER_RE = regex.compile(r"[ \t>*¶\ufffd]*(?:\((?P<p>\d{1,2})\)|(?P<d>\d{1,2})[.)])[ \t]+\S")
# A line that ends the list: a numbered paragraph, a label, a table row, a marked paragraph.
_STOP_RE = regex.compile(
    r"[ \t>#*]*(?:(?:¶|\ufffd)?\d{1,3}\.(?:[ \t]|$)|\||\*\*|[A-Za-z][A-Za-z ./]{0,24}:"
    r"|\((?:U|SBU|LOU|TS|[CS]/[^)\n]*|U/[^)\n]*)\))")
_DIGITS_RE = regex.compile(r"\d+")


def _rank(label: str) -> int:
    """A label's place in its list: A and 1 are first."""
    return int(label) if label.isdigit() else ord(label) - 64


def _nth(rank: int, numbered: bool) -> str:
    return str(rank) if numbered else chr(rank + 64)


def _letters(text: str, start: int, end: int) -> list[Label]:
    """The letter labels of a list, in order: A first, each the next letter (a letter or two
    skipped is recorded), duplicates ("A. (A) PARIS") and other parentheses ignored; the
    same letter again in the list's style at an entry's start is recorded as repeated.
    A list with no letters may be numbered ("1. ROME 1902, 2. STATE 31565")."""
    labels = _lettered(text, start, end)
    return labels or _numbered(text, start, end)


# A number label: "1.", "2)", "(3)", before its entry (never a serial's digits: "1902,").
_NUMBER_LABEL_RE = regex.compile(
    r"(?<![^\s;,:>¶\ufffd])(?:\((?P<p>\d{1,2})\)|(?P<d>\d{1,2})[.)])(?=[ \t\n]+\S)")


def _numbered(text: str, start: int, end: int) -> list[Label]:
    """The number labels of a list that opens with "1." (or "1)", "(1)"): each the next
    number in the list's style where an entry starts (line start, after ";" or ",", two
    spaces, or a space after the entry before's serial, bracket or stop: "ROME 1902 2. STATE 7");
    numbers elsewhere ("PARA 2.") are the entries' own."""
    labels: list[Label] = []
    style = ""
    for m in _NUMBER_LABEL_RE.finditer(text, start, end):
        raw = m["p"] or m["d"]
        this_style = "p" if m["p"] else "d" + text[m.end() - 1]
        if not labels:
            if raw != "1" or text[start : m.start()].strip(" \t\n>*~_¶\ufffd"):
                return []  # a number inside the list's first entry: not a numbered list
            labels.append(Label("1", m.start(), m.end()))
            style = this_style
            continue
        if this_style != style:
            continue
        at_entry = _entry_start(text, m.start()) or (
            text[m.start() - 1 : m.start()] == " " and text[m.start() - 2 : m.start() - 1] in
            set("0123456789).,"))
        if not at_entry:
            continue
        last = int(labels[-1].letter)
        number = int(raw)
        if number == last + 1:
            labels.append(Label(raw, m.start(), m.end()))
        elif number == last and not labels[-1].repeated:
            labels.append(Label(raw, m.start(), m.end(), repeated=True))
        elif 1 < number - last <= 3:
            skipped = tuple(str(n) for n in range(last + 1, number))
            labels.append(Label(raw, m.start(), m.end(), skipped))
    return labels


def _lettered(text: str, start: int, end: int) -> list[Label]:
    labels: list[Label] = []
    style = ""
    for m in _LABEL_RE.finditer(text, start, end):
        raw = m["p"] or m["d"]
        letter = raw.upper()
        this_style = "p" if m["p"] else "d" + text[m.end() - 1]
        if not labels:
            if letter == "A":
                labels.append(Label("A", m.start(), m.end()))
                style = this_style
            continue
        last = labels[-1].letter
        if letter == last:
            if this_style == style and _entry_start(text, m.start()) and not labels[-1].repeated:
                labels.append(Label(letter, m.start(), m.end(), repeated=True))
            continue
        gap = ord(letter) - ord(last)
        if gap == 1:
            labels.append(Label(letter, m.start(), m.end()))
        elif 1 < gap <= 3 and this_style == style and _entry_start(text, m.start()):
            skipped = tuple(chr(c) for c in range(ord(last) + 1, ord(letter)))
            labels.append(Label(letter, m.start(), m.end(), skipped))
    return labels


def _entry_start(text: str, pos: int) -> bool:
    """Does a label at ``pos`` start an entry (line start, after ``;`` or ``,``, or after two
    spaces)?"""
    before = text[max(0, pos - 2) : pos]
    line_start = text.rfind("\n", 0, pos) + 1
    return (not text[line_start:pos].strip(" \t>*¶\ufffd") or before.endswith(("; ", ", ", "  "))
            or before[-1:] in ";,")


def _furniture_starts(cable: Cable) -> frozenset[int]:
    """Where the cable's page furniture starts (memoised: a text of thousands of REF lists,
    a corpus saved as one file, asked it once a list)."""
    starts = cable.memo.get("furniture_starts")
    if starts is None:
        starts = cable.memo["furniture_starts"] = frozenset(f.start for f in cable.furniture)
    assert isinstance(starts, frozenset)
    return starts


def _block_end(cable: Cable, value_start: int) -> tuple[int, list[Label] | None]:
    """Where the list that starts at ``value_start`` ends: its first line, the lines that go
    on with it, and after a blank line or page furniture a line with the next letter; with
    the list's labels when they were read to decide that (else None)."""
    text = cable.text
    furniture: frozenset[int] | None = None
    nl = text.find("\n", value_start)
    end = len(text) if nl == -1 else nl
    pos = end + 1
    pending = False  # a blank line or furniture since the last line of the list
    skipped = 0
    labels: list[Label] | None = None
    while pos < len(text) and skipped < 8:
        nl = text.find("\n", pos)
        line_end = len(text) if nl == -1 else nl
        line = text[pos:line_end]
        if furniture is None and line.strip(" \t>*"):
            furniture = _furniture_starts(cable)
        if not line.strip(" \t>*") or pos in (furniture or ()):
            pending = True
            skipped += 1
        elif pending or _STOP_RE.match(line):
            labels = _letters(text, value_start, end)
            if not labels and not pending and not text[value_start:end].strip(" \t*"):
                # "REF:" alone, its list numbered on the lines below ("1. STATE 1234")
                m = _FIRST_NUMBERED_RE.match(line)
                expected = "1"
            elif labels and labels[-1].letter.isdigit():
                # a numbered list goes on only on the very next line ("2. ROME 567"): after
                # a blank line, a number starts the text's paragraphs
                m = None if pending else _NEXT_NUMBER_RE.match(line)
                expected = str(int(labels[-1].letter) + 1)
            else:
                m = _NEXT_LABEL_RE.match(line)
                expected = chr(ord(labels[-1].letter) + 1) if labels else ""
            if not (m and expected and (m["p"] or m["d"]).upper() == expected):
                break
            end, pending, skipped = line_end, False, 0
        else:
            end = line_end
        labels = None  # (read up to an earlier end)
        pos = line_end + 1
    return end, labels


def _ref_list(cable: Cable, value_start: int) -> RefList:
    end, labels = _block_end(cable, value_start)
    if labels is None:
        labels = _letters(cable.text, value_start, end)
    stripped = " ".join(cable.text[value_start:end].split()).strip(" \t*~_.|").upper()
    if not labels and (not stripped or stripped in _knowledge().no_refs):
        return RefList(value_start, end, [], 0)
    count = max(1, len(_DIGITS_RE.findall(cable.text, value_start, end)))
    return RefList(value_start, end, labels, count)


# -- citations -------------------------------------------------------------------------------

_NAMED_RE = regex.compile(
    r"[ \t]*[:(]?[ \t]*(?:\(?\d{2,4}\)?[ \t]+)?[A-Z][A-Za-z]+(?:[ \t][A-Z][A-Za-z]+){0,3}"
    r"[ \t]+\d")
_BEFORE_OK = frozenset(" \t\n(\"'[“‘—")


_TOKEN_RE = regex.compile(r"\(([A-Za-z])\)|([A-Za-z]+)|([,&\-–])")


def _letter_list(k: _Knowledge, text: str, pos: int) -> tuple[tuple[str, ...], int]:
    """Read the letters after a citation word at ``pos``: ``A``, ``(B)``, ``A AND B``,
    ``A-C``; a lone ``A`` or ``I`` followed by a word is an article or a pronoun."""
    m = k.letters_re.match(text, pos)
    if m is None:
        return (), pos
    letters: list[str] = []
    ends: list[int] = []
    ranged = False
    last_bare = False
    for t in _TOKEN_RE.finditer(text, m.start("first"), m.end()):
        paren, word, _sym = t.groups()
        if paren or (word and len(word) == 1):
            letter = (paren or word).upper()
            if letters and ranged and letter > letters[-1]:
                letters += [chr(c) for c in range(ord(letters[-1]) + 1, ord(letter) + 1)]
            else:
                letters.append(letter)
            ends.append(t.end())
            last_bare = not paren
            ranged = False
        else:
            ranged = (word or _sym or "").lower() in k.ranges
    # "REFTEL A SENIOR OFFICIAL", "REF A AND I MET": an article or a pronoun, not a letter
    if last_bare and letters[-1] in "AI" and _WORD_FOLLOWS_RE.match(text, ends[-1]) and (
            len(letters) == 1 or not ranged):
        letters.pop()
        ends.pop()
    return tuple(letters), (ends[-1] if ends else pos)


_WORD_FOLLOWS_RE = regex.compile(r"[ \t]+[A-Za-z]")

# A number after a citation word, in a cable whose list is numbered: "REFTEL 1", "(REF 2)",
# "REFS 1 AND 2", "REFS (1)-(3)"; one or two digits, not a date's or a serial's ("REF 2/3",
# "REF 12.5").
_NUMBER = r"(?:\(\d{1,2}\)|\d{1,2}(?![\w'’/:]|[.,]\d))"
_NUMBER_TOKEN_RE = regex.compile(r"\((\d{1,2})\)|(\d{1,2})|([A-Za-z]+|[,&\-–])")
# After the number, a post and a serial: the number is the cited cable's year ("REF 85 ROME 1902").
_YEAR_OF_RE = regex.compile(r"[ \t]+(?P<post>[A-Z][A-Za-z.]+(?:[ \t][A-Z][A-Za-z.]+){0,3})[ \t]+\d")


@cache
def _numbers_re() -> re.Pattern[str]:
    pack = _knowledge_pack()
    connectors = [*pack["list_connectors"], *pack["range_connectors"]]
    conn = "|".join(re.escape(c) for c in sorted(connectors, key=len, reverse=True))
    return regex.compile(rf"[ \t]*\.?[ \t]*(?P<first>{_NUMBER})"
                         rf"(?P<more>(?:[ \t]*(?i:{conn})[ \t]*{_NUMBER})*)")


def _number_list(k: _Knowledge, text: str, pos: int) -> tuple[tuple[str, ...], int]:
    """Read the numbers after a citation word at ``pos`` as ``_letter_list`` reads letters."""
    m = _numbers_re().match(text, pos)
    if m is None:
        return (), pos
    y = _YEAR_OF_RE.match(text, m.end("first"))
    if y and y["post"].upper() in _stations():
        return (), pos
    numbers: list[int] = []
    ranged = False
    end = pos
    for t in _NUMBER_TOKEN_RE.finditer(text, m.start("first"), m.end()):
        paren, bare, other = t.groups()
        if paren or bare:
            n = int(paren or bare)
            if numbers and ranged and n > numbers[-1]:
                numbers += range(numbers[-1] + 1, n + 1)
            else:
                numbers.append(n)
            end = t.end()
            ranged = False
        else:
            ranged = other.lower() in k.ranges
    return tuple(str(n) for n in numbers), end


def _citation_words(k: _Knowledge, cable: Cable) -> Iterator[re.Match[str]]:
    """The citation words in text order that stand where a citation can (at the start of
    the text or after a space, a line break, an opening bracket or quotation mark), found
    where one of the three spellings of "ref" stands: one search of the cable's folded text
    (a regex scan of the whole text is several times slower, and so are three searches)."""
    text = cable.text
    hits = folded_finds(cable, "ref")
    if hits is None:  # a text with no folded form: a search for each spelling
        hits = sorted(pos for literal in _REF_SPELLINGS for pos in find_all(text, literal))
    for pos in hits:
        if text.startswith(_REF_SPELLINGS, pos) and (not pos or text[pos - 1] in _BEFORE_OK):
            m = k.cite_re.match(text, pos)
            if m is not None:
                yield m


_REF_SPELLINGS = ("REF", "Ref", "ref")


def references(cable: Cable) -> References:
    """The cable's reference lists and citations (memoised)."""
    found = cable.memo.get("references")
    if found is None:
        found = cable.memo["references"] = _references(cable)
    assert isinstance(found, References)
    return found


def _references(cable: Cable) -> References:
    lists: list[RefList] = []
    if cable.first("REF") or cable.first("REFERENCE"):
        for f in cable.fields:
            if f.name in ("REF", "REFERENCE") and not cable.quoted(f.start):
                lists.append(_ref_list(cable, f.start))
    # a numbered list is cited by number ("REFTEL 1"); elsewhere a number is no label
    numbered = any(rl.labels and rl.labels[0].letter.isdigit() for rl in lists)
    text = cable.text
    k = _knowledge()
    citations: list[Citation] = []
    for m in _citation_words(k, cable):  # (not after "?ref=", "x-ref", "/ref")
        start = m.start()
        if any(rl.start - 12 <= start < rl.end for rl in lists):
            continue  # the list itself ("REF: REF (A) MADRID 3785")
        after = m.end()
        colon = text.find(":", after, after + 3)
        if colon != -1 and not text[after:colon].strip(" \t."):
            if _line_start(text, start):
                if m.group().upper().startswith("REF") and not cable.quoted(start):
                    # a REF line the header did not read
                    lists.append(_ref_list(cable, colon + 1))
                continue
            after = colon + 1  # "(Refs: A, B)"
        word = m.group()
        letters, end = _letter_list(k, text, after)
        if not letters and numbered:
            letters, end = _number_list(k, text, after)
        if not letters and word.lower() in k.letter_only:
            continue
        named = not letters and bool(_NAMED_RE.match(text, m.end()))
        citations.append(Citation(start, end if letters else m.end(), word, letters,
                                  cable.quoted(start), named))
    return References(lists, citations)


# -- dates in the list -----------------------------------------------------------------------

@cache
def _date_res() -> tuple[re.Pattern[str], ...]:
    months = _knowledge().month_re
    return (
        regex.compile(rf"(?i)(?<![\d/])(?P<d>[0-3]?\d)[0-2]\d[0-5]\dZ[ \t]*(?P<m>{months})[A-Z]*"
                   rf"[ \t]*(?P<y>\d{{2}}|\d{{4}})\b"),
        regex.compile(rf"(?i)(?<![\w/-])(?P<d>[0-3]?\d)[ \t-]*(?P<m>{months})[A-Z]*\.?[ \t,-]*"
                   rf"(?P<y>(?:19|20)\d{{2}}|\d{{2}})(?![\w/-])"),
        regex.compile(rf"(?i)(?<![\w/-])(?P<m>{months})[A-Z]*\.?[ \t]+(?P<d>[0-3]?\d),?[ \t]+"
                   rf"(?P<y>(?:19|20)\d{{2}})(?![\w/-])"),
    )


@cache
def _month_re() -> re.Pattern[str]:
    """A month's name in capitals (as the pack writes them)."""
    return regex.compile(_knowledge().month_re)


_YEAR_PREFIX_RE = regex.compile(
    r"[ \t>*]*\(?(?P<y>\d{2}|(?:19|20)\d{2})\)?[ \t]+(?P<post>[A-Z][A-Za-z.]+"
    r"(?:[ \t][A-Z][A-Za-z.]+){0,3})[ \t]+\d{1,7}\b")
_ENTRY_SPLIT_RE = regex.compile(r"[;\n]")


@cache
def _stations() -> frozenset[str]:
    """Posts that number cables ("09 MADRID 1161", "2010 STATE 6668"); a number before
    anything else is no year ("12 FAM 090")."""
    pack = load_pack("gazetteer/posts")
    return frozenset([*pack["stations"], *_knowledge_pack()["originators"]])


def _knowledge_pack() -> Mapping[str, Any]:
    pack: Mapping[str, Any] = load_pack("references")
    return pack


def _year(two_or_four: str) -> int:
    y = int(two_or_four)
    if len(two_or_four) == 4:
        return y
    return 2000 + y if y < 50 else 1900 + y


def _entries_at(text: str, rl: RefList, positions: list[int]) -> list[tuple[int, int]]:
    """The entries of a list (between labels, and at ``;`` and line ends) that hold one of
    ``positions`` (digits, so never inside a label), in order, without cutting the whole
    list."""
    found: list[tuple[int, int]] = []
    for p in positions:
        a = max(rl.start, text.rfind(";", rl.start, p) + 1, text.rfind("\n", rl.start, p) + 1)
        b = min([rl.end, *(x for x in (text.find(";", p, rl.end), text.find("\n", p, rl.end))
                           if x != -1)])
        for label in rl.labels:
            for cut in (label.start, label.end):
                if a < cut <= p:
                    a = cut
                elif p < cut < b:
                    b = cut
        if not found or found[-1] != (a, b):
            found.append((a, b))
    return found


def postdated(cable: Cable, rl: RefList) -> Iterator[tuple[int, int, str]]:
    """``(start, end, date as stated)`` of each reference dated after the cable."""
    text = cable.text
    # Every year the list states (a year prefix, or the year of a date) is a whole run of
    # two or four digits: the patterns put no digit before or after it, and entries are cut
    # at labels, ";" and line ends, never inside a number. Most lists have none late enough.
    runs = [(m.start(), _year(m.group())) for m in _DIGITS_RE.finditer(text, rl.start, rl.end)
            if len(m.group()) in (2, 4)]
    if not runs:
        return
    date = cable.date
    if date is None:
        return
    # Only an entry that states a year of the cable or later can yield.
    late = [pos for pos, year in runs if year >= date.year]
    if not late:
        return
    months = _knowledge().months
    # (each date pattern holds a month's name, which most lists have none of: one search
    # of the list in capitals, where every spelling a case-blind pattern matches is in
    # capitals too, costs a fifth of the three patterns; a case-blind search as much as they)
    dated = _month_re().search(text[rl.start : rl.end].upper()) is not None and any(
        date_re.search(text, rl.start, rl.end) for date_re in _date_res())
    for a, b in _entries_at(text, rl, late):
        y = _YEAR_PREFIX_RE.match(text, a, b)
        if y and y["post"].upper() in _stations() and _year(y["y"]) > date.year:
            yield y.start("y"), y.end("y"), f"the year {_year(y['y'])}"
            continue
        for date_re in _date_res() if dated else ():
            m = date_re.search(text, a, b)
            if m is None:
                continue
            try:
                stated = dt.date(_year(m["y"]), months.index(m["m"].upper()[:3]) + 1,
                                 int(m["d"]))
            except ValueError:
                break
            if stated > date + dt.timedelta(days=1):
                yield m.start(), m.end(), stated.isoformat()
            break


# -- rules -----------------------------------------------------------------------------------

def _has_header_refs(cable: Cable) -> bool:
    """Does the header mention a reference in any way (a REF line the parser did not read,
    "PRIMEREF:", "Reference:")?"""
    head = cable.text[: max(cable.body_start, cable.header_start)].upper()
    return bool(re.search(r"(?<![A-Z])REF(?:S|TELS?)?\b|REF[A-Z]*\s*:", head))


def _span(letters: list[str]) -> str:
    """"only A", "A-C", or "A, B, D" when letters are missing."""
    if len(letters) == 1:
        return f"only {letters[0]}"
    if _rank(letters[-1]) - _rank(letters[0]) + 1 == len(letters):
        return f"{letters[0]}-{letters[-1]}"
    return ", ".join(letters)


class ReferenceUnlisted(Rule):
    """Every reference the text cites is in the reference list, and the list is sound.

    ``REF C`` in a cable whose list has only A and B, or ``REFTEL`` in a cable with no REF
    line, points at a reference the reader cannot find: the list lost a line, or the letter
    is wrong. The list itself must not skip letters (A, B, D), must not label two entries
    alike (A, B, B: each at an entry's start, in the list's style) and must not cite a reference
    dated after the cable (an explicit date, ``05 MAR 08``, ``NOV 2, 1966``, a DTG, or a
    year prefix such as ``21 MEXICO 400`` in a 2020 cable; a later serial number is no date).
    Citations read: ``REF A``, ``(Ref B)``, ``REFTEL C``, ``reftel``, ``REFS A-C``,
    ``A THROUGH C``, ``REF A AND B``, ``REF (A)``. An unlettered list of several references
    is lettered in order. A numbered list (``REF: 1. ROME 1902, 2. STATE 31565``, ``REFS: (1)
    ...``) is read like a lettered one and cited by number (``REFTEL 1``, ``(REF 2)``).
    Quoted messages cite their own lists and are not checked. The citation words are
    ``rules/references.yaml``.

    Failing::

        REF: A. 08 STATE 1234
             B. 08 BOGOTA 567

        1. (U) AS REPORTED REF C, ...      <- R001 'REF C' cites reference C, but the reference
                                              list has A-B

    Passing::

        REF: A. 08 STATE 1234
             B. 08 BOGOTA 567

        1. (U) AS REPORTED REF B, ...
    """

    code = "R001"
    name = "reference-unlisted"
    severity = "warning"
    summary = "Cited references are in the reference list; the list skips no letter"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if cable.format == "unknown":
            return
        refs = references(cable)
        own = [c for c in refs.citations if not c.quoted and not c.named]
        lists = refs.lists
        if not lists:
            yield from self._no_list(cable, own)
            return
        for rl in lists:
            for label in rl.labels:
                if label.repeated:
                    yield Diagnostic(label.start, label.end,
                                     f"the reference list repeats label {label.letter}: "
                                     f"{label.letter} is followed by {label.letter}")
                elif label.skipped:
                    prev = _nth(_rank(label.letter) - len(label.skipped) - 1,
                                label.letter.isdigit())
                    yield Diagnostic(label.start, label.end,
                                     f"the reference list skips {', '.join(label.skipped)}: "
                                     f"{prev} is followed by {label.letter}")
            for start, end, stated in postdated(cable, rl):
                yield Diagnostic(start, end, f"a reference dated {stated} postdates the cable "
                                 f"({cable.date.isoformat() if cable.date else ''})")
        labelled = {letter for rl in lists for letter in rl.letters}
        lettered = sorted(x for x in labelled if not x.isdigit())
        numbers = sorted((x for x in labelled if x.isdigit()), key=int)
        count = max(rl.count for rl in lists)
        seen: set[str] = set()
        for c in own:
            for letter in c.letters:
                if letter in seen:
                    continue
                if letter.isdigit():  # (read only where a list is numbered)
                    listed = letter in numbers
                    has = f"has {_span(numbers)}"
                elif lettered:
                    listed = letter in lettered
                    has = f"has {_span(lettered)}"
                elif count:
                    listed = ord(letter) - 64 <= count
                    has = ("has one unlettered reference" if count == 1
                           else f"has at most {count} unlettered references")
                else:
                    listed = False
                    has = "says there is none"
                if listed:
                    continue
                seen.add(letter)
                yield Diagnostic(c.start, c.end, f"'{_quote(cable, c)}' cites reference "
                                 f"{letter}, but the reference list {has}")
            if not c.letters and not lettered and count == 0 and "" not in seen:
                seen.add("")
                yield Diagnostic(c.start, c.end, f"'{c.word}' cites a reference, but the "
                                 "reference line says there is none")

    def _no_list(self, cable: Cable, own: list[Citation]) -> Iterator[Diagnostic]:
        if (not own or cable.format == "historylab" or cable.partial_extract
                or any(_line_start(cable.text, c.start) for c in own)  # "REF A. STATE 12"
                or not (cable.first("SUBJECT", "telegram") or cable.first("SUBJECT", "smart"))
                or _has_header_refs(cable)):
            return
        c = own[0]
        yield Diagnostic(c.start, c.end, f"'{_quote(cable, c)}' cites a reference, but the "
                         "cable has no reference list (REF line)")


def _line_start(text: str, pos: int) -> bool:
    return not text[text.rfind("\n", 0, pos) + 1 : pos].strip(" \t>*#")


def _quote(cable: Cable, c: Citation) -> str:
    return " ".join(cable.text[c.start : c.end].split())


class ReferenceUncited(Rule):
    """Every lettered reference in the list is cited in the text.

    A reference listed as ``C. OSLO 374`` that the text never cites (no ``REF C``, no
    ``REFS B-C``, no mention of ``OSLO 374``) was cited by a paragraph that was lost, or
    carried over from another cable. Only lettered (or numbered: ``1. ROME 1902``, cited as
    ``REFTEL 1``) lists of two or more references are checked, and only when every citation
    names its letter: a bare ``REFTEL`` or ``REFS`` may cite any of them, and a single
    reference is often not cited at all. A numbered list that the text cites by letters
    alone (``REF A``) is not checked: no letter names one of its entries.

    Failing::

        REF: A. MADRID 720
             B. MADRID 707          <- R002 reference B 'MADRID 707' is listed but never cited

        1. (U) AS REPORTED REF A, ...

    Passing::

        REF: A. MADRID 720
             B. MADRID 707

        1. (U) AS REPORTED REFS A AND B, ...
    """

    code = "R002"
    name = "reference-uncited"
    severity = "info"
    summary = "Listed references (A, B, ...) are cited in the text"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if not cable.fields:
            return
        refs = references(cable)
        lists = [rl for rl in refs.lists if len(rl.labels) >= 2]
        if not lists or any(not c.letters and not c.named for c in refs.citations):
            return
        cited = {letter for c in refs.citations for letter in c.letters}
        if not cited:
            return  # a cable that cites no reference by letter lists them as background
        text = cable.text
        reported: set[str] = set()
        by_number = any(letter.isdigit() for letter in cited)
        for rl in lists:
            if rl.labels[0].letter.isdigit() and not by_number:
                continue  # a numbered list, the text citing letters: no letter names an entry
            entries = _lettered_entries(text, rl)
            for label, (a, b) in zip(rl.labels, entries, strict=True):
                if label.letter in cited or label.letter in reported:
                    continue
                entry = " ".join(text[a:b].split()).strip(" ;,.¶\ufffd")
                serial = _SERIAL_RE.search(entry)
                if serial is None or _mentioned(text, serial.group(), rl, refs.lists):
                    continue  # not a cable's number ("2007 AND PREVIOUS"), or cited by it
                reported.add(label.letter)
                shown = entry if len(entry) <= 40 else entry[:37] + "..."
                yield Diagnostic(label.start, label.end, f"reference {label.letter} "
                                 f"'{shown}' is listed but never cited")


_SERIAL_RE = regex.compile(r"[A-Z][A-Za-z]+[ \t]+\d{2,7}\b")


def _lettered_entries(text: str, rl: RefList) -> list[tuple[int, int]]:
    ends = [label.start for label in rl.labels[1:]] + [rl.end]
    return [(label.end, end) for label, end in zip(rl.labels, ends, strict=True)]


def _mentioned(text: str, serial: str, rl: RefList, lists: list[RefList]) -> bool:
    """Is the serial ("OSLO 374") written anywhere outside the reference lists?"""
    pos = text.find(serial)
    while pos != -1:
        if not any(other.start <= pos < other.end for other in lists):
            return True
        pos = text.find(serial, pos + 1)
    return False
