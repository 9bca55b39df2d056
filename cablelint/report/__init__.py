"""Report formats: plain functions from findings to text. Each format is one module."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..engine import Finding
from . import json_format, text_format

Formatter = Callable[[Sequence[Finding]], str]

FORMATS: dict[str, Formatter] = {
    "text": text_format.render,
    "json": json_format.render,
}
