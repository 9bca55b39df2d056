"""The cable model: what every parser produces and every rule reads.

All positions are offsets into :attr:`Cable.text` (the decoded text with ``\\n`` line ends);
:meth:`Cable.locate` turns them into the file's 1-based line and column. Rules never look at
the file again: each cable is read and parsed once.

The parts of a cable (fields, markings, paragraphs, headings, furniture) are immutable named
tuples: a cable has dozens, and a named tuple is made three times as fast as a frozen
dataclass. Compare them by their fields, as with any value.
"""

from __future__ import annotations

import datetime as dt
import sys
from bisect import bisect_right
from collections.abc import Container
from typing import Any, NamedTuple, Protocol

from .dtg import parse_dtg
from .source import Decoded, TextMap

#: Classification levels from lowest to highest. LOU and SBU are controls, not classifications.
LEVELS = ("U", "SBU", "LOU", "C", "S", "TS")
CLASSIFIED = frozenset({"C", "S", "TS"})


# Bytes that belong to a word token (letters, digits, the bar OCR reads for I); all others
# separate tokens.
_TOKEN_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789|")
_SEPARATE = bytes(b if b in _TOKEN_BYTES else 0x20 for b in range(256))


def word_tokens(text: str, separate: bytes = _SEPARATE, delete: bytes = b"") -> list[bytes]:
    """The word tokens of ``text`` in order, as ASCII bytes: one C-speed pass (encode,
    translate, split) instead of a regex ``findall``. Non-ASCII characters separate tokens.
    ``separate`` is the ``bytes.translate`` table that keeps a token's bytes and turns every
    other byte into a space (the default: letters, digits and ``|``); it must turn the bytes
    0x80-0xFF into spaces. The bytes of ``delete`` are dropped from the tokens."""
    try:
        data = text.encode("latin-1")  # a plain copy for text with no character past U+00FF
    except UnicodeEncodeError:
        # Every non-ASCII character becomes bytes 0x80-0xFF: separators, as in Latin-1.
        data = text.encode("utf-8", "surrogatepass")
    return data.translate(separate, delete).split()


def level_rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


#: Makes a part from the tuple of all its fields, skipping the ``__new__`` a named tuple
#: has in Python (a frame and a call per part: a third of the cost of making one, and a
#: cable has dozens). The parser's hot paths use it; tests/test_model_parts.py checks that
#: the parts it makes carry every field.
new_part = tuple.__new__


class Field(NamedTuple):
    """A header field as the cable states it.

    ``name`` is the canonical key (``MRN``, ``DATE_DTG``, ``FROM``, ``DTG``, ``FM``, ``EO``...);
    ``label`` is the label as written; ``origin`` says which part of the cable states it:
    ``smart`` (SMART header), ``telegram`` (the ACP-127 telegram), ``email`` (the FOIA
    envelope), ``forward`` (the forwarded e-mail block), ``page`` (web-page metadata).
    """

    name: str
    label: str
    value: str
    start: int  # offset of the value
    end: int
    line_start: int  # offset of the start of the line carrying the label
    origin: str


class Marking(NamedTuple):
    """A portion marking such as ``(S//NF)`` or ``(C - ENTIRE TEXT)``."""

    raw: str
    level: str
    caveats: tuple[str, ...] = ()
    entire_text: bool = False


class MarkingSlot(NamedTuple):
    """What stands where a portion marking belongs: a valid marking, a malformed one, or
    nothing (``raw`` empty)."""

    raw: str
    start: int
    end: int
    marking: Marking | None

    @property
    def malformed(self) -> bool:
        return bool(self.raw) and self.marking is None


class SubParagraph(NamedTuple):
    label: str  # as written: "A.", "a.", "(1)", "(a)", "(A)"
    style: str  # "letter.", "lower.", "(letter)", "(LETTER)", "(digit)"
    ordinal: int  # 1 for A / (1) / (a)
    start: int  # offset of the label
    slot: MarkingSlot | None = None  # a marking after the label ("A. (C) ...")


class Paragraph(NamedTuple):
    number: int
    start: int  # offset of the line start
    number_start: int
    number_end: int
    end: int  # offset where the paragraph's text ends
    slot: MarkingSlot
    subparagraphs: tuple[SubParagraph, ...] = ()


class Heading(NamedTuple):
    text: str
    start: int
    end: int
    slot: MarkingSlot


class Furniture(NamedTuple):
    kind: str  # "page-number", "page-header", "release-stamp", "banner", "markup"
    start: int
    end: int


