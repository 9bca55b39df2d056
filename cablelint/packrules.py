"""Rule packs: rules declared in YAML, run like the Python rules.

A rule pack is a YAML file with a list of ``rules``. Each rule has one of five kinds (after
Vale's): ``existence`` (flag these words or phrases), ``substitution`` (observed -> preferred,
the preferred form is the fix), ``occurrence`` (a word must appear at least / at most so many
times), ``conditional`` (if the first appears, the second must too, e.g. ``Summary:`` ...
``End summary.``) and ``consistency`` (two variants must not both appear in one cable). Every
rule also declares its ``code``, ``name``, ``severity``, ``summary``, ``message`` and the
``scope`` of the cable it reads (``header``, ``subject``, ``body``, ``text`` or ``field:NAME``).
``docs/rule-packs.md`` documents every key with examples.

The built-in packs under ``rules/packs/`` use the same kinds; their rules are part of the
registry. A user's packs are named in the configuration (``packs: [...]``) or with ``--pack``.
Each pack rule becomes a :class:`PackRule` subclass, so selection, per-file ignores and
severity overrides treat it as any other rule. A pack is validated by hand against the small
schema below: an error names the file, the rule and the key.

Each rule matches its word list with one compiled alternation (compiled on first use, kept
on the class), tried only where a few planned needles (:func:`plan_needles`), found by
``find`` in a case-folded copy of the text, say a phrase may start (:func:`scan`).
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from . import regex
from .engine import SEVERITIES, Diagnostic, Fix, Rule
from .model import Cable, Furniture
from .packs import PackError, cached_derivation, load_pack, load_yaml, rules_dir

KINDS = ("existence", "substitution", "occurrence", "conditional", "consistency")
SCOPES = ("header", "subject", "body", "text")
#: Built-in codes: one letter and three digits. A user's codes: two to five letters, then
#: one to four digits, not starting with the letter of a built-in family.
BUILTIN_CODE_RE = regex.compile(r"[A-Z][0-9]{3}")
USER_CODE_RE = regex.compile(r"[A-Z]{2,5}[0-9]{1,4}")
NAME_RE = regex.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PLACEHOLDERS = frozenset({"match", "expected", "count"})

_COMMON: dict[str, type | tuple[type, ...]] = {
    "code": str, "name": str, "kind": str, "severity": str, "summary": str, "message": str,
    "scope": str, "description": str, "examples": dict, "link": str, "ignorecase": bool,
    "word-boundary": bool,
}
_REQUIRED = ("code", "name", "kind", "severity", "summary", "message", "scope")
_PAIR: dict[str, type | tuple[type, ...]] = {
    "first": list, "second": list, "expected": str, "message": str, "order": str,
    "paired": bool, "at": str, "skip-headings": bool, "parenthesis": bool, "exempt": str,
    "short-paragraph-words": int, "ignorecase": bool,
}
_KIND_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "existence": {"tokens": list},
    "substitution": {"swap": dict, "safe": bool},
    "occurrence": {"tokens": list, "min": int, "max": int},
    "conditional": {**{k: v for k, v in _PAIR.items() if k != "ignorecase"}, "pairs": list},
    "consistency": {"either": dict},
}
_CHOICES = {"order": ("anywhere", "after"), "at": ("anywhere", "sentence-start"),
            "exempt": ("none", "last-paragraph", "to-end")}


# -- validation -----------------------------------------------------------------------------

class _Where:
    """Names the place of an error: file, rule, key."""

    def __init__(self, path: Path, rule: str) -> None:
        self.path, self.rule = path, rule

    def error(self, key: str, problem: str) -> PackError:
        where = f"{self.path}: rule '{self.rule}'"
        return PackError(f"{where}: '{key}' {problem}" if key else f"{where}: {problem}")


def _typename(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", bool: "true or false", int: "an integer", list: "a list",
             dict: "a mapping"}
    return names[kind] if isinstance(kind, type) else " or ".join(names[k] for k in kind)


def _check_keys(data: Mapping[str, Any], allowed: Mapping[str, type | tuple[type, ...]],
                where: _Where, prefix: str = "") -> None:
    for key, value in data.items():
        if key not in allowed:
            raise where.error(prefix + str(key), f"is not a key of this kind "
                              f"(known: {', '.join(sorted(allowed))})")
        expected = allowed[key]
        if isinstance(value, bool) and expected is int:
            raise where.error(prefix + key, "must be an integer")
        if not isinstance(value, expected):
            raise where.error(prefix + key, f"must be {_typename(expected)}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise where.error(prefix + key, f"must be one of {', '.join(_CHOICES[key])}, "
                              f"not '{value}'")


def _strings(value: list[Any], key: str, where: _Where) -> list[str]:
    if not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise where.error(key, "must be a non-empty list of non-empty strings")
    return value


def _check_message(message: str, key: str, where: _Where) -> None:
    try:
        fields = {f for _t, f, _s, _c in string.Formatter().parse(message) if f is not None}
    except ValueError as exc:
        raise where.error(key, f"is not a valid message template: {exc}") from exc
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise where.error(key, f"uses unknown placeholder {{{sorted(unknown)[0]}}} "
                          f"(known: {{match}}, {{expected}}, {{count}})")


def validate_rule(raw: Any, path: Path, index: int, builtin: bool) -> dict[str, Any]:
    """Check one rule's declaration; return it unchanged or raise :class:`PackError`."""
    label = raw.get("name") or raw.get("code") if isinstance(raw, dict) else None
    where = _Where(path, str(label or f"#{index + 1}"))
    if not isinstance(raw, dict):
        raise where.error("", "must be a mapping of keys")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise where.error("kind", f"must be one of {', '.join(KINDS)}, not '{kind}'")
    _check_keys(raw, {**_COMMON, **_KIND_KEYS[kind]}, where)
    for key in _REQUIRED:
        if key not in raw:
            raise where.error("", f"lacks the required key '{key}'")
    code = raw["code"]
    pattern = BUILTIN_CODE_RE if builtin else USER_CODE_RE
    if not pattern.fullmatch(code):
        shape = ("one letter and three digits" if builtin else
                 "two to five capital letters and one to four digits, e.g. 'XC001'")
        raise where.error("code", f"'{code}' must be {shape}")
    if not NAME_RE.fullmatch(raw["name"]):
        raise where.error("name", f"'{raw['name']}' must be kebab-case (lower-case words "
                          "joined by '-')")
    if raw["severity"] not in SEVERITIES:
        raise where.error("severity", f"must be one of {', '.join(SEVERITIES)}")
    scope = raw["scope"]
    if scope not in SCOPES and not (scope.startswith("field:") and scope[6:].strip()):
        raise where.error("scope", f"must be one of {', '.join(SCOPES)} or field:NAME, "
                          f"not '{scope}'")
    _check_message(raw["message"], "message", where)
    examples = raw.get("examples", {})
    for key, value in examples.items():
        if key not in ("failing", "passing") or not isinstance(value, str):
            raise where.error(f"examples.{key}", "must be 'failing' or 'passing' with a text")
    if builtin and set(examples) != {"failing", "passing"}:
        raise where.error("examples", "of a built-in rule must give 'failing' and 'passing'")
    _KIND_CHECKS[kind](raw, where)
    return raw


