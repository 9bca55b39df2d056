"""Station names and reference identifiers, shared by the identifier and conflict rules.

A station is named many ways: ``MEXICO`` and ``MEXICO CITY``, ``KUALA LUMPUR`` and
``KUALALUMPUR``, ``SECSTATE WASHDC`` and ``STATE``. :func:`station` reduces any of them to
the gazetteer's canonical name (``rules/gazetteer/posts.yaml``); identifiers are read with
the forms of ``rules/identifiers.yaml``.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import datetime as dt
import re
from functools import cache, lru_cache
from typing import Any, NamedTuple

from .. import regex
from ..model import Cable
from ..packs import load_pack

_NOT_LETTERS = regex.compile(r"[^A-Z]+")
# The classification line's serial: "UNCLAS SECTION 01 OF 03 MADRID 002164 ..." -> the
# words before the first number after the classification words.
_SERIAL_RE = regex.compile(r"(?:SECTION\s+\d+\s+OF\s+\d+\s+)?(?!SECTION\b)"
                        r"(?P<station>[A-Z][A-Z .'-]*?)\s+(?P<serial>\d{1,7})\b")
_LEVEL_WORDS = regex.compile(
    r"^\s*(?:(?:UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE|CONFIDENTIAL|SECRET|TOP SECRET"
    r"|(?:[A-Z] ){4,}[A-Z])(?://?[A-Z]+(?: [A-Z]+)*)?(?: E F T O)?\s+)")


def compact(name: str) -> str:
    """``Kuala Lumpur`` -> ``KUALALUMPUR``: upper case, letters only."""
    return _NOT_LETTERS.sub("", name.upper())


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(compact form -> canonical station, addressee phrase -> canonical station)."""
    posts = load_pack("gazetteer/posts")
    stations: dict[str, Any] = posts["stations"]

    def canonical(name: str) -> str:
        seen = 0
        while name in stations and stations[name].get("alias_of") and seen < 5:
            name = stations[name]["alias_of"]
            seen += 1
        return name

    by_compact: dict[str, str] = {}
    for name in stations:
        by_compact.setdefault(compact(name), canonical(name))
    for form, name in posts.get("compact_forms", {}).items():
        by_compact.setdefault(form, canonical(name))
    addressees = {phrase: canonical(name) for phrase, name in posts["addressees"].items()}
    return by_compact, addressees


@lru_cache(maxsize=4096)  # senders and identifiers repeat from cable to cable
def station(name: str) -> str | None:
    """The canonical station a name, compact form or sender stands for; ``None`` if unknown."""
    by_compact, addressees = _tables()
    words = " ".join(name.upper().replace(",", " ").split())
    if words in addressees:
        return addressees[words]
    ids = load_pack("identifiers")
    if words in ids["department"]:
        return by_compact.get("STATE")
    for prefix in ids["sender_prefixes"]:
        if words.startswith(prefix + " "):
            words = words[len(prefix) + 1 :]
            break
    tokens = words.split()
    while tokens and (tokens[-1] in ids["sender_suffixes"] or tokens[-1].isdigit()):
        tokens.pop()
    return by_compact.get(compact(" ".join(tokens)))


def origin_station(origin: str) -> str | None:
    """A page's or a record's origin (``Embassy Tehran``, ``Secretary of State``)."""
    ids = load_pack("identifiers")
    words = origin.upper().split()
    if " ".join(words) in ids["department"]:
        return station("STATE")
    drop = set(ids["origin_words"])
    return station(" ".join(w for w in words if w not in drop))


class Identifier(NamedTuple):
    form: str  # "mrn", "cablegate", "cfpf", "serial"
    year: int | None
    station: str  # as written
    serial: int
    station_start: int = 0  # offsets within the value
    station_end: int = 0


@cache
def _form(name: str) -> re.Pattern[str]:
    return re.compile(load_pack("identifiers")["forms"][name])


@lru_cache(maxsize=1024)
def read_identifier(value: str, form: str) -> Identifier | None:
    """Read ``value`` as an identifier of ``form``; ``None`` if it is not one."""
    m = _form(form).fullmatch(value)
    if m is None:
        return None
    year = int(m["year"])
    if form in ("mrn", "cablegate"):
        year = (1900 if year >= 50 else 2000) + year
    return Identifier(form, year, m["station"], int(m["serial"]), m.start("station"),
                      m.end("station"))


def read_refid(value: str) -> Identifier | None:
    """A Cablegate id (``07KUALALUMPUR1376``), a CFPF document number, or an MRN."""
    return (read_identifier(value, "cfpf") or read_identifier(value, "cablegate")
            or read_identifier(" ".join(value.split()), "mrn"))


@lru_cache(maxsize=1024)
def read_serial(value: str) -> Identifier | None:
    """The serial of a classification line: ``UNCLAS SECTION 01 OF 03 MADRID 002164``."""
    level = _LEVEL_WORDS.match(value)
    if level is None:
        return None
    m = _SERIAL_RE.match(value, level.end())
    if m is None:
        return None
    return Identifier("serial", None, m["station"], int(m["serial"]), m.start("station"),
                      m.end("station"))


def refid_stations(ident: Identifier) -> set[str]:
    """The canonical stations a compact identifier's station may stand for: one for a
    Cablegate id, those whose name begins so for a CFPF number (cut to six letters)."""
    written = compact(ident.station)
    if ident.form != "cfpf":
        found = station(written)
        return {found} if found else set()
    limit = load_pack("identifiers")["cfpf_station_length"]
    return {s for n, s in _tables()[0].items()
            if n == written or (len(written) == limit and n[:limit] == written)}


def same_sender(a: str, b: str) -> bool:
    """Are canonical stations ``a`` and ``b`` the same sender, or co-located posts?"""
    if a == b:
        return True
    ca, cb = compact(a), compact(b)
    if ca.endswith(cb) or cb.endswith(ca):
        return True
    return any(a in group and b in group for group in load_pack("identifiers")["co_located"])


def sender(cable: Cable, origin: str) -> tuple[str, str] | None:
    """(canonical station, as written) of the cable's sender in ``origin``'s header."""
    name = "FROM" if origin == "smart" else "FM"
    f = cable.first(name, origin)
    if f is None or not f.value.strip():
        return None
    found = station(f.value)
    return (found, f.value.strip()) if found else None


def same_year(year: int, date: dt.date) -> bool:
    """``year`` is the year of ``date``, or the next/previous one around New Year."""
    if year == date.year:
        return True
    days = load_pack("identifiers")["year_boundary_days"]
    if year == date.year + 1:
        return (dt.date(date.year + 1, 1, 1) - date).days <= days
    if year == date.year - 1:
        return (date - dt.date(date.year, 1, 1)).days < days
    return False
