"""Find and load the YAML packs under ``rules/``: the knowledge that is data.

The packs ship inside the wheel as ``cablelint/rules_data`` (``rules/`` in a checkout).
Loading uses a safe YAML loader only (never ``yaml.Loader``) and is cached twice: in the
process (each pack is read once), and on disk as JSON keyed by the pack file's size and
modification time and cablelint's version, so that a one-file run (a pre-commit hook) neither
imports PyYAML nor rebuilds tables derived from the packs. The disk cache lives in
``$CABLELINT_CACHE_DIR`` or ``$XDG_CACHE_HOME/cablelint`` (``~/.cache/cablelint``); it is
written atomically, and a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from . import __version__

T = TypeVar("T")


class PackError(Exception):
    """A pack is missing or malformed."""


@cache
def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules_data", here.parent / "rules"):
        if (candidate / "requirements.yaml").is_file():
            return candidate
    raise PackError("cannot find the rule packs (rules/ or cablelint/rules_data/)")


def pack_path(name: str) -> Path:
    return rules_dir() / f"{name}.yaml"


@cache
def load_pack(name: str) -> Any:
    """Load ``rules/<name>.yaml`` (``name`` may contain ``/``). Dates come back as ISO
    strings, the same whether the pack was read from YAML or from the cache."""
    path = pack_path(name)
    return cached_derivation(f"pack:{name}", [path], lambda: _jsonable(load_yaml(path)))


def load_yaml(path: Path) -> Any:
    import yaml  # only when a pack is not in the cache

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where PyYAML has it
    try:
        with path.open("rb") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise PackError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: invalid YAML: {exc}") from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def cache_dir() -> Path | None:
    explicit = os.environ.get("CABLELINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cablelint"


def _cache_entry(key: str, sources: list[Path], suffix: str
                 ) -> tuple[list[tuple[str, int, int]], Path | None] | None:
    """The sources' path, size and modification time, and the cache file of ``key`` over
    them (None without a cache folder); None when a source cannot be looked at. The file is
    named by a short hash of the key and the sources' paths, and holds their sizes and times
    in full: an edited source replaces the file (the cache does not grow with each edit of a
    rule pack), and a file whose identity differs is not used."""
    try:
        stamps = [(str(p), (st := p.stat()).st_size, st.st_mtime_ns) for p in sources]
    except OSError:
        return None
    folder = cache_dir()
    name = json.dumps([__version__, key, [str(p) for p in sources]])
    return stamps, folder / f"{_fnv1a(name):08x}{suffix}" if folder else None


def cached_derivation(key: str, sources: list[Path], build: Callable[[], T]) -> T:
    """Return ``build()``, from the disk cache when ``sources`` are unchanged.

    ``build`` must return JSON-serialisable data (tuples come back as lists)."""
    entry = _cache_entry(key, sources, ".json")
    if entry is None:
        return build()
    stamps, target = entry
    ident = json.dumps([__version__, key, stamps])
    if target is not None:
        try:
            with target.open(encoding="utf-8") as fh:
                cached = json.load(fh)
            if isinstance(cached, dict) and cached.get("ident") == ident:
                return cached["value"]  # type: ignore[no-any-return]
        except (OSError, ValueError):
            pass
    value = build()
    if target is not None:
        _write_atomically(target, {"ident": ident, "value": value})
    return value


def cached_tables(key: str, sources: list[Path], build: Callable[[], T],
                  valid: Callable[[Any], bool]) -> T:
    """Return ``build()``, from the disk cache when ``sources`` are unchanged: for tables of
    built-in types (dicts, lists, tuples, sets, frozensets, strings, bytes, numbers) that a
    one-file run would otherwise derive anew. Kept in ``marshal``'s format: read back as built
    (tuples stay tuples, frozensets frozensets), several times faster than JSON and with no
    conversion after it; the format is this Python's own, so the file is keyed by its version
    too. A file that cannot be read, is damaged, holds other sources' tables or fails
    ``valid`` is rebuilt (and rewritten, atomically); marshal builds data, it runs no code."""
    entry = _cache_entry(key, sources, ".marshal")
    if entry is None:
        return build()
    stamps, target = entry
    ident = (__version__, sys.version, marshal.version, key, tuple(stamps))
    if target is not None:
        try:
            # (one read: marshal.load reads a file object piece by piece, ten times slower)
            cached = marshal.loads(target.read_bytes())
            if (type(cached) is tuple and len(cached) == 2 and cached[0] == ident
                    and valid(cached[1])):
                return cached[1]  # type: ignore[no-any-return]
        except Exception:  # any damage (marshal raises several kinds): build afresh
            pass
    value = build()
    if target is not None:
        try:
            data = marshal.dumps((ident, value))
        except ValueError:  # not marshal's types: used, not kept
            return value
        _write_bytes_atomically(target, data)
    return value


def _write_bytes_atomically(target: Path, data: bytes) -> None:
    from .atomic import atomic_target  # only when a cache is written

    try:
        with atomic_target(target) as tmp:
            tmp.write_bytes(data)
    except OSError:  # a cache that cannot be written is no error
        pass


def _fnv1a(text: str) -> int:
    """32-bit FNV-1a of ``text`` (a file name, not a secret: no hashlib to import)."""
    h = 0x811C9DC5
    for byte in text.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _write_atomically(target: Path, value: Any) -> None:
    from .atomic import write_cache_file  # only when a cache is written

    write_cache_file(target, value)
