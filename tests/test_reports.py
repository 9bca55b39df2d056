"""Report formats: SARIF 2.1.0 (validated against the OASIS schema), JUnit XML, GitHub
annotations, GitLab Code Quality, JSON Lines; several reports in one run; --statistics."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from cablelint.checks import REGISTRY
from cablelint.cli import main
from cablelint.engine import Finding
from cablelint.report import FORMATS, Report
from cablelint.report.github_format import annotation
from conftest import ROOT, SAMPLES, SEED, SHARED

CLEAN = SAMPLES / "telegram" / "08KUALALUMPUR317.txt"
BROKEN = SAMPLES / "broken" / "telegram_defects.txt"
# ../shared beside the repository (CI), or beside the folder of worktrees (development).
SCHEMAS = [base / "schemas" / "sarif-schema-2.1.0.json"
           for base in (SHARED, ROOT.parent.parent / "shared")]
SARIF_SCHEMA = next((p for p in SCHEMAS if p.is_file()), None)


#: The tests are about report formats: a fixed set of rules keeps their expected findings when
#: rules are added to the catalog.
RULES = ["--select", "E,P001,M001,H001,D001,T001"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args) if "--select" in args else [*RULES, *args])
    out, err = capsys.readouterr()
    return code, out, err


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # reports give paths relative to the folder cablelint runs in


@pytest.mark.skipif(SARIF_SCHEMA is None, reason="../shared/schemas/sarif-schema-2.1.0.json "
                    "is not beside the repository")
def test_sarif_validates_against_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    code, out, _ = run(capsys, "--format", "sarif", "corpus_samples")
    log = json.loads(out)
    assert SARIF_SCHEMA is not None
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    assert code == 1 and log["version"] == "2.1.0"
    # A broken log must not validate: the test can fail.
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)


def test_sarif_rules_results_and_fingerprints(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--format", "sarif", relative(SEED))
    run_ = json.loads(out)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in REGISTRY]
    t001 = next(r for r in rules if r["id"] == "T001")
    assert t001["name"] == "ocr-confusion"
    assert t001["shortDescription"]["text"].startswith("A token is an OCR misreading")
    assert "MEXICQ" in t001["fullDescription"]["text"]
    assert t001["defaultConfiguration"] == {"level": "warning"}
    assert next(r for r in rules if r["id"] == "E004")["defaultConfiguration"] == {
        "level": "note"}
    first, second = run_["results"]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "T001"
    assert first["message"]["text"] == "'MEXICQ' is an OCR misreading of 'MEXICO'"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": relative(SEED), "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 93, "startColumn": 17, "endLine": 93,
                                  "endColumn": 23}
    prints = [r["partialFingerprints"]["cablelint/v1"] for r in (first, second)]
    assert len(set(prints)) == 2 and all(len(p) == 16 for p in prints)
    change = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert change["insertedContent"] == {"text": "MEXICO"}


def test_sarif_level_follows_a_configured_severity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".cablelint.yaml").write_text("severity: {ocr-confusion: error}\n")
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "--format", "sarif", "seed.txt")
    results = json.loads(out)["runs"][0]["results"]
    assert {r["level"] for r in results} == {"error"}


def test_junit_one_case_per_cable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "junit", relative(SEED), relative(CLEAN),
                       relative(BROKEN))
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and code == 1
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [relative(p) for p in (SEED, CLEAN, BROKEN)]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "2", "0")
    seed, clean, broken = cases
    assert list(clean) == []
    (failure,) = seed.findall("failure")
    assert failure.get("type") == "warning"
    assert failure.get("message", "").startswith("2 findings: 'MEXICQ'")
    assert failure.text is not None and failure.text.splitlines() == [
        f"{relative(SEED)}:93:17: T001 [ocr-confusion] 'MEXICQ' is an OCR misreading of "
        "'MEXICO'",
        f"{relative(SEED)}:106:18: T001 [ocr-confusion] 'MEXICQ' is an OCR misreading of "
        "'MEXICO'",
    ]
    assert broken.find("failure").get("type") == "error"  # type: ignore[union-attr]


def test_junit_unreadable_file_is_an_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "scan.txt").write_bytes(b"\x00\x01" * 10)
    _, out, _ = run(capsys, "--format", "junit", str(tmp_path / "scan.txt"))
    case = ET.fromstring(out).find("testsuite/testcase")
    assert case is not None and case.find("error") is not None


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "github", relative(SEED))
    assert code == 1
    assert out.splitlines()[0] == (
        f"::warning file={relative(SEED)},line=93,col=17,endLine=93,endColumn=23,"
        "title=T001 [ocr-confusion]::'MEXICQ' is an OCR misreading of 'MEXICO'"
    )


def test_github_annotation_escapes() -> None:
    finding = Finding("a,b:c.txt", 2, 3, 2, 5, "P001", "paragraph-sequence", "info",
                      "100% wrong\nsee: 1, 2")
    assert annotation(finding) == (
        "::notice file=a%2Cb%3Ac.txt,line=2,col=3,endLine=2,endColumn=5,"
        "title=P001 [paragraph-sequence]::100%25 wrong%0Asee: 1, 2"
    )


def test_gitlab_code_quality_fingerprints_survive_lines_moving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cable = tmp_path / "seed.txt"
    cable.write_bytes(SEED.read_bytes())
    _, out, _ = run(capsys, "--format", "gitlab", "seed.txt")
    before = json.loads(out)
    assert [i["location"]["positions"]["begin"] for i in before] == [
        {"line": 93, "column": 17}, {"line": 106, "column": 18}]
    issue = before[0]
    assert issue["check_name"] == "ocr-confusion" and issue["severity"] == "minor"
    assert issue["location"]["path"] == "seed.txt"
    assert issue["description"] == "T001 [ocr-confusion] 'MEXICQ' is an OCR misreading of " \
        "'MEXICO'"
    assert len({i["fingerprint"] for i in before}) == 2
    cable.write_bytes(b"\n\n\n" + SEED.read_bytes())
    _, out, _ = run(capsys, "--format", "gitlab", str(cable))  # another spelling of the path
    after = json.loads(out)
    assert [i["location"]["positions"]["begin"]["line"] for i in after] == [96, 109]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]


def test_jsonl_is_the_json_objects_one_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--format", "json", "corpus_samples")
    _, lines, _ = run(capsys, "--format", "jsonl", "corpus_samples")
    assert [json.loads(line) for line in lines.splitlines()] == json.loads(out)


def test_every_format_renders_an_empty_report() -> None:
    for name, render in FORMATS.items():
        out = render(Report([], ["a.txt"]))
        assert isinstance(out, str), name
    assert FORMATS["json"](Report([], [])) == "[]\n"


def test_several_reports_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sarif, junit = tmp_path / "out" / "cablelint.sarif", tmp_path / "junit.xml"
    code, out, _ = run(capsys, "--output-file", f"sarif={sarif}", "-o", f"junit={junit}",
                       relative(SEED))
    assert code == 1
    assert out.startswith(f"{relative(SEED)}:93:17: T001"), "standard output keeps its format"
    assert len(json.loads(sarif.read_text())["runs"][0]["results"]) == 2
    assert ET.fromstring(junit.read_text()).find("testsuite/testcase/failure") is not None


@pytest.mark.parametrize("value", ["sarif", "nope=out.txt", "sarif="])
def test_output_file_usage_errors(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--output-file", value, str(SEED)])
    assert exc.value.code == 2 and "--output-file" in capsys.readouterr().err


def test_statistics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--statistics", "corpus_samples")
    lines = out.splitlines()
    assert code == 1
    assert "8  T001  ocr-confusion" in out and "(8 with a fix)" in out
    counts = [int(line.split()[0]) for line in lines]
    assert counts == sorted(counts, reverse=True) and sum(counts) == 24


def test_statistics_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    """--statistics exits as the run would without it (README, Exit status): 0 clean, 1 on a
    finding at or above --fail-on (counted all the same below it), 2 on an input error."""
    assert run(capsys, "--statistics", relative(CLEAN))[:2] == (0, "")
    code, out, _ = run(capsys, "--statistics", relative(SEED))
    assert code == 1 and "T001  ocr-confusion" in out
    code, out, _ = run(capsys, "--statistics", "--fail-on", "error", relative(SEED))
    assert code == 0 and "T001  ocr-confusion" in out
    assert run(capsys, "--statistics", "--exit-zero", relative(BROKEN))[0] == 0
    code, out, _ = run(capsys, "--statistics", relative(SEED), "no/such/cable.txt")
    assert code == 2 and "T001  ocr-confusion" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Exit status (with --statistics too): 0 when no finding reaches" in help_text


def test_quiet_and_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--quiet", relative(SEED))
    assert (code, err) == (1, "") and out
    assert run(capsys, "--quiet", "--fail-on", "error", relative(SEED))[0] == 0
    assert run(capsys, "--quiet", "--exit-zero", relative(BROKEN))[0] == 0
