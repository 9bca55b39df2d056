"""Applying the rules' fixes: ``--fix`` (safe fixes), ``--unsafe-fixes`` (all), ``--diff``.

A rule's :class:`~cablelint.engine.Fix` is in offsets of the parsed text. It is applied to the
file as stored: offsets are mapped back through the HTML extraction (a cable inside a web
page: the replacement is escaped as the page needs, its line ends spelled as the page's
<pre> spells them) and the line-end normalisation, and the text is encoded back in the
file's own encoding, with its BOM and line ends. Only the replaced characters change: a
file whose untouched text does not encode back to its exact bytes (a file mixing UTF-8 and
cp1252 bytes, say) is left alone, and so is a file that is not a cable cablelint can parse.

Fixing repeats until no fix applies (fixes that overlap wait for the next pass), so a second
``--fix`` changes nothing. Files are written atomically: a temporary file in the same folder,
given the file's mode, then renamed over it.
"""

from __future__ import annotations

import codecs
import difflib
import html
import os
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .engine import Fix, RuleSelection
from .model import Cable
from .parse import parse_bytes
from .source import _CP1252_FALLBACK, Decoded, MappedTextMap, decode

#: Passes before fixing gives up on a file whose fixes keep changing it.
MAX_PASSES = 10


@dataclass
class FileFix:
    """What fixing one file did: its bytes before and after, how many fixes were applied,
    and, when the file was left alone, why."""

    path: str
    before: bytes
    after: bytes
    applied: int = 0
    skipped: str | None = None

    @property
    def changed(self) -> bool:
        return self.after != self.before


def fix_bytes(path: str, data: bytes, settings: Settings, unsafe: bool = False) -> FileFix:
    """Apply every fix the selected rules offer (safe ones only unless ``unsafe``) until
    none applies. Never raises on any input; ``skipped`` says why a file was left alone."""
    result = FileFix(path, data, data)
    current = data
    selection = settings.selection(path)
    for _ in range(MAX_PASSES):
        cable = parse_bytes(path, current)
        if cable.format == "unknown" or cable.decoded is None:
            result.skipped = "not a cable cablelint can parse"
            return result
        fixes = offered_fixes(cable, selection, unsafe)
        if not fixes:
            break
        stored = Stored.read(current, cable.decoded)
        if isinstance(stored, str):
            result.skipped = stored
            return result
        fixed, applied = stored.apply(cable, fixes)
        if not applied:
            break
        try:
            current = stored.encode(fixed)
        except UnicodeEncodeError:
            result.skipped = f"a replacement cannot be written in {cable.decoded.encoding}"
            return result
        result.applied += applied
    else:
        result.skipped = f"its fixes did not settle in {MAX_PASSES} passes"
        result.applied = 0
        return result
    result.after = current
    return result


def offered_fixes(cable: Cable, selection: RuleSelection, unsafe: bool) -> list[Fix]:
    found = []
    for rule in selection.rules:
        for diag in rule().check(cable, selection.options_for(rule)):
            if diag.fix is not None and (diag.fix.safe or unsafe):
                found.append(diag.fix)
    return found


@dataclass
class Stored:
    """A file's text as stored (its own line ends) and how to encode it back."""

    raw: str
    newline: str
    encode: Callable[[str], bytes]
    #: Offsets in the normalised text of each ``\\r\\n`` (where its ``\\n`` stands).
    crlf: list[int]

    @classmethod
    def read(cls, data: bytes, decoded: Decoded) -> Stored | str:
        """The stored text of ``data``, or why it cannot be written back byte for byte."""
        encoder = _encoder(data, decoded)
        if encoder is None:
            return "its bytes mix UTF-8 and cp1252: it cannot be written back as it was"
        raw, encode = encoder
        if _normalise(raw) != decoded.text:
            return "its text cannot be mapped back to its bytes"
        try:
            same = encode(raw) == data
        except UnicodeEncodeError:
            same = False
        if not same:
            return f"it does not encode back to the same bytes in {decoded.encoding}"
        crlf = []
        at = raw.find("\r\n")
        while at != -1:
            crlf.append(at - len(crlf))
            at = raw.find("\r\n", at + 2)
        return cls(raw, decoded.newline, encode, crlf)

    def raw_offset(self, offset: int) -> int:
        """An offset of the normalised text as an offset of the stored text."""
        return offset + bisect_left(self.crlf, offset)

    def apply(self, cable: Cable, fixes: Iterable[Fix]) -> tuple[str, int]:
        """The stored text with the fixes that do not overlap an earlier one applied."""
        spans = sorted(span for fix in fixes if (span := _stored_span(cable, fix)) is not None)
        pieces: list[str] = []
        position = applied = 0
        previous: tuple[int, int] | None = None
        for start, end, replacement in spans:
            if start < position or (start, end) == previous:
                continue  # overlaps a fix already taken: the next pass sees it again
            raw_start, raw_end = self.raw_offset(start), self.raw_offset(end)
            pieces.append(self.raw[self.raw_offset(position) : raw_start])
            pieces.append(replacement.replace("\n", self.newline))
            position, previous = end, (start, end)
            applied += self.raw[raw_start:raw_end] != replacement
        pieces.append(self.raw[self.raw_offset(position) :])
        return "".join(pieces), applied


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _encoder(data: bytes, decoded: Decoded) -> tuple[str, Callable[[str], bytes]] | None:
    """The file's text with its own line ends, and the function that encodes it back, as
    :func:`cablelint.source.decode` read it."""
    encoding = decoded.encoding
    if encoding in ("utf-16", "utf-32"):
        width = 2 if encoding == "utf-16" else 4
        bom = data[:width]
        little = bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE)
        codec = f"{encoding}-{'le' if little else 'be'}"
        raw = data.decode(encoding).lstrip("\ufeff")
        return raw, lambda text: bom + text.encode(codec)
    bom = codecs.BOM_UTF8 if decoded.bom else b""
    body = data[len(bom) :]
    if encoding == "utf-8":
        return body.decode("utf-8"), lambda text: bom + text.encode("utf-8")
    if encoding == "cp1252":
        raw = body.decode("utf-8", errors=_CP1252_FALLBACK)
        return raw, lambda text: bom + text.encode("cp1252", errors=_LATIN1_BYTES)
    return None


