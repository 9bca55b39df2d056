"""Python rules from outside cablelint, loaded only when the user opts in.

A configuration may name plugins (``plugins: ["mymodule:MyRule", "rules/extra.py:Other"]``),
but a configuration is part of the corpus a user lints, and a corpus must not run code by
itself. So plugins are imported only when the person running cablelint says so on the
command line (``--allow-python-plugins``) or in the environment
(``CABLELINT_ALLOW_PYTHON_PLUGINS=1``); a configuration file cannot opt in for them.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from .engine import SEVERITIES, Rule
from .hashing import sha1
from .packrules import NAME_RE, USER_CODE_RE
from .packs import PackError

ENV_VAR = "CABLELINT_ALLOW_PYTHON_PLUGINS"


def allowed_by_environment() -> bool:
    return os.environ.get(ENV_VAR, "").strip().lower() in ("1", "true", "yes")


def load_plugin(spec: str, root: Path, where: str) -> type[Rule]:
    """Import ``module:Class`` or ``path/to/file.py:Class`` (relative to ``root``, the
    configuration's folder) and check that it is a well-formed rule."""
    target, sep, attr = spec.rpartition(":")
    if not sep or not target or not attr:
        raise PackError(f"{where}: plugin '{spec}' must be written 'module:Class' or "
                        "'path/to/file.py:Class'")
    try:
        module = (_import_path(root / target) if target.endswith(".py")
                  else importlib.import_module(target))
    except PackError:
        raise
    except Exception as exc:  # a plugin's import may fail in any way: report it, do not crash
        raise PackError(f"{where}: plugin '{spec}' cannot be imported: "
                        f"{type(exc).__name__}: {exc}") from exc
    rule = getattr(module, attr, None)
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise PackError(f"{where}: plugin '{spec}' is not a subclass of cablelint.engine.Rule")
    _check_rule(rule, spec, where)
    return rule


def _import_path(path: Path) -> object:
    resolved = path.resolve()
    if not resolved.is_file():
        raise PackError(f"{path}: the plugin file does not exist")
    import importlib.util  # only for a plugin given as a file

    digest = sha1(str(resolved).encode()).hexdigest()[:12]
    name = f"cablelint_plugin_{resolved.stem}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:
        raise PackError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before running it, so that its classes pickle by name
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _check_rule(rule: type[Rule], spec: str, where: str) -> None:
    for attr in ("code", "name", "severity", "summary"):
        if not isinstance(getattr(rule, attr, None), str):
            raise PackError(f"{where}: plugin '{spec}' lacks the string attribute '{attr}'")
    if not USER_CODE_RE.fullmatch(rule.code):
        raise PackError(f"{where}: plugin '{spec}': code '{rule.code}' must be two to five "
                        "capital letters and one to four digits, e.g. 'XC001'")
    if not NAME_RE.fullmatch(rule.name):
        raise PackError(f"{where}: plugin '{spec}': name '{rule.name}' must be kebab-case")
    if rule.severity not in SEVERITIES:
        raise PackError(f"{where}: plugin '{spec}': severity must be one of "
                        f"{', '.join(SEVERITIES)}")
    if rule.check is Rule.check:
        raise PackError(f"{where}: plugin '{spec}' does not define check()")
