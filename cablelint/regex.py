"""Regular expressions compiled once per installation, not once per run.

``re.compile`` parses a pattern and builds its program in Python code (``re._parser``,
``re._compiler``), which for the large line-classifying patterns costs more than linting a
small file; a one-file run (a pre-commit hook) would pay it every time. :func:`compile` keeps
each pattern's program (the opcodes ``re`` hands to ``_sre.compile``) in cablelint's disk
cache (see :mod:`cablelint.packs`), in one file per Python build, and rebuilds the pattern
from it. The cache is written at exit when a run compiled a pattern it did not hold, or
when it holds far more patterns than the run asked for (it then keeps only those). Anything
unexpected (another Python, a damaged cache, other ``re`` internals) falls back to
``re.compile``: the cache can make a run faster, never different.
"""

from __future__ import annotations

import json
import re
import sys
from array import array
from typing import Any

try:  # the internals of re.compile (Python 3.11+; sre_* before)
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import _sre
    import sre_compile as _compiler
    import sre_parse as _parser

from .packs import _fnv1a, _write_atomically, cache_dir

#: What a cached program is valid for: this Python build, its regex engine, this layout.
_IDENT = json.dumps([sys.version, sys.implementation.cache_tag, sys.byteorder, _sre.MAGIC,
                     _sre.CODESIZE, 2])
#: A program is kept as the hex of its code words (JSON reads one string much faster than
#: thousands of numbers); as a list of numbers where no array type has the word's size.
_WORD = next((t for t in "IL" if array(t).itemsize == _sre.CODESIZE), None)

_entries: dict[str, list[Any]] | None = None  # "flags:pattern" -> arguments of _sre.compile
_file: Any = None  # the cache file they were read from (a Path), and are saved to
_added = False  # is the exit hook registered?
_changed = False  # did this run add a pattern?
_used: set[str] = set()  # the keys this run asked for


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the disk cache when it holds the pattern."""
    flags = int(flags)
    entries = _load()
    key = f"{flags}:{pattern}"
    entry = entries.get(key)
    _used.add(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, entry[0], _unpack(entry[1]), entry[2],  # type: ignore[no-any-return]
                                entry[3], tuple(entry[4]))
        except Exception:  # a damaged entry: compile afresh
            pass
    try:
        compiled, entry = _compile(pattern, flags)
    except Exception:  # other internals: the public way
        return re.compile(pattern, flags)
    entries[key] = entry
    global _changed
    _changed = True
    _remember()
    return compiled


def _compile(pattern: str, flags: int) -> tuple[re.Pattern[str], list[Any]]:
    """Compile as ``re._compiler.compile`` does, keeping the arguments of ``_sre.compile``."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    entry = [flags | parsed.state.flags, _pack(code), parsed.state.groups - 1, groupindex,
             indexgroup]
    compiled = _sre.compile(pattern, entry[0], list(code), entry[2], groupindex,
                            tuple(indexgroup))
    # Patterns compare equal when their flags, text and program are the same: the program
    # must be the one re.compile would run (checked once, when the entry is made).
    if compiled != re.compile(pattern, flags) or compiled.groupindex != re.compile(
            pattern, flags).groupindex:
        raise ValueError("re internals differ")
    return compiled, entry


def _pack(code: list[int]) -> str | list[int]:
    return array(_WORD, code).tobytes().hex() if _WORD else list(code)


def _unpack(code: str | list[int]) -> list[int]:
    if isinstance(code, str):
        return array(_WORD or "I", bytes.fromhex(code)).tolist()
    return code


def _path() -> Any:
    folder = cache_dir()
    return folder / f"regex-{_fnv1a(_IDENT):08x}.json" if folder else None


def _load() -> dict[str, list[Any]]:
    global _entries, _file
    if _entries is None:
        _entries = {}
        path = _file = _path()
        if path is not None:
            try:
                with path.open(encoding="utf-8") as fh:
                    cached = json.load(fh)
                if isinstance(cached, dict) and cached.get("ident") == _IDENT:
                    _entries = dict(cached["patterns"])
            except (OSError, ValueError, KeyError, TypeError):
                pass
            if len(_entries) > SLACK:  # perhaps far more than this run needs: check at exit
                _remember()
    return _entries


def _remember() -> None:
    global _added
    if not _added:
        _added = True
        import atexit

        atexit.register(_save)


#: A cache holding more than this many patterns (rule packs edited many times) beyond twice
#: what a run asked for keeps only that run's patterns: every run reads the whole file.
SLACK = 64


def _oversized() -> bool:
    return _entries is not None and len(_entries) > 2 * len(_used) + SLACK


def _save() -> None:
    """Write the cache if this run added a pattern or it holds far more than the run used
    (at exit; then it keeps only this run's patterns)."""
    global _entries, _changed
    oversized = _oversized()
    if _file is None or not _entries or not (_changed or oversized):
        return
    if oversized:
        # only this run's patterns; one that fell back to re.compile has no entry
        _entries = {key: _entries[key] for key in _used if key in _entries}
    _write_atomically(_file, {"ident": _IDENT, "patterns": _entries})
    _changed = False
