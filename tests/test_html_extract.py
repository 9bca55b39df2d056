"""A web page's ``<pre>`` text and each character's offset in the page: the extractor keeps
the offsets as runs (``Origins``); they must equal the offsets taken one character at a time."""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

import pytest

from cablelint.parse import parse_bytes
from cablelint.parse.html import extract
from conftest import SAMPLES

_PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.IGNORECASE | re.DOTALL)
_MARKUP = re.compile(r"<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
_META = re.compile(
    r"<a href='/(?P<kind>cable|date|classification|origin)/[^']*'[^>]*>(?P<value>[^<]+)</a>")


def _reference(page: str) -> tuple[str, list[int], list[tuple[str, int, int]]]:
    """The extraction done plainly: one offset appended per character."""
    parts: list[str] = []
    origins: list[int] = []
    for block in _PRE.finditer(page):
        if parts:
            parts.append("\n")
            origins.append(block.start())
        pos = block.start(1)
        for m in _MARKUP.finditer(page, block.start(1), block.end(1)):
            if m.start() > pos:
                parts.append(page[pos : m.start()])
                origins.extend(range(pos, m.start()))
            if m.group(0).startswith("&"):
                char = html.unescape(m.group(0))
                parts.append(char)
                origins.extend([m.start()] * len(char))
            pos = m.end()
        if block.end(1) > pos:
            parts.append(page[pos : block.end(1)])
            origins.extend(range(pos, block.end(1)))
    if parts and not parts[-1].endswith("\n"):
        parts.append("\n")
        origins.append(len(page) - 1 if page else 0)
    first = _PRE.search(page)
    table_end = first.start() if first else 0
    meta = []
    for m in _META.finditer(page, max(page.rfind("<table", 0, table_end), 0), table_end):
        start = len(origins)
        parts.append(m["value"] + "\n")
        origins.extend(range(m.start("value"), m.end("value") + 1))
        meta.append((m["kind"], start, start + len(m["value"])))
    return "".join(parts), origins, meta


def _check(page: str) -> None:
    got = extract(page)
    text, origins, meta = _reference(page)
    assert (got.text, got.meta) == (text, meta)
    assert len(got.origins) == len(origins)
    assert list(got.origins) == origins
    assert [got.origins[i] for i in range(len(origins))] == origins


@pytest.mark.parametrize("path", sorted(SAMPLES.rglob("*.html")), ids=lambda p: p.name)
def test_samples(path: Path) -> None:
    _check(path.read_text(encoding="utf-8", errors="replace"))


def test_generated_pages() -> None:
    pieces = ["<pre>", "<PRE class=x>", "<Pre>", "</pre>", "</PRE>", "</pRe>", "<prefix>", "&amp;",
              "&#x000A;", "&#65;", "&foo;", "&AElig;", "&", "<", ">", "&#", "abc", "\n", "é",
              "<a href='/tag/X_0.html'>X</a>", "<table>", "<a href='/date/1999'>1999</a>"]
    rng = random.Random(9)
    for _ in range(2000):
        _check("".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))))


def test_an_entity_of_two_characters_maps_both_to_the_entity() -> None:
    got = extract("<pre>a&NotEqualTilde;b</pre>")  # U+2242 U+0338
    assert got.text == "a\u2242\u0338b\n"
    assert list(got.origins) == [5, 6, 6, 21, 27]  # the closing line end: the last character


def test_a_message_names_places_by_column_where_a_page_line_holds_many_cable_lines() -> None:
    """``Cable.place``: the file's line where it names one place (a plain file, a page with
    real line ends); line and column where a ``<pre>`` spells its line ends ``&#x000A;`` (the
    page is one long line), and the column alone beside a place on that same line (trial12:
    'after line 40; its text continues at line 40')."""
    head = ("<html><body>\n<code><pre>P 262103Z FEB 07&#x000A;FM AMEMBASSY MADRID"
            "</pre></code>\n<code><pre>")
    body = "UNCLAS MADRID 000293&#x000A;&#x000A;SUBJECT: DATES&#x000A;1. (U) Text.</pre></code>\n"
    cable = parse_bytes("p.html", (head + body).encode())
    subject, para = cable.text.index("SUBJECT"), cable.text.index("1. (U)")
    fm = cable.text.index("FM AMEMBASSY")
    assert cable.locate(subject)[0] == cable.locate(para)[0] == 3
    assert cable.place(para, near=subject) == f"column {cable.locate(para)[1]}"
    assert cable.place(subject) == f"line 3, column {cable.locate(subject)[1]}"
    assert cable.place(fm, near=subject) == f"line 2, column {cable.locate(fm)[1]}"
    plain = parse_bytes("p.html", (head + body).replace("&#x000A;", "\n").encode())
    at = plain.text.index("1. (U)")
    assert plain.place(at, near=plain.text.index("SUBJECT")) == f"line {plain.locate(at)[0]}"
    telegram = parse_bytes("t.txt", b"UNCLAS MADRID 000293\n\nSUBJECT: DATES\n1. (U) Text.\n")
    assert telegram.place(telegram.text.index("1. (U)"), near=0) == "line 4"
