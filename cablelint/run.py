"""One linting run: the result cache, container files streamed cable by cable, and a
process pool fed a bounded number of tasks at a time.

The main process walks the files in order. A file whose path the cache knows is read and
hashed; when its bytes are unchanged its findings come from the cache. Every other file goes
to a task of ``CHUNK`` files; a container (``.csv``, ``.jsonl``) is read record by record
into tasks of ``CHUNK`` cables. Tasks run in this process, or, when there are at least
``PARALLEL_THRESHOLD`` cables to lint and more than one job, in a pool with at most four
tasks a process in flight, so that memory does not grow with the size of a container.
Results are taken in the order the tasks were made and sorted at the end: the output is the
same whatever the number of processes.
"""

from __future__ import annotations

import gc
import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Any

from . import runner
from .cache import ResultCache, content_digest, file_digest, read_file
from .checks import UnreadableInput
from .config import Settings
from .containers import ContainerError, Record, is_container, records
from .corpus import CableFacts
from .engine import Finding
from .progress import Progress

IN_FLIGHT_PER_JOB = 4

#: ("files", [(path, bytes or None, stamp)], want_digest) or ("rows", box, container, [Record])
Task = tuple[Any, ...]


class _Container:
    """A container whose cables are being linted."""

    __slots__ = ("path", "digest", "stamp", "size", "findings", "facts", "cables", "pending",
                 "advanced", "read", "number")

    def __init__(self, path: str, digest: str | None, stamp: list[int] | None,
                 size: int) -> None:
        self.path = path
        self.digest = digest
        self.stamp = stamp
        self.size = size
        self.findings: list[Finding] = []
        self.facts: list[CableFacts] = []
        self.cables = 0
        self.pending = 0
        self.advanced = 0
        self.read = False
        self.number = 0


class Run:
    def __init__(self, settings: Settings, cache: ResultCache | None, progress: bool) -> None:
        self.settings = settings
        self.cache = cache
        self.show_progress = progress
        self.progress: Progress | None = None
        self.result = runner.Result()
        self.corpus_rules = runner.corpus_rules(settings)
        self._containers: dict[int, _Container] = {}  # by a number: a path may come twice
        self._numbers = itertools.count(1)

    def lint(self, files: list[str], jobs: int) -> runner.Result:
        if self.show_progress:
            self.progress = Progress(sum(_size(p) for p in files))
        gc_before = gc.get_threshold()
        gc.set_threshold(max(gc_before[0], BULK_GC_THRESHOLD), *gc_before[1:])
        try:
            try:
                self._execute(self._tasks(files), jobs)
            finally:
                if self.progress is not None:
                    self.progress.close()
            if self.cache is not None:
                self.cache.save()
            # Still under the bulk threshold: the corpus rules and the sort make many tuples
            # while every finding and fact of the run is alive.
            return self._result(files)
        finally:
            gc.set_threshold(*gc_before)

    def _result(self, files: list[str]) -> runner.Result:
        result = self.result
        result.paths = files
        if self.corpus_rules and result.files > 1:
            result.findings.extend(runner.corpus_findings(result.facts, self.corpus_rules,
                                                          self.settings))
        result.findings.sort(key=attrgetter("sort_key"))  # the property, without a lambda
        result.input_errors = sum(f.code == UnreadableInput.code for f in result.findings)
        return result

    # -- making tasks (main process) -----------------------------------------------------
    def _tasks(self, files: list[str]) -> Iterator[Task]:
        want_digest = self.cache is not None
        batch: list[tuple[str, bytes | None, list[int] | None]] = []
        for path in files:
            if path == "-":  # standard input is read here, never in a worker
                self._handle(_work(("files", [(path, None, None)], False), self.settings))
            elif is_container(path):
                yield from self._container_tasks(path)
            else:
                item = self._from_cache(path)
                if item is not None:
                    batch.append(item)
                    if len(batch) >= runner.CHUNK:
                        yield ("files", batch, want_digest)
                        batch = []
        if batch:
            yield ("files", batch, want_digest)

    def _from_cache(self, path: str) -> tuple[str, bytes | None, list[int] | None] | None:
        """None when the cache answers for the file, else the work item."""
        if self.cache is None or not self.cache.knows(path):
            return path, None, None
        hit = self.cache.unchanged(path)
        if hit is None:
            try:
                data, stamp = read_file(path)
            except OSError:
                return path, None, None  # the task reports it
            hit = self.cache.get(path, content_digest(data), stamp)
            if hit is None:
                return path, data, stamp
        self._add(hit[1], hit[0], _size(path) if self.progress else 0, hit[2])
        self.result.cached += 1
        return None

    def _container_tasks(self, path: str) -> Iterator[Task]:
        size = _size(path)
        hit = None
        if self.cache is not None and self.cache.knows(path):
            hit = self.cache.unchanged(path)
        digest = stamp = None
        if hit is None and self.cache is not None:
            try:
                digest, stamp = file_digest(path)
            except OSError as exc:
                self._add([runner._input_error(path, f"cannot read: {exc.strerror or exc}")],
                          1, 0)
                return
            hit = self.cache.get(path, digest, stamp) if self.cache.knows(path) else None
        if hit is not None:
            self._add(hit[1], hit[0], size, hit[2])
            self.result.cached += 1
            return
        box = _Container(path, digest, stamp, size)
        box.number = number = next(self._numbers)
        self._containers[number] = box
        try:
            with open(path, "rb") as fh:
                rows: list[Record] = []
                for record in records(fh, path, self.settings.jsonl_text_field,
                                      self.settings.jsonl_id_field):
                    box.cables += 1
                    if record.error is not None:
                        box.findings.append(_row_error(path, record))
                        continue
                    rows.append(record)
                    if len(rows) >= runner.CHUNK:
                        box.pending += 1
                        yield ("rows", number, path, rows)
                        rows = []
                if rows:
                    box.pending += 1
                    yield ("rows", number, path, rows)
        except ContainerError as exc:
            box.findings.append(runner._input_error(path, f"{exc}"))
        except OSError as exc:
            box.findings.append(runner._input_error(path, f"cannot read: {exc.strerror or exc}"))
            box.digest = None  # not cached: the next run tries again
        box.read = True
        self._finish(box)

    # -- running tasks -------------------------------------------------------------------
    def _execute(self, tasks: Iterator[Task], jobs: int) -> None:
        head: list[Task] = []
        if jobs > 1:
            cables = 0
            for task in tasks:
                head.append(task)
                cables += len(task[-1] if task[0] == "rows" else task[1])
                if cables >= runner.PARALLEL_THRESHOLD:
                    break
            else:
                jobs = 1
        if jobs <= 1:
            for task in itertools.chain(head, tasks):
                self._handle(_work(task, self.settings))
            return
        from concurrent.futures import Future, ProcessPoolExecutor

        pending: deque[Future[Any]] = deque()
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(self.settings,)) as pool:
            for task in itertools.chain(head, tasks):
                pending.append(pool.submit(_work_in_worker, task))
                while len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                    self._handle(pending.popleft().result())
            while pending:
                self._handle(pending.popleft().result())

    def _handle(self, done: tuple[Any, ...]) -> None:
        if done[0] == "files":
            for path, digest, stamp, findings, nbytes, facts in done[1]:
                if digest is not None and self.cache is not None:
                    self.cache.put(path, digest, 1, findings, stamp, facts)
                self._add(findings, 1, nbytes, facts)
            return
        _, number, findings, nbytes, cables, facts = done
        box = self._containers[number]
        box.pending -= 1
        box.findings.extend(findings)
        box.facts.extend(facts)
        box.advanced += nbytes
        if self.progress is not None:
            self.progress.advance(nbytes, cables)
        self._finish(box)

    def _finish(self, box: _Container) -> None:
        if not box.read or box.pending:
            return
        del self._containers[box.number]
        if box.digest is not None and self.cache is not None:
            self.cache.put(box.path, box.digest, box.cables, box.findings, box.stamp,
                           box.facts)
        self.result.findings.extend(box.findings)
        self.result.facts.extend(box.facts)
        self.result.files += box.cables or 1
        if self.progress is not None:  # the rest of the file: rows not linted, and syntax
            self.progress.advance(max(box.size - box.advanced, 0))

    def _add(self, findings: list[Finding], cables: int, nbytes: int,
             facts: list[CableFacts] | None = None) -> None:
        self.result.findings.extend(findings)
        if facts:
            self.result.facts.extend(facts)
        self.result.files += cables
        if self.progress is not None:
            self.progress.advance(nbytes, cables)


