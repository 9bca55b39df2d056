"""GitLab Code Quality: a JSON array of issues (``description``, ``check_name``,
``fingerprint``, ``severity``, ``location``), shown in merge requests.

The fingerprint is stable while lines move: it hashes the file's path (relative to the
repository root) with cablelint's own fingerprint (rule, matched text, occurrence index).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from ..engine import Finding

#: cablelint's severities as Code Quality severities (info, minor, major, critical, blocker).
SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(findings: Sequence[Finding]) -> str:
    return json.dumps([issue(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def issue(f: Finding) -> dict[str, Any]:
    from . import project_path

    path = project_path(f.path)
    return {
        "type": "issue",
        "description": f"{f.code} [{f.rule}] {f.message}",
        "check_name": f.rule,
        "categories": ["Bug Risk"],
        "fingerprint": hashlib.md5(f"{path}\0{f.fingerprint}".encode()).hexdigest(),
        "severity": SEVERITIES[f.severity],
        "location": {
            "path": path,
            "positions": {
                "begin": {"line": f.line, "column": f.column},
                "end": {"line": f.end_line, "column": f.end_column},
            },
        },
    }
