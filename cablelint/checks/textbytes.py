"""One C-speed pass over a cable's text that the word and character rules share.

The text as Latin-1 bytes (one byte a character; other characters as ``?``) through one
``bytes.translate``: the bytes of word tokens kept (ASCII letters, digits, the bar), the
lower-case letters deleted (what the OCR rule's upper-case runs need), control characters
marked ``\\x0b`` and the leads of mojibake ``\\r`` (what the encoding rule asks about), every
other byte a space. Both marks are white space to ``bytes.split`` (unlike ``\\x1c``-``\\x1f``),
so the runs are the same.
"""

from __future__ import annotations

from ..model import Cable

#: The lead characters that start almost all mojibake (UTF-8 read as cp1252): Latin-1
#: letters and signs (Ã, Â), punctuation (â), Latin Extended (Å, Ä), Greek (Î, Ï), Cyrillic
#: (Ð, Ñ), Hebrew (×), Arabic (Ø, Ù), Vietnamese (á), the byte-order mark (ï).
MOJIBAKE_LEADS = "ÃÂâÅÄÐÑØÙÎÏ×ïá"
#: Bytes that are no control character (in ASCII or Latin-1): printable, tab, line feed,
#: form feed.
ALLOWED_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\x0c" + bytes(range(0xA0, 0x100))
CONTROL_MARK = b"\x0b"
LEAD_MARK = b"\r"
_TOKEN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789|"
_LEAD_BYTES = MOJIBAKE_LEADS.encode("latin-1")
_TABLE = bytes(b if b in _TOKEN_BYTES else LEAD_MARK[0] if b in _LEAD_BYTES
               else 0x20 if b in ALLOWED_BYTES else CONTROL_MARK[0] for b in range(256))
_LOWER = b"abcdefghijklmnopqrstuvwxyz"


def marked_runs(cable: Cable) -> bytes:
    """The cable's text through the table above, lower-case letters deleted (memoised):
    ``split()`` gives :func:`~cablelint.confusions.upper_runs`; ``CONTROL_MARK in`` it says
    whether the text holds a control character, ``LEAD_MARK in`` it a mojibake lead."""
    runs: bytes | None = cable.memo.get("marked_runs")
    if runs is None:
        # (a character past U+00FF is "?", a separator like any other non-token)
        runs = cable.memo["marked_runs"] = cable.latin1()[0].translate(_TABLE, _LOWER)
    return runs
