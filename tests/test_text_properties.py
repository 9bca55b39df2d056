"""Mutation properties of the text rules (encoding-damage, redaction-code, ocr-confusion's
digit readings), on the well-formed cables that ``test_properties`` generates: a clean cable
yields none of their findings, and one planted defect yields exactly one finding of the
matching rule at the planted line."""

from __future__ import annotations

from hypothesis import assume, given, note
from hypothesis import strategies as st
from test_properties import FAST, GenCable, cables, render, show, smart_cables, telegrams

from cablelint.config import Settings
from cablelint.runner import lint_bytes

TEXT_RULES = ("T001", "T002", "T003")


def _findings(cable: GenCable) -> tuple[object, list]:
    r = render(cable)
    return r, [f for f in lint_bytes(r.path, r.data, Settings()) if f.code in TEXT_RULES]


def _body_lines(cable: GenCable) -> list[int]:
    """Lines of paragraph text (a paragraph's own line) where a word can be changed."""
    return [p.line for p in cable.paras]


@st.composite
def planted(draw, base, make):
    """Replace one word of a paragraph line by ``make(word)``."""
    cable = draw(base)
    index = draw(st.sampled_from(_body_lines(cable)))
    line = cable.lines[index]
    words = line.split(" ")
    candidates = [i for i, w in enumerate(words) if i > 1 and w.isalpha() and len(w) >= 4]
    assume(candidates)
    i = draw(st.sampled_from(candidates))
    new = make(words[i], draw)
    assume(new is not None)
    words[i] = new
    m = cable.copy()
    m.lines[index] = " ".join(words)
    return m, index


def assert_one_at(cable: GenCable, code: str, index: int) -> None:
    r, findings = _findings(cable)
    note(show(r, findings))
    assert [f.code for f in findings] == [code]
    if cable.fmt != "html":
        assert findings[0].line == index + 1


@FAST
@given(cables())
def test_well_formed_cable_has_no_text_finding(cable):
    r, findings = _findings(cable)
    note(show(r, findings))
    if "\ufffd" in r.text:  # the generator's lost paragraph signs: one finding, nothing else
        assert [f.code for f in findings] == ["T002"]
    else:
        assert findings == []


def _entity(word: str, draw) -> str:
    return word + draw(st.sampled_from(["&quot;", "&amp;", "&#39;", "&apos;", "&nbsp;"]))


def _mojibake(word: str, draw) -> str:
    return word + draw(st.sampled_from(["â€™s", "Ã©", "â€”"]))


@FAST
@given(planted(st.one_of(telegrams(), smart_cables()), _entity))
def test_planted_entity_is_t002_at_its_line(case):
    cable, index = case
    assume("\ufffd" not in "".join(cable.lines))
    assert_one_at(cable, "T002", index)


@FAST
@given(planted(st.one_of(telegrams(), smart_cables()), _mojibake))
def test_planted_mojibake_is_t002_at_its_line(case):
    cable, index = case
    assume("\ufffd" not in "".join(cable.lines) and cable.encoding == "utf-8")
    assert_one_at(cable, "T002", index)


def _bad_code(word: str, draw) -> str:
    # a well-formed code beside it makes any cable a FOIA release
    return word + " (b)(6) " + draw(st.sampled_from(["(b)(10)", "(b)(0)", "(b)(7)(G)",
                                                     "(b)(b)", "(b)6)"]))


@FAST
@given(planted(cables(), _bad_code))
def test_planted_malformed_code_is_t003_at_its_line(case):
    cable, index = case
    assume("\ufffd" not in "".join(cable.lines))
    assert_one_at(cable, "T003", index)


def _digit(word: str, draw) -> str | None:
    if not word.isupper() or len(word) < 5:
        return None
    # inside the word: a digit at its end may be a number after a word ("REPORT5")
    spots = [i for i, c in enumerate(word) if c in "OIS" and 0 < i < len(word) - 1]
    if not spots:
        return None
    i = draw(st.sampled_from(spots))
    return word[:i] + {"O": "0", "I": "1", "S": "5"}[word[i]] + word[i + 1 :]


@FAST
@given(planted(telegrams(), _digit))
def test_planted_digit_in_a_word_is_t001_at_its_line(case):
    cable, index = case
    assume("\ufffd" not in "".join(cable.lines))
    assert_one_at(cable, "T001", index)


def _both_ways(text: str) -> tuple[object, object]:
    """What Confusions.find finds in ``text`` on its first texts (token by token) and later
    (its set of digit spellings)."""
    from cablelint.confusions import SPELLINGS_AFTER, confusions

    c = confusions()
    saved = c.texts_read[0]
    try:
        c.texts_read[0] = 0
        first = c.find(text)
        c.texts_read[0] = SPELLINGS_AFTER
        later = c.find(text)
    finally:
        c.texts_read[0] = saved
    return first, later


@FAST
@given(planted(telegrams(), _digit))
def test_ocr_confusion_finds_the_same_before_and_after_it_loads_its_spellings(case):
    cable, _index = case
    first, later = _both_ways(render(cable).text)
    assert first == later
    assert first.digit_readings or first.anywhere  # the planted misreading, found both ways


def test_real_cables_read_the_same_before_and_after_the_spellings_load():
    from conftest import SAMPLES, SHARED

    paths = [p for root in (SAMPLES, SHARED / "corpus", SHARED / "seeds") if root.is_dir()
             for p in sorted(root.rglob("*"))
             if p.is_file() and p.suffix in (".txt", ".md", ".html") and p.stem != "README"]
    assert len(paths) >= 15  # corpus_samples alone has 17 cables
    found = 0
    for path in paths:
        first, later = _both_ways(path.read_bytes().decode("utf-8", "replace"))
        assert first == later, path
        found += len(first.anywhere) + len(first.digit_readings)
    assert found  # the seed's MEXICQ, the broken samples' MEXIC0
