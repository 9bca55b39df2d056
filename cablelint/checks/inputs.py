"""Rules on the input itself: files that cannot be read as a cable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..engine import Diagnostic, Rule
from ..model import Cable

#: E001's message for a binary file (the runner reports it whatever the rule selection).
BINARY_MESSAGE = "binary file (NUL bytes): not linted"


def _binary(cable: Cable) -> bool:
    return cable.decoded is not None and cable.decoded.binary


def _blank(text: str) -> bool:
    """Is ``text`` empty or white space only? (``not text.strip()``, without its copy.)"""
    return not text or text.isspace()


class UnreadableInput(Rule):
    """The file cannot be read as text: it is binary (NUL bytes), or reading it failed.

    Nothing else is checked in such a file, and the run exits with status 2, whatever the
    rule selection (as for a path that cannot be read). A PDF or an image in a corpus
    folder belongs outside the linted suffixes (see ``suffixes``).

    Failing: a file whose first 8,000 bytes contain a NUL byte (not UTF-16 with a BOM).

    Passing: any text file.
    """

    code = "E001"
    name = "unreadable-input"
    severity = "error"
    summary = "The file is binary or cannot be read"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if _binary(cable):
            yield Diagnostic(0, 0, BINARY_MESSAGE)


class EmptyCable(Rule):
    """The file is empty or holds only white space.

    An empty file in a corpus is a cable lost on the way in (a failed download or OCR run).

    Failing: a file of zero bytes, or of blank lines only.

    Passing: any file with text.
    """

    code = "E002"
    name = "empty-cable"
    severity = "error"
    summary = "The file is empty"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if not _binary(cable) and _blank(cable.text):
            yield Diagnostic(0, 0, "empty file: no cable text")


class UnknownFormat(Rule):
    """The file has text but no recognisable cable: no SMART header, no telegram header lines,
    no HistoryLab body marker, no ``<pre>`` block. No other rule runs on it.

    Failing::

        Minutes of the meeting of 3 May.

    Passing: a SMART cable, a telegram, a cable web page, a HistoryLab body file.
    """

    code = "E003"
    name = "unknown-format"
    severity = "warning"
    summary = "The file is not recognisable as a cable of a known format"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        if cable.format == "unknown" and not _binary(cable) and not _blank(cable.text):
            yield Diagnostic(0, 0, "not recognisable as a SMART cable, telegram, cable web page "
                                   "or HistoryLab body")


class NonUtf8(Rule):
    """The file is not UTF-8; it was decoded as cp1252 (or Latin-1).

    Corpora that mix encodings garble text silently when tools assume UTF-8. Old Cablegate
    extractions are often cp1252, where byte 0xB6 is the paragraph sign.

    Failing: a file containing the byte 0xB6 on its own (cp1252 ``¶``).

    Passing: the same text saved as UTF-8.
    """

    code = "E004"
    name = "non-utf8"
    severity = "info"
    summary = "The file is not UTF-8 and was decoded with a fallback encoding"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        decoded = cable.decoded
        if decoded is not None and decoded.fallback:
            if decoded.encoding == "utf-8+cp1252":
                yield Diagnostic(0, 0, "mixes UTF-8 with bytes that are not UTF-8: those were "
                                       "decoded as cp1252")
            else:
                yield Diagnostic(0, 0, f"not UTF-8: decoded as {decoded.encoding}")
