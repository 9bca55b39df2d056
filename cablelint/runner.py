"""Find the files to lint and lint them, in parallel when there are many."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks import CABLE_RULES, UnreadableInput
from .checks.inputs import BINARY_MESSAGE
from .config import Settings
from .corpus import CableFacts, run_corpus_rules
from .corpus import facts as corpus_facts
from .engine import Finding, Rule, run_rules
from .model import Cable
from .parse import parse_bytes

if TYPE_CHECKING:
    from .cache import ResultCache

#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 200
CHUNK = 64


class Result:
    """What a run found."""

    __slots__ = ("findings", "files", "input_errors", "cached", "paths", "facts")

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        #: Cables checked: a file counts one, a container one per record.
        self.files = 0
        self.input_errors = 0
        #: Files (plain or container) whose findings came from the result cache.
        self.cached = 0
        #: Every file linted, in discovery order (reports list the clean ones too).
        self.paths: list[str] = []
        #: What the corpus-wide rules need of each cable (only when one of them is selected).
        self.facts: list[CableFacts] = []


def discover(paths: Iterable[str], settings: Settings) -> Iterator[str]:
    """Files to lint, in a stable order, each once. Named files are always linted; folders
    are walked for the configured suffixes, skipping hidden entries and excluded names."""
    paths = list(paths)
    if len(paths) < 2:  # one folder's walk names each file once
        yield from _discover(paths, settings)
        return
    # A file named twice, or named and in a named folder, is linted once (else the corpus
    # rules would call it a copy of itself); standard input is read once.
    seen: set[str] = set()
    for path in _discover(paths, settings):
        key = path if path == "-" else os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            yield path


def _discover(paths: list[str], settings: Settings) -> Iterator[str]:
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if not path.is_dir():
            yield raw
            continue
        found: list[str] = []
        base = str(path)  # as Path(folder, name) would spell it
        _walk(base, "" if base == "." else base + os.sep,
              {s.lower() for s in settings.suffixes}, settings.excluded_name, found)
        yield from sorted(found)


def _walk(folder: str, prefix: str, suffixes: set[str], excluded: Callable[[str], bool],
          found: list[str]) -> None:
    """Add the files to lint under ``folder`` (spelled ``prefix``) to ``found``: one
    ``scandir`` a folder, whose entries know their type without a ``stat`` each (a third of
    the walk's time, when it looked at each file). As ``os.walk``: links to folders are not
    followed."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as exc:
        # A folder that cannot be listed is linted as a file: reading it reports E001
        # ("cannot read: Permission denied") instead of the walk skipping it silently.
        found.append(exc.filename if exc.filename is not None else folder)
        return
    folders = []
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if _walked_folder(name) and not entry.is_symlink():
                folders.append(name)
        elif _walked_file(name, suffixes, excluded) and (
                entry.is_file() or _dangling(prefix + name)):
            # not a FIFO, socket or device (reading a FIFO blocks the run forever); a
            # dangling link is kept: it gets E001
            found.append(prefix + name)
    for name in folders:
        _walk(prefix + name, prefix + name + os.sep, suffixes, excluded, found)


def _walked_folder(name: str) -> bool:
    return not name.startswith(".") and name != "__pycache__"


def _walked_file(name: str, suffixes: set[str], excluded: Callable[[str], bool]) -> bool:
    dot = name.rfind(".")  # (os.path.splitext's suffix: the last dot's, not a leading one)
    return (dot > 0 and not name.startswith(".") and name[dot:].lower() in suffixes
            and not excluded(name))


def among_inputs(target: str, paths: Iterable[str], settings: Settings) -> bool:
    """Would linting ``paths`` read the file ``target``: a path named, or a file the walk of
    a named folder takes (:func:`discover`'s filters, without walking the folder)?"""
    real = os.path.realpath(target)
    suffixes = {s.lower() for s in settings.suffixes}
    for raw in paths:
        if raw == "-":
            continue
        named = os.path.realpath(raw)
        if real == named:
            return True
        if not os.path.isdir(raw) or not real.startswith(named.rstrip(os.sep) + os.sep):
            continue
        *folders, name = os.path.relpath(real, named).split(os.sep)
        if all(map(_walked_folder, folders)) and _walked_file(name, suffixes,
                                                               settings.excluded_name):
            return True
    return False


def _dangling(path: str) -> bool:
    """Is ``path`` (no folder, no regular file) a link to nothing? Kept: it gets E001."""
    try:
        os.stat(path)
    except OSError:
        return True
    return False


def lint_bytes(
    path: str, data: bytes, settings: Settings, *, metadata: dict[str, str] | None = None,
    rules_path: str | None = None,
) -> list[Finding]:
    """Lint one cable's bytes. ``metadata`` is what a container states about the cable;
    ``rules_path`` the file whose per-file ignores apply (a container for its cables)."""
    return lint_data(path, data, settings, metadata=metadata, rules_path=rules_path)[0]


def lint_data(
    path: str, data: bytes, settings: Settings, *, metadata: dict[str, str] | None = None,
    rules_path: str | None = None, with_facts: bool = False,
) -> tuple[list[Finding], CableFacts | None]:
    """:func:`lint_bytes`, and (``with_facts``) what the corpus-wide rules need of the cable."""
    if len(data) > settings.max_file_size * 1_000_000:
        return [_input_error(path, too_large(len(data), settings))], None
    cable = parse_bytes(path, data)
    if metadata:
        cable.metadata = metadata
    findings = check(cable, settings, rules_path)
    known = with_facts and cable.format != "unknown"
    return findings, corpus_facts(cable) if known else None


def check(cable: Cable, settings: Settings, rules_path: str | None = None) -> list[Finding]:
    """Run the rules the settings select for this cable (per-file ignores of ``rules_path``,
    by default the cable's own path)."""
    if cable.decoded is not None and cable.decoded.binary:
        # An input error, as a file that cannot be read: reported whatever the selection
        # (the run exits 2), not passed over by "--select D001".
        return [_input_error(cable.path, BINARY_MESSAGE)]
    selection = settings.selection(rules_path or cable.path)
    if cable.format == "unknown":
        selection = selection.without(CABLE_RULES.union(settings.extra_rules))
    return run_rules(cable, selection)


def corpus_rules(settings: Settings) -> list[tuple[type[Rule], str, dict[str, Any]]]:
    """The selected corpus-wide rules, with their severity and options."""
    selection = settings.selection()
    return [(rule, selection.severity(rule), selection.options_for(rule))
            for rule in selection.rules if getattr(rule, "corpus", False)]


def corpus_findings(facts: list[CableFacts],
                    rules: list[tuple[type[Rule], str, dict[str, Any]]],
                    settings: Settings) -> list[Finding]:
    """The corpus rules' findings, minus those a per-file ignore drops for their file. A
    container's cable is named ``file:ID`` in its facts; its findings name file and cable."""
    found = run_corpus_rules(facts, rules)
    named = {f.path: f for f in facts if f.container}
    out = []
    for finding in found:
        origin = named.get(finding.path)
        if origin is not None:
            finding = finding._replace(path=origin.container, cable=origin.cable)
        if settings.per_file_ignores and not any(
                r.code == finding.code for r in settings.selection(finding.path).rules):
            continue
        out.append(finding)
    return out


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


def too_large(size: int, settings: Settings) -> str:
    """E001's message for a file over ``max-file-size``."""
    return (f"too large to lint as a cable: {size / 1e6:.1f} MB, over max-file-size "
            f"({settings.max_file_size:g} MB); a corpus in one file belongs in a container "
            f"(.csv, .jsonl)")


def _input_error(path: str, message: str) -> Finding:
    rule = UnreadableInput
    return Finding(path, 1, 1, 1, 1, rule.code, rule.name, rule.severity, message)


def lint(
    paths: Iterable[str], settings: Settings, jobs: int | None = None, *,
    cache: ResultCache | None = None, progress: bool = False,
) -> Result:
    """Lint files and folders: cached results are reused (``cache``), container files are
    streamed cable by cable, many cables are linted in ``jobs`` processes; the findings come
    back sorted, the same whatever ``jobs`` is. ``progress`` draws a bar on standard error."""
    from .run import Run

    files = list(discover(paths, settings))
    return Run(settings, cache, progress).lint(files, jobs or os.cpu_count() or 1)
