"""Line-anchored regex scans that run at the speed of a literal search.

A ``^``-anchored multi-line regex is tried at every position of the text. The same pattern
anchored on the newline character is tried only after each ``\\n``, which the regex engine
finds with a fast literal search; the first line of the region is matched on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class LineRegex:
    """``finditer`` yields ``(line_start, match)`` for lines that start with the pattern."""

    def __init__(self, body: str, flags: int = 0) -> None:
        self.first = re.compile(f"(?:{body})", flags | re.MULTILINE)
        self.rest = re.compile(f"\\n(?:{body})", flags | re.MULTILINE)

    def finditer(self, text: str, start: int = 0, end: int | None = None
                 ) -> Iterator[tuple[int, re.Match[str]]]:
        end = len(text) if end is None else end
        if start >= end:
            return
        if start == 0 or text[start - 1] == "\n":
            m = self.first.match(text, start, end)
            if m:
                yield start, m
        for m in self.rest.finditer(text, start, end):
            yield m.start() + 1, m
