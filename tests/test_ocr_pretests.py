"""The cheap pre-tests of ocr-confusion (T001) agree with the patterns they stand for."""

import re

import pytest

from cablelint.checks.ocr import (
    _EDGE_DIGIT_RE,
    _INQ_Q_LOOKS,
    _LOWER_DIGIT_RE,
    _digit_between_small,
    _has_inq,
    _l_pair,
)


@pytest.mark.parametrize("text", [
    "Washingt0n", "po1icy", "Mini5try", "x1y", "1ab", "ab1", "ab5", "a0", "0a", "", "0",
    "H1N1", "mp3", "21st", "F16s", "a 1 b", "a2b", "A1b", "a1B", "é1a", "a1é", "ab10cd",
    "Internationa1", "G0vernment", "A1though", "Janeir0.", "abc1d", "ABC1", "Xabc1",
])
def test_digit_between_small_agrees_with_the_patterns(text: str) -> None:
    """The pre-test says yes whenever a pattern matches (it may say yes to a little more: a
    digit at a word's edge, which the pattern reads with more letters around it)."""
    for t in (text, f"UNCLASSIFIED {text} END"):
        between = bool(_LOWER_DIGIT_RE.search(t))
        edge = bool(_EDGE_DIGIT_RE.search(t))
        if between or edge:
            assert _digit_between_small(t)


@pytest.mark.parametrize("text", [
    "EXTRADlTION", "lNTERNATIONAL", "ZHAl", "Also", "will", "All", "ALl", "lA", "Al", "la", "lll",
    "AlB", "alB", "Alb", "xlA", "AlZ", "ÉlA", "AlÉ", "McCALL", "ElBaradei", "l", "", "A l B",
    "Al\nB", "B\nAl\n", "Al\n", "aAl", "Ala", "\nAl", "AllA", "lAl",
])
def test_l_pair_finds_the_l_pairs(text: str) -> None:
    """T001's l-pair search (a pattern that takes the character after the l, its small-letter
    test first: it turns away most l's of prose at once; and a look at an l that ends the
    text) finds the l's the plain statement finds: a capital on one side of the l, and no
    small letter but l on either side."""
    plain = re.compile(r"l(?:(?<=[A-Z]l)(?![a-km-z])|(?=[A-Z])(?<![a-km-z]l))")
    for t in (text, f"The {text} here", f"{text}{text}", f"{text}.", f"A{text}"):
        found = []
        at = _l_pair(t, 0)
        while at != -1:
            found.append(at)
            at = _l_pair(t, at + 1)
        assert found == [m.start() for m in plain.finditer(t)]


@pytest.mark.parametrize("text", [
    "MEXICQ\x01AMEMBASSV", "AMEMBASSV\x7fX", "CONFIDENTIAL\x85MEXICQ", "MEXICQÃ©X", "âMEXICQ",
    "MEXICQ’s word", "MEXlCO and \u2019MEXICQ\u201d", "\ud800MEXICQ", "rnOSCOW\x0bTAGS", "a\rB",
    "UNC LASSIFIED\x00", "plain text, no capitals", "",
])
def test_marked_runs_split_as_the_upper_case_runs(text: str) -> None:
    """The bytes T001 splits and T002 reads its marks in give the same runs as
    ``upper_runs`` (a mark that ``bytes.split`` did not take for white space would join two
    runs into one), and the marks say what the text holds."""
    from cablelint.checks.textbytes import (
        ALLOWED_BYTES,
        CONTROL_MARK,
        LEAD_MARK,
        MOJIBAKE_LEADS,
        marked_runs,
    )
    from cablelint.confusions import upper_runs
    from cablelint.model import Cable
    from cablelint.source import TextMap

    cable = Cable("case.txt", "telegram", text, TextMap(text))
    marked = marked_runs(cable)
    assert marked.split() == upper_runs(text)
    latin1 = text.encode("latin-1", "ignore")
    assert (CONTROL_MARK in marked) == bool(latin1.translate(None, ALLOWED_BYTES))
    assert (LEAD_MARK in marked) == any(c in text for c in MOJIBAKE_LEADS)


@pytest.mark.parametrize("text", [
    "", "Q", "DURINQ", "QIN", "QUESTION IN", "INQ", "IRAQ IN", "IRAQ " * (_INQ_Q_LOOKS + 2),
    "IRAQ " * (_INQ_Q_LOOKS + 2) + "DURINQ", "IRAQ " * (_INQ_Q_LOOKS - 1) + "DURINQ",
    "IRAQ " * _INQ_Q_LOOKS + "INQ", "IRAQ " * (_INQ_Q_LOOKS + 2) + "QIN",
])
def test_has_inq_agrees_with_a_search(text: str) -> None:
    """The Q-by-Q pre-test of T001's -ING read as -INQ says what a search for "INQ" says:
    at the text's start (no wrap to its end) and past the Qs it looks at one by one."""
    assert _has_inq(text) == ("INQ" in text)


def test_q_for_g_spellings_are_no_words() -> None:
    """Every spelling of a ``q_for_g`` word of rules/ocr.yaml (and of its place names) with
    G's read as Q is a safe misreading of it: no known word (rules/words.yaml, the
    gazetteer) is among them."""
    from cablelint.confusions import (
        _gazetteer_words,
        _q_for_g,
        confusions,
        known_words,
        q_for_g_words,
    )
    from cablelint.packs import load_pack

    words = q_for_g_words(load_pack("ocr"), _gazetteer_words())
    assert {"GOVERNMENT", "SENEGAL", "BAGHDAD"} <= set(words)
    assert "HAGUE" not in words  # HAQUE is a surname
    assert _q_for_g("LANGUAGE") == ["LANQUAGE", "LANGUAQE", "LANQUAQE"]
    table = confusions().anywhere
    for word in words:
        for wrong in _q_for_g(word):
            assert wrong not in known_words(), (word, wrong)
            assert table[wrong] == (word, True), (word, wrong)
