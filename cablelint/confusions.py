"""OCR confusion tables: spellings OCR produces for known terms, built from the packs.

Built from ``rules/ocr.yaml`` (known confusions, confusion pairs, vocabularies) and the
gazetteer (``rules/gazetteer/``), and cached on disk as derived data (see ``packs``). The
``ocr-confusion`` rule reads them, and so does the telegram parser, to recognise a header
label that OCR damaged (``SUBJFCT:``) as the label it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, cached_property
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from . import regex
from .model import word_tokens
from .packs import PackError, cached_derivation, cached_tables, load_pack, pack_path

# Word-like tokens, as OCR leaves them: letters, digits and the bar that stands for I.
TOKEN_RE = regex.compile(r"(?<![A-Za-z0-9|])[A-Za-z0-9|]{3,}(?![A-Za-z0-9|])")


class Found(NamedTuple):
    """What :meth:`Confusions.find` found in a text; each word stands in it as a whole token."""

    #: Misspellings of :attr:`Confusions.anywhere`.
    anywhere: set[str]
    #: Second parts of split words (keys of :attr:`Confusions.spaced`): "LASSIFIED".
    split: set[str]
    #: Tokens with digits that read as one known word (see :meth:`Confusions.digit_readings`).
    digit_readings: dict[str, str]
    #: Each word above -> the offsets where it stands as a whole token.
    offsets: dict[str, list[int]]


class Confusions:
    """Misspelling -> (correction, safe) for each scope. Read-only once built."""

    def __init__(
        self,
        anywhere: Mapping[str, tuple[str, bool]],
        tags: Mapping[str, tuple[str, bool]],
        labels: Mapping[str, tuple[str, bool]],
        value_labels: Mapping[str, list[str]],
        spaced: Mapping[str, list[list[str]]],
        digit_letters: Mapping[str, list[str]],
        marking_open: list[str],
        marking_close: list[str],
        marking_inner: Mapping[str, str],
    ) -> None:
        self.anywhere = anywhere
        self.tags = tags
        self.labels = labels
        #: Field name -> the labels that may stand inside its value ("DECL" in an E.O. line).
        self.value_labels = value_labels
        #: Second part of a split word -> (word, first part): "LASSIFIED" -> ("UNCLASSIFIED",
        #: "UNC").
        self.spaced = spaced
        #: Digit -> the letters OCR reads it for.
        self.digit_letters = digit_letters
        #: Portion markings as OCR damages them: opening and closing characters, inner
        #: readings.
        self.marking_open = marking_open
        self.marking_close = marking_close
        self.marking_inner = marking_inner

        # -- derived from the above --
        by_run: dict[bytes, list[str]] = {}
        runless: list[str] = []
        for word in anywhere:
            runs = upper_runs(word)
            if len(runs) == 1:
                by_run.setdefault(runs[0], []).append(word)
            else:
                runless.append(word)
        #: The misspellings of ``anywhere``, as ASCII bytes to meet word tokens.
        self.anywhere_bytes = frozenset(k.encode() for k in anywhere)
        #: Each misspelling under its upper-case run (:func:`upper_runs`): itself, but
        #: "MEXCO" for "MEXlCO".
        self.anywhere_by_run: Mapping[bytes, list[str]] = by_run
        #: Misspellings without upper-case letters or digits (none in the packs): :meth:`find`
        #: looks for them in every text.
        self.runless = runless
        self.spaced_bytes = frozenset(k.encode() for k in spaced)
        #: The misspellings of ``tags`` and ``labels`` as ASCII bytes, to meet tokens of a
        #: value.
        self.tags_bytes = frozenset(k.encode() for k in tags)
        self.labels_bytes = frozenset(k.encode() for k in labels)
        #: The digits of ``digit_letters``, as ASCII bytes.
        self.digits = "".join(digit_letters).encode()
        #: The runs of the misspellings and the second parts of split words.
        self.word_keys = frozenset(by_run).union(self.spaced_bytes)
        #: How many texts :meth:`find` has read (one counter, in a list).
        self.texts_read = [0]

    def state(self) -> dict[str, Any]:
        """The tables, given and derived, as built-in types: what :meth:`from_state` takes
        (the disk cache keeps it; the counter of texts read is not kept)."""
        return {k: v for k, v in vars(self).items() if k in _STATE}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Confusions:
        """The tables as :meth:`state` gave them, without deriving anything again."""
        self = cls.__new__(cls)
        vars(self).update(state)
        self.texts_read = [0]
        return self

    def __repr__(self) -> str:
        return f"Confusions({len(self.anywhere)} misspellings anywhere)"

    @cached_property
    def run_keys(self) -> frozenset[bytes]:
        """The runs :meth:`find` looks for: :attr:`word_keys`, and every spelling of a known
        word that :meth:`digit_readings` may read (:func:`digit_spellings`); built on first
        use, once :meth:`find` has read :data:`SPELLINGS_AFTER` texts."""
        return frozenset(digit_spellings()).union(self.word_keys)

    def found_anywhere(self, text: str) -> set[str]:
        """The misspellings that occur in ``text`` (a header value) as whole tokens."""
        return {t.decode() for t in self.anywhere_bytes.intersection(word_tokens(text))}

    def find(self, text: str, runs: list[bytes] | None = None) -> Found:
        """The misspellings, split words and digit readings that stand in ``text`` as whole
        tokens: what :meth:`found_anywhere`, the keys of :attr:`spaced` and
        :meth:`digit_readings` find among all the tokens of ``text``, at a fraction of the cost.

        The text's upper-case runs (:func:`upper_runs`) meet the tables in one C-speed set
        intersection, so lower-case prose costs only its translation and no token is looked
        at in Python; Python looks only at the few runs found, and checks that each word
        stands in the text as a whole token (a run may be part of a token with lower-case
        letters). ``runs``: the text's upper-case runs, when the caller has them."""
        if runs is None:
            runs = upper_runs(text)
        if self.texts_read[0] < SPELLINGS_AFTER:  # a few texts: no 90,000 spellings to load
            self.texts_read[0] += 1
            hits = self.word_keys.intersection(runs).union(
                run for run in set(runs) if _digit_shaped(run, self.digits))
        else:
            hits = self.run_keys.intersection(runs)
        if not hits and not self.runless:
            return _NOTHING
        offsets: dict[str, list[int]] = {}

        def stands(word: str) -> bool:
            found = offsets[word] = list(occurrences(text, word))
            return bool(found)

        anywhere = {word for run in hits for word in self.anywhere_by_run.get(run, ())
                    if stands(word)}
        anywhere.update(word for word in self.runless if stands(word))
        split = {word for word in map(bytes.decode, hits.intersection(self.spaced_bytes))
                 if stands(word)}
        readings = {word: right for word, right in self.digit_readings(hits).items()
                    if stands(word)}
        return Found(anywhere, split, readings, {w: o for w, o in offsets.items() if o})

    def digit_readings(self, found: Iterable[bytes]) -> dict[str, str]:
        """Upper-case tokens with one or two digits that read as exactly one known word when
        each digit is read as a letter: ``{"C0NFIDENTIAL": "CONFIDENTIAL"}``."""
        out: dict[str, str] = {}
        vocabulary: frozenset[str] | None = None
        for t in found:
            if not _digit_shaped(t, self.digits):
                continue
            word = t.decode()
            if word in self.anywhere:
                continue
            if vocabulary is None:
                vocabulary = known_words()
            letters_only = word.strip("0123456789")
            if letters_only in vocabulary or (word[-1].isdigit() and (
                    len(word) < 6 or not word[0].isalpha())):
                continue  # a word and a number ("REPORT5", "CAT5", "TOP10"), not a misreading
            readings = {r for r in self._readings(word) if r in vocabulary}
            if len(readings) == 1:
                out[word] = readings.pop()
        return out

    def _readings(self, word: str) -> set[str]:
        out = {""}
        for c in word:
            options = self.digit_letters.get(c, [c])
            out = {r + o for r in out for o in options}
        return out


