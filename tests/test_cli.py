"""The command line as a user meets it: output format, exit codes, verbs, selection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cablelint.cli import main
from conftest import ROOT, SAMPLES, SEED

CLEAN = SAMPLES / "telegram" / "08KUALALUMPUR317.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--select", "T001", str(SEED))
    assert code == 1
    assert out.splitlines() == [
        f"{SEED}:93:17: T001 [ocr-confusion] 'MEXICQ' is an OCR misreading of 'MEXICO'",
        f"{SEED}:106:18: T001 [ocr-confusion] 'MEXICQ' is an OCR misreading of 'MEXICO'",
    ]
    assert "Found 2 findings" in err


def test_clean_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(CLEAN))
    assert (code, out) == (0, "")
    assert "All clean" in err


def test_a_folder_without_cables_warns_and_exits_0(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    code, out, err = run(capsys, str(tmp_path))
    assert (code, out) == (0, "")
    assert "warning: no cable files found under the given paths" in err
    assert "All clean" not in err


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json", "--select", "T001", str(SEED))
    data = json.loads(out)
    assert code == 1 and len(data) == 2
    first = data[0]
    for key in ("path", "line", "column", "end_line", "end_column", "code", "rule", "severity",
                "message", "fix"):
        assert key in first
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (
        93, 17, 93, 23)
    assert first["fix"]["replacement"] == "MEXICO" and first["fix"]["safe"] is True


def test_select_and_ignore_take_codes_names_prefixes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--select", "ocr-confusion", str(SEED))[0] == 1
    assert run(capsys, "--select", "T,P,M", "--ignore", "T001", str(SEED))[0] == 0
    assert run(capsys, "--select", "ocr-confusion,P", "--ignore", "T", str(SEED))[0] == 0
    assert run(capsys, "--select", "P,M", str(SEED))[0] == 0


def test_unknown_selector_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    # One line naming the selector, as for a configuration file's error: not the usage.
    code, out, err = run(capsys, "--select", "NOPE", str(SEED))
    assert (code, out) == (2, "")
    assert err == "cablelint: error: 'select' names unknown rule 'NOPE'\n"


def test_a_file_named_twice_is_linted_once(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # Named twice, or named and inside a named folder: one file, not a copy of itself (K002).
    cable = tmp_path / "seed.md"
    cable.write_bytes(SEED.read_bytes())
    once = run(capsys, "--no-cache", str(cable))
    for args in ([str(cable), str(cable)], [str(tmp_path), str(tmp_path / "." / "seed.md")]):
        code, out, err = run(capsys, "--no-cache", *args)
        assert (code, out) == once[:2]
        assert "K002" not in out and "in 1 of 1 file." in err


def test_standard_input_named_twice_is_read_once(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    stdin = io.TextIOWrapper(io.BytesIO(SEED.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = run(capsys, "--no-cache", "--select", "T001", "-", "-")
    assert code == 1
    assert [line.split(": ")[0] for line in out.splitlines()] == ["<stdin>:93:17",
                                                                  "<stdin>:106:18"]
    assert "in 1 of 1 file." in err


def test_fail_on_and_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    # The seed's findings are warnings.
    assert run(capsys, "--fail-on", "error", str(SEED))[0] == 0
    assert run(capsys, "--fail-on", "warning", str(SEED))[0] == 1
    assert run(capsys, "--exit-zero", str(SEED))[0] == 0


def test_missing_path_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, str(tmp_path / "nope.txt"))
    assert code == 2
    assert "E001 [unreadable-input] cannot read" in out


def test_output_is_sorted_by_path_line_column(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--exit-zero", str(SAMPLES))
    keys = []
    for line in out.splitlines():
        path, lineno, col, _ = line.split(":", 3)
        keys.append((path, int(lineno), int(col)))
    assert keys == sorted(keys) and len(keys) > 10


def test_rules_and_rule_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    for name in ("paragraph-sequence", "paragraph-marking", "header-field-missing",
                 "dtg-date-mismatch", "ocr-confusion"):
        assert name in out
    # a Fix column: which kinds of fix a rule's findings may carry (trial13)
    lines = out.splitlines()
    assert lines[0].split() == ["Code", "Name", "Severity", "Fix", "Checks"]
    assert lines[1].split()[:4] == ["E001", "unreadable-input", "error", "-"]
    by_code = {line.split()[0]: line.split()[3] for line in lines[1:]}
    assert (by_code["T001"], by_code["P001"], by_code["M001"]) == ("safe/unsafe", "unsafe", "-")
    code, out, _ = run(capsys, "rules", "--format", "json", "--select", "T001,T003,M001")
    assert [(r["code"], r["fixes"]) for r in json.loads(out)] == [
        ("M001", []), ("T001", ["safe", "unsafe"]), ("T003", ["unsafe"])]
    assert run(capsys, "rules", "--select", "XX9")[:2] == (0, "Code  Name  Severity  Fix          "
                                                              "Checks\n")
    code, out, _ = run(capsys, "rules", "--format", "markdown", "--select", "T003")
    assert out.splitlines()[0] == "| Code | Name | Severity | Fix | Checks |"
    assert out.splitlines()[2].startswith("| T003 | `redaction-code` | warning | unsafe | ")
    code, out, _ = run(capsys, "rule", "paragraph-sequence")
    assert code == 0 and "P001" in out and "Failing" in out and "Passing" in out
    assert out.splitlines()[1] == ("Fix: unsafe (applied with --unsafe-fixes), on some "
                                   "findings")
    # the documentation opens with its own statement: the registry's summary is not said twice
    assert "without gaps, duplicates or disorder" in out and "without gaps or repeats" not in out
    code, out, _ = run(capsys, "rule", "D001")
    assert "de_max_days" in out
    assert run(capsys, "rule", "no-such-rule")[0] == 2


def test_rule_documentation_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule", "redaction-code", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["code"], data["name"], data["severity"], data["fixes"]) == (
        "T003", "redaction-code", "warning", ["unsafe"])
    assert data["documentation"].startswith("A FOIA exemption code is malformed")
    assert "Failing" in data["documentation"] and "Passing" in data["documentation"]


def test_a_path_named_like_a_verb_can_be_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "cable.txt").write_bytes(SEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    for argv in (["check", "rules"], ["./rules"], ["--", "rules"]):
        code, out, _ = run(capsys, *argv)
        assert code == 1 and "T001" in out, argv


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    code, out, _ = run(capsys, "--select", "T001", "--stdin-filename", "seed.txt", "-")
    assert code == 1
    assert out.startswith("seed.txt:93:17: T001")


def test_console_script_and_module_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "cablelint", str(SEED)], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert "T001 [ocr-confusion]" in proc.stdout


def test_parallel_output_equals_serial(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from cablelint import runner

    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(runner, "CHUNK", 3)
    serial = run(capsys, "--no-cache", "--exit-zero", "--jobs", "1", str(SAMPLES))[1]
    parallel = run(capsys, "--no-cache", "--exit-zero", "--jobs", "2", str(SAMPLES))[1]
    assert serial == parallel and serial
