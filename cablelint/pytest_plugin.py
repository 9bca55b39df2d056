"""The pytest plugin: a corpus tested like code.

``pytest --cablelint corpus/`` (or ``cablelint = true`` in the pytest ini) makes every cable a
test item that fails with its findings in lint format, and adds one item for the corpus
data-quality suite (``cablelint suite``; skipped when Great Expectations is not installed).
pytest's own ``--junitxml`` then serves CI. Without the option the plugin does nothing.

The configuration is cablelint's own (``.cablelint.yaml`` or ``[tool.cablelint]``, found from
pytest's root folder): the rules, per-file ignores and ``fail-on`` apply as on the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .config import Settings, find_config, load
from .engine import Finding, severity_rank

_SETTINGS = pytest.StashKey[Settings]()
_ROWS = pytest.StashKey[dict[str, dict[str, Any]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cablelint", "linting diplomatic cables")
    group.addoption("--cablelint", action="store_true", default=None,
                    help="lint cables (.txt, .md, .html ...) as test items")
    group.addoption("--cablelint-suite", metavar="FILE",
                    help="the expectation suite's YAML file, or 'none' for no suite item")
    parser.addini("cablelint", type="bool", default=False,
                  help="lint cables as test items (like --cablelint)")
    parser.addini("cablelint_suite", default="",
                  help="the expectation suite's YAML file, or 'none' (like --cablelint-suite)")


def _enabled(config: pytest.Config) -> bool:
    option = config.getoption("cablelint")
    return bool(option if option is not None else config.getini("cablelint"))


def _settings(config: pytest.Config) -> Settings:
    if _SETTINGS not in config.stash:
        found = find_config(Path(config.rootpath))
        config.stash[_SETTINGS] = load(found) if found else Settings()
        config.stash[_ROWS] = {}
    return config.stash[_SETTINGS]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    config = parent.config
    if not _enabled(config) or file_path.name.startswith("."):
        return None
    settings = _settings(config)
    if file_path.suffix.lower() not in settings.suffixes or settings.excluded(file_path):
        return None
    return CableFile.from_parent(parent, path=file_path)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    if not _enabled(config) or not any(isinstance(i, CableItem) for i in items):
        return
    suite = config.getoption("cablelint_suite") or config.getini("cablelint_suite")
    if str(suite).lower() != "none":
        items.append(SuiteItem.from_parent(session, name="cablelint-suite",
                                           suite=Path(suite) if suite else None))


def _shown(config: pytest.Config, path: Path) -> str:
    """The path as findings show it: relative to where pytest was started, when inside it."""
    try:
        return path.relative_to(config.invocation_params.dir).as_posix()
    except ValueError:
        return str(path)


class CableFindings(Exception):
    """A cable's findings that reach the failing severity."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} findings")
        self.findings = findings


class CableFile(pytest.File):
    def collect(self) -> list[pytest.Item]:
        return [CableItem.from_parent(self, name=self.path.name)]


class CableItem(pytest.Item):
    """One cable: passes when no finding reaches ``fail-on``."""

    def runtest(self) -> None:
        from .extract import row
        from .parse import parse_bytes
        from .runner import check

        settings = _settings(self.config)
        cable = parse_bytes(_shown(self.config, self.path), self.path.read_bytes())
        findings = check(cable, settings)
        self.config.stash[_ROWS][cable.path] = row(cable, findings)
        threshold = severity_rank(settings.fail_on)
        if any(severity_rank(f.severity) >= threshold for f in findings):
            raise CableFindings(findings)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, CableFindings):
            from .report.text_format import render

            return render(excinfo.value.findings).rstrip("\n")
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"cablelint {self.path.name}"


class SuiteFailed(Exception):
    pass


class SuiteItem(pytest.Item):
    """The corpus data-quality suite over every collected cable."""

    def __init__(self, *, suite: Path | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite

    def runtest(self) -> None:
        from .extract import read_corpus, rows_of
        from .suite import INSTALL_HINT, SuiteError, load_suite, run_suite, summary

        try:
            import great_expectations  # noqa: F401
        except ImportError:
            pytest.skip(INSTALL_HINT)
        cables = [_shown(self.config, i.path) for i in self.session.items
                  if isinstance(i, CableItem)]
        rows = self.config.stash[_ROWS]
        missing = [p for p in cables if p not in rows]  # deselected, or run elsewhere
        settings = _settings(self.config)
        for item in rows_of(read_corpus(missing, settings, [])):
            rows[item["id"]] = item
        try:
            spec = load_suite(self.suite)
            result = run_suite([rows[p] for p in cables if p in rows], spec)
        except SuiteError as exc:
            raise SuiteFailed(str(exc)) from None
        if not result.success:
            raise SuiteFailed(summary(result, spec, len(cables)))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, SuiteFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return Path(self.config.rootpath), None, "cablelint suite"
