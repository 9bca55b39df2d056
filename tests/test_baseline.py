"""Baselines: --write-baseline records the findings, --baseline fails only on new ones, its
entries survive lines moving, stale entries are reported, and the file diffs well."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.cli import main
from conftest import SAMPLES, SEED

SEED_BYTES = SEED.read_bytes()
BROKEN = SAMPLES / "broken" / "telegram_defects.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "corpus"
    (folder / "smart").mkdir(parents=True)
    (folder / "smart" / "seed.txt").write_bytes(SEED_BYTES)
    (folder / "broken.txt").write_bytes(BROKEN.read_bytes())
    # The tests are about baselines: a fixed set of rules keeps their counts when rules are added.
    (tmp_path / ".cablelint.yaml").write_text("select: [E, P001, M001, H001, D001, T001]\n")
    monkeypatch.chdir(tmp_path)
    return folder


def entries(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text().splitlines()
            if not line.startswith("#")]


def test_write_then_check_passes(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    assert code == 0, "writing a baseline accepts today's findings"
    rows = entries(Path("baseline.tsv"))
    # As ruff's --add-noqa: no findings printed, one line saying what was recorded where.
    assert out == ""
    assert err == "Wrote 9 findings to the baseline baseline.tsv (2 files linted).\n"
    assert len(rows) == 9 and rows == sorted(rows, key=lambda r: (r[0], r[1], r[3], r[2]))
    assert rows[-2:] == [
        ["corpus/smart/seed.txt", "T001", rows[-2][2], "'MEXICQ' is an OCR misreading of "
         "'MEXICO'"],
        ["corpus/smart/seed.txt", "T001", rows[-1][2], "'MEXICQ' is an OCR misreading of "
         "'MEXICO'"],
    ]
    assert rows[-2][2] != rows[-1][2]
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert (code, out) == (0, "")
    assert "9 more in the baseline" in err


def test_baseline_file_is_stable(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--write-baseline", "a.tsv", "corpus")
    run(capsys, "--write-baseline", "b.tsv", "--jobs", "2", str(corpus.resolve()))
    assert Path("a.tsv").read_bytes() == Path("b.tsv").read_bytes()
    assert Path("a.tsv").read_text().startswith("# cablelint baseline")


def test_entries_survive_lines_moving(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    seed = corpus / "smart" / "seed.txt"
    seed.write_bytes(b"\n\n\n\n" + SEED_BYTES)  # every finding moves four lines down
    code, out, _ = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert (code, out) == (0, "")


def test_only_new_findings_fail(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    seed = corpus / "smart" / "seed.txt"
    seed.write_bytes(SEED_BYTES + b"\n**Drafted By:** AMEMBASSV MEXICQ\n")
    code, out, _ = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert code == 1
    last = len(seed.read_bytes().splitlines())
    assert out.splitlines() == [
        f"corpus/smart/seed.txt:{last}:17: T001 [ocr-confusion] 'AMEMBASSV' is an OCR "
        "misreading of 'AMEMBASSY'",
        f"corpus/smart/seed.txt:{last}:27: T001 [ocr-confusion] 'MEXICQ' is an OCR "
        "misreading of 'MEXICO'",
    ]


def test_baseline_paths_are_relative_to_the_baseline(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    monkeypatch.chdir(corpus / "smart")
    code, out, _ = run(capsys, "--baseline", "../../baseline.tsv", ".")
    assert (code, out) == (0, "")


def test_stale_entries_are_reported_and_can_be_dropped(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    seed = corpus / "smart" / "seed.txt"
    seed.write_bytes(SEED_BYTES.replace(b"MEXICQ", b"MEXICO"))
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert (code, out) == (0, "")
    assert "baseline.tsv: 2 baseline entries no longer found" in err
    assert err.count("corpus/smart/seed.txt\tT001\t") == 2
    # A new finding appears too; rewriting with both options drops the stale entries and
    # does not accept the new one.
    (corpus / "new.txt").write_bytes(SEED_BYTES)
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", "corpus")
    assert (code, out) == (0, "")
    assert err == ("Wrote 7 findings to the baseline baseline.tsv (3 files linted; dropped 2 "
                   "entries no longer found; 2 new findings not recorded: `cablelint "
                   "--baseline baseline.tsv` shows them).\n")
    rows = entries(Path("baseline.tsv"))
    assert len(rows) == 7 and not any(r[0].endswith("seed.txt") or r[0].endswith("new.txt")
                                      for r in rows)
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert code == 1 and out.count("corpus/new.txt:") == 2 and "no longer found" not in err


def test_entries_of_a_deleted_file_are_stale(corpus: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Listed and dropped like a repaired defect's, not kept as a file this run did not lint
    (trial11)."""
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    kept = [r for r in entries(Path("baseline.tsv")) if not r[0].endswith("broken.txt")]
    gone = len(entries(Path("baseline.tsv"))) - len(kept)
    (corpus / "broken.txt").unlink()
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert (code, out) == (0, "")
    assert f"baseline.tsv: {gone} baseline entries no longer found" in err
    assert err.count("corpus/broken.txt\t") == gone
    run(capsys, "--baseline", "baseline.tsv", "--write-baseline", "baseline.tsv", "corpus")
    assert entries(Path("baseline.tsv")) == kept


