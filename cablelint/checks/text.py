"""Rules on the characters of the text: encoding damage and FOIA redaction codes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple

from .. import regex
from ..confusions import known_words
from ..engine import Diagnostic, Fix, Rule
from ..model import Cable
from ..packrules import find_all
from ..packs import load_pack
from .structure import offsets
from .textbytes import CONTROL_MARK, LEAD_MARK, MOJIBAKE_LEADS, marked_runs

# -- encoding-damage ----------------------------------------------------------------------

# HTML character references: named (``&quot;``), decimal (``&#39;``), hexadecimal (``&#x27;``).
_ENTITY_RE = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Control characters: C0 but tab, line feed and form feed (a pdftotext page break; carriage
# returns are line ends, already read), DEL, and C1 (U+0080-U+009F).
_CONTROL_RE = regex.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]+")
# Characters that cp1252 (or Latin-1, for its five undefined bytes) decodes from the UTF-8
# continuation bytes 0x80-0xBF.
_CONT = "\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
# UTF-8 read as cp1252: a lead byte (Â-ß for two bytes, à-ï for three, ð-ô for four) and
# its continuation bytes, one sequence or several in a row ("Ã©", "â€™", "Ã¢â‚¬â„¢").
_MOJIBAKE_RE = regex.compile(
    f"(?:[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}})+"
)
# What is left of a sequence cut short ("â€" without its third byte).
_PARTIAL_RE = regex.compile(f"[\u00c2-\u00f4][{_CONT}]")
# The mojibake leads (each looked for with ``in``, C speed): see textbytes.
_LEADS = tuple(MOJIBAKE_LEADS)
# The cp1252 punctuation among the continuation characters: "É”" is an accented capital
# closing a quotation, not a damaged UTF-8 sequence.
_PUNCTUATION = frozenset("‚„…†‡‹›‘’“”•–—")
# A lone no-break space of UTF-8 read as cp1252, its second byte normalised to a space.
_A_CIRCUMFLEX_SPACE = "Â "
# What a damaged UTF-8 sequence decodes to must be a character such text holds: Latin
# letters and signs, general punctuation, currency, letter-like symbols (™); Greek, Cyrillic,
# Hebrew and Arabic only as a run of two characters or more (a whole damaged word).
_PLAUSIBLE = ((0x00A0, 0x024F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF),
              (0x2100, 0x214F), (0xFEFF, 0xFEFF))
_SCRIPTS = ((0x0370, 0x06FF),)
_NAMED = {"\xa0": "a no-break space", "\n": "a line end", "\t": "a tab"}
_DASH_BEFORE = frozenset(",.;:'\"\u201d\u2019")
# Cablegate's quotation marks lost in a character-set conversion: "&" for the opening one,
# "8" for the closing one, in one paragraph ("&friends,8", "&Iran Telecom is taking over!8",
# "&that imperil \nsociety,8" wrapped over lines; not across a blank line).
# A character the text's writer sent through UTF-7 and nobody decoded: "+ACI-" for '"',
# "+ACY-" for '&', "+AOk-" for 'é' (Cablegate's country-clearance boilerplate has them).
_UTF7_RE = regex.compile(r"\+A[A-Za-z0-9+/]{2}-")
_UTF7_CHARS = frozenset("!\"#$%&'*;<=>@[]_`{|}~") | frozenset(map(chr, range(0xC0, 0x100)))
_CG_QUOTE_RE = regex.compile(r"&(?=[A-Za-z])(?:[^&\n]|\n(?![ \t]*\n)){0,300}?[^\s\d$]8"
                             r"(?![0-9A-Za-z])")
# Cablegate's apostrophe lost in the same conversion: a comma glued between a word and its
# ending ("country,s", "Museveni,s", "don,t", "we,ll", "I,m"), or a French "d'" or "l'" before
# a capitalised word ("d,Etat"); "b,d" (reasons 1.4 b,d) is none (a pronoun's ",d" only).
# (The stdlib engine: its scan for the leading ',' costs a third of the regex module's. The
# usual comma, before a space, fails the look-ahead for a letter before the alternatives.)
_CG_APOSTROPHE_RE = regex.compile(
    r",(?=[A-Za-z])(?:(?:s|ll|ve|re|t|d|m)(?![A-Za-z0-9])|(?<=[^A-Za-z][dDlL],)(?=[A-Z][a-z]))")
# The same apostrophe read as "Q" in other Cablegate records ("the USGQs new measures",
# "Atlantic CanadaQs exports", "Ottawa politiciansQ"): a Q glued after a small letter (an
# "s" may follow), or "Qs" after an acronym ("FAQs" and "IRAQs" are words).
_CG_Q_APOSTROPHE_RE = regex.compile(
    r"Q(?:(?<=[a-z]Q)(?=s?(?![A-Za-z0-9]))|(?<=[A-Z]{2}Q)(?<!FAQ)(?<!IRAQ)(?=s(?![A-Za-z0-9])))")
# An acronym's "Qs" is as often the plural of one ending in Q ("three RFQs", "BBQs"): it is
# read as an apostrophe only in a text that shows the damage plainly too, a Q glued to a small
# letter or a lone Q between words for a dash ("SENSITIVE BUT UNCLASSIFIED Q ENTIRE TEXT").
# (The pattern starts with its literal, which sre scans for; one starting with the look
# behind is tried at every character: 700 K instructions a cable.)
_CG_Q_DASH_RE = regex.compile(r" Q (?<=\w Q )(?=\w)")
# Where the Q damage shows plainly, the same Q stands for the other marks too (07HARARE638):
# a contraction's apostrophe ("doesnQt", "IQm", "youQre"), a dash between words of running
# text ("followed Q another"), and a pair of quotation marks, the opening Q glued before a
# word that is a word without it ("QGreen BombersQ", "Qgo hang,Q"; not "Qatar ... othersQ").
_CG_Q_CONTRACTION_RE = regex.compile(r"Q(?<=[A-Za-z]Q)(t|m|re|ve|ll|d)(?![A-Za-z0-9])")
_CG_Q_LONE_DASH_RE = regex.compile(r" Q (?<=[a-z,;] Q )(?=[A-Za-z])(?!and A\b)")  # not "Q and A"
_CG_Q_QUOTE_RE = regex.compile(
    r"Q(?<![A-Za-z0-9&'-]Q)(?=[A-Za-z])((?:[^Q\n]|\n(?![ \t]*\n)){1,120}?)"
    r"Q(?<=[a-z.,!?]Q)(?![A-Za-z0-9])")
_LETTERS_RE = regex.compile(r"[A-Za-z]+")
_CABLEGATE_FORMATS = frozenset(("telegram", "html"))
_C0_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL"}
_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she", "it", "there", "that", "who", "what",
                       "where", "here"})


def _unmojibake(run: str) -> str | None:
    """Decode ``run`` as the UTF-8 bytes that cp1252 misread, repeatedly (text damaged twice
    reads "Ã¢â‚¬â„¢"); ``None`` when it does not round-trip or decodes to implausible text."""
    result = run
    for _ in range(3):
        try:
            data = b"".join(c.encode("cp1252") if c not in "\x81\x8d\x8f\x90\x9d"
                            else bytes([ord(c)]) for c in result)
            decoded = data.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            break
        result = decoded
        if not _MOJIBAKE_RE.search(result):
            break
    if result == run or not _plausible(result) or _PARTIAL_RE.search(result):
        return None
    return result


def _plausible(text: str) -> bool:
    def within(c: str, ranges: tuple[tuple[int, int], ...]) -> bool:
        return any(lo <= ord(c) <= hi for lo, hi in ranges)

    if all(within(c, _PLAUSIBLE) or c.isascii() for c in text):
        return True
    return len(text) >= 2 and all(within(c, _SCRIPTS) for c in text)


def _describe_control(run: str) -> str:
    c = run[0]
    if ord(c) >= 0x80:
        name = f"C1 control character U+{ord(c):04X}"
    else:
        name = f"{_C0_NAMES.get(ord(c), 'control character')} (U+{ord(c):04X})"
    more = f" and {len(run) - 1} more" if len(run) > 1 else ""
    return name + more


class EncodingDamage(Rule):
    """The text carries damage from decoding or extraction: U+FFFD replacement characters,
    mojibake (UTF-8 read as cp1252: ``â€™`` for ``’``, ``Ã©`` for ``é``), HTML entities left
    in the text (``&quot;``, ``&amp;``, ``&#39;``), control characters; and Cablegate's
    punctuation lost in a character-set conversion: ``&`` and ``8`` for quotation marks,
    ``)`` between words for a dash, a comma inside a word for an apostrophe (``Embassy,s``,
    ``don,t``, ``d,Etat``) or a Q glued to it (``CanadaQs``, ``the USGQs plan``); where
    that Q shows plainly, a Q for a contraction's apostrophe (``doesnQt``), a dash between
    words (``followed Q another``) and a pair of quotation marks (``QGreen BombersQ``).

    Each hides or changes text a researcher searches for. Fixes: an entity decodes to its
    character (safe); a mojibake run that round-trips exactly decodes to what was written
    (safe); a C1 control character is the cp1252 character that Latin-1 misread (unsafe);
    a replacement character has lost what it stood for (no fix). U+FFFD where a paragraph
    sign stood (``\ufffd1.``, what some Cablegate extractions hold) is reported once per cable.
    Cablegate's own conversion lost the curly marks: ``&`` and ``8`` for quotation marks
    (``&friends,8``, also wrapped over lines of one paragraph), ``)`` between words for a
    dash (``Prime Minister ) Francois Fillon``),
    a comma glued between a word and its ending for an apostrophe (``the country,s economy``,
    ``don,t``; looked for in telegrams and web pages, not in SMART cables, which never went
    through that conversion); each has an unsafe fix back to the mark.

    In a web page the page's own entities are decoded by the parser: an entity left in the
    cable's text was escaped twice in the page (``&amp;quot;``); its fix is written into the
    page escaped once (``&quot;``), as a page must hold the character. A line or a
    Markdown table cell of only ``&nbsp;`` is spacing, not text. A file with a NUL byte in
    its first 8,000 bytes is binary (E001) and not linted; a NUL further on is reported
    here. A file that is not UTF-8 is E004's, and what cp1252 decoded in it is text; a byte
    that cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) is reported here as a C1
    control character.

    Failing::

        2. (SBU) The minister said &quot;no&quot;.   <- T002 '&quot;' is an HTML entity ...
        3. (SBU) The ministerâ€™s office agreed.    <- T002 'â€™' is UTF-8 read as cp1252 ...

    Passing::

        2. (SBU) The minister said "no".
        3. (SBU) The minister’s office agreed.
    """

    code = "T002"
    name = "encoding-damage"
    severity = "warning"
    fixes = ("safe", "unsafe")
    summary = "Replacement characters, mojibake, HTML entities or control characters in the text"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        text = cable.text
        if "&" in text:
            yield from self._entities(cable)
            yield from self._cablegate_quotes(text)
        # (the ")" offsets S004 reads too: a few, against a search of the text for " )")
        closing = [at for at in offsets(cable, ")") if text[at - 1 : at] == " "]
        if closing:
            yield from self._cablegate_dashes(text, closing)
        # control characters and mojibake leads are marked in the bytes T001 splits too
        marked = marked_runs(cable)
        # (a SMART cable never went through Cablegate's conversion; both apostrophe patterns
        # need a small letter, which the marked bytes lost if the text has one)
        if cable.format in _CABLEGATE_FORMATS and len(marked) != len(text):
            yield from self._cablegate_apostrophes(text)
            if "Q" in text:
                yield from self._cablegate_q_apostrophes(text)
        # (a '+' found at memchr speed, then its next character: "+A" in text is a two-character
        # search, ~4 instructions a character)
        plus = text.find("+")
        while plus != -1 and text[plus + 1 : plus + 2] != "A":
            plus = text.find("+", plus + 1)
        if plus != -1:
            yield from self._utf7(text, plus)
        if text.isascii():
            if CONTROL_MARK in marked:
                yield from self._controls(text)
            return
        if "\ufffd" in text:
            yield from self._replacements(cable)
        leads = [c for c in _LEADS if c in text] if LEAD_MARK in marked else []
        if leads:
            yield from self._mojibake(text, leads)
        if CONTROL_MARK in marked:
            yield from self._controls(text)

    def _entities(self, cable: Cable) -> Iterator[Diagnostic]:
        text = cable.text
        in_page = cable.format == "html"
        for m in _ENTITY_RE.finditer(text):
            entity = m.group(0)
            char = _unescape(entity)
            if char == entity or not char.isprintable() and char not in "\xa0\t\n":
                continue
            if char == "\xa0":
                line_start = text.rfind("\n", 0, m.start()) + 1
                line_end = text.find("\n", m.end())
                line = text[line_start : len(text) if line_end == -1 else line_end]
                if _spacer(line[m.start() - line_start : m.end() - line_start],
                           line[: m.start() - line_start], line[m.end() - line_start :]):
                    continue  # Markdown's spacer: a line or a table cell of only no-break spaces
            shown = _NAMED.get(char) or (f'"{char}"' if char == "'" else f"'{char}'")
            where = " (escaped twice in the page)" if in_page else ""
            yield Diagnostic(m.start(), m.end(), f"'{entity}' is an HTML entity left in the "
                             f"text{where}; it stands for {shown}",
                             Fix(char, m.start(), m.end(), True))

    @staticmethod
    def _utf7(text: str, start: int) -> Iterator[Diagnostic]:
        for m in _UTF7_RE.finditer(text, start):
            try:
                char = m.group(0).encode("ascii").decode("utf-7")
            except UnicodeError:
                continue
            if char in _UTF7_CHARS:  # (one punctuation mark or Latin letter, nothing else)
                shown = f'"{char}"' if char == "'" else f"'{char}'"
                yield Diagnostic(m.start(), m.end(), f"'{m.group(0)}' is UTF-7 for {shown}, "
                                 "left undecoded by a character-set conversion",
                                 Fix(char, m.start(), m.end(), True))

    @staticmethod
    def _cablegate_quotes(text: str) -> Iterator[Diagnostic]:
        at = text.find("&")
        while at != -1:
            m = _CG_QUOTE_RE.match(text, at) if not (at and text[at - 1].isalnum()) \
                and _ENTITY_RE.match(text, at) is None else None
            if m is None:  # (not "AT&T", "Q&A", "&quot;")
                at = text.find("&", at + 1)
                continue
            quoted = m.group(0)[1:-1]
            shown = " ".join(line.strip() for line in m.group(0).split("\n"))  # (one line)
            yield Diagnostic(m.start(), m.end(), f"'{_short(shown)}': '&' and '8' stand "
                             "for quotation marks lost in a character-set conversion "
                             "(Cablegate's damage)", Fix(f"\u201c{quoted}\u201d", m.start(),
                                                         m.end(), False))
            at = text.find("&", m.end())

    @staticmethod
    def _cablegate_dashes(text: str, closing: list[int]) -> Iterator[Diagnostic]:
        """Cablegate's dash lost in the same conversion, a ')' between words that closes no
        '(': "Prime Minister ) Francois Fillon", "in Morocco )- although" (``closing``: the
        offsets of the ')' after a space)."""
        for close in closing:
            at = close - 1
            before, after = text[at - 1 : at], text[close + 1 : close + 3]
            line_start = text.rfind("\n", 0, at) + 1
            if before and (before.isalpha() or before in _DASH_BEFORE) and (
                    after[:1] == "-" or (after[:1] == " " and after[1:].isalpha())):
                window = text[line_start:at]  # (its line)
            elif before.isalpha() and _wrapped_after(text, close + 1):
                # the ')' ends a wrapped line ("a modern government ) \ntaking"): a '('
                # opened on a line before in its block would be the one it closes
                window = text[_block_start(text, line_start) : at]
            else:
                window = None
            if window is not None and window.count("(") <= window.count(")"):
                # it closes no parenthesis
                yield Diagnostic(close, close + 1, "')' between words stands for a dash lost "
                                 "in a character-set conversion (Cablegate's damage)",
                                 Fix("--", close, close + 1, False))

    @staticmethod
    def _cablegate_apostrophes(text: str) -> Iterator[Diagnostic]:
        """Cablegate's apostrophe lost in the same conversion, a comma glued between a word
        and its ending: "the country,s economy", "we don,t", "I,m", "you,d"; a French
        elision before a capitalised word: "Conseil d,Etat", "l,Union"."""
        for m in _CG_APOSTROPHE_RE.finditer(text):
            at = m.start()
            start = _word_start(text, at)
            tail = m.group(0)
            if tail == ",":  # the elision: its one letter is proved by the pattern
                end = at + 1
                while end < len(text) and text[end].isalpha():
                    end += 1
                tail = text[at:end]
            elif not _apostrophe_word(text[start:at], tail):
                continue
            yield _lost_apostrophe(at, f"{text[start:at]}{tail}", ",")

    @staticmethod
    def _cablegate_q_apostrophes(text: str) -> Iterator[Diagnostic]:
        """Cablegate's apostrophe read as a capital Q glued to the word: "CanadaQs",
        "politiciansQ", "the USGQs new measures" (an acronym's only where the text shows the
        damage plainly too: "RFQs" is a plural); where it does, the same Q for a
        contraction's apostrophe ("doesnQt"), a dash ("followed Q another") and a pair of
        quotation marks ("QGreen BombersQ")."""
        # (the pattern tried at each Q, which str.find finds at memchr speed: sre scans for a
        # leading literal one character at a time, a third of T002's cost)
        qs = list(find_all(text, "Q"))
        match = _CG_Q_APOSTROPHE_RE.match
        found = [at for at in qs if match(text, at)]
        contraction = _CG_Q_CONTRACTION_RE.match
        contractions = [(at, m[1]) for at in qs if (m := contraction(text, at)) and
                        _apostrophe_word(text[_word_start(text, at) : at], "," + m[1])]
        if not found and not contractions:
            return
        plain = any("a" <= text[at - 1] <= "z" for at in found) or any(
            text[at - 1].islower() or text[at - 1] == "I" for at, _ in contractions)
        if not plain and _CG_Q_DASH_RE.search(text) is None:
            return  # acronyms' alone, no plain damage: plurals
        closing: set[int] = set()
        if plain:
            yield from _q_quotes(text, closing)
            for m in _CG_Q_LONE_DASH_RE.finditer(text):
                at = m.start() + 1
                after = _LETTERS_RE.match(text, at + 2, at + 32)
                words = f"{text[_word_start(text, at - 1) : at - 1]} Q {after[0] if after else ''}"
                yield Diagnostic(at, at + 1, f"'{words}': 'Q' between words stands for a dash "
                                 "lost in a character-set conversion (Cablegate's damage)",
                                 Fix("--", at, at + 1, False))
        for at in found:
            if at in closing:
                continue
            tail = "Qs" if text.startswith("Qs", at) else "Q"
            yield _lost_apostrophe(at, f"{text[_word_start(text, at):at]}{tail}", "Q")
        for at, tail in contractions:
            yield _lost_apostrophe(at, f"{text[_word_start(text, at):at]}Q{tail}", "Q")

    def _replacements(self, cable: Cable) -> Iterator[Diagnostic]:
        text = cable.text
        signs = [p.number_start - 1 for p in cable.paragraphs
                 if p.number_start and text[p.number_start - 1] == "\ufffd"]
        if signs:
            count = f"before {len(signs)} paragraph numbers" if len(signs) > 1 else \
                "before a paragraph number"
            yield Diagnostic(signs[0], signs[0] + 1, "'\ufffd' (U+FFFD) stands where a "
                             f"paragraph sign '¶' was lost in decoding, {count}")
        skip = set(signs)
        pos = text.find("\ufffd")
        while pos != -1:
            end = pos
            while end < len(text) and text[end] == "\ufffd":
                end += 1
            if pos not in skip:
                run = text[pos:end]
                yield Diagnostic(pos, end, f"'{run}' (U+FFFD) replaced {_count(len(run))} "
                                 "lost in decoding; the original text cannot be recovered here")
            pos = text.find("\ufffd", end)

    def _mojibake(self, text: str, leads: list[str]) -> Iterator[Diagnostic]:
        starts = sorted(i for lead in leads for i in find_all(text, lead))
        done = 0
        for start in starts:
            m = _MOJIBAKE_RE.match(text, start) if start >= done else None
            if m is None:
                continue
            done = m.end()
            run = m.group(0)
            fixed = _unmojibake(run)
            if fixed is None:
                continue
            if len(run) == 2 and run[1] in _PUNCTUATION and _letter(text, m.start() - 1) \
                    and not _letter(text, m.end()):
                continue  # "CITÉ”": an accented capital before a closing quotation mark
            if fixed == "\ufeff":
                yield Diagnostic(m.start(), m.end(), f"'{run}' is a UTF-8 byte-order mark read "
                                 "as cp1252 (mojibake)", Fix("", m.start(), m.end(), True))
                continue
            yield Diagnostic(m.start(), m.end(), f"'{run}' is UTF-8 read as cp1252 "
                             f"(mojibake); it stands for '{fixed}'",
                             Fix(fixed, m.start(), m.end(), True))
        if "Â" in leads:
            for pos in find_all(text, _A_CIRCUMFLEX_SPACE):
                if not (pos and text[pos - 1].isupper()):
                    yield Diagnostic(pos, pos + 1, "'Â' before a space is the first byte of "
                                     "a UTF-8 no-break space read as cp1252",
                                     Fix("", pos, pos + 1, False))

    def _controls(self, text: str) -> Iterator[Diagnostic]:
        for m in _CONTROL_RE.finditer(text):
            run = m.group(0)
            if 0x80 <= ord(run[0]) <= 0x9F and len(run) == 1:
                try:
                    char = bytes([ord(run)]).decode("cp1252")
                except UnicodeDecodeError:
                    char = ""
                if char:
                    yield Diagnostic(m.start(), m.end(), f"C1 control character "
                                     f"U+{ord(run):04X} in the text: a cp1252 '{char}' read "
                                     "as Latin-1", Fix(char, m.start(), m.end(), False))
                    continue
            yield Diagnostic(m.start(), m.end(), f"{_describe_control(run)} in the text: "
                             "binary data or a decoding error")


@lru_cache(maxsize=1024)
def _unescape(entity: str) -> str:
    """``html.unescape`` of one entity (cached: a cable repeats its few entities)."""
    import html  # only for a cable with an entity

    return html.unescape(entity)


def _apostrophe_word(word: str, tail: str) -> bool:
    """Can ``word`` take the ending ``tail`` (",s", ",t", ",ll" ...) after an apostrophe?"""
    if tail in (",s", ",t"):  # a possessive of two letters or more; ",t" after "n" ("don,t")
        return len(word) >= 2 and (tail == ",s" or word[-1] == "n")
    if tail in (",d", ",m") or len(word) < 2:  # "I,m", "you,d", "I,ll": a pronoun's only
        return word.lower() in _PRONOUNS  # ("b,d" of reasons 1.4 b,d is none)
    return True  # ",ll", ",ve", ",re" after a word ("they,ve", "should,ve")


def _wrapped_after(text: str, at: int) -> bool:
    """Does the line end at ``at`` (blanks only before its line break) and the next line go
    on with a word, as a wrapped sentence does?"""
    end = text.find("\n", at)
    return end != -1 and not text[at:end].strip(" \t") and text[end + 1 : end + 2].isalpha()


def _block_start(text: str, line_start: int) -> int:
    """The start of the block of lines that holds the line at ``line_start``: the line after
    the last blank-looking one before it (a web page's blank lines hold a space)."""
    start = line_start
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        if not text[prev : start - 1].strip(" \t"):
            break
        start = prev
    return start


def _spacer(entity: str, before: str, after: str) -> bool:
    """Does ``entity`` (a no-break space) fill a line or a table cell on its own?"""
    before, after = before.rstrip(" \t"), after.lstrip(" \t")
    return (not before or before.endswith(("|", entity))) and (
        not after or after.startswith(("|", entity)))


def _count(n: int) -> str:
    return "a character" if n == 1 else f"{n} characters"


def _letter(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalpha()


# -- redaction-code -----------------------------------------------------------------------

# A FOIA exemption code and the damaged forms it takes. Not glued to what comes before (a
# section number "552(b)(6)", a closing parenthesis, a dot "1.4(b)"); the exemption number or
# what stands for it; an optional lettered subparagraph.
_CODE_PATTERN = (
    r"(?<![\w).\\/-])\((?P<b>[bB{ocr}])\)(?P<space> ?)(?P<open>\(?)(?P<n>\d{{1,2}}|[bB])"
    r"(?:(?P<close>\))|(?![)\w]))"
    r"(?P<sub>\((?P<letter>[A-Za-z])(?:(?P<subclose>\))|(?![)\w])))?(?!\w)"
)
_WORD_BEFORE_RE = regex.compile(r"([A-Za-z.]+)\W*$")
# "1.4 (b)", "1.5(b)": the reasons of a classification authority, not a FOIA code.
_REASONS_RE = regex.compile(r"\b1\.[4-7] *$|[Rr][Ee][Aa][Ss][Oo][Nn][Ss]? *$")


class _Codes(NamedTuple):
    exemptions: frozenset[int]
    subparagraphs: Mapping[int, frozenset[str]]
    ocr_b: frozenset[str]
    citation_words: frozenset[str]
    #: The pattern of a code, and what every code starts with: "(b)", "(B)" or "(6)(" (the
    #: "(" and a zero-width look at what follows it; tried at each "(" of the text).
    pattern: re.Pattern[str]
    starts: re.Pattern[str]
    #: The characters ``starts`` allows after the "(": "b", "B" and the OCR readings of b.
    seconds: frozenset[str]


@cache
def _codes() -> _Codes:
    pack = load_pack("redaction")
    ocr_b = frozenset(str(x) for x in pack["ocr_b"] if len(str(x)) == 1)
    return _Codes(
        exemptions=frozenset(int(x) for x in pack["exemptions"]),
        subparagraphs={int(k): frozenset(str(x).upper() for x in v)
                       for k, v in pack["subparagraphs"].items()},
        ocr_b=ocr_b,
        citation_words=frozenset(str(x).lower().rstrip(".") for x in pack["citation_words"]),
        pattern=regex.compile(_CODE_PATTERN.format(ocr=re.escape("".join(sorted(ocr_b))))),
        starts=regex.compile(r"\((?=[bB]\)"
                             + "".join(f"|{re.escape(c)}\\)\\(" for c in sorted(ocr_b)) + ")"),
        seconds=frozenset({"b", "B", *ocr_b}),
    )


def text_of(m: re.Match[str]) -> str:
    """The code as written, without a subparagraph that is not part of it."""
    if m["sub"]:
        return m.group(0)
    return m.group(0)[: (m.end("close") if m["close"] else m.end("n")) - m.start()]


class RedactionCode(Rule):
    """A FOIA exemption code is malformed: a withholding that names no exemption.

    A released cable puts an exemption code where text was withheld: ``(b)(1)`` to
    ``(b)(9)``, ``(b)(7)(A)`` to ``(b)(7)(F)``, also written ``(B)(6)``, ``(b) (6)``,
    ``b(6)``, ``B6``, or as a list ``(b)(6), (b)(7)(C)`` (``rules/redaction.yaml``). A code
    outside these (``(b)(10)``, ``(b)(0)``, ``(b)(7)(G)``), one that OCR damaged (``(b)(b)``,
    ``(6)(6)``), or one that lost a parenthesis (``(b)6)``, ``(b)(6``) is reported; the
    unbalanced parenthesis itself is another rule's concern. Only FOIA releases are
    checked: a SMART cable, or a cable that carries a well-formed code (``(b)(6)``); in a
    Cablegate or CFPF telegram ``(B)(10)`` is an outline number. Left alone: citations of a
    law (``Section 7(b)(10)``, ``subsection (b)(10)``), the reasons of a classification
    (``1.4 (b) and (d)``), subparagraph labels (``(b)`` in a list).

    Failing::

        **Drafted By:** POL (b)(b) (Mexico City)    <- T003 '(b)(b)' is a damaged FOIA ...

    Passing::

        **Drafted By:** POL (b)(6) (Mexico City)
    """

    code = "T003"
    name = "redaction-code"
    severity = "warning"
    fixes = ("unsafe",)
    summary = "FOIA exemption codes are well formed: (b)(1) to (b)(9), (b)(7)(A) to (b)(7)(F)"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        text = cable.text
        codes = _codes()
        # Every code starts with "(": its few offsets (shared with S004) instead of a regex
        # scan of the whole text; ``starts`` matches one character, so none is skipped.
        # (the character after each "(" read first: a slice and a set look-up cost a tenth
        # of trying the pattern, and most are the "U", "C" or "S" of a portion marking)
        match, seconds = codes.starts.match, codes.seconds
        starts = [at for at in offsets(cable, "(") if text[at + 1 : at + 2] in seconds
                  and match(text, at)]
        if not starts:
            return
        labels = {s.start for p in cable.paragraphs for s in p.subparagraphs}
        released = False
        found: list[tuple[re.Match[str], str, str | None]] = []
        for start in starts:
            m = codes.pattern.match(text, start)
            if m is None:
                continue
            problem = self._problem(m, codes)
            if problem is None:
                released = released or (m["b"] in "bB" and not m["space"])
            elif problem[0]:
                found.append((m, *problem))
        if not (released or cable.format == "smart"):
            return  # no FOIA release: "(B)(10)" is an outline number or a citation
        for m, message, fix in found:
            if m.start() in labels or self._cited(text, m.start(), codes):
                continue
            end = m.start() + len(text_of(m))
            yield Diagnostic(m.start(), end, message,
                             Fix(fix, m.start(), end, False) if fix else None)

    @staticmethod
    def _problem(m: re.Match[str], codes: _Codes) -> tuple[str, str | None] | None:
        """``None`` for a well-formed code; ``("", None)`` for text that is no code;
        otherwise the message and the replacement (or ``None``)."""
        b, n, letter = m["b"], m["n"], m["letter"]
        shown = text_of(m)
        compact = not m["space"]
        if b in codes.ocr_b:
            if compact and m["open"] and m["close"] and n.isdigit() \
                    and int(n) in codes.exemptions and not m["sub"]:
                return f"'{shown}' is an OCR misreading of the FOIA code '(b)({n})'", \
                    f"(b)({n})"
            return "", None
        if not n.isdigit():
            if compact and m["open"] and m["close"] and not m["sub"]:
                return (f"'{shown}' is a damaged FOIA exemption code: the exemption number "
                        "is unreadable; did you mean '(b)(6)'?", "(b)(6)")
            return "", None
        number = int(n)
        if not m["open"]:
            if compact and m["close"] and number in codes.exemptions and not m["sub"]:
                return (f"'{shown}' is a FOIA exemption code missing the parenthesis before "
                        f"'{n}'", f"({b})({n})")
            return "", None
        if not m["close"]:
            if compact and number in codes.exemptions and not m["sub"]:
                return f"'{shown}' is a FOIA exemption code missing its closing parenthesis", \
                    f"({b})({n})"
            return "", None
        if number not in codes.exemptions:
            if not compact:
                return "", None
            low, high = min(codes.exemptions), max(codes.exemptions)
            return (f"'{shown}' is not a FOIA exemption code: exemptions run ({b})({low}) "
                    f"to ({b})({high})", None)
        allowed = codes.subparagraphs.get(number)
        if letter is None or allowed is None:
            return None
        if letter.upper() not in allowed:
            first, last = min(allowed), max(allowed)
            return (f"'{shown}' is not a FOIA exemption code: exemption {number} has "
                    f"subparagraphs ({first}) to ({last})", None)
        if not m["subclose"]:
            return (f"'{shown}' is a FOIA exemption code missing its closing parenthesis",
                    f"{shown})")
        return None

    @staticmethod
    def _cited(text: str, start: int, codes: _Codes) -> bool:
        """Is the code at ``start`` part of a citation or of classification reasons?"""
        line_start = text.rfind("\n", 0, start) + 1
        before = text[max(line_start, start - 40) : start]
        if _REASONS_RE.search(before):
            return True
        word = _WORD_BEFORE_RE.search(before)
        return bool(word) and word.group(1).lower().rstrip(".") in codes.citation_words


def _short(run: str, width: int = 40) -> str:
    """``run``, or its first and last words around an ellipsis when it is long."""
    return run if len(run) <= width else f"{run[: width // 2]}...{run[-(width // 2) + 3 :]}"


def _word_start(text: str, at: int) -> int:
    """Where the word that ends at ``at`` starts (30 letters back at most: a word, quoted in
    a message, not a run of glued text)."""
    start = at
    while start > 0 and at - start < 30 and text[start - 1].isalpha():
        start -= 1
    return start


def _q_quotes(text: str, closing: set[int]) -> Iterator[Diagnostic]:
    """Cablegate's quotation marks read as Q: "QGreen BombersQ", "Qillegal sanctions.Q".
    The opening Q's word must be a known word without its Q ("Qgo" is "go", "Qatar" no
    "atar"; no known word is one with a Q before it); the closing Q's offset is added to
    ``closing``."""
    words: frozenset[str] | None = None
    short: frozenset[str] = frozenset()
    for m in _CG_Q_QUOTE_RE.finditer(text):
        first = _LETTERS_RE.match(m[1])
        if first is None:
            continue
        if words is None:
            words = known_words()  # (built on first use: most cables never ask)
            short = _short_words()
        if first[0].upper() not in words and first[0] not in short:
            continue
        closing.add(m.end() - 1)
        yield Diagnostic(m.start(), m.end(), f"'{_short(m[0])}': 'Q' and 'Q' stand for "
                         "quotation marks lost in a character-set conversion (Cablegate's "
                         "damage)", Fix(f"\u201c{m[1]}\u201d", m.start(), m.end(), False))


@cache
def _short_words() -> frozenset[str]:
    """Common words of two letters (``short_words`` of ``rules/words.yaml``, lower case): the
    known words hold words of four letters or more."""
    return frozenset(str(load_pack("words").get("short_words") or "").split())


def _lost_apostrophe(at: int, word: str, mark: str) -> Diagnostic:
    """Cablegate's apostrophe lost as ``mark`` at ``at`` in ``word``, and its fix."""
    return Diagnostic(at, at + 1, f"'{word}': '{mark}' stands for an apostrophe lost in a "
                      "character-set conversion (Cablegate's damage)",
                      Fix("\u2019", at, at + 1, False))
