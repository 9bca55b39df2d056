"""Configuration: ``[tool.cablelint]`` in ``pyproject.toml`` or ``.cablelint.yaml``.

The nearest file upward from the linted paths wins (``--config`` names one explicitly).
Every key is checked: an unknown key, rule or option is an error that names it and the file.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from pathlib import Path, PurePath
from typing import Any

from . import regex
from .checks import REGISTRY
from .engine import SEVERITIES, Rule, RuleSelection, matches

CONFIG_NAMES = (".cablelint.yaml", ".cablelint.yml", "pyproject.toml")
DEFAULT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".csv", ".jsonl")
#: Files larger than this (megabytes) are not linted: an input error, not a cable. A cable is
#: kilobytes; a file of tens of megabytes is a dump (a container's suffix streams it by cable),
#: and parsing it as one cable takes about 15 times its size in memory.
DEFAULT_MAX_FILE_SIZE = 32
DEFAULT_EXCLUDE = (
    "README*", "LICENSE*", "CHANGELOG*", "CONTRIBUTING*", "SOURCES*", "PROVENANCE*", "*.expected"
)


class ConfigError(Exception):
    """A configuration file or option is invalid; the message names the file and the key."""


class Settings:
    """A run's configuration. Every argument has a default: ``Settings(select=["S"])``.
    (A plain class, not a dataclass: importing ``dataclasses`` costs a one-file run more than
    linting the file.)"""

    def __init__(
        self,
        select: list[str] | None = None,  # default: ["ALL"]
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
        per_file_ignores: dict[str, list[str]] | None = None,
        severity: dict[str, str] | None = None,
        rules: dict[str, dict[str, Any]] | None = None,
        suffixes: list[str] | None = None,  # default: DEFAULT_SUFFIXES
        exclude: list[str] | None = None,  # default: DEFAULT_EXCLUDE
        fail_on: str = "info",
        jsonl_text_field: str = "text",
        jsonl_id_field: str = "id",
        max_file_size: float = DEFAULT_MAX_FILE_SIZE,  # megabytes
        path: Path | None = None,
        packs: list[Path] | None = None,
        plugins: list[tuple[str, Path]] | None = None,
        allow_plugins: bool = False,
        extra_rules: tuple[type[Rule], ...] = (),
    ) -> None:
        # Each list and dict is the instance's own: the setters below extend them in place.
        self.select: list[str] = ["ALL"] if select is None else select
        self.extend_select: list[str] = [] if extend_select is None else extend_select
        self.ignore: list[str] = [] if ignore is None else ignore
        self.per_file_ignores: dict[str, list[str]] = (
            {} if per_file_ignores is None else per_file_ignores)
        self.severity: dict[str, str] = {} if severity is None else severity
        self.rules: dict[str, dict[str, Any]] = {} if rules is None else rules
        self.suffixes: list[str] = list(DEFAULT_SUFFIXES) if suffixes is None else suffixes
        self.exclude: list[str] = list(DEFAULT_EXCLUDE) if exclude is None else exclude
        self.fail_on = fail_on
        #: JSONL containers: the key holding a cable's text, and the key naming it.
        self.jsonl_text_field = jsonl_text_field
        self.jsonl_id_field = jsonl_id_field
        #: Files (and container records) larger than this many megabytes get E001 unread.
        self.max_file_size = max_file_size
        self.path = path  # the file these settings came from
        #: Rule packs (absolute paths) and Python plugins (as written, with the folder their
        #: paths are relative to); plugins are loaded only when ``allow_plugins``.
        self.packs: list[Path] = [] if packs is None else packs
        self.plugins: list[tuple[str, Path]] = [] if plugins is None else plugins
        self.allow_plugins = allow_plugins
        #: The rules of those packs and plugins.
        self.extra_rules = extra_rules
        self._selection: RuleSelection | None = None
        self._exclude_re: tuple[tuple[str, ...], re.Pattern[str]] | None = None

    def _public(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Settings):
            return NotImplemented
        return self._public() == other._public()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in self._public().items()) + ")"

    @property
    def registry(self) -> tuple[type[Rule], ...]:
        """The built-in rules and the rules of the configured packs and plugins."""
        return REGISTRY + self.extra_rules

    def rule_for(self, key: str) -> type[Rule] | None:
        """The rule with this code or name."""
        return next((r for r in self.registry if key in (r.code, r.name)), None)

    @property
    def skipped_plugins(self) -> list[str]:
        """Plugins the configuration names that were not loaded (no opt-in)."""
        return [] if self.allow_plugins else [spec for spec, _root in self.plugins]

    def add_extensions(self, packs: list[Path], plugins: list[tuple[str, Path]],
                       where: str) -> None:
        """Load more packs and plugins (plugins only when allowed) and check their rules."""
        from .packrules import check_extension_rules, load_user_pack

        self.packs.extend(p for p in packs if p not in self.packs)
        self.plugins.extend(p for p in plugins if p not in self.plugins)
        found: list[tuple[type[Rule], str]] = []
        for pack in self.packs:
            found.extend((rule, str(pack)) for rule in load_user_pack(pack))
        if self.allow_plugins and self.plugins:
            from .plugins import load_plugin

            for spec, root in self.plugins:
                found.append((load_plugin(spec, root, where), f"plugin '{spec}'"))
        check_extension_rules(found, REGISTRY)
        self.extra_rules = tuple(rule for rule, _where in found)
        self._selection = None

    def __getstate__(self) -> dict[str, Any]:
        # Rules of packs and plugins are classes made or imported at run time: a worker
        # process loads them again from their files rather than unpickling them.
        state = dict(self.__dict__)
        state["extra_rules"] = ()
        state["_selection"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.packs or (self.plugins and self.allow_plugins):
            self.add_extensions([], [], str(self.path or "configuration"))

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
            r for r in self.registry
            if matches(r, [*self.select, *self.extend_select]) and not matches(r, ignore)
        ]
        severities = {}
        for selector, level in self.severity.items():
            for r in self.registry:
                if matches(r, [selector]):
                    severities[r.code] = level
        options = {}
        for key, opts in self.rules.items():
            rule = self.rule_for(key)
            assert rule is not None  # validated on load
            options[rule.code] = opts
        return RuleSelection(chosen, severities, options)

    def excluded(self, path: Path) -> bool:
        return self.excluded_name(path.name)

    def excluded_name(self, name: str) -> bool:
        """Does a file name match an ``exclude`` pattern? (One compiled regex for all.)"""
        key = tuple(self.exclude)
        if self._exclude_re is None or self._exclude_re[0] != key:
            pattern = "|".join(f"(?:{fnmatch.translate(p)})" for p in key) or "(?!)"
            self._exclude_re = (key, re.compile(pattern))
        return self._exclude_re[1].match(os.path.normcase(name)) is not None


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
_MAY_HAVE_TABLE = regex.compile(
    r"""tool["']?\s*\.\s*["']?cablelint|^\s*(?:\[\s*["']?tool["']?\s*\]|["']?tool["']?\s*=)""",
    re.MULTILINE)


_NAMES_TABLE = regex.compile(r"""tool["']?\s*\.\s*["']?cablelint""")


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
        # a broken file that names the table is ours: load() reports it (exit 2), where
        # skipping it would lint silently with other settings; anyone else's is passed over
        return _NAMES_TABLE.search(text) is not None
    return isinstance(data.get("tool"), dict) and "cablelint" in data["tool"]


def load(path: Path, allow_plugins: bool = False) -> Settings:
    """Read and validate one configuration file. Its Python plugins are loaded only with
    ``allow_plugins`` (the user's own opt-in, never the file's)."""
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if path.suffix == ".toml":
        # (pyproject.toml, or any TOML file --config names: its [tool.cablelint] table, else,
        # outside a pyproject.toml, its top level, as in a .cablelint.yaml)
        tomllib = _toml()
        try:
            parsed = tomllib.loads(raw_text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
        if path.name == "pyproject.toml" or "tool" in parsed:
            data = parsed.get("tool", {}).get("cablelint", {})
        else:
            data = parsed
    else:
        import yaml

        try:
            data = yaml.safe_load(raw_text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return from_mapping(data, path, allow_plugins=allow_plugins)


#: How an error names the type a key or option wants.
_A_TYPE: dict[type, str] = {list: "a list", dict: "a mapping", str: "a string",
                            int: "an integer", float: "a number", bool: "true or false"}

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
    "packs": list,
    "plugins": list,
    "jsonl-text-field": str,
    "jsonl-id-field": str,
    "max-file-size": float,
}


def from_mapping(data: dict[str, Any], path: Path | None, *, allow_plugins: bool = False,
                 base: Settings | None = None) -> Settings:
    """Validate a configuration mapping. Selectors may name the rules of ``base``'s packs
    and plugins (for options given on the command line)."""
    where = str(path) if path else "configuration"
    settings = Settings(path=path, allow_plugins=allow_plugins)
    if base is not None:
        settings.extra_rules = base.extra_rules
    for key, value in data.items():
        norm = str(key).replace("_", "-")
        if norm == "allow-python-plugins":
            raise ConfigError(
                f"{where}: 'allow-python-plugins' cannot be set in a configuration file: a "
                "corpus's configuration must not run code by itself; pass "
                "--allow-python-plugins or set CABLELINT_ALLOW_PYTHON_PLUGINS=1 to run the "
                "plugins it names")
        if norm not in _KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(_KEYS)})")
        if not isinstance(value, _KEYS[norm]) and not (
                _KEYS[norm] is float and type(value) is int):  # (a bool is no number)
            raise ConfigError(f"{where}: '{key}' must be {_A_TYPE[_KEYS[norm]]}")
    _extensions(settings, data, where)
    for key, value in data.items():
        norm = str(key).replace("_", "-")
        if norm in ("packs", "plugins"):
            continue
        if norm in ("select", "extend-select", "ignore"):
            setattr(settings, norm.replace("-", "_"),
                    [_selector(s, where, key, settings) for s in value])
        elif norm == "per-file-ignores":
            settings.per_file_ignores = {
                str(pattern): [_selector(s, where, f"{key}.{pattern}", settings)
                               for s in _as_list(sels)]
                for pattern, sels in value.items()
            }
        elif norm == "severity":
            for sel, level in value.items():
                _selector(sel, where, key, settings)
                if level not in SEVERITIES:
                    raise ConfigError(f"{where}: severity of '{sel}' must be one of "
                                      f"{', '.join(SEVERITIES)}, not '{level}'")
            settings.severity = {str(k): str(v) for k, v in value.items()}
        elif norm == "rules":
            settings.rules = {str(k): _rule_options(str(k), v, where, settings)
                              for k, v in value.items()}
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
        elif norm in ("jsonl-text-field", "jsonl-id-field"):
            setattr(settings, norm.replace("-", "_"), value)
        elif norm == "max-file-size":
            if not value > 0:
                raise ConfigError(f"{where}: 'max-file-size' must be a number of megabytes "
                                  "above 0")
            settings.max_file_size = value
    return settings