def test_quiet_hides_stale_entries(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    (corpus / "broken.txt").unlink()
    code, out, err = run(capsys, "--quiet", "--baseline", "baseline.tsv", "corpus")
    assert (code, out, err) == (0, "", "")


def test_a_bad_baseline_is_an_error(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("baseline.tsv").write_text("# header\ncorpus/x.txt T001\n")
    code, _, err = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert code == 2 and "baseline.tsv:2: expected 'path<TAB>code<TAB>fingerprint" in err
    code, _, err = run(capsys, "--baseline", "missing.tsv", "corpus")
    assert code == 2 and "missing.tsv: cannot read the baseline" in err


def test_a_path_with_a_tab_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a\tb.txt").write_bytes(SEED_BYTES)
    run(capsys, "--write-baseline", "baseline.tsv", "a\tb.txt")
    assert "a\\tb.txt\tT001" in Path("baseline.tsv").read_text()
    assert run(capsys, "--baseline", "baseline.tsv", "a\tb.txt")[:2] == (0, "")


def test_a_run_on_some_files_keeps_the_entries_of_the_others(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pre-commit lints the staged files alone: the other files' entries are not stale, and
    shrinking the baseline keeps them."""
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    before = entries(Path("baseline.tsv"))
    seed = corpus / "smart" / "seed.txt"
    code, out, err = run(capsys, "--baseline", "baseline.tsv", str(seed))
    assert (code, out) == (0, "") and "no longer found" not in err
    seed.write_bytes(SEED_BYTES.replace(b"MEXICQ", b"MEXICO"))
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", str(seed))
    assert err == ("Wrote 7 findings to the baseline baseline.tsv (1 file linted; 7 kept for "
                   "files not linted; dropped 2 entries no longer found).\n")
    after = entries(Path("baseline.tsv"))
    assert after == [row for row in before if not row[0].endswith("seed.txt")]
    assert len(after) == 7


def test_write_baseline_prints_one_line_and_names_unreadable_files(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--write-baseline prints no findings in any format (trial: it printed every one); a
    file that cannot be read is named before the line, and the exit status is 2."""
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x00\x03" * 10)
    code, out, err = run(capsys, "--format", "json", "-o", "jsonl=all.jsonl",
                         "--write-baseline", "baseline.tsv", "corpus")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "corpus/binary.txt:1:1: E001 [unreadable-input] binary file (NUL bytes): not linted",
        "Wrote 9 findings to the baseline baseline.tsv (2 files linted; 1 input could not be "
        "read (E001): exit status 2).",
    ]
    assert len(Path("all.jsonl").read_text().splitlines()) == 10, "-o reports are written"
    assert not [row for row in entries(Path("baseline.tsv")) if row[1] == "E001"]
    code, out, err = run(capsys, "--quiet", "--statistics", "--write-baseline", "b.tsv", "corpus")
    assert (code, out, err) == (2, "", "")
    assert entries(Path("b.tsv")) == entries(Path("baseline.tsv"))


NOSUCH = "nosuch:1:1: E001 [unreadable-input] cannot read: No such file or directory"


def test_a_rule_subset_keeps_the_other_rules_entries(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """trial13: --select D001 with --baseline listed every other rule's entry as no longer
    found, and rewriting the baseline deleted them (71 of 74 on the samples)."""
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    before = entries(Path("baseline.tsv"))
    dtg = sum(1 for row in before if row[1] == "D001")
    assert 0 < dtg < len(before) == 9
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--select", "D001", "corpus")
    assert (code, out, err) == (0, "", f"All clean: 2 files checked, no findings. {dtg} more "
                                "in the baseline.\n")
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", "--select", "D001", "corpus")
    assert (code, out) == (0, "")
    assert err == (f"Wrote 9 findings to the baseline baseline.tsv (2 files linted; {9 - dtg} "
                   "kept for rules not run).\n")
    assert entries(Path("baseline.tsv")) == before
    # --ignore, and the configuration's selection, likewise; a rule that runs still drops
    # its repaired entries.
    seed = corpus / "smart" / "seed.txt"
    seed.write_bytes(SEED_BYTES.replace(b"MEXICQ", b"MEXICO"))
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--ignore", "T001", "corpus")
    ocr = sum(1 for row in before if row[1] == "T001")
    assert ocr == 3  # two in the seed, one in broken.txt
    assert (code, out, err) == (0, "", "All clean: 2 files checked, no findings. 6 more in "
                                "the baseline.\n")
    Path(".cablelint.yaml").write_text("select: [E, P001, M001, H001, D001]\n")
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", "corpus")
    assert err == ("Wrote 9 findings to the baseline baseline.tsv (2 files linted; 3 kept for "
                   "rules not run).\n")
    assert entries(Path("baseline.tsv")) == before
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", "--extend-select", "T001", "corpus")
    assert err == ("Wrote 7 findings to the baseline baseline.tsv (2 files linted; dropped 2 "
                   "entries no longer found).\n")
    assert entries(Path("baseline.tsv")) == [
        r for r in before if not (r[1] == "T001" and r[0].endswith("seed.txt"))]


def test_input_errors_are_never_baselined(corpus: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """trial13: a missing path's E001 was recorded with an empty fingerprint, and every later
    --baseline run failed to read the file; a missing path counted as a linted file."""
    code, out, err = run(capsys, "--write-baseline", "baseline.tsv", "corpus", "nosuch")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        NOSUCH,
        "Wrote 9 findings to the baseline baseline.tsv (2 files linted; 1 input could not be "
        "read (E001): exit status 2).",
    ]
    written = Path("baseline.tsv").read_text()
    assert "E001" not in written and "nosuch" not in written
    assert run(capsys, "--baseline", "baseline.tsv", "corpus") == (
        0, "", "All clean: 2 files checked, no findings. 9 more in the baseline.\n")
    # A baseline an older cablelint wrote with such lines is read, with one warning.
    with open("baseline.tsv", "a") as fh:
        fh.write("nosuch\tE001\t\tcannot read: No such file or directory\n"
                 "corpus/binary.txt\tE001\t0123456789abcdef\tbinary file (NUL bytes): "
                 "not linted\n")
    warning = ("cablelint: warning: baseline.tsv: skipped 2 E001 entries (input errors, which "
               "a baseline does not record); rewriting the baseline drops them\n")
    assert run(capsys, "--baseline", "baseline.tsv", "corpus") == (
        0, "", warning + "All clean: 2 files checked, no findings. 9 more in the baseline.\n")
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", "corpus")
    assert (code, out, err) == (0, "", warning + "Wrote 9 findings to the baseline "
                                "baseline.tsv (2 files linted).\n")
    assert Path("baseline.tsv").read_text() == written


def test_a_run_that_exits_2_says_why(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """trial13: 'All clean: 18 files checked, no findings. 74 more in the baseline.' and
    exit status 2, with no reason given: an old baseline had accepted a binary file's E001."""
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x00\x03" * 10)
    with open("baseline.tsv", "a") as fh:  # as an older cablelint wrote it
        fh.write("corpus/binary.txt\tE001\t0123456789abcdef\tbinary file (NUL bytes): "
                 "not linted\n")
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "corpus")
    assert (code, out) == (2, "corpus/binary.txt:1:1: E001 [unreadable-input] binary file "
                              "(NUL bytes): not linted\n")
    assert err.splitlines()[-1] == ("All clean: 2 files checked, no findings. 9 more in the "
                                    "baseline. 1 input could not be read (E001): exit status 2.")
    assert run(capsys, "nosuch") == (
        2, NOSUCH + "\n", "Nothing checked. 1 input could not be read (E001): exit status 2.\n")
    code, out, err = run(capsys, "corpus", "nosuch")
    assert code == 2 and out.endswith(NOSUCH + "\n")
    assert err == ("Found 9 findings (6 error, 3 warning) in 2 of 2 files. 3 with a "
                   "fix. 2 inputs could not be read (E001): exit status 2.\n")


@pytest.mark.parametrize("option", ["--write-baseline", "-o"])
def test_an_input_is_never_overwritten(corpus: Path, capsys: pytest.CaptureFixture[str],
                                       option: str) -> None:
    """trial13: `cablelint --write-baseline a.txt a.txt` wrote the baseline over the cable."""
    target = corpus / "broken.txt"
    value = "corpus/broken.txt" if option == "--write-baseline" else "json=corpus/broken.txt"
    shown = "--write-baseline" if option == "--write-baseline" else "--output-file"
    for paths in (["corpus/broken.txt"], ["corpus"], [str(target.resolve())]):
        code, out, err = run(capsys, option, value, *paths)
        assert (code, out) == (2, "")
        assert err == (f"cablelint: error: {shown} {value}: corpus/broken.txt is one of the "
                       "files being linted; writing there would overwrite it (choose another "
                       "file)\n")
        assert target.read_bytes() == BROKEN.read_bytes()


def test_one_new_finding_is_it(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    seed = corpus / "smart" / "seed.txt"
    seed.write_bytes(SEED_BYTES + b"\nAMEMBASSV\n")
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", "corpus")
    assert (code, out) == (0, "")
    assert err == ("Wrote 9 findings to the baseline baseline.tsv (2 files linted; 1 new "
                   "finding not recorded: `cablelint --baseline baseline.tsv` shows it).\n")


def test_per_file_ignores_keep_their_entries(corpus: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--write-baseline", "baseline.tsv", "corpus")
    before = entries(Path("baseline.tsv"))
    (corpus / "smart" / "seed.txt").write_bytes(SEED_BYTES.replace(b"MEXICQ", b"MEXICO"))
    Path(".cablelint.yaml").write_text("select: [E, P001, M001, H001, D001, T001]\n"
                                       "per-file-ignores:\n  'seed.txt': [T001]\n")
    assert run(capsys, "--baseline", "baseline.tsv", "corpus") == (
        0, "", "All clean: 2 files checked, no findings. 7 more in the baseline.\n")
    code, out, err = run(capsys, "--baseline", "baseline.tsv", "--write-baseline",
                         "baseline.tsv", "corpus")
    assert err == ("Wrote 9 findings to the baseline baseline.tsv (2 files linted; 2 kept for "
                   "rules not run).\n")
    assert entries(Path("baseline.tsv")) == before
