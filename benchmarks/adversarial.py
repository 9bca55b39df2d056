"""Damaged and hostile inputs that must be linted in time linear in their size.

    python benchmarks/adversarial.py [--scale 1.0] [--limit 5] [--only NAME]

writes about 60 texts of 0.3-1 MB (a telegram's or the seed's header, then one pattern
repeated: thousands of ``SUMMARY:`` openers, paragraphs all numbered ``1.``, QUOTE ...
UNQUOTE pairs, brackets, page headers, entities ...) to ``benchmarks/out/adversarial/`` and
lints each in a process of its own, printing the seconds each took and flagging those over
``--limit``. A search that walks all that came before at each step (quadratic) takes
minutes on these; linear code takes about a second. ``--scale 2`` doubles every text: a
linear rule's time doubles, a quadratic one's quadruples. Exit status 1 when one is over the
limit (or its run failed), else 0. Session 14 found and fixed six quadratic paths with it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TELEGRAM = ("P 262103Z FEB 07\nFM AMEMBASSY BOGOTA\nTO SECSTATE WASHDC\n"
            "C O N F I D E N T I A L BOGOTA 001339\n\nE.O. 12958: DECL: 02/26/2017\n"
            "TAGS: PGOV CO\nSUBJECT: X\n\nREF: A. BOGOTA 123 B. STATE 456\n\n")

#: name -> (the header: "telegram", "seed" or "", the unit, how many times)
PATTERNS: dict[str, tuple[str, str, int]] = {
    "parens": ("telegram", "(", 1_000_000),
    "closeparens": ("telegram", ")", 1_000_000),
    "brackets": ("telegram", "[(", 500_000),
    "brackets-mixed": ("telegram", "( [ ) ] ", 60_000),
    "paren-lines": ("telegram", "(a\n", 100_000),
    "close-lines": ("telegram", "b)\n", 100_000),
    "numbers": ("telegram", "1. ", 300_000),
    "paragraphs": ("telegram", "{i}. (C) text text.\n\n", 40_000),
    "paragraphs-all-1": ("telegram", "1. (C) same text here.\n\n", 30_000),
    "paragraphs-crlf": ("telegram", "1. (C) text\r\n\r\n", 40_000),
    "letters": ("telegram", "A. B. C. D. ", 80_000),
    "subparagraphs": ("telegram", "{L}. sub\n", 40_000),
    "labels": ("telegram", "A) x\nB) y\n(C) z\n", 30_000),
    "summary-one-line": ("telegram", "SUMMARY: ", 100_000),
    "summary-blocks": ("telegram", "SUMMARY: text here\n\n", 20_000),
    "summary-paragraphs": ("telegram", "{i}. SUMMARY: text here\n\n", 20_000),
    "summary-closed": ("telegram", "SUMMARY: a\n\nEND SUMMARY.\n\n", 20_000),
    "end-summary": ("telegram", "END SUMMARY. ", 40_000),
    "notes": ("telegram", "(Note: x. ", 50_000),
    "comments": ("telegram", "\n\nComment: x.", 40_000),
    "quotes": ("telegram", "BEGIN TEXT\nQUOTE\nEND TEXT\nUNQUOTE\n", 20_000),
    "quote-openers": ("telegram", "BEGIN TEXT ", 90_000),
    "refs": ("telegram", "per ref A and reftel, (ref B) ", 20_000),
    "ref-letters": ("telegram", "REF A, B, C, D ", 70_000),
    "sections": ("telegram", "SECTION 1 OF 2\n", 30_000),
    "dtg-lines": ("telegram", "O 262103Z FEB 07\n", 30_000),
    "dtgs": ("telegram", "262103Z FEB 07 ", 60_000),
    "routing": ("telegram", "FM AMEMBASSY BOGOTA\nTO SECSTATE WASHDC\n", 15_000),
    "subjects": ("telegram", "SUBJECT: X\n", 40_000),
    "eo-lines": ("telegram", "E.O. 12958: DECL: 02/26/2017\n", 20_000),
    "tags-square-free": ("telegram", "TAGS: {SQUARE_FREE}\n", 1),
    "page-headers": ("telegram", "PAGE 02 BOGOTA 01339 01 OF 02 262103Z\n", 25_000),
    "cablegate-pages": ("telegram", "BOGOTA 00001339 002 OF 004\n", 30_000),
    "page-numbers": ("telegram", "Page 2 of 5\n", 40_000),
    "stamps": ("telegram", "RELEASED IN FULL ", 60_000),
    "banners": ("telegram", "CONFIDENTIAL\n", 40_000),
    "redactions": ("telegram", "(b)(6) (b)(7)(C) (b)(1) ", 20_000),
    "entities": ("telegram", "&quot;&amp;&#x27;", 30_000),
    "mojibake": ("telegram", "\u00e2\u20ac\u2122", 300_000),
    "pilcrows": ("telegram", "\u00b6", 300_000),
    "lower-l": ("telegram", "AlB ", 250_000),
    "digits": ("telegram", "A1B2C3 ", 140_000),
    "split-words": ("telegram", "UNC LASSIFIED ", 40_000),
    "ocr-words": ("telegram", "MEXICQ BOGQTA 5ECRET ", 20_000),
    "capitals": ("telegram", "ABCDEFGHIJ", 100_000),
    "spaces": ("telegram", " ", 1_000_000),
    "newlines": ("telegram", "\n", 1_000_000),
    "words": ("", "word ", 200_000),
    "smart-headings": ("seed", "### **(SBU) Heading**\n\n", 30_000),
    "smart-fields": ("seed", "**Subject:** X\n", 30_000),
    "smart-tables": ("seed", "| **MRN:** | 23 MEXICO 2544 |\n", 30_000),
    "smart-pages": ("seed", "Page 2 of 5\n\ntext continues here\n\n", 20_000),
    "smart-struck": ("seed", "~~(SBU)~~ text\n\n", 30_000),
    "smart-marked": ("seed", "{n}. (SBU) text\n\n", 30_000),
    "smart-unmarked-1": ("seed", "1. text here\n\n", 20_000),
    "smart-drafted": ("seed", "**Drafted By:** MEXICQ (b)(6) Mexico City)\n", 20_000),
    "smart-comments": ("seed", "**Comment:** x\n\n", 30_000),
}


def _square_free(n: int) -> str:
    """TAGS codes, repeated, with no run written twice in a row (from Thue-Morse)."""
    bits = [bin(i).count("1") % 2 for i in range(4 * n + 8)]
    zeros = [i for i, b in enumerate(bits) if b == 0]
    return " ".join(("PGOV", "PREL", "ECON")[zeros[i + 1] - zeros[i] - 1] for i in range(n))


def text_of(name: str, scale: float) -> str:
    header, unit, times = PATTERNS[name]
    times = max(1, int(times * scale))
    head = {"telegram": TELEGRAM, "": ""}.get(header)
    if head is None:
        seeds = sorted((HERE.parent.parent / "shared" / "seeds").glob("*.txt")) or sorted(
            (HERE.parent / "corpus_samples" / "smart").glob("000_*.txt"))
        seed = seeds[0].read_text(encoding="utf-8")
        head = seed[: seed.find("\n1. ") + 1]
    if "{SQUARE_FREE}" in unit:
        return head + unit.format(SQUARE_FREE=_square_free(int(3000 * scale)))
    if "{" in unit:
        return head + "".join(unit.format(i=i + 1, n=i % 50 + 1, L=chr(65 + i % 26))
                              for i in range(times))
    return head + unit * times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="size of every text (default 1)")
    ap.add_argument("--limit", type=float, default=5.0, help="seconds a text may take")
    ap.add_argument("--only", help="one pattern's name")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "adversarial")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    slow = 0
    for name in [args.only] if args.only else PATTERNS:
        suffix = ".md" if PATTERNS[name][0] == "seed" else ".txt"
        path = args.out / f"{name}{suffix}"
        path.write_text(text_of(name, args.scale), encoding="utf-8")
        cmd = [sys.executable, "-m", "cablelint", "--isolated", "--no-cache", "-q", "-j", "1",
               "--statistics", str(path)]
        began = time.perf_counter()
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=args.limit * 12)
            status = run.returncode
        except subprocess.TimeoutExpired:
            status = None
        took = time.perf_counter() - began
        over = status is None or status > 1 or took > args.limit
        slow += over
        size = path.stat().st_size / 1e6
        flag = "  <-- SLOW" if over else ""
        print(f"{name:20s} {size:5.2f} MB {took:6.2f} s  exit {status}{flag}")
    print(f"{slow} of {len(PATTERNS) if not args.only else 1} over {args.limit:g} s or failed")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
