"""Corpus-wide rules: each has failing and passing cases over a temporary corpus, asserting
code, path, line and message."""

from __future__ import annotations

from pathlib import Path

from cablelint.config import Settings
from cablelint.runner import lint

TEMPLATE = """\
R 0{day}1200Z MAR 08
FM AMEMBASSY {post}
TO SECSTATE WASHDC
UNCLAS {section}{post} {serial:06d}

E.O. 12958: N/A
TAGS: PREL SP
SUBJECT: CABLE {serial} {subject}
{ref}
1. {body}
"""


def cable(serial: int, post: str = "MADRID", body: str = "", ref: str = "", section: str = "",
          subject: str = "") -> str:
    return TEMPLATE.format(day=serial % 9 + 1, post=post, serial=serial, section=section,
                           subject=subject, ref=f"REF: {ref}\n" if ref else "",
                           body=body or f"THE TEXT OF CABLE {serial}.")


def run(tmp_path: Path, files: dict[str, str], select: str) -> list[tuple[str, str, int, str]]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = lint([str(tmp_path)], Settings(select=[select]), jobs=1)
    return [(f.code, Path(f.path).name, f.line, f.message) for f in result.findings]


def test_duplicate_mrn_is_reported_on_both_cables(tmp_path: Path) -> None:
    got = run(tmp_path, {"a.txt": cable(552), "b.txt": cable(552, body="ANOTHER TEXT.")},
              "duplicate-mrn")
    assert got == [
        ("K001", "a.txt", 4, f"MRN '08 MADRID 552' is also claimed by {tmp_path / 'b.txt'}"),
        ("K001", "b.txt", 4, f"MRN '08 MADRID 552' is also claimed by {tmp_path / 'a.txt'}"),
    ]


def test_sections_of_one_cable_and_exact_copies_are_not_duplicate_mrns(tmp_path: Path) -> None:
    files = {
        "s1.txt": cable(552, section="SECTION 01 OF 02 ", body="PART ONE."),
        "s2.txt": cable(552, section="SECTION 02 OF 02 ", body="PART TWO."),
        "c1.txt": cable(600),
        "c2.txt": cable(600),
        "c3.txt": cable(600),  # three copies: each pair is a copy, not a claim
    }
    assert run(tmp_path, files, "duplicate-mrn") == []


FULL_BODY = ("PRESIDENT BONGO HAS JUST PERSONALLY ASSURED ME THAT GOG PERMREP HAS NOW\n"
             "RECEIVED FIRM INSTRUCTIONS TO VOTE AGAINST HOSTILE RESOLUTION IN PLENARY.\n\n"
             "2. ACCORDING ROK AMBASSADOR KIM, INSTRUCTIONS HAVE NOW BEEN SENT.")


def test_a_partial_extract_beside_the_full_record_is_no_duplicate_mrn(tmp_path: Path) -> None:
    # WikiLeaks' page of 75 LIBREVILLE 1895 stops mid-word ('RECEIVED F...'), with other
    # punctuation ('¶1.', TAGS without commas); its records hold the whole text.
    extract = cable(552, body=FULL_BODY[:FULL_BODY.index("IRM")] + "...").replace(
        "\n1. ", "\n¶1. ").replace("PREL SP", "PREL, SP")
    files = {"full.txt": cable(552, body=FULL_BODY), "extract.txt": extract,
             # a draft that parts from the full text after the extract stops: a claim (the
             # extract may be of either)
             "draft.txt": cable(552, body=FULL_BODY.replace("VOTE AGAINST", "VOTE FOR"))}
    got = run(tmp_path, files, "duplicate-mrn")
    assert got == [
        ("K001", "draft.txt", 4, f"MRN '08 MADRID 552' is also claimed by {tmp_path / 'full.txt'}"),
        ("K001", "full.txt", 4, f"MRN '08 MADRID 552' is also claimed by {tmp_path / 'draft.txt'}"),
    ]


def test_duplicate_cable_exact_and_after_normalisation(tmp_path: Path) -> None:
    text = cable(552, body="A LONG PARAGRAPH\nWRAPPED ONE WAY.")
    rewrapped = text.replace("A LONG PARAGRAPH\nWRAPPED", "A LONG PARAGRAPH WRAPPED\n   ")
    got = run(tmp_path, {"a.txt": text, "b.txt": text, "c.txt": rewrapped, "d.txt": cable(9)},
              "duplicate-cable")
    assert got == [
        ("K002", "b.txt", 1, f"this cable has the same text as {tmp_path / 'a.txt'}"),
        ("K002", "c.txt", 1, "this cable has the same body (once the header, whitespace, page "
                             f"furniture and case are set aside) as {tmp_path / 'a.txt'}"),
    ]


