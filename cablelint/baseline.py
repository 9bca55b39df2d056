"""Baselines: accept today's findings on purpose, and fail only on new ones.

``--write-baseline FILE`` records the findings of a run; ``--baseline FILE`` drops the
findings it lists and reports its entries that no longer match anything, so that the
baseline shrinks as the corpus is repaired.

An entry is a finding's path (relative to the baseline's folder, with ``/``), its rule code
and its fingerprint: a hash of the rule, the matched text and its occurrence index in the
file, which survives lines moving (an inserted paragraph, a re-wrapped header). The message
follows for the reader. The file is plain text, one entry a line, sorted, so it diffs well in
a pull request::

    # cablelint baseline ...
    smart/0001.txt<TAB>T001<TAB>7c4a8d09ca3762af<TAB>'MEXICQ' is an OCR misreading of 'MEXICO'
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from .config import ConfigError
from .engine import Finding

HEADER = """\
# cablelint baseline: findings accepted on purpose. `cablelint --baseline FILE` fails only on
# findings not listed here, and lists the entries no longer found (drop them, or rewrite the
# file with `cablelint --baseline FILE --write-baseline FILE`). One finding a line, sorted:
# path (from this file's folder), rule code, fingerprint (rule, matched text, occurrence
# index: not the line), message.
"""

#: Input errors (a file that cannot be read, a binary file) are no findings to accept: they
#: are never recorded, and never accepted (the exit status is 2 until the input is readable).
INPUT_ERROR = "E001"


class BaselineError(ConfigError):
    """A baseline file that cannot be read (an input error: the exit status is 2)."""


@dataclass(frozen=True, order=True)
class Entry:
    path: str
    code: str
    fingerprint: str
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.code, self.fingerprint)

    def line(self) -> str:
        fields = (_escape(self.path), self.code, self.fingerprint, _one_line(self.message))
        return "\t".join(fields) + "\n"


@dataclass
class Baseline:
    path: Path
    entries: list[Entry]
    #: Lines of input errors (E001) an older cablelint recorded: read past, not entries.
    skipped: int = 0

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    def filter(self, findings: Sequence[Finding], linted: Iterable[str],
               ran: Callable[[str, str], bool] | None = None) -> Outcome:
        """Split a run's findings by the baseline. ``linted`` are the files the run linted:
        only their entries can be stale (pre-commit lints the staged files alone). ``ran``
        says whether a rule (a code) ran on a file (a path from the working folder): the
        entries of rules that did not run (``--select``, ``--ignore``, per-file ignores)
        cannot be stale either."""
        left = Counter(entry.key for entry in self.entries)
        outcome = Outcome()
        for finding in findings:
            key = entry_for(finding, self.folder).key
            if left[key] > 0 and finding.code != INPUT_ERROR:
                left[key] -= 1
                outcome.accepted.append(finding)
            else:
                outcome.new.append(finding)
        seen = {_relative(path, self.folder) for path in linted}
        for entry in self.entries:
            exists = self._exists(entry.path)
            if entry.path not in seen and exists:
                outcome.elsewhere.append(entry)
            elif left[entry.key] > 0:
                left[entry.key] -= 1
                if exists and ran is not None and not ran(self._from_cwd(entry.path),
                                                          entry.code):
                    outcome.unchecked.append(entry)
                else:
                    outcome.stale.append(entry)
        return outcome

    def _from_cwd(self, path: str) -> str:
        return path if path.startswith("<") else os.path.join(self.folder, path)

    def _exists(self, path: str) -> bool:
        """Does the entry's file still exist? An entry of a deleted (or moved) file is stale,
        linted or not; "<stdin>" and other names in brackets are no files."""
        return path.startswith("<") or os.path.exists(os.path.join(self.folder, path))


@dataclass
class Outcome:
    """A run's findings split by a baseline."""

    #: Findings the baseline does not list: they count.
    new: list[Finding] = field(default_factory=list)
    #: Findings the baseline lists.
    accepted: list[Finding] = field(default_factory=list)
    #: Entries of linted files that matched no finding (the defect was repaired), and entries
    #: of files that no longer exist.
    stale: list[Entry] = field(default_factory=list)
    #: Entries of files this run did not lint.
    elsewhere: list[Entry] = field(default_factory=list)
    #: Entries of linted files whose rule did not run (not selected, or ignored).
    unchecked: list[Entry] = field(default_factory=list)


def entry_for(finding: Finding, folder: Path) -> Entry:
    return Entry(_relative(finding.path, folder), finding.code, finding.fingerprint,
                 finding.message)


def _relative(path: str, folder: Path) -> str:
    if path.startswith("<"):  # <stdin>
        return path
    absolute = os.path.abspath(path)
    try:
        return PurePath(os.path.relpath(absolute, folder)).as_posix()
    except ValueError:  # another drive
        return PurePath(absolute).as_posix()


def render(findings: Iterable[Finding], folder: Path, keep: Iterable[Entry] = ()) -> str:
    entries = sorted({*(entry_for(f, folder) for f in findings), *keep},
                     key=lambda e: (e.path, e.code, e.message, e.fingerprint))
    return HEADER + "".join(entry.line() for entry in entries)


def write(path: Path, findings: Iterable[Finding], keep: Baseline | None = None,
          kept: Iterable[Entry] = ()) -> int:
    """Write the baseline of ``findings`` to ``path`` (atomically), with the ``kept``
    entries of the baseline ``keep``; returns the number of entries. Input errors are not
    recorded."""
    from .fixes import write_atomic

    findings = [f for f in findings if f.code != INPUT_ERROR]
    folder = path.resolve().parent
    rebased = [
        replace(e, path=_relative(os.path.join(keep.folder, e.path), folder))
        for e in kept
    ] if keep is not None else []
    text = render(findings, folder, rebased)
    write_atomic(str(path), text.encode("utf-8"))
    return sum(1 for line in text.splitlines() if line and not line.startswith("#"))


def load(path: Path) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    entries, skipped = [], 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) > 1 and fields[1] == INPUT_ERROR:  # recorded by an older cablelint
            skipped += 1
            continue
        if len(fields) < 3 or not fields[1] or not fields[2]:
            raise BaselineError(
                f"{path}:{number}: expected 'path<TAB>code<TAB>fingerprint<TAB>message', "
                f"found {line[:60]!r}"
            )
        message = fields[3] if len(fields) > 3 else ""
        entries.append(Entry(_unescape(fields[0]), fields[1], fields[2], message))
    return Baseline(path, entries, skipped)


def describe_stale(baseline: Baseline, stale: Sequence[Entry]) -> str:
    lines = [f"{baseline.path}: {len(stale)} baseline entr{'y' if len(stale) == 1 else 'ies'} "
             "no longer found (fixed, or the file moved); drop "
             f"{'it' if len(stale) == 1 else 'them'}:"]
    lines += [f"  {e.path}\t{e.code}\t{e.fingerprint}\t{e.message}" for e in stale]
    return "\n".join(lines)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append({"t": "\t", "n": "\n"}.get(nxt, nxt))
        else:
            out.append(char)
    return "".join(out)


def _one_line(value: str) -> str:
    return " ".join(value.split("\n")).replace("\t", " ")
