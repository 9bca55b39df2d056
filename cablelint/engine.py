"""The rule engine: what a rule is, what it reports, and running the selected rules on a cable.

A rule is a class with a stable ``code``, a kebab-case ``name``, a default ``severity``, a
one-line ``summary`` and its documentation as the class docstring (with a failing and a
passing example). Its ``check`` reads the parsed :class:`~cablelint.model.Cable` and yields
:class:`Diagnostic` objects in text offsets; the engine turns them into :class:`Finding`
objects with lines, columns and a stable fingerprint.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

from collections.abc import Iterable, Iterator, Mapping
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple

from .hashing import sha1
from .model import Cable
from .source import TextMap

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class Fix(NamedTuple):
    """Replace ``text[start:end]`` with ``replacement``. ``safe`` fixes are applied by
    ``--fix``; the others only with ``--unsafe-fixes``."""

    replacement: str
    start: int
    end: int
    safe: bool


class Diagnostic(NamedTuple):
    """What a rule reports, in offsets of :attr:`Cable.text`."""

    start: int
    end: int
    message: str
    fix: Fix | None = None


class Finding(NamedTuple):
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    severity: str
    message: str
    fix: dict[str, Any] | None = None
    fingerprint: str = ""
    #: The cable's id inside a container file (a CSV row's refid, a JSONL record's id, or
    #: ``#N`` for the N-th record); None for a file that is one cable.
    cable: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled by tuple.__new__, in C, not by the NamedTuple's generated __new__ (a
        # Python call with twelve arguments): the main process unpickles every finding its
        # workers send, six times faster so.
        return (tuple.__new__, (Finding, tuple(self)))

    @property
    def sort_key(self) -> tuple[str, str, int, int, str]:
        # (run_rules sorts one cable's findings by _IN_CABLE_ORDER, the last three: keep in step)
        return (self.path, self.cable or "", self.line, self.column, self.code)

    @property
    def location(self) -> str:
        """``path`` for a file, ``path:cable`` for a cable inside a container."""
        return f"{self.path}:{self.cable}" if self.cable is not None else self.path

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
            "fingerprint": self.fingerprint,
            "cable": self.cable,
        }


class Rule:
    """Base class of every rule. Subclasses set the class attributes and ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]
    summary: ClassVar[str]
    #: Option name -> default value; a user's options are checked against these.
    options: ClassVar[Mapping[str, Any]] = {}
    #: The kinds of fix its findings may carry, of "safe" (applied by --fix) and "unsafe"
    #: (only with --unsafe-fixes); not every finding of such a rule has one.
    fixes: ClassVar[tuple[str, ...]] = ()

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or cls.summary)


class RuleSelection:
    """Which rules run, at which severity, with which options."""

    __slots__ = ("rules", "severities", "options", "_prepared")

    def __init__(
        self,
        rules: list[type[Rule]],
        severities: dict[str, str] | None = None,  # code -> severity
        options: dict[str, dict[str, Any]] | None = None,  # code -> options
    ) -> None:
        self.rules = rules
        self.severities: dict[str, str] = {} if severities is None else severities
        self.options: dict[str, dict[str, Any]] = {} if options is None else options
        # Rules are stateless: one instance each, with its options merged once. The corpus
        # rules have nothing to say of one cable: run_rules does not call them.
        self._prepared = [
            (rule, rule(), self.severity(rule), self.options_for(rule)) for rule in self.rules
            if not getattr(rule, "corpus", False)
        ]

    def severity(self, rule: type[Rule]) -> str:
        return self.severities.get(rule.code, rule.severity)

    def options_for(self, rule: type[Rule]) -> dict[str, Any]:
        return {**rule.options, **self.options.get(rule.code, {})}

    def without(self, rules: Iterable[type[Rule]]) -> "RuleSelection":
        drop = set(rules)
        return RuleSelection([r for r in self.rules if r not in drop], self.severities,
                             self.options)


def run_rules(cable: Cable, selection: RuleSelection) -> list[Finding]:
    findings: list[Finding] = []
    occurrences: dict[tuple[str, str], int] = {}
    for rule_cls, rule, severity, options in selection._prepared:
        for diag in rule.check(cable, options):
            findings.append(_finding(cable, rule_cls, severity, diag, occurrences))
    if len(findings) > 1:
        findings.sort(key=_IN_CABLE_ORDER)
    return findings


#: ``Finding.sort_key`` for the findings of one cable (one path, no container id), in C.
_IN_CABLE_ORDER = attrgetter("line", "column", "code")


def _finding(
    cable: Cable,
    rule: type[Rule],
    severity: str,
    diag: Diagnostic,
    occurrences: dict[tuple[str, str], int],
) -> Finding:
    start, end = diag.start, diag.end
    line, col = cable.locate(start)
    matched = cable.text[start:end]
    if end <= start:
        end_line, end_col = line, col
    elif start >= 0 and len(matched) == end - start and type(cable.textmap) is TextMap:
        # The end from the matched text, not a second look-up: its line ends move it down.
        breaks = matched.count("\n")
        if breaks:
            end_line, end_col = line + breaks, end - start - matched.rfind("\n")
        else:
            end_line, end_col = line, col + (end - start)
    else:
        end_line, end_col = cable.locate(end)
    key = (rule.code, matched)
    index = occurrences.get(key, 0)
    occurrences[key] = index + 1
    fingerprint = make_fingerprint(rule.code, matched, index)
    fix = None
    if diag.fix is not None:
        # A fix most often replaces what the finding marks: its places are known then.
        f_start, f_end = diag.fix.start, diag.fix.end
        f_line, f_col = (line, col) if f_start == start else cable.locate(f_start)
        f_end_line, f_end_col = ((end_line, end_col) if f_end == end and end > start
                                 else cable.locate(f_end))
        fix = {
            "replacement": diag.fix.replacement,
            "safe": diag.fix.safe,
            "applicability": "safe" if diag.fix.safe else "unsafe",
            "location": {"line": f_line, "column": f_col},
            "end_location": {"line": f_end_line, "column": f_end_col},
        }
    return Finding(cable.path, line, col, end_line, end_col, rule.code, rule.name, severity,
                   diag.message, fix, fingerprint)


def make_fingerprint(code: str, matched: str, index: int) -> str:
    """A finding's identity within its file: rule, the text it matched and which occurrence
    of that text it is; not its line, so it survives lines moving. The path is not hashed:
    baselines and reports pair it with the path relative to their own folder, so that they
    match whichever folder the corpus is linted from."""
    return sha1(f"{code}\0{matched}\0{index}".encode()).hexdigest()[:16]


def matches(rule: type[Rule], selectors: Iterable[str]) -> bool:
    """A selector is a code (``P001``), a code prefix (``P``), a name, or ``ALL``."""
    return any(sel in ("ALL", rule.name) or rule.code.startswith(sel) for sel in selectors)
