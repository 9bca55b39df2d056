"""The metadata table: one row per cable, read off the parsed model (``cablelint extract``).

Each column is declared once in :data:`COLUMNS` with its documentation; the README's column
table is generated from it. Values are plain strings or integers, empty when the cable does
not state them, so the table loads as is into a spreadsheet, pandas or a database.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from . import regex
from .config import Settings
from .engine import Finding
from .model import Cable, Field

#: Output formats by file suffix.
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}
_PRECEDENCE = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}
_PRECEDENCE_WORDS = ("FLASH", "NIACT IMMEDIATE", "IMMEDIATE", "PRIORITY", "ROUTINE")
# "RUEHC/SECSTATE WASHDC PRIORITY 2970": routing indicator, then the addressee, then
# precedence and serial.
_ROUTING_RE = regex.compile(r"^\s*(?:[A-Z]{4,7}/)?")
_TRAILER_RE = regex.compile(
    r"(?:\s*\*?\s*(?:FLASH|NIACT|IMMEDIATE|PRIORITY|ROUTINE)\*?)*(?:\s+\d{1,6})?\s*$",
    re.IGNORECASE)
# Words of a classification line that are not the station's name.
_NOT_STATION = frozenset({
    "UNCLAS", "UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP", "LIMITED", "OFFICIAL", "USE",
    "SENSITIVE", "NOFORN", "SIPDIS", "EXDIS", "NODIS", "LIMDIS", "STADIS", "SECTION", "OF",
    "EFTO", "FOUO", "ONLY", "CHEROKEE", "ROGER", "DECAPTIONED",
})
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_EO_RE = regex.compile(r"\d{5}")
_MARKUP = str.maketrans("", "", "*~_`")


class Column(NamedTuple):
    name: str
    doc: str
    value: Callable[[Cable, list[Finding]], Any]


def _field(cable: Cable, *names: str) -> Field | None:
    for name in names:
        found = cable.first(name, "smart") or cable.first(name)
        if found is not None:
            return found
    return None


def _plain(value: str) -> str:
    return " ".join(value.translate(_MARKUP).split())


def _dtg(cable: Cable) -> str:
    """The DTG in its canonical form (``052045Z FEB 20``), or as written when it is damaged."""
    from .dtg import parse_dtg

    found = cable.first("DTG")
    raw = found.value if found is not None else ""
    smart = cable.first("DATE_DTG")
    if not raw and smart is not None:
        raw = smart.value.rpartition("/")[2]
    parsed = parse_dtg(raw)
    if parsed is None or not parsed.valid:
        return _plain(raw)
    assert parsed.month is not None and parsed.year is not None
    return (f"{parsed.day:02d}{parsed.hour:02d}{parsed.minute:02d}Z "
            f"{_MONTHS[parsed.month - 1]} {parsed.year % 100:02d}")


def mrn_of(cable: Cable) -> str:
    """The SMART MRN as written; for a telegram, year, station and serial of its
    classification line in the same form (``07 BOGOTA 1339``)."""
    found = cable.first("MRN")
    if found is not None:
        return _plain(found.value)
    line = cable.first("CLASSIFICATION")
    if line is None or cable.date is None:
        return ""
    words = line.value.split()
    if not words or not words[-1].isdigit():
        return ""
    station: list[str] = []
    for word in reversed(words[:-1]):
        if not word.isalpha() or len(word) == 1 or word in _NOT_STATION:
            break
        station.insert(0, word)
    if not station:
        return ""
    return f"{cable.date.year % 100:02d} {' '.join(station)} {int(words[-1])}"


def _precedence(cable: Cable) -> str:
    found = cable.first("PRECEDENCE")
    if found is not None:
        return _PRECEDENCE.get(found.value.strip()[:1], "")
    action = cable.first("ACTION", "smart")
    if action is not None:
        upper = action.value.upper()
        for word in _PRECEDENCE_WORDS:
            if word in upper:
                return word
    return ""


def _addressees(cable: Cable) -> str:
    found = _field(cable, "ACTION", "TO")
    if found is None:
        return ""
    names = []
    for part in re.split(r"[;\n]", found.value):
        name = _TRAILER_RE.sub("", _ROUTING_RE.sub("", part.translate(_MARKUP))).strip(" ,")
        if name:
            names.append(" ".join(name.split()))
    return "; ".join(names)


def _markings(cable: Cable) -> str:
    used = {p.slot.marking.raw for p in cable.paragraphs if p.slot.marking}
    used |= {h.slot.marking.raw for h in cable.headings if h.slot.marking}
    return " ".join(sorted(used))


def _tags(cable: Cable) -> str:
    found = _field(cable, "TAGS")
    if found is None:
        return ""
    return " ".join(re.split(r"[\s,;]+", _plain(found.value).strip(" ,;")))


def _eo(cable: Cable) -> str:
    found = _field(cable, "EO")
    match = _EO_RE.search(found.value) if found is not None else None
    return match.group() if match else ""


def _text(*names: str) -> Callable[[Cable, list[Finding]], str]:
    def value(cable: Cable, _findings: list[Finding]) -> str:
        found = _field(cable, *names)
        return _plain(found.value) if found is not None else ""
    return value


# A line that is not the continuation of a telegram's subject: a blank line, a label, a
# paragraph number, Markdown.
_NOT_CONTINUATION_RE = regex.compile(
    r"\s*$|\s*(?:REFS?\b|REFTELS?\b|Ref\b|E\.\s?O\.|TAGS|CLASSIFIED|CLASSIFICATION|SIPDIS|"
    r"SENSITIVE|\(?[A-Z]\)|¶|\d{1,3}\.|[*|#<])")


def _subject(cable: Cable) -> str:
    found = _field(cable, "SUBJECT")
    if found is None:
        return ""
    parts = [found.value]
    if found.origin == "telegram":
        text = cable.text
        pos = text.find("\n", found.end)
        while pos != -1 and len(parts) < 4:
            end = text.find("\n", pos + 1)
            line = text[pos + 1 : end if end != -1 else len(text)]
            if _NOT_CONTINUATION_RE.match(line):
                break
            parts.append(line)
            pos = end
    return _plain(" ".join(parts))


def _classification(cable: Cable) -> str:
    """The highest level the cable states; an unclassified telegram that says SENSITIVE on
    its classification line or marks a paragraph (SBU) is SBU."""
    level = cable.classification or ""
    if level == "U":
        line = cable.first("CLASSIFICATION")
        sensitive = line is not None and "SENSITIVE" in line.value.upper()
        if sensitive or any(p.slot.marking and p.slot.marking.level == "SBU"
                            for p in cable.paragraphs):
            return "SBU"
    return level


def _count(severity: str) -> Callable[[Cable, list[Finding]], int]:
    return lambda _cable, findings: sum(f.severity == severity for f in findings)


COLUMNS: tuple[Column, ...] = (
    Column("id", "the file's path (for a container row, `file:row-id`)", lambda c, f: c.path),
    Column("format", "`smart`, `telegram`, `html`, `historylab` or `unknown`",
           lambda c, f: c.format),
    Column("mrn", "message reference: the SMART MRN, or year, station and serial of a "
           "telegram's classification line (`07 BOGOTA 1339`)", lambda c, f: mrn_of(c)),
    Column("dtg", "date-time group as written (`052045Z FEB 20`)", lambda c, f: _dtg(c)),
    Column("date", "date sent, ISO 8601, from the DTG", lambda c, f: str(c.date or "")),
    Column("precedence", "`FLASH`, `IMMEDIATE`, `PRIORITY` or `ROUTINE`",
           lambda c, f: _precedence(c)),
    Column("post", "the sending post (`AMEMBASSY MEXICO`)", _text("FROM", "FM")),
    Column("action", "action addressees, `; `-separated, without routing indicators, "
           "precedence and serials", lambda c, f: _addressees(c)),
    Column("classification", "highest level the cable states: `U`, `SBU`, `C`, `S`, `TS` "
           "(an UNCLAS telegram with SENSITIVE or (SBU) portions is `SBU`)",
           lambda c, f: _classification(c)),
    Column("captions", "SMART captions (`SENSITIVE`)", _text("CAPTIONS")),
    Column("markings", "distinct portion markings used, space-separated (`(SBU) (U)`)",
           lambda c, f: _markings(c)),
    Column("tags", "TAGS, space-separated (`PGOV PREL MX`)", lambda c, f: _tags(c)),
    Column("eo", "the executive order's number (`13526`)", lambda c, f: _eo(c)),
    Column("subject", "the subject, with a telegram's continuation lines",
           lambda c, f: _subject(c)),
    Column("paragraphs", "number of numbered paragraphs", lambda c, f: len(c.paragraphs)),
    Column("errors", "findings of severity error", _count("error")),
    Column("warnings", "findings of severity warning", _count("warning")),
    Column("infos", "findings of severity info", _count("info")),
)
NAMES = tuple(column.name for column in COLUMNS)


def row(cable: Cable, findings: list[Finding]) -> dict[str, Any]:
    return {column.name: column.value(cable, findings) for column in COLUMNS}


def markdown_table() -> str:
    lines = ["| Column | Content |", "| --- | --- |"]
    lines += [f"| `{c.name}` | {c.doc} |" for c in COLUMNS]
    return "\n".join(lines)


def format_for(path: Path, requested: str | None) -> str:
    if requested:
        return requested
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"cannot tell the format of '{path}' from its suffix; "
                         f"use --format {'|'.join(sorted(set(FORMATS.values())))}") from None


def write(rows: Iterable[dict[str, Any]], target: Path, fmt: str) -> int:
    """Write the rows atomically (a temporary file beside the target, then a rename)."""
    from .atomic import atomic_target

    with atomic_target(target) as tmp:
        if fmt == "csv":
            return _write_csv(rows, tmp)
        if fmt == "jsonl":
            return _write_jsonl(rows, tmp)
        return _write_parquet(rows, tmp)


def _write_csv(rows: Iterable[dict[str, Any]], path: Path) -> int:
    import csv

    count = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=NAMES)
        writer.writeheader()
        for item in rows:
            writer.writerow(item)
            count += 1
    return count


def _write_jsonl(rows: Iterable[dict[str, Any]], path: Path) -> int:
    import json

    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for item in rows:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_parquet(rows: Iterable[dict[str, Any]], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ValueError("Parquet output needs pyarrow: pip install pyarrow") from None
    table = pa.Table.from_pylist(list(rows))
    pq.write_table(table, path)
    return table.num_rows


def rows_of(pairs: Iterable[tuple[Cable, list[Finding]]]) -> Iterator[dict[str, Any]]:
    for cable, findings in pairs:
        yield row(cable, findings)


def read_corpus(paths: Iterable[str], settings: Settings,
                errors: list[str]) -> Iterator[tuple[Cable, list[Finding]]]:
    """Each cable under ``paths`` with its findings; a container (``.csv``, ``.jsonl``) gives
    one cable a record, named ``file:ID``. Unreadable files and records go to ``errors``."""
    from .containers import ContainerError, is_container, records
    from .parse import parse_bytes
    from .runner import check, discover

    for path in discover(paths, settings):
        try:
            if is_container(path):
                with open(path, "rb") as fh:
                    for record in records(fh, path, settings.jsonl_text_field,
                                          settings.jsonl_id_field):
                        if record.error is not None:
                            errors.append(f"{path}:{record.cable}: {record.error}")
                            continue
                        cable = parse_bytes(f"{path}:{record.cable}", record.data)
                        cable.metadata = record.metadata
                        yield cable, check(cable, settings, path)
                continue
            data = Path(path).read_bytes()
        except ContainerError as exc:
            errors.append(f"{path}: {exc}")
            continue
        except OSError as exc:
            errors.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        cable = parse_bytes(path, data)
        yield cable, check(cable, settings)
