"""A progress bar on standard error, for long runs in a terminal only.

It is shown when standard error is a terminal (never in a pipe, a file or a CI log: not when
``CI``, ``GITHUB_ACTIONS``, ``BUILDKITE``, ``GITLAB_CI``, ``TF_BUILD`` or ``JENKINS_URL`` is
set, nor with ``TERM=dumb``), only once a run has lasted half a second, and it is erased when
the run ends. Progress is counted in bytes (a container file advances as its rows are read),
the bar is redrawn at most ten times a second.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "BUILDKITE", "GITLAB_CI", "TF_BUILD", "JENKINS_URL",
                "TEAMCITY_VERSION", "CIRCLECI", "TRAVIS")
DELAY = 0.5
INTERVAL = 0.1
WIDTH = 30


def wanted(stream: TextIO | None = None) -> bool:
    """Should a progress bar be drawn on ``stream`` (standard error by default)?"""
    stream = stream if stream is not None else sys.stderr
    if any(os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")
           for name in CI_VARIABLES):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """Counts bytes and cables done out of a total; draws itself when it is worth it."""

    def __init__(self, total_bytes: int, stream: TextIO | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.total = max(total_bytes, 1)
        self.done = 0
        self.cables = 0
        self.stream = stream if stream is not None else sys.stderr
        self._clock = clock or time.perf_counter
        self._start = self._clock()
        self._last = 0.0
        self._drawn = False

    def advance(self, nbytes: int, cables: int = 0) -> None:
        self.done = min(self.total, self.done + nbytes)
        self.cables += cables
        now = self._clock()
        if now - self._start >= DELAY and now - self._last >= INTERVAL:
            self._last = now
            self._draw(now)

    def line(self, now: float) -> str:
        share = self.done / self.total
        filled = int(share * WIDTH)
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        return (f"[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%}  "
                f"{self.cables:,} cables  {rate / 1e6:.1f} MB/s  "
                f"{int(eta) // 60}:{int(eta) % 60:02d} left")

    def _draw(self, now: float) -> None:
        try:
            self.stream.write("\r\x1b[K" + self.line(now))
            self.stream.flush()
            self._drawn = True
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        if self._drawn:
            try:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self._drawn = False
