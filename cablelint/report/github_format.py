"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation a
finding, shown on the pull request's changed lines."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import Finding

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(findings: Sequence[Finding]) -> str:
    return "".join(annotation(f) + "\n" for f in findings)


def annotation(f: Finding) -> str:
    from . import project_path

    props = {
        "file": project_path(f.path),
        "line": f.line,
        "col": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
        "title": f"{f.code} [{f.rule}]",
    }
    joined = ",".join(f"{key}={_property(str(value))}" for key, value in props.items())
    return f"::{COMMANDS[f.severity]} {joined}::{_data(f.message)}"


def _data(value: str) -> str:
    """Escape a command's message (GitHub's toolkit escapes ``%``, CR and LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    """Escape a property value: as a message, plus ``:`` and ``,``."""
    return _data(value).replace(":", "%3A").replace(",", "%2C")