_NOTHING = Found(set(), set(), {}, {})

#: :meth:`Confusions.find` looks at the first texts of a process token by token for digit
#: readings, then meets the tokens with :attr:`Confusions.run_keys` (the same runs, found at
#: C speed, but its 90,000 spellings cost a one-file run more than linting the file).
SPELLINGS_AFTER = 32


def _digit_shaped(t: bytes, digits: bytes) -> bool:
    """Is ``t`` upper-case letters with one or two of ``digits``, at least four characters,
    three letters, and twice as many letters as digits? The shape of a digit reading."""
    if len(t) < 4 or t.isalpha() or not t.isupper():
        return False
    letters = len(t.translate(None, b"0123456789"))
    if letters < 3 or letters < 2 * (len(t) - letters) or len(t) - letters > 2:
        return False
    return not t.translate(None, digits + _UPPER)  # no other digit, bar or lower-case letter


_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = b"abcdefghijklmnopqrstuvwxyz"


def upper_runs(text: str) -> list[bytes]:
    """The tokens of ``text`` (:func:`~cablelint.model.word_tokens`) without their lower-case
    letters, in order, as ASCII bytes: ``MEXlCO`` -> ``MEXCO``, ``the Minister`` -> ``M``.
    Prose leaves next to nothing, and a token without lower-case letters is kept whole."""
    return word_tokens(text, delete=_LOWER)