def _check_existence(raw: dict[str, Any], where: _Where) -> None:
    if "tokens" not in raw:
        raise where.error("", "lacks the required key 'tokens'")
    _strings(raw["tokens"], "tokens", where)


def _check_substitution(raw: dict[str, Any], where: _Where) -> None:
    swap = raw.get("swap")
    if not swap:
        raise where.error("swap", "must map each observed form to its preferred form")
    for observed, preferred in swap.items():
        if not isinstance(observed, str) or not isinstance(preferred, str) or not observed:
            raise where.error(f"swap.{observed}", "must map a string to a string")


def _check_occurrence(raw: dict[str, Any], where: _Where) -> None:
    if "tokens" not in raw:
        raise where.error("", "lacks the required key 'tokens'")
    _strings(raw["tokens"], "tokens", where)
    if "min" not in raw and "max" not in raw:
        raise where.error("", "needs 'min', 'max' or both")
    if any(raw.get(k, 0) < 0 for k in ("min", "max")):
        raise where.error("min" if raw.get("min", 0) < 0 else "max", "must not be negative")
    if "min" in raw and "max" in raw and raw["min"] > raw["max"]:
        raise where.error("min", "must not be greater than 'max'")


def _check_conditional(raw: dict[str, Any], where: _Where) -> None:
    pairs = raw.get("pairs")
    if pairs is None:
        _check_pair(raw, where, "")
        return
    if "first" in raw or "second" in raw:
        raise where.error("pairs", "replaces 'first' and 'second': give one or the other")
    if not pairs:
        raise where.error("pairs", "must not be empty")
    for i, pair in enumerate(pairs):
        if not isinstance(pair, dict):
            raise where.error(f"pairs[{i}]", "must be a mapping")
        _check_keys(pair, _PAIR, where, f"pairs[{i}].")
        _check_pair(pair, where, f"pairs[{i}].")


def _check_pair(pair: Mapping[str, Any], where: _Where, prefix: str) -> None:
    for key in ("first", "second"):
        if key not in pair:
            raise where.error("", f"lacks the required key '{prefix}{key}'")
        _strings(pair[key], prefix + key, where)
    if "message" in pair:
        _check_message(pair["message"], prefix + "message", where)
    if pair.get("short-paragraph-words", 0) < 0:
        raise where.error(prefix + "short-paragraph-words", "must not be negative")


def _check_consistency(raw: dict[str, Any], where: _Where) -> None:
    either = raw.get("either")
    if not either:
        raise where.error("either", "must map each variant to the variant it excludes")
    for a, b in either.items():
        if not isinstance(a, str) or not isinstance(b, str) or not a or not b or a == b:
            raise where.error(f"either.{a}", "must map a string to a different string")


_KIND_CHECKS = {
    "existence": _check_existence, "substitution": _check_substitution,
    "occurrence": _check_occurrence, "conditional": _check_conditional,
    "consistency": _check_consistency,
}


def validate_pack(data: Any, path: Path, builtin: bool = False) -> list[dict[str, Any]]:
    """Check a whole pack file; return its rules."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise PackError(f"{path}: a rule pack is a mapping with a list of 'rules'")
    unknown = set(data) - {"rules", "description"}
    if unknown:
        raise PackError(f"{path}: unknown key '{sorted(unknown)[0]}' (known: description, "
                        "rules)")
    rules = [validate_rule(raw, path, i, builtin) for i, raw in enumerate(data["rules"])]
    seen: dict[str, str] = {}
    for rule in rules:
        for key in (rule["code"], rule["name"]):
            if key in seen:
                raise PackError(f"{path}: rule '{rule['name']}': '{key}' is used twice in "
                                "this pack")
            seen[key] = rule["name"]
    return rules


# -- matching -------------------------------------------------------------------------------

def phrase_pattern(phrase: str, word_boundary: bool = True) -> str:
    """A phrase as a regex: literal, any run of white space between words (cables wrap
    lines), and word boundaries where the phrase starts or ends with a word character."""
    body = r"\s+".join(re.escape(part) for part in phrase.split())
    if word_boundary and phrase[:1].isalnum():
        body = r"(?<!\w)" + body
    if word_boundary and phrase[-1:].isalnum():
        body += r"(?!\w)"
    return body


def alternation(phrases: list[str], word_boundary: bool, ignorecase: bool) -> str:
    """One alternation of all phrases, longest first (so 'END SUMMARY' wins over 'END')."""
    body = "|".join(phrase_pattern(p, word_boundary)
                    for p in sorted(set(phrases), key=lambda p: (-len(p), p)))
    return f"(?i:{body})" if ignorecase else f"(?:{body})"


def guards(phrases: list[str], ignorecase: bool) -> tuple[tuple[str, bool], ...]:
    """Literal strings where the phrases' matches start: each phrase's first word (with any
    punctuation on it), lower-cased (to be found in the lower-cased text) when case is
    ignored. A word that another one starts with makes that one redundant."""
    words = {p.split()[0].lower() if ignorecase else p.split()[0] for p in phrases}
    kept = {w for w in words if not any(o != w and w.startswith(o) for o in words)}
    return tuple(sorted((w, ignorecase) for w in kept))


def normal(text: str, ignorecase: bool) -> str:
    folded = " ".join(text.split())
    return folded.casefold() if ignorecase else folded


def in_case_of(template: str, match: str) -> str:
    """Write ``template`` in the case of ``match``: upper-case for an upper-case match."""
    letters = [c for c in match if c.isalpha()]
    return template.upper() if len(letters) > 1 and match.isupper() else template


def segments(cable: Cable, scope: str) -> list[tuple[int, int]]:
    """The spans of the cable a rule of this scope reads."""
    if scope == "text":
        return [(0, len(cable.text))]
    if scope == "body":
        return [(cable.body_start, cable.body_end)] if cable.body_end > cable.body_start else []
    if scope == "header":
        return [(cable.header_start, cable.body_start)] if cable.body_start > 0 else []
    name = "SUBJECT" if scope == "subject" else scope[6:].strip().upper()
    return [(f.start, f.end) for f in cable.fields if f.name == name]


def _readable(cable: Cable) -> str:
    """The cable's text with its page furniture (page numbers and headers, stamps, banners)
    blanked out, offsets kept: a phrase a page break split (`End` / `## Page 2` / `summary.`)
    still reads as one. Once per cable, shared by every rule."""
    readable: str | None = cable.memo.get("readable")
    if readable is None:
        text = cable.text
        if cable.furniture:
            spans, last, ordered = [], 0, True
            for item in sorted(cable.furniture, key=_start_of):
                if item.start < last:
                    continue  # (inside the one before: already blank)
                spans.append((item.start, item.end))
                ordered = ordered and item.start <= item.end
                last = item.end
            data, exact = cable.latin1()
            text = _blanked(text, spans, data if exact and ordered and last <= len(text) else None)
        readable = cable.memo["readable"] = text
    return readable


#: Every byte but a line break to a space.
_BLANK_TABLE = bytes(10 if i == 10 else 32 for i in range(256))


def _blanked(text: str, spans: list[tuple[int, int]], latin1: bytes | None) -> str:
    """``text`` with the characters of each span (sorted, apart) but line breaks turned into
    spaces. A Latin-1 text (``latin1``: its bytes, given when the spans are all inside it,
    start <= end <= len(text)) is blanked as a copy of its bytes, in place (one table
    look-up a span); another text cut and joined."""
    if latin1 is None:
        pieces, last = [], 0
        for start, end in spans:
            pieces.append(text[last:start])
            pieces.append(_blank(text, start, end))
            last = end
        pieces.append(text[last:])
        return "".join(pieces)
    data = bytearray(latin1)
    for start, end in spans:
        data[start:end] = data[start:end].translate(_BLANK_TABLE)
    return data.decode("latin-1")


def _start_of(item: Furniture) -> int:
    return item.start


def _blank(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with every character but a newline turned into a space."""
    if text.find("\n", start, end) == -1:  # furniture is mostly one line
        return " " * (end - start)
    return "\n".join(" " * len(line) for line in text[start:end].split("\n"))


