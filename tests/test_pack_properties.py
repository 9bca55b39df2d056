"""Hypothesis properties of summary-unclosed (S001) on generated cables (the generators of
test_properties.py): well-formed cables are clean, and a summary opened without a closer in
one paragraph is exactly one S001 finding, at that paragraph's line."""

from __future__ import annotations

from hypothesis import given, note
from hypothesis import strategies as st
from test_properties import FAST, cables, offset_of, render, show

from cablelint.config import Settings
from cablelint.runner import lint_bytes


def s001(cable):  # type: ignore[no-untyped-def]
    r = render(cable)
    findings = [f for f in lint_bytes(r.path, r.data, Settings()) if f.code == "S001"]
    note(show(r, findings))
    return r, findings


@FAST
@given(cables())
def test_well_formed_cable_has_no_unclosed_summary(cable):  # type: ignore[no-untyped-def]
    _r, findings = s001(cable)
    assert findings == []


@st.composite
def summary_opened(draw, base):  # type: ignore[no-untyped-def]
    """Write 'Summary:' at the start of one paragraph's text, with no closer after it."""
    cable = draw(base)
    p = draw(st.sampled_from(cable.paras))
    m = cable.copy()
    line = m.lines[p.line]
    at = p.mark_col + len(p.mark) if p.mark else line.index(".", p.num_col) + 1
    word = draw(st.sampled_from(["Summary:", "Summary.", "SUMMARY:", "**Summary:**"]))
    m.lines[p.line] = f"{line[:at]} {word}{line[at:]}"
    return m, p.line


@FAST
@given(summary_opened(cables()))
def test_summary_opened_without_closer_is_one_s001_at_its_line(case):  # type: ignore[no-untyped-def]
    cable, line = case
    r, findings = s001(cable)
    assert len(findings) == 1
    start, end = r.spans[line]
    assert start <= offset_of(r, findings[0]) <= end
