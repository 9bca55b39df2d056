"""``path:line:col: CODE [name] message``, one finding a line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..engine import Finding


def render(findings: Sequence[Finding]) -> str:
    return "".join(
        f"{f.location}:{f.line}:{f.column}: {f.code} [{f.rule}] {f.message}\n" for f in findings
    )


def summary(findings: Sequence[Finding], files: int) -> str:
    """One line for stderr: how many findings of each severity in how many files."""
    if not findings and not files:  # (as ruff: a warning, not an error; the exit stays 0)
        return ("warning: no cable files found under the given paths (the suffixes linted are "
                "set by `suffixes` in the configuration): nothing was checked.")
    if not findings:
        return f"All clean: {files} file{'s' * (files != 1)} checked, no findings."
    by_severity = Counter(f.severity for f in findings)
    parts = [f"{by_severity[s]} {s}" for s in ("error", "warning", "info") if by_severity[s]]
    fixable = sum(1 for f in findings if f.fix is not None)
    with_findings = len({(f.path, f.cable) for f in findings})
    line = (f"Found {len(findings)} finding{'s' * (len(findings) != 1)} ({', '.join(parts)}) "
            f"in {with_findings} of {files} file{'s' * (files != 1)}.")
    if fixable:
        line += f" {fixable} with a fix."
    return line