def _lowered(cable: Cable) -> str | None:
    """The cable's readable text lower-cased (once per cable, shared by every rule), or None
    when lower-casing moves offsets (a few characters lower-case to two)."""
    if "lower" not in cable.memo:
        readable = _readable(cable)
        folded = readable.lower()
        cable.memo["lower"] = folded if len(folded) == len(readable) else None
    lowered: str | None = cable.memo["lower"]
    return lowered


#: Characters that ``str.lower`` or a case-insensitive regex fold onto an ASCII letter, or
#: that lower-case to two characters (İ ı ſ K): a text holding one takes the slow path.
_ODD_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")
#: The fixed-width encodings of a text whose characters all fit in one, two or four bytes.
_CODECS = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}


class Folded(NamedTuple):
    data: bytes  # the text in a fixed-width encoding, ASCII letters lower-cased
    width: int  # bytes a character: character i is at data[i * width]
    exact: bool = True  # False: a character past U+00FF is a "?" (one byte: width 1)


def folded_text(cable: Cable) -> Folded | None:
    """The cable's text with its ASCII letters lower-cased, as bytes of one byte a
    character: the Latin-1 bytes the rules share (:meth:`Cable.latin1`) lower-cased, once
    per cable, shared by every rule. An ASCII needle is found in it exactly where it is
    found in ``text.lower()``. A character past U+00FF is a ``?`` in it (``exact`` false):
    only a needle holding a ``?`` can be found there, and every place a needle is found is
    only a place to read the text itself at (a rule's regex, ``startswith``), so the
    needles find what they found in a wider encoding of the text (UTF-16), without the
    copy. None when the text holds one of :data:`_ODD_FOLDS`."""
    if "folded" not in cable.memo:
        data, exact = cable.latin1()
        found: Folded | None = None
        if exact or not any(c in cable.text for c in _ODD_FOLDS):
            found = Folded(data.lower(), 1, exact)
        cable.memo["folded"] = found
    folded: Folded | None = cable.memo["folded"]
    return folded


