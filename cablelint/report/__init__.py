"""Report formats: plain functions of the results, one module each, and their registry.

A formatter takes a :class:`Report` (the findings, sorted, and every file linted, clean ones
included) and returns the text to write; a format module's ``render`` takes the findings (or
the report, when it lists clean files too, as JUnit does). Several formats can be written in one run
(``--format`` to standard output, ``--output-file FORMAT=PATH`` to files).
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import os
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path, PurePath
from typing import NamedTuple

from ..engine import Finding


class Report(NamedTuple):
    """What a run found: ``findings`` sorted by path, line and column, and ``paths``, every
    file linted (as named in the findings: standard input is ``<stdin>`` or the name given
    by ``--stdin-filename``)."""

    findings: Sequence[Finding]
    paths: Sequence[str]


Formatter = Callable[[Report], str]


def _lazy(module: str, whole: bool = False) -> Formatter:
    """A format's module is imported when the format is first used (start-up time). Its
    ``render`` takes the findings, or the whole report when it lists clean files too."""

    def render(report: Report) -> str:
        format_render = import_module(f"{__name__}.{module}").render
        return format_render(report if whole else report.findings)  # type: ignore[no-any-return]

    render.__name__ = f"{module}.render"
    return render


FORMATS: dict[str, Formatter] = {
    "text": _lazy("text_format"),
    "json": _lazy("json_format"),
    "jsonl": _lazy("jsonl_format"),
    "sarif": _lazy("sarif_format"),
    "junit": _lazy("junit_format", whole=True),
    "github": _lazy("github_format"),
    "gitlab": _lazy("gitlab_format"),
}


def project_path(path: str) -> str:
    """A path as CI services want it: relative to the current folder (the repository root
    in CI) with ``/`` separators when the file is under it, else absolute."""
    if path.startswith("<"):  # <stdin>
        return path
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return PurePath(absolute).as_posix()
