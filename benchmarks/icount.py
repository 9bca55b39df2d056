"""Instructions a cable, counted by valgrind: what to compare when seconds are noisy.

    python benchmarks/icount.py [--src DIR] [--cables 300] [--select P001,M001,...]

lints the first N files of ``benchmarks/out/corpus-2000`` (``bench.py --cables 2000`` builds
it) in one process, after a warm-up of 200 other files, under ``valgrind --tool=callgrind``,
and again with no file; the difference over N is the count a cable. Each count is taken
twice and the second kept (the first fills cablelint's caches). ``--src`` is a folder with
``cablelint/`` and ``rules/`` (``git archive REV cablelint rules | tar -x -C DIR`` measures a
commit); it is compiled first and run with ``PYTHONHASHSEED=0`` and its own cache folder, so
that two runs of the same tree give the same count whatever else the machine is doing.
Needs valgrind (Debian's package).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _files(corpus: Path) -> list[str]:
    found = [os.path.join(root, name) for root, _dirs, names in os.walk(corpus)
             for name in names if name.endswith((".txt", ".md", ".html"))]
    return sorted(found)


def _child(src: str, corpus: str, n: int, select: str) -> None:
    """The measured process: warm up on the last 200 files, then lint the first ``n``."""
    sys.path.insert(0, src)
    from cablelint.config import Settings
    from cablelint.runner import lint

    files = _files(Path(corpus))
    settings = Settings(select=select.split(",")) if select else Settings()
    lint(files[-200:], settings, jobs=1)
    gc.collect()
    gc.freeze()  # the warm-up's objects: the collector's passes over them are not the cables'
    if n:
        lint(files[:n], settings, jobs=1)


def _count(args: argparse.Namespace, n: int, cache: str) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "CABLELINT_CACHE_DIR": cache}
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
           __file__, "--child", args.src, str(args.corpus), str(n), args.select or ""]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stderr
    m = re.search(r"Collected : (\d+)", out)
    if m is None:
        raise SystemExit(f"no count in valgrind's output:\n{out[-2000:]}")
    return int(m.group(1))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:4], int(sys.argv[4]), sys.argv[5])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default=str(HERE.parent), help="folder with cablelint/ and rules/")
    ap.add_argument("--cables", type=int, default=300)
    ap.add_argument("--select", default="", help="rule codes (default: every rule)")
    ap.add_argument("--corpus", type=Path, default=HERE / "out" / "corpus-2000")
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", f"{args.src}/cablelint"],
                   check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as cache:
        _count(args, 0, cache), _count(args, args.cables, cache)  # fill the caches
        empty, full = _count(args, 0, cache), _count(args, args.cables, cache)
    print(f"start-up {empty / 1e6:,.0f} M instructions; "
          f"{(full - empty) / args.cables / 1e3:,.0f} K instructions a cable")
    return 0


if __name__ == "__main__":
    sys.exit(main())
