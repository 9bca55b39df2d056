"""Corpora stored as one file: JSONL (one cable a line) and CSV in the Cablegate layout.

A container is read as a stream, one record at a time, so that a file of any size is linted
with bounded memory. Each record becomes one cable, named in findings as ``FILE:CABLE``:

- CSV (``.csv``), the layout of Cablegate's ``cables.csv``: eight columns ``id, date, refid,
  origin, classification, references, header, content`` and no header row, every field
  quoted, quotes inside a field escaped as ``\\"`` (a MySQL dump) or ``""``. A file whose
  first row names its columns (any order, a ``content`` column required, ``header`` and the
  metadata columns optional) is read as plain RFC 4180 CSV instead. The cable's text is
  ``header`` followed by ``content`` (a line break between them when ``header`` does not end
  with one); its name is the ``refid`` column (else ``id``).
- JSONL (``.jsonl``): one JSON object a line; the cable's text is the string under
  ``jsonl-text-field`` (default ``text``), after the string under ``header`` when the
  object has one (a Cablegate record split as the CSV is), its name the value under
  ``jsonl-id-field`` (default ``id``). Blank lines are skipped.

A record without a name is named ``#N``: the N-th data row of a CSV file, the N-th line of a
JSONL file. Lines and columns in findings count within the cable's own text (for a CSV row,
line 1 is the first line of ``header``). The other columns or string keys of a record are the
cable's :attr:`~cablelint.model.Cable.metadata` (``date``, ``classification``, ``origin``,
``refid``, ``id``...), which the ``header-conflict`` rule compares with the text.

A file that is not a container of a known layout raises :class:`ContainerError` (an input
error for the whole file); a record that cannot be read is a :class:`Record` with ``error``
set, and reading goes on with the next one.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from typing import IO

CONTAINER_SUFFIXES = (".csv", ".jsonl")
CABLEGATE_COLUMNS = (
    "id", "date", "refid", "origin", "classification", "references", "header", "content",
)
#: The largest CSV field read (characters). A longer one is an unclosed quote swallowing the
#: rest of the file, not a cable (the longest Cablegate cable is well under 1 MB).
FIELD_LIMIT = 32 * 1024 * 1024
#: The longest JSONL line read, in bytes, for the same reason.
LINE_LIMIT = 64 * 1024 * 1024
_SNIFF = 8000


class ContainerError(Exception):
    """The file is not a container of a known layout (or cannot be read as one)."""


class Record:
    """One cable of a container: its name, its text as bytes, and the container's facts.
    Read-only once made."""

    __slots__ = ("cable", "data", "metadata", "error")

    def __init__(self, cable: str, data: bytes, metadata: dict[str, str] | None = None,
                 error: str | None = None) -> None:
        self.cable = cable
        self.data = data
        self.metadata: dict[str, str] = {} if metadata is None else metadata
        #: Set when the record cannot be linted: why.
        self.error = error

    def __repr__(self) -> str:
        return f"Record({self.cable!r}, {len(self.data)} bytes, error={self.error!r})"


def is_container(path: str) -> bool:
    return path.lower().endswith(CONTAINER_SUFFIXES)


def records(
    fh: IO[bytes], path: str, text_field: str = "text", id_field: str = "id"
) -> Iterator[Record]:
    """The records of a container opened in binary mode (buffered: ``peek`` is used)."""
    head = fh.peek(_SNIFF)[:_SNIFF] if hasattr(fh, "peek") else b""
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContainerError("binary file (NUL bytes): not a CSV or JSONL container")
    if path.lower().endswith(".jsonl"):
        return _jsonl(fh, text_field, id_field)
    return _csv(fh)


# -- JSONL ---------------------------------------------------------------------------------


def _jsonl(fh: IO[bytes], text_field: str, id_field: str) -> Iterator[Record]:
    seen = False
    for number, raw in enumerate(_lines(fh), 1):
        name = f"#{number}"
        if raw is None:
            seen = True
            yield Record(name, b"", error=f"line {number} is longer than "
                                          f"{LINE_LIMIT // 2**20} MB: not read")
            continue
        line = raw.decode("utf-8", "surrogateescape").strip().lstrip("\ufeff")
        if not line:
            continue
        seen = True
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield Record(name, b"", error=f"line {number} is not valid JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield Record(name, b"", error=f"line {number} is not a JSON object")
            continue
        ident = obj.get(id_field)
        if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
            name = str(ident).strip()
        text = obj.get(text_field)
        if not isinstance(text, str):
            what = "no" if text is None else "a non-string"
            yield Record(name, b"", error=f"line {number} has {what} '{text_field}' field "
                                          "(set jsonl-text-field)")
            continue
        # a Cablegate record split as its CSV is (cablesearch's API: "header", then "text")
        head = obj.get("header") if text_field != "header" else None
        if isinstance(head, str) and head.strip():
            text = head + ("" if head.endswith("\n") else "\n") + text
        else:
            head = None
        metadata = {str(k): v for k, v in obj.items()
                    if k != text_field and isinstance(v, str) and not (k == "header" and head)}
        yield Record(name, text.encode("utf-8", "surrogateescape"), metadata)
    if not seen:
        raise ContainerError("empty JSONL file: no cables")


def _lines(fh: IO[bytes]) -> Iterator[bytes | None]:
    """The lines of a file; None for a line over ``LINE_LIMIT`` bytes, which is skipped."""
    while True:
        line = fh.readline(LINE_LIMIT)
        if not line:
            return
        if len(line) == LINE_LIMIT and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = fh.readline(LINE_LIMIT)
            yield None
            continue
        yield line


# -- CSV -----------------------------------------------------------------------------------


class _Cablegate(csv.Dialect):
    """``cables.csv`` as distributed: a MySQL dump, backslash-escaped, every field quoted."""

    delimiter = ","
    quotechar = '"'
    escapechar = "\\"
    doublequote = True
    skipinitialspace = False
    lineterminator = "\n"
    quoting = csv.QUOTE_MINIMAL
    strict = False


def _csv(fh: IO[bytes]) -> Iterator[Record]:
    csv.field_size_limit(FIELD_LIMIT)
    text = io.TextIOWrapper(fh, encoding="utf-8", errors="surrogateescape", newline="")
    first = text.readline(1 << 20).lstrip("\ufeff")
    while first and not first.strip():  # blank lines before the first row (a split dump)
        first = text.readline(1 << 20)
    if not first.strip():
        raise ContainerError("empty CSV file: no cables")
    names = [n.strip().lower() for n in next(csv.reader([first]), [])]
    header_row = "content" in names
    if header_row:
        columns = {n: i for i, n in reversed(list(enumerate(names))) if n}
        rows = csv.reader(text, strict=False)
        width = len(names)
    else:
        columns = {n: i for i, n in enumerate(CABLEGATE_COLUMNS)}
        rows = csv.reader(itertools.chain([first], text), _Cablegate)
        width = len(CABLEGATE_COLUMNS)
    return _csv_records(rows, columns, width, header_row)


def _csv_records(
    rows: Iterator[list[str]], columns: dict[str, int], width: int, header_row: bool
) -> Iterator[Record]:
    content, header = columns["content"], columns.get("header")
    named = [(n, i) for n, i in columns.items() if n not in ("content", "header")]
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # a field over the limit, or worse: the rest is unreadable
            yield Record(f"#{number + 1}", b"", error=f"row {number + 1}: {exc}; the rest of "
                                                       "the file is not linted")
            return
        if not row:
            continue
        number += 1
        if number == 1 and not header_row and len(row) != width:
            raise ContainerError(
                f"not in the Cablegate cables.csv layout ({', '.join(CABLEGATE_COLUMNS)}): "
                f"the first row has {len(row)} column{'s' * (len(row) != 1)}; a CSV file "
                "with other columns needs a header row naming its 'content' column")
        if len(row) < width if header_row else len(row) != width:  # its columns mean nothing
            yield Record(f"#{number}", b"", error=f"row {number} has {len(row)} column"
                                                  f"{'s' * (len(row) != 1)}, expected {width}")
            continue
        metadata = {n: row[i].strip() for n, i in named if i < len(row)}
        name = metadata.get("refid") or metadata.get("id") or f"#{number}"
        body = row[content]
        head = row[header] if header is not None else ""
        if head and not head.endswith("\n"):
            head += "\n"
        yield Record(name, (head + body).encode("utf-8", "surrogateescape"), metadata)
