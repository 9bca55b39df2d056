"""Recall on planted defects: plant one defect at a time into real cables, lint, and count
whether the rule that names it finds it at its line, and what else it adds.

    python benchmarks/plant.py [--src DIR] [-v] [ROOT ...]

ROOTs are folders of real cables (default: ``corpus_samples/`` without ``broken/``, and
``../shared/corpus`` and ``../shared/seeds`` beside the repository when they exist). Prints,
for each kind of defect, found/planted and the extra findings (new findings other than the
planted one's); ``-v`` lists every miss and extra. Web pages are skipped (their offsets are
the page's, not the text's). The plants are realistic only where the text then holds a real
defect; the session-14 rules below keep them so. A miss is a recall gap or a planter
artifact: decide which before changing a rule.

Rules of planting (session 14): planted only where the text then holds a real defect (TAGS dropped
only from cables dated from 1 March 1973; a DTG day moved only where another date states
it, else a DTG that cannot exist; a marking dropped where two paragraphs at least are
marked; a paragraph renumbered where it is in sequence; a page line between two text lines,
not next to furniture nor, in a paged SMART transcription, between sentences; E.O. typos in
the parsed E.O. field; a duplicated paragraph of 200 characters or more; a ')' dropped from
a parenthetical that is not inside another). A planted defect is found by each code that
names it (a moved DTG day: D001 or H005). New kinds: renumber-repeat, marking-bracket
('(C' / 'C)'), marking-ocr ('(SGU)', '(CJ'), label-ocr (SUBJECI, E.0.), drop-EO / drop-FM /
drop-CLASSIFICATION, dtg-month, dtg-impossible (31 APR, 30 FEB, hour 24), eo-era, banner
(a banner of another level than the classification line), section-lost (the last section
of a cable of 2 or more), ref-lost (the REF line's last entry, cited in the text). Extras
exclude what the plant makes true besides (a page line mid-sentence is a split too, S002; a
duplicated paragraph copies its own findings) and base findings whose message changed."""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_LINT: dict[str, Any] = {}


def lint(text: str) -> tuple[Any, list[Any]]:
    cable = _LINT["parse_text"]("x.txt", text)
    if cable.format == "unknown":
        return cable, []
    return cable, _LINT["run_rules"](cable, _LINT["selection"])


def key(f: Any) -> tuple[str, str]:
    return (f.code, re.sub(r"\d+", "#", f.message))


def line_of(text: str, off: int) -> int:
    return text.count("\n", 0, off) + 1


OCR = {"O": "Q", "I": "1", "S": "5", "B": "8", "E": "F", "G": "6", "Z": "2", "D": "O"}
POSTS = ["MEXICO", "BOGOTA", "MADRID", "PARIS", "LONDON", "TOKYO", "ROME", "MOSCOW", "CAIRO",
         "BERLIN", "TEHRAN", "BEIJING", "MANILA", "SEOUL", "CARACAS", "HAVANA", "LIMA", "KABUL",
         "BAGHDAD", "ISLAMABAD", "AMEMBASSY", "SECSTATE", "WASHDC", "CONFIDENTIAL", "SUBJECT",
         "UNCLASSIFIED", "SECRET", "AMCONSUL", "USMISSION", "STATE", "NAIROBI", "PRETORIA",
         "BRASILIA", "OTTAWA", "ANKARA", "ATHENS", "VIENNA", "BRUSSELS", "GENEVA", "KUALA",
         "LUMPUR", "JAKARTA", "HANOI", "BANGKOK", "SANTIAGO", "QUITO", "PANAMA", "MANAGUA"]


_DE_RE = re.compile(r"^DE [A-Z]{4,5} #\s?\d+\s?\d{7}", re.M)
_RECORD_DATE_RE = re.compile(r"^\w{3} \w{3} \d\d \d\d:\d\d:\d\d [+-]\d{4} \d{4}", re.M)
_DTG_RE = re.compile(r"\b\d{6}\s?Z\s?[A-Z]{3}\s?\d\s?\d\b")


_FURNITURE_RE = re.compile(
    r"[\s>]*(?:[A-Z]+ \d{8} \d{3}|PAGE \d|Page \d|##|Released|RELEASED|UNCLASSIFIED"
    r"|U\.?S\.? Department|John Powers|\d+/\d+/\d{4})")


