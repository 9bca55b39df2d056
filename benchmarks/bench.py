#!/usr/bin/env python3
"""Throughput and start-up benchmark of cablelint against an I/O + regex floor.

Standard library only. Run from the repository root::

    python benchmarks/bench.py --quick          # smoke run: 2,000 cables, 1 repeat
    python benchmarks/bench.py                  # 20,000 cables (~190 MB), best of 3
    python benchmarks/bench.py --json out.json  # also write the results as JSON
    python benchmarks/bench.py --profile        # cProfile cablelint on 2,000 cables, 1 process

What it does, in one run and over the same files:

1. Builds (or reuses) a corpus of ``--cables`` files under ``--out`` (default
   ``benchmarks/out/``, git-ignored): variants of the real samples (``corpus_samples/``, else
   ``shared/corpus/`` + ``shared/seeds/``) whose serials, routing sequence numbers, amounts and
   times of day are changed and whose prose is lengthened with the cable's own sentences,
   plus templated synthetic telegrams and SMART cables. Every file is 7.5-9.5 KB except the
   real web pages and long SMART cables, which keep their size (mean about 9.6 KB).
2. The floor: list the files, read each one and run one compiled regex
   (``rb"\\d{6}Z [A-Z]{3} \\d{2}"``, a DTG) ``findall`` over its *bytes* (no decoding), on 1
   and 2 processes. A second, informative floor decodes the bytes to text first.
3. cablelint through the library, ``lint([corpus], Settings(), jobs=N)``, on 1 and 2
   processes: the five mission rules (``Settings(select=MISSION)``, issue 2's goals) and the
   whole catalog (issue 3's goals). Each measurement runs ``--repeat`` times (interleaved)
   and the best is kept.
4. The pre-commit case: wall time of ``python -m cablelint --no-cache FILE`` on one small
   cable (median of 10 runs; a changed file is not in the result cache), next to the same
   run from the result cache, ``python -c "import cablelint.cli"`` and ``python -c pass``.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
try:  # use the installed cablelint if there is one, else the checkout this file lives in
    import cablelint  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT))
    import cablelint  # noqa: F401

#: Set by --rev: an exported copy of cablelint at one commit, measured instead of the checkout.
SRC_OVERRIDE: Path | None = None

GENERATOR_VERSION = 4  # bump when the corpus generator changes: old corpora are rebuilt
SUFFIXES = (".txt", ".md", ".html", ".htm")
FLOOR_RE = re.compile(rb"\d{6}Z [A-Z]{3} \d{2}")
FLOOR_TEXT_RE = re.compile(r"\d{6}Z [A-Z]{3} \d{2}")
MB = 1_000_000  # MB here is 10^6 bytes
CHUNK = 64  # files per task in the parallel floor, as cablelint's runner does
#: The five mission rules (issue 2) and the whole catalog (issue 3): goals of each.
MISSION = ("P001", "M001", "H001", "D001", "T001")
TARGETS = {"mission": {"ratio_max": 4.0, "cables_per_s_2proc": 6000.0},
           "cablelint": {"ratio_max": 5.0, "cables_per_s_2proc": 5000.0},
           "one_file_ms": 100.0}

# --------------------------------------------------------------------------------------------
# Real samples
# --------------------------------------------------------------------------------------------

EXCLUDED_NAMES = re.compile(r"^(README|LICENSE|CHANGELOG|CONTRIBUTING|SOURCES|PROVENANCE)",
                            re.IGNORECASE)


def sample_dirs(explicit: str | None) -> list[Path]:
    if explicit:
        return [Path(explicit)]
    local = ROOT / "corpus_samples"
    if local.is_dir():
        return [local]
    shared = ROOT.parent / "shared"
    if not shared.is_dir():
        shared = Path("/work/shared")
    return [p for p in (shared / "corpus", shared / "seeds") if p.is_dir()]


def classify(path: Path, data: bytes) -> str:
    """The kind of a real sample, judged from its folder, suffix and content."""
    if "broken" in path.parts:
        return "broken"
    if path.suffix.lower() in (".html", ".htm"):
        return "web"
    head = data[:20000]
    if re.search(rb"\*\*MRN:?\*\*|\*\*Date/DTG:?\*\*|<b>From:</b>", head, re.IGNORECASE):
        return "smart"
    if re.search(rb"^@{3,}[ \t]*\r?$", head, re.MULTILINE):
        return "historylab"
    return "telegram"


def load_samples(dirs: list[Path]) -> dict[str, list[tuple[Path, bytes]]]:
    found: dict[str, list[tuple[Path, bytes]]] = {}
    for top in dirs:
        for folder, subdirs, files in os.walk(top):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder, name)
                if (name.startswith(".") or path.suffix.lower() not in SUFFIXES
                        or EXCLUDED_NAMES.match(name)):
                    continue
                data = path.read_bytes()
                if data.strip():
                    found.setdefault(classify(path, data), []).append((path, data))
    return found


# --------------------------------------------------------------------------------------------
# Prose for padding and templates (written for this benchmark; no cable text is copied here)
# --------------------------------------------------------------------------------------------

SUBJECTS = [
    "The minister", "Embassy officers", "Local observers", "The deputy director",
    "Opposition leaders", "Provincial authorities", "Our contacts in the ministry",
    "The central bank governor", "Business representatives", "Civil society groups",
    "The ambassador", "Host government officials", "Several diplomats", "The working group",
    "Regional partners", "Labor union leaders", "The prime minister's adviser",
    "A senior police official", "Parliamentary staff", "Academic contacts",
]
VERBS = [
    "said that", "told poloff that", "noted that", "stressed that", "expected that",
    "doubted that", "confirmed that", "warned that", "argued that", "acknowledged that",
    "reported that", "predicted that",
]
CLAUSES = [
    "the new budget would reach parliament before the end of the session",
    "talks on the trade agreement had stalled over agricultural quotas",
    "the government intends to review the electoral law next year",
    "fuel prices remain the main concern of voters in the capital",
    "the ministry lacks the staff to carry out the reform quickly",
    "cooperation with neighboring states on border security has improved",
    "the press has covered the visit widely and mostly favorably",
    "the coalition is likely to hold together through the winter",
    "foreign investment fell in the first half of the year",
    "donor coordination meetings will resume next month",
    "the courts have not yet ruled on the contested licenses",
    "the customs service is testing a new inspection system at the port",
    "the harvest was smaller than forecast because of the late rains",
    "local elections will be held on schedule despite the flooding",
    "the health ministry asked for help with vaccine storage in rural districts",
    "the opposition will boycott the committee until its demands are met",
    "the government is ready to discuss the visa question at the next round",
    "the energy regulator will publish new tariffs before the summer",
    "several provincial governors favor a faster transfer of funds",
    "the navy plans to expand joint patrols with partner states",
]
TAILS = [
    "", " according to a senior official", ", though details remain unclear",
    " in a meeting with emboffs", ", a view echoed by other contacts",
    " despite public skepticism", " in the coming weeks", ", if the cabinet agrees",
]
COMMENTS = [
    "Post will continue to follow the issue closely",
    "We see little chance of a decision before the recess",
    "This is consistent with what other contacts have told us",
    "The outcome will depend largely on the cabinet's priorities",
]
HEADINGS = [
    "Political Outlook", "Economic Outlook", "Security Cooperation", "Trade and Investment",
    "Human Rights", "Energy", "Public Health", "Next Steps", "Background", "Comment",
]
NAMES = ["SMITH", "JONES", "BROWN", "GARCIA", "MILLER", "DAVIS", "WILSON", "MOORE",
         "TAYLOR", "ANDERSON", "THOMAS", "JACKSON", "WHITE", "HARRIS", "MARTIN", "CLARK"]
# Station, routing indicator, country, TAGS country code.
POSTS = [
    ("PARIS", "RUEHFR", "France", "FR"), ("MADRID", "RUEHMD", "Spain", "SP"),
    ("LIMA", "RUEHPE", "Peru", "PE"), ("BOGOTA", "RUEHBO", "Colombia", "CO"),
    ("LONDON", "RUEHLO", "United Kingdom", "UK"), ("BERLIN", "RUEHRL", "Germany", "GM"),
    ("ROME", "RUEHRO", "Italy", "IT"), ("TOKYO", "RUEHKO", "Japan", "JA"),
    ("CAIRO", "RUEHEG", "Egypt", "EG"), ("ANKARA", "RUEHAK", "Turkey", "TU"),
    ("NAIROBI", "RUEHNR", "Kenya", "KE"), ("MEXICO", "RUEHME", "Mexico", "MX"),
    ("OTTAWA", "RUEHOT", "Canada", "CA"), ("BRASILIA", "RUEHBR", "Brazil", "BR"),
    ("MOSCOW", "RUEHMO", "Russia", "RS"), ("NEW DELHI", "RUEHNE", "India", "IN"),
    ("MANILA", "RUEHML", "Philippines", "RP"), ("DAKAR", "RUEHDK", "Senegal", "SG"),
]
SUBJECT_TAGS = ["PREL", "PGOV", "ECON", "EFIN", "ETRD", "PHUM", "SNAR", "MARR", "ELAB",
                "EAID", "SENV", "PINR"]
TOPICS = ["Budget Debate Heats Up", "Trade Talks Stall", "Electoral Reform Ahead",
          "Fuel Prices and Politics", "Border Cooperation Improves", "New Port Inspections",
          "Harvest Shortfall", "Local Elections on Track", "Energy Tariff Review",
          "Coalition Holds Together", "Visa Talks Resume", "Health Ministry Seeks Help"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}"
            f"{rng.choice(TAILS)}.")


def prose(rng: random.Random, n: int, upper: bool) -> str:
    text = " ".join(sentence(rng) for _ in range(n))
    return text.upper() if upper else text


# --------------------------------------------------------------------------------------------
# Variants of real samples: numbers changed, prose lengthened with the cable's own sentences
# --------------------------------------------------------------------------------------------

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+")
# numbers, markup, redactions, page furniture, and short tokens ending in "." or ")" (U.S.,
# A), 2.) that could start a wrapped line and read as a paragraph or subparagraph number
_BAD_SENTENCE = re.compile(r"\d+\.|[|*#\[\]<>_~`@&]|\(b\)|\bPage\b|^\W|"
                           r"(?:^|[\s(])[A-Za-z0-9]{1,2}[.)]")
_DTG_TIME = re.compile(r"(?<![\d])([0-3]\d)([0-2]\d)([0-5]\d)( ?Z\b)")
_DE_TIME = re.compile(r"(\bDE [A-Z]{4,7} #\S+ \d{3})([0-2]\d)([0-5]\d)\b")
_SEQ = re.compile(r"\b(IMMEDIATE|PRIORITY|ROUTINE|FLASH) (\d{3,4})\b")
_AMOUNT = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")
_STEM_SERIAL = re.compile(r"^(\d{2,4})([A-Z]+?)(\d{1,6})$")
_MRN = re.compile(r"\*\*MRN:?\*\*\s*\|?\s*\d{2} [A-Z][A-Z ]*? (\d{2,6})\b")
_DE_SERIAL = re.compile(r"\bDE [A-Z]{4,7} #(\d{2,6})\b")


def _serials(stem: str, text: str) -> set[int]:
    found = set()
    m = _STEM_SERIAL.match(stem)
    if m:
        found.add(int(m[3]))
    for rx in (_MRN, _DE_SERIAL):
        found.update(int(x) for x in rx.findall(text[:20000]))
    return {s for s in found if s > 0}


def _replace_serial(text: str, old: int, new: int) -> str:
    rx = re.compile(rf"(?<![\d.,/$])(#?)(0*{old})(?!\d)")

    def sub(m: re.Match[str]) -> str:
        digits = m[2]
        if not m[1] and len(digits) < 3:
            return m[0]
        width = len(digits) if digits.startswith("0") else 0
        return f"{m[1]}{new:0{width}d}"

    return rx.sub(sub, text)


def _shift_times(text: str, rng: random.Random) -> str:
    """Move every DTG and DE-line time by the same few minutes, staying within the day, so
    the cable's dates still agree with one another (zeroed placeholders are left alone)."""
    times = [int(h) * 60 + int(mi) for _, h, mi, _ in _DTG_TIME.findall(text)
             if (h, mi) != ("00", "00") and int(h) < 24]
    times += [int(h) * 60 + int(mi) for _, h, mi in _DE_TIME.findall(text) if int(h) < 24]
    if not times:
        return text
    low, high = max(-60, -min(times)), min(60, 1439 - max(times))
    if low >= high:
        return text
    delta = rng.randint(low, high) or high

    def hhmm(h: str, mi: str) -> str:
        t = int(h) * 60 + int(mi) + delta
        return f"{t // 60:02d}{t % 60:02d}"

    def dtg(m: re.Match[str]) -> str:
        if (m[2], m[3]) == ("00", "00") or int(m[2]) > 23:
            return m[0]
        return m[1] + hhmm(m[2], m[3]) + m[4]

    text = _DTG_TIME.sub(dtg, text)
    return _DE_TIME.sub(lambda m: m[1] + hhmm(m[2], m[3]) if int(m[2]) < 24 else m[0], text)


