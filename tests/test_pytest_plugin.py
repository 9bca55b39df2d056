"""The pytest plugin, run by pytester in a temporary corpus repository."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml  # noqa: F401 - imported before pytester snapshots sys.modules

from conftest import ROOT, SAMPLES, SEED

pytest_plugins = ["pytester"]

#: When cablelint is installed, pytest loads the plugin by its entry point; from a checkout
#: it is named on the command line.
INSTALLED = any(ep.value == "cablelint.pytest_plugin"
                for ep in importlib.metadata.entry_points(group="pytest11"))
PLUGIN = [] if INSTALLED else ["-p", "cablelint.pytest_plugin"]
SELECT = "select: [E, P001, M001, H001, D001, T001]\n"
HAVE_GX = importlib.util.find_spec("great_expectations") is not None


@pytest.fixture
def corpus(pytester: pytest.Pytester) -> Path:
    folder = pytester.path / "corpus"
    folder.mkdir()
    shutil.copyfile(SEED, folder / "seed.txt")
    shutil.copyfile(SAMPLES / "telegram" / "07MADRID1952.txt", folder / "07MADRID1952.txt")
    # The tests are about the plugin: a fixed set of rules keeps one cable clean.
    pytester.path.joinpath(".cablelint.yaml").write_text(SELECT)
    return folder


def test_each_cable_is_an_item_failing_with_its_findings(pytester: pytest.Pytester,
                                                         corpus: Path) -> None:
    result = pytester.runpytest(*PLUGIN, "--cablelint", "--cablelint-suite=none", "corpus",
                                "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "corpus/seed.txt:93:17: T001 [ocr-confusion] 'MEXICQ' is an OCR misreading of 'MEXICO'",
        "*FAILED corpus/seed.txt::seed.txt*",
    ])


def test_without_the_option_cables_are_not_collected(pytester: pytest.Pytester,
                                                     corpus: Path) -> None:
    result = pytester.runpytest(*PLUGIN, "corpus", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_ini_option_and_fail_on_from_the_corpus_config(pytester: pytest.Pytester,
                                                           corpus: Path) -> None:
    pytester.makeini("[pytest]\ncablelint = true\ncablelint_suite = none\n")
    pytester.path.joinpath(".cablelint.yaml").write_text(SELECT + "fail-on: error\n")
    result = pytester.runpytest(*PLUGIN, "corpus", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)  # the seed's findings are warnings


def test_junitxml_records_one_case_per_cable(pytester: pytest.Pytester, corpus: Path) -> None:
    result = pytester.runpytest(*PLUGIN, "--cablelint", "--cablelint-suite=none", "corpus",
                                "--junitxml=report.xml", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    xml = (pytester.path / "report.xml").read_text(encoding="utf-8")
    assert xml.count("<testcase ") == 2 and xml.count("<failure ") == 1
    assert "MEXICQ" in xml


@pytest.mark.skipif(not HAVE_GX, reason="the suite extra (great-expectations) is not installed")
def test_the_suite_is_one_more_item(pytester: pytest.Pytester, corpus: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(SEED, corpus / "copy-of-seed.txt")  # one MRN claimed twice
    # In a process of its own: Great Expectations cannot be imported again in this one after
    # pytester restores sys.modules.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = pytester.runpytest_subprocess(*PLUGIN, "--cablelint", "corpus",
                                           "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(["*FAIL  expect_column_values_to_be_unique [[]mrn[]]*",
                                 "*FAILED *cablelint-suite*"])


@pytest.mark.skipif(HAVE_GX, reason="great-expectations is installed")
def test_the_suite_item_is_skipped_without_great_expectations(pytester: pytest.Pytester,
                                                              corpus: Path) -> None:
    result = pytester.runpytest(*PLUGIN, "--cablelint", "corpus", "-rs",
                                "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*pip install 'cablelint[[]suite[]]'*"])
