"""The result cache: a file whose content, configuration and cablelint are unchanged is not
linted again; its findings are read back.

The cache lives in ``.cablelint_cache/`` next to the configuration file (else in the working
folder), which holds a ``.gitignore`` of ``*`` so that it never shows in git. Under it, one
folder per *configuration key*: a hash of cablelint's version and source files, the contents
of the rule packs (``rules/``), and the effective configuration (selection, severities, rule
options, per-file ignores, container options). A folder holds 256 JSON shards; a shard maps
a path, as linted, to the SHA-256 of the file's bytes, how many cables it held, and its
findings. A file is linted again when its bytes hash differently. With the hash, the entry
records the file's stamp (size, modification and inode-change times, inode): while the stamp
is unchanged the file is not even read, which makes a warm run over a large corpus cost about
one ``stat`` a file. A stamp is recorded only for a file unchanged for two seconds, so that
a change within one tick of the file system's clock cannot go unseen.

Shards are written atomically (a temporary file renamed over the old one). A shard that
cannot be read or is not what it should be is ignored, as is an entry that cannot be turned
back into findings: the file is linted again. A cache that cannot be written is no error.
Only the 8 most recently written configuration folders are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .config import Settings
from .corpus import CableFacts
from .engine import Finding
from .hashing import sha1, sha256

CACHE_DIRNAME = ".cablelint_cache"
FORMAT = 1
KEEP_CONFIGS = 8
_SHARD_CHARS = 2  # 256 shards
RACY_NS = 2_000_000_000


def content_digest(data: bytes) -> str:
    return sha256(data).hexdigest()


def stamp(st: os.stat_result) -> list[int] | None:
    """A file's size, times and inode, which stand for its hash on the next run while they
    are unchanged; None for a file changed in the last two seconds, whose next change could
    leave its times as they are (the "racy" case git knows). Copies that keep the
    modification time still change the inode change time (ctime)."""
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def read_file(path: str) -> tuple[bytes, list[int] | None]:
    """A file's bytes and its stamp, taken before reading (a later change shows in it)."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        return fh.read(), stamp(st)


def file_digest(path: str, chunk: int = 1 << 20) -> tuple[str, list[int] | None]:
    """The SHA-256 of a file read in chunks (bounded memory for a large container)."""
    h = sha256()
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest(), stamp(st)


@cache
def code_digest() -> str:
    """cablelint's version, and the files of its Python sources and rule packs."""
    from .packs import PackError, rules_dir

    h = sha256(f"{__version__}\0{FORMAT}\0".encode())
    package = Path(__file__).resolve().parent
    sources = sorted(package.rglob("*.py"))
    with contextlib.suppress(PackError):  # no packs: the rules will say so themselves
        sources += sorted(p for p in rules_dir().rglob("*") if p.is_file() and "__pycache__"
                          not in p.parts and not p.name.startswith("."))
    # Each file's size and modification time stand for its content (reading every source
    # would cost a one-file run more than linting it): an edit or a checkout changes them.
    for path in sources:
        try:
            st = path.stat()
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        except OSError:
            h.update(f"{path}\0?".encode())
    return h.hexdigest()


def config_key(settings: Settings) -> str:
    """What, besides a file's bytes and path, decides its findings."""
    effective = {
        "select": settings.select,
        "extend_select": settings.extend_select,
        "ignore": settings.ignore,
        "per_file_ignores": settings.per_file_ignores,
        # per-file ignores match paths relative to the configuration's folder
        "root": [str(settings.root.resolve()), os.getcwd()] if settings.per_file_ignores else "",
        "severity": settings.severity,
        "rules": settings.rules,
        "containers": [settings.jsonl_text_field, settings.jsonl_id_field],
        "max_file_size": settings.max_file_size,
    }
    blob = json.dumps(effective, sort_keys=True, default=str).encode()
    return sha256(code_digest().encode() + blob).hexdigest()[:20]


def default_folder(settings: Settings) -> Path:
    return settings.root / CACHE_DIRNAME


