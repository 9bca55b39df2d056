"""Line-anchored regex scans that run at the speed of a literal search.

A ``^``-anchored multi-line regex is tried at every position of the text. The same pattern
anchored on the newline character is tried only after each ``\\n``, which the regex engine
finds with a fast literal search; the first line of the region is matched on its own.

The patterns are compiled through :mod:`cablelint.regex` (cached between runs).

A classifier of many line kinds (:class:`FilteredLineRegex`) is cheaper still when a filter
finds the few lines that may be of any kind: the filter's alternatives each start with a
literal or a character set, which the regex engine rejects without entering them, so a line
of plain prose costs a few character tests; the classifier runs on the lines it lets through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from .. import regex


class LineRegex:
    """``finditer`` yields ``(line_start, match)`` for lines that start with the pattern.

    ``first`` matches the region's first line; ``scan`` finds the others from the newline
    before each (``rest``: the same pattern, the unfiltered scan)."""

    def __init__(self, body: str, flags: int = 0) -> None:
        self.first = regex.compile(f"(?:{body})", flags | re.MULTILINE)
        self.rest = self.scan = regex.compile(f"\\n(?:{body})", flags | re.MULTILINE)

    def finditer(self, text: str, start: int = 0, end: int | None = None
                 ) -> Iterator[tuple[int, re.Match[str]]]:
        end = len(text) if end is None else end
        if start >= end:
            return
        if start == 0 or text[start - 1] == "\n":
            m = self.first.match(text, start, end)
            if m:
                yield start, m
        for m in self.scan.finditer(text, start, end):
            yield m.start() + 1, m


class FilteredLineRegex(LineRegex):
    """A :class:`LineRegex` whose candidate lines are found by ``filter``, a cheaper pattern
    that matches at the start of every line the classifier ``body`` matches (and of a few
    more). It yields the same lines and the same matches as ``LineRegex(body)``, each match
    made by ``body`` at the line's start; a filter that misses a line the body matches is a
    bug (``tests/test_lines.py`` compares the two on real and generated lines).

    The filter is a lookahead in the one pattern that scans the text (``scan``): the regex
    engine tries the classifier only on the lines the filter lets through, and Python sees
    only the classified lines. A match of ``scan`` starts at the newline before its line; its
    groups are the classifier's.
    """

    def __init__(self, body: str, filter: str, flags: int = 0) -> None:
        # (not LineRegex.__init__: the unfiltered ``rest`` is compiled only if a test asks)
        self.first = regex.compile(f"(?:{body})", flags | re.MULTILINE)
        self.scan = regex.compile(f"\\n(?={filter})(?:{body})", flags | re.MULTILINE)
        self.body, self.flags = body, flags

    @property
    def rest(self) -> re.Pattern[str]:  # type: ignore[override]
        """The unfiltered scan (for comparison in tests); compiled when asked for."""
        return re.compile(f"\\n(?:{self.body})", self.flags | re.MULTILINE)

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """The classifier's matches over the whole text, without their line starts: a line
        starts where the match's kind group does (``m.start(m.lastgroup)``). The regex
        engine's own iterator, with no Python step between two matches (``finditer`` makes a
        generator step and a tuple for each)."""
        first = self.first.match(text)
        scan = self.scan.finditer(text)
        return scan if first is None else chain((first,), scan)