# A token's characters: ASCII letters and digits, and the bar.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789|")


def occurrences(text: str, word: str) -> Iterator[int]:
    """Offsets where ``word`` stands as a whole token (str.find, no regex)."""
    pos = text.find(word)
    size = len(word)
    while pos != -1:
        # slices, not indexing: "" (the text's start or end) is no token character
        if text[pos - 1 : pos] not in _TOKEN_CHARS and \
                text[pos + size : pos + size + 1] not in _TOKEN_CHARS:
            yield pos
        pos = text.find(word, pos + 1)


def token_char(text: str, i: int) -> bool:
    """Is ``text[i]`` a token's character (an ASCII letter or digit, or ``|``)?"""
    return 0 <= i < len(text) and text[i] in _TOKEN_CHARS


@cache
def ocr_pairs() -> tuple[list[list[str]], int]:
    """The confusion pairs of ``rules/ocr.yaml`` and its ``min_length``."""
    pack = load_pack("ocr")
    return [list(map(str, g)) for g in pack["pairs"]], int(pack.get("min_length", 4))


def variants(word: str, pairs: list[list[str]], max_subs: int) -> set[str]:
    """Spellings of ``word`` that OCR may produce, with up to ``max_subs`` substitutions
    (the pairs are symmetric: also the readings of a misspelling)."""
    return _variants(word, pairs, max_subs)


def _variants(word: str, pairs: list[list[str]], max_subs: int) -> set[str]:
    """Spellings of ``word`` that OCR may produce, with up to ``max_subs`` substitutions."""
    out = {word}
    for _ in range(max_subs):
        grown = set()
        for w in out:
            for group in pairs:
                for a in group:
                    start = w.find(a)
                    while start != -1:
                        for b in group:
                            if b != a:
                                grown.add(w[:start] + b + w[start + len(a) :])
                        start = w.find(a, start + 1)
        out |= grown
    out.discard(word)
    return out


def _build(words: set[str], pairs: list[list[str]], max_subs: int, min_len: int,
           protected: set[str]) -> dict[str, tuple[str, bool]]:
    table: dict[str, tuple[str, bool]] = {}
    ambiguous: set[str] = set()
    for word in words:
        if len(word) < min_len:
            continue
        for v in _variants(word, pairs, max_subs):
            if v in protected or not any(c.isalpha() for c in v):
                continue
            if v in table and table[v][0] != word:
                ambiguous.add(v)
            table[v] = (word, False)
    for v in ambiguous:
        del table[v]
    return table


#: The attributes of :class:`Confusions` that :meth:`Confusions.state` keeps.
_STATE = frozenset((
    "anywhere", "tags", "labels", "value_labels", "spaced", "digit_letters", "marking_open",
    "marking_close", "marking_inner", "anywhere_bytes", "anywhere_by_run", "runless",
    "spaced_bytes", "tags_bytes", "labels_bytes", "digits", "word_keys"))


@cache
def confusions() -> Confusions:
    """The tables, built from the packs, kept in the disk cache as built (``marshal``): a
    one-file run (the telegram parser reads the labels) reads them back instead of decoding
    JSON, turning lists into tuples and deriving the runs and sets again. The cache is keyed
    by the packs and by this module (whose code derives the tables)."""
    sources = [pack_path("ocr"), pack_path("gazetteer/posts"), pack_path("gazetteer/tags"),
               pack_path("words"), Path(__file__)]
    state = cached_tables("ocr-tables", sources, _build_state, _is_state)
    return Confusions.from_state(state)


