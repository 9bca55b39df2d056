"""JSON Lines: one finding a line, the same objects as the ``json`` format (for streaming
into ``jq``, a database or a spreadsheet)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..engine import Finding


def render(findings: Sequence[Finding]) -> str:
    return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in findings)
