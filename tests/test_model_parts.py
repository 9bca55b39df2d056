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
