"""Portion markings: reading what stands where a marking belongs.

A paragraph's marking follows its number (``1. (SBU) ...``); a heading's opens it
(``### **(SBU) New Focus**``). :func:`read_slot` returns a :class:`~cablelint.model.MarkingSlot`
that is valid, malformed (``(C NF)``, ``( C )``, ``C)``, ``SBU/N)``) or empty. The vocabulary
comes from ``rules/markings.yaml``.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import re
from functools import cache
from typing import NamedTuple

from . import regex
from .model import Marking, MarkingSlot, new_part
from .packs import load_pack

# Markdown residue that may wrap a marking: **(SBU)**, ~~(SBU)~~, *(U)*, _(U)_
_RESIDUE = " \t*~_"
# A parenthesised token right at the slot: at most 40 characters, no nesting.
_PAREN_RE = regex.compile(r"\((?P<inner>[^()\n]{0,40})\)")
# A marking that lost its opening parenthesis: "C)" "SBU/N)" "S//NF)".
_OPEN_LOST_RE = regex.compile(r"(?P<inner>(?:TS|SBU|LOU|U|C|S)(?:/{1,2}[A-Z]{1,8})*)\)(?=\s|$)")
# A marking that lost its closing parenthesis: "(C " "(S/NF ".
_CLOSE_LOST_RE = regex.compile(r"\((?P<inner>(?:TS|SBU|LOU|U|C|S)(?:/{1,2}[A-Z]{1,8})*)(?=\s)")
# A level and a caveat run together or with a space for the slash: "(SNF)", "(C NF)".
_RUN_TOGETHER_RE = regex.compile(
    r"(?:TS|SBU|LOU|U|C|S) ?-? ?(?:NF|NOFORN|FOUO|EXDIS|NODIS|LIMDIS|ORCON|REL\b.*)")
# Caveats that a damaged marking may end with: prefixes of the common ones ("SBU/N)").
_CAVEAT_PREFIXES = ("NF", "NOFORN", "REL", "FOUO", "ORCON")
_SCRAMBLED = frozenset("".join(sorted(m)) for m in ("SNF", "CNF", "SBUNF", "TSNF"))
# OCR's digits for letters inside a marking: "(5BU)", "(C0NF)".
_DIGIT_LETTERS = str.maketrans("5801", "SBOI")
# FOIA withholding where the marking was: "(b)(1)", "(b)(1), (b)(5)".
_WITHHELD_RE = regex.compile(r"\(b\)\(\d\)(?:\([A-F]\))?(?:,? *\(b\)\(\d\)(?:\([A-F]\))?)*")


class Vocabulary(NamedTuple):
    levels: frozenset[str]
    caveats: frozenset[str]
    rel_prefixes: tuple[str, ...]
    entire_text: tuple[str, ...]

    def parse(self, inner: str) -> Marking | None:
        """Parse the text between the parentheses; ``None`` if it is not a valid marking."""
        raw = f"({inner})"
        if inner in self.levels:
            return Marking(raw, inner)
        head, sep, rest = inner.partition(" - ")
        if not sep:
            head, sep, rest = inner.partition("-")
        if sep and head.strip() in self.levels and rest.strip() in self.entire_text:
            return Marking(raw, head.strip(), entire_text=True)
        slash = inner.find("/")
        if slash <= 0:
            return None
        level = inner[:slash]
        if level not in self.levels:
            return None
        caveats = []
        for part in re.split(r"//?", inner[slash:].lstrip("/")):
            part = part.strip()
            if not part:
                return None
            if part in self.caveats or all(x in self.caveats for x in part.split("-")) or any(
                part == p or part.startswith(p + " ") for p in self.rel_prefixes
            ):
                caveats.append(part)
            elif caveats and caveats[-1].startswith("REL") and re.fullmatch(r"[A-Z ,]+", part):
                caveats[-1] += "/" + part
            else:
                return None
        return Marking(raw, level, tuple(caveats))


@cache
def vocabulary() -> Vocabulary:
    pack = load_pack("markings")
    return Vocabulary(
        levels=frozenset(pack["levels"]),
        caveats=frozenset(pack["caveats"]),
        rel_prefixes=tuple(sorted(pack["rel_prefixes"], key=len, reverse=True)),
        entire_text=tuple(pack["entire_text"]),
    )


def _malformed(vocab: Vocabulary, inner: str) -> bool:
    """Is ``inner`` (between parentheses, not a valid marking) a damaged marking, as opposed
    to a parenthesis of another kind ("(NATO)", "(S/S)", "(REF A)")?"""
    stripped = inner.strip()
    if stripped != inner and vocab.parse(stripped) is not None:
        return True  # "( C )"
    if _RUN_TOGETHER_RE.fullmatch(stripped):
        return True  # "(C NF)", "(SNF)"
    if vocab.parse(stripped.translate(_DIGIT_LETTERS)) is not None:
        return True  # "(5BU)"
    if len(stripped) >= 2 and vocab.parse(stripped.upper()) is not None:
        return True  # "(sbu)"
    if "".join(sorted(stripped.replace("/", ""))) in _SCRAMBLED:
        return True  # "(N/SF)": the letters of S/NF in another order
    level, slash, rest = stripped.partition("/")
    caveat = rest.lstrip("/")
    if not slash or level not in vocab.levels:
        return False
    # "(C/)", "(SBU/N)": a level and a cut-off caveat; "(C/PROTECT)": an unknown caveat
    # (one letter after the slash is an office symbol, "(S/S)", unless it starts a caveat)
    return (not caveat or any(c.startswith(caveat) for c in _CAVEAT_PREFIXES)
            or (len(caveat) > 1 and caveat.replace("-", "").isalpha() and caveat.isupper()))


# The markings read so far, by the text between their parentheses: a corpus uses a handful
# (kept to a few thousand, other parentheses included).
# (vocabulary() is read once a process: what _PARSED holds stays true)
_PARSED: dict[str, Marking | None] = {}
_UNREAD = Marking("", "")  # what _PARSED.get gives for a text not read yet
# The first characters of a marking that lost its opening parenthesis (_OPEN_LOST_RE).
_LEVEL_INITIALS = frozenset("TSLUC")


# The slot's residue and what the commonest slots hold (a parenthesised token, a marking that
# lost its opening parenthesis) in one match: most paragraphs take one call of the regex engine
# here, where reading the residue, then each pattern, took several Python steps.
_SLOT_RE = regex.compile(r"[ \t*~_]*+(?:(?P<paren>\((?P<inner>[^()\n]{0,40})\))|(?P<lost>"
                         r"(?:TS|SBU|LOU|U|C|S)(?:/{1,2}[A-Z]{1,8})*\)(?=\s|$))|)")


def read_slot(text: str, pos: int, end: int) -> MarkingSlot:
    """Read the marking slot of ``text`` starting at ``pos`` (not past ``end``)."""
    m = _SLOT_RE.match(text, pos, end)
    if m is None:  # (end before pos: every part of the pattern may be empty)
        return new_part(MarkingSlot, ("", pos, pos, None))
    inner = m["inner"]
    if inner is not None:
        if inner != "b":  # (not "(b)(1)", FOIA's withholding: _read_slot tells)
            # (the memo read here: a call of _parse costs as much as the rest of a slot)
            marking = _PARSED.get(inner, _UNREAD)
            if marking is _UNREAD:
                marking = _parse(inner)
            if marking is not None:
                paren, stop = m.span("paren")
                return new_part(MarkingSlot, (text[paren:stop], paren, stop, marking))
        return _read_slot(text, m.start("paren"), end)
    if m["lost"] is not None:
        return new_part(MarkingSlot, (m["lost"], m.start("lost"), m.end(), None))
    pos = m.end()
    if pos < end and text[pos] == "(":  # a parenthesis _SLOT_RE did not close
        return _read_slot(text, pos, end)
    return new_part(MarkingSlot, ("", pos, pos, None))


def _read_slot(text: str, pos: int, end: int) -> MarkingSlot:
    """:func:`read_slot` by each pattern in turn: the slots its one match does not settle."""
    while pos < end and text[pos] in _RESIDUE:
        pos += 1
    first = text[pos] if pos < end else ""
    # Each pattern runs only when the slot starts with its first character: most paragraphs
    # are unmarked or carry one of a few valid markings.
    if first == "(":
        if text.startswith("(b)(", pos, end):
            withheld = _WITHHELD_RE.match(text, pos, end)
            if withheld:  # the marking was withheld under FOIA, not dropped
                raw = withheld.group(0)
                return new_part(MarkingSlot, (raw, pos, withheld.end(), Marking(raw, "WITHHELD")))
        m = _PAREN_RE.match(text, pos, end)
        if m:
            inner = m["inner"]
            marking = _parse(inner)
            if marking is not None:
                return new_part(MarkingSlot, (m.group(0), pos, m.end(), marking))
            wrapped = pos > 0 and text[pos - 1] in "*~_"
            if _malformed(vocabulary(), inner) or (wrapped and len(inner) <= 3):
                return new_part(MarkingSlot, (m.group(0), pos, m.end(), None))
            return new_part(MarkingSlot, ("", pos, pos, None))
        m = _CLOSE_LOST_RE.match(text, pos, end)
        if m:
            return new_part(MarkingSlot, (m.group(0), pos, m.end(), None))
    elif first in _LEVEL_INITIALS:
        m = _OPEN_LOST_RE.match(text, pos, end)
        if m:
            return new_part(MarkingSlot, (m.group(0), pos, m.end(), None))
    return new_part(MarkingSlot, ("", pos, pos, None))


def _parse(inner: str) -> Marking | None:
    """``vocabulary().parse(inner)``, remembered."""
    try:
        return _PARSED[inner]
    except KeyError:
        if len(_PARSED) > 4096:
            _PARSED.clear()
        marking = _PARSED[inner] = vocabulary().parse(inner)
        return marking