def _latin1_bytes(exc: UnicodeError) -> tuple[bytes, int]:
    """cp1252 leaves five bytes undefined; decoding read them as Latin-1: write them so."""
    assert isinstance(exc, UnicodeEncodeError)
    chunk = exc.object[exc.start : exc.end]
    if any(ord(c) > 0xFF for c in chunk):
        raise exc
    return chunk.encode("latin-1"), exc.end


_LATIN1_BYTES = "cablelint-latin1"
codecs.register_error(_LATIN1_BYTES, _latin1_bytes)


def _stored_span(cable: Cable, fix: Fix) -> tuple[int, int, str] | None:
    """The fix in offsets of the file's normalised text, or None when it cannot be applied
    there exactly (it spans markup of a web page, or lies outside the text)."""
    if not 0 <= fix.start <= fix.end <= len(cable.text):
        return None
    textmap = cable.textmap
    if not isinstance(textmap, MappedTextMap):
        return fix.start, fix.end, fix.replacement
    return _page_span(cable, textmap, fix)


def _page_span(cable: Cable, textmap: MappedTextMap, fix: Fix) -> tuple[int, int, str] | None:
    from .parse.html import _MARKUP_RE, Origins, _unmark

    assert textmap.raw is not None
    page, origins = textmap.raw.text, textmap.origins
    if fix.end > len(origins) or fix.start >= len(origins):
        return None
    start = origins[fix.start]
    if fix.start == fix.end:
        end = start
        if page[start : start + 1] != cable.text[fix.start : fix.start + 1]:
            return None  # the next character is markup: where to insert is not certain
    else:
        last = origins[fix.end - 1]
        entity = _MARKUP_RE.match(page, last) if page[last] == "&" else None
        end = entity.end() if entity else last + 1
        region = page[start:end]
        parts: list[str] = []
        _unmark(page, start, end, parts, Origins())
        if "<" in region or "".join(parts) != cable.text[fix.start : fix.end]:
            return None
    replacement = html.escape(fix.replacement, quote=False)
    if "\n" in replacement:
        # A page whose <pre> writes its line ends as entities ("&#x000A;") gets them so too.
        replacement = replacement.replace("\n", _page_newline(cable.text, page, origins,
                                                               fix.start))
    return start, end, replacement


def _page_newline(text: str, page: str, origins: Sequence[int], near: int) -> str:
    """How the page writes the cable's line ends at ``near``: the spelling of the line end
    next after it (else the one before), an entity (``&#x000A;``, ``&#10;``) or ``\n``."""
    from .parse.html import _MARKUP_RE

    for at in (text.find("\n", near), text.rfind("\n", 0, near)):
        if not 0 <= at < len(origins):
            continue
        origin = origins[at]
        if page[origin] == "\n":
            return "\n"
        entity = _MARKUP_RE.match(page, origin) if page[origin] == "&" else None
        if entity is not None and html.unescape(entity[0]) == "\n":
            return entity[0]
    return "\n"


def fix_file(path: str, settings: Settings, unsafe: bool = False) -> FileFix:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return FileFix(path, b"", b"", skipped=f"cannot read: {exc.strerror or exc}")
    return fix_bytes(path, data, settings, unsafe)


def write_atomic(path: str, data: bytes, expected: bytes | None = None) -> str | None:
    """Replace the file's content by ``data`` atomically (see :mod:`cablelint.atomic`),
    through a symbolic link to its target. With ``expected``, a file that no longer holds
    those bytes is left alone. Returns why nothing was written, or None."""
    from .atomic import atomic_target

    target = Path(os.path.realpath(path))
    if expected is not None:
        try:
            if target.read_bytes() != expected:
                return "it changed while it was being fixed"
        except OSError as exc:
            return f"cannot read it again: {exc.strerror or exc}"
    with atomic_target(target) as temporary:
        temporary.write_bytes(data)
    return None


def unified_diff(fixed: FileFix) -> bytes:
    """The change as a unified diff that ``patch -p0`` applies: the file's own bytes, split
    where patch splits them (after each LF), so a cp1252 file's diff is in cp1252 and a file
    of CR line ends is one line, as GNU diff gives them. UTF-16 and UTF-32 files (no ASCII
    line bytes) are shown as their decoded text in UTF-8 with LF line ends: patch cannot apply
    those."""
    if decode(fixed.before).encoding in ("utf-16", "utf-32"):
        before, after = ([line.encode("utf-8") for line in decode(data).text.splitlines(True)]
                         for data in (fixed.before, fixed.after))
    else:
        before, after = _patch_lines(fixed.before), _patch_lines(fixed.after)
    name = os.fsencode(fixed.path)
    lines = difflib.diff_bytes(difflib.unified_diff, before, after, name, name)
    return b"".join(line if line.endswith(b"\n") else
                    line + b"\n\\ No newline at end of file\n" for line in lines)


def _patch_lines(data: bytes) -> list[bytes]:
    """``data`` cut after each LF, as patch reads a file (bytes.splitlines cuts at CR too)."""
    lines = data.split(b"\n")
    return [line + b"\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
