"""Golden tests on real cables: the seed, corpus_samples/, and the shared corpus.

Every finding on a real cable was reviewed by hand (docs/reviewed/); these tests
pin the output, so a change that adds a false alarm, or loses a true finding, fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cablelint.config import Settings
from cablelint.runner import lint
from conftest import SAMPLES, SEED, SHARED

GOLDEN = Path(__file__).parent / "golden"
MISSION = {"P001", "M001", "H001", "D001", "T001"}
#: ``CABLELINT_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` rewrites the pinned files (review
#: the diff against docs/reviewed/ before committing it).
UPDATE = os.environ.get("CABLELINT_UPDATE_GOLDEN") == "1"


def check_golden(name: str, got: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def render(base: Path) -> str:
    result = lint([str(base)], Settings(), jobs=1)
    return "".join(
        f"{Path(f.path).relative_to(base).as_posix()}:{f.line}:{f.column}: {f.code} "
        f"[{f.rule}] {f.message}\n"
        for f in result.findings
    )


def test_seed_is_golden() -> None:
    """The seed: ocr-confusion at lines 93 and 106 (MEXICQ -> MEXICO), paragraphs 1, 4, 7
    and 10 split by page breaks, four unmatched ')' in the trailer (``(b)(6) Mexico City)``),
    and no finding from the other four mission rules."""
    result = lint([str(SEED)], Settings(), jobs=1)
    got = [(f.code, f.line, f.column, f.message, f.fix["replacement"] if f.fix else None)
           for f in result.findings]
    split = "paragraph {} is split by a page break after line {}; its text continues at line {}"
    unmatched = "')' in '{} (b)(6) Mexico City)' has no matching '('"
    assert got == [
        ("S002", 41, 1, split.format(1, 39, 41), " "),
        ("S002", 53, 1, split.format(4, 51, 53), " "),
        ("S002", 67, 1, split.format(7, 63, 67), " "),
        ("S002", 79, 1, split.format(10, 77, 79), " "),
        ("T001", 93, 17, "'MEXICQ' is an OCR misreading of 'MEXICO'", "MEXICO"),
        ("S004", 93, 42, unmatched.format("MEXICQ"), None),
        ("S004", 97, 31, unmatched.format("USAID/PROG"), None),
        ("S004", 102, 24, unmatched.format("POL"), None),
        ("T001", 106, 18, "'MEXICQ' is an OCR misreading of 'MEXICO'", "MEXICO"),
        ("S004", 106, 43, unmatched.format("MEXICQ"), None),
    ]


def test_seed_model() -> None:
    from cablelint.parse import parse_bytes

    cable = parse_bytes("seed", SEED.read_bytes())
    assert cable.format == "smart"
    assert [p.number for p in cable.paragraphs] == list(range(1, 13))
    assert all(p.slot.raw == "(SBU)" for p in cable.paragraphs)
    # paragraphs 1, 4, 7 and 10 are split by page breaks; each stays one paragraph
    lines = {p.number: (cable.locate(p.start)[0], cable.locate(p.end - 1)[0])
             for p in cable.paragraphs}
    assert lines[1] == (39, 42) and lines[4] == (51, 54) and lines[7] == (63, 68)
    assert lines[10] == (77, 80)
    assert len(cable.headings) == 7 and all(h.slot.raw == "(SBU)" for h in cable.headings)
    assert cable.first("MRN").value == "20 MEXICO 368"
    assert cable.first("TAGS").value == "PGOV, PREL, PHUM, SMIG, KTIP, MX"
    assert cable.classification == "SBU"
    assert str(cable.date) == "2020-02-05"


def test_corpus_samples_output_is_pinned() -> None:
    got = render(SAMPLES)
    codes = {line.split()[1] for line in got.splitlines()}
    assert codes >= MISSION, "each mission rule fires at least once on corpus_samples/"
    check_golden("corpus_samples.txt", got)


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared/corpus is not beside the repo")
def test_shared_corpus_output_is_the_reviewed_one() -> None:
    got = render(SHARED / "corpus")
    check_golden("shared_corpus.txt", got)
