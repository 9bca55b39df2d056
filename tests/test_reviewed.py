"""The real cables yield exactly the reviewed findings (docs/reviewed/<rule-name>.md).

Each table row names a file (``shared/corpus/...`` or ``corpus_samples/...``), one or more
lines, a verdict and why. Every finding of the whole catalog on those cables must be a row
with verdict ``true``, and every such row must still be found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.config import Settings
from cablelint.runner import lint
from conftest import ROOT, SAMPLES, SHARED

REVIEWED = ROOT / "docs" / "reviewed"


def reviewed() -> set[tuple[str, int, str]]:
    rows: set[tuple[str, int, str]] = set()
    for table in sorted(REVIEWED.glob("*.md")):
        if table.name == "README.md":
            continue
        for line in table.read_text(encoding="utf-8").splitlines():
            if not line.startswith("| ") or line.startswith(("| file", "| ---")):
                continue
            file, lines, verdict, _why = (c.strip() for c in line.strip("| \n").split(" | ", 3))
            assert verdict == "true", f"{table.name}: a false finding is fixed in the rule: {line}"
            for number in lines.split(","):
                rows.add((file, int(number), table.stem))
    return rows


def found(base: Path, prefix: str) -> set[tuple[str, int, str]]:
    result = lint([str(base)], Settings(select=["ALL"]), jobs=1)
    return {
        (prefix + Path(f.path).relative_to(base).as_posix(), f.line, f.rule)
        for f in result.findings
        if not Path(f.path).relative_to(base).as_posix().startswith("broken/")
    }


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared/corpus is not beside the repo")
def test_real_cables_yield_exactly_the_reviewed_findings() -> None:
    got = found(SHARED / "corpus", "shared/corpus/") | found(SAMPLES, "corpus_samples/")
    want = reviewed()
    assert sorted(got - want) == [], "findings nobody reviewed (add a row, or fix the rule)"
    assert sorted(want - got) == [], "reviewed findings no longer found"
