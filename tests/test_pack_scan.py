"""The fast paths must answer as the plain ones: the pack rules' needle scan (planned needles,
a folded copy of the text, walking back to a phrase's start, the text itself where no page
furniture is in the way) against the anchor scan (each phrase's first word in the lower-cased
readable text); the corpus facts' normalised text against ``"".join(body.split()).casefold()``.
Texts mix the phrases' words in any case with white space of every kind, furniture, and the
characters that case-folding treats oddly (İ ı ſ K ß µ)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint.corpus import _texts, _utf8
from cablelint.model import Cable, Furniture
from cablelint.packrules import PackRule, builtin_pack_rules, make_rule, scan, segments
from cablelint.source import TextMap

WORDS = ["End", "end", "of", "OF", "summary", "Summary:", "SUMMARY.", "(Note:", "note", "notes",
         "Begin", "comment", "Comment.", "a", "b.", "ſummary", "\u212aey", "key", "İs", "is",
         "x|y", "_end", "déjà", "\u00dfe", "NOTE)", "--", "(", ")"]
SPACES = [" ", " ", " ", "\n", "  ", "\n\n", "\t", "\xa0", "\u2003", "\x1c", "\r\n", ""]
PHRASES = ["End summary", "End of summary", "Summary:", "Summary.", "Begin summary", "(Note:",
           "End note", "note", "key", "Comment.", "of", "x|y", "déjà vu", "a b."]


CASES = [str, str.upper, str.lower, str.title, str.swapcase]


@st.composite
def texts(draw: Any) -> str:
    """Words and whole phrases (their words parted by any white space, in any case)."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(WORDS)))
        else:
            case = draw(st.sampled_from(CASES))
            words = draw(st.sampled_from(PHRASES)).split()
            parts.append("".join(case(w) + draw(st.sampled_from(SPACES[:-1]))
                                 for w in words[:-1]) + case(words[-1]))
        parts.append(draw(st.sampled_from(SPACES)))
    return "".join(parts)


@st.composite
def cables(draw: Any) -> Cable:
    text = draw(texts())
    n = len(text)
    furniture = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, n))
        furniture.append(Furniture("page-number", start, draw(st.integers(start, n))))
    body_start = draw(st.integers(0, n))
    body_end = draw(st.integers(body_start, n))
    return Cable("x.txt", "telegram", text, TextMap(text), furniture=furniture,
                 body_start=body_start, body_end=body_end)


def rule_of(spec: dict[str, Any]) -> type[PackRule]:
    base = {"code": "XA1", "name": "x", "severity": "warning", "summary": "x",
            "message": "{match}", "scope": "body"}
    from pathlib import Path

    return make_rule({**base, **spec}, Path("x.yaml"), "x.yaml", builtin=False)


@st.composite
def rules(draw: Any) -> type[PackRule]:
    ignorecase = draw(st.booleans())
    boundary = draw(st.booleans())
    if draw(st.booleans()):
        tokens = draw(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=5))
        return rule_of({"kind": "existence", "tokens": tokens, "ignorecase": ignorecase,
                        "word-boundary": boundary})
    pairs = [{"first": draw(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3)),
              "second": draw(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3)),
              "ignorecase": draw(st.booleans()), "paired": draw(st.booleans())}
             for _ in range(draw(st.integers(1, 2)))]
    return rule_of({"kind": "conditional", "pairs": pairs, "word-boundary": boundary})


def found(rule: type[PackRule], cable: Cable, needles: bool) -> list[tuple[Any, ...]]:
    compiled = copy.copy(rule._compiled or rule._compile())
    if not needles:
        compiled.needles = None
    spans = segments(cable, "body")
    return [(m.start(), m.end(), m.lastgroup, m.group(0))
            for start, end in spans for m in scan(cable, compiled, start, end)]


@settings(max_examples=400, deadline=None)
@given(rules(), cables())
def test_needle_scan_finds_what_the_anchor_scan_finds(rule: type[PackRule], cable: Cable) -> None:
    plain = found(rule, copy.deepcopy(cable), needles=False)
    assert found(rule, cable, needles=True) == plain


