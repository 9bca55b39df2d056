"""Property tests (hypothesis) for the parsers and the cable rules (MISSION).

1. Robustness: parsing and linting never raise, on arbitrary text and bytes and on texts
   built from cable-like fragments (where parsers break).
2. Generators of well-formed cables, one per format (classic telegram, SMART cable, telegram
   in a web page's ``<pre>``): a well-formed cable yields none of the MISSION rules, and the
   parser reads back what the generator wrote.
3. Mutations: exactly one defect is introduced (renumbered paragraph, dropped marking,
   dropped required header line, DTG day changed, OCR-confused post name, two digits of the
   E.O. number swapped, another post in the classification line); the matching rule
   fires at the mutated line (for web pages: inside the mutated line's span in the page) and
   no other mission rule fires. Also: a relettered subparagraph is P001 at its line, a
   missing header line does not cost the body, line numbers count "\n" only, and a
   pdftotext form-feed page break does not hide a paragraph.

A bug found here that cannot be fixed at once is pinned by an ``xfail(strict=True)`` test
that fails on every example while the bug is there. None is left: the bugs found so far are
fixed, and their narrow tests below are regressions. ``CABLELINT_PROPERTY_SCALE=10`` runs
ten times as many examples. The generators live in this file (not a shared module) so that
the file is self-contained.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html as html_lib
import os
import re
import textwrap
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from cablelint.config import Settings
from cablelint.engine import Finding
from cablelint.parse import parse_bytes, parse_text
from cablelint.runner import lint_bytes

MISSION = ("P001", "M001", "H001", "H002", "H003", "H004", "H005", "D001", "T001", "C001",
           "C002", "C003", "R001", "R002")
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

# CABLELINT_PROPERTY_SCALE=10 runs ten times as many examples (a thorough search).
SCALE = float(os.environ.get("CABLELINT_PROPERTY_SCALE", "1"))
FAST = settings(max_examples=int(60 * SCALE), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Narrow regressions of bugs this file found (each now fixed).
SMALL = settings(max_examples=int(20 * SCALE), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ROBUST = settings(max_examples=int(200 * SCALE), deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# =============================================================================================
# 1. Robustness
# =============================================================================================

FRAGMENTS = [
    "1. (SBU) x", "¶2.", "¶", "&para;3.", "\ufffd4.", "12.", "1.4 (b) and (d)", "A. ", "(1) ",
    "(a) ", "(C) ", "(C NF) ", "( C )", "C) ", "SBU/N) ", "(S//NF) ", "(C - ENTIRE TEXT) ",
    "P 262103Z FEB 07", "O O 041125Z MAR 75", "R 251346 Z JUN 7 3", "P 320000Z FEB 07",
    "P 290000Z FEB 07", "P 012400Z XYZ 07", "262103Z", "Z ",
    "**MRN:** 20 MEXICO 368", "**MRN:**", "**Date/DTG:** Feb 05, 2020 / 052045Z FEB 20",
    "**Date/DTG:** Feb 30, 2020 / 300000Z Feb 20", "**From:** AMEMBASSY MEXICO",
    "**Action:** WASHDC, SECSTATE *ROUTINE*", "**E.O.:** 13526", "**TAGS:** PGOV, PREL, MX",
    "**Subject:** x", "**Signature:** LANDAU", "**Drafted By:** MEXICQ (b)(6)",
    "**Sent:** Wednesday, February 05, 2020 3:50 PM", "**Sent:** Friday, February 31, 2020",
    "<b>From:</b>\t(b)(6)", "<b>Date:</b>\tSun, 9 Feb 2020 15:14:29 -0500",
    "| **MRN:** | 23 MEXICO 2544 |", "| **TAGS:** |", "### **(SBU) Heading**", "### ", "**",
    "<pre>", "</pre>", "<PRE class='x'>", "&#x000A;", "&#10;", "&#xFFFFFFFF;", "&#0;",
    "&#x110000;", "&amp;", "&bogus;", "<a href='/date/1975-03_0.html'>1975-03-04 11:11</a>",
    "<a href='/classification/1_0.html'>CONFIDENTIAL</a>", "<a href='/date/x'>x</a>",
    "<a id='par1' href='#par1'>¶</a>1.", "<", ">", "TAGS:", "TAGS: PGOV PREL XX", "TAGE: X",
    "E.O. 12958: N/A", "E.0. 12958", "EO 12958", "SUBJECT:", "SUBJECT: X", "REF: STATE 1",
    "SUBJ: X", "Classified By: x", "VZCZCXYZ0014", "DE RUEHBO #1339 0572103",
    "DE RUEHBO #1339 9992103", "ZNR UUUUU ZZH", "BT", "FM AMEMBASSY BOGOTA", "FM ",
    "TO SECSTATE WASHDC", "INFO RUEHFR/AMEMBASSY PARIS 1032", "UNCLAS BOGOTA 001339",
    "CONFIDENTIAL PARIS 000042", "C O N F I D E N T I A L SECTION 1 OF 2 TEHRAN 2069",
    "UNCLASSIFIED", "SENSITIVE BUT UNCLASSIFIED", "Official - SBU", "SIPDIS",
    "This record is a partial extract of the original cable.", "@@@", "@@@@@",
    "PAGE 02 MOSCOW 13169 01 OF 02 301754Z", "Page 1 of 3", "## Page 2", "-------", "NNNN",
    "RELEASED IN FULL", "as follows:", "QTE", "UNQTE", "Tuesday, 4 March 1975, 11:11",
    "MEXICQ", "AMEMBASSV", "B0GOTA", "rnEXICO", "|", "0", "9999", "999.", "  ", "\t", "\n",
    "\n\n", "\r\n", "\r", "\x00", "\ufeff", "\x0c", "\x0b", "\x85", "\u2028", "\u2029",
    "\x1c", "\u200b", "\ud7ff", "é", "ß", "İ", "\u0130", "ﬁ", "Ⅻ", "٣", "１.",
]


def cable_like_texts() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(FRAGMENTS),
        st.sampled_from(FRAGMENTS),
        st.text(max_size=6),
        st.from_regex(r"[0-9]{1,3}\.", fullmatch=True),
    )
    sep = st.sampled_from(["", "\n", "\n", " ", "\r\n", "&#x000A;", "\n\n"])
    return st.lists(st.tuples(piece, sep), max_size=40).map(
        lambda parts: "".join(p + s for p, s in parts))


def _check_findings(findings: list[Finding], text: str) -> None:
    """Findings are well formed and point inside the file (lines count "\n" only)."""
    lines = max(1, text.count("\n") + 1)
    for f in findings:
        assert isinstance(f.code, str) and f.code
        assert f.line >= 1 and f.column >= 1, f
        assert f.line <= lines + 1, (f, lines)
        assert (f.end_line, f.end_column) >= (f.line, f.column), f


def _exercise_text(text: str) -> None:
    cable = parse_text("x.txt", text)
    assert cable.format in ("smart", "telegram", "html", "historylab", "unknown")
    for p in cable.paragraphs:
        assert 0 <= p.start <= p.number_start <= p.number_end <= len(cable.text)
    for f in cable.fields:
        assert 0 <= f.start <= f.end <= len(cable.text)
    data = text.encode("utf-8", "surrogatepass")
    cable_b = parse_bytes("x.txt", data)
    assert cable_b.format in ("smart", "telegram", "html", "historylab", "unknown")
    findings = lint_bytes("x.txt", data, Settings())
    _check_findings(findings, cable_b.decoded.text if cable_b.decoded else text)


@ROBUST
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    _exercise_text(text)


@ROBUST
@given(st.binary())
def test_never_raises_on_arbitrary_bytes(data):
    cable = parse_bytes("x.txt", data)
    assert cable.format in ("smart", "telegram", "html", "historylab", "unknown")
    findings = lint_bytes("x.txt", data, Settings())
    _check_findings(findings, cable.decoded.text if cable.decoded else "")
    for suffix in (".html", ".md"):
        lint_bytes("x" + suffix, data, Settings())


@ROBUST
@given(cable_like_texts())
def test_never_raises_on_cable_like_fragments(text):
    _exercise_text(text)


@ROBUST
@given(cable_like_texts(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
def test_never_raises_on_cable_like_fragments_in_any_encoding(text, encoding):
    data = text.encode(encoding, "replace")
    cable = parse_bytes("x.txt", data)
    findings = lint_bytes("x.txt", data, Settings())
    _check_findings(findings, cable.decoded.text if cable.decoded else "")


@FAST
@given(cable_like_texts())
def test_never_raises_inside_a_web_page(text):
    page = "<html><body><code><pre>" + text + "</pre></code></body></html>"
    _exercise_text(page)
    _exercise_text("<pre>" + text)  # no closing tag
    _exercise_text(text + "</pre>")


# =============================================================================================
# 2. Generators of well-formed cables
# =============================================================================================

@dataclass(frozen=True)
class Post:
    name: str  # as in FM lines and classification lines
    routing: str  # DE line routing indicator
    country: str  # country TAGS code
    title: str  # mixed case, for SMART subjects


POSTS = [
    Post("MEXICO", "RUEHME", "MX", "Mexico"),
    Post("BOGOTA", "RUEHBO", "CO", "Colombia"),
    Post("PARIS", "RUEHFR", "FR", "France"),
    Post("MADRID", "RUEHMD", "SP", "Spain"),
    Post("KABUL", "RUEHBUL", "AF", "Afghanistan"),
    Post("TEHRAN", "RUQMHR", "IR", "Iran"),
    Post("LONDON", "RUEHLO", "UK", "United Kingdom"),
    Post("MOSCOW", "RUEHMO", "RS", "Russia"),
    Post("ROME", "RUEHRO", "IT", "Italy"),
    Post("OTTAWA", "RUEHOT", "CA", "Canada"),
    Post("LIMA", "RUEHPE", "PE", "Peru"),
    Post("QUITO", "RUEHQT", "EC", "Ecuador"),
    Post("BRASILIA", "RUEHBR", "BR", "Brazil"),
    Post("CARACAS", "RUEHCV", "VE", "Venezuela"),
    Post("MANAGUA", "RUEHMU", "NU", "Nicaragua"),
    Post("BERLIN", "RUEHRL", "GM", "Germany"),
    Post("ANKARA", "RUEHAK", "TU", "Turkey"),
    Post("TOKYO", "RUEHKO", "JA", "Japan"),
    Post("VIENNA", "RUEHVI", "AU", "Austria"),
    Post("LISBON", "RUEHLI", "PO", "Portugal"),
    Post("LA PAZ", "RUEHLP", "BL", "Bolivia"),
]
INFO_POSTS = ["PARIS", "MADRID", "LONDON", "BRASILIA", "CARACAS", "QUITO", "LIMA", "ROME"]
SUBJECT_TAGS = ["PGOV", "PREL", "PHUM", "PTER", "ECON", "EFIN", "ETRD", "SNAR", "MARR", "PINR",
                "ASEC", "ENRG", "EAID", "ELAB", "SOCI", "PARM", "MOPS", "CVIS", "CASC"]
SURNAMES = ["BROWNFIELD", "WOOD", "HELMS", "GARZA", "WAYNE", "STAPLETON", "BURNS", "AGUIRRE",
            "LANDAU", "SULLIVAN", "JACKSON", "HARRISON", "MCKINLEY", "PASCUAL", "TUTTLE"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Ordinary words of cable prose. Deliberately absent: classification words (a wrapped line
# holding only SECRET is a banner), quote cues (AS FOLLOWS, QTE, TEXT OF), single letters,
# anything with digits, and words one OCR confusion away from a post name.
VOCABULARY = """
the government minister ministry embassy officials political economic party election
reform support president congress policy trade agreement discussed noted said would
could meeting ambassador national regional foreign affairs press reports opposition
leaders cooperation bilateral assistance program continue expected public interest
concern issue visit delegation and of to in on for with by is was has have been not its
their we he they that which will also more over after before during between under
prime deputy director senior working group council committee commission court judge
police army forces border region province capital city country people citizens
farmers workers business investment budget spending growth inflation exports imports
energy oil gas water health education security rights justice law decree proposal
plan strategy process talks negotiations pressure reaction response position view
statement comment analysis summary told asked agreed rejected announced expressed
confirmed stressed welcomed criticized promised planned proposed approved signed
strong weak new recent current future early late important serious difficult
likely possible clear significant broad limited direct close full active local
""".split()  # noqa: SIM905


def _sentence(words: list[str], upper: bool) -> str:
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    return (text.upper() if upper else text) + "."


def sentences(upper: bool, min_words: int = 4, max_words: int = 16) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(VOCABULARY), min_size=min_words, max_size=max_words).map(
        lambda ws: _sentence(ws, upper))


def paragraph_texts(upper: bool) -> st.SearchStrategy[str]:
    return st.lists(sentences(upper), min_size=1, max_size=3).map(" ".join)


@st.composite
def dates(draw, first: int = 1974, last: int = 2009) -> dt.date:
    year = draw(st.integers(first, last))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return dt.date(year, month, day)


@dataclass(frozen=True)
class Para:
    number: int
    line: int  # index into GenCable.lines of the numbered line
    num_col: int  # offset of the number within that line
    mark: str | None  # the marking as written, e.g. "(C)"
    mark_col: int  # offset of the marking within the line (-1 without marking)


@dataclass(frozen=True)
class Sub:
    label: str  # as written: "A.", "(1)", "(a)"
    style: str  # letter. | (digit) | (letter)
    ordinal: int
    line: int
    col: int


def sub_label(style: str, ordinal: int) -> str:
    if style == "letter.":
        return f"{chr(64 + ordinal)}."
    if style == "(digit)":
        return f"({ordinal})"
    return f"({chr(96 + ordinal)})"


@dataclass
class GenCable:
    """A generated cable: logical lines plus where its parts are.

    For web pages ``lines`` are the lines of the telegram inside the ``<pre>`` blocks, with
    the page's markup; :func:`render` joins them with ``&#x000A;`` and wraps them in a page.
    """

    fmt: str  # telegram | smart | html
    lines: list[str]
    fields: dict[str, int]  # required field name -> line index
    paras: list[Para]
    date: dt.date
    dtg_line: int
    dtg_day_col: int  # offset of the DTG's two day digits in its line
    de_julian: int | None  # Julian day on the DE line (None without DE line)
    post: Post
    post_cols: dict[int, int] = field(default_factory=dict)  # line index -> post name offset
    classified: bool = False
    upper: bool = True
    newline: str = "\n"
    bom: bool = False
    # web pages
    page_head: str = ""
    page_tail: str = ""
    split: int | None = None  # index of the first line of the second <pre> block
    wl_date: bool = False
    pre_newline: str = "&#x000A;"
    encoding: str = "utf-8"
    field_len: dict[str, int] = field(default_factory=dict)  # lines of multi-line fields
    subs: list[Sub] = field(default_factory=list)
    envelope: tuple[dt.date, ...] = ()  # Sent and e-mail Date of a released SMART cable
    # Header lines that start a field (required or not), with the fields they start.
    starts: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def copy(self, **changes) -> GenCable:
        return replace(self, lines=list(self.lines), fields=dict(self.fields),
                       paras=list(self.paras), post_cols=dict(self.post_cols),
                       field_len=dict(self.field_len), subs=list(self.subs),
                       starts=dict(self.starts), **changes)


TELEGRAM_ORDER = ["DTG", "FM", "TO", "CLASSIFICATION", "EO", "TAGS", "SUBJECT"]
SMART_ORDER = ["MRN", "DATE_DTG", "FROM", "ACTION", "EO", "TAGS", "SUBJECT"]


def _eo_line(date: dt.date, classified: bool, draw) -> str:
    y = date.year
    if y < 1978 or (y == 1978 and date.month < 7):
        return "E.O. 11652: GDS" if classified else "E.O. 11652: N/A"
    if y < 1982 or (y == 1982 and date.month < 8):
        decl = date.replace(year=y + 6, day=min(date.day, 28))
        return (f"E.O. 12065: GDS {decl.month}/{decl.day}/{decl.year % 100:02d}"
                if classified else "E.O. 12065: N/A")
    if y < 1995 or (y == 1995 and date.month < 10):
        return "E.O. 12356: DECL: OADR" if classified else "E.O. 12356: N/A"
    if classified:
        decl = date.replace(year=y + 10, day=min(date.day, 28))
        return f"E.O. 12958: DECL: {decl.month:02d}/{decl.day:02d}/{decl.year}"
    return "E.O. 12958: N/A"


MARKS = {
    "UNCLAS": ["(U)", "(SBU)"],
    "LIMITED OFFICIAL USE": ["(U)", "(SBU)", "(LOU)"],
    "CONFIDENTIAL": ["(C)", "(U)", "(SBU)", "(C//NF)", "(C/NF)"],
    "SECRET": ["(S)", "(C)", "(U)", "(S//NF)", "(S/NF)", "(S//REL UK)"],
}
SPACED = {"CONFIDENTIAL": "C O N F I D E N T I A L", "SECRET": "S E C R E T",
          "UNCLAS": "UNCLAS", "LIMITED OFFICIAL USE": "LIMITED OFFICIAL USE"}


@st.composite
def telegrams(draw, *, de_line: bool | None = None, for_html: bool = False,
              all_marked: bool | None = None, min_paras: int = 1,
              posts: list[Post] | None = None, subparagraphs: bool | None = None) -> GenCable:
    """A classic ACP-127 telegram as Cablegate and CFPF print it."""
    post = draw(st.sampled_from(posts or POSTS))
    date = draw(dates())
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    upper = date.year < 1995 or draw(st.booleans())
    level = draw(st.sampled_from(["UNCLAS", "UNCLAS", "CONFIDENTIAL", "SECRET",
                                  "LIMITED OFFICIAL USE"]))
    classified = level in ("CONFIDENTIAL", "SECRET")
    number = draw(st.integers(100, 9999))
    trail = draw(st.sampled_from(["", " "]))  # Cablegate lines end with a space
    lines: list[str] = []
    fields: dict[str, int] = {}
    post_cols: dict[int, int] = {}
    starts: dict[int, tuple[str, ...]] = {}

    def start(*names: str) -> None:
        starts[len(lines)] = names
        for name in names:
            if name in TELEGRAM_ORDER:
                fields[name] = len(lines)

    # -- routing header -------------------------------------------------------------------
    if draw(st.booleans()):
        lines.append(f"VZCZCXYZ{draw(st.integers(0, 9999)):04d}")
        if draw(st.booleans()):
            routes = draw(st.lists(st.sampled_from([p.routing for p in POSTS]), min_size=1,
                                   max_size=14, unique=True))
            prec2 = draw(st.sampled_from(["PP", "RR", "OO"]))
            lines += [f"{prec2 if i == 0 else ''} {' '.join(routes[i:i + 7])}".strip()
                      for i in range(0, len(routes), 7)]
    de_julian = None
    if de_line if de_line is not None else draw(st.booleans()):
        doy = date.timetuple().tm_yday
        days = 366 if calendar.isleap(date.year) else 365
        # 'late': sent past midnight, at 00:12 the next day; not after a DTG within an hour of
        # 00:12 (a DE line a day on at the DTG's own hour is a mistyped day: D001, recall9)
        late = draw(st.integers(0, 1)) if hour * 60 + minute > 72 else 0
        de_julian = (doy - 1 + late) % days + 1
        hhmm = f"{(hour + draw(st.integers(0, 3))) % 24:02d}{minute:02d}" if not late else "0012"
        part = draw(st.sampled_from(["", "", "/01"]))
        start("DE")
        lines.append(f"DE {post.routing} #{number % 10000:04d}{part} {de_julian:03d}{hhmm}")
        if draw(st.booleans()):
            lines.append("ZNY CCCCC ZZH" if classified else "ZNR UUUUU ZZH")
    prec = draw(st.sampled_from(["P", "R", "O", "Z", "O O"]))
    start("DTG")
    dtg_day_col = len(prec) + 1
    lines.append(f"{prec} {date.day:02d}{hour:02d}{minute:02d}Z {MONTHS[date.month - 1]} "
                 f"{date.year % 100:02d}{trail}")
    start("FM")
    post_cols[len(lines)] = len("FM AMEMBASSY ")
    lines.append(f"FM AMEMBASSY {post.name}{trail}")
    start("TO")
    to = draw(st.sampled_from(["TO SECSTATE WASHDC {p} {n}", "TO RUEHC/SECSTATE WASHDC {p} {n}",
                               "TO SECSTATE WASHDC {n}"]))
    lines.append(to.format(p=draw(st.sampled_from(["PRIORITY", "IMMEDIATE", "ROUTINE"])),
                           n=draw(st.integers(1, 9999))) + trail)
    infos = draw(st.lists(st.sampled_from([p for p in INFO_POSTS if p != post.name]),
                          max_size=3, unique=True))
    for i, info in enumerate(infos):
        routing = next(p.routing for p in POSTS if p.name == info)
        if i == 0:
            start("INFO")
        lines.append(f"{'INFO ' if i == 0 else ''}{routing}/AMEMBASSY {info} "
                     f"{draw(st.integers(1, 9999))}{trail}")
    if draw(st.booleans()) and not for_html:
        lines.append("BT")
    split = len(lines)
    # -- classification line and header fields ---------------------------------------------
    written = SPACED[level] if upper and draw(st.booleans()) else level
    doc = f"{number:06d}" if date.year >= 1990 else str(number)
    section = " SECTION 01 OF 01" if draw(st.integers(0, 5)) == 0 else ""
    start("CLASSIFICATION")
    post_cols[len(lines)] = len(f"{written}{section} ")
    lines.append(f"{written}{section} {post.name} {doc}{trail}")
    # NOFORN portions only under a NOFORN line (marking-exceeds-banner)
    noforn = classified and draw(st.booleans())
    if noforn:
        lines += [trail, f"NOFORN{trail}"]
    marks = MARKS[level] if noforn else [m for m in MARKS[level] if "NF" not in m]
    if draw(st.booleans()):
        lines += [trail, f"SIPDIS{trail}", trail]
    if draw(st.integers(0, 3)) == 0:  # passing instructions
        lines += [f"{draw(st.sampled_from(['DEPT FOR', 'DEPARTMENT FOR', 'PASS TO']))} "
                  f"{draw(st.sampled_from(['WHA/AND', 'EUR/WE', 'INL', 'DRL/MLGA', 'USTR']))}"
                  f"{trail}", trail]
    eo = _eo_line(date, classified, draw)
    tags = draw(st.lists(st.sampled_from(SUBJECT_TAGS), min_size=1, max_size=4, unique=True))
    tag_sep = draw(st.sampled_from([" ", " ", ", "]))
    if for_html:
        tags_line = "TAGS: " + tag_sep.join(
            f"<a href='/tag/{t}_0.html'>{t}</a>" for t in [*tags, post.country])
    else:
        tags_line = f"TAGS: {tag_sep.join([*tags, post.country])}"
    if draw(st.integers(0, 7)) == 0:  # run together by extraction: "E.O. 12958: N/A TAGS: ..."
        start("EO", "TAGS")
        lines.append(f"{eo} {tags_line}{trail}")
    else:
        start("EO")
        lines.append(eo + trail)
        start("TAGS")
        lines.append(tags_line + trail)
    subject = draw(st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=16))
    subject_mark = ""
    if draw(st.booleans()):
        subject_mark = draw(st.sampled_from(marks)) + " "
    topic = draw(st.sampled_from(["", "", f"{post.title.upper()}: ", f"{post.title.upper()} - "]))
    subject_lines = textwrap.wrap(f"SUBJECT: {subject_mark}{topic}{' '.join(subject).upper()}",
                                  width=draw(st.integers(55, 70)))
    start("SUBJECT")
    lines += [s + trail for s in subject_lines]  # a long subject goes on over lines
    field_len = {"SUBJECT": len(subject_lines)}
    refs = draw(st.integers(0, 3))
    if refs and draw(st.booleans()):
        lines.append(trail)
    if refs:
        start("REF")
    if refs == 1:
        lines.append(f"REF: STATE {draw(st.integers(1, 99999))}{trail}")
    elif refs > 1:
        lines.append(f"REF: A. STATE {draw(st.integers(1, 99999))}{trail}")
        lines += [f"     {chr(65 + i)}. {post.name} {draw(st.integers(1, 9999))}{trail}"
                  for i in range(1, refs)]
    lines.append(trail)
    if classified and date.year >= 2000 and draw(st.booleans()):
        by = (f"Classified By: {draw(st.sampled_from(['Ambassador', 'DCM', 'Polcouns']))} "
              f"{draw(st.sampled_from(SURNAMES)).title()}")
        reasons = draw(st.sampled_from(["1.4 (b) and (d)", "1.4(b) and (d)", "1.4 (b, d)"]))
        start("CLASSIFIED_BY")
        if draw(st.booleans()):
            lines += [f"{by}, for reasons {reasons}{trail}", trail]
        else:  # wrapped
            lines += [f"{by}{trail}", f"for reasons {reasons}.{trail}", trail]
    if draw(st.integers(0, 3)) == 0:
        lines += [f"-------{trail}", f"{'SUMMARY' if upper else 'Summary'}{trail}",
                  f"-------{trail}", trail]
    # -- body -------------------------------------------------------------------------------
    if all_marked is None:
        all_marked = classified or draw(st.booleans())
    width = draw(st.sampled_from([draw(st.integers(55, 70)), 2000]))  # 2000: one line each
    sign = draw(st.sampled_from(["", "", "¶", "\ufffd", "anchor" if for_html else "¶"]))
    spacing = draw(st.sampled_from([" ", "  "]))
    paras: list[Para] = []
    subs: list[Sub] = []
    count = draw(st.integers(min_paras, 7))
    # A page header of an OCR'd telegram, once, after some body line.
    page_break = draw(st.one_of(st.none(), st.integers(0, 20)))
    body_lines = 0

    def emit(text_lines: list[str]) -> None:
        nonlocal body_lines, page_break
        for t in text_lines:
            lines.append(t + trail)
            body_lines += 1
            if page_break is not None and body_lines > page_break:
                page_break = None
                lines.append(f"PAGE 02 {post.name} {number:06d} 01 OF 02 "
                             f"{date.day:02d}{hour:02d}{minute:02d}Z{trail}")

    for n in range(1, count + 1):
        if n > 1 and draw(st.integers(0, 4)) == 0:  # a section heading between paragraphs
            words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6))
            lines += [" ".join(words).upper() + trail, trail]
        mark = draw(st.sampled_from(marks)) if all_marked else None
        prefix = (f"<a id='par{n}' href='#par{n}'>¶</a>" if sign == "anchor" else sign)
        body = draw(paragraph_texts(upper))
        head = f"{n}.{spacing}" + (f"{mark} " if mark else "")
        wrapped = textwrap.wrap(head + body, width=width, break_long_words=False,
                                break_on_hyphens=False)
        num_col = len(prefix)
        mark_col = num_col + len(f"{n}.{spacing}") if mark else -1
        paras.append(Para(n, len(lines), num_col, mark, mark_col))
        emit([prefix + wrapped[0]] + wrapped[1:])
        lines.append(trail)
        if draw(st.integers(0, 5)) == 0:  # a list of dashed items
            for _ in range(draw(st.integers(1, 3))):
                emit(textwrap.wrap(f"- {draw(sentences(upper))}", width=width))
                lines.append(trail)
        if (subparagraphs and n == 1) or draw(st.integers(0, 3)) == 0:
            # subparagraphs A. B. C. / (1) (2) / (a) (b)
            style = draw(st.sampled_from(["letter.", "(digit)", "(letter)"]))
            indent = draw(st.sampled_from(["", "", "  ", "-- "]))
            for j in range(1, draw(st.integers(2, 4)) + 1):
                label = sub_label(style, j)
                subs.append(Sub(label, style, j, len(lines), len(indent)))
                emit(textwrap.wrap(f"{indent}{label} {draw(paragraph_texts(upper))}",
                                   width=width, break_long_words=False,
                                   break_on_hyphens=False))
                lines.append(trail)
    lines.append(draw(st.sampled_from(SURNAMES)) + trail)
    if not for_html and draw(st.integers(0, 3)) == 0:
        lines += ["", "NNNN"]
    encoding = "utf-8"
    if not for_html and sign != "\ufffd" and draw(st.booleans()):
        encoding = "cp1252"  # old Windows extractions: 0xB6 is the paragraph sign
    return GenCable(
        "html" if for_html else "telegram", lines, fields, paras, date, fields["DTG"],
        dtg_day_col, de_julian, post, post_cols, classified, upper,
        newline=draw(st.sampled_from(["\n", "\n", "\r\n"])) if not for_html else "\n",
        bom=draw(st.booleans()) if not for_html and encoding == "utf-8" else False,
        split=split, encoding=encoding, field_len=field_len, subs=subs, starts=starts,
    )


@st.composite
def web_pages(draw, *, de_line: bool | None = None, wl_date: bool | None = None,
              all_marked: bool | None = None, min_paras: int = 1,
              posts: list[Post] | None = None, subparagraphs: bool | None = None) -> GenCable:
    """A telegram inside a CFPF/Cablegate web page: ``<pre>`` blocks, ``&#x000A;`` line
    ends, TAGS as links, optional paragraph-sign anchors and page metadata."""
    cable = draw(telegrams(de_line=de_line, for_html=True, all_marked=all_marked,
                           min_paras=min_paras, posts=posts, subparagraphs=subparagraphs))
    year2 = cable.date.year % 100
    # The reference id names the post and the serial of the classification line.
    serial = int(re.findall(r"\d+", cable.lines[cable.fields["CLASSIFICATION"]])[-1])
    ref = f"{year2:02d}{cable.post.name.replace(' ', '')}{serial}"
    dtg_line = cable.lines[cable.dtg_line]
    hh, mm = int(dtg_line[cable.dtg_day_col + 2:][:2]), int(dtg_line[cable.dtg_day_col + 4:][:2])
    level = next(w for w in ("CONFIDENTIAL", "SECRET", "LIMITED OFFICIAL USE", "UNCLAS")
                 if w in cable.lines[cable.fields["CLASSIFICATION"]].replace(" ", "")
                 or w in cable.lines[cable.fields["CLASSIFICATION"]])
    wl = draw(st.booleans()) if wl_date is None else wl_date
    head = [
        "<?xml version='1.0' encoding='utf-8' ?>",
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
        "<html lang='en' xml:lang='en' xmlns='http://www.w3.org/1999/xhtml'>",
        "<head>", "<title>Cable Viewer</title>", "</head>", "<body>", "<div class='main'>",
        f"<h3>Viewing cable {ref}, {html_lib.escape(cable.lines[cable.fields['SUBJECT']][9:])}"
        "</h3>",
    ]
    if wl:
        created = f"{cable.date.isoformat()} {hh:02d}:{mm:02d}"
        head += [
            "<table class='cable'>",
            "<tr>", "<th>Reference ID</th>", "<th>Created</th>", "<th>Released</th>",
            "<th>Classification</th>", "<th>Origin</th>", "</tr>", "<tr>",
            "<td>", f"<a href='/cable/{cable.date.year}/{cable.date.month:02d}/{ref}.html'>"
            f"{ref}</a>", "</td>",
            "<td>", f"<a href='/date/{cable.date.year}-{cable.date.month:02d}_0.html'>"
            f"{created}</a>", "</td>",
            "<td>", "<a href='/reldate/2010-11-30_0.html'>2010-11-30 16:04</a>", "</td>",
            "<td>", f"<a href='/classification/1_0.html' title='x'>"
            f"{'UNCLASSIFIED' if level == 'UNCLAS' else level}</a>", "</td>",
            "<td>", f"<a href='/origin/17_0.html'>Embassy {cable.post.name.title()}</a>", "</td>",
            "</tr>", "</table>",
        ]
    tail = ["</div>", "</body>", "</html>", ""]
    split = cable.split if draw(st.booleans()) else None
    return cable.copy(page_head="\n".join(head) + "\n", page_tail="\n" + "\n".join(tail),
                      split=split, wl_date=wl,
                      pre_newline=draw(st.sampled_from(["&#x000A;", "&#x000A;", "&#10;", "\n"])))


@st.composite
def smart_cables(draw, *, envelope: bool | None = None, min_paras: int = 1,
                 headings: bool | None = None, all_marked: bool = True,
                 references: int | None = None) -> GenCable:
    """A SMART cable as a FOIA release carries it (optionally inside the released e-mail)."""
    post = draw(st.sampled_from(POSTS))
    date = draw(dates())
    placeholder = draw(st.integers(0, 3)) == 0
    hour, minute = (0, 0) if placeholder else (draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    classified = draw(st.booleans())
    level = "CONFIDENTIAL" if classified else "UNCLASSIFIED"
    # NOFORN portions only under Captions NOFORN (marking-exceeds-banner)
    noforn = classified and draw(st.booleans())
    marks = (["(C)", "(U)", "(SBU)", "(C//NF)"][: 4 if noforn else 3] if classified
             else ["(SBU)", "(U)"])
    br = draw(st.sampled_from(["", "  "]))  # Markdown hard line break
    lines: list[str] = []
    envelope_dates: tuple[dt.date, ...] = ()
    # The cable's subject; the SMART Core e-mail and its forward carry the same one.
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=9))
    subj = f"{post.title}: {_sentence(words, False)[:-1]}"
    if envelope if envelope is not None else draw(st.booleans()):
        sent = date + dt.timedelta(days=draw(st.integers(0, 1)))
        mailed = sent + dt.timedelta(days=draw(st.integers(0, 4)))
        envelope_dates = (sent, mailed)
        lines += [
            "", "",
            "<b>From:</b>\t(b)(6)",
            "<b>To:</b>\t",
            f"<b>Subject:</b>\tFW: {subj}",
            f"<b>Date:</b>\t{WEEKDAYS[mailed.weekday()][:3]}, {mailed.day} "
            f"{MONTHS[mailed.month - 1].title()} {mailed.year} 15:14:29 -0500",
            "",
            "Official - SBU  " if not classified else "CONFIDENTIAL",
            level, "", "---", "",
            f"**From:** SMART Core{br}",
            f"**Sent:** {WEEKDAYS[sent.weekday()]}, {MONTH_NAMES[sent.month - 1]} "
            f"{sent.day:02d}, {sent.year} 3:50 PM{br}",
            f"**Cc:** (b)(6){br}",
            f"**Subject:** {subj}",
            "",
            f"**{level}**{br}",
            "SBU" if not classified else "",
            "", "",
            "**Info Office:** SHR\\_DIR",
            "", "---", "",
        ]
    else:
        lines += [f"# {level}", ""]
    fields: dict[str, int] = {}
    post_cols: dict[int, int] = {}
    # header as a Markdown table (PDF transcriptions)
    table = references is None and draw(st.integers(0, 3)) == 0
    if table:
        lines += ["| | |", "|---|---|"]

    starts: dict[int, tuple[str, ...]] = {}

    def header(name: str | None, label: str, value: str) -> str:
        starts[len(lines)] = (name or label.upper(),)
        if name:
            fields[name] = len(lines)
        line = f"| **{label}:** | {value} |" if table else f"**{label}:** {value}{br}"
        lines.append(line)
        return line

    line = header("MRN", "MRN", f"{date.year % 100:02d} {post.name} {draw(st.integers(1, 9999))}")
    post_cols[len(lines) - 1] = line.index(f" {post.name} ") + 1
    mon = MONTHS[date.month - 1]
    dtg_mon = mon.title() if placeholder and draw(st.booleans()) else mon
    stated_day = f"{date.day:02d}" if draw(st.integers(0, 3)) else str(date.day)
    line = header("DATE_DTG", "Date/DTG", f"{mon.title()} {stated_day}, {date.year} / "
                  f"{date.day:02d}{hour:02d}{minute:02d}Z {dtg_mon} {date.year % 100:02d}")
    dtg_day_col = line.index(" / ") + 3
    line = header("FROM", "From", f"AMEMBASSY {post.name}")
    post_cols[len(lines) - 1] = line.index(f"AMEMBASSY {post.name}") + len("AMEMBASSY ")
    precedence = draw(st.sampled_from(["ROUTINE", "PRIORITY", "IMMEDIATE"]))
    header("ACTION", "Action", f"WASHDC, SECSTATE *{precedence}*")
    header("EO", "E.O.", draw(st.sampled_from(["13526", "12958", "N/A"])))
    tags = draw(st.lists(st.sampled_from(SUBJECT_TAGS), min_size=1, max_size=5, unique=True))
    header("TAGS", "TAGS", ", ".join([*tags, post.country]))
    # The marks are drawn first: an unclassified cable's Captions say SENSITIVE exactly when
    # it has SBU portions (caption-marking), and it has none or at least two, so that
    # dropping one marking leaves the caption true.
    count = draw(st.integers(min_paras, 8))
    para_marks = [draw(st.sampled_from(marks)) for _ in range(count)]
    if not classified and para_marks.count("(SBU)") == 1:
        para_marks = ["(U)"] * count
    sbu = "(SBU)" in para_marks
    if noforn:
        header(None, "Captions", "NOFORN")
    elif sbu:
        header(None, "Captions", "SENSITIVE")
    refs = draw(st.integers(0, 3)) if references is None else references
    if refs == 1:
        header(None, "Reference", f"{(date.year - 1) % 100:02d} {post.title} "
                                  f"{draw(st.integers(1, 9999))}")
    elif refs > 1 and not table:
        header(None, "Reference", f"A) {(date.year - 1) % 100:02d} {post.title} "
                                  f"{draw(st.integers(1, 9999))}")
        lines += [f"{chr(65 + i)}) {date.year % 100:02d} {post.title} "
                  f"{draw(st.integers(1, 9999))}{br if i < refs - 1 else br}"
                  for i in range(1, refs)]
    header("SUBJECT", "Subject", subj)
    lines.append("")
    paras: list[Para] = []
    with_headings = draw(st.booleans()) if headings is None else headings
    heading_marks = marks if classified else ["(SBU)" if sbu else "(U)"]
    for n in range(1, count + 1):
        if with_headings and n > 1 and draw(st.booleans()):
            words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6))
            lines += [f"### **{draw(st.sampled_from(heading_marks))} "
                      f"{' '.join(w.title() for w in words)}**", ""]
        mark = para_marks[n - 1]
        body = draw(paragraph_texts(False))
        if n == 1 and draw(st.booleans()):
            body = f"**Summary:** {body} **End summary.**"
        paras.append(Para(n, len(lines), 0, mark, len(f"{n}. ")))
        words = body.split(" ")
        cut = draw(st.integers(0, len(words) - 1))
        if cut >= 3 and draw(st.integers(0, 3)) == 0:
            # A page break inside the paragraph, as PDF transcriptions leave it.
            lines += [f"{n}. {mark} {' '.join(words[:cut])}", "", "",
                      draw(st.sampled_from(["## Page 2", "### Page 2", "Page 2 of 3"])), "",
                      " ".join(words[cut:]), ""]
        else:
            lines += [f"{n}. {mark} {body}", ""]
    name = draw(st.sampled_from(SURNAMES))
    lines.append(f"**Signature:** {name}")
    if draw(st.booleans()):
        lines += ["", f"**Drafted By:** {post.name}:(b)(6)", "**Approved By:** (b)(6)",
                  f"**Released By:** {post.name}:(b)(6)"]
    if not classified and draw(st.booleans()):
        lines += ["", "**SENSITIVE BUT UNCLASSIFIED**"]
    return GenCable("smart", lines, fields, paras, date, fields["DATE_DTG"],
                    dtg_day_col, None, post, post_cols, classified, upper=False,
                    newline=draw(st.sampled_from(["\n", "\n", "\r\n"])), bom=draw(st.booleans()),
                    envelope=envelope_dates, starts=starts)


def cables(**kwargs) -> st.SearchStrategy[GenCable]:
    return st.one_of(telegrams(**kwargs), web_pages(**kwargs), smart_cables(**kwargs))


# -- rendering --------------------------------------------------------------------------------

@dataclass
class Rendered:
    path: str
    data: bytes
    text: str  # with "\n" line ends, as cablelint decodes it
    spans: list[tuple[int, int]]  # per logical line: (start, end) offsets in ``text``


def render(cable: GenCable) -> Rendered:
    spans: list[tuple[int, int]] = []
    if cable.fmt != "html":
        pos = 0
        for line in cable.lines:
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        text = "\n".join(cable.lines) + "\n"
        data = text.replace("\n", cable.newline).encode(cable.encoding)
        if cable.bom:
            data = b"\xef\xbb\xbf" + data
        suffix = ".md" if cable.fmt == "smart" else ".txt"
        return Rendered("cable" + suffix, data, text, spans)
    out = cable.page_head
    blocks = ([cable.lines] if cable.split is None
              else [cable.lines[: cable.split], cable.lines[cable.split :]])
    for block in blocks:
        out += "<code><pre>"
        for i, line in enumerate(block):
            if i:
                out += cable.pre_newline
            spans.append((len(out), len(out) + len(line)))
            out += line
        out += "</pre></code>\n"
    out += cable.page_tail
    return Rendered("cable.html", out.encode("utf-8"), out, spans)


def lint(cable: GenCable) -> tuple[Rendered, list[Finding]]:
    r = render(cable)
    return r, [f for f in lint_bytes(r.path, r.data, Settings()) if f.code in MISSION]


def offset_of(r: Rendered, f: Finding) -> int:
    starts = [0] + [i + 1 for i, c in enumerate(r.text) if c == "\n"]
    return starts[f.line - 1] + f.column - 1


def show(r: Rendered, findings: list[Finding]) -> str:
    numbered = "\n".join(f"{i + 1:4} {line}" for i, line in enumerate(r.text.split("\n")))
    found = "\n".join(f"  {f.code} {f.line}:{f.column} {f.message}" for f in findings)
    return f"--- {r.path}\n{numbered}\n--- findings:\n{found or '  (none)'}"


# =============================================================================================
# 2. Well-formed cables are clean and read back as written
# =============================================================================================

@FAST
@given(telegrams())
def test_well_formed_telegram_is_clean(cable):
    r, findings = lint(cable)
    note(show(r, findings))
    assert findings == []


@FAST
@given(smart_cables())
def test_well_formed_smart_cable_is_clean(cable):
    r, findings = lint(cable)
    note(show(r, findings))
    assert findings == []


@FAST
@given(web_pages())
def test_well_formed_web_page_is_clean(cable):
    r, findings = lint(cable)
    note(show(r, findings))
    assert findings == []


@FAST
@given(cables())
def test_parser_reads_back_what_was_generated(cable):
    r = render(cable)
    note(show(r, []))
    parsed = parse_bytes(r.path, r.data)
    assert parsed.format == cable.fmt
    assert [p.number for p in parsed.paragraphs] == [p.number for p in cable.paras]
    for p, g in zip(parsed.paragraphs, cable.paras, strict=True):
        assert (p.slot.raw or None) == g.mark
        start, end = r.spans[g.line]
        assert start <= _raw_offset(parsed, p.number_start, r) <= end
    parsed_subs = [x for p in parsed.paragraphs for x in p.subparagraphs]
    assert [x.label for x in parsed_subs] == [x.label for x in cable.subs]
    for x, g in zip(parsed_subs, cable.subs, strict=True):
        start, end = r.spans[g.line]
        assert start <= _raw_offset(parsed, x.start, r) <= end
    origin = "smart" if cable.fmt == "smart" else "telegram"
    for name, index in cable.fields.items():
        f = parsed.first(name, origin)
        assert f is not None, name
        start, end = r.spans[index]
        assert start <= _raw_offset(parsed, f.start, r) <= end, name
    assert parsed.date == cable.date


def _raw_offset(parsed, offset: int, r: Rendered) -> int:
    line, col = parsed.locate(offset)
    starts = [0] + [i + 1 for i, c in enumerate(r.text) if c == "\n"]
    return starts[line - 1] + col - 1


# =============================================================================================
# 3. Mutations
# =============================================================================================

def assert_only_at(cable: GenCable, code: str, line_index: int) -> None:
    """``code`` fires, every finding of it lies on logical line ``line_index``, and no other
    mission rule fires."""
    r, findings = lint(cable)
    note(show(r, findings))
    note(f"expected {code} on logical line {line_index + 1}: {cable.lines[line_index]!r}")
    assert {f.code for f in findings} == {code}
    start, end = r.spans[line_index]
    for f in findings:
        assert start <= offset_of(r, f) <= end, (f.line, f.column, f.message)
        if cable.fmt != "html":
            assert f.line == line_index + 1


# -- P001: renumber one paragraph ------------------------------------------------------------

@st.composite
def renumbered(draw, base):
    cable = draw(base)
    p = draw(st.sampled_from(cable.paras))
    new = draw(st.sampled_from([v for v in range(0, 121) if v != p.number]))
    m = cable.copy()
    line = m.lines[p.line]
    old = str(p.number)
    assert line[p.num_col : p.num_col + len(old)] == old
    m.lines[p.line] = line[: p.num_col] + str(new) + line[p.num_col + len(old) :]
    return m, p.line


@FAST
@given(renumbered(cables()))
def test_renumbered_paragraph_is_p001_at_its_line(case):
    cable, line = case
    assert_only_at(cable, "P001", line)


@st.composite
def relabelled(draw, base):
    cable = draw(base)
    assume(cable.subs)
    x = draw(st.sampled_from(cable.subs))
    top = 26 if x.style != "(digit)" else 20
    new = sub_label(x.style, draw(st.sampled_from([v for v in range(1, top + 1)
                                                   if v != x.ordinal])))
    m = cable.copy()
    line = m.lines[x.line]
    assert line[x.col : x.col + len(x.label)] == x.label
    m.lines[x.line] = line[: x.col] + new + line[x.col + len(x.label) :]
    return m, x.line


@FAST
@given(relabelled(st.one_of(telegrams(subparagraphs=True), web_pages(subparagraphs=True))))
def test_relabelled_subparagraph_is_p001_at_its_line(case):
    cable, line = case
    assert_only_at(cable, "P001", line)


# -- M001: drop one marking ------------------------------------------------------------------

@st.composite
def unmarked(draw, base):
    cable = draw(base)
    marked = [p for p in cable.paras if p.mark]
    assume(marked)
    p = draw(st.sampled_from(marked))
    others_marked = len(marked) > 1 or cable.fmt == "smart" and any(
        line.startswith("### **(") for line in cable.lines)
    # The marking stays required when others remain, or in a classified cable from
    # 1 December 1978 (E.O. 12065).
    assume(others_marked or (cable.classified and cable.date >= dt.date(1978, 12, 1)))
    m = cable.copy()
    line = m.lines[p.line]
    assert line[p.mark_col : p.mark_col + len(p.mark)] == p.mark
    m.lines[p.line] = line[: p.mark_col] + line[p.mark_col + len(p.mark) + 1 :]
    return m, p.line


@FAST
@given(unmarked(cables(all_marked=True, min_paras=2)))
def test_dropped_marking_is_m001_at_its_line(case):
    cable, line = case
    assert_only_at(cable, "M001", line)


# -- S002: a page break planted in the middle of a sentence ----------------------------------

@st.composite
def page_broken(draw, base):
    """Cut one paragraph's line at a space in the middle of a sentence and put a blank line
    between the two pieces, as a page break of a PDF transcription leaves it. The piece
    before is long (a full line of text); the piece after has three words or more (lower case
    in a mixed-case cable)."""
    cable = draw(base)
    least = 100 if cable.fmt == "html" else 60  # a web page's line starts with an anchor
    candidates = []
    for p in cable.paras:
        line = cable.lines[p.line]
        for i in range(least, len(line) - 1):
            after = line[i + 1 :]
            words = after.split()
            if line[i] != " " or not line[i - 1].isalpha() or len(words) < 3 or (
                    "." in words[0] or not cable.upper and not after[0].islower()):
                continue
            candidates.append((p.line, i))
    assume(candidates)
    index, i = draw(st.sampled_from(candidates))
    m = cable.copy()
    line = m.lines[index]
    m.lines[index : index + 1] = [line[:i], "", line[i + 1 :]]
    return cable, m, index + 2


def _splits(cable: GenCable) -> tuple[Rendered, list[Finding]]:
    r = render(cable)
    findings = lint_bytes(r.path, r.data, Settings())
    note(show(r, findings))
    assert [f for f in findings if f.code in MISSION] == []
    return r, [f for f in findings if f.code == "S002"]


@FAST
@given(page_broken(cables()))
def test_planted_page_break_is_one_s002_at_the_continuation(case):
    """One more S002, at the planted continuation (a generated SMART cable may already carry
    a page break of its own that splits a paragraph, as the seed does)."""
    base, cable, line_index = case
    before = _splits(base)[1]
    r, after = _splits(cable)
    assert len(after) == len(before) + 1
    start, end = r.spans[line_index]
    planted = [f for f in after if start <= offset_of(r, f) <= end]
    assert len(planted) == 1
    if cable.fmt != "html":
        assert planted[0].line == line_index + 1


# -- H001: drop one required header line ------------------------------------------------------

def drop_lines(cable: GenCable, index: int, count: int = 1) -> GenCable:
    m = cable.copy()
    del m.lines[index : index + count]

    def moved(i: int) -> int:
        return i - count if i >= index + count else i

    gone = range(index, index + count)
    m.fields = {k: moved(v) for k, v in m.fields.items() if v not in gone}
    m.paras = [replace(p, line=moved(p.line)) for p in m.paras]
    m.subs = [replace(x, line=moved(x.line)) for x in m.subs]
    m.post_cols = {moved(k): v for k, v in m.post_cols.items() if k not in gone}
    m.starts = {moved(k): v for k, v in m.starts.items() if k not in gone}
    m.dtg_line = moved(m.dtg_line)
    if m.split is not None and m.split > index:
        m.split = max(index, m.split - count)
    return m


def _resolve(table: dict, key: str) -> list:
    value = table.get(key, [])
    while isinstance(value, str):  # an alias: "html: telegram"
        value = table.get(value, [])
    return list(value or [])


def header_order(fmt: str) -> list[str]:
    """The format's usual order of header fields (``rules/requirements.yaml``), else the
    order of its required fields."""
    pack = _load("requirements")
    order = _resolve(pack.get("order") or {}, fmt)
    return [str(x) for x in order] or [str(r["field"]) for r in _resolve(pack, fmt)]


def _block_of(cable: GenCable, index: int) -> tuple[str, ...]:
    """The fields whose block holds line ``index``: a field's line and the lines that go on
    from it (not blank, not another field)."""
    while index >= 0:
        if index in cable.starts:
            return cable.starts[index]
        if not cable.lines[index].strip():
            return ()
        index -= 1
    return ()


def where_missing(cable: GenCable, dropped: str, index: int) -> int | None:
    """Where the dropped field belongs in the cable that lacks it: the line where it stood,
    when nothing else can claim that place (the line before it belongs to the field that
    comes before it in the usual order, and the line after it is blank or another field);
    ``None`` when the place is ambiguous (e.g. SIPDIS lines between the classification line
    and the E.O. line)."""
    order = header_order("telegram" if cable.fmt == "html" else cable.fmt)
    if dropped not in order:
        return None
    present: dict[str, int] = {}
    for line in sorted(cable.starts):
        for name in cable.starts[line]:
            present.setdefault(name, line)
    i = order.index(dropped)
    before = next((n for n in reversed(order[:i]) if n in present), None)
    if before is None:
        after = next((n for n in order[i + 1 :] if n in present), None)
        return index if after is not None and present[after] == index else None
    if index == 0 or before not in _block_of(cable, index - 1):
        return None
    if index < len(cable.lines) and cable.lines[index].strip() and index not in cable.starts:
        return None
    return index


@st.composite
def header_dropped(draw, base, names):
    cable = draw(base)
    name = draw(st.sampled_from(names))
    index = cable.fields[name]
    # Dropping a line that carries two fields ("E.O. 12958: N/A TAGS: ...") drops both.
    assume(list(cable.fields.values()).count(index) == 1)
    m = drop_lines(cable, index, cable.field_len.get(name, 1))
    if name == "DTG":
        m.de_julian = None
    return m, name, index


@FAST
@given(header_dropped(st.one_of(telegrams(), web_pages()), TELEGRAM_ORDER))
def test_dropped_telegram_header_line_is_h001_where_it_was(case):
    cable, name, index = case
    where = where_missing(cable, name, index)
    assume(where is not None)
    assert_only_at(cable, "H001", where)


@FAST
@given(header_dropped(smart_cables(), SMART_ORDER))
def test_dropped_smart_header_line_is_h001_where_it_was(case):
    cable, name, index = case
    where = where_missing(cable, name, index)
    assume(where is not None)
    assert_only_at(cable, "H001", where)


@SMALL
@given(header_dropped(smart_cables(references=2), ["SUBJECT"]))
def test_dropped_smart_subject_after_multiline_reference(case):
    """The lines that go on from a multi-line **Reference:** ("B) 20 Mexico 12") belong to
    it, also without a Subject line: H001 is after the Reference block (once reported on the
    Reference's second line, taken for the body)."""
    cable, name, index = case
    where = where_missing(cable, name, index)
    assert where is not None
    assert_only_at(cable, "H001", where)


@FAST
@given(st.one_of(
    header_dropped(st.one_of(telegrams(), web_pages()), TELEGRAM_ORDER),
    header_dropped(smart_cables(min_paras=2), SMART_ORDER),
))
def test_dropped_header_line_keeps_the_body(case):
    """A missing header line does not make the parser lose the paragraphs (a SMART cable
    without its Subject line once lost its whole body)."""
    cable, _name, _index = case
    r = render(cable)
    note(show(r, []))
    parsed = parse_bytes(r.path, r.data)
    assert [p.number for p in parsed.paragraphs] == [p.number for p in cable.paras]


# -- D001: change the DTG day ------------------------------------------------------------------

@st.composite
def dtg_day_changed(draw, base):
    cable = draw(base)
    last = calendar.monthrange(cable.date.year, cable.date.month)[1]
    days = 366 if calendar.isleap(cable.date.year) else 365

    def disagrees(day: int) -> bool:
        if day == cable.date.day:
            return False
        new = cable.date.replace(day=day)
        if cable.envelope:
            # The released e-mail (Sent, Date) must not be earlier than the DTG, and D001
            # reports that at the e-mail's own line: keep DTG days before the e-mail, where
            # only the Date/DTG line itself disagrees.
            return new < min(cable.envelope)
        if cable.de_julian is None:
            return True
        doy = cable.date.replace(day=day).timetuple().tm_yday
        return (cable.de_julian - doy) % days > 5  # the DE line may be up to 5 days later

    choices = [d for d in range(1, last + 1) if disagrees(d)]
    assume(choices)
    day = draw(st.sampled_from(choices))
    m = cable.copy()
    line = m.lines[m.dtg_line]
    col = m.dtg_day_col
    assert int(line[col : col + 2]) == cable.date.day
    m.lines[m.dtg_line] = f"{line[:col]}{day:02d}{line[col + 2:]}"
    return m, m.dtg_line


@FAST
@given(dtg_day_changed(st.one_of(
    telegrams(de_line=True), web_pages(de_line=True), web_pages(wl_date=True),
    smart_cables(),
)))
def test_changed_dtg_day_is_d001_at_the_dtg_line(case):
    cable, line = case
    assert_only_at(cable, "D001", line)


# -- T001: OCR-confuse a post name -------------------------------------------------------------

def _load(name: str):
    try:
        return yaml.safe_load((RULES_DIR / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    except OSError:
        return {}


OCR = _load("ocr")
PAIRS = [[str(x) for x in g] for g in OCR.get("pairs", [])]
MIN_LENGTH = int(OCR.get("min_length", 4))
KNOWN = {str(k): str(v) for k, v in (OCR.get("known") or {}).items()}
_GAZ = _load("gazetteer/posts")
GAZETTEER = {w for name in [*(_GAZ.get("stations") or {}), *(_GAZ.get("addressees") or {})]
             for w in re.findall(r"[A-Z]{2,}", str(name).upper())}
ANYWHERE = GAZETTEER | {str(w) for w in (OCR.get("vocabulary") or {}).get("anywhere", [])}
_TAGS = _load("gazetteer/tags")
PROTECTED = ANYWHERE | {str(w) for w in OCR.get("allow", [])} | {
    str(k).upper()
    for g in ("subject", "organization", "country", "region")
    for k in (_TAGS.get(g) or [])
}


def _one_substitution(word: str) -> set[str]:
    out = set()
    for group in PAIRS:
        for a in group:
            start = word.find(a)
            while start != -1:
                out |= {word[:start] + b + word[start + len(a):] for b in group if b != a}
                start = word.find(a, start + 1)
    return out


_SOURCES: dict[str, set[str]] = {}
for _w in ANYWHERE:
    if len(_w) >= MIN_LENGTH:
        for _v in _one_substitution(_w):
            _SOURCES.setdefault(_v, set()).add(_w)


def ocr_variants(word: str) -> list[str]:
    """Misreadings of ``word`` that the documented rule must report: a ``known`` entry, or a
    single confusion of a gazetteer word that is not a word of its own nor a misreading of
    another word."""
    out = [k for k, v in KNOWN.items() if v == word]
    if word in ANYWHERE and len(word) >= MIN_LENGTH:
        for group in PAIRS:
            for a in group:
                if len(a) != 1 or a not in word:
                    continue
                for b in group:
                    if b == a or len(b) != 1:
                        continue
                    i = word.index(a)
                    v = word[:i] + b + word[i + 1:]
                    if v not in PROTECTED and _SOURCES.get(v) == {word}:
                        out.append(v)
    return sorted(set(out))


def letter_first(variant: str) -> bool:
    """A misreading that still starts with a letter (MEXIC0, B0GOTA; not 0TTAWA, 8OGOTA)."""
    return variant[:1].isalpha()


#: Posts whose name OCR may misread with a digit for its first letter (8OGOTA, 0TTAWA).
DIGIT_FIRST_POSTS = [p for p in POSTS if any(
    not letter_first(v) for w in p.name.split() for v in ocr_variants(w))]


@st.composite
def ocr_confused(draw, base, *, lines: tuple[str, ...], keep=lambda variant: True):
    cable = draw(base)
    targets = []  # (line index, offset, word)
    for name in lines:
        if name not in cable.fields:
            continue
        index = cable.fields[name]
        if index in cable.post_cols:
            col = cable.post_cols[index]
            for word in re.findall(r"[A-Z]+", cable.post.name):
                targets.append((index, col, word))
                col += len(word) + 1
        text = cable.lines[index]
        for m in re.finditer(r"\bAMEMBASSY\b", text):
            targets.append((index, m.start(), "AMEMBASSY"))
    # A bar inside a Markdown table cell would be a cell border (a transcription escapes it).
    options = [(i, c, w, v) for i, c, w in targets for v in ocr_variants(w) if keep(v)
               and not ("|" in v and cable.lines[i].lstrip().startswith("|"))]
    assume(options)
    index, col, word, variant = draw(st.sampled_from(options))
    m = cable.copy()
    line = m.lines[index]
    assert line[col : col + len(word)] == word
    m.lines[index] = line[:col] + variant + line[col + len(word):]
    return m, index


@FAST
@given(st.one_of(
    ocr_confused(st.one_of(telegrams(), web_pages()), lines=("FM",)),
    ocr_confused(st.one_of(telegrams(), web_pages()), lines=("CLASSIFICATION",)),
    ocr_confused(smart_cables(), lines=("FROM", "MRN")),
))
def test_ocr_confused_post_name_is_t001_at_its_line(case):
    cable, line = case
    assert_only_at(cable, "T001", line)


@SMALL
@given(ocr_confused(st.one_of(telegrams(posts=DIGIT_FIRST_POSTS),
                              web_pages(posts=DIGIT_FIRST_POSTS)),
                    lines=("CLASSIFICATION",), keep=lambda v: not letter_first(v)))
def test_ocr_digit_first_post_in_classification_line_is_only_t001(case):
    """'UNCLAS 0TTAWA 002317': the classification line is still read (it was once dropped,
    and H001 reported it missing besides T001)."""
    cable, line = case
    assert_only_at(cable, "T001", line)


# -- line numbers and page breaks ----------------------------------------------------------------

@FAST
@given(renumbered(telegrams(min_paras=2)), st.sampled_from(["\x0c", "\u2028", "\x85", "\x0b"]))
def test_line_numbers_count_newlines_only(case, char):
    """Lines end at "\n" only, as files, editors and grep count them: a form feed (a
    pdftotext page break), U+2028 or U+0085 inside a line does not shift later findings
    (TextMap once counted lines with str.splitlines())."""
    cable, line = case
    m = cable.copy(encoding="utf-8")
    m.lines[cable.fields["SUBJECT"]] += char  # the subject comes before every paragraph
    assert_only_at(m, "P001", line)


@FAST
@given(telegrams(min_paras=3), st.data())
def test_form_feed_page_break_keeps_the_paragraph(cable, data):
    """pdftotext starts each page with a form feed: a paragraph that opens a page
    ("\f2. (U) ...") or follows a line holding only the form feed is still read."""
    p = data.draw(st.sampled_from(cable.paras[1:]))
    m = cable.copy()
    if data.draw(st.booleans()):
        m.lines[p.line] = "\f" + m.lines[p.line]
    else:
        assert not m.lines[p.line - 1].strip()
        m.lines[p.line - 1] = "\f"
    r, findings = lint(m)
    note(show(r, findings))
    parsed = parse_bytes(r.path, r.data)
    assert [x.number for x in parsed.paragraphs] == [x.number for x in cable.paras]
    assert findings == []


# -- H004, H002: an E.O. number with two digits swapped; another post's serial -----------------

@st.composite
def eo_swapped(draw, base):
    """'E.O. 12958' -> 'E.O. 12598': two adjacent, different digits of the order swapped."""
    cable = draw(base)
    index = cable.fields["EO"]
    line = cable.lines[index]
    m = re.search(r"E\.O\. (\d{5})", line)
    assert m is not None
    number = m[1]
    swaps = [i for i in range(4) if number[i] != number[i + 1]]
    i = draw(st.sampled_from(swaps))
    typo = number[:i] + number[i + 1] + number[i] + number[i + 2:]
    assume(typo not in ("11652", "12065", "12356", "12958", "13292", "13526", "10501"))
    m_cable = cable.copy()
    m_cable.lines[index] = line[: m.start(1)] + typo + line[m.end(1):]
    return m_cable, index


@FAST
@given(eo_swapped(st.one_of(telegrams(), web_pages())))
def test_swapped_eo_digits_are_h004_at_the_eo_line(case):
    cable, line = case
    assert_only_at(cable, "H004", line)


@st.composite
def other_post_serial(draw, base):
    """The classification line names another post than the FM line."""
    cable = draw(base)
    index = cable.fields["CLASSIFICATION"]
    col = cable.post_cols[index]
    other = draw(st.sampled_from([p for p in POSTS if p.name != cable.post.name]))
    m = cable.copy()
    line = m.lines[index]
    assert line[col : col + len(cable.post.name)] == cable.post.name
    m.lines[index] = line[:col] + other.name + line[col + len(cable.post.name):]
    return m, index


@FAST
@given(other_post_serial(telegrams()))
def test_other_post_in_the_classification_line_is_h002_at_its_line(case):
    cable, line = case
    assert_only_at(cable, "H002", line)
# -- C002: mark a paragraph of an unclassified telegram CONFIDENTIAL -----------------------

@st.composite
def marked_above(draw, base):
    cable = draw(base)
    assume(not cable.classified)
    marked = [p for p in cable.paras if p.mark]
    assume(marked)
    p = draw(st.sampled_from(marked))
    m = cable.copy()
    line = m.lines[p.line]
    assert line[p.mark_col : p.mark_col + len(p.mark)] == p.mark
    m.lines[p.line] = line[: p.mark_col] + "(C)" + line[p.mark_col + len(p.mark) :]
    return m, p.line


@FAST
@given(marked_above(st.one_of(telegrams(all_marked=True), web_pages(all_marked=True))))
def test_confidential_paragraph_in_unclassified_cable_is_c002_at_its_line(case):
    cable, line = case
    assert_only_at(cable, "C002", line)


# -- R001: cite references the list does not have ------------------------------------------

@st.composite
def cited_beyond(draw, base):
    """Append ``(REFS A-D)`` to a paragraph's first line: the generated lists have at most
    three references (A-C), so D (and any letter the list lacks) is unlisted."""
    cable = draw(base)
    p = draw(st.sampled_from(cable.paras))
    m = cable.copy()
    m.lines[p.line] = m.lines[p.line].rstrip() + " (REFS A-D)"
    return m, p.line


@FAST
@given(cited_beyond(st.one_of(telegrams(), web_pages(), smart_cables())))
def test_citation_beyond_the_reference_list_is_r001_at_its_line(case):
    cable, line = case
    assert_only_at(cable, "R001", line)


@given(st.text(alphabet="ab\n\f\u2028", max_size=60),
       st.lists(st.integers(min_value=-2, max_value=64), max_size=24))
def test_text_map_locates_any_offsets_in_any_order(text, offsets):
    """The first lookups count line ends from the offset looked up last (forwards or
    backwards) or from the start; later ones use the table of line starts: each gives the
    line and column counted from the start of the text."""
    from cablelint.source import TextMap

    textmap = TextMap(text)
    for offset in offsets:
        if offset > len(text):
            continue  # past the end: no finding points there
        head = text[: max(offset, 0)]
        want = (head.count("\n") + 1, offset + 1 if offset <= 0 else offset - head.rfind("\n"))
        assert textmap.locate(offset) == want
