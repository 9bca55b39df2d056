"""The telegram header reader beyond the rule cases: where the header stops."""

from __future__ import annotations

from cablelint.parse import parse_text

# A cable that quotes a letter: its classification line stands again after SUBJECT, and the
# unnumbered text below holds a "TO ..." line and a second SUBJECT of its own.
QUOTED_LETTER = """\
R 121503Z JAN 08
FM SECSTATE WASHDC
TO AMEMBASSY KINSHASA
UNCLAS STATE 000189

E.O. 12958: N/A
TAGS: PREL CG
SUBJECT: TEXT OF A LETTER

UNCLAS STATE 000189
THE DEPARTMENT ASKS THE EMBASSY TO DELIVER THE FOLLOWING LETTER
TO THE MINISTER.
BEGIN TEXT:
SUBJECT: OUR MEETING
DEAR MINISTER, THANK YOU FOR YOUR TIME.
END TEXT.
RICE
"""


def test_a_classification_line_after_subject_without_an_eo_line_below_ends_the_header() -> None:
    cable = parse_text("quoted.txt", QUOTED_LETTER)
    assert [f.value for f in cable.get("TO")] == ["AMEMBASSY KINSHASA"]
    assert [f.value for f in cable.get("SUBJECT")] == ["TEXT OF A LETTER"]
    assert cable.text[cable.body_start :].lstrip().startswith("THE DEPARTMENT ASKS")
