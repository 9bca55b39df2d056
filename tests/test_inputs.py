"""Bad input never crashes: each gets a finding or an error for its file, and the run goes on."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from cablelint.cli import main
from cablelint.config import Settings
from cablelint.runner import discover, lint
from cablelint.source import decode
from conftest import SEED

SEED_BYTES = SEED.read_bytes()


def codes_for(tmp_path: Path, name: str, data: bytes) -> list[tuple[str, int]]:
    path = tmp_path / name
    path.write_bytes(data)
    result = lint([str(path)], Settings(), jobs=1)
    return [(f.code, f.line) for f in result.findings]


def test_binary_file_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02" * 100)
    (tmp_path / "seed.txt").write_bytes(SEED_BYTES)
    code = main([str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 2, "an unreadable input makes the exit status 2"
    assert "scan.txt:1:1: E001 [unreadable-input] binary file (NUL bytes): not linted" in out
    assert "seed.txt:93:17: T001" in out, "the run goes on after a bad file"


def test_binary_file_is_reported_whatever_the_selection(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As a path that cannot be read: "--select D001" does not pass a binary file over."""
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02" * 100)
    code = main(["--select", "D001", str(tmp_path / "scan.txt")])
    out = capsys.readouterr().out
    assert code == 2
    assert "scan.txt:1:1: E001 [unreadable-input] binary file (NUL bytes): not linted" in out


