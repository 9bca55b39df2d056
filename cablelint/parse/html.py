"""A cable inside a web page: the telegram text sits in ``<pre>`` blocks, with tags (links
on TAGS) and entities (``&#x000A;`` for line ends) mixed in, as the Cablegate/CFPF pages
publish it. The blocks are extracted into plain text whose every character remembers its
offset in the page, so that findings point at the page's own line and column.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_PRE_RE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.IGNORECASE | re.DOTALL)
_MARKUP_RE = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
# Page metadata cells that state facts about the cable (the WikiLeaks reference id, date,
# classification and origin).
_META_RE = re.compile(
    r"<a href='/(?P<kind>cable|date|classification|origin)/[^']*'[^>]*>(?P<value>[^<]+)</a>")


@dataclass
class Extracted:
    text: str
    origins: list[int]
    #: (kind, start, end) of page metadata values appended after the pre text
    meta: list[tuple[str, int, int]]


def extract(page: str) -> Extracted:
    parts: list[str] = []
    origins: list[int] = []
    for block in _PRE_RE.finditer(page):
        if parts:
            parts.append("\n")
            origins.append(block.start())
        _unmark(page, block.start(1), block.end(1), parts, origins)
    if parts and not "".join(parts[-1:]).endswith("\n"):
        parts.append("\n")
        origins.append(len(page) - 1 if page else 0)
    meta = []
    # The cable's own metadata table stands right before its text; the page's navigation
    # elsewhere links to other dates and classifications.
    first_pre = _PRE_RE.search(page)
    table_end = first_pre.start() if first_pre else 0
    table_start = max(page.rfind("<table", 0, table_end), 0)
    for m in _META_RE.finditer(page, table_start, table_end):
        start = len(origins)
        value = m["value"]
        parts.append(value + "\n")
        origins.extend(range(m.start("value"), m.end("value")))
        origins.append(m.end("value"))
        meta.append((m["kind"], start, start + len(value)))
    return Extracted("".join(parts), origins, meta)


def _unmark(page: str, start: int, end: int, parts: list[str], origins: list[int]) -> None:
    pos = start
    for m in _MARKUP_RE.finditer(page, start, end):
        if m.start() > pos:
            parts.append(page[pos : m.start()])
            origins.extend(range(pos, m.start()))
        token = m.group(0)
        if token.startswith("&"):
            char = html.unescape(token)
            parts.append(char)
            origins.extend([m.start()] * len(char))
        pos = m.end()
    if end > pos:
        parts.append(page[pos:end])
        origins.extend(range(pos, end))