def _build_state() -> dict[str, Any]:
    sources = [pack_path("ocr"), pack_path("gazetteer/posts"), pack_path("gazetteer/tags")]
    tables = cached_derivation("ocr-confusions", [*sources, pack_path("words")], _build_tables)
    extras = cached_derivation("ocr-extras", [*sources, pack_path("words")], _build_extras)
    return Confusions(**{scope: {k: (v[0], v[1]) for k, v in table.items()}
                         for scope, table in tables.items()}, **extras).state()  # type: ignore[arg-type]


def _is_state(value: object) -> bool:
    """Is ``value`` what :meth:`Confusions.state` gives (as far as a damaged cache goes)?"""
    return isinstance(value, dict) and value.keys() == _STATE and all(
        isinstance(value[k], dict) for k in ("anywhere", "tags", "labels", "anywhere_by_run"))


def _build_tables() -> dict[str, dict[str, tuple[str, bool]]]:
    pack = load_pack("ocr")
    pairs = [list(map(str, g)) for g in pack["pairs"]]
    max_subs = int(pack.get("max_substitutions", 1))
    min_len = int(pack.get("min_length", 4))
    posts = _gazetteer_words()
    anywhere_words = posts | set(pack["vocabulary"]["anywhere"])
    tags = _tag_words()
    names = name_words(pack)
    protected = anywhere_words | tags | set(pack.get("allow", [])) | names
    anywhere = _build(anywhere_words, pairs, max_subs, min_len, protected)
    words = known_words()
    # month, weekday and country names: a near-miss that is a common word ("LADS" for LAOS)
    # is that word; a spelling the tables above already read stays theirs
    for wrong, hit in _build(names, pairs, max_subs, min_len, protected | words).items():
        anywhere.setdefault(wrong, hit)
    anywhere_words |= names
    upper_pairs = [(str(one), str(two)) for one, two in pack.get("upper_pairs", [])]
    upper_min = int(pack.get("upper_pairs_min_length", 6))
    for word in anywhere_words:
        if len(word) >= upper_min:
            for wrong in _one_as_two(word, upper_pairs):
                if wrong not in protected and wrong not in words:
                    anywhere.setdefault(wrong, (word, False))
    tags_table = _build(tags, pairs, max_subs, min_len, protected)
    # a TAGS field holds codes only: every tag of min_length or more, with a letter read as
    # two or as a digit ("SRNIG", "PRE1" for PREL)
    as_digit = [(str(letter), str(digit)) for digit, letters in
                (pack.get("digit_letters") or {}).items() for letter in letters]
    for tag in tags:
        if len(tag) >= min_len:
            for wrong in chain(_one_as_two(tag, upper_pairs), _one_as_two(tag, as_digit)):
                if wrong not in protected:
                    tags_table.setdefault(wrong, (tag, False))
    for wrong, right in pack.get("known", {}).items():
        anywhere[str(wrong)] = (str(right), True)
    for word in q_for_g_words(pack, posts):
        for wrong in _q_for_g(word):
            if wrong not in protected:
                anywhere.setdefault(wrong, (word, True))
    return {
        "anywhere": anywhere,
        "tags": tags_table,
        "labels": {
            **_build(set(pack["vocabulary"]["labels"]), pairs, max_subs, 3, protected),
            **{str(k): (str(v), True) for k, v in pack.get("known_labels", {}).items()},
        },
    }


def name_words(pack: Mapping[str, Any]) -> set[str]:
    """The month, weekday and country names of ``names`` in ``rules/ocr.yaml``."""
    return set(str(pack.get("names", "")).split())


def _one_as_two(word: str, pairs: list[tuple[str, str]]) -> Iterator[str]:
    """``word`` with one letter read as two ("AMEMBASSY" -> "ARNEMBASSY"), each place."""
    for one, two in pairs:
        at = word.find(one)
        while at != -1:
            yield word[:at] + two + word[at + len(one):]
            at = word.find(one, at + 1)


def q_for_g_words(pack: Mapping[str, Any], posts: set[str]) -> list[str]:
    """The words whose G's OCR may read as Q: the ``q_for_g`` list, then the place names
    (``q_for_g_places``, and the post words of five letters or more with a G, less
    ``q_for_g_not``)."""
    places = {w for w in posts if len(w) >= 5 and "G" in w}
    places |= set(str(pack.get("q_for_g_places", "")).split())
    places -= set(map(str, pack.get("q_for_g_not", [])))
    return [*str(pack.get("q_for_g", "")).split(), *sorted(places)]


