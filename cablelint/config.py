"""Configuration: ``[tool.cablelint]`` in ``pyproject.toml`` or ``.cablelint.yaml``.

The nearest file upward from the linted paths wins (``--config`` names one explicitly).
Every key is checked: an unknown key, rule or option is an error that names it and the file.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from .checks import REGISTRY, by_name_or_code
from .engine import SEVERITIES, Rule, RuleSelection, matches

CONFIG_NAMES = (".cablelint.yaml", ".cablelint.yml", "pyproject.toml")
DEFAULT_SUFFIXES = (".txt", ".md", ".html", ".htm")
DEFAULT_EXCLUDE = (
    "README*", "LICENSE*", "CHANGELOG*", "CONTRIBUTING*", "SOURCES*", "PROVENANCE*", "*.expected"
)


class ConfigError(Exception):
    """A configuration file or option is invalid; the message names the file and the key."""


@dataclass
class Settings:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    suffixes: list[str] = field(default_factory=lambda: list(DEFAULT_SUFFIXES))
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    fail_on: str = "info"
    path: Path | None = None  # the file these settings came from
    _selection: RuleSelection | None = field(default=None, repr=False, compare=False)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def selection(self, for_path: str | None = None) -> RuleSelection:
        """The rules for a file (per-file ignores applied); computed once when no per-file
        ignores are configured."""
        if not self.per_file_ignores:
            if self._selection is None:
                self._selection = self._select(None)
            return self._selection
        return self._select(for_path)

    def _select(self, for_path: str | None) -> RuleSelection:
        ignore = list(self.ignore)
        if for_path is not None and self.per_file_ignores:
            rel = _relative(for_path, self.root)
            for pattern, selectors in self.per_file_ignores.items():
                if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(PurePath(rel).name, pattern):
                    ignore.extend(selectors)
        chosen = [
            r for r in REGISTRY
            if matches(r, [*self.select, *self.extend_select]) and not matches(r, ignore)
        ]
        severities = {}
        for selector, level in self.severity.items():
            for r in REGISTRY:
                if matches(r, [selector]):
                    severities[r.code] = level
        options = {}
        for key, opts in self.rules.items():
            rule = by_name_or_code(key)
            assert rule is not None  # validated on load
            options[rule.code] = opts
        return RuleSelection(chosen, severities, options)

    def excluded(self, path: Path) -> bool:
        name = path.name
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.exclude)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def find_config(start: Path) -> Path | None:
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


# What a pyproject.toml with a [tool.cablelint] table contains: the table's header (also
# "[tool.cablelint.rules]", '[ "tool" . "cablelint" ]'), a dotted key "tool.cablelint.x = ",
# or a [tool] table or "tool = {...}" that may hold it. Other files are not parsed.
_MAY_HAVE_TABLE = re.compile(
    r"""tool["']?\s*\.\s*["']?cablelint|^\s*(?:\[\s*["']?tool["']?\s*\]|["']?tool["']?\s*=)""",
    re.MULTILINE)


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if not _MAY_HAVE_TABLE.search(text):  # no need to import and run a TOML parser
        return False
    tomllib = _toml()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return isinstance(data.get("tool"), dict) and "cablelint" in data["tool"]


def load(path: Path) -> Settings:
    """Read and validate one configuration file."""
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if path.name == "pyproject.toml":
        tomllib = _toml()
        try:
            data = tomllib.loads(raw_text).get("tool", {}).get("cablelint", {})
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    else:
        import yaml

        try:
            data = yaml.safe_load(raw_text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return from_mapping(data, path)


_KEYS = {
    "select": list,
    "extend-select": list,
    "ignore": list,
    "per-file-ignores": dict,
    "severity": dict,
    "rules": dict,
    "suffixes": list,
    "exclude": list,
    "extend-exclude": list,
    "fail-on": str,
}


def from_mapping(data: dict[str, Any], path: Path | None) -> Settings:
    where = str(path) if path else "configuration"
    settings = Settings(path=path)
    for key, value in data.items():
        norm = str(key).replace("_", "-")
        if norm not in _KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(_KEYS)})")
        if not isinstance(value, _KEYS[norm]):
            raise ConfigError(f"{where}: '{key}' must be a {_KEYS[norm].__name__}")
        if norm in ("select", "extend-select", "ignore"):
            setattr(settings, norm.replace("-", "_"), [_selector(s, where, key) for s in value])
        elif norm == "per-file-ignores":
            settings.per_file_ignores = {
                str(pattern): [_selector(s, where, f"{key}.{pattern}") for s in _as_list(sels)]
                for pattern, sels in value.items()
            }
        elif norm == "severity":
            for sel, level in value.items():
                _selector(sel, where, key)
                if level not in SEVERITIES:
                    raise ConfigError(f"{where}: severity of '{sel}' must be one of "
                                      f"{', '.join(SEVERITIES)}, not '{level}'")
            settings.severity = {str(k): str(v) for k, v in value.items()}
        elif norm == "rules":
            settings.rules = {str(k): _rule_options(str(k), v, where) for k, v in value.items()}
        elif norm == "suffixes":
            settings.suffixes = [s if s.startswith(".") else f".{s}" for s in map(str, value)]
        elif norm == "exclude":
            settings.exclude = [str(p) for p in value]
        elif norm == "extend-exclude":
            settings.exclude.extend(str(p) for p in value)
        elif norm == "fail-on":
            if value not in SEVERITIES:
                raise ConfigError(f"{where}: 'fail-on' must be one of {', '.join(SEVERITIES)}")
            settings.fail_on = value
    return settings


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _selector(selector: Any, where: str, key: str) -> str:
    selector = str(selector)
    if selector == "ALL" or any(matches(r, [selector]) for r in REGISTRY):
        return selector
    raise ConfigError(f"{where}: '{key}' names unknown rule '{selector}'")


def _rule_options(key: str, options: Any, where: str) -> dict[str, Any]:
    rule: type[Rule] | None = by_name_or_code(key)
    if rule is None:
        raise ConfigError(f"{where}: 'rules' names unknown rule '{key}'")
    if not isinstance(options, dict):
        raise ConfigError(f"{where}: options of rule '{key}' must be a mapping")
    for name, value in options.items():
        if name not in rule.options:
            known = ", ".join(rule.options) or "none"
            raise ConfigError(f"{where}: rule '{key}' has no option '{name}' (known: {known})")
        default = rule.options[name]
        if type(value) is not type(default):
            raise ConfigError(f"{where}: option '{key}.{name}' must be a "
                              f"{type(default).__name__}")
    return dict(options)