@settings(max_examples=200, deadline=None)
@given(cables())
def test_summary_unclosed_scan_is_the_anchor_scan(cable: Cable) -> None:
    rule = next(r for r in builtin_pack_rules() if r.code == "S001")
    plain = found(rule, copy.deepcopy(cable), needles=False)
    assert found(rule, cable, needles=True) == plain


@settings(max_examples=300, deadline=None)
@given(cables())
def test_normalised_text_is_the_body_without_white_space_casefolded(cable: Cable) -> None:
    text = cable.text
    start, end = cable.body_start, cable.body_end or len(text)
    pieces = []
    for item in sorted(cable.furniture, key=lambda f: f.start):
        if item.end <= start or item.start >= end:
            continue
        pieces.append(text[start:item.start])
        start = max(start, item.end)
    pieces.append(text[start:end])
    expected = "".join(" ".join(pieces).split()).casefold()
    assert _texts(cable) == (_utf8(text), _utf8(expected))


def plain_rule(rule: type[PackRule]) -> type[PackRule]:
    """The rule with its needles taken away: it runs on the anchor scan alone."""
    compiled = copy.copy(rule._compiled or rule._compile())
    compiled.needles = None
    if "firsts" in compiled.groups:
        opening = copy.copy(compiled.groups["firsts"])
        opening.needles = None
        compiled.groups = {**compiled.groups, "firsts": opening}
    return type("Plain", (rule,), {"_compiled": compiled})


def findings(rule: type[PackRule], cable: Cable) -> list[tuple[Any, ...]]:
    return [(d.start, d.end, d.message) for d in rule().check(cable, {})]


@settings(max_examples=300, deadline=None)
@given(rules(), cables())
def test_rules_find_with_needles_what_they_find_without(rule: type[PackRule],
                                                         cable: Cable) -> None:
    plain = findings(plain_rule(rule), copy.deepcopy(cable))
    assert findings(rule, cable) == plain


@settings(max_examples=300, deadline=None)
@given(cables())
def test_summary_unclosed_finds_with_needles_what_it_finds_without(cable: Cable) -> None:
    rule = next(r for r in builtin_pack_rules() if r.code == "S001")
    plain = findings(plain_rule(rule), copy.deepcopy(cable))
    assert findings(rule, cable) == plain


FILLER = ["lorem", "ipsum", "x", "ENDS", "summaryx", "(", "1."]


