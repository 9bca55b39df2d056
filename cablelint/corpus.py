"""Corpus-wide checks: defects that only show across the whole corpus.

Each cable contributes a few :class:`CableFacts` (its MRN, where it states it, fingerprints of
its text, the MRNs it references), computed in the same pass that lints it, so the corpus
checks never read a file twice and run the same with one process or many. The rules here are
declared like every other rule (code, name, severity, summary, documentation); they look at
the facts of all cables together.
"""

# Annotations are evaluated, not strings: typing.NamedTuple compiles each string
# annotation at import, a cost every one-file run pays (README, Speed).

import sys
import zlib
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from itertools import pairwise
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple

from . import regex
from .engine import Diagnostic, Finding, Rule, make_fingerprint
from .model import Cable, Furniture

# "18 Mexico 307", "08 STATE 1234", "2008 BOGOTA 567": a year, a station, a serial.
_REF_MRN_RE = regex.compile(r"\b(\d\d|(?:19|20)\d\d) +([A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*){0,3}) +"
                         r"0*(\d{1,6})\b")
_SECTION_RE = regex.compile(r"SECTION +0*(\d+) +OF +0*(\d+)")


class Place(NamedTuple):
    line: int
    column: int
    matched: str


class CableFacts(NamedTuple):
    """What the corpus checks need to know of one cable."""

    path: str
    mrn: str  # "20 MEXICO 368", empty when the cable states none
    mrn_place: Place | None
    section: int  # 1 unless the file holds a later section of a multi-section cable
    #: Tells an exact copy among the cables of one ``normalised_hash``: a CRC-32 and the length
    #: of the text (equal texts parse alike, so they always share the ``normalised_hash``).
    text_hash: str
    normalised_hash: str  # 64 bits of checksums of the normalised body: it alone groups copies
    references: tuple[tuple[str, Place], ...]  # (MRN, where the cable cites it)
    container: str = ""  # for a cable of a container file: the file, and the cable's id
    cable: str = ""
    #: CRC-32s of the normalised body from its start, one at each length of ``_CUTS`` it
    #: reaches (8 hex digits each): a cut-off extract's sums start the full record's.
    prefix_sums: str = ""

    def to_row(self) -> list[Any]:
        """A JSON-able form, for the result cache."""
        def place(p: Place | None) -> list[Any] | None:
            return None if p is None else [p.line, p.column, p.matched]
        return [self.path, self.mrn, place(self.mrn_place), self.section, self.text_hash,
                self.normalised_hash, [[m, place(p)] for m, p in self.references],
                self.container, self.cable, self.prefix_sums]

    @classmethod
    def from_row(cls, row: list[Any]) -> "CableFacts":
        def place(v: list[Any] | None) -> Place | None:
            return None if v is None else Place(int(v[0]), int(v[1]), str(v[2]))
        path, mrn, mrn_place, section, text_hash, normalised, refs, container, cable, sums = row
        references = []
        for m, p in refs:
            where = place(p)
            if where is None:
                raise ValueError("a reference without a place")
            references.append((str(m), where))
        return cls(str(path), str(mrn), place(mrn_place), int(section), str(text_hash),
                   str(normalised), tuple(references), str(container), str(cable), str(sums))

    @property
    def station_year_serial(self) -> tuple[str, int, int] | None:
        year, _, rest = self.mrn.partition(" ")
        station, _, serial = rest.rpartition(" ")
        if not (year.isdigit() and serial.isdigit() and station):
            return None
        return station, int(year), int(serial)


def _normalise_mrn(year: str, station: str, serial: str) -> str:
    return f"{int(year) % 100:02d} {' '.join(station.upper().split())} {int(serial)}"


@cache
def _mrn_of() -> Callable[[Cable], str]:
    from .extract import mrn_of  # not at the top: extract imports config, config the
    # rule registry, and the registry this module

    return mrn_of


def facts(cable: Cable) -> CableFacts:
    mrn = _mrn_of()(cable)
    line_field = cable.first("CLASSIFICATION")
    field = cable.first("MRN") or line_field
    place = None
    if mrn and field is not None:
        line, col = cable.locate(field.start)
        place = Place(line, col, field.value)
    section = 1
    if line_field is not None and "SECTION" in line_field.value:
        found = _SECTION_RE.search(line_field.value)
        if found:
            section = int(found.group(1))
    references = []
    for name in ("REF", "REFERENCE"):
        for ref in cable.get(name):
            for m in _REF_MRN_RE.finditer(ref.value):
                line, col = cable.locate(ref.start + m.start())
                references.append((_normalise_mrn(*m.groups()), Place(line, col, m.group())))
    data, body = _texts(cable)
    sums, crc = "", None
    if mrn:  # (only K001 reads the prefix sums; their pass gives the body's CRC-32 too)
        if "\u00b6" in cable.text:  # a paragraph sign that other copies do not print
            sums = _prefix_sums(body.replace(_PILCROW, b""))[0]
        else:
            sums, crc = _prefix_sums(body)
    return CableFacts(cable.path, mrn, place, section, _checksum(data),
                      _checksum(body, zlib.adler32(body), crc), tuple(references),
                      prefix_sums=sums)