def other_date(text: str, cable: Any) -> bool:
    """Does the cable state a date besides its DTG that D001/H005 compare with it?"""
    return bool(cable.get("MRN") or _DE_RE.search(text) or _RECORD_DATE_RE.search(text)
                or len(_DTG_RE.findall(text)) >= 2 or "Date/DTG" in text)


def plants(text: str, cable: Any, rng: random.Random) -> Any:
    """(kind, code, line or None, mutated text)"""
    paras = [p for p in cable.paragraphs]
    # P001: renumber a paragraph (gap)
    # (a paragraph in sequence with its neighbours: renumbering one that is already out of
    # sequence may repair it, 09MADRID440's second 4 after 5)
    seq = [p for i, p in enumerate(paras[1:], 1) if p.number == paras[i - 1].number + 1
           and (i + 1 == len(paras) or paras[i + 1].number == p.number + 1)]
    if len(paras) >= 3 and seq:
        p = rng.choice(seq)
        new = str(p.number + 2)
        t = text[: p.number_start] + new + text[p.number_end:]
        yield "renumber", "P001", line_of(text, p.number_start), t
    # M001: drop a marking
    marked = [p for p in paras if p.slot.marking and p.slot.start < p.slot.end]
    # (two marked paragraphs at least: an UNCLAS cable's only paragraph needs no marking once
    # dropped, 04PARIS8983; a truncated record's paragraph 1 neither, 08MOSCOW2700)
    if len(marked) >= 2 or (marked and cable.classification not in (None, "U")):
        p = rng.choice(marked)
        s, e = p.slot.start, p.slot.end
        while e < len(text) and text[e] == " ":
            e += 1
        t = text[:s] + text[e:]
        yield "drop-marking", "M001", line_of(text, s), t
    # H001: drop TAGS / SUBJECT line
    early = cable.date is not None and str(cable.date) < "1973-03-01"
    for name in ("TAGS", "SUBJECT"):
        if name == "TAGS" and early:
            continue  # TAGS became mandatory on 1 March 1973 (72TEHRAN1381)
        fs = cable.get(name)
        if fs:
            f = fs[0]
            ls = text.rfind("\n", 0, f.line_start if hasattr(f, "line_start") else f.start) + 1
            le = text.find("\n", f.end)
            t = text[:ls] + text[le + 1:]
            yield f"drop-{name}", "H001", None, t
            break
    # D001: move the DTG day by 3 where the cable states another date to compare (a DE line's
    # Julian day, a second DTG, a record's or SMART header's date); else make it impossible
    dtgs = cable.get("DTG") or cable.get("DATE_DTG")
    if dtgs:
        f = dtgs[0]
        m = re.search(r"(\d\d)(\d\d)(?=\d\d\s?Z)", f.value)
        mon = re.search(r"Z\s?([A-Za-z]{3})", f.value)
        if m:
            if other_date(text, cable):
                day = int(m.group(1))
                nd = day + 3 if day <= 25 else day - 3
                s = f.start + m.start()
                t = text[:s] + f"{nd:02d}" + text[s + 2:]
                yield "dtg-day", ("D001", "H005"), line_of(text, s), t
            elif mon:
                month = mon.group(1).upper()
                if month in ("APR", "JUN", "SEP", "NOV"):
                    s, new = f.start + m.start(1), "31"  # 31 APR
                elif month == "FEB":
                    s, new = f.start + m.start(1), "30"
                else:
                    s, new = f.start + m.start(2), "24"  # hour 24
                yield "dtg-impossible", ("D001",), line_of(text, s), text[:s] + new + text[s + 2:]
    # T001: OCR-confuse a known word in the body
    body = text[cable.body_start: cable.body_end or len(text)]
    cands = []
    for w in POSTS:
        for m in re.finditer(rf"\b{w}\b", text):
            if w == "SUBJECT" and not text.startswith(":", m.end()):
                continue  # a label, not a word of the text ("[[SUBJECT FIRM'S|| 3]]")
            cands.append((m.start(), w))
    if cands:
        pos, w = rng.choice(cands)
        idxs = [i for i, c in enumerate(w) if c in OCR and i > 0]
        if idxs:
            i = rng.choice(idxs)
            nw = w[:i] + OCR[w[i]] + w[i + 1:]
            t = text[:pos] + nw + text[pos + len(w):]
            yield "ocr-word", "T001", line_of(text, pos), t
    # S004: drop a closing parenthesis inside a paragraph (not the marking)
    spots = []
    for p in paras:
        seg = text[p.start:p.end]
        for m in re.finditer(r"\([A-Za-z][^()\n]{3,40}\)", seg):
            # (not inside another parenthetical: the finding would go to the outer '(',
            # 10MADRID174's '(Comment: ... (Basque Country)')
            if p.start + m.start() > p.slot.end and (
                    seg.count("(", 0, m.start()) == seg.count(")", 0, m.start())):
                spots.append(p.start + m.end() - 1)
    if spots:
        s = rng.choice(spots)
        yield "drop-paren", "S004", line_of(text, s), text[:s] + text[s + 1:]
    # S003: a page line inside a paragraph: between two of its text lines (not at its end
    # before a blank line, nor next to page furniture already there, which it would join),
    # as the document's own page numbers read ("Page 3 of 5" in a 5-page release)
    pages = re.search(r"^Page \d+ of (\d+)\s*$", text, re.M)
    page_line = f"Page 2 of {pages.group(1)}" if pages else "Page 3 of 7"
    spots = []
    for p in paras:
        if text.count("\n", p.start, p.end) < 3:
            continue
        a = text.find("\n", p.start)
        b = text.find("\n", a + 1)
        while b != -1 and b < p.end:
            before, after = text[text.rfind("\n", 0, a) + 1 : a], text[a + 1 : b]
            # (a paged SMART transcription keeps its page furniture between sentences on
            # purpose: there, a page line is a defect where it cuts a sentence)
            mid = cable.format != "smart" or not before.rstrip().endswith(
                (".", ":", ";", "?", "!", '"'))
            if mid and before.strip() and after.strip() and "|" not in before + after \
                    and not _FURNITURE_RE.match(before) \
                    and not _FURNITURE_RE.match(after):
                spots.append(a + 1)
                break
            a, b = b, text.find("\n", b + 1)
    if spots:
        at = rng.choice(spots)
        yield "page-line", "S003", line_of(text, at), text[:at] + page_line + "\n" + text[at:]
    # T002: mojibake for an apostrophe
    ap = [m.start() for m in re.finditer(r"[a-z]'[a-z]", body)]
    if ap:
        s = cable.body_start + rng.choice(ap) + 1
        yield "mojibake", "T002", line_of(text, s), text[:s] + "\u00e2\u20ac\u2122" + text[s + 1:]
    # T003: damage a redaction code
    red = [m for m in re.finditer(r"\(b\)\s?\((\d)\)", text)]
    if red:
        m = rng.choice(red)
        s = m.start(1)
        yield "redaction", "T003", line_of(text, s), text[:s] + "0" + text[s + 1:]
    # H004: E.O. typo in the cable's E.O. field (the header's, not a repeated section
    # header's copy in the body)
    for f in cable.get("EO")[:1]:
        eo = re.search(r"(12958|12356|12065|11652|13526|13292)", text[f.start:f.end])
        if eo:
            s = f.start + eo.start(1)
            bad = {"12958": "12598", "12356": "12536", "12065": "12056", "11652": "11562",
                   "13526": "13256", "13292": "13922"}[eo.group(1)]
            yield "eo-typo", "H004", line_of(text, s), text[:s] + bad + text[s + 5:]
    # S006: repeat a paragraph's text as the next paragraph
    longs = [p for p in paras[1:-1] if p.end - p.start >= 200]
    if len(paras) >= 3 and longs:
        p = longs[-1]
        seg = text[p.start:p.end].rstrip("\n")
        # insert a copy of p right after p, renumber nothing: duplicate number too (P001 may fire)
        sep = "" if text[p.end - 1:p.end] == "\n" else "\n"
        t = text[:p.end] + sep + seg + "\n\n" + text[p.end:]
        yield "dup-paragraph", "S006", None, t

    # variants of the mission's five kinds
    # P001: a paragraph numbered as the one before it (a repeat)
    if len(paras) >= 3 and seq:
        p = rng.choice(seq)
        t = text[: p.number_start] + str(p.number - 1) + text[p.number_end:]
        yield "renumber-repeat", "P001", line_of(text, p.number_start), t
    # M001: a marking that lost a bracket ("(C" / "C)")
    if len(marked) >= 2 or (marked and cable.classification not in (None, "U")):
        p = rng.choice(marked)
        s, e = p.slot.start, p.slot.end
        raw = text[s:e]
        if raw.startswith("(") and raw.endswith(")"):
            bad = raw[:-1] if rng.random() < 0.5 else raw[1:]
            yield "marking-bracket", ("M001", "T001"), line_of(text, s), text[:s] + bad + text[e:]
    # H001: the E.O. line, the FM line or the classification line dropped
    for name, since in (("EO", "1973-03-01"), ("FM", ""), ("CLASSIFICATION", "")):
        fs = [f for f in cable.get(name) if f.origin in ("telegram", "smart")]
        # (one statement only: a record that holds its header twice keeps the other, 02BOGOTA1025)
        if (len(fs) == 1 and (cable.date is None or str(cable.date) >= since)
                and cable.format == "telegram"):
            f = fs[0]
            ls = text.rfind("\n", 0, f.line_start) + 1
            le = text.find("\n", f.end)
            yield f"drop-{name}", "H001", None, text[:ls] + text[le + 1:]
    # D001: the DTG's month moved by one where another date can be compared
    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    if dtgs and other_date(text, cable):
        f = dtgs[0]
        m = re.search(r"Z\s?([A-Z]{3})\b", f.value)
        if m and m.group(1) in months:
            i = months.index(m.group(1))
            new = months[(i + 1) % 12] if i < 11 else months[i - 1]
            s = f.start + m.start(1)
            yield "dtg-month", ("D001", "H005"), line_of(text, s), text[:s] + new + text[s + 3:]
    # H004: an E.O. of another era (12958 on a 1975 cable, 11652 on a 2009 one)
    for f in cable.get("EO")[:1]:
        eo = re.search(r"(12958|12356|12065|11652|13526)", text[f.start:f.end])
        if eo and cable.date is not None:
            # (an order not in force on the cable's date: 12958 on a 1972 cable, whatever
            # its line stated; 11652 on a later one)
            other = "12958" if cable.date.year < 1978 else "11652"
            if other == eo.group(1):
                continue
            s = f.start + eo.start(1)
            yield "eo-era", ("H004", "H005"), line_of(text, s), text[:s] + other + text[s + 5:]
    # T001: a header label OCR-damaged (SUBJECT -> SUBJECI, E.O. -> E.0.)
    for name, good, bad in (("SUBJECT", "SUBJECT", "SUBJECI"), ("EO", "E.O.", "E.0.")):
        for f in cable.get(name)[:1]:
            at = text.find(good, f.line_start, f.start + 1)
            if at != -1:
                yield ("label-ocr", ("T001",), line_of(text, at),
                       text[:at] + bad + text[at + len(good):])
                break
        else:
            continue
        break
    # T001/M001: a portion marking OCR-damaged ((SBU) -> (SGU), (C) -> (CJ, (S) -> (5))
    damaged = {"(SBU)": "(SGU)", "(C)": "(CJ", "(S)": "(5)", "(U)": "(UJ"}
    slots = [p for p in paras if text[p.slot.start:p.slot.end] in damaged]
    if slots:
        p = rng.choice(slots)
        a, b = p.slot.start, p.slot.end
        yield ("marking-ocr", ("T001", "M001"), line_of(text, a),
               text[:a] + damaged[text[a:b]] + text[b:])
    # C001/H005: a banner that disagrees with the classification line (a re-typed page)
    swap = {"C": "SECRET", "S": "CONFIDENTIAL"}
    for level, a, b in cable.banners:
        line_s = text.rfind("\n", 0, a) + 1
        line_e = text.find("\n", b)
        line_e = len(text) if line_e == -1 else line_e
        core = text[a:b].strip(" #*\t")
        if level in swap and level == cable.classification and core.isalpha() and core.isupper() \
                and text[line_s:line_e].strip(" #*\t") == core:
            at = text.index(core, a)
            yield ("banner", ("C001", "H005"), line_of(text, a),
                   text[:at] + swap[level] + text[at + len(core):])
            break
    # S005: the last section lost (SECTION 3 OF 3 and its text gone from a 3-section cable)
    secs = [m for m in re.finditer(r"SECTION\s+0?(\d)\s+OF\s+0?(\d)\b", text)]
    if (secs and int(secs[-1].group(1)) == int(secs[-1].group(2)) >= 2
            and cable.body_start < secs[-1].start()):
        ls = text.rfind("\n", 0, secs[-1].start()) + 1
        yield "section-lost", ("S005",), None, text[:ls]
    # R001: the REF line lost its last entry, which the text cites ("REF: A. X 1 B. Y 2" ->
    # "REF: A. X 1"; "REF B" in the text is then unlisted)
    for f in cable.get("REF")[:1]:
        labels = list(re.finditer(r"(?:^|(?<=\s))\(?([A-H])[.)]", text[f.start:f.end]))
        if len(labels) >= 2 and [m.group(1) for m in labels] == list("ABCDEFGH"[:len(labels)]):
            last = labels[-1].group(1)
            cite = re.search(rf"\bREF(?:S|TEL)?\.?\s+(?:[A-H]\s*(?:,|AND)\s*)*{last}\b",
                             text[cable.body_start:], re.I)
            if cite:
                cut = f.start + labels[-1].start()
                t = text[:cut].rstrip(" ,;") + text[f.end:]
                yield "ref-lost", ("R001",), None, t


