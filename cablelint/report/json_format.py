"""A JSON array of findings (1-based lines and columns; ``fix`` is null or an object)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..engine import Finding


def render(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
