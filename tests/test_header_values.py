"""Facts a container states about a cable (``cable.metadata``, a web page's metadata
cells) against the cable's text: header-conflict (H005) and mrn-format (H002)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.checks import by_name_or_code
from cablelint.engine import RuleSelection, run_rules
from cablelint.parse import parse_text

TELEGRAM = """\
P 262103Z FEB 07
FM AMEMBASSY BOGOTA
TO SECSTATE WASHDC
UNCLAS BOGOTA 001339

E.O. 12958: N/A
TAGS: PTER PGOV PHUM CO
SUBJECT: NOISE ON HUMANITARIAN ACCORD

1. TEXT.
"""
WEB = Path(__file__).parent.parent / "corpus_samples" / "web" / "75TEHRAN2069.html"


def _findings(text: str, rule: str, metadata: dict[str, str] | None = None,
              path: str = "case.txt") -> list[tuple[int, str]]:
    cable = parse_text(path, text)
    cable.metadata.update(metadata or {})
    found = run_rules(cable, RuleSelection([by_name_or_code(rule)]))  # type: ignore[list-item]
    return [(f.line, f.message) for f in found]


def test_agreeing_metadata_yields_nothing() -> None:
    meta = {"date": "2007-02-26 21:03", "classification": "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
            "origin": "Embassy Bogota", "refid": "07BOGOTA1339"}
    assert _findings(TELEGRAM, "header-conflict", meta) == []
    assert _findings(TELEGRAM, "mrn-format", meta) == []


@pytest.mark.parametrize(("meta", "want"), [
    ({"date": "2007-02-27 21:03"},
     (1, "the record's date '2007-02-27 21:03' disagrees with the DTG 262103Z FEB 07 "
         "(2007-02-26)")),
    ({"date": "2007-02-26 23:50"}, None),  # within three hours of the DTG's time
    ({"date": "2007-03-26"},
     (1, "the record's date '2007-03-26' disagrees with the DTG 262103Z FEB 07 (2007-02-26)")),
    ({"classification": "SECRET//NOFORN"},
     (4, "the record's classification 'SECRET//NOFORN' disagrees with the classification "
         "line 'UNCLAS BOGOTA 001339' on line 4")),
    ({"origin": "Embassy Caracas"},
     (2, "the record's origin 'Embassy Caracas' (CARACAS) disagrees with the sender "
         "AMEMBASSY BOGOTA (BOGOTA)")),
])
def test_disagreeing_metadata_is_reported(meta: dict[str, str],
                                          want: tuple[int, str] | None) -> None:
    assert _findings(TELEGRAM, "header-conflict", meta) == ([want] if want else [])


@pytest.mark.parametrize(("date", "message"), [
    # a date stored as a date and time at midnight is a date alone (pandas, SQL exports)
    ("2007-02-26 00:00:00", None),
    ("2/26/2007 0:00", None),
    ("2007-02-25 00:00:00", "the record's date '2007-02-25 00:00:00' disagrees with the DTG "
                            "262103Z FEB 07 (2007-02-26)"),
    # a local time with its UTC offset is compared in UTC
    ("2007-02-26T16:03:00-05:00", None),
    ("2007-02-27T00:03+0300", None),
    ("2007-02-26T21:03:00+05:00", "the record's date '2007-02-26T21:03:00+05:00' disagrees "
                                  "with the DTG 262103Z FEB 07 (2007-02-26)"),
    ("2007-02-26T21:03Z", None),
])
def test_record_date_forms(date: str, message: str | None) -> None:
    assert _findings(TELEGRAM, "header-conflict", {"date": date}) == (
        [(1, message)] if message else [])


@pytest.mark.parametrize(("refid", "message"), [
    ("07BOGOTA1340", "the record's refid '07BOGOTA1340' has the serial 1340, but the "
                     "classification line has 1339"),
    ("06BOGOTA1339", "the record's refid '06BOGOTA1339' has the year 2006, but the DTG is of "
                     "2007-02-26"),
    ("07CARACAS1339", "the record's refid '07CARACAS1339' names CARACAS, but the cable is from "
                      "AMEMBASSY BOGOTA (BOGOTA)"),
    ("2007BOGOTA01339", ""),
    ("07BOGOTA", "the record's refid '07BOGOTA' is neither a Cablegate id "
                 "('07KUALALUMPUR1376') nor a CFPF document number ('1975STATE046226')"),
    ("07 BOGOTA 1339", ""),
    ("P760012-0345", ""),
])
def test_record_refid(refid: str, message: str) -> None:
    assert _findings(TELEGRAM, "mrn-format", {"refid": refid}) == (
        [(1, message)] if message else [])


def test_cfpf_number_with_a_station_cut_to_six_letters() -> None:
    text = TELEGRAM.replace("BOGOTA", "STOCKHOLM").replace("FEB 07", "FEB 75")
    assert _findings(text, "mrn-format", {"refid": "1975STOCKH01339"}) == []
    assert _findings(text, "mrn-format", {"refid": "1975OSLO01339"}) == [
        (1, "the record's refid '1975OSLO01339' names OSLO, but the cable is from "
            "AMEMBASSY STOCKHOLM (STOCKHOLM)")]


def test_new_year_boundary_allows_the_next_year() -> None:
    text = TELEGRAM.replace("262103Z FEB 07", "312303Z DEC 06")
    assert _findings(text, "mrn-format", {"refid": "07BOGOTA1339"}) == []
    text = TELEGRAM.replace("262103Z FEB 07", "302303Z DEC 06")
    assert _findings(text, "mrn-format", {"refid": "07BOGOTA1339"}) != []


def test_web_page_metadata_against_the_text() -> None:
    page = WEB.read_text(encoding="utf-8")
    assert _findings(page, "mrn-format", path="x.html") == []
    assert _findings(page, "header-conflict", path="x.html") == []
    wrong = page.replace(">75TEHRAN2069<", ">75TEHRAN2096<").replace(
        ">Embassy Tehran<", ">Embassy Kabul<")
    lines = {m for _line, m in _findings(wrong, "mrn-format", path="x.html")}
    assert lines == {"the page's reference id '75TEHRAN2096' has the serial 2096, but the "
                     "classification line has 2069"}
    assert [m for _l, m in _findings(wrong, "header-conflict", path="x.html")] == [
        "the page's origin 'Embassy Kabul' (KABUL) disagrees with the sender AMEMBASSY "
        "TEHRAN (TEHRAN)"]
    secret = page.replace("title='unclassified'>CONFIDENTIAL<", "title='x'>UNCLASSIFIED<")
    assert [m for _l, m in _findings(secret, "header-conflict", path="x.html")] == [
        "the page's classification 'UNCLASSIFIED' disagrees with the classification line "
        "'C O N F I D E N T I A L SECTION 1 OF 2 TEHRAN 2069' on line 916, column 12"]
    # (the page's <pre> spells its line ends '&#x000A;': line 916 holds the whole telegram)


def test_eo_grace_days_is_an_option() -> None:
    from cablelint.checks.values import EoEra

    text = TELEGRAM.replace("262103Z FEB 07", "262103Z FEB 11")
    cable = parse_text("case.txt", text)
    assert run_rules(cable, RuleSelection([EoEra])) == []  # 12958 within a year of 13526
    strict = RuleSelection([EoEra], options={"H004": {"grace_days": 30}})
    assert [f.message for f in run_rules(parse_text("case.txt", text), strict)] == [
        "E.O. 12958 was not in force on 2011-02-26; expected 13526"]


def _square_free(n: int) -> list[int]:
    """A word over three letters with no part written twice in a row (from Thue-Morse)."""
    bits = [bin(i).count("1") % 2 for i in range(4 * n + 8)]
    zeros = [i for i, b in enumerate(bits) if b == 0]
    return [zeros[i + 1] - zeros[i] - 1 for i in range(n)]


@pytest.mark.parametrize(("words", "reported"), [(100, True), (121, False)])
def test_a_tags_list_copied_over_itself_is_looked_for_in_a_tags_line_only(
        words: int, reported: bool) -> None:
    """The search for a run written again is cubic in the words: a line of thousands of
    words (a damaged file, no TAGS list) took seconds, and minutes at 10,000; it is looked
    for in lines of 120 words at most (a real TAGS list, pasted over itself, has 50)."""
    codes = ["PGOV", "PREL", "ECON", "PHUM", "KJUS"]
    tags = " ".join(codes[i % 5] for i in range(words))
    text = TELEGRAM.replace("TAGS: PTER PGOV PHUM CO", "TAGS: " + tags)
    found = [m for _, m in _findings(text, "tags-unknown") if "copied over itself" in m]
    assert bool(found) is reported
    # a long line of codes, no run written twice in a row, yet codes repeated: no finding
    tags = " ".join(codes[i] for i in _square_free(words))
    text = TELEGRAM.replace("TAGS: PTER PGOV PHUM CO", "TAGS: " + tags)
    assert not [m for _, m in _findings(text, "tags-unknown") if "copied over itself" in m]