class ResultCache:
    """Cached findings of one configuration. Not thread-safe; used by the main process."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.top = folder
        self.folder = folder / f"v{FORMAT}-{config_key(settings)}"
        self._shards: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._names: dict[str, str] = {}
        self.hits = 0
        self.misses = 0

    # -- reading -----------------------------------------------------------------------
    def _shard_name(self, path: str) -> str:
        name = self._names.get(path)
        if name is None:
            digest = sha1(path.encode("utf-8", "surrogateescape")).hexdigest()
            name = self._names[path] = digest[:_SHARD_CHARS]
        return name

    def _shard(self, name: str) -> dict[str, Any]:
        shard = self._shards.get(name)
        if shard is None:
            shard = {}
            try:
                with open(self.folder / f"{name}.json", encoding="utf-8") as fh:
                    loaded = json.load(fh)
                if isinstance(loaded, dict):
                    shard = loaded
            except (OSError, ValueError):
                pass  # missing or corrupt: empty
            self._shards[name] = shard
        return shard

    def knows(self, path: str) -> bool:
        """Is there an entry for this path (whatever its content was)?"""
        return path in self._shard(self._shard_name(path))

    def unchanged(self, path: str) -> tuple[int, list[Finding], list[CableFacts]] | None:
        """``(cables, findings, facts)`` when the file's stamp is the one recorded with its hash:
        the file is not even read."""
        entry = self._shard(self._shard_name(path)).get(path)
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not isinstance(entry, list) or len(entry) < 4 or entry[3] is None:
            return None
        if entry[3] != [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]:
            return None
        return self._load(path, entry)

    def get(self, path: str, digest: str, stamp: list[int] | None = None
            ) -> tuple[int, list[Finding], list[CableFacts]] | None:
        """``(cables, findings, facts)`` cached for this path with these bytes, else None. A hit
        records ``stamp`` for the next run."""
        shard = self._shard(self._shard_name(path))
        entry = shard.get(path)
        if not isinstance(entry, list) or not entry or entry[0] != digest:
            self.misses += 1
            return None
        hit = self._load(path, entry)
        if hit is not None and stamp is not None and entry[3:4] != [stamp]:
            shard[path] = [*entry[:3], stamp, *entry[4:5]]
            self._dirty.add(self._shard_name(path))
        return hit

    def _load(self, path: str, entry: list[Any]
              ) -> tuple[int, list[Finding], list[CableFacts]] | None:
        try:
            cables = int(entry[1])
            findings = [_finding(path, row) for row in entry[2]]
            facts = [CableFacts.from_row(row) for row in entry[4]] if len(entry) > 4 else []
        except (ValueError, TypeError, IndexError, KeyError):
            self.misses += 1
            return None
        self.hits += 1
        return cables, findings, facts

    # -- writing -----------------------------------------------------------------------
    def put(self, path: str, digest: str, cables: int, findings: list[Finding],
            stamp: list[int] | None = None, facts: list[CableFacts] | None = None) -> None:
        name = self._shard_name(path)
        self._shard(name)[path] = [digest, cables, [_row(f) for f in findings], stamp,
                                   [f.to_row() for f in facts or ()]]
        self._dirty.add(name)

    def save(self) -> None:
        """Write the changed shards atomically; any failure leaves the cache as it was."""
        if not self._dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _mark(self.top)
        except OSError:
            return
        for name in sorted(self._dirty):
            _write_atomically(self.folder / f"{name}.json", self._shards[name])
        self._dirty.clear()
        _prune(self.top, self.folder)


def _row(f: Finding) -> list[Any]:
    return [f.line, f.column, f.end_line, f.end_column, f.code, f.rule, f.severity, f.message,
            f.fix, f.fingerprint, f.cable]


def _finding(path: str, row: list[Any]) -> Finding:
    line, column, end_line, end_column, code, rule, severity, message, fix, fp, cable = row
    if not all(isinstance(v, int) for v in (line, column, end_line, end_column)) or not all(
            isinstance(v, str) for v in (code, rule, severity, message, fp)):
        raise ValueError("malformed cache entry")
    return Finding(path, line, column, end_line, end_column, code, rule, severity, message,
                   fix, fp, cable)


def _mark(top: Path) -> None:
    """The cache ignores itself in git, and tells backup tools it is a cache."""
    for name, text in ((".gitignore", "# Created by cablelint\n*\n"),
                       ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                        "# This is a cablelint result cache.\n")):
        target = top / name
        if not target.exists():
            _write_atomically(target, text)


def _write_atomically(target: Path, value: Any) -> None:
    from .atomic import write_cache_file  # only when a cache is written

    write_cache_file(target, value)


def _prune(top: Path, keep: Path) -> None:
    """Keep the most recently written configuration folders only."""
    try:
        folders = [p for p in top.iterdir() if p.is_dir() and p.name.startswith("v")]
        folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in folders[KEEP_CONFIGS:]:
        if old != keep:
            import shutil

            shutil.rmtree(old, ignore_errors=True)