def test_a_file_over_max_file_size_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A dump of many cables in one text file is not parsed as one cable (memory, nonsense
    findings): E001 for that file, and the run goes on."""
    (tmp_path / "dump.txt").write_bytes(SEED_BYTES * 60)  # 0.7 MB
    (tmp_path / "seed.txt").write_bytes(SEED_BYTES)
    (tmp_path / ".cablelint.yaml").write_text("max-file-size: 0.5\n")
    code = main(["--no-cache", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 2
    assert (f"dump.txt:1:1: E001 [unreadable-input] too large to lint as a cable: "
            f"{len(SEED_BYTES) * 60 / 1e6:.1f} MB, over max-file-size (0.5 MB); a corpus in one "
            "file belongs in a container (.csv, .jsonl)") in out
    assert "seed.txt:93:17: T001" in out
    assert [line for line in out.splitlines() if "dump.txt" in line] == [
        line for line in out.splitlines() if "dump.txt:1:1: E001" in line]
    assert Settings().max_file_size == 32  # the default: a cable is kilobytes


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert codes_for(tmp_path, "empty.txt", b"") == [("E002", 1)]
    assert codes_for(tmp_path, "blank.txt", b"\n \n\t\n") == [("E002", 1)]


def test_unrecognised_text(tmp_path: Path) -> None:
    assert codes_for(tmp_path, "notes.txt", b"Minutes of the meeting of 3 May.\n") == [
        ("E003", 1)]


def test_memos_with_a_subject_each_are_no_telegram(tmp_path: Path) -> None:
    """Two memos in one file (a FOIA release of 1947 memoranda) each have a SUBJECT line:
    a SUBJECT line counts once toward the two telegram markers."""
    memo = b"MEMORANDUM FOR THE RECORD\n\nSUBJECT: Flying discs\n\n1. Text of the memo.\n\n"
    assert codes_for(tmp_path, "memos.txt", memo * 2) == [("E003", 1)]
    telegram = b"SUBJECT: FLYING DISCS\nTAGS: PREL\n\n1. TEXT.\n"
    assert "E003" not in {code for code, _ in codes_for(tmp_path, "tel.txt", telegram)}


def test_bom_crlf_and_cp1252_keep_lines_right(tmp_path: Path) -> None:
    expected = codes_for(tmp_path, "plain.txt", SEED_BYTES)
    assert ("T001", 93) in expected and ("T001", 106) in expected
    assert codes_for(tmp_path, "bom.txt", codecs.BOM_UTF8 + SEED_BYTES) == expected
    assert codes_for(tmp_path, "crlf.txt", SEED_BYTES.replace(b"\n", b"\r\n")) == expected
    assert codes_for(tmp_path, "cr.txt", SEED_BYTES.replace(b"\n", b"\r")) == expected
    utf16 = codecs.BOM_UTF16_LE + SEED_BYTES.decode("utf-8").encode("utf-16-le")
    assert codes_for(tmp_path, "utf16.txt", utf16) == expected
    latin = SEED_BYTES.decode("utf-8").encode("cp1252", errors="replace")
    assert codes_for(tmp_path, "cp1252.txt", latin) == [("E004", 1), *expected]


def test_nul_late_in_a_text_file_does_not_crash(tmp_path: Path) -> None:
    """A NUL beyond the first 8,000 bytes is text damage, reported by encoding-damage at
    its line."""
    data = SEED_BYTES + b"\n" * 9000 + b"tail\x00end\n"
    nul_line = data.count(b"\n", 0, data.index(b"\x00")) + 1
    got = codes_for(tmp_path, "nul.txt", data)
    assert ("T001", 93) in got and ("T001", 106) in got
    assert [c for c in got if c[1] > 106] == [("T002", nul_line)]


def test_stray_nuls_early_in_a_text_file_are_read(tmp_path: Path) -> None:
    """A few NULs in the first 8,000 bytes of a text (a damaged transfer) do not make it
    binary: the cable is linted and encoding-damage reports each NUL at its line (trial11)."""
    lines = SEED_BYTES.split(b"\n")
    lines[2] += b"\x00"
    lines[20] = b"\x00" + lines[20]
    got = codes_for(tmp_path, "nul.txt", b"\n".join(lines))
    assert ("E001", 1) not in got
    assert ("T002", 3) in got and ("T002", 21) in got
    assert ("T001", 93) in got and ("T001", 106) in got


def test_utf16_without_a_bom_is_binary(tmp_path: Path) -> None:
    data = SEED_BYTES.decode("utf-8").encode("utf-16-le")
    assert codes_for(tmp_path, "utf16.txt", data) == [("E001", 1)]


def test_invalid_utf8_bytes(tmp_path: Path) -> None:
    data = SEED_BYTES.replace(b"Landau", b"Land\xff\xfe")
    assert codes_for(tmp_path, "bad.txt", data)[0] == ("E004", 1)


def test_mixed_encoding_label() -> None:
    """Bytes that are not UTF-8 are read as cp1252; the file is "utf-8+cp1252" when it also
    holds UTF-8's byte patterns: a valid sequence, or a lead E0 or ED before continuation
    bytes that make it invalid (the only ones a text with no valid UTF-8 can hold)."""
    assert decode(b"caf\xe9").encoding == "cp1252"
    assert decode(b"caf\xe9 \xc3\xa9").encoding == "utf-8+cp1252"
    assert decode(b"caf\xe9 \xe0\x80\x80").encoding == "utf-8+cp1252"
    assert decode(b"caf\xe9 \xed\xa0\x80").encoding == "utf-8+cp1252"
    assert decode(b"caf\xe9 \xe1\x80").encoding == "cp1252"


def test_huge_file(tmp_path: Path) -> None:
    body = b"".join(b"%d. (U) A PARAGRAPH OF TEXT.\n\n" % (i % 999 + 1) for i in range(60000))
    got = codes_for(tmp_path, "huge.txt", SEED_BYTES[:2000] + body)
    assert got, "a huge file is linted, not skipped"


def test_unreadable_file_is_an_input_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dir.txt"
    folder.mkdir()  # a folder with a linted suffix, named explicitly: cannot be read
    code = main([str(folder / "missing.txt")])
    assert code == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_folder_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Reading a FIFO blocks until something writes to it: the run used to hang forever.
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "seed.txt").write_bytes(SEED_BYTES)
    assert list(discover([str(tmp_path)], Settings())) == [str(tmp_path / "seed.txt")]
    code = main(["--no-cache", "--jobs", "1", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1 and "pipe.txt" not in out
    assert "seed.txt:93:17: T001" in out


def test_links_in_a_folder(tmp_path: Path) -> None:
    # A link to a cable is linted, a dangling one too (E001 says so), a link to a folder is
    # not followed (as os.walk: no cycles, no file twice).
    (tmp_path / "seed.txt").write_bytes(SEED_BYTES)
    (tmp_path / "link.txt").symlink_to("seed.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.md").write_bytes(SEED_BYTES)
    (tmp_path / "again").symlink_to("sub")
    assert list(discover([str(tmp_path)], Settings())) == [
        str(tmp_path / name) for name in ("gone.txt", "link.txt", "seed.txt", "sub/inner.md")]
    result = lint([str(tmp_path / "gone.txt")], Settings(), jobs=1)
    assert [(f.code, f.message.split(":")[0]) for f in result.findings] == [("E001",
                                                                             "cannot read")]


def test_a_folder_that_cannot_be_listed_is_an_input_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()  # chmod 000 does not stop root: the listing fails as it would for a user
    (locked / "seed.txt").write_bytes(SEED_BYTES)
    (tmp_path / "seed.txt").write_bytes(SEED_BYTES)
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert list(discover([str(tmp_path)], Settings())) == [str(locked), str(tmp_path / "seed.txt")]
    code = main(["--no-cache", "--jobs", "1", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 2, "a folder that was not linted is an input that cannot be read"
    assert f"{locked}:1:1: E001 [unreadable-input] cannot read: " in out
    assert f"{tmp_path / 'seed.txt'}:93:17: T001" in out, "the run goes on"