# -- the work (a worker process, or this one) ----------------------------------------------

_SETTINGS: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _SETTINGS
    _SETTINGS = settings
    # What the worker inherits (modules, packs, tables) lives as long as it does: frozen,
    # the collector never searches it; linting makes next to no cyclic garbage.
    gc.set_threshold(BULK_GC_THRESHOLD)
    gc.freeze()


#: The collector's first threshold during a run. A run keeps every finding until it ends
#: (tens of thousands of tuples for a corpus), and the default 700 would search them for
#: reference cycles again and again; linting makes next to no cyclic garbage.
BULK_GC_THRESHOLD = 50_000



def _work_in_worker(task: Task) -> tuple[Any, ...]:
    assert _SETTINGS is not None
    return _work(task, _SETTINGS)


def _work(task: Task, settings: Settings) -> tuple[Any, ...]:
    if task[0] == "rows":
        _, number, container, rows = task
        findings, facts = _lint_rows(container, rows, settings)
        return ("rows", number, findings, sum(len(r.data) for r in rows), len(rows), facts)
    _, items, want_digest = task
    with_facts = bool(runner.corpus_rules(settings))
    out = []
    for path, data, stamp in items:
        if data is None:
            if path == "-":
                findings, _ = runner.lint_file(path, settings)
                out.append((path, None, None, findings, 0, []))
                continue
            try:
                data, stamp = read_file(path)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                error = runner._input_error(path, f"cannot read: {reason}")
                out.append((path, None, None, [error], 0, []))
                continue
        digest = content_digest(data) if want_digest else None
        findings, known = runner.lint_data(path, data, settings, with_facts=with_facts)
        out.append((path, digest, stamp, findings, len(data), [known] if known else []))
    return ("files", out)


def _lint_rows(container: str, rows: Iterable[Record],
               settings: Settings) -> tuple[list[Finding], list[CableFacts]]:
    findings: list[Finding] = []
    facts: list[CableFacts] = []
    with_facts = bool(runner.corpus_rules(settings))
    for record in rows:
        # The cable is parsed under its display name, which keeps fingerprints per cable;
        # findings then name the container file and the cable apart.
        got, known = runner.lint_data(f"{container}:{record.cable}", record.data, settings,
                                      metadata=record.metadata, rules_path=container,
                                      with_facts=with_facts)
        findings.extend(f._replace(path=container, cable=record.cable) for f in got)
        if known is not None:
            facts.append(known._replace(container=container, cable=record.cable))
    return findings, facts


def _row_error(container: str, record: Record) -> Finding:
    finding = runner._input_error(container, record.error or "cannot read the record")
    return finding._replace(cable=record.cable)


def _size(path: str) -> int:
    if path == "-":
        return 0
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