def _own_sentences(text: str, upper: bool) -> list[str]:
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        flat = " ".join(block.split())
        for s in _SENT_SPLIT.split(flat):
            if (40 <= len(s) <= 300 and s[0].isupper() and s.endswith((".", "!", "?"))
                    and len(s.split()) >= 6 and not _BAD_SENTENCE.search(s)):
                letters = [c for c in s if c.isalpha()]
                if letters and (sum(c.isupper() for c in letters) / len(letters) > 0.8) == upper:
                    out.append(s)
    return out


def _pad(text: str, target: int, rng: random.Random, nl: str) -> str:
    """Lengthen the cable to about ``target`` bytes by appending sentences to one paragraph
    of its body, in the paragraph's own style (wrapped lines or one long line)."""
    if len(text) >= target:
        return text
    letters = [c for c in text if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
    bank = _own_sentences(text, upper)
    if len(bank) < 6:
        bank += [prose(rng, 1, upper) for _ in range(24)]
    # blocks: (start, end) of runs of non-blank lines; choose a prose block in the body
    lines = text.split("\n")
    blocks, start = [], None
    for i, line in enumerate(lines + [""]):
        if line.strip():
            start = i if start is None else start
        elif start is not None:
            blocks.append((start, i))
            start = None
    body = [b for b in blocks if b[0] >= len(lines) * 0.3] or blocks

    def proseness(b: tuple[int, int]) -> float:
        chunk = " ".join(lines[b[0]:b[1]])
        return sum(c.isalpha() or c == " " for c in chunk) / max(1, len(chunk)) * len(chunk)

    first, last = max(body, key=proseness)
    block = lines[first:last]
    wrapped = len(block) >= 2 and max(len(x) for x in block) <= 100
    width = max(60, max(len(x.rstrip()) for x in block)) if wrapped else 0
    trail = " " if wrapped and sum(x.endswith(" ") for x in block) * 2 > len(block) else ""
    need = target - len(text)
    added: list[str] = []
    size = 0
    order = bank[:]
    while size < need:
        rng.shuffle(order)
        for s in order:
            added.append(s)
            size += len(s) + 2
            if size >= need:
                break
    extra = "  ".join(added)
    if wrapped:
        lines[last:last] = [x + trail for x in textwrap.wrap(extra, width)]
    else:
        lines[last - 1] = lines[last - 1].rstrip() + " " + extra
    return "\n".join(lines)


def _new_digits(number: str, rng: random.Random) -> str:
    """The same shape (``460,000,000``) with other digits, the first one not zero."""
    digits = iter([str(rng.randint(1, 9))] + [str(rng.randint(0, 9)) for _ in number])
    return re.sub(r"\d", lambda _: next(digits), number)


def variant(path: Path, data: bytes, kind: str, rng: random.Random, target: int
            ) -> tuple[str, bytes]:
    """A new cable from a real one: a new serial, new routing sequence numbers, amounts and
    times of day, and (below ``target`` bytes) lengthened prose. Returns (name, bytes)."""
    # latin-1 maps every byte to one character and back, so UTF-8 and cp1252 bytes survive
    text = data.decode("latin-1")
    nl = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    stem = path.stem
    for old in sorted(_serials(stem, text), reverse=True):
        digits = len(str(old))
        new = rng.randint(10 ** (digits - 1), 10 ** digits - 1)
        text = _replace_serial(text, old, new)
        m = _STEM_SERIAL.match(stem)
        if m and int(m[3]) == old:
            stem = f"{m[1]}{m[2]}{new:0{len(m[3])}d}"
    text = _shift_times(text, rng)
    text = _SEQ.sub(lambda m: f"{m[1]} {rng.randint(1, 10 ** len(m[2]) - 1):0{len(m[2])}d}",
                    text)
    text = _AMOUNT.sub(lambda m: _new_digits(m[0], rng), text)
    if kind != "web":
        text = _pad(text, target, rng, nl)
    if nl != "\n":
        text = text.replace("\n", nl)
    return stem + path.suffix, text.encode("latin-1")


# --------------------------------------------------------------------------------------------
# Templated synthetic cables
# --------------------------------------------------------------------------------------------


def _dtg(when: dt.datetime) -> str:
    return f"{when:%d%H%M}Z {MONTHS[when.month - 1]} {when:%y}"


def _random_datetime(rng: random.Random, y0: int, y1: int) -> dt.datetime:
    start = dt.datetime(y0, 1, 1)
    span = (dt.datetime(y1, 12, 31) - start).days
    day = start + dt.timedelta(days=rng.randint(0, span))
    return day.replace(hour=rng.randint(6, 18), minute=rng.randint(0, 59))


def synthetic_telegram(rng: random.Random, target: int) -> tuple[str, bytes]:
    post, routing, country, cc = rng.choice(POSTS)
    when = _random_datetime(rng, 1985, 2009)
    serial = rng.randint(100, 9999)
    upper = when.year < 1995
    level = rng.choices(["UNCLAS", "CONFIDENTIAL", "SECRET"], [4, 4, 2])[0]
    marks = {"UNCLAS": ["SBU", "U"], "CONFIDENTIAL": ["C", "C", "C", "U", "C/NF"],
             "SECRET": ["S", "S/NF", "C", "S"]}[level]
    marked = level != "UNCLAS" or rng.random() < 0.5
    eo = "12356" if when.year < 1995 else "12958"
    decl = (f"DECL: {when.month:02d}/{when.day:02d}/{(when.year + 10) % 100:02d}"
            if level != "UNCLAS" else "N/A")
    prec = rng.choice(["R", "P", "O"])
    prec_word = {"R": "ROUTINE", "P": "PRIORITY", "O": "IMMEDIATE"}[prec]
    info = rng.sample([p for p in POSTS if p[0] != post], 2)
    tags = " ".join(rng.sample(SUBJECT_TAGS, 2) + [cc])
    subject = f"{country.upper()}: {rng.choice(TOPICS).upper()}"
    wrap = rng.choice([66, 68, 70, 72])
    head = [
        f"VZCZCXYZ{rng.randint(0, 9999):04d}",
        f"{prec}{prec} RUEHC",
        f"DE {routing} #{serial:04d} {when.timetuple().tm_yday:03d}{when:%H%M}",
        "ZNR UUUUU ZZH",
        f"{prec} {_dtg(when)}",
        f"FM AMEMBASSY {post}",
        f"TO RUEHC/SECSTATE WASHDC {prec_word} {rng.randint(1, 9999):04d}",
        f"INFO {info[0][1]}/AMEMBASSY {info[0][0]} {rng.randint(1, 9999):04d}",
        f"{info[1][1]}/AMEMBASSY {info[1][0]} {rng.randint(1, 9999):04d}",
        f"{level} {post} {serial:06d}",
        "",
    ]
    if when.year >= 2004:
        head += ["SIPDIS", ""]
    head += [f"E.O. {eo}: {decl}", f"TAGS: {tags}", f"SUBJECT: {subject}", "",
             f"REF: {post} {rng.randint(100, 9999)}", ""]
    paras: list[str] = []
    size = sum(len(x) + 1 for x in head)
    n = 0
    while size < target - 60:
        n += 1
        mark = f"({rng.choice(marks)}) " if marked else ""
        words = prose(rng, rng.randint(3, 7), upper)
        if n == 1:
            words = ("SUMMARY: " if upper else "Summary: ") + words + (
                " END SUMMARY." if upper else " End summary.")
        lines = textwrap.wrap(f"{n}. {mark}{words}", wrap)
        if rng.random() < 0.2:
            for letter in "ABC":
                lines += [""] + textwrap.wrap(f"{letter}. {prose(rng, 1, upper)}", wrap)
        block = "\n".join(lines) + "\n"
        paras.append(block)
        size += len(block) + 1
    comment = rng.choice(COMMENTS) + "."
    paras.append(textwrap.fill(f"{n + 1}. {'(' + marks[0] + ') ' if marked else ''}"
                               f"{'COMMENT: ' if upper else 'Comment: '}"
                               f"{comment.upper() if upper else comment}", wrap) + "\n")
    text = "\n".join(head) + "\n" + "\n".join(paras) + rng.choice(NAMES) + "\n"
    name = f"{when:%y}{post.replace(' ', '')}{serial}.txt"
    return name, text.encode("ascii")


def synthetic_smart(rng: random.Random, target: int) -> tuple[str, bytes]:
    post, _, country, cc = rng.choice(POSTS)
    when = _random_datetime(rng, 2015, 2023).replace(hour=rng.randint(12, 17))
    serial = rng.randint(10, 3999)
    sent = when - dt.timedelta(hours=5) + dt.timedelta(minutes=rng.randint(30, 300))
    mailed = sent + dt.timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 3))
    topic = rng.choice(TOPICS)
    subject = f"{country}: {topic}"
    tags = ", ".join(rng.sample(SUBJECT_TAGS, 3) + [cc])
    month = calendar.month_abbr[when.month]
    out = [
        "<b>From:</b>\t(b)(6)",
        "<b>To:</b>\t",
        f"<b>Subject:</b>\tFW: {subject}",
        f"<b>Date:</b>\t{mailed:%a}, {mailed.day} {mailed:%b %Y %H:%M:%S} -0500",
        "",
        "Official - SBU  ",
        "UNCLASSIFIED",
        "",
        "---",
        "",
        "**From:** SMART Core  ",
        f"**Sent:** {sent:%A, %B %d, %Y} {sent.hour % 12 or 12}:{sent:%M %p}  ",
        f"**Subject:** {subject}",
        "",
        "**UNCLASSIFIED**  ",
        "SBU",
        "",
        "---",
        "",
        f"**MRN:** {when:%y} {post} {serial}  ",
        f"**Date/DTG:** {month} {when:%d, %Y} / {_dtg(when)}  ",
        f"**From:** AMEMBASSY {post}  ",
        "**Action:** WASHDC, SECSTATE *ROUTINE*  ",
        "**E.O.:** 13526  ",
        f"**TAGS:** {tags}  ",
        "**Captions:** SENSITIVE  ",
        f"**Reference:** A) {(when.year - 1) % 100:02d} {post.title()} {rng.randint(10, 3999)}  ",
        f"**Subject:** {subject}",
        "",
    ]
    size = sum(len(x) + 1 for x in out)
    n = 0
    while size < target - 400:
        n += 1
        if n > 1 and rng.random() < 0.3:
            block = f"### **(SBU) {rng.choice(HEADINGS)}**\n"
            out += [block]
            size += len(block) + 1
        words = prose(rng, rng.randint(3, 8), False)
        if n == 1:
            words = f"**Summary:** {words} **End summary.**"
        block = f"{n}. (SBU) {words}\n"
        out.append(block)
        size += len(block) + 1
    out += ["SENSITIVE BUT UNCLASSIFIED", "", f"**Signature:** {rng.choice(NAMES).title()}", "",
            f"**Drafted By:** POL:{rng.choice(NAMES).title()}, {rng.choice(NAMES).title()}", "",
            "**Approved By:** POL:(b)(6)", "", "**UNCLASSIFIED**  ", "SBU", ""]
    name = f"smart-{when:%y}{post.replace(' ', '')}{serial}.md"
    return name, "\n".join(out).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Building the corpus