def folded_finds(cable: Cable, needle: str) -> list[int] | None:
    """The offsets where ``needle`` (ASCII, in lower case) stands in the cable's text with
    its letters in any case, in order: one C-speed search of the folded text
    (:func:`folded_text`, shared by every rule) for every way of writing it. None when the text
    has no folded form."""
    folded = folded_text(cable)
    if folded is None:
        return None
    data, width, _exact = folded
    pattern = needle.encode(_CODECS[width])
    found = []
    at = data.find(pattern)
    while at != -1:
        if not at % width:
            found.append(at // width)
        at = data.find(pattern, at + 1)
    return found


def find_all(text: str, literal: str) -> Iterator[int]:
    """The offsets where ``literal`` stands in ``text``, in order (each found by ``str.find``,
    at memchr speed for one character)."""
    at = text.find(literal)
    while at != -1:
        yield at
        at = text.find(literal, at + 1)


class Way(NamedTuple):
    """How a needle sits in some phrases: at ``offset`` in a word that is the phrases' first
    (one of ``firsts``), or that follows other words (``befores``: for each phrase, its
    words before, nearest first, each with its length and followed by white space). The
    words are as they are in the text searched: bytes of the needle's width when folded."""

    offset: int
    firsts: tuple[str | bytes, ...]
    befores: tuple[tuple[tuple[int, str | bytes], ...], ...]


class Needle(NamedTuple):
    """A literal that every match of some of a rule's phrases holds: a piece of one of their
    words (lower-cased when ``folded``), with the ways (:class:`Way`) to get from where it is
    found back to where such a phrase would start, for each width of the folded text (the
    text itself for a needle that is not folded: width 1)."""

    text: str
    folded: bool
    plans: dict[int, tuple[str | bytes, tuple[Way, ...]]]  # width: (needle, ways)


def _pieces(word: str) -> Iterator[tuple[str, int]]:
    """A word and the word without its leading or trailing punctuation, each with where it
    is in the word: the candidate needles of a phrase."""
    core = word.strip(string.punctuation)
    for piece in {word, word.rstrip(string.punctuation), core,
                  word.lstrip(string.punctuation)}:
        if piece:
            yield piece, word.index(piece)


def plan_needles(phrases: Iterable[tuple[str, bool]]) -> tuple[Needle, ...] | None:
    """Few needles that between them are in every phrase (``(phrase, ignorecase)``): the
    needle in most phrases first, the longest of those, so that one search for `summary`
    finds `End summary`, `Summary:` and `Begin summary`. None when a case-insensitive phrase
    is not ASCII (the folded text folds only ASCII letters)."""
    words_of: set[tuple[tuple[str, ...], bool]] = set()
    for phrase, folded in phrases:
        if folded and not phrase.isascii():
            return None
        words = tuple((phrase.lower() if folded else phrase).split())
        if not words:
            return None
        words_of.add((words, folded))
    needles = []
    while words_of:
        counts: dict[tuple[str, bool], int] = {}
        for words, folded in words_of:
            for piece in {p for w in words for p, _at in _pieces(w)}:
                counts[piece, folded] = counts.get((piece, folded), 0) + 1
        text, folded = max(counts, key=lambda n: (counts[n], len(n[0]), n))
        shapes: dict[tuple[int, tuple[str, ...]], set[str]] = {}
        for words, phrase_folded in sorted(words_of):
            holds = [(k, at) for k, w in enumerate(words) for p, at in _pieces(w) if p == text]
            if phrase_folded != folded or not holds:
                continue
            words_of.discard((words, folded))
            for k, at in holds:
                shapes.setdefault((at, words[k - 1::-1] if k else ()), set()).add(words[k])
        plans = {}
        for width, codec in (_CODECS if folded else {1: None}).items():
            def form(word: str, codec: str | None = codec) -> str | bytes:
                return word if codec is None else word.encode(codec)
            ways = []
            for at in sorted({at for at, _before in shapes}):
                firsts = shapes.get((at, ()), set())
                befores = sorted(before for at2, before in shapes if at2 == at and before)
                ways.append(Way(at, tuple(form(w) for w in sorted(firsts)), tuple(
                    tuple((len(w), form(w)) for w in before) for before in befores)))
            plans[width] = (form(text), tuple(ways))
        needles.append(Needle(text, folded, plans))
    return tuple(sorted(needles, key=lambda n: (n.text, n.folded)))


def _walk_back(haystack: str | bytes, width: int, text: str, gap: int,
               before: tuple[tuple[int, str | bytes], ...], floor: int) -> int:
    """Where the words ``before`` start, the nearest ending at ``gap`` (white space between
    them, read in ``text``; the words read in ``haystack``); -1 when they are not there."""
    pos = gap
    for k, (length, word) in enumerate(before):
        if k:
            gap = _end_before(text, pos, floor)
        pos = gap - length
        if pos < floor or not haystack.startswith(word, pos * width):  # type: ignore[arg-type]
            return -1
    return pos


def _end_before(text: str, pos: int, floor: int) -> int:
    """Where the word before ``pos`` ends, past the white space before ``pos``; -1 when no
    white space is before ``pos`` (not before ``floor``)."""
    i = pos - 1
    if i < floor or not text[i].isspace():
        return -1
    while i >= floor and text[i].isspace():
        i -= 1
    return i + 1


def _fast(cable: Cable, compiled: _Compiled) -> bool:
    """Can :func:`scan` find this rule's matches by its needles in this cable?"""
    return compiled.needles is not None and (
        not compiled.folds or folded_text(cable) is not None)


def _starts(cable: Cable, needles: tuple[Needle, ...], start: int, end: int, reach: int = 0
            ) -> tuple[set[int], str]:
    """Where matches may start, and the text to match in (the cable's text, or its readable
    text when page furniture is in the way): walked back from every place a needle is found
    over the phrase's words before it. The needles and words are looked for in the text as
    it is (folded or not), which holds them wherever the readable text does (furniture is
    blanked in that); the white space between them is read in the text to match in.
    ``reach``: how many characters but white space a phrase holds at most, plus the two that
    ends of a match are tested by (0: unknown): page furniture farther from every needle
    found than that is in nobody's way (:func:`_clear`)."""
    found = []
    for needle in needles:
        haystack: str | bytes
        if needle.folded:
            folded = folded_text(cable)
            assert folded is not None
            haystack, width = folded.data, folded.width
        else:
            haystack, width = cable.text, 1
        pattern, ways = needle.plans[width]
        stop = end * width
        at = haystack.find(pattern, start * width, stop)  # type: ignore[arg-type]
        while at != -1:
            if not at % width:
                found.append((haystack, width, ways, at // width))
            at = haystack.find(pattern, at + 1, stop)  # type: ignore[arg-type]
    if not found:
        return set(), cable.text
    text = cable.text
    if _furnished(cable, start - 1, end) and not (
            reach and _clear(cable, [hit[3] for hit in found], reach)):
        text = _readable(cable)
    positions: set[int] = set()
    for haystack, width, ways, at in found:
        for offset, firsts, befores in ways:
            word_at = at - offset
            if word_at < start:
                continue
            if firsts and haystack.startswith(firsts, word_at * width):  # type: ignore[arg-type]
                positions.add(word_at)
            # (what _end_before and the first step of _walk_back do, inline: most words
            # found are not preceded by the word a phrase puts before them)
            if not befores or word_at <= start or not text[word_at - 1].isspace():
                continue
            gap = word_at - 1
            while gap > start and text[gap - 1].isspace():
                gap -= 1
            for before in befores:
                length, word = before[0]
                pos = gap - length
                if pos < start or not haystack.startswith(word, pos * width):  # type: ignore[arg-type]
                    continue
                if len(before) > 1:
                    pos = _walk_back(haystack, width, text, gap, before, start)
                if pos != -1:
                    positions.add(pos)
    return positions, text


def _clear(cable: Cable, hits: list[int], reach: int) -> bool:
    """Is page furniture out of reach of every needle found (at ``hits``)? Then the text and
    its readable text (:func:`_readable`: furniture blanked) read alike wherever a phrase is
    looked for, and the readable text need not be made (a copy of the text, and a Python
    step for each piece of furniture). From a needle, a phrase's match is looked for back
    and forth over at most ``reach`` characters but white space (the phrase's own, and the
    character each end is tested with) and any white space between; furniture with at least
    that many characters but white space between it and the needle is never read. (The
    furniture's spans are the model's, sorted once, :meth:`Cable.furniture_spans`; unusual
    furniture, a span that ends before it starts or after the text, takes the readable text
    as before.)"""
    starts, ends, proper = cable.furniture_spans()
    if not proper:
        return False
    text = cable.text
    for at in hits:
        k = bisect_right(starts, at)  # the pieces that start at or before ``at``
        # (ends[k - 1]: the farthest end of those, past ``at`` when one holds it)
        if k and (ends[k - 1] > at or _near(text, ends[k - 1], at, reach, True)):
            return False
        if k < len(starts) and _near(text, at, starts[k], reach, False):
            return False
    return True


def _near(text: str, lo: int, hi: int, reach: int, back: bool) -> bool:
    """Does ``text[lo:hi]`` hold fewer than ``reach`` characters but white space? (Read
    from ``hi`` back, or from ``lo`` on, a window at a time: a long span is not read whole.)"""
    width = 2 * reach
    while True:
        if hi - lo <= width:
            return len("".join(text[lo:hi].split())) < reach
        piece = text[hi - width : hi] if back else text[lo : lo + width]
        if len("".join(piece.split())) >= reach:
            return False
        width *= 4


def _furnished(cable: Cable, lo: int, hi: int) -> bool:
    """Does page furniture touch the offsets from ``lo`` to ``hi`` (not included)?"""
    return any(item.start < hi and item.end > lo for item in cable.furniture)


def _guarded(cable: Cable, spans: list[tuple[int, int]], compiled: _Compiled) -> bool:
    if _fast(cable, compiled):
        return True  # the needles are the guard: scan finds nothing where none is found
    for needle, folded in compiled.guard:
        haystack = _lowered(cable) if folded else cable.text
        if haystack is None or any(haystack.find(needle, s, e) != -1 for s, e in spans):
            return True
    return False


def scan(cable: Cable, compiled: _Compiled, start: int, end: int) -> list[re.Match[str]]:
    """The matches of ``compiled.regex`` in the readable text between ``start`` and ``end``
    that start where a needle says a phrase may start, left to right, not overlapping. A
    regex alternation of many phrases tried at every position of a cable costs ten times a
    plain regex pass, so ``find`` locates the places to try and the regex runs only there.

    The needles (:func:`plan_needles`) are few and long; where they cannot be used (a rule
    with non-ASCII case-insensitive phrases, a text holding one of :data:`_ODD_FOLDS`), the
    anchors are: each phrase's first word, found in the lower-cased readable text. The
    readable text is the text itself where no page furniture is in the way."""
    if _fast(cable, compiled):
        assert compiled.needles is not None
        positions, text = _starts(cable, compiled.needles, start, end, compiled.reach)
    else:
        text = _readable(cable)
        positions = set()
        for needle, folded in compiled.anchors:
            haystack = _lowered(cable) if folded else text
            if haystack is None:
                return list(compiled.regex.finditer(text, start, end))
            at = haystack.find(needle, start, end)
            while at != -1:
                positions.add(at)
                at = haystack.find(needle, at + 1, end)
    found: list[re.Match[str]] = []
    last = start
    for pos in sorted(positions):
        if pos < last:
            continue
        m = compiled.regex.match(text, pos, end)
        if m is not None:
            found.append(m)
            last = max(m.end(), pos + 1)
    return found


# -- rules ----------------------------------------------------------------------------------

class _Compiled:
    """A pack rule's programs, built on its first check."""

    __slots__ = ("regex", "guard", "groups", "anchors", "phrases", "needles", "folds", "reach")

    def __init__(
        self,
        regex: re.Pattern[str],
        guard: tuple[tuple[str, bool], ...],  # one must be in the scope, or nothing is found
        groups: dict[str, Any],
        anchors: tuple[tuple[str, bool], ...] = (),  # where matches start (default: the guard)
        #: the rule's phrases, with whether case is ignored: the needles are planned from them
        phrases: tuple[tuple[str, bool], ...] = (),
    ) -> None:
        self.regex = regex
        self.guard = guard
        self.groups = groups
        self.anchors = anchors or guard
        self.phrases = phrases
        self.needles: tuple[Needle, ...] | None = plan_needles(phrases) if phrases else None
        self.folds = any(n.folded for n in self.needles or ())  # is a needle folded?
        # characters but white space a match reads at most from where a needle is found:
        # the longest phrase's, and one before and one after it (word boundaries)
        self.reach = max((len("".join(p.split())) for p, _ in phrases), default=0) + 3


class PackRule(Rule):
    """A rule declared in a YAML pack (subclassed once per declaration)."""

    kind: ClassVar[str]
    spec: ClassVar[dict[str, Any]]
    source: ClassVar[str]  # the pack file, as shown to the user
    source_path: ClassVar[str]  # the pack file
    builtin: ClassVar[bool]
    _compiled: ClassVar[_Compiled | None] = None

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        cls = type(self)
        spans = segments(cable, cls.spec["scope"])
        if not spans:
            return
        compiled = cls._compiled or cls._compile()
        if compiled.guard and not _guarded(cable, spans, compiled):
            return
        yield from _CHECKS[cls.kind](cls, cable, spans, compiled)

    @classmethod
    def _compile(cls) -> _Compiled:
        cls._compiled = _COMPILERS[cls.kind](cls.spec)
        return cls._compiled

    @classmethod
    def message(cls, template: str | None = None, **values: Any) -> str:
        return (template or cls.spec["message"]).format(**values)

    @classmethod
    def documentation(cls) -> str:
        import yaml  # only for `cablelint rule NAME`

        spec = cls.spec
        parts = [spec.get("description", spec["summary"] + ".").strip()]
        examples = spec.get("examples", {})
        for key in ("failing", "passing"):
            if key in examples:
                body = "\n".join(("    " + line).rstrip()
                                 for line in examples[key].rstrip().splitlines())
                parts.append(f"{key.capitalize()}::\n\n{body}")
        declared = declaration(Path(cls.source_path), spec["name"]) or yaml.safe_dump(
            {k: v for k, v in spec.items() if k not in ("description", "examples")},
            sort_keys=False, allow_unicode=True, width=96)
        body = "\n".join(("    " + line).rstrip() for line in declared.rstrip().splitlines())
        article = "an" if cls.kind[0] in "aeiou" else "a"  # an existence, an occurrence rule
        parts.append(f"Declared in {cls.source} ({article} {cls.kind} rule)::\n\n{body}")
        return "\n\n".join(parts)


def declaration(path: Path, name: str) -> str | None:
    """The rule's own lines in its pack file, without its description and examples (which
    the documentation shows above it); None when the file cannot be read as it was."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    lines = text.splitlines()
    rules = next((v for k, v in getattr(root, "value", ()) if k.value == "rules"), None)
    for node in getattr(rules, "value", ()):
        keys = {k.value: (k, v) for k, v in getattr(node, "value", ())}
        if "name" not in keys or keys["name"][1].value != name:
            continue
        shown = []
        for key, value in node.value:
            if key.value in ("description", "examples"):
                continue
            last = value.end_mark.line - (1 if value.end_mark.column == 0 else 0)
            shown.extend(lines[key.start_mark.line : last + 1])
        indent = min(len(line) - len(line.lstrip()) for line in shown if line.strip())
        return "\n".join(line[indent:] for line in shown)
    return None


def _word_boundary(spec: Mapping[str, Any]) -> bool:
    return bool(spec.get("word-boundary", True))


def _compile_words(spec: dict[str, Any]) -> _Compiled:
    tokens = spec["tokens"]
    ignorecase = bool(spec.get("ignorecase", False))
    regex = re.compile(alternation(tokens, _word_boundary(spec), ignorecase))
    anchors = guards(tokens, ignorecase)
    # a minimum count is broken exactly where no token is found: no guard then
    return _Compiled(regex, () if spec.get("min") else anchors, {}, anchors,
                     phrases=tuple((t, ignorecase) for t in tokens))


def _compile_substitution(spec: dict[str, Any]) -> _Compiled:
    swap = spec["swap"]
    ignorecase = bool(spec.get("ignorecase", False))
    regex = re.compile(alternation(list(swap), _word_boundary(spec), ignorecase))
    lookup = {normal(k, ignorecase): v for k, v in swap.items()}
    return _Compiled(regex, guards(list(swap), ignorecase), {"lookup": lookup},
                     phrases=tuple((k, ignorecase) for k in swap))


def _compile_consistency(spec: dict[str, Any]) -> _Compiled:
    either = spec["either"]
    ignorecase = bool(spec.get("ignorecase", False))
    variants = [*either, *either.values()]
    regex = re.compile(alternation(variants, _word_boundary(spec), ignorecase))
    group = {}
    for i, (a, b) in enumerate(either.items()):
        group[normal(a, ignorecase)] = (i, 0)
        group[normal(b, ignorecase)] = (i, 1)
    return _Compiled(regex, guards(variants, ignorecase), {"group": group},
                     phrases=tuple((v, ignorecase) for v in variants))


class Pair(NamedTuple):
    """One first/second pair of a conditional rule, with its options."""

    index: int
    second_of: str  # regex group names
    first_of: str
    expected: str
    message: str | None
    order: str
    paired: bool
    at: str
    skip_headings: bool
    parenthesis: bool
    exempt: str
    short_words: int
    ignorecase: bool


def _compile_conditional(spec: dict[str, Any]) -> _Compiled:
    raw_pairs = spec.get("pairs") or [
        {k: v for k, v in spec.items() if k in _PAIR}]
    parts, needles, anchors, pairs, phrases = [], [], [], [], []
    for i, raw in enumerate(raw_pairs):
        ignorecase = bool(raw.get("ignorecase", spec.get("ignorecase", False)))
        wb = _word_boundary(spec)
        # the seconds come first: at one position, 'End comment' wins over 'comment.'
        parts.append(f"(?P<s{i}>{alternation(raw['second'], wb, ignorecase)})")
        parts.append(f"(?P<f{i}>{alternation(raw['first'], wb, ignorecase)})")
        needles.extend(guards(raw["first"], ignorecase))
        anchors.extend(guards(raw["first"] + raw["second"], ignorecase))
        phrases.extend((p, ignorecase) for p in raw["first"] + raw["second"])
        pairs.append(Pair(
            index=i, second_of=f"s{i}", first_of=f"f{i}",
            expected=raw.get("expected", raw["second"][0]), message=raw.get("message"),
            order=raw.get("order", "anywhere"), paired=bool(raw.get("paired", False)),
            at=raw.get("at", "anywhere"), skip_headings=bool(raw.get("skip-headings", False)),
            parenthesis=bool(raw.get("parenthesis", False)),
            exempt=raw.get("exempt", "none"),
            short_words=int(raw.get("short-paragraph-words", 0)), ignorecase=ignorecase,
        ))
    return _Compiled(regex.compile("|".join(parts)), tuple(sorted(set(needles))),
                     {"pairs": pairs}, tuple(sorted(set(anchors))), tuple(phrases))


_COMPILERS = {
    "existence": _compile_words, "occurrence": _compile_words,
    "substitution": _compile_substitution, "conditional": _compile_conditional,
    "consistency": _compile_consistency,
}


def _check_existence_rule(cls: type[PackRule], cable: Cable, spans: list[tuple[int, int]],
                          compiled: _Compiled) -> Iterator[Diagnostic]:
    for start, end in spans:
        for m in scan(cable, compiled, start, end):
            yield Diagnostic(m.start(), m.end(), cls.message(match=m.group(0), expected="",
                                                             count=1))


def _check_substitution_rule(cls: type[PackRule], cable: Cable, spans: list[tuple[int, int]],
                             compiled: _Compiled) -> Iterator[Diagnostic]:
    ignorecase = bool(cls.spec.get("ignorecase", False))
    safe = bool(cls.spec.get("safe", False))
    lookup = compiled.groups["lookup"]
    for start, end in spans:
        for m in scan(cable, compiled, start, end):
            found = m.group(0)
            preferred = lookup.get(normal(found, ignorecase))
            if preferred is None or preferred == found:
                continue
            if ignorecase:
                preferred = in_case_of(preferred, found)
            yield Diagnostic(m.start(), m.end(),
                             cls.message(match=found, expected=preferred, count=1),
                             Fix(preferred, m.start(), m.end(), safe))


def _check_occurrence_rule(cls: type[PackRule], cable: Cable, spans: list[tuple[int, int]],
                           compiled: _Compiled) -> Iterator[Diagnostic]:
    low, high = cls.spec.get("min"), cls.spec.get("max")
    for start, end in spans:
        found = scan(cable, compiled, start, end)
        if high is not None and len(found) > high:
            m = found[high]
            yield Diagnostic(m.start(), m.end(), cls.message(
                match=m.group(0), count=len(found), expected=f"at most {high}"))
        if low is not None and len(found) < low:
            yield Diagnostic(start, start, cls.message(
                match=cls.spec["tokens"][0], count=len(found), expected=f"at least {low}"))


def _check_consistency_rule(cls: type[PackRule], cable: Cable, spans: list[tuple[int, int]],
                            compiled: _Compiled) -> Iterator[Diagnostic]:
    ignorecase = bool(cls.spec.get("ignorecase", False))
    group = compiled.groups["group"]
    seen: dict[int, dict[int, list[re.Match[str]]]] = {}
    for start, end in spans:
        for m in scan(cable, compiled, start, end):
            where = group.get(normal(m.group(0), ignorecase))
            if where is not None:
                seen.setdefault(where[0], {}).setdefault(where[1], []).append(m)
    for sides in seen.values():
        if len(sides) < 2:
            continue
        # the variant written first is the cable's; every use of the other is reported
        first_side = min(sides, key=lambda side: sides[side][0].start())
        expected = sides[first_side][0].group(0)
        for m in sides[1 - first_side]:
            yield Diagnostic(m.start(), m.end(),
                             cls.message(match=m.group(0), expected=expected, count=1))


# -- conditional ----------------------------------------------------------------------------

_SKIPPED_BEFORE = " \t*_#>"
_SENTENCE_BEFORE = frozenset(".!?:;)]([|\"'\u201d\u2019")
_RULE_LINE_RE = regex.compile(r"[ \t]*[-=_]{3,}[- =_]*$")


def at_sentence_start(text: str, pos: int, floor: int) -> bool:
    """Does ``pos`` start a sentence: written with a capital letter, and with only blanks and
    Markdown emphasis between it and the start of the scope, a paragraph (after a blank
    line), an opening bracket, a portion marking or the end of a sentence? A line start
    alone is not enough: a hard-wrapped line may start with the last word of a sentence
    ("declined to\ncomment.")."""
    first = next((c for c in text[pos : pos + 4] if c.isalpha()), "")
    if not first.isupper():
        return False
    i = pos - 1
    while i >= floor and text[i] in _SKIPPED_BEFORE:
        i -= 1
    if i < floor or text[i] in _SENTENCE_BEFORE:
        return True
    if text[i] != "\n":
        return False
    newlines = 0
    while i >= floor and text[i] in " \t\r\n*_#>":
        newlines += text[i] == "\n"
        i -= 1
    return i < floor or newlines >= 2 or text[i] in _SENTENCE_BEFORE


class HeadingLines:
    """What :func:`is_heading` has told of the lines of one text: by a line's start, whether
    it is a heading whatever the position on it and whether it opens with ``#``; and the
    span of the line last asked (the next position is most often on it: a damaged text of
    thousands of openers on one line looked for the line's ends from each)."""

    __slots__ = ("known", "start", "end")

    def __init__(self) -> None:
        self.known: dict[int, tuple[bool, bool]] = {}
        self.start = self.end = -1


def is_heading(text: str, pos: int, lines: HeadingLines | None = None) -> bool:
    """Is the line holding ``pos`` a section heading: underlined with dashes (on the next
    line, or run onto the same line), written ``//COMMENT//``, or a Markdown heading of the
    word alone (``### SUMMARY:``; ``### 1. SUMMARY: text`` is a paragraph set as a heading)?
    ``lines`` keeps what is told of a line for the next position on it."""
    if lines is not None and lines.start <= pos < lines.end:
        line_start, line_end = lines.start, lines.end
    else:
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end == -1 else line_end
    known = None if lines is None else lines.known.get(line_start)
    if known is None:
        known = _heading_line(text, line_start, line_end)
        if lines is not None:
            lines.known[line_start] = known
    if lines is not None:
        lines.start, lines.end = line_start, line_end
    heading, markdown = known
    # a Markdown heading of the word alone (its first word from pos: split at most once)
    return heading or (markdown and len(text[pos:line_end].split(None, 1)) == 1)


def _heading_line(text: str, line_start: int, line_end: int) -> tuple[bool, bool]:
    """(Is the line a heading whatever the position on it; does it open with ``#``?)"""
    line = text[line_start:line_end].strip()
    if line.startswith("//") or line.endswith("---"):  # run onto the line: `COMMENT ---`
        return True, False
    markdown = line.startswith("#")
    if len(line.split(None, _HEADING_MAX_WORDS)) > _HEADING_MAX_WORDS:  # (a line's first words)
        return False, markdown  # a paragraph on one line, above the rule that tops the next
        # heading
    nxt_end = text.find("\n", line_end + 1)
    nxt = text[line_end + 1 : len(text) if nxt_end == -1 else nxt_end]
    return bool(nxt.strip()) and bool(_RULE_LINE_RE.match(nxt)), markdown


#: A line underlined with dashes is a heading only when it is this short: a paragraph kept on
#: one line (Cablegate web pages, cables.csv) may stand above the dashes that open a heading
#: framed by two rules ("-----" / "ONA FIRES CEO" / "-----").
_HEADING_MAX_WORDS = 12


def paren_closes(text: str, open_at: int, end: int) -> bool:
    """Is the parenthesis at ``open_at`` closed before ``end``? (From closing parenthesis to
    closing parenthesis: the depth changes by the opening ones between, less one.)"""
    depth, pos = 0, open_at
    while (close := text.find(")", pos, end)) != -1:
        depth += text.count("(", pos, close) - 1
        if depth == 0:
            return True
        pos = close + 1
    return False


_BLANK_LINE_RE = regex.compile(r"\n[ \t]*\n")


class _LastParagraph:
    """Is a position in the last paragraph before ``end``? Later paragraphs of fewer than
    ``short_words`` words (a coordination note, an empty last number) do not count. The
    numbered paragraphs are the paragraphs when the cable has any; else blank lines part
    them. Asked of every opener left unclosed, each answer costs a bisection or a look-up,
    not a walk over the later paragraphs (a damaged text of thousands of openers and
    paragraphs took minutes)."""

    def __init__(self, cable: Cable, end: int, short_words: int) -> None:
        self.text, self.end, self.words = cable.text, end, max(short_words, 1)
        paras = [p for p in cable.paragraphs if p.start < end]
        self.numbered = bool(cable.paragraphs)
        self.starts = [p.start for p in paras]  # (in the order of the text)
        # short_from[i]: every paragraph from the i-th on is short
        short_from = [True] * (len(paras) + 1)
        for i in range(len(paras) - 1, -1, -1):
            p = paras[i]
            s = max(p.number_end, p.slot.end if p.slot.raw else 0)
            short_from[i] = short_from[i + 1] and self._short(s, p.end)
        self.short_from = short_from
        self.after_gap: dict[int, bool] = {}  # a blank line's start -> all after it short

    def _short(self, start: int, end: int) -> bool:
        return len(self.text[start:end].split()) < self.words

    def __call__(self, pos: int) -> bool:
        if self.numbered:
            return self.short_from[bisect_right(self.starts, pos)]
        gap = _BLANK_LINE_RE.search(self.text, pos, self.end)
        if gap is None:
            return True
        chain = []  # the blank lines after it, to one already answered or the end
        while gap is not None and gap.start() not in self.after_gap:
            chain.append(gap)
            gap = _BLANK_LINE_RE.search(self.text, gap.end(), self.end)
        short = True if gap is None else self.after_gap[gap.start()]
        nxt = None if gap is None else gap.start()
        for g in reversed(chain):
            short = short and self._short(g.end(), self.end if nxt is None else nxt)
            self.after_gap[g.start()] = short
            nxt = g.start()
        return short


def _check_conditional_rule(cls: type[PackRule], cable: Cable, spans: list[tuple[int, int]],
                            compiled: _Compiled) -> Iterator[Diagnostic]:
    pairs: list[Pair] = compiled.groups["pairs"]
    for start, end in spans:
        firsts: dict[int, list[re.Match[str]]] = {p.index: [] for p in pairs}
        closers: dict[int, list[int]] = {p.index: [] for p in pairs}
        for m in scan(cable, compiled, start, end):
            group = m.lastgroup or "f0"
            if group[0] == "f":
                firsts[int(group[1:])].append(m)
            else:
                closers[int(group[1:])].append(m.start())
        for pair in pairs:
            if firsts[pair.index]:
                yield from _unclosed(cls, cable, pair, firsts[pair.index], closers[pair.index],
                                     start, end)


def _unclosed(cls: type[PackRule], cable: Cable, pair: Pair, found: list[re.Match[str]],
              closers: list[int], start: int, end: int) -> Iterator[Diagnostic]:
    text = cable.text
    ordered = pair.paired or pair.order == "after"
    firsts = []
    lines = HeadingLines()  # is_heading's lines
    for m in found:
        if pair.at == "sentence-start" and not at_sentence_start(text, m.start(), start):
            continue
        if pair.skip_headings and is_heading(text, m.start(), lines):
            continue
        if cable.quoted(m.start()):
            continue
        paren = m.start() if text[m.start()] == "(" else m.start() - 1
        firsts.append((m, paren if pair.parenthesis and paren >= start and text[paren] == "("
                       else None))
    # (sorted positions: each opener's next opener and next closer are bisections, not a
    # walk over them all, quadratic in a damaged text of thousands of "SUMMARY:")
    bounds = sorted(m.start() for m, paren in firsts if paren is None)
    closers = sorted(closers)
    last: _LastParagraph | None = None
    for m, paren in firsts:
        if paren is not None and paren_closes(text, paren, end):
            continue
        limit = end
        if pair.paired:
            k = bisect_right(bounds, m.start())
            limit = bounds[k] if k < len(bounds) else end
        if ordered:
            k = bisect_left(closers, m.end())
            if k < len(closers) and closers[k] < limit:
                continue
        elif closers:
            continue
        if paren is None and pair.exempt == "last-paragraph" and last is None:
            last = _LastParagraph(cable, end, pair.short_words)
        if paren is None and ((pair.exempt == "to-end" and limit == end) or (
                last is not None and pair.exempt == "last-paragraph" and last(m.start()))):
            continue  # the section runs to the end of the scope
        found_text = " ".join(m.group(0).split())
        expected = in_case_of(pair.expected, found_text) if pair.ignorecase else pair.expected
        yield Diagnostic(m.start(), m.end(), cls.message(
            pair.message, match=found_text, expected=expected, count=0))


_CHECKS = {
    "existence": _check_existence_rule, "substitution": _check_substitution_rule,
    "occurrence": _check_occurrence_rule, "conditional": _check_conditional_rule,
    "consistency": _check_consistency_rule,
}


# -- loading --------------------------------------------------------------------------------

def _class_name(name: str) -> str:
    return "Pack_" + "".join(part.capitalize() for part in name.split("-"))


def make_rule(spec: dict[str, Any], path: Path, source: str, builtin: bool
              ) -> type[PackRule]:
    attrs = {"source_path": str(path),
        "code": spec["code"], "name": spec["name"], "severity": spec["severity"],
        "summary": spec["summary"], "kind": spec["kind"], "spec": spec, "source": source,
        "builtin": builtin, "__doc__": spec.get("description", spec["summary"]),
        "__module__": __name__,
        "fixes": (("safe",) if spec.get("safe") else ("unsafe",))
        if spec["kind"] == "substitution" else (),
    }
    return type(_class_name(spec["name"]), (PackRule,), attrs)


@cache
def builtin_pack_rules() -> tuple[type[PackRule], ...]:
    """The rules of the built-in packs ``rules/packs/*.yaml``, in file and rule order."""
    folder = rules_dir() / "packs"
    rules: list[type[PackRule]] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        name = f"packs/{path.stem}"
        for spec in validate_pack(load_pack(name), path, builtin=True):
            rules.append(make_rule(spec, path, f"rules/{name}.yaml", builtin=True))
    return tuple(rules)


@cache
def _load_user_pack(resolved: str, stamp: tuple[int, int]) -> tuple[type[PackRule], ...]:
    path = Path(resolved)
    data = cached_derivation(f"rulepack:{resolved}", [path], lambda: _plain(load_yaml(path)))
    return tuple(make_rule(spec, path, str(path), builtin=False)
                 for spec in validate_pack(data, path))


def _plain(value: Any) -> Any:
    from .packs import _jsonable

    return _jsonable(value)


def load_user_pack(path: Path) -> tuple[type[PackRule], ...]:
    """The rules of a user's pack file (validated; cached while the file is unchanged)."""
    resolved = path.resolve()
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise PackError(f"{path}: cannot read the rule pack: {exc.strerror}") from exc
    if not resolved.is_file():
        raise PackError(f"{path}: the rule pack is not a file")
    return _load_user_pack(str(resolved), (stat.st_size, stat.st_mtime_ns))


def check_extension_rules(rules: list[tuple[type[Rule], str]],
                          builtins: tuple[type[Rule], ...]) -> None:
    """User rules (``(rule, where it came from)``) must not clash with the built-in rules,
    nor with each other; their codes must not start with a built-in family's letter."""
    taken: dict[str, str] = {}
    for rule in builtins:
        taken[rule.code] = taken[rule.name] = "a built-in rule"
    families = sorted({rule.code[0] for rule in builtins})
    for rule, where in rules:
        if rule.code[:1] in families:
            raise PackError(f"{where}: rule '{rule.name}': code '{rule.code}' starts with "
                            f"'{rule.code[0]}', the letter of built-in rules; a pack's codes "
                            f"start with another letter (built-in: {', '.join(families)})")
        for key in (rule.code, rule.name):
            if key in taken:
                raise PackError(f"{where}: rule '{rule.name}': '{key}' is already used by "
                                f"{taken[key]}")
        taken[rule.code] = taken[rule.name] = f"rule '{rule.name}' of {where}"
