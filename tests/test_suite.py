"""`cablelint suite`: the metadata table validated by a Great Expectations suite."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cablelint.cli import main
from cablelint.suite import INSTALL_HINT, SuiteError, load_suite
from conftest import ROOT, SAMPLES, SEED

REAL = [p for p in sorted(SAMPLES.rglob("*")) if p.is_file() and p.suffix in (".txt", ".md",
        ".html") and "broken" not in p.parts and p.name != "README.md"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The real cables of corpus_samples/, without the hand-made broken ones."""
    folder = tmp_path / "corpus"
    for path in REAL:
        target = folder / path.relative_to(SAMPLES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return folder


def write_suite(path: Path, body: str) -> Path:
    path.write_text("name: test-suite\nexpectations:\n" + body, encoding="utf-8")
    return path


def test_a_suite_without_expectations_is_a_clear_error(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    with pytest.raises(SuiteError, match="a list 'expectations'"):
        load_suite(bad)
    assert main(["suite", str(SEED), "--suite", str(bad)]) == 2
    assert "bad.yaml: a suite is a mapping" in capsys.readouterr().err


def test_without_great_expectations_the_command_says_how_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "great_expectations", None)  # import fails
    assert main(["suite", str(SEED)]) == 2
    assert INSTALL_HINT in capsys.readouterr().err


def test_great_expectations_is_imported_only_by_the_suite_command() -> None:
    code = ("import sys; from cablelint.cli import main; main(['--quiet', '--exit-zero', "
            f"{str(SEED)!r}]); main(['rules']); print('great_expectations' in sys.modules, "
            "'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip().splitlines()[-1] == "False False"


needs_gx = pytest.mark.skipif(importlib.util.find_spec("great_expectations") is None,
                              reason="the suite extra (great-expectations) is not installed")


@needs_gx
def test_the_default_suite_passes_on_the_real_samples(corpus: Path, tmp_path: Path,
                                                      capfd: pytest.CaptureFixture[str]) -> None:
    report, docs = tmp_path / "result.json", tmp_path / "docs"
    assert main(["suite", str(corpus), "--json", str(report), "--docs", str(docs)]) == 0
    out, err = capfd.readouterr()
    assert f"on {len(REAL)} cables" in out and out.rstrip().endswith(
        f"Data Docs: {docs / 'index.html'}")
    assert "Suite passed." in out and "FAIL" not in out
    assert "Calculating Metrics" not in err + out  # progress bars are off
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["success"] is True and result["statistics"]["unsuccessful_expectations"] == 0
    assert (docs / "index.html").is_file()
    assert list(docs.glob("validations/**/*.html"))


@needs_gx
def test_planted_defects_fail_exactly_their_expectations(corpus: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    # The same cable twice (one MRN claimed by two files), and an E.O. that does not exist
    # in two cables (2 of 16 rows is more than the 5% the suite tolerates).
    shutil.copyfile(corpus / "smart" / SEED.name, corpus / "smart" / "copy-of-seed.txt")
    for name in ("07BOGOTA1339.txt", "07MADRID1952.txt"):
        path = corpus / "telegram" / name
        data = path.read_bytes()
        assert b"E.O. 12958" in data
        path.write_bytes(data.replace(b"E.O. 12958", b"E.O. 12598"))
    assert main(["suite", str(corpus)]) == 1
    out = capsys.readouterr().out
    failed = [line.split("]")[0].strip() for line in out.splitlines() if "FAIL" in line]
    assert failed == [
        "FAIL  expect_column_values_to_be_unique [mrn",
        "FAIL  expect_column_values_to_be_in_set [eo",
        # the E.O. typos are errors (eo-era): 5 of 16 cables with errors is over the tolerance
        "FAIL  expect_column_values_to_be_between [errors",
    ]
    assert "'20 MEXICO 368'" in out and "'12598'" in out
    assert out.rstrip().endswith("Suite failed (3 of 15).")


@needs_gx
def test_an_unknown_expectation_type_is_an_error_that_names_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = write_suite(tmp_path / "mine.yaml", """\
  - type: expect_column_values_to_not_be_null
    column: mrn
  - type: expect_column_values_to_be_purple
    column: mrn
""")
    assert main(["suite", str(SEED), "--suite", str(suite)]) == 2
    assert ("mine.yaml: expectation 2: unknown expectation type "
            "'expect_column_values_to_be_purple'") in capsys.readouterr().err


@needs_gx
def test_a_bad_argument_is_an_error_that_names_the_expectation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = write_suite(tmp_path / "mine.yaml", """\
  - type: expect_column_values_to_be_in_set
    column: eo
""")
    assert main(["suite", str(SEED), "--suite", str(suite)]) == 2
    assert "mine.yaml: expectation 1 (expect_column_values_to_be_in_set)" in (
        capsys.readouterr().err)


@needs_gx
def test_a_users_suite_with_tolerances(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    def suite(mostly: float) -> Path:
        return write_suite(tmp_path / f"mine-{mostly}.yaml", f"""\
  - type: expect_column_values_to_be_in_set
    column: classification
    value_set: [U, SBU]
    mostly: {mostly}
""")
    # corpus_samples: most cables are unclassified; the C ones stay under a loose tolerance
    assert main(["suite", str(SAMPLES), "--suite", str(suite(0.7))]) == 0
    assert "Suite passed." in capsys.readouterr().out
    assert main(["suite", str(SAMPLES), "--suite", str(suite(0.95))]) == 1
    assert "FAIL  expect_column_values_to_be_in_set [classification]" in capsys.readouterr().out
