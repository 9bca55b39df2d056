"""Find the files to lint and lint them, in parallel when there are many."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .checks import CABLE_RULES, UnreadableInput
from .config import Settings
from .engine import Finding, run_rules
from .parse import parse_bytes

#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200
CHUNK = 64


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    input_errors: int = 0


def discover(paths: Iterable[str], settings: Settings) -> Iterator[str]:
    """Files to lint, in a stable order. Named files are always linted; folders are walked
    for the configured suffixes, skipping hidden entries and excluded names."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if not path.is_dir():
            yield raw
            continue
        found = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            for name in files:
                candidate = Path(folder, name)
                if (
                    not name.startswith(".")
                    and candidate.suffix.lower() in settings.suffixes
                    and not settings.excluded(candidate)
                ):
                    found.append(str(candidate))
        yield from sorted(found)


def lint_bytes(path: str, data: bytes, settings: Settings) -> list[Finding]:
    cable = parse_bytes(path, data)
    selection = settings.selection(path)
    if cable.format == "unknown":
        selection = selection.without(CABLE_RULES.union(settings.extra_rules))
    return run_rules(cable, selection)


def lint_file(path: str, settings: Settings) -> tuple[list[Finding], bool]:
    """Lint one file; the flag says whether it was an input error."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            path = "<stdin>"
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [_input_error(path, f"cannot read: {reason}")], True
    findings = lint_bytes(path, data, settings)
    return findings, any(f.code == UnreadableInput.code for f in findings)


def _input_error(path: str, message: str) -> Finding:
    rule = UnreadableInput
    return Finding(path, 1, 1, 1, 1, rule.code, rule.name, rule.severity, message)


def _lint_chunk(paths: list[str], settings: Settings) -> tuple[list[Finding], int]:
    findings: list[Finding] = []
    errors = 0
    for path in paths:
        got, error = lint_file(path, settings)
        findings.extend(got)
        errors += error
    return findings, errors


def lint(paths: Iterable[str], settings: Settings, jobs: int | None = None) -> Result:
    files = list(discover(paths, settings))
    result = Result(files=len(files))
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(files) >= PARALLEL_THRESHOLD and "-" not in files:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for findings, errors in pool.map(_lint_chunk, chunks, [settings] * len(chunks)):
                result.findings.extend(findings)
                result.input_errors += errors
    else:
        result.findings, result.input_errors = _lint_chunk(files, settings)
    result.findings.sort(key=lambda f: f.sort_key)
    return result
