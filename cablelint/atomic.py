"""Writing files so that nothing is lost: a temporary file in the target's folder, then a rename.

A reader never sees a half-written file; a failed write leaves the old file as it was; an
existing file keeps its permission bits.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_cache_file(target: Path, value: Any) -> None:
    """Write a cache file atomically: ``value`` as is (a string) or as compact JSON. A cache
    that cannot be written is no error: the failure is swallowed and nothing is left behind."""
    import json

    try:
        with atomic_target(target) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            if isinstance(value, str):
                fh.write(value)
            else:
                json.dump(value, fh, separators=(",", ":"))
    except (OSError, TypeError, ValueError):
        pass