# --------------------------------------------------------------------------------------------

#: Share of each kind of cable. Real kinds that have no samples fall back to the templates.
MIX = [
    ("telegram", 0.41), ("smart", 0.18), ("web", 0.02), ("historylab", 0.05),
    ("broken", 0.01), ("synthetic-telegram", 0.17), ("synthetic-smart", 0.16),
]


def build_corpus(corpus: Path, n: int, seed: int, sample_from: list[Path]) -> dict:
    samples = load_samples(sample_from)
    if not samples:
        print(f"warning: no real samples under {', '.join(map(str, sample_from))}; "
              "building from templates only", file=sys.stderr)
    rng = random.Random(seed)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    counts: dict[str, int] = {}
    total = 0
    digests: set[bytes] = set()
    duplicates = 0
    corpus.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for i in range(n):
        kind = rng.choices(kinds, weights)[0]
        if kind in ("telegram", "smart", "web", "historylab", "broken") and kind not in samples:
            kind = "synthetic-smart" if kind == "smart" else "synthetic-telegram"
        target = rng.randint(7500, 9500)
        if kind == "synthetic-telegram":
            name, data = synthetic_telegram(rng, target)
        elif kind == "synthetic-smart":
            name, data = synthetic_smart(rng, target)
        else:
            path, raw = rng.choice(samples[kind])
            name, data = variant(path, raw, kind, rng, target)
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if digest in digests:
            duplicates += 1
        digests.add(digest)
        folder = corpus / f"{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(exist_ok=True)
        stem, dot, ext = name.rpartition(".")
        (folder / f"{stem}-{i:05d}.{ext}").write_bytes(data)
        counts[kind] = counts.get(kind, 0) + 1
        total += len(data)
    manifest = {
        "generator_version": GENERATOR_VERSION, "cables": n, "bytes": total, "seed": seed,
        "kinds": dict(sorted(counts.items())), "byte_identical_duplicates": duplicates,
        "samples_from": [str(p) for p in sample_from],
        "samples": {k: [str(p) for p, _ in v] for k, v in sorted(samples.items())},
        "build_seconds": round(time.perf_counter() - t0, 2),
    }
    (corpus / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def ensure_corpus(out: Path, n: int, seed: int, samples: str | None, rebuild: bool
                  ) -> tuple[Path, dict, bool]:
    corpus = out / f"corpus-{n}"
    manifest_path = corpus / "manifest.json"
    if manifest_path.is_file() and not rebuild:
        try:
            manifest = json.loads(manifest_path.read_text())
        except ValueError:
            manifest = {}
        if (manifest.get("generator_version") == GENERATOR_VERSION
                and manifest.get("cables") == n and manifest.get("seed") == seed
                and len(list_files(corpus)) == n):
            return corpus, manifest, True
    if corpus.exists():
        import shutil

        shutil.rmtree(corpus)
    return corpus, build_corpus(corpus, n, seed, sample_dirs(samples)), False


def list_files(corpus: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(folder, f) for f in files
                     if not f.startswith(".") and f.endswith(SUFFIXES))
    return sorted(found)


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------


def _floor_chunk(paths: list[str]) -> tuple[int, int, int]:
    nbytes = matches = 0
    for p in paths:
        with open(p, "rb") as fh:
            data = fh.read()
        nbytes += len(data)
        matches += len(FLOOR_RE.findall(data))
    return len(paths), nbytes, matches


def _floor_text_chunk(paths: list[str]) -> tuple[int, int, int]:
    nbytes = matches = 0
    for p in paths:
        with open(p, "rb") as fh:
            data = fh.read()
        nbytes += len(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        matches += len(FLOOR_TEXT_RE.findall(text))
    return len(paths), nbytes, matches


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its reaped children (a pool's
    workers are reaped when the pool shuts down, inside the timing)."""
    import resource

    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def floor(corpus: Path, jobs: int, text: bool = False) -> tuple[float, dict]:
    """List the files, read each one, run one compiled regex over it; 1 or ``jobs``
    processes (a process pool over chunks of 64 files, created inside the timing)."""
    work = _floor_text_chunk if text else _floor_chunk
    cpu0 = _cpu()
    t0 = time.perf_counter()
    files = list_files(corpus)
    if jobs == 1:
        got = [work(files)]
    else:
        chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            got = list(pool.map(work, chunks))
    seconds = time.perf_counter() - t0
    return seconds, {"files": sum(g[0] for g in got), "bytes": sum(g[1] for g in got),
                     "matches": sum(g[2] for g in got), "cpu_s": _cpu() - cpu0}


def cablelint_run(corpus: Path, jobs: int, select: tuple[str, ...] = ("ALL",)
                  ) -> tuple[float, dict]:
    from cablelint.config import Settings
    from cablelint.runner import lint

    cpu0 = _cpu()
    t0 = time.perf_counter()
    result = lint([str(corpus)], Settings(select=list(select)), jobs=jobs)
    seconds = time.perf_counter() - t0
    cpu_s = _cpu() - cpu0
    by_code: dict[str, int] = {}
    for f in result.findings:
        by_code[f.code] = by_code.get(f.code, 0) + 1
    return seconds, {"files": result.files, "findings": len(result.findings), "cpu_s": cpu_s,
                     "input_errors": result.input_errors, "by_code": dict(sorted(by_code.items()))}


def cablelint_cached_run(corpus: Path, jobs: int, cache_dir: Path, fresh: bool
                         ) -> tuple[float, dict]:
    """``lint()`` with the result cache in ``cache_dir``: emptied first (``fresh``, a cold
    run that also writes the cache) or as the previous run left it (a warm run)."""
    import shutil

    from cablelint.cache import ResultCache
    from cablelint.config import Settings
    from cablelint.runner import lint

    if fresh:
        shutil.rmtree(cache_dir, ignore_errors=True)
    t0 = time.perf_counter()
    settings = Settings()
    result = lint([str(corpus)], settings, jobs=jobs, cache=ResultCache(cache_dir, settings))
    seconds = time.perf_counter() - t0
    return seconds, {"files": result.files, "findings": len(result.findings),
                     "cached": result.cached}


CSV_VERSION = 1
_CLASSIFICATION_LINE = re.compile(
    r"^(?:UNCLAS|UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\b", re.MULTILINE)
_DTG = re.compile(r"\b(\d{2})(\d{2})(\d{2})Z ([A-Z]{3}) (\d{2})\b")


def _csv_row(number: int, refid: str, data: bytes) -> list[str]:
    """A file of the corpus as a row of Cablegate's cables.csv: a telegram's routing header
    (up to its classification line) in ``header``, the rest in ``content``; other formats
    all in ``content``. The date column is the DTG's, as Cablegate has it (M/D/YYYY H:MM)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n")
    head, body = "", text
    m = _CLASSIFICATION_LINE.search(text)
    if m and "\nFM " in text[: m.start()]:
        head, body = text[: m.start()], text[m.start():]
    date = ""
    d = _DTG.search(head)
    if d:
        day, hour, minute, mon, yy = d.groups()
        months = [calendar.month_abbr[i].upper() for i in range(1, 13)]
        if mon in months:
            year = int(yy) + (1900 if int(yy) > 50 else 2000)
            date = f"{months.index(mon) + 1}/{int(day)}/{year} {int(hour)}:{minute}"
    return [str(number), date, refid, "", "", "", head, body]


def ensure_csv(out: Path, corpus: Path, manifest: dict, copies: int) -> tuple[Path, dict]:
    """The corpus as one CSV file in the Cablegate layout (``copies`` times over, each copy's
    refids suffixed), built once and reused while its sidecar says it is the same."""
    import csv

    target = out / f"cables-{manifest['cables']}x{copies}.csv"
    sidecar = target.with_suffix(".json")
    want = {"csv_version": CSV_VERSION, "corpus_bytes": manifest["bytes"], "copies": copies}
    if target.is_file() and sidecar.is_file():
        info = json.loads(sidecar.read_text())
        if {k: info.get(k) for k in want} == want and target.stat().st_size == info["bytes"]:
            return target, info
    files = list_files(corpus)
    number = 0
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, escapechar="\\", doublequote=False,
                            lineterminator="\n")
        for copy in range(copies):
            for path in files:
                number += 1
                stem = Path(path).stem + (f"-{copy}" if copy else "")
                writer.writerow(_csv_row(number, stem, Path(path).read_bytes()))
    os.replace(tmp, target)
    info = {**want, "rows": number, "bytes": target.stat().st_size}
    sidecar.write_text(json.dumps(info, indent=2) + "\n")
    return target, info


_CSV_CHILD = """
import json, resource, sys, time
from cablelint.config import Settings
from cablelint.runner import lint
t0 = time.perf_counter()
result = lint([sys.argv[1]], Settings(), jobs=int(sys.argv[2]))
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "files": result.files,
                  "findings": len(result.findings), "input_errors": result.input_errors,
                  "rss_main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "rss_worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def csv_run(target: Path, jobs: int) -> tuple[float, dict]:
    """Lint the CSV container in a fresh process (no result cache), which reports its time
    and the peak resident memory of itself and of its largest worker (``getrusage``)."""
    env, cwd = _child_env()
    proc = subprocess.run([sys.executable, "-c", _CSV_CHILD, str(target), str(jobs)], env=env,
                          cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"CSV run failed ({proc.returncode}):\n{proc.stderr}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    return info.pop("seconds"), info


def use_revision(rev: str, out: Path) -> str:
    """Measure cablelint as committed at ``rev`` (``git archive`` of cablelint/ and rules/
    into ``out/src-<commit>``), not the working tree, which others may be editing."""
    global SRC_OVERRIDE, cablelint
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True,
                         capture_output=True, text=True).stdout.strip()
    dest = out / f"src-{sha}"
    if not (dest / "cablelint" / "__init__.py").is_file():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha, "cablelint", "rules"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    for name in [m for m in sys.modules if m == "cablelint" or m.startswith("cablelint.")]:
        del sys.modules[name]
    sys.path.insert(0, str(dest))
    import cablelint as exported

    cablelint = exported
    SRC_OVERRIDE = dest
    return sha


def _child_env() -> tuple[dict[str, str], Path]:
    """Environment and working folder for the subprocess timings. ``python -m`` and ``-c``
    put the working folder first on sys.path, so it decides which cablelint is imported."""
    env = dict(os.environ)
    # An installed package has its bytecode compiled; a sandbox that forbids writing it
    # would time the compilation of every module on every run instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if SRC_OVERRIDE is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_OVERRIDE),
                                                          env.get("PYTHONPATH")]))
        return env, SRC_OVERRIDE
    probe = subprocess.run([sys.executable, "-c", "import cablelint"], env=env,
                           capture_output=True, cwd=ROOT)
    if probe.returncode != 0:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env, ROOT


def wall(cmd: list[str], runs: int, env: dict[str, str], cwd: Path) -> dict:
    times, codes = [], set()
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        codes.add(proc.returncode)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                             f"{proc.stderr.decode(errors='replace')}")
    return {"median_ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000,
            "max_ms": max(times) * 1000, "runs": runs, "exit_codes": sorted(codes)}


def _code_state() -> dict:
    """Which cablelint was measured: its version, path, and the checkout's commit and edits."""
    state = {"version": getattr(cablelint, "__version__", "?"),
             "path": str(Path(cablelint.__file__).parent)}
    if SRC_OVERRIDE is not None:
        return {**state, "commit": SRC_OVERRIDE.name[4:], "uncommitted": [],
                "source": "git archive of the commit"}
    try:
        git = ["git", "-C", str(ROOT)]
        state["commit"] = subprocess.run(git + ["rev-parse", "--short", "HEAD"],
                                         capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(git + ["status", "--porcelain", "--", "cablelint", "rules"],
                               capture_output=True, text=True).stdout.splitlines()
        state["uncommitted"] = [line[3:] for line in dirty]
        if dirty:  # fingerprint the edits, to tell whether they changed during the run
            diff = subprocess.run(git + ["diff", "HEAD", "--", "cablelint", "rules"],
                                  capture_output=True).stdout
            for line in dirty:
                if line.startswith("??"):
                    path = ROOT / line[3:]
                    files = [path] if path.is_file() else sorted(path.rglob("*.py"))
                    diff += b"".join(f.read_bytes() for f in files)
            state["edits_sha1"] = hashlib.sha1(diff).hexdigest()[:12]
    except OSError:
        pass
    return state


def pick_small_file(corpus: Path) -> Path:
    """The first telegram-like .txt of the corpus under 10 KB (a typical file to commit)."""
    for p in list_files(corpus):
        if p.endswith(".txt") and os.path.getsize(p) <= 10_000:
            return Path(p)
    return Path(list_files(corpus)[0])


def profile(corpus: Path, n: int, top: int, out: Path) -> str:
    import cProfile
    import io
    import pstats

    from cablelint.config import Settings
    from cablelint.runner import lint

    files = list_files(corpus)[:n]
    lint(files[:50], Settings(), jobs=1)  # warm the pack caches outside the profile
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    lint(files, Settings(), jobs=1)
    prof.disable()
    seconds = time.perf_counter() - t0
    prof.dump_stats(str(out / "profile.pstats"))
    stats = pstats.Stats(prof)
    rows = []
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in raw.items():
        where = filename.replace(str(SRC_OVERRIDE or ROOT) + os.sep, "")
        rows.append((tt, ct, nc, f"{where}:{line}({func})"))
    total = max(r[1] for r in rows if r[3].endswith("(lint)"))  # shares are of lint()'s time
    lines = [f"cProfile, cablelint `lint()` on {len(files)} cables, 1 process: {seconds:.2f} s "
             f"wall under the profiler; shares are of lint()'s {total:.2f} s", "",
             f"Top {top} by own time (tottime):", "",
             "| own s | own % | cum s | cum % | calls | function |",
             "| ---: | ---: | ---: | ---: | ---: | --- |"]
    for tt, ct, nc, name in sorted(rows, reverse=True)[:top]:
        lines.append(f"| {tt:.2f} | {100 * tt / total:.1f} | {ct:.2f} | {100 * ct / total:.1f} "
                     f"| {nc} | `{name}` |")
    lines += ["", f"Top {top} by cumulative time (cablelint functions):", "",
              "| cum s | cum % | own s | calls | function |", "| ---: | ---: | ---: | ---: | --- |"]
    ours = [r for r in rows if "cablelint" in r[3]]
    for tt, ct, nc, name in sorted(ours, key=lambda r: -r[1])[:top]:
        lines.append(f"| {ct:.2f} | {100 * ct / total:.1f} | {tt:.2f} | {nc} | `{name}` |")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(40)
    (out / "profile.txt").write_text("\n".join(lines) + "\n\n" + buf.getvalue())
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def table(results: dict) -> str:
    c = results["corpus"]
    rows = results["throughput"]
    floors = {r["processes"]: r["seconds"] for r in rows if r["name"] == "floor"}
    out = [
        f"Corpus: {c['cables']:,} cables, {c['bytes'] / MB:.1f} MB "
        f"({c['bytes'] / c['cables'] / 1000:.2f} KB per cable). Best of {results['repeat']}; "
        "MB = 10^6 bytes. Machine: "
        f"{results['machine']['cpus']} CPUs, Python {results['machine']['python']}; cablelint "
        f"{results['cablelint'].get('commit', '?')}"
        f"{' + uncommitted edits' if results['cablelint'].get('uncommitted') else ''}.",
        "",
        "| measurement | processes | seconds | CPU s | cables/s | MB/s | cablelint / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    labels = {"floor": "floor: read + 1 regex over bytes",
              "floor-text": "floor: read + decode + 1 regex over text",
              "cablelint": "cablelint `lint()`, whole catalog",
              "mission": f"cablelint `lint()`, the five mission rules ({', '.join(MISSION)})",
              "cold": "cablelint, result cache empty (cold run, fills it)",
              "warm": "cablelint, result cache full (warm run, nothing changed)"}
    big = [r for r in rows if r["name"] == "csv"]
    rows = [r for r in rows if r["name"] != "csv"]
    for r in rows:
        ratio = ""
        if r["name"] in ("cablelint", "mission") and r["processes"] in floors:
            ratio = f"{r['seconds'] / floors[r['processes']]:.1f}x"
        cpu = f"{r['cpu_s']:.2f}" if "cpu_s" in r else ""
        out.append(f"| {labels[r['name']]} | {r['processes']} | {r['seconds']:.2f} | {cpu} | "
                   f"{r['cables_per_s']:,.0f} | {r['mb_per_s']:.1f} | {ratio} |")
    if big:
        info = results["csv"]
        out += ["", f"One CSV container in the Cablegate layout: the corpus {info['copies']} "
                f"time{'s' * (info['copies'] != 1)} over, {info['rows']:,} rows, "
                f"{info['bytes'] / MB:.1f} MB, streamed; a fresh process, no result cache; "
                "peak RSS from getrusage (the main process; the largest worker).", "",
                "| container | processes | seconds | cables/s | MB/s | findings | "
                "peak RSS main | peak RSS worker |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in big:
            worker = f"{r['rss_worker_kb'] / 1024:.0f} MB" if r["processes"] > 1 else ""
            out.append(f"| `{Path(info['path']).name}` | {r['processes']} | {r['seconds']:.2f} "
                       f"| {r['cables_per_s']:,.0f} | {r['mb_per_s']:.1f} | "
                       f"{r['findings']:,} | {r['rss_main_kb'] / 1024:.0f} MB | {worker} |")
    p = results.get("precommit")
    if p:
        out += ["", f"Start-up and pre-commit (one {p['file_bytes'] / 1000:.1f} KB file; "
                f"wall time of a subprocess, {p['lint']['runs']} runs):", "",
                "| command | median ms | min ms | max ms |", "| --- | ---: | ---: | ---: |"]
        for key, label in (("python", "`python -c pass`"),
                           ("import", "`python -c \"import cablelint.cli\"`"),
                           ("lint", "`python -m cablelint --no-cache FILE` (a changed file)"),
                           ("cached", "`python -m cablelint FILE` (unchanged: from the result "
                                      "cache)")):
            r = p[key]
            out.append(f"| {label} | {r['median_ms']:.0f} | {r['min_ms']:.0f} | "
                       f"{r['max_ms']:.0f} |")
    t = results.get("targets")
    if t:
        out += ["", "| target | goal | measured | met |", "| --- | ---: | ---: | :---: |"]
        for row in t:
            out.append(f"| {row['target']} | {row['goal']} | {row['measured']} | "
                       f"{'yes' if row['met'] else 'no'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cables", type=int, default=20000, help="corpus size (default 20000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement, best kept")
    ap.add_argument("--quick", action="store_true", help="smoke run: 2,000 cables, 1 repeat")
    ap.add_argument("--out", type=Path, default=HERE / "out",
                    help="where the corpus is built and reused (default benchmarks/out/)")
    ap.add_argument("--samples", help="folder of real samples (default corpus_samples/, "
                    "else shared/corpus/ and shared/seeds/)")
    ap.add_argument("--seed", type=int, default=1, help="corpus generator seed")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the corpus even if present")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                    help="process counts to measure (default 1 2)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    ap.add_argument("--no-precommit", action="store_true", help="skip the subprocess timings")
    ap.add_argument("--no-cache-runs", action="store_true",
                    help="skip the result-cache measurements (cold and warm)")
    ap.add_argument("--csv-only", action="store_true",
                    help="measure the CSV container only (e.g. with --csv-copies 5, 1 GB)")
    ap.add_argument("--csv-copies", type=int, default=1, metavar="K",
                    help="the CSV container holds the corpus K times (default 1; 0: no CSV "
                         "measurement; 5 makes about 1 GB)")
    ap.add_argument("--rev", help="measure cablelint as committed at this git revision "
                    "(e.g. HEAD), exported under --out, instead of the working tree")
    ap.add_argument("--profile", nargs="?", type=int, const=2000, metavar="N",
                    help="only profile cablelint (cProfile, 1 process) on N cables (2000)")
    args = ap.parse_args(argv)
    if args.quick:
        args.cables, args.repeat = 2000, 1
    if args.profile and args.cables < args.profile:
        args.cables = args.profile
    args.out.mkdir(parents=True, exist_ok=True)
    if args.rev:
        print(f"measuring cablelint at {use_revision(args.rev, args.out)}", file=sys.stderr)
    state_before = _code_state()

    t0 = time.perf_counter()
    corpus, manifest, reused = ensure_corpus(args.out, args.cables, args.seed, args.samples,
                                             args.rebuild)
    how = "reused" if reused else f"built in {time.perf_counter() - t0:.1f} s"
    print(f"corpus: {corpus} ({how}): {manifest['cables']:,} cables, "
          f"{manifest['bytes'] / MB:.1f} MB, "
          f"kinds {manifest['kinds']}, byte-identical duplicates "
          f"{manifest['byte_identical_duplicates']}", file=sys.stderr)

    if args.profile:
        print(profile(corpus, args.profile, 25, args.out))
        print(f"\n(full listing: {args.out / 'profile.txt'}, "
              f"stats: {args.out / 'profile.pstats'})", file=sys.stderr)
        return 0

    load_before = list(os.getloadavg())  # other work on the machine skews the timings
    if load_before[0] > 0.5:
        print(f"warning: the machine is busy (load average {load_before[0]:.2f}); timings, "
              "above all on 2 processes, will be slow and noisy", file=sys.stderr)
    # warm the page cache and cablelint's imports outside the timings
    _floor_chunk(list_files(corpus))
    cablelint_run(corpus / "000", 1)

    measures = [(name, j) for name in ("floor", "floor-text", "mission", "cablelint")
                for j in args.jobs]
    if args.csv_only:
        measures, args.no_cache_runs, args.no_precommit = [], True, True
    if not args.no_cache_runs:  # a cold run fills an empty cache, the warm run after it reads it
        measures += [(name, j) for j in args.jobs for name in ("cold", "warm")]
    csv_file, csv_info = None, None
    if args.csv_copies > 0:
        t0 = time.perf_counter()
        csv_file, csv_info = ensure_csv(args.out, corpus, manifest, args.csv_copies)
        print(f"CSV container: {csv_file} ({csv_info['rows']:,} rows, "
              f"{csv_info['bytes'] / MB:.1f} MB, ready in {time.perf_counter() - t0:.1f} s)",
              file=sys.stderr)
        measures += [("csv", j) for j in args.jobs]
    cache_dir = args.out / "result-cache"
    best: dict[tuple[str, int], tuple[float, dict]] = {}
    all_times: dict[tuple[str, int], list[float]] = {}
    for rep in range(args.repeat):
        for name, jobs in measures:
            gc.collect()
            if name == "cablelint":
                seconds, info = cablelint_run(corpus, jobs)
            elif name == "mission":
                seconds, info = cablelint_run(corpus, jobs, MISSION)
            elif name in ("cold", "warm"):
                seconds, info = cablelint_cached_run(corpus, jobs, cache_dir, name == "cold")
            elif name == "csv":
                assert csv_file is not None
                seconds, info = csv_run(csv_file, jobs)
            else:
                seconds, info = floor(corpus, jobs, text=name == "floor-text")
            all_times.setdefault((name, jobs), []).append(seconds)
            if (name, jobs) not in best or seconds < best[(name, jobs)][0]:
                best[(name, jobs)] = (seconds, info)
            print(f"  run {rep + 1}/{args.repeat} {name:<10} jobs={jobs}: {seconds:7.2f} s "
                  f"{info}"[:200], file=sys.stderr)

    nbytes = manifest["bytes"]
    throughput = []
    for name, jobs in measures:
        seconds, info = best[(name, jobs)]
        expected = csv_info["rows"] if name == "csv" and csv_info else manifest["cables"]
        if info["files"] != expected:
            print(f"warning: {name} jobs={jobs} saw {info['files']} files, expected "
                  f"{expected}", file=sys.stderr)
        size = csv_info["bytes"] if name == "csv" and csv_info else nbytes
        throughput.append({"name": name, "processes": jobs, "seconds": seconds,
                           "all_seconds": all_times[(name, jobs)],
                           "cables_per_s": info["files"] / seconds,
                           "mb_per_s": size / MB / seconds, **info})

    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "cablelint": state_before,
        "load_average_before": load_before, "load_average_after": list(os.getloadavg()),
        "corpus": {"path": str(corpus), "reused": reused, **manifest},
        "repeat": args.repeat,
        "floor_regex": FLOOR_RE.pattern.decode(),
        "throughput": throughput,
    }
    if csv_info is not None:
        results["csv"] = {"path": str(csv_file), **csv_info}

    if not args.no_precommit:
        env, cwd = _child_env()
        small = pick_small_file(corpus).resolve()
        wall([sys.executable, "-m", "cablelint", str(small)], 1, env, cwd)  # warm caches
        results["precommit"] = {
            "file": str(small), "file_bytes": small.stat().st_size,
            "python": wall([sys.executable, "-c", "pass"], 10, env, cwd),
            "import": wall([sys.executable, "-c", "import cablelint.cli"], 10, env, cwd),
            # a file a commit changed is not in the result cache: --no-cache times the lint
            "lint": wall([sys.executable, "-m", "cablelint", "--no-cache", str(small)], 10,
                         env, cwd),
            "cached": wall([sys.executable, "-m", "cablelint", str(small)], 10, env, cwd),
        }

    targets = []
    for r in throughput:
        if r["name"] not in ("mission", "cablelint"):
            continue
        goal = TARGETS[r["name"]]
        what = "five mission rules" if r["name"] == "mission" else "whole catalog"
        fl = best.get(("floor", r["processes"]))
        if fl:
            ratio = r["seconds"] / fl[0]
            targets.append({"target": f"{what}: time / floor time, {r['processes']} process"
                            f"{'es' if r['processes'] > 1 else ''}",
                            "goal": f"<= {goal['ratio_max']:.0f}x", "measured": f"{ratio:.1f}x",
                            "met": ratio <= goal["ratio_max"]})
        if r["processes"] == 2:
            targets.append({"target": f"{what}: cables/s, 2 processes",
                            "goal": f">= {goal['cables_per_s_2proc']:,.0f}",
                            "measured": f"{r['cables_per_s']:,.0f}",
                            "met": r["cables_per_s"] >= goal["cables_per_s_2proc"]})
    by_run = {(r["name"], r["processes"]): r["seconds"] for r in throughput}
    for jobs in args.jobs:
        if ("warm", jobs) in by_run and ("cablelint", jobs) in by_run:
            share = by_run[("warm", jobs)] / by_run[("cablelint", jobs)]
            targets.append({"target": f"warm run / cold run (no cache), {jobs} process"
                            f"{'es' if jobs > 1 else ''}", "goal": "< 10%",
                            "measured": f"{share:.1%}", "met": share < 0.10})
    if "precommit" in results:
        ms = results["precommit"]["lint"]["median_ms"]
        targets.append({"target": "one small file, `python -m cablelint --no-cache FILE`",
                        "goal": f"< {TARGETS['one_file_ms']:.0f} ms", "measured": f"{ms:.0f} ms",
                        "met": ms < TARGETS["one_file_ms"]})
    results["targets"] = targets
    state_after = _code_state()
    if state_after != state_before:
        results["cablelint_after"] = state_after
        print("warning: cablelint's sources changed during the run (commit or uncommitted "
              "edits): the in-process timings used the code as first imported, the "
              "subprocess timings the code on disk later; use --rev HEAD for a fixed "
              "version", file=sys.stderr)

    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nJSON results: {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
