"""Configuration files: discovery, validation and effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.cli import main
from cablelint.config import ConfigError, find_config, load
from conftest import SEED


def cable_in(tmp_path: Path, name: str = "cables/seed.txt") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(SEED.read_bytes())
    return path


def test_pyproject_table_is_found_upward(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    cable = cable_in(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cablelint]\nselect = ["T"]\nignore = ["ocr-confusion"]\n')
    assert find_config(cable) == tmp_path / "pyproject.toml"
    assert main([str(cable.parent)]) == 0


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    cable = cable_in(tmp_path)
    (tmp_path / "cables" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / ".cablelint.yaml").write_text("ignore: [T001]\n")
    assert find_config(cable) == tmp_path / ".cablelint.yaml"


@pytest.mark.parametrize(("toml", "ours"), [
    ('[tool.cablelint]\nselect = ["P"]\n', True),
    ('[ "tool" . "cablelint" ]\nselect = ["P"]\n', True),
    ('[tool]\ncablelint = {select = ["P"]}\n', True),
    ('tool.cablelint.select = ["P"]\n', True),
    ('tool = {cablelint = {select = ["P"]}}\n', True),
    # cablelint's own pyproject: the name and a script, no table (not read as TOML at all)
    ('[project]\nname = "cablelint"\n[project.scripts]\ncablelint = "cablelint.cli:main"\n'
     '[tool.ruff]\nline-length = 100\n', False),
    ('[tool.ruff\nbroken', False),  # someone else's broken table: passed over
    ('[tool.cablelint\nbroken', True),  # ours, broken: found, and load() says why
])
def test_pyproject_table_in_any_toml_spelling(tmp_path: Path, toml: str, ours: bool) -> None:
    cable = cable_in(tmp_path)
    (tmp_path / "pyproject.toml").write_text(toml)
    assert find_config(cable) == (tmp_path / "pyproject.toml" if ours else None)


def test_a_broken_pyproject_table_found_upward_is_a_config_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not skipped, which would lint with the defaults without a word (trial11)."""
    cable = cable_in(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.cablelint]\nselect = ["T"\n')
    assert main([str(cable.parent)]) == 2
    assert "pyproject.toml: invalid TOML" in capsys.readouterr().err


@pytest.mark.parametrize("text", ['[tool.cablelint]\nselect = ["T"]\nignore = ["T001"]\n',
                                  'select = ["T"]\nignore = ["T001"]\n'])
def test_config_names_any_toml_file(tmp_path: Path, text: str) -> None:
    """``--config other.toml`` is read as TOML: its [tool.cablelint] table, else its top level."""
    cable = cable_in(tmp_path)
    (tmp_path / "lint.toml").write_text(text)
    assert main(["--config", str(tmp_path / "lint.toml"), str(cable)]) == 0
    assert main([str(cable)]) == 1  # (without it, T001 reports the seed's MEXICQ)


def test_yaml_config_severity_and_per_file_ignores(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    cable_in(tmp_path, "cables/a.txt")
    cable_in(tmp_path, "cables/b.txt")
    (tmp_path / ".cablelint.yaml").write_text(
        "select: [T001]\n"
        "severity: {ocr-confusion: error}\n"
        "per-file-ignores:\n  'cables/b.txt': [T001]\n"
    )
    code = main(["--format", "json", "--select", "T001", str(tmp_path / "cables")])
    out = capsys.readouterr().out
    assert code == 1
    assert '"severity": "error"' in out and "a.txt" in out and "b.txt" not in out


def test_rule_options(tmp_path: Path) -> None:
    (tmp_path / ".cablelint.yaml").write_text("rules:\n  dtg-date-mismatch: {de_max_days: 9}\n")
    settings = load(tmp_path / ".cablelint.yaml")
    selection = settings.selection()
    from cablelint.checks import DtgDateMismatch

    assert selection.options_for(DtgDateMismatch)["de_max_days"] == 9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selct: [P001]\n", "unknown key 'selct'"),
        ("select: [NOPE]\n", "unknown rule 'NOPE'"),
        ("rules:\n  dtg-date-mismatch: {nope: 1}\n", "has no option 'nope'"),
        ("rules:\n  dtg-date-mismatch: {de_max_days: 'x'}\n", "must be an integer"),
        ("severity: {P001: fatal}\n", "must be one of"),
        ("fail-on: never\n", "'fail-on' must be one of"),
        ("max-file-size: true\n", "'max-file-size' must be a number"),
        ("max-file-size: 0\n", "'max-file-size' must be a number of megabytes above 0"),
        ("- a list\n", "must be a mapping"),
        ("select: [unclosed\n", "invalid YAML"),
    ],
)
def test_invalid_config_names_the_key_and_the_file(tmp_path: Path, text: str,
                                                   message: str) -> None:
    path = tmp_path / ".cablelint.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as exc:
        load(path)
    assert message in str(exc.value) and str(path) in str(exc.value)


def test_invalid_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cable = cable_in(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.cablelint]\nbogus = 1\n')
    assert main([str(cable)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'bogus'" in err and "pyproject.toml" in err


def test_suffixes_and_exclude(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cable_in(tmp_path, "c/a.cable")
    cable_in(tmp_path, "c/README.txt")
    (tmp_path / ".cablelint.yaml").write_text("suffixes: [cable]\n")
    main([str(tmp_path / "c")])
    out = capsys.readouterr().out
    assert "a.cable" in out and "README" not in out
