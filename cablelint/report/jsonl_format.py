"""JSON Lines: one finding a line, the same objects as the ``json`` format (for streaming
into ``jq``, a database or a spreadsheet)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Report


def render(report: Report) -> str:
    return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in report.findings)
