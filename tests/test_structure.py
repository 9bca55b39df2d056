"""The structure rules (S002-S006) beyond their rule cases: options, and fixes that repair."""

from __future__ import annotations

from cablelint.checks import PageBreakSplit, PageFurniture
from cablelint.engine import RuleSelection, run_rules
from cablelint.parse import parse_text
from conftest import SEED

TELEGRAM = """P 262103Z FEB 07
FM AMEMBASSY MADRID
TO SECSTATE WASHDC
UNCLAS SECTION 01 OF 03 MADRID 000293

E.O. 12958: N/A
TAGS: PGOV SP
SUBJECT: RELEASE DATES

1. (U) Release dates vary because pre-trial detention times

MADRID 00000293  002.2 OF 003


varied): five of the convicted are already free.

2. (U) The court will rule in June.

MADRID 00000293  003.2 OF 003

3. (U) The government has not commented.

AGUIRRE
"""


def test_page_headers_option_keeps_only_the_headers_that_split_a_sentence() -> None:
    cable = parse_text("t.txt", TELEGRAM)
    every = run_rules(cable, RuleSelection([PageFurniture]))
    assert [f.line for f in every] == [12, 19]
    cable = parse_text("t.txt", TELEGRAM)
    splitting = run_rules(cable, RuleSelection([PageFurniture],
                                                options={"S003": {"page_headers": False}}))
    assert [f.line for f in splitting] == [12]


def _apply(text: str, fix: tuple[str, int, int]) -> str:
    replacement, start, end = fix
    return text[:start] + replacement + text[end:]


def test_the_page_break_fix_rejoins_the_paragraph() -> None:
    """Applying every S002 fix leaves no S002, and the sentence reads on."""
    for path, text, joined in (
        ("seed.txt", SEED.read_text(encoding="utf-8"), "showed some progress on trafficking"),
        ("t.txt", TELEGRAM, "detention times\nvaried):"),
    ):
        for _ in range(10):
            found = list(PageBreakSplit().check(parse_text(path, text), {}))
            if not found:
                break
            fix = found[-1].fix
            assert fix is not None and not fix.safe
            text = _apply(text, (fix.replacement, fix.start, fix.end))
        assert not list(PageBreakSplit().check(parse_text(path, text), {}))
        assert joined in text


def test_a_long_quote_is_the_head_of_the_whole_text_normalised() -> None:
    from cablelint.checks.structure import _quote

    def whole(text: str, width: int) -> str:
        text = " ".join(text.strip(" \t>*_#").split())
        return text if len(text) <= width else text[: width - 3] + "..."

    long = "** (U)  In recent \n months   government " + "Ministers and officials " * 200
    spaced = "*" * 30 + " " * 200 + "word " * 5  # the head is only marks and spacing
    cut = "x" * 149 + " yz"  # the head ends inside a word
    for text in (long, spaced, cut, "short text"):
        for width in (10, 40, 50):
            assert _quote(text, width) == whole(text, width)
    assert _quote(long, 40) == "(U) In recent months government Minis..."


def test_a_run_of_paragraphs_all_numbered_1_is_read_in_one_pass() -> None:
    """Each "1." asks whether the run before it is a table of contents (one-line entries, no
    blank line between): the first pair that fails ends the look. 300 paragraphs numbered 1
    apart by blank lines are one run of the cable's own, each after the first a repeat."""
    from cablelint.checks import by_name_or_code
    from cablelint.engine import RuleSelection, run_rules
    from cablelint.parse import parse_text

    head = ("P 262103Z FEB 07\nFM AMEMBASSY BOGOTA\nTO SECSTATE WASHDC\n"
            "CONFIDENTIAL BOGOTA 001339\n\nE.O. 12958: N/A\nTAGS: PGOV CO\nSUBJECT: X\n\n")
    cable = parse_text("x.txt", head + "1. (C) The same words.\n\n" * 300)
    rule = by_name_or_code("P001")
    assert rule is not None
    found = run_rules(cable, RuleSelection([rule]))
    assert len(found) == 299
    assert (found[0].line, found[-1].line) == (12, 608)
