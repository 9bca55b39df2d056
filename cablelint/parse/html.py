"""A cable inside a web page: the telegram text sits in ``<pre>`` blocks, with tags (links
on TAGS) and entities (``&#x000A;`` for line ends) mixed in, as the Cablegate/CFPF pages
publish it. The blocks are extracted into plain text whose every character remembers its
offset in the page, so that findings point at the page's own line and column.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

# "pre" in any case, spelled out rather than re.IGNORECASE, which has no literal to start
# from (no character outside ASCII case-folds to p, r or e); the block's text taken as runs
# up to the first "</pre>" (possessive: the lazy ".*?" tries the end tag at every character).
_PRE_RE = re.compile(r"<[Pp][Rr][Ee]\b[^>]*>((?:[^<]++|<(?!/[Pp][Rr][Ee]>))*+)</[Pp][Rr][Ee]>")
_MARKUP_RE = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
# Page metadata cells that state facts about the cable (the WikiLeaks reference id, date,
# classification and origin).
_META_RE = re.compile(
    r"<a href='/(?P<kind>cable|date|classification|origin)/[^']*'[^>]*>(?P<value>[^<]+)</a>")


class Origins:
    """The page offset of each character of the extracted text, as a sequence (``len``,
    indexing). Stored as runs: ``starts[k]`` is where run ``k`` starts in the text, and its
    characters come from the page from ``pages[k]`` on, one for one (a page has a few hundred
    runs, against tens of thousands of characters)."""

    __slots__ = ("starts", "pages", "size")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.pages: list[int] = []
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError("origin index out of range")
        k = bisect_right(self.starts, index) - 1
        return self.pages[k] + index - self.starts[k]

    def __iter__(self) -> Iterator[int]:
        return (self[i] for i in range(self.size))

    def add(self, length: int, page_offset: int) -> None:
        """``length`` characters copied from the page from ``page_offset`` on."""
        if length > 0:
            self.starts.append(self.size)
            self.pages.append(page_offset)
            self.size += length


class Extracted(NamedTuple):
    text: str
    origins: Origins
    #: (kind, start, end) of page metadata values appended after the pre text
    meta: list[tuple[str, int, int]]


def extract(page: str) -> Extracted:
    parts: list[str] = []
    origins = Origins()
    first_pre: re.Match[str] | None = None
    for block in _PRE_RE.finditer(page):
        if parts:
            parts.append("\n")
            origins.add(1, block.start())
        if first_pre is None:
            first_pre = block
        _unmark(page, block.start(1), block.end(1), parts, origins)
    if parts and not "".join(parts[-1:]).endswith("\n"):
        parts.append("\n")
        origins.add(1, len(page) - 1 if page else 0)
    meta = []
    # The cable's own metadata table stands right before its text; the page's navigation
    # elsewhere links to other dates and classifications.
    table_end = first_pre.start() if first_pre else 0
    table_start = max(page.rfind("<table", 0, table_end), 0)
    for m in _META_RE.finditer(page, table_start, table_end):
        start = len(origins)
        value = m["value"]
        parts.append(value + "\n")
        origins.add(len(value) + 1, m.start("value"))  # the line end stands for the "</a>"
        meta.append((m["kind"], start, start + len(value)))
    return Extracted("".join(parts), origins, meta)


_ENTITIES: dict[str, str] = {}  # a page repeats its few entities ("&#x000A;" ends each line)


def _unmark(page: str, start: int, end: int, parts: list[str], origins: Origins) -> None:
    # (the runs appended in line, not by Origins.add: a call per token costs as much as the
    # rest of the token's work)
    starts, pages, size = origins.starts, origins.pages, origins.size
    pos = start
    for m in _MARKUP_RE.finditer(page, start, end):
        at, stop = m.span()
        if at > pos:
            parts.append(page[pos:at])
            starts.append(size)
            pages.append(pos)
            size += at - pos
        pos = stop
        if page[at] == "&":
            token = page[at:stop]
            char = _ENTITIES.get(token)
            if char is None:
                char = html.unescape(token)
                if len(_ENTITIES) < 4096:
                    _ENTITIES[token] = char
            parts.append(char)
            for _ in char:  # each character of the entity's text stands for the entity
                starts.append(size)
                pages.append(at)
                size += 1
    if end > pos:
        parts.append(page[pos:end])
        starts.append(size)
        pages.append(pos)
        size += end - pos
    origins.size = size