def _q_for_g(word: str) -> list[str]:
    """``word`` with one or more of its G's read as Q: "AGREEMENT" -> "AQREEMENT"."""
    at = [i for i, c in enumerate(word) if c == "G"]
    out = []
    for mask in range(1, 1 << len(at)):
        chars = list(word)
        for k, i in enumerate(at):
            if mask >> k & 1:
                chars[i] = "Q"
        out.append("".join(chars))
    return out


def _build_extras() -> dict[str, object]:
    pack = load_pack("ocr")
    words = known_words()
    spaced: dict[str, list[list[str]]] = {}
    for word in map(str, pack.get("spaced_words", [])):
        for cut in range(1, len(word) - 3):
            right = word[cut:]
            if right not in words:  # "UN CLASSIFIED": two words
                spaced.setdefault(right, []).append([word, word[:cut]])
    return {
        "value_labels": {str(k): list(map(str, v))
                         for k, v in (pack.get("value_labels") or {}).items()},
        "spaced": spaced,
        "digit_letters": {str(k): list(map(str, v))
                          for k, v in (pack.get("digit_letters") or {}).items()},
        "marking_open": list(map(str, pack.get("marking_open", ["("]))),
        "marking_close": list(map(str, pack.get("marking_close", [")"]))),
        "marking_inner": {str(k): str(v) for k, v in (pack.get("marking_inner") or {}).items()},
    }


@cache
def known_words() -> frozenset[str]:
    """Known upper-case words: ``rules/words.yaml``, the gazetteer's words and the ``anywhere``
    vocabulary of ``rules/ocr.yaml``; read only when a rule needs them."""
    sources = [pack_path("words"), pack_path("ocr"), pack_path("gazetteer/posts"), Path(__file__)]
    # kept as a tuple: marshal sorts a frozenset's elements to write it, which for these
    # 20,000 words costs a cold run (the first after an edit of a pack) a tenth of a second
    return frozenset(cached_tables("known-words", sources, lambda: tuple(_build_words()),
                                   lambda value: type(value) is tuple))


def digit_spellings() -> list[bytes]:
    """Every spelling of a known word (:func:`known_words`) with one or two of its letters
    read as digits (``digit_letters`` of ``rules/ocr.yaml``) that has the shape of a digit
    reading (``C0NFIDENTIAL``, ``A1RPORT``), as ASCII bytes: whatever
    :meth:`Confusions.digit_readings` may accept is among them, so that :meth:`Confusions.find`
    meets them in its one set intersection instead of looking at each token with digits.
    About 90,000 spellings, built once and cached on disk (read them once: they are
    not kept here)."""
    sources = [pack_path("words"), pack_path("ocr"), pack_path("gazetteer/posts")]
    return cached_derivation("digit-spellings", sources, _build_digit_spellings).encode().split()


def _build_digit_spellings() -> str:
    letters = {str(k): list(map(str, v))
               for k, v in (load_pack("ocr").get("digit_letters") or {}).items()}
    pairs = [[letter, digit] for digit, options in letters.items() for letter in options]
    digits = "".join(letters).encode()
    found = {v for word in known_words() for v in _variants(word, pairs, 2)
             if v.isascii() and _digit_shaped(v.encode(), digits)}
    return " ".join(sorted(found))


def _build_words() -> list[str]:
    try:
        words = set(str(load_pack("words")["words"]).split())
    except PackError:
        words = set()
    pack = load_pack("ocr")
    words |= _gazetteer_words() | set(map(str, pack["vocabulary"]["anywhere"]))
    words |= name_words(pack)
    return sorted(words)


def _gazetteer_words() -> set[str]:
    """Words of post and station names (``KUALA``, ``LUMPUR``), from the gazetteer pack."""
    try:
        pack = load_pack("gazetteer/posts")
    except PackError:
        return set()
    names = set(pack.get("stations", {}) or {}) | set(pack.get("addressees", {}) or {})
    words = set()
    for name in names:
        for word in re.findall(r"[A-Z]{2,}", str(name).upper()):
            words.add(word)
    return words


def _tag_words() -> set[str]:
    try:
        pack = load_pack("gazetteer/tags")
    except PackError:
        return set()
    words: set[str] = set()
    for group in ("subject", "organization", "country", "region"):
        words |= {str(k).upper() for k in (pack.get(group) or [])}
    return words
