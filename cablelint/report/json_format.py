"""A JSON array of findings (1-based lines and columns; ``fix`` is null or an object)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Report


def render(report: Report) -> str:
    return json.dumps([f.to_dict() for f in report.findings], indent=2,
                      ensure_ascii=False) + "\n"