def _checksum(data: bytes, more: int | None = None, crc: int | None = None) -> str:
    """The length and CRC-32 of ``data`` (``crc`` when known), and ``more`` (a second
    checksum of it), in hex. C checksums cost a third of a cryptographic digest; with an
    Adler-32 too (64 bits), the chance that a million cables hold two different texts of
    one checksum is about 10^-7."""
    tail = "" if more is None else f"{more:08x}"
    return f"{len(data):x}-{zlib.crc32(data) if crc is None else crc:08x}{tail}"


#: Lengths at which a body is summed from its start: 64, then up by a ratio of 2^(1/2), so a
#: text's last sum covers at least 71% of it (to 64 * 2^18 characters).
_CUTS = tuple(int(64 * 2 ** (k / 2)) for k in range(37))
_SPANS = tuple(zip((0, *_CUTS[:-1]), _CUTS, strict=True))  # the pieces between cuts
_PILCROW = "\u00b6".encode()
_LITTLE = sys.byteorder == "little"


def _prefix_sums(body: bytes) -> tuple[str, int]:
    """Running CRC-32s of the normalised body at each cut before its last three characters
    (a cut-off extract's closing '...' is not summed), and the CRC-32 of the whole body,
    from the same pass (one Python step a cut: a few cuts, not a checksum a line)."""
    crc, sums, end = 0, array("I"), 0
    for start, end in _SPANS[: bisect_right(_CUTS, len(body) - 3)]:
        crc = zlib.crc32(body[start:end], crc)  # (a copied slice costs less than a view)
        sums.append(crc)
    if _LITTLE:
        sums.byteswap()  # (hex of big-endian words: what "%08x" gives, at a fifth of its cost)
    return sums.tobytes().hex(), zlib.crc32(body[end:], crc)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


#: ASCII capitals to lower case; ASCII white space (as ``str.split`` knows it) deleted.
_ASCII_SPACE = b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
_ASCII_FOLD = bytes.maketrans(bytes(range(0x41, 0x5B)), bytes(range(0x61, 0x7B)))
_ASCII = bytes(range(0x80))


def _start_of(item: Furniture) -> int:
    return item.start


def _texts(cable: Cable) -> tuple[bytes, bytes]:
    """The cable's text in UTF-8, and its body normalised: without page furniture and white
    space, case folded, in UTF-8. Two copies of one cable, OCR'd or transcribed with other
    line and page breaks, come out the same.

    The normalised body is ``"".join(body.split()).casefold()``, computed on bytes: the text
    is cut where the body and its furniture start and end, each piece encoded once (the
    pieces make both texts); one ``translate`` folds the ASCII capitals and deletes the ASCII
    white space, then the few distinct non-ASCII characters left are folded one by one
    (``str.casefold`` folds a character at a time, never into a capital or white space, and
    white space into itself).
    """
    text = cable.text
    start, end = cable.body_start, cable.body_end or len(text)
    cuts = [0, start]  # pieces between cuts: the head, then body parts and furniture by turns
    for item in sorted(cable.furniture, key=_start_of):
        if item.end <= start or item.start >= end:
            continue
        start = max(start, item.end)
        cuts += (max(cuts[-1], item.start), start)
    cuts += (max(start, end), len(text))
    if text.isascii():  # (half the cables) one byte a character: the pieces are slices
        data = cable.latin1()[0]  # (the rules' shared encoding: ASCII text's UTF-8 too)
        body = b"".join([data[a:b] for a, b in pairwise(cuts[1:-1])][::2])
        return data, body.translate(_ASCII_FOLD, _ASCII_SPACE)
    pieces = [_utf8(text[a:b]) for a, b in pairwise(cuts)]
    data = b"".join(pieces)
    body = b"".join(pieces[1::2]).translate(_ASCII_FOLD, _ASCII_SPACE)
    if len(data) != len(text):  # (a character's case fold holds no capital and no space)
        for char in set(body.translate(None, _ASCII).decode("utf-8", "surrogatepass")):
            folded = "" if char.isspace() else char.casefold()
            if folded != char:
                body = body.replace(_utf8(char), _utf8(folded))
    return data, body


