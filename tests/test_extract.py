"""The metadata table (`cablelint extract`): exact values on the seed, the file formats, and
the README's column table."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from cablelint.cli import main
from cablelint.config import Settings
from cablelint.extract import NAMES, markdown_table, row
from cablelint.parse import parse_bytes, parse_text
from cablelint.runner import lint
from conftest import ROOT, SAMPLES, SEED


def test_seed_row_is_exactly_right() -> None:
    cable = parse_bytes(str(SEED), SEED.read_bytes())
    got = row(cable, [])
    assert got == {
        "id": str(SEED),
        "format": "smart",
        "mrn": "20 MEXICO 368",
        "dtg": "052045Z FEB 20",
        "date": "2020-02-05",
        "precedence": "ROUTINE",
        "post": "AMEMBASSY MEXICO",
        "action": "WASHDC, SECSTATE",
        "classification": "SBU",
        "captions": "SENSITIVE",
        "markings": "(SBU)",
        "tags": "PGOV PREL PHUM SMIG KTIP MX",
        "eo": "13526",
        "subject": "Mexico: Lopez Obrador Administration has Mixed Results on Human Rights",
        "paragraphs": 12,
        "errors": 0,
        "warnings": 0,
        "infos": 0,
    }


TELEGRAM = """\
O 081757Z DEC 06
FM AMEMBASSY KUALA LUMPUR
TO RUEHC/SECSTATE WASHDC IMMEDIATE 0001
INFO RUEHBR/AMEMBASSY BRASILIA 7419
C O N F I D E N T I A L SECTION 01 OF 02 KUALA LUMPUR 000317

E.O. 12958: DECL: 12/08/2016
TAGS: PREL, MY
SUBJECT: A TELEGRAM

1. (C) ONE.

2. (U) TWO.
"""


def test_telegram_row_derives_mrn_precedence_and_addressees() -> None:
    got = row(parse_text("t.txt", TELEGRAM), [])
    assert (got["mrn"], got["dtg"], got["date"], got["precedence"]) == (
        "06 KUALA LUMPUR 317", "081757Z DEC 06", "2006-12-08", "IMMEDIATE")
    assert (got["post"], got["action"], got["classification"]) == (
        "AMEMBASSY KUALA LUMPUR", "SECSTATE WASHDC", "C")
    assert (got["markings"], got["tags"], got["eo"], got["paragraphs"]) == (
        "(C) (U)", "PREL MY", "12958", 2)


def test_csv_and_jsonl_hold_one_row_per_cable_with_findings_counted(tmp_path: Path) -> None:
    out_csv, out_jsonl = tmp_path / "t.csv", tmp_path / "t.jsonl"
    assert main(["extract", str(SAMPLES), "-o", str(out_csv)]) == 0
    assert main(["extract", str(SAMPLES), "-o", str(out_jsonl)]) == 0
    with out_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert tuple(rows[0]) == NAMES and len(rows) == len(records) >= 17
    by_id = {Path(r["id"]).name: r for r in records}
    seed = lint([str(SEED)], Settings(), jobs=1).findings
    counts = by_id["000_e7dac46e8b561614.txt"]
    assert [counts[k] for k in ("errors", "warnings", "infos")] == [
        sum(f.severity == sev for f in seed) for sev in ("error", "warning", "info")]
    assert counts["warnings"] >= 2  # the two MEXICQ at least
    assert by_id["dtg_impossible.txt"]["errors"] >= 1
    assert [r["id"] for r in rows] == [r["id"] for r in records]


def test_unknown_suffix_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(SEED), "-o", str(tmp_path / "t.xlsx")])
    assert exc.value.code == 2
    assert not (tmp_path / "t.xlsx").exists()


def test_parquet_without_pyarrow_is_a_clear_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert main(["extract", str(SEED), "-o", str(tmp_path / "t.parquet")]) == 2
        assert "needs pyarrow" in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []  # nothing half-written is left
    else:
        import pyarrow.parquet as pq

        assert main(["extract", str(SEED), "-o", str(tmp_path / "t.parquet")]) == 0
        assert pq.read_table(tmp_path / "t.parquet").column("mrn").to_pylist() == [
            "20 MEXICO 368"]


def test_readme_documents_every_column() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- extract-columns.*?-->\n(.*?)\n<!-- /extract-columns -->", readme,
                      re.S)
    assert block is not None and block.group(1) == markdown_table()


def test_rewriting_a_table_keeps_its_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    assert main(["extract", str(SEED), "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_text(encoding="utf-8").startswith("id,format,mrn,")
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
