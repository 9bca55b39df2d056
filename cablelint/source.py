"""Turn the bytes of a file into text, and text offsets back into lines and columns.

Reading is where bad input is met: binary data, NUL bytes, byte-order marks, encodings other
than UTF-8, CR and CRLF line ends. :func:`decode` never raises; it says what it met in
:class:`Decoded` so that the engine can report it as a finding or an input error.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import codecs
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple

#: How much of a file is looked at to decide that it is binary (as git does).
BINARY_SNIFF = 8000


class Decoded(NamedTuple):
    """The text of a file and what decoding it met."""

    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    binary: bool = False
    #: True when the bytes were not valid UTF-8 and a fallback decoded them.
    fallback: bool = False


def decode(data: bytes) -> Decoded:
    """Decode file bytes. Line ends become ``\\n``; the original ones are recorded."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        try:
            return _finish(data.decode("utf-32").lstrip("\ufeff"), "utf-32", bom=True)
        except UnicodeDecodeError:
            return Decoded("", binary=True)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return Decoded("", binary=True)
        return _finish(text.lstrip("\ufeff"), "utf-16", bom=True)
    sniff = data[:BINARY_SNIFF]
    if b"\x00" in sniff and _binary(sniff):
        return Decoded("", binary=True)
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return _finish(data.decode("utf-8"), "utf-8", bom=bom)
    except UnicodeDecodeError:
        pass
    # Bytes that are not UTF-8 are read as cp1252, what old Windows extractions of cables
    # use (0xB6 is the paragraph sign), one byte at a time: a file that mixes the two keeps
    # its UTF-8 text. cp1252's five undefined bytes fall back to Latin-1; nothing is lost.
    if data.decode("utf-8", "ignore").isascii():
        # No UTF-8 sequence beyond ASCII anywhere (dropping what is not UTF-8 leaves ASCII):
        # every byte is read as cp1252 by the C codec, the same text without a call of the
        # error handler for each byte that is not UTF-8.
        text = data.decode("cp1252", errors=_LATIN1_FALLBACK)
        # Valid UTF-8 would have been kept above: what _is_mixed can still find here is an
        # invalid three-byte sequence led by E0 or ED (overlong, surrogate); most files hold
        # neither byte (two memchr, where _is_mixed translates the whole file).
        mixed = (b"\xe0" in data or b"\xed" in data) and _is_mixed(data)
    else:
        text = data.decode("utf-8", errors=_CP1252_FALLBACK)
        mixed = _is_mixed(data)
    return _finish(text, "utf-8+cp1252" if mixed else "cp1252", bom=bom, fallback=True)


#: C0 control bytes that text does not hold (tab, line ends, VT, FF and ESC excepted).
_C0_BINARY = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1b")


def _binary(sniff: bytes) -> bool:
    """Is a file whose first bytes (``sniff``) hold a NUL binary? Git calls it so at one NUL;
    a text with a few stray NULs (a damaged transfer) is read here, and encoding-damage
    reports them. Binary data (and UTF-16 without a BOM) holds control bytes throughout:
    more than one in a hundred of them, and more than two."""
    controls = len(sniff) - len(sniff.translate(None, _C0_BINARY))
    return controls > max(2, len(sniff) // 100)


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    chunk = exc.object[exc.start : exc.end]
    return "".join(_byte_cp1252(b) for b in chunk), exc.end


def _byte_cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


def _is_mixed(data: bytes) -> bool:
    """Does the file hold valid multi-byte UTF-8 as well as bytes that are not UTF-8?"""
    # A two- or three-byte UTF-8 sequence (a lead byte and its continuation bytes), looked for
    # in the bytes' classes: two C passes, where a regex would test each byte in Python's
    # regex engine (several times slower).
    classes = data.translate(_BYTE_CLASSES)
    return b"ac" in classes or b"bcc" in classes


# Lead bytes of two-byte sequences are "a", of three-byte sequences "b", continuation
# bytes "c", all others "x".
_BYTE_CLASSES = bytes(
    ord("a") if 0xC2 <= b <= 0xDF else ord("b") if 0xE0 <= b <= 0xEF
    else ord("c") if 0x80 <= b <= 0xBF else ord("x") for b in range(256))


def _latin1_bytes(exc: UnicodeError) -> tuple[str, int]:
    """cp1252's five undefined bytes read as Latin-1 (as :func:`_byte_cp1252` reads them)."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


_CP1252_FALLBACK = "cablelint-cp1252"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)
_LATIN1_FALLBACK = "cablelint-cp1252-undefined"
codecs.register_error(_LATIN1_FALLBACK, _latin1_bytes)


def _finish(text: str, encoding: str, *, bom: bool, fallback: bool = False) -> Decoded:
    newline = "\n"
    if "\r" in text:
        newline = "\r\n" if "\r\n" in text else "\r"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, encoding, bom, newline, fallback=fallback)


class TextMap:
    """Maps offsets in a text to 1-based (line, column).

    Most files have a handful of findings: each of the first lookups counts the line ends
    between it and the offset looked up last, or the text's start when that is nearer (C
    speed; a rule's findings come in the order of the text); a file with many findings gets
    a table of line starts.
    """

    __slots__ = ("text", "_starts", "_lookups", "_last")

    #: Lookups answered by counting before the table of line starts is built.
    COUNTED_LOOKUPS = 16

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._lookups = 0
        #: The offset looked up last by counting, and its line.
        self._last = (0, 1)

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            # Lines end at "\n" only (str.splitlines would also break at form feeds, U+2028...)
            self._starts = list(accumulate(map((1).__add__, map(len, self.text.split("\n"))),
                                           initial=0))
        return self._starts

    def locate(self, offset: int) -> tuple[int, int]:
        starts = self._starts
        if starts is None:
            if offset <= 0:
                return 1, offset + 1
            if self._lookups < self.COUNTED_LOOKUPS:
                self._lookups += 1
                text = self.text
                last, line = self._last
                if offset >= last:
                    line += text.count("\n", last, offset)
                elif offset < last - offset:
                    line = text.count("\n", 0, offset) + 1
                else:
                    line -= text.count("\n", offset, last)
                self._last = (offset, line)
                return line, offset - text.rfind("\n", 0, offset)
            starts = self.starts
        index = bisect_right(starts, offset) - 1  # at most the last line: starts[0] is 0
        if index < 0:
            index = 0
        return index + 1, offset - starts[index] + 1


class MappedTextMap(TextMap):
    """A text extracted from a larger one (HTML ``<pre>`` blocks): each character of the
    extracted text remembers its offset in the file, so findings point into the file."""

    __slots__ = ("raw", "origins")

    def __init__(self, text: str, raw: TextMap, origins: Sequence[int]) -> None:
        super().__init__(text)
        self.raw = raw
        self.origins = origins

    def locate(self, offset: int) -> tuple[int, int]:
        if not self.origins:
            return 1, 1
        offset = max(0, min(offset, len(self.origins) - 1))
        return self.raw.locate(self.origins[offset])
