"""OCR misreadings of known terms: a list of known confusions and gazetteer near-misses."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import chain, compress, filterfalse
from operator import itemgetter
from pathlib import Path
from typing import Any

from .. import regex
from ..confusions import (
    TOKEN_RE,
    Confusions,
    confusions,
    known_words,
    ocr_pairs,
    token_char,
    variants,
)
from ..engine import Diagnostic, Fix, Rule
from ..markings import vocabulary
from ..model import Cable, Field, Heading, MarkingSlot, Paragraph, word_tokens
from ..packs import cached_tables, load_pack, pack_path
from .stations import station
from .textbytes import marked_runs

# Getters of named-tuple fields by position (C speed, no attribute look-up).
_LABEL = itemgetter(Field._fields.index("label"))
_NAME = itemgetter(Field._fields.index("name"))
_PARAGRAPH_SLOT = itemgetter(Paragraph._fields.index("slot"))
_HEADING_SLOT = itemgetter(Heading._fields.index("slot"))
_SUBPARAGRAPHS = itemgetter(Paragraph._fields.index("subparagraphs"))
_RAW = itemgetter(MarkingSlot._fields.index("raw"))
# A lower-case l next to a capital, and the upper-case word with l's it belongs to.
# Anchored on the l (a literal: a C-speed scan), the capital looked for around it; a small
# letter other than l on either side ("Also", "Clinton", "will") puts it in no upper-case
# word, so the pattern turns it away (each pair found costs a look at its whole word). The
# character after the l is read first, and taken (a plain step, not a look-ahead, which
# costs sre a nested match at each of the hundreds of l's of prose): a small letter turns
# away most l's at once; the look-behinds then read the character before the l (their
# dots take a line break too, hence ``(?s)``). A match spans the l and the character after
# it; an l that ends the text is looked at apart (:func:`_l_pair`).
_L_PAIR_RE = regex.compile(r"(?s)l[^a-km-z](?<![a-km-z]..)(?:(?<=[A-Z]..)|(?<=[A-Z]))")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _l_pair(text: str, pos: int) -> int:
    """The offset of the first l at ``pos`` or after it with a capital beside it and no small
    letter other than l on either side (-1 if none)."""
    m = _L_PAIR_RE.search(text, pos)
    if m is not None:
        return m.start()
    # the last character, which the pattern cannot take with one after it
    last = len(text) - 1
    if last >= max(pos, 1) and text[last] == "l" and text[last - 1] in _UPPER:
        return last
    return -1
_L_WORD_RE = regex.compile(r"[A-Zl]{4,}")
# An upper-case word ending "INQ" or "INQS": OCR read the G of "-ING" as Q ("DURINQ",
# "REOPENINQ", "CROSSINQS"); no English word ends so.
_INQ_RE = regex.compile(r"\b[A-Z]{2,}INQS?\b")
_Q_NOT_QU_RE = regex.compile(r"Q(?!U)")


#: How many Qs _has_inq looks at one by one before it searches for "INQ" in C: a Q costs
#: about a twentieth of that search, and an Iraq cable has hundreds ("IRAQ").
_INQ_Q_LOOKS = 8


def _has_inq(text: str) -> bool:
    """Does "INQ" stand in the text? (Each of the first Qs found by a memchr, two characters
    looked at: a third of the cost of a search for the three characters.)"""
    at = text.find("Q")
    for _ in range(_INQ_Q_LOOKS):
        if at == -1:
            return False
        if at >= 2 and text.startswith("IN", at - 2):
            return True
        at = text.find("Q", at + 1)
    return at != -1 and text.find("INQ", at - 2) != -1


# A digit OCR reads for a small letter, between two small letters.
# Anchored on the digit (rarer than a small letter), the letters looked for around it.
_LOWER_DIGIT_RE = regex.compile(r"[015](?<=[a-z][015])(?=[a-z])")
_DIGIT_LETTER = {"0": "o", "1": "l", "5": "s"}
_SMALL = frozenset("abcdefghijklmnopqrstuvwxyz")
#: ASCII characters that are no letter (digits, blanks, signs): no digit after one is a
#: misread letter of a word.
_NO_LETTER = frozenset(chr(c) for c in range(128) if not chr(c).isalpha())
# The table of word_tokens that also upper-cases: a token's bytes, a-z as A-Z; the others
# (and 0x80-0xFF) separate tokens.
_SEPARATE_UPPER = bytes(b - 32 if 0x61 <= b <= 0x7A else b if b < 0x80 and (
    chr(b).isalnum() or chr(b) == "|") else 0x20 for b in range(256))


def _digit_between_small(text: str) -> bool:
    """Does a 0, 1 or 5 stand between two small letters, or at the edge of a word of small
    letters (``Internationa1``, ``G0vernment``)? A text has some fifty of these digits: each
    is found by ``str.find`` (memchr) and only its neighbours are read (a third cheaper than
    translating the whole text to search it for the pattern)."""
    find = text.find
    small = _SMALL  # (locals: read once per digit)
    plain = _NO_LETTER
    for digit in "015":
        i = find(digit, 1)  # (one at 0 has no letter before it)
        while i != -1:
            before = text[i - 1]
            # most digits follow a digit, a blank or a sign: one look turns them away
            if before not in plain:
                # the next character by a slice: "" at the text's end is no letter
                after = text[i + 1 : i + 2]
                if before in small:
                    if after in small or not after.isalnum():
                        return True
                elif after in small and before.isupper():
                    return True
            # the same digit right after this one has a digit before it: no letter
            i = find(digit, i + 2)
    return False


# A 0, 1 or 5 at the edge of a word of small letters: after its capital ("G0vernment",
# "A1though") or at its end ("Internationa1", "Janeir0"). Read only as a known word.
_EDGE_DIGIT_RE = regex.compile(
    r"[015](?:(?<=\b[A-Z][015])(?=[a-z]{3,}\b)|(?<=[A-Za-z][a-z]{3}[015])(?![A-Za-z0-9]))")
_EDGE_LETTERS = {"0": "oO", "1": "lI", "5": "sS"}


# Address lines read for misread short words of post names: a routing indicator, the name.
_ADDRESS_FIELDS = frozenset(("FM", "FROM", "TO", "INFO"))


@lru_cache(maxsize=1)
def _post_name_re() -> re.Pattern[str]:
    """A post's name after its sender prefix in an address line, the prefixes and the
    precedence words read from rules/identifiers.yaml (as station() reads them). The name's
    words hold a letter and stop before a precedence: "AMCONSUL SAO PAULO PRIORITY 5165"
    reads "SAO PAULO", the same in every cable, which station() memoises."""
    ids = load_pack("identifiers")
    prefixes = "|".join(re.escape(p) for p in sorted(ids["sender_prefixes"], key=len, reverse=True))
    suffixes = "|".join(re.escape(w) for w in ids["sender_suffixes"])
    word = r"[0-9|]*[A-Zl][A-Z0-9l|.'-]*"
    return regex.compile(rf"\b(?:{prefixes}) +(?P<name>{word}(?: (?!(?:{suffixes})\b){word})*)")


@lru_cache(maxsize=4096)  # the same address lines come back cable after cable
def _post_word_in(line: str, pos: int) -> tuple[int, str, str] | None:
    """(offset in ``line``, word, correction) of the misread short word of the post named
    in ``line`` from ``pos`` on (see :func:`_short_word_reading`); None if the name is a
    known station, or no one confusion makes it one."""
    m = _post_name_re().search(line, pos)
    if m is None or station(m["name"]) is not None:
        return None
    found = _short_word_reading(m["name"])
    if found is None:
        return None
    at, word, right = found
    return m.start("name") + at, word, right


_ADDRESS_TOKEN_RE = regex.compile(r"(?<![A-Za-z0-9|])[A-Z]{5,}(?![A-Za-z0-9|])")


@lru_cache(maxsize=1)
def _slips() -> dict[str, str]:
    """Each address word (``address_words`` of ``rules/ocr.yaml``: sender prefixes, the
    Department's address, precedences) with one letter dropped or doubled -> the word; a
    spelling that is a known word or a post's word is left out. Kept in the disk cache: the
    known words it is checked against are a table a one-file run need not read."""
    sources = [pack_path("ocr"), pack_path("words"), pack_path("gazetteer/posts"),
               Path(__file__)]
    return cached_tables("ocr-slips", sources, _build_slips, lambda value: isinstance(
        value, dict) and all(type(k) is str and type(v) is str for k, v in value.items()))


def _build_slips() -> dict[str, str]:
    words = known_words()
    out: dict[str, str] = {}
    for word in map(str, load_pack("ocr").get("address_words", ())):
        for i in range(len(word)):
            for slip in (word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:]):
                if slip != word and len(slip) >= 5 and slip not in words:
                    out[slip] = word
    return out


@lru_cache(maxsize=4096)  # the same address lines come back cable after cable
def _slips_in(line: str) -> tuple[tuple[int, str, str], ...]:
    """(offset, word, correction) of each address word in ``line`` with a letter dropped or
    doubled."""
    slips = _slips()
    return tuple((m.start(), m.group(0), slips[m.group(0)])
                 for m in _ADDRESS_TOKEN_RE.finditer(line) if m.group(0) in slips)


# A word of a name: "RIQ", "SA0", "TFL", "CLAKAR", "TOVVN".
_NAME_WORD_RE = regex.compile(r"(?<![^ ])[A-Za-z0-9|]{2,}(?![^ ])")


@lru_cache(maxsize=1)
def _letter_readings() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The readings of a name's word besides the pairs: two letters read for one ("RN" for
    M, ``upper_pairs``) and a digit read for a letter ("1" for L, ``digit_letters``), as
    (as written, read) pairs."""
    pack = load_pack("ocr")
    two = tuple((str(b), str(a)) for a, b in pack.get("upper_pairs", []))
    digits = tuple((str(d), str(letter)) for d, letters in
                   (pack.get("digit_letters") or {}).items() for letter in letters)
    return two, digits


def _readings(word: str, pairs: tuple[tuple[str, str], ...]) -> Iterator[str]:
    """``word`` with one of ``pairs`` read once, at each place it stands."""
    for written, read in pairs:
        at = word.find(written)
        while at != -1:
            yield word[:at] + read + word[at + len(written):]
            at = word.find(written, at + 1)


@lru_cache(maxsize=1024)  # the same addressees come back cable after cable
def _short_word_reading(name: str) -> tuple[int, str, str] | None:
    """(offset, word, correction) of the one word of ``name`` (a sender or addressee that is
    no known station) whose reading under one OCR confusion makes ``name`` exactly one
    known station; None if there is no such word or more than one reading. A short word
    (under the gazetteer's min_length) is read under the pairs; any word under two letters
    read for one ("CAPE TOVVN") and a digit read for a letter ("KABU1", "TE1 AVIV")."""
    pairs, min_len = ocr_pairs()
    two, digits = _letter_readings()
    hits: set[tuple[int, str, str]] = set()
    stations: set[str | None] = set()
    for m in _NAME_WORD_RE.finditer(name):
        word = m.group(0)
        readings = set(_readings(word, two))
        if any(c.isdigit() for c in word):
            readings.update(_readings(word, digits))
        if len(word) < min_len:
            readings.update(variants(word, pairs, 1))
        for right in readings:
            if not right.isalpha() or not right.isupper():
                continue
            known = station(name[: m.start()] + right + name[m.end() :])
            if known is not None:
                hits.add((m.start(), word, right))
                stations.add(known)
    return hits.pop() if len(hits) == 1 and len(stations) == 1 else None



def _word_around(text: str, start: int, end: int, also: str) -> tuple[int, int]:
    """The span of the word holding ``text[start:end]``: letters, digits and ``also``."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in also):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in also):
        end += 1
    return start, end


class OcrConfusion(Rule):
    """A token is an OCR misreading of a known term; the correction is the fix.

    OCR turns ``MEXICO`` into ``MEXICQ`` and ``MEXIC0``, ``AMEMBASSY`` into ``AMEMBASSV``;
    a misread post name hides a cable from every search for that post. Two sources: the
    ``known`` list of ``rules/ocr.yaml`` (safe fixes), and near-misses of a gazetteer (post
    and station names from ``rules/gazetteer/posts.yaml``, addressee and classification
    words, header labels, TAGS) under the OCR confusion pairs of ``rules/ocr.yaml`` (O/Q/0/D,
    I/l/1/|, S/5, B/8, rn/m, cl/d, vv/w, E/F, G/6, Z/2; a lower-case l inside an upper-case
    word). Near-miss fixes are offered as unsafe: a person should confirm them. TAGS are
    compared only in TAGS fields, and labels only where the parser read a header label (and
    ``DECL``, ``REASON`` inside the E.O. and Classified By values). Words shorter than
    ``min_length`` are compared only on address lines (FM, TO, INFO), with the whole name:
    ``AMCONSUL RIQ DE JANEIRO`` is no known station, ``RIO DE JANEIRO`` is; there, any word
    is also read with two letters read for one or a digit for a letter (``AMEMBASSY
    CLAKAR``, ``CAPE TOVVN``, ``KABU1``), and an address or precedence word with a letter
    dropped or doubled is reported (``AMMBASSY``, ``PRIOITY``). Month, weekday and country
    names (``names`` of ``rules/ocr.yaml``) are known words and near-miss targets like the
    post words (``FE8RUARY``, ``DECEMBFR``, ``ZIMBABVVE``).

    Also, with unsafe fixes: an upper-case token with one or two digits that reads as exactly
    one known word when each digit is read as a letter (``C0NFIDENTIAL``, ``1NFO``,
    ``A1RPORT``; the known words are ``rules/words.yaml`` and the gazetteer; codes such as
    ``H1N1``, ``G20``, ``MI5``, ``F16S`` read as no word, and a word followed by a number,
    ``REPORT5``, ``CAT5``, is not a misreading); a classification word split by a
    stray space (``UNC LASSIFIED``, ``C O N F I DENTIAL``; ``S E C R E T`` spaced out letter
    by letter is not damage); any upper-case word of four letters or more with a lower-case
    l in it, read as I (``EXTRADlTION``; ``ElBaradei``, ``McCALL`` have other small letters);
    a word with one 0, 1 or 5 between two small letters, read as o, l, s (``Washingt0n``,
    ``po1icy``; not ``H1N1``, ``mp3``, ``21st``); an upper-case word ending ``INQ`` or
    ``INQS``, its Q read as G (``DURINQ``, ``CROSSINQS``), and a common cable word of the
    ``q_for_g`` list with a G read as Q (``QOVERNMENT``, ``FOREIQN``, safe fixes); and a
    portion marking that OCR damaged
    beyond what the marking grammar reads (``(CJ``, ``(U}``, ``(SGU)``) where a paragraph's
    or heading's marking stands. A marking the grammar reads as malformed (``(5BU)``, ``(C NF)``) is
    reported by paragraph-marking (M001) alone; for the ones it cannot read, M001 may also
    say that the paragraph has no marking (a reader cannot see one), and this rule says
    which marking it was.

    Failing::

        **Drafted By:** MEXICQ (b)(6)      <- T001 'MEXICQ' is an OCR misreading of 'MEXICO'

    Passing::

        **Drafted By:** MEXICO (b)(6)
    """

    code = "T001"
    name = "ocr-confusion"
    severity = "warning"
    fixes = ("safe", "unsafe")
    summary = ("A token is an OCR misreading of a known term (post, addressee, label, TAGS, "
               "marking, word)")

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        reported: set[int] = set()
        for d in self._check(cable):
            reported.add(d.start)
            yield d
        text = cable.text
        # (the runs lost no lower-case letter: there is no l and no small letter to test)
        if len(marked_runs(cable)) != len(text):
            yield from self._lower_l(text, reported)
            yield from self._digit_in_lower(text, reported)
        if _has_inq(text):
            yield from self._ing_as_inq(text, reported)
        yield from self._short_post_words(cable, reported)

    @classmethod
    def _short_post_words(cls, cable: Cable, reported: set[int]) -> Iterator[Diagnostic]:
        """A short word of a post's name misread in an address line (``FM AMCONSUL RIQ DE
        JANEIRO``, ``SA0 PAULO``, ``TFL AVIV``): words under the gazetteer's ``min_length``
        are compared with no gazetteer word (too many real words lie one confusion away),
        but the whole name is: the sender or addressee is no known station as written, and
        one confusion in the short word makes it exactly one. Only the field's own line is
        read (an INFO block's further addressee lines are not: a cost on every cable)."""
        text = cable.text
        # the fields in text order, picked at C speed (one pass, not a look-up per label)
        fields = cable.fields
        for f in compress(fields, map(_ADDRESS_FIELDS.__contains__, map(_NAME, fields))):
            lead = 1 if f.start else 0  # the character before, which \b reads
            line = text[f.start - lead : f.end]
            # a sequence number at the end is no word of a name, and differs from cable
            # to cable: the cache's key goes without it
            cut = line.rstrip("0123456789")
            if cut != line and cut.endswith(" "):
                line = cut.rstrip(" ")
            for at, word, right in _slips_in(line):
                begin = f.start - lead + at
                if begin not in reported:
                    reported.add(begin)
                    yield cls._diag(begin, begin + len(word), word, (right, False))
            found = _post_word_in(line, lead)
            if found is not None:
                at, word, right = found
                begin = f.start - lead + at
                if begin not in reported:
                    reported.add(begin)
                    yield cls._diag(begin, begin + len(word), word, (right, False))

    @classmethod
    def _digit_in_lower(cls, text: str, reported: set[int]) -> Iterator[Diagnostic]:
        """A 0, 1 or 5 between two small letters of a word is o, l or s misread:
        ``Washingt0n``, ``po1icy``, ``Mini5try``. Codes keep their digits between capitals
        or at an end (``H1N1``, ``mp3``, ``F16s``); a word with two digits is no word."""
        if not _digit_between_small(text):
            return
        yield from cls._digit_at_edge(text, reported)
        for m in _LOWER_DIGIT_RE.finditer(text):
            start, end = _word_around(text, m.start(), m.end(), "")
            word = text[start:end]
            if (start not in reported and len(word) >= 5 and word.isalnum()
                    and sum(c.isdigit() for c in word) == 1 and word.isascii()):
                reported.add(start)
                digit = m.group(0)
                yield cls._diag(start, end, word,
                                (word.replace(digit, _DIGIT_LETTER[digit]), False))

    @classmethod
    def _digit_at_edge(cls, text: str, reported: set[int]) -> Iterator[Diagnostic]:
        """A 0, 1 or 5 after the capital or at the end of a word of small letters, where the
        word with the digit read as a letter is a known word and the word without it is not
        (``Internationa1``, ``G0vernment``; a word and a number, ``Level5``, and footnote
        marks, ``democracy1``, read as no word)."""
        words = known_words()
        for m in _EDGE_DIGIT_RE.finditer(text):
            start, end = _word_around(text, m.start(), m.end(), "")
            word = text[start:end]
            if start in reported or not word.isascii() or sum(c.isdigit() for c in word) != 1:
                continue
            at = m.start() - start
            if (word[:at] + word[at + 1 :]).upper() in words:
                continue
            # the small letter first: the word is in small letters ("A1though": l, not I)
            for letter in _EDGE_LETTERS[m.group(0)]:
                right = word[:at] + letter + word[at + 1 :]
                if right.upper() in words:
                    reported.add(start)
                    yield cls._diag(start, end, word, (right, False))
                    break

    @classmethod
    def _ing_as_inq(cls, text: str, reported: set[int]) -> Iterator[Diagnostic]:
        """An upper-case word ending ``INQ`` or ``INQS`` is ``-ING`` with its G read as Q
        (``REFLECTINQ``, ``CROSSINQS``); every Q of it not before U is a G (``FIQHTINQ``,
        ``QOINQ``; ``QUESTIONINQ`` keeps its QU)."""
        for m in _INQ_RE.finditer(text):
            start, end = m.span()
            if start not in reported:
                reported.add(start)
                word = m.group(0)
                yield cls._diag(start, end, word, (_Q_NOT_QU_RE.sub("G", word), False))

    @classmethod
    def _lower_l(cls, text: str, reported: set[int]) -> Iterator[Diagnostic]:
        """An upper-case word with a lower-case l in it is an OCR misreading of I, known
        word or not: ``EXTRADlTION``, ``lNTERNATIONAL``. A rare pair of characters: one
        C-speed search in most cables."""
        at = _l_pair(text, 0) if "l" in text else -1  # (memchr, where sre steps)
        while at != -1:
            start, end = _word_around(text, at, at + 1, "|")
            word = text[start:end]
            if (start not in reported and _L_WORD_RE.fullmatch(word)
                    and sum(c.isupper() for c in word) >= 3):
                reported.add(start)
                yield cls._diag(start, end, word, (word.replace("l", "I"), False))
            at = _l_pair(text, end)

    def _check(self, cable: Cable) -> Iterator[Diagnostic]:
        table = confusions()
        text = cable.text
        if cable.format == "historylab" and "||" in text:
            # a mention's bars are no part of its last word ("[[GFNEVA||8]]"); same offsets
            text = text.replace("||", "  ")
            found = table.find(text)
        else:
            found = table.find(text, marked_runs(cable).split())
        misread: dict[str, tuple[str, bool]] = {}
        if found.offsets:  # rare: most cables have no misreading
            misread = {word: table.anywhere[word] for word in found.anywhere}
            misread.update((word, (right, False))
                           for word, right in found.digit_readings.items())
            for word in sorted(misread):
                for start in found.offsets[word]:
                    yield self._diag(start, start + len(word), word, misread[word])
            for right in sorted(found.split):
                yield from self._split(text, right, found.offsets[right], table.spaced[right])
        yield from self._markings(cable, table)
        yield from self._value_labels(cable, table, misread)
        for f in cable.get("TAGS"):
            # the usual case, told at C speed: no token of the value is a misspelled tag
            if table.tags_bytes.isdisjoint(word_tokens(text[f.start : f.end])):
                continue
            for m in TOKEN_RE.finditer(text, f.start, f.end):
                hit = table.tags.get(m.group(0))
                if hit:
                    yield self._diag(m.start(), m.end(), m.group(0), hit)
        # the labels as written, upper-cased at C speed: most cables have no misspelled one
        if table.labels.keys().isdisjoint(map(str.upper, map(_LABEL, cable.fields))):
            return
        for f in cable.fields:
            hit = table.labels.get(f.label.upper())
            if not hit:
                continue
            label_start = text.find(f.label, f.line_start, f.start)
            if label_start != -1:
                yield self._diag(label_start, label_start + len(f.label), f.label, hit)

    def _split(self, text: str, right: str, starts: list[int],
               words: list[list[str]]) -> Iterator[Diagnostic]:
        """"UNC LASSIFIED", "C O N F I DENTIAL": a known word split by a stray space
        (``right`` stands as a whole token at ``starts``)."""
        for start in starts:
            for word, left in words:
                spaced = " ".join(left) + " "
                for before, fixed in ((left + " ", word), (spaced, " ".join(word))):
                    begin = start - len(before)
                    if begin >= 0 and text.startswith(before, begin) and not token_char(
                            text, begin - 1):
                        yield Diagnostic(begin, start + len(right), f"'{text[begin:start]}"
                                         f"{right}' is an OCR misreading of '{fixed}'",
                                         Fix(fixed, begin, start + len(right), False))
                        break
                else:
                    continue
                break

    def _markings(self, cable: Cable, table: Confusions) -> Iterator[Diagnostic]:
        """Markings OCR damaged beyond what the marking grammar reads ("(CJ", "(SGU)"), where
        a paragraph's or heading's marking stands. A slot the grammar reads, valid or
        malformed, is the paragraph-marking rule's."""
        text = cable.text
        slots = chain(map(_PARAGRAPH_SLOT, cable.paragraphs), map(_HEADING_SLOT, cable.headings),
                      (s.slot for p in filter(_SUBPARAGRAPHS, cable.paragraphs)
                       for s in p.subparagraphs if s.slot is not None))
        for slot in filterfalse(_RAW, slots):  # the empty slots
            if slot.start >= len(text) or text[slot.start] not in table.marking_open:
                continue
            close = min((i for i in (text.find(c, slot.start + 1, slot.start + 6)
                                     for c in table.marking_close) if i != -1), default=-1)
            if close == -1 or (close + 1 < len(text) and text[close + 1] not in " \t\n*~_"):
                continue
            raw = text[slot.start : close + 1]
            inner = raw[1:-1]
            right = table.marking_inner.get(inner, inner)
            if vocabulary().parse(right) is None or raw == f"({right})":
                continue
            yield Diagnostic(slot.start, close + 1, f"'{raw}' is an OCR misreading of the "
                             f"portion marking '({right})'",
                             Fix(f"({right})", slot.start, close + 1, False))

    def _value_labels(self, cable: Cable, table: Confusions,
                      reported: Mapping[str, object]) -> Iterator[Diagnostic]:
        """Labels inside a field's value: "DFCL" for "DECL" in an E.O. line."""
        text = cable.text
        # the fields in text order, picked at C speed (one pass, not a look-up per name)
        fields = cable.fields
        for f in compress(fields, map(table.value_labels.__contains__, map(_NAME, fields))):
            wanted = table.value_labels[f.name]
            # the usual case, told at C speed: no token of the value is a misspelled label
            if table.labels_bytes.isdisjoint(word_tokens(text[f.start : f.end], _SEPARATE_UPPER)):
                continue
            for m in TOKEN_RE.finditer(text, f.start, f.end):
                word = m.group(0)
                found = table.labels.get(word.upper())
                if (found and word not in reported and found[0] in wanted
                        and word.upper() not in wanted):
                    right = found[0] if word.isupper() else found[0].capitalize()
                    yield self._diag(m.start(), m.end(), word, (right, found[1]))

    @staticmethod
    def _diag(start: int, end: int, word: str, found: tuple[str, bool]) -> Diagnostic:
        right, safe = found
        return Diagnostic(start, end, f"'{word}' is an OCR misreading of '{right}'",
                          Fix(right, start, end, safe))