def _extensions(settings: Settings, data: dict[str, Any], where: str) -> None:
    """Load the packs and plugins a configuration names; paths are relative to its folder."""
    root = settings.root
    packs, plugins = [], []
    for key, value in data.items():
        norm = str(key).replace("_", "-")
        if norm not in ("packs", "plugins"):
            continue
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings")
            if norm == "packs":
                packs.append((root / item).resolve())
            else:
                plugins.append((item, root))
    if packs or plugins:
        settings.add_extensions(packs, plugins, where)


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _selector(selector: Any, where: str, key: str, settings: Settings) -> str:
    selector = str(selector)
    if selector == "ALL" or any(matches(r, [selector]) for r in settings.registry):
        return selector
    hint = ""
    if settings.skipped_plugins:
        hint = (" (the configuration's Python plugins were not loaded: pass "
                "--allow-python-plugins to load them)")
    raise ConfigError(f"{where}: '{key}' names unknown rule '{selector}'{hint}")


def _rule_options(key: str, options: Any, where: str, settings: Settings) -> dict[str, Any]:
    rule: type[Rule] | None = settings.rule_for(key)
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
            raise ConfigError(f"{where}: option '{key}.{name}' must be "
                              f"{_A_TYPE.get(type(default), type(default).__name__)}")
    return dict(options)