class CorpusDiagnostic(NamedTuple):
    path: str
    place: Place | None
    message: str


class CorpusRule(Rule):
    """A rule over the facts of the whole corpus; it has nothing to say of one cable alone."""

    corpus: ClassVar[bool] = True

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        return iter(())

    def check_corpus(self, cables: list[CableFacts],
                     options: Mapping[str, Any]) -> Iterator[CorpusDiagnostic]:
        raise NotImplementedError


def _by(cables: list[CableFacts], key: Callable[[CableFacts], Any]
        ) -> dict[Any, list[CableFacts]]:
    groups: dict[Any, list[CableFacts]] = defaultdict(list)
    for item in cables:
        value = key(item)
        if value:
            groups[value].append(item)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _same_text(a: CableFacts, b: CableFacts) -> bool:
    """Are two cables copies of one text (exactly, or once normalised)? Equal texts have equal
    normalised hashes."""
    return a.normalised_hash == b.normalised_hash


def _extract(a: CableFacts, b: CableFacts) -> bool:
    """Is one cable's body the start of the other's (a partial extract beside the full
    record), as far as its last prefix sum reaches? Both are cut at the same lengths, so
    the shorter's sums begin the longer's."""
    short, long = sorted((a.prefix_sums, b.prefix_sums), key=len)
    return bool(short) and long.startswith(short)


class DuplicateCable(CorpusRule):
    """The same cable is in the corpus twice: byte for byte, or with the same body (the text
    below the header) once whitespace, page furniture and case are set aside (two OCR runs or
    transcriptions of one release; their header lines differ as often as not, and a copy
    filed under another MRN or subject is worth a look). Reported on every copy after the
    first, in path order.

    Failing:
        corpus/a.txt and corpus/copy-of-a.txt hold the same text.
    Passing:
        two cables with different texts, even with one MRN (see duplicate-mrn).
    """

    code = "K002"
    name = "duplicate-cable"
    severity = "warning"
    summary = "The same cable text is in the corpus twice"

    def check_corpus(self, cables: list[CableFacts],
                     options: Mapping[str, Any]) -> Iterator[CorpusDiagnostic]:
        seen: set[str] = set()
        key: Callable[[CableFacts], Any]
        for key, how in ((attrgetter("normalised_hash", "text_hash"), "the same text as"),
                         (attrgetter("normalised_hash"), "the same body (once the header, "
                                                         "whitespace, page furniture and case "
                                                         "are set aside) as")):
            for group in _by(cables, key).values():
                first, *copies = sorted(group, key=lambda c: c.path)
                for copy in copies:
                    if copy.path not in seen:
                        seen.add(copy.path)
                        yield CorpusDiagnostic(copy.path, None,
                                               f"this cable has {how} {first.path}")


class DuplicateMrn(CorpusRule):
    """Two different cables claim one message reference number (MRN, or year, station and
    serial of a telegram's classification line). One of them carries a wrong MRN, or a wrong
    year, or is a draft of the other. Sections of one multi-section cable, copies that
    duplicate-cable reports, and a partial extract beside the full record (a body that is
    the start of the other's, normalised as duplicate-cable does, compared up to the last
    of its checksummed lengths, which leaves at most the last 29% of it unread) are not
    counted.

    Failing:
        corpus/a.md `MRN: 20 MEXICO 368` and corpus/b.md `MRN: 20 MEXICO 368`, texts differ.
    Passing:
        `UNCLAS SECTION 01 OF 02 MADRID 000552` and `UNCLAS SECTION 02 OF 02 MADRID 000552`;
        a page that stops at `HAS NOW RECEIVED F...` beside the record of the whole cable.
    """

    code = "K001"
    name = "duplicate-mrn"
    severity = "error"
    summary = "Two cables of the corpus claim one MRN"

    def check_corpus(self, cables: list[CableFacts],
                     options: Mapping[str, Any]) -> Iterator[CorpusDiagnostic]:
        for mrn, group in _by(cables, attrgetter("mrn")).items():
            ordered = sorted(group, key=lambda c: c.path)
            for index, item in enumerate(ordered):
                others = [o.path for o in ordered[:index] + ordered[index + 1:]
                          if o.section == item.section and not _same_text(o, item)
                          and not _extract(o, item)]
                if others:
                    yield CorpusDiagnostic(item.path, item.mrn_place,
                                           f"MRN '{mrn}' is also claimed by {', '.join(others)}")


