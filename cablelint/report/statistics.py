"""``--statistics``: how many findings each rule made, most first, and how many have a fix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..engine import Finding


def render(findings: Sequence[Finding]) -> str:
    counts = Counter((f.code, f.rule) for f in findings)
    fixable = Counter((f.code, f.rule) for f in findings if f.fix is not None)
    if not counts:
        return ""
    width = len(str(max(counts.values())))
    name_width = max(len(rule) for _, rule in counts)
    lines = []
    for (code, rule), n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        fixes = fixable[(code, rule)]
        note = f"  ({fixes} with a fix)" if fixes else ""
        lines.append(f"{n:>{width}}  {code}  {rule:<{name_width}}{note}".rstrip() + "\n")
    return "".join(lines)