class PendingFurniture(Protocol):
    """A parser's furniture, made when first read (:meth:`Cable.furniture_later`)."""

    def __call__(self) -> list[Furniture]: ...

    def starts(self) -> Container[int]: ...


_AFTER_ALL = sys.maxsize  # an end after every offset: (offset, it) sorts after (offset, any)


class Cable:
    """A parsed cable. A plain class with slots (not a dataclass: ``dataclasses`` costs a
    one-file run more to import than the file costs to lint). Parsers fill the lists."""

    __slots__ = (
        "path", "format", "text", "textmap", "decoded", "fields", "banners", "paragraphs",
        "headings", "_furniture", "_pending_furniture", "header_start", "body_start",
        "body_end", "partial_extract", "embedded_telegram", "quotes", "metadata", "memo",
    )

    def __init__(
        self,
        path: str,
        format: str,  # "smart", "telegram", "html", "historylab", "unknown"
        text: str,
        textmap: TextMap,
        decoded: Decoded | None = None,
        fields: list[Field] | None = None,
        banners: list[tuple[str, int, int]] | None = None,  # (level, start, end)
        paragraphs: list[Paragraph] | None = None,
        headings: list[Heading] | None = None,
        furniture: list[Furniture] | None = None,
        header_start: int = 0,  # offset of the first header line
        body_start: int = 0,
        body_end: int = 0,
        partial_extract: bool = False,
        embedded_telegram: bool = False,  # a SMART header over an original telegram
        quotes: list[tuple[int, int]] | None = None,
        metadata: dict[str, str] | None = None,
        memo: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.format = format
        self.text = text
        self.textmap = textmap
        self.decoded = decoded
        self.fields: list[Field] = [] if fields is None else fields
        self.banners: list[tuple[str, int, int]] = [] if banners is None else banners
        self.paragraphs: list[Paragraph] = [] if paragraphs is None else paragraphs
        self.headings: list[Heading] = [] if headings is None else headings
        self._furniture: list[Furniture] = [] if furniture is None else furniture
        self._pending_furniture: PendingFurniture | None = None
        self.header_start = header_start
        self.body_start = body_start
        self.body_end = body_end
        self.partial_extract = partial_extract
        self.embedded_telegram = embedded_telegram
        #: Quoted text (BEGIN TEXT ... END TEXT, QUOTE ... UNQUOTE): (start, end) offsets.
        self.quotes: list[tuple[int, int]] = [] if quotes is None else quotes
        #: Facts stated outside the cable's text, by the container that held it: a CSV
        #: row's columns ("date", "classification", "origin", "refid", ...) or a JSONL
        #: record's keys. Rules compare them with the text (header-conflict); empty for a
        #: plain file.
        self.metadata: dict[str, str] = {} if metadata is None else metadata
        #: Values derived from the model, computed once by whichever rule needs them first.
        self.memo: dict[str, Any] = {} if memo is None else memo

    def __repr__(self) -> str:
        return (f"Cable(path={self.path!r}, format={self.format!r}, "
                f"{len(self.text)} characters, {len(self.fields)} fields, "
                f"{len(self.paragraphs)} paragraphs)")

    @property
    def furniture(self) -> list[Furniture]:
        """Page furniture (page numbers and headers, release stamps, banners, markup, routing
        lines), in the order of the text. Made when first read (:meth:`furniture_later`):
        most runs of the mission rules never read it, and a cable has dozens."""
        pending = self._pending_furniture
        if pending is not None:
            self._pending_furniture = None
            self._furniture = pending()
        return self._furniture

    @furniture.setter
    def furniture(self, furniture: list[Furniture]) -> None:
        self._furniture, self._pending_furniture = furniture, None

    def furniture_later(self, pending: PendingFurniture) -> None:
        """Let ``pending()`` make :attr:`furniture` when it is first read."""
        self._pending_furniture = pending

    def furniture_starts(self) -> Container[int]:
        """Where each piece of furniture starts (without making the furniture)."""
        pending = self._pending_furniture
        if pending is not None:
            return pending.starts()
        return {f.start for f in self._furniture}

    # -- derived, read by rules ------------------------------------------------------
    def locate(self, offset: int) -> tuple[int, int]:
        return self.textmap.locate(offset)

    def place(self, offset: int, near: int | None = None) -> str:
        """The place of ``offset`` as a message names it: ``line N``; ``line N, column C``
        where the file's line holds more than one line of the cable (a web page whose
        ``<pre>`` spells its line ends ``&#x000A;`` is one long line), and then ``column C``
        alone when ``near`` (the finding's own place) is on that same line."""
        line, column = self.locate(offset)
        if type(self.textmap) is TextMap or not self._shares_line(offset, line):
            return f"line {line}"
        if near is not None and self.locate(near)[0] == line:
            return f"column {column}"
        return f"line {line}, column {column}"

    def _shares_line(self, offset: int, line: int) -> bool:
        """Does the file's line ``line`` of ``offset`` hold the line end before or after the
        cable's line of ``offset`` (a line end written as an entity, not as one)?"""
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        return (start > 0 and self.locate(start - 1)[0] == line) or (
            0 <= end < len(text) - 1 and self.locate(end + 1)[0] == line)

    def get(self, name: str, origin: str | None = None) -> list[Field]:
        """The fields named ``name`` (of ``origin``), in the order of the text."""
        found = self._by_name().get(name, ())
        return [f for f in found if origin is None or f.origin == origin]

    def first(self, name: str, origin: str | None = None) -> Field | None:
        for f in self._by_name().get(name, ()):
            if origin is None or f.origin == origin:
                return f
        return None

    def _by_name(self) -> dict[str, list[Field]]:
        """The fields by name (memoised; rebuilt if a parser added fields since)."""
        index: tuple[int, dict[str, list[Field]]] | None = self.memo.get("fields_by_name")
        if index is None or index[0] != len(self.fields):
            by_name: dict[str, list[Field]] = {}
            for f in self.fields:
                by_name.setdefault(f.name, []).append(f)
            index = self.memo["fields_by_name"] = (len(self.fields), by_name)
        return index[1]

    @property
    def classification(self) -> str | None:
        """The highest level the cable states in a banner or classification line."""
        best: str | None = None
        for level, _s, _e in self.banners:
            if level_rank(level) > level_rank(best):
                best = level
        return best

    @property
    def date(self) -> dt.date | None:
        """The date the cable was sent, from its DTG (telegram line first, then SMART)."""
        if "date" not in self.memo:
            self.memo["date"] = None
            for name in ("DTG", "DATE_DTG"):
                for f in self.get(name):
                    parsed = parse_dtg(f.value)
                    if parsed and parsed.valid:
                        self.memo["date"] = parsed.date
                        break
                if self.memo["date"]:
                    break
        date: dt.date | None = self.memo["date"]
        return date

    def quoted(self, offset: int) -> bool:
        """Is ``offset`` inside quoted text (BEGIN TEXT ... END TEXT, QUOTE ... UNQUOTE)?
        (The quotes are in the order of the text and do not overlap: the one that starts
        last at or before ``offset`` is the only one that may hold it.)"""
        quotes = self.quotes
        if not quotes:
            return False
        k = bisect_right(quotes, (offset, _AFTER_ALL)) - 1
        return k >= 0 and offset < quotes[k][1]

    @property
    def marks_paragraphs(self) -> bool:
        """Does the cable mark any paragraph or heading with a valid marking?"""
        return any(p.slot.marking for p in self.paragraphs) or any(
            h.slot.marking for h in self.headings)

    def latin1(self) -> tuple[bytes, bool]:
        """The text as Latin-1 bytes, one byte a character (a character past U+00FF as
        ``?``), and whether it holds no such character (the bytes then are the text, exactly).
        Memoised: one encoding of the text that the rules' byte passes share (the encoding
        and OCR rules' marked bytes, the packs' folded and readable texts)."""
        found: tuple[bytes, bool] | None = self.memo.get("latin1")
        if found is None:
            try:
                found = (self.text.encode("latin-1"), True)
            except UnicodeEncodeError:
                found = (self.text.encode("latin-1", "replace"), False)
            self.memo["latin1"] = found
        return found

    def furniture_spans(self) -> tuple[list[int], list[int], bool]:
        """The furniture's starts, sorted; for each, the farthest end among its piece and
        those that start before it; and whether every piece is a proper span of the text
        (start <= end <= the text's length). Memoised: whether furniture overlaps a span of
        the text, or how far the nearest piece is, is then a bisection, not a look at every
        piece (a paged telegram has one or more a page)."""
        found: tuple[list[int], list[int], bool] | None = self.memo.get("furniture_spans")
        if found is None:
            spans = sorted([(f.start, f.end) for f in self.furniture])
            reach: list[int] = []
            farthest = -1
            proper = True
            for start, end in spans:
                if end > farthest:
                    farthest = end
                reach.append(farthest)
                proper = proper and start <= end
            found = ([start for start, _ in spans], reach,
                     proper and farthest <= len(self.text))
            self.memo["furniture_spans"] = found
        return found