class MrnGap(CorpusRule):
    """A post's serial numbers for a year skip a few numbers in a corpus that holds most of
    that post's cables for the year: the missing cables were likely lost on the way. Only
    gaps of at most ``max_gap`` serials are reported, and only for post-years where the corpus
    holds at least ``min_coverage`` of the serial range it spans (a sample is not a gap).

    Failing:
        MADRID 2008 serials 550, 551, 552, 555: `serials 553-554 are missing`.
    Passing:
        MADRID 2008 serials 550, 551, 552, 553.
    """

    code = "K003"
    name = "mrn-gap"
    severity = "info"
    summary = "A post's MRN serials skip a few numbers in a year the corpus covers"
    options: ClassVar[Mapping[str, Any]] = {"max_gap": 5, "min_coverage": 0.5}

    def check_corpus(self, cables: list[CableFacts],
                     options: Mapping[str, Any]) -> Iterator[CorpusDiagnostic]:
        groups: dict[tuple[str, int], dict[int, CableFacts]] = defaultdict(dict)
        for item in cables:
            key = item.station_year_serial
            if key is not None:
                groups[key[:2]].setdefault(key[2], item)
        for (station, year), serials in sorted(groups.items()):
            numbers = sorted(serials)
            if len(numbers) < 3:
                continue
            if len(numbers) / (numbers[-1] - numbers[0] + 1) < float(options["min_coverage"]):
                continue
            for before, after in zip(numbers, numbers[1:], strict=False):
                missing = after - before - 1
                if 0 < missing <= int(options["max_gap"]):
                    span = f"{before + 1}" if missing == 1 else f"{before + 1}-{after - 1}"
                    item = serials[after]
                    yield CorpusDiagnostic(
                        item.path, item.mrn_place,
                        f"{station} {year:02d}: serial{'s' * (missing > 1)} {span} "
                        f"{'are' if missing > 1 else 'is'} missing between {before} and {after}")


class ReferenceMissing(CorpusRule):
    """A cable references an MRN of a post and year this corpus collects, but the corpus
    lacks that cable: a gap a researcher following the thread will hit. A post and year count
    as collected when at least ``min_cables`` other cables of the corpus are of them (a cable
    alone does not make its post-year a collection).

    Failing:
        `Reference: A) 18 Mexico 307` where the corpus holds other 18 MEXICO cables, not 307.
    Passing:
        the corpus holds `18 MEXICO 307`; or it holds no other MEXICO cable of 2018.
    """

    code = "K004"
    name = "reference-missing"
    severity = "info"
    summary = "A referenced MRN of a post-year the corpus collects is not in the corpus"
    options: ClassVar[Mapping[str, Any]] = {"min_cables": 1}

    def check_corpus(self, cables: list[CableFacts],
                     options: Mapping[str, Any]) -> Iterator[CorpusDiagnostic]:
        held = {c.mrn for c in cables if c.mrn}
        per_post_year: dict[tuple[str, int], int] = defaultdict(int)
        owns = [c.station_year_serial for c in cables]  # read once: a property that parses
        for key in owns:
            if key is not None:
                per_post_year[key[:2]] += 1
        need = int(options["min_cables"])
        for item, own in zip(cables, owns, strict=True):
            for mrn, place in item.references:
                year, _, rest = mrn.partition(" ")
                post_year = (rest.rpartition(" ")[0], int(year))
                others = per_post_year.get(post_year, 0) - (own is not None
                                                            and own[:2] == post_year)
                if mrn not in held and others >= need:
                    yield CorpusDiagnostic(item.path, place,
                                           f"references {mrn}, which this corpus lacks")


CORPUS_RULES: tuple[type[CorpusRule], ...] = (DuplicateMrn, DuplicateCable, MrnGap,
                                              ReferenceMissing)


def run_corpus_rules(cables: list[CableFacts], rules: list[tuple[type[Rule], str, dict[str, Any]]]
                     ) -> list[Finding]:
    """Findings of the selected corpus rules (rule, severity, options)."""
    findings = []
    occurrences: dict[tuple[str, str, str], int] = defaultdict(int)
    for rule, severity, options in rules:
        assert issubclass(rule, CorpusRule)
        for diag in rule().check_corpus(cables, options):
            place = diag.place or Place(1, 1, "")
            key = (rule.code, diag.path, place.matched)
            index = occurrences[key]
            occurrences[key] += 1
            findings.append(Finding(
                diag.path, place.line, place.column, place.line, place.column, rule.code,
                rule.name, severity, diag.message, None,
                make_fingerprint(rule.code, place.matched, index)))
    return findings
