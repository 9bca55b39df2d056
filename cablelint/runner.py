"""Find the files to lint and lint them, in parallel when there are many."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import CABLE_RULES, UnreadableInput
from .config import Settings
from .corpus import CableFacts, run_corpus_rules
from .corpus import facts as corpus_facts
from .engine import Finding, Rule, run_rules
from .model import Cable
from .parse import parse_bytes

#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200
CHUNK = 64


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    input_errors: int = 0
    #: What the corpus-wide rules need of each cable (only when one of them is selected).
    facts: list[CableFacts] = field(default_factory=list)
    #: Every file linted, in discovery order (reports list the clean ones too).
    paths: list[str] = field(default_factory=list)


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
    return check(parse_bytes(path, data), settings)


def _lint_data(path: str, data: bytes, settings: Settings,
               with_facts: bool) -> tuple[list[Finding], CableFacts | None]:
    cable = parse_bytes(path, data)
    findings = check(cable, settings)
    known = with_facts and cable.format != "unknown"
    return findings, corpus_facts(cable) if known else None


def check(cable: Cable, settings: Settings) -> list[Finding]:
    """Run the rules the settings select for this cable's path."""
    selection = settings.selection(cable.path)
    if cable.format == "unknown":
        selection = selection.without(CABLE_RULES.union(settings.extra_rules))
    return run_rules(cable, selection)


def lint_file(path: str, settings: Settings,
              with_facts: bool = False) -> tuple[list[Finding], bool, CableFacts | None]:
    """Lint one file: its findings, whether it was an input error, and (when asked) the facts
    the corpus-wide rules need of it."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            path = "<stdin>"
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [_input_error(path, f"cannot read: {reason}")], True, None
    findings, facts = _lint_data(path, data, settings, with_facts)
    return findings, any(f.code == UnreadableInput.code for f in findings), facts


def _input_error(path: str, message: str) -> Finding:
    rule = UnreadableInput
    return Finding(path, 1, 1, 1, 1, rule.code, rule.name, rule.severity, message)


def _lint_chunk(paths: list[str], settings: Settings,
                with_facts: bool = False) -> tuple[list[Finding], int, list[CableFacts]]:
    findings: list[Finding] = []
    errors = 0
    facts: list[CableFacts] = []
    for path in paths:
        got, error, known = lint_file(path, settings, with_facts)
        findings.extend(got)
        errors += error
        if known is not None:
            facts.append(known)
    return findings, errors, facts


def corpus_rules(settings: Settings) -> list[tuple[type[Rule], str, dict[str, Any]]]:
    selection = settings.selection()
    return [(rule, selection.severity(rule), selection.options_for(rule))
            for rule in selection.rules if getattr(rule, "corpus", False)]


def lint(paths: Iterable[str], settings: Settings, jobs: int | None = None) -> Result:
    files = list(discover(paths, settings))
    result = Result(files=len(files), paths=files)
    selected = corpus_rules(settings) if len(files) > 1 else []
    with_facts = bool(selected)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(files) >= PARALLEL_THRESHOLD and "-" not in files:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for findings, errors, facts in pool.map(_lint_chunk, chunks,
                                                    [settings] * len(chunks),
                                                    [with_facts] * len(chunks)):
                result.findings.extend(findings)
                result.input_errors += errors
                result.facts.extend(facts)
    else:
        result.findings, result.input_errors, result.facts = _lint_chunk(files, settings,
                                                                         with_facts)
    if selected:
        result.findings.extend(_corpus_findings(result.facts, selected, settings))
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _corpus_findings(facts: list[CableFacts],
                     rules: list[tuple[type[Rule], str, dict[str, Any]]],
                     settings: Settings) -> list[Finding]:
    """The corpus rules' findings, minus those a per-file ignore drops for their file."""
    found = run_corpus_rules(facts, rules)
    if not settings.per_file_ignores:
        return found
    return [f for f in found if any(r.code == f.code for r in settings.selection(f.path).rules)]