def _roots() -> list[str]:
    roots = [str(HERE.parent / "corpus_samples")]
    shared = HERE.parent.parent / "shared"
    roots += [str(shared / name) for name in ("corpus", "seeds") if (shared / name).is_dir()]
    return roots


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("roots", nargs="*", help="folders of real cables")
    ap.add_argument("--src", default=str(HERE.parent), help="folder with cablelint/ and rules/")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and extra")
    args = ap.parse_args(argv)
    sys.path.insert(0, args.src)
    from cablelint.config import Settings
    from cablelint.engine import run_rules
    from cablelint.parse import parse_text
    from cablelint.source import decode

    _LINT.update(parse_text=parse_text, run_rules=run_rules,
                 selection=Settings().selection())
    verbose = args.verbose
    files = []
    for root in args.roots or _roots():
        for r, _dirs, ns in os.walk(root):
            if "broken" in r.split(os.sep):
                continue
            for n in ns:
                if n.endswith((".txt", ".md", ".html", ".htm")) and not n.startswith(
                        ("README", "SOURCES", "PROVENANCE")):
                    files.append(os.path.join(r, n))
    files.sort()
    found = collections.Counter()
    total = collections.Counter()
    extra = collections.Counter()
    misses = collections.defaultdict(list)
    for path in files:
        text = decode(Path(path).read_bytes()).text
        if "<pre" in text.lower():
            continue  # web pages: offsets differ from the text (skip)
        cable, base = lint(text)
        if cable.format == "unknown":
            continue
        basekeys = collections.Counter(key(f) for f in base)
        rng = random.Random(path)
        for kind, code, line, t in plants(text, cable, rng):
            _, got = lint(t)
            total[kind] += 1
            codes = (code,) if isinstance(code, str) else code
            hit = [f for f in got if f.code in codes and (line is None or f.line == line)]
            if hit:
                found[kind] += 1
            else:
                misses[kind].append(f"{path}:{line}")
            gk = collections.Counter(key(f) for f in got)
            # a base finding whose message changed with the plant (an OCR'd word quoted in
            # a page header's S003, a date lost to an impossible DTG in H004) is no extra
            same_place = collections.Counter((f.code, f.line) for f in base)
            for f in got:
                k = key(f)
                if gk[k] > basekeys[k] and same_place[(f.code, f.line)] > 0:
                    same_place[(f.code, f.line)] -= 1
                    gk[k] -= 1
            for k, n in (gk - basekeys).items():
                if k[0] in codes or (kind in ("dup-paragraph", "renumber") and k[0] == "P001"):
                    continue
                if kind == "page-line" and k[0] == "S002":
                    continue  # a page line inside a sentence is a page-break split too (true)
                if kind == "dup-paragraph" and (k in basekeys or k[0] == "S001"):
                    continue  # the copied paragraph's own defects, copied with it; a copied
                    # 'Comment:' opened again before its 'End comment.'
                if kind == "drop-paren" and k[0] in ("S001", "S004"):
                    continue  # '(Comment: ...' left open: no longer closed (true)
                if kind == "drop-CLASSIFICATION" and k[0] == "S005":
                    continue  # the line held SECTION 01 OF 04: section 1 is missing (true)
                if kind == "section-lost" and k[0] in ("S001", "R002", "S004"):
                    continue  # a summary closed, a reference cited, a parenthesis closed in the
                    # lost section
                extra[kind] += n
                if verbose:
                    print("EXTRA", kind, path, k)
    tf = tt = te = 0
    for kind in total:
        print(f"{kind:15s} {found[kind]:4d}/{total[kind]:4d}  extra {extra[kind]}")
        tf, tt, te = tf + found[kind], tt + total[kind], te + extra[kind]
    print(f"{'ALL':15s} {tf:4d}/{tt:4d}  extra {te}")
    if verbose:
        for kind, ms in misses.items():
            for miss in ms:
                print("MISS", kind, miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
