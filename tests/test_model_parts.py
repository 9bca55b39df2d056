"""The parser makes the model's parts with ``tuple.__new__`` (no Python-level ``__new__``):
each part must still carry every field of its class, or a field added to the model would
silently be missing from the parts the parser makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.parse import parse_bytes
from conftest import SAMPLES


@pytest.mark.parametrize("path", sorted(p for p in SAMPLES.rglob("*") if p.is_file()
                                        and p.suffix in {".txt", ".md", ".html"}),
                         ids=lambda p: p.name)
def test_every_part_has_every_field(path: Path) -> None:
    cable = parse_bytes(str(path), path.read_bytes())
    parts = [*cable.fields, *cable.paragraphs, *cable.headings, *cable.furniture,
             *(p.slot for p in cable.paragraphs), *(h.slot for h in cable.headings),
             *(s for p in cable.paragraphs for s in p.subparagraphs)]
    for part in parts:
        assert len(part) == len(type(part)._fields), f"{type(part).__name__} {part!r}"
        assert part == type(part)(*part), "equal to the part made the ordinary way"


# -- quotations: found by bisection, asked by bisection; as the plain walks answer -----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

QUOTE_PIECES = ["BEGIN TEXT", "END TEXT", "QUOTE", "UNQUOTE", "QTE", "UNQTE", "Begin quote",
                "End of text", "1. (C) words", "words", "\n", "\n\n", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(QUOTE_PIECES), max_size=40),
       st.lists(st.integers(0, 2000), max_size=30))
def test_quotes_and_quoted_answer_as_the_plain_walks(pieces: list[str],
                                                     offsets: list[int]) -> None:
    from cablelint.parse import parse_text
    from cablelint.parse.body import _QUOTE_ENDS, _begin_markers, _markers, find_quotes

    text = " ".join(pieces)
    begins = _begin_markers(text, 0, len(text))
    ends = _markers(_QUOTE_ENDS, text, 0, len(text))
    plain, pos = [], 0
    for b_start, b_end in begins:  # each begin's close: the first end after it
        if b_start < pos:
            continue
        close = next(((s, e) for s, e in ends if s >= b_end), None)
        if close is None:
            break
        plain.append((b_start, close[1]))
        pos = close[1]
    assert find_quotes(text, 0, len(text)) == (plain if begins else [])
    cable = parse_text("x.txt", text)
    for offset in offsets:
        assert cable.quoted(offset) == any(s <= offset < e for s, e in cable.quotes)
