"""The body's line classifier finds its lines through a filter (``FilteredLineRegex``): the
filter must let through every line the classifier matches. Compared with the unfiltered scan
on the real cables and on generated lines built from the kinds' own parts."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cablelint.parse import body, parse_bytes
from cablelint.parse.lines import FilteredLineRegex
from cablelint.source import decode
from conftest import SAMPLES, SHARED

CLASSIFIER = body._LINE_RE


def events(regex: FilteredLineRegex, text: str, unfiltered: bool = False) -> list[tuple]:
    """(line start, kind, every group's span) of each line the classifier matches."""
    if unfiltered:  # the plain newline-anchored scan, as LineRegex runs it
        pairs = [(0, m) for m in [regex.first.match(text)] if m]
        pairs += [(m.start() + 1, m) for m in regex.rest.finditer(text)]
    else:
        pairs = list(regex.finditer(text))
    return [(pos, m.lastgroup, m.end(), m.regs[1:]) for pos, m in pairs]


def real_texts() -> list[str]:
    paths = [p for top in (SAMPLES, SHARED / "corpus", SHARED / "seeds") if top.is_dir()
             for p in sorted(top.rglob("*")) if p.is_file() and p.suffix in (".txt", ".md",
                                                                                ".html")]
    texts = []
    for path in paths:
        data = path.read_bytes()
        texts.append(decode(data).text)
        texts.append(parse_bytes(str(path), data).text)  # a web page's extracted text too
    return texts


def test_filter_passes_every_classified_line_of_the_real_cables():
    texts = real_texts()
    assert len(texts) > 20
    classified = 0
    for text in texts:
        expected = events(CLASSIFIER, text, unfiltered=True)
        assert events(CLASSIFIER, text) == expected
        classified += len(expected)
    assert classified > 500  # the comparison saw lines of every kind
    kinds = {e[1] for text in texts for e in events(CLASSIFIER, text)}
    assert {"pageno", "cgpage", "dtgline", "banner", "para", "sub", "heading", "stamp",
            "markup"} <= kinds


# Parts of the lines each kind matches: prefixes of blanks, Markdown and quote characters,
# classification words (also spaced out, as OCR leaves them), labels, numbers and signs.
PREFIX = st.text(alphabet=" \t>*_#|~[\f\v-", max_size=4)
WORDS = ["UNCLASSIFIED", "UNCLAS", "U N C L A S S I F I E D", "UNC L ASSIFIED", "UNCL ASSIFIED",
         "CONFIDENTIAL", "C O N F I D E N T I A L", "SECRET", "S E C R E T", "TOP SECRET",
         "SECRETARY", "SBU", "LIMITED OFFICIAL USE", "SENSITIVE BUT UNCLASSIFIED",
         "SENSITIVE", "OFFICIAL - SBU", "Official - SBU", "OFFICIAL USE ONLY",
         "Page 2 of 5", "page 1 of 1", "PAGE 3 OF 4", "PAGE 02 MOSCOW 13169 01 OF 02 301754Z",
         "BOGOTA 00001339 001.2 OF 003", "SAN JOSE 00000123 002 OF 004",
         "P 262103Z FEB 07", "O O 041125Z MAR 75", "Z 010101Z JAN 99", "R 251346Z",
         "&nbsp;", "<br>", "---", "-----", "***", "NNNN", "NNN", "<< END OF DOCUMENT >>",
         "RELEASED IN FULL", "RELEASED IN PART", "Released in Full", "Declassified in Full",
         "Declassified/Released US Department", "[Stamp: x]", "Stamp: x", "Image: y",
         "CSP-2016-1234 ", "John Powers, x", "US Department of State", "3/14/2016",
         "12/1/2015", "Systematic Review", "<center>UNCLASSIFIED</center>", "<center>",
         "1.", "12.", "123.", "1234.", "¶3.", "¶ 3.", "\ufffd4.", "&para;5.", "**6.**",
         "A.", "a.", "(a)", "(B)", "(12)", "- (a)", "-- b.", "U.S.", "I.", "(C)",
         "# Heading", "### **(SBU) Heading**", "## Page 2", "**Bold heading**",
         "**Label:** value", "| cell |", "The minister", "THE MINISTER SAID", "PTQ1234",
         "CONFERENCE", "UNITED STATES", "SECRETARIAT", "(U)", "(C NF)", "2.5", "&amp;"]
TAIL = st.sampled_from(["", " ", "\t", "  ", " **", "*", "_", "~~", " PTQ12", " x", ".",
                        " (C) text", " text", ":", " OF 03"])


@st.composite
def lines(draw) -> str:
    parts = [draw(PREFIX), draw(st.sampled_from(WORDS))]
    if draw(st.booleans()):
        parts.append(draw(st.text(alphabet=" \t*_~", max_size=2)))
        parts.append(draw(st.sampled_from(WORDS)))
    return "".join(parts) + draw(TAIL)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines(), min_size=1, max_size=8), st.sampled_from(["\n", "\n\n"]))
def test_filter_passes_every_classified_generated_line(generated, separator):
    text = "x\n" + separator.join(generated) + "\n"
    assert events(CLASSIFIER, text) == events(CLASSIFIER, text, unfiltered=True)


def test_filtered_scan_respects_the_region():
    text = "x\n1. (U) One.\n\n2. (U) Two.\n\n3. (U) Three.\n"
    start = text.index("2.")
    got = [pos for pos, _m in CLASSIFIER.finditer(text, start, text.index("3."))]
    assert got == [start]
    assert [pos for pos, _m in CLASSIFIER.finditer(text, 1)] == [
        m.start() + 1 for m in re.finditer(r"\n(?=\d)", text)]