@st.composite
def spread_cables(draw: Any) -> Cable:
    """Phrases and furniture with runs of other words between them, long and short: page
    furniture now out of every needle's reach (the text read as it is), now in it (the
    readable text)."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        parts.append(draw(texts()))
        filler = draw(st.lists(st.sampled_from(FILLER), max_size=40))
        parts.append(" ".join(filler) + draw(st.sampled_from(SPACES)))
    text = "".join(parts)
    n = len(text)
    furniture = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, n))
        stop = draw(st.integers(start, min(n, start + 40)))
        furniture.append(Furniture("page-number", start, stop))
    return Cable("x.txt", "telegram", text, TextMap(text), furniture=furniture,
                 body_start=draw(st.integers(0, n // 4)), body_end=n)


@settings(max_examples=300, deadline=None)
@given(rules(), spread_cables())
def test_needle_scan_reads_the_text_where_furniture_is_out_of_reach(
        rule: type[PackRule], cable: Cable) -> None:
    plain = found(rule, copy.deepcopy(cable), needles=False)
    assert found(rule, cable, needles=True) == plain


def test_furniture_out_of_reach_leaves_the_readable_text_unmade() -> None:
    rule = next(r for r in builtin_pack_rules() if r.code == "S001")
    filler = "the minister met the delegation on Tuesday morning in the capital " * 2
    text = f"PAGE 2\n{filler}\n1. (SBU) Summary: Talks went well.\n{filler}End summary.\n"
    cable = Cable("x.txt", "telegram", text, TextMap(text), body_start=0, body_end=len(text),
                  furniture=[Furniture("page-number", 0, 6)])
    assert [m.group(0) for m in scan(cable, rule._compile(), 0, len(text))] == [
        "Summary:", "End summary"]
    assert "readable" not in cable.memo
    # a phrase that a page break split is read across the furniture, in the readable text
    text = "1. (SBU) Summary: Talks went well. End\nPAGE 2\nsummary.\n"
    cable = Cable("x.txt", "telegram", text, TextMap(text), body_start=0, body_end=len(text),
                  furniture=[Furniture("page-number", 39, 45)])
    assert [m.group(0) for m in scan(cable, rule._compile(), 0, len(text))] == [
        "Summary:", "End\n      \nsummary"]
    assert "readable" in cable.memo


# -- S001's per-opener tests, answered from what is known of the scope and the line --------

LINES = ["SUMMARY: text", "", "  ", "1. (C) SUMMARY: a b c", "2. d e", "### SUMMARY:",
         "## Comment", "//COMMENT//", "COMMENT ---", "-----", "END SUMMARY.", "3. END", "# a b",
         "x y z w v u t s r q p o n"]


@st.composite
def paragraph_cables(draw: Any) -> tuple[Cable, list[int], int, int]:
    """A text of such lines, with or without numbered paragraphs; positions; an end."""
    from cablelint.parse import parse_text

    lines = draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=25))
    cable = parse_text("x.txt", "\n".join(lines) + "\n")
    if draw(st.booleans()):
        cable.paragraphs = []
    n = len(cable.text)
    positions = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=20))
    return cable, positions, draw(st.integers(0, n)), draw(st.integers(0, 4))


def _last_paragraph(cable: Cable, pos: int, end: int, short_words: int) -> bool:
    """The plain answer: the later paragraphs (or blank-line blocks) walked for each pos."""
    import re

    text = cable.text
    if cable.paragraphs:
        later = [(max(p.number_end, p.slot.end if p.slot.raw else 0), p.end)
                 for p in cable.paragraphs if pos < p.start < end]
    else:
        later = []
        blank = re.compile(r"\n[ \t]*\n")
        gap = blank.search(text, pos, end)
        while gap:
            nxt = blank.search(text, gap.end(), end)
            later.append((gap.end(), nxt.start() if nxt else end))
            gap = nxt
    return all(len(text[s:e].split()) < max(short_words, 1) for s, e in later)


@settings(max_examples=300, deadline=None)
@given(paragraph_cables())
def test_last_paragraph_answers_as_the_walk_over_later_paragraphs(
        case: tuple[Cable, list[int], int, int]) -> None:
    from cablelint.packrules import _LastParagraph

    cable, positions, end, short_words = case
    last = _LastParagraph(cable, end, short_words)
    for pos in positions:  # (in any order: what one answer memoises serves the next)
        assert last(pos) == _last_paragraph(cable, pos, end, short_words), pos


@settings(max_examples=300, deadline=None)
@given(paragraph_cables())
def test_heading_lines_remembered_answer_as_each_line_read_again(
        case: tuple[Cable, list[int], int, int]) -> None:
    from cablelint.packrules import HeadingLines, is_heading

    cable, positions, _, _ = case
    lines = HeadingLines()
    for pos in positions:
        expected = _plain_heading(cable.text, pos)
        assert is_heading(cable.text, pos, lines) == is_heading(cable.text, pos) == expected


def _plain_heading(text: str, pos: int) -> bool:
    """is_heading as it read the whole line for each position (before session 14)."""
    from cablelint.packrules import _HEADING_MAX_WORDS, _RULE_LINE_RE

    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end == -1 else line_end
    line = text[line_start:line_end].strip()
    if line.startswith("//") or line.endswith("---"):
        return True
    if line.startswith("#") and len(text[pos:line_end].split()) == 1:
        return True
    if len(line.split(None, _HEADING_MAX_WORDS)) > _HEADING_MAX_WORDS:
        return False
    nxt_end = text.find("\n", line_end + 1)
    nxt = text[line_end + 1 : len(text) if nxt_end == -1 else nxt_end]
    return bool(nxt.strip()) and bool(_RULE_LINE_RE.match(nxt))