def test_duplicate_cable_set_aside_white_space_joins_or_parts_words(tmp_path: Path) -> None:
    # An OCR run that lost or added a space between words still copies the cable.
    text = cable(552, body="A LONG PARAGRAPH ON THE TALKS.")
    got = run(tmp_path, {"a.txt": text, "b.txt": text.replace("ON THE", "ONTHE"),
                         "c.txt": text.replace("TALKS", "TAL KS"), "d.txt": cable(552)},
              "duplicate-cable")
    assert got == [
        ("K002", "b.txt", 1, "this cable has the same body (once the header, whitespace, page "
                             f"furniture and case are set aside) as {tmp_path / 'a.txt'}"),
        ("K002", "c.txt", 1, "this cable has the same body (once the header, whitespace, page "
                             f"furniture and case are set aside) as {tmp_path / 'a.txt'}"),
    ]


def test_duplicate_cable_of_one_length_tells_case_apart(tmp_path: Path) -> None:
    # Same length, same normalised text: only the text's own CRC tells the exact copy.
    text = cable(552, body="A LONG PARAGRAPH.")
    got = run(tmp_path, {"a.txt": text, "b.txt": text.replace("LONG", "long"), "c.txt": text},
              "duplicate-cable")
    assert got == [
        ("K002", "b.txt", 1, "this cable has the same body (once the header, whitespace, page "
                             f"furniture and case are set aside) as {tmp_path / 'a.txt'}"),
        ("K002", "c.txt", 1, f"this cable has the same text as {tmp_path / 'a.txt'}"),
    ]


def test_mrn_gap_in_a_covered_post_year(tmp_path: Path) -> None:
    files = {f"{n}.txt": cable(n) for n in (550, 551, 552, 555)}
    got = run(tmp_path, files, "mrn-gap")
    assert got == [("K003", "555.txt", 4,
                    "MADRID 08: serials 553-554 are missing between 552 and 555")]


def test_no_mrn_gap_in_a_sample_or_a_full_run(tmp_path: Path) -> None:
    files = {f"{n}.txt": cable(n) for n in (550, 551, 552, 553)}
    files.update({f"p{n}.txt": cable(n, post="PARIS") for n in (10, 200, 4000)})  # a sample
    assert run(tmp_path, files, "mrn-gap") == []


def test_reference_missing_in_a_collected_post_year(tmp_path: Path) -> None:
    files = {
        "a.txt": cable(552, ref="A. 08 MADRID 500 B. 08 MADRID 553 C. 08 PARIS 12"),
        "b.txt": cable(553),
    }
    got = run(tmp_path, files, "reference-missing")
    assert got == [("K004", "a.txt", 9, "references 08 MADRID 500, which this corpus lacks")]


def test_a_cable_alone_does_not_make_its_post_year_a_collection(tmp_path: Path) -> None:
    files = {"a.txt": cable(552, ref="08 MADRID 500"), "b.txt": cable(12, post="PARIS")}
    assert run(tmp_path, files, "reference-missing") == []


def test_corpus_rules_run_the_same_in_parallel(tmp_path: Path) -> None:
    for n in range(250):  # above the parallel threshold
        (tmp_path / f"{n:03d}.txt").write_text(cable(1000 + n * (1 + (n == 100))),
                                               encoding="utf-8")
    (tmp_path / "copy.txt").write_text(cable(1000), encoding="utf-8")
    one = lint([str(tmp_path)], Settings(select=["K"]), jobs=1).findings
    two = lint([str(tmp_path)], Settings(select=["K"]), jobs=2).findings
    assert one == two
    assert {f.code for f in one} == {"K002", "K003"}


def test_per_file_ignores_apply_to_corpus_findings(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(cable(552), encoding="utf-8")
    (tmp_path / "b.txt").write_text(cable(552, body="OTHER."), encoding="utf-8")
    settings = Settings(select=["K001"], per_file_ignores={"b.txt": ["K001"]})
    result = lint([str(tmp_path)], settings, jobs=1)
    assert [Path(f.path).name for f in result.findings] == ["a.txt"]
