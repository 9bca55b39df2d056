"""--fix, --unsafe-fixes and --diff: only the fixed characters change, in the file's own
encoding, BOM, line ends and mode; a second --fix changes nothing; findings left are reported."""

from __future__ import annotations

import codecs
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint.cli import main
from cablelint.config import Settings
from cablelint.fixes import fix_bytes
from conftest import SAMPLES, SEED

SEED_BYTES = SEED.read_bytes()
FIXED_SEED = SEED_BYTES.replace(b"MEXICQ", b"MEXICO")
BOGOTA = SAMPLES / "telegram" / "07BOGOTA1339.txt"  # cp1252 with CRLF line ends
TEHRAN = SAMPLES / "web" / "79TEHRAN8980.html"
MADRID = (SAMPLES / "telegram" / "05MADRID572.txt").read_bytes()
# 'E.0.' as in the real 09BERLIN1626: a near-miss of a header label, an unsafe fix.
E0_LABEL = MADRID.replace(b"E.O. 12958", b"E.0. 12958")


def fixed(data: bytes, unsafe: bool = False) -> bytes:
    result = fix_bytes("cable.txt", data, Settings(), unsafe)
    assert result.skipped is None, result.skipped
    return result.after


#: The tests are about fixes: a fixed set of rules keeps their expected results when rules are
#: added to the catalog.
RULES = ["--select", "E,P001,M001,H001,D001,T001"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args) if "--select" in args else [*RULES, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_safe_fix_changes_only_the_misreadings() -> None:
    assert fixed(SEED_BYTES) == FIXED_SEED
    assert fixed(FIXED_SEED) == FIXED_SEED


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_line_ends_are_kept(newline: bytes) -> None:
    assert fixed(SEED_BYTES.replace(b"\n", newline)) == FIXED_SEED.replace(b"\n", newline)


def test_mixed_line_ends_are_kept_line_by_line() -> None:
    lines = SEED_BYTES.split(b"\n")
    mixed = b"".join(line + (b"\r\n" if i % 3 else b"\n") for i, line in enumerate(lines))
    lines = FIXED_SEED.split(b"\n")
    expected = b"".join(line + (b"\r\n" if i % 3 else b"\n") for i, line in enumerate(lines))
    assert fixed(mixed) == expected


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_encoding_and_bom_are_kept(encoding: str) -> None:
    text = SEED_BYTES.decode("utf-8")
    bom = {"utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    data = bom + text.encode(encoding)
    expected = bom + text.replace("MEXICQ", "MEXICO").encode(encoding)
    assert fixed(data) == expected


def test_cp1252_file_with_crlf_is_written_back_in_cp1252() -> None:
    original = BOGOTA.read_bytes()
    assert b"\r\n" in original and b"\xb6" in original
    data = original.replace(b"FM AMEMBASSY BOGOTA", b"FM AMEMBASSV BOGOTA")
    assert fixed(data) == original


def test_cp1252_undefined_bytes_survive() -> None:
    # 0x81 is undefined in cp1252; it was read as Latin-1 and must be written back as 0x81.
    original = BOGOTA.read_bytes().replace(b"\xb6", b"\x81", 1)
    data = original.replace(b"FM AMEMBASSY BOGOTA", b"FM AMEMBASSV BOGOTA")
    assert fixed(data) == original


def test_a_file_mixing_utf8_and_cp1252_is_left_alone() -> None:
    data = SEED_BYTES + "\u00e9".encode() + b"\xb6 1.\n"
    result = fix_bytes("cable.txt", data, Settings())
    assert result.after == data and not result.changed
    assert result.skipped is not None and "mix UTF-8 and cp1252" in result.skipped


def test_a_file_that_is_no_cable_is_left_alone() -> None:
    data = b"MEXICQ is not a cable, only a word\n"
    result = fix_bytes("notes.txt", data, Settings())
    assert (result.after, result.skipped) == (data, "not a cable cablelint can parse")


def test_web_page_fix_goes_through_entities_and_keeps_tags() -> None:
    page = TEHRAN.read_bytes()
    assert b"FM AMEMBASSY TEHRAN" in page
    # A misreading written with a character entity, and one inside a link.
    broken = page.replace(b"FM AMEMBASSY TEHRAN", b"FM AMEMBASS&#86; TEHRAN").replace(
        b"AND HAVING THE SAME", b"AND <a href='/x'>AMEMBASSV</a> THE SAME")
    expected = page.replace(b"AND HAVING THE SAME", b"AND <a href='/x'>AMEMBASSY</a> THE SAME")
    assert fixed(broken) == expected


def test_web_page_fix_across_markup_is_not_applied() -> None:
    page = TEHRAN.read_bytes().replace(b"FM AMEMBASSY TEHRAN", b"FM AMEMB<b>ASSV</b> TEHRAN")
    assert fixed(page) == page


def test_unsafe_fixes_only_when_asked() -> None:
    assert E0_LABEL != MADRID
    assert fixed(E0_LABEL) == E0_LABEL
    assert fixed(E0_LABEL, unsafe=True) == MADRID


@settings(max_examples=40, deadline=None)
@given(
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
    lines=st.lists(st.sampled_from(["MEXICQ", "MEXICO", "AMEMBASSV", "(b)(6)", "\u2019"]),
                   max_size=6),
)
def test_property_fix_is_the_expected_bytes_and_idempotent(
    newline: str, encoding: str, lines: list[str]
) -> None:
    """Any line ends and encoding: the fixed file is the original with the corrections,
    encoded the same way, and fixing it again changes nothing."""
    text = SEED_BYTES.decode("utf-8") + "\n".join(f"**Drafted By:** {w} x" for w in lines)
    corrected = text.replace("MEXICQ", "MEXICO").replace("AMEMBASSV", "AMEMBASSY")
    data = text.replace("\n", newline).encode(encoding)
    once = fixed(data)
    assert once == corrected.replace("\n", newline).encode(encoding)
    assert fixed(once) == once


# The command line.


def test_fix_writes_keeps_mode_and_reports_what_is_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cable = tmp_path / "seed.txt"
    cable.write_bytes(SEED_BYTES)
    os.chmod(cable, 0o640)
    broken = tmp_path / "broken.txt"
    broken.write_bytes((SAMPLES / "broken" / "telegram_defects.txt").read_bytes())
    code, out, err = run(capsys, "--fix", str(tmp_path))
    assert cable.read_bytes() == FIXED_SEED
    assert stat.S_IMODE(cable.stat().st_mode) == 0o640
    assert "Fixed 3 findings in 2 files." in err
    assert "T001" not in out and "P001 [paragraph-sequence]" in out, "findings left are shown"
    assert code == 1, "findings left set the exit code"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file"
    # A second --fix changes nothing.
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    code, _, err = run(capsys, "--fix", str(tmp_path))
    assert "Fixed 0 findings in 0 files." in err
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_fix_of_a_clean_result_exits_0(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    cable = tmp_path / "seed.txt"
    cable.write_bytes(SEED_BYTES)
    code, out, _ = run(capsys, "--fix", str(cable))
    assert (code, out) == (0, "")


def test_diff_prints_and_writes_nothing(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    cable = tmp_path / "seed.txt"
    cable.write_bytes(SEED_BYTES)
    code, out, err = run(capsys, "--diff", str(cable))
    assert code == 1 and cable.read_bytes() == SEED_BYTES
    assert f"--- {cable}\n+++ {cable}\n" in out
    assert "-**Drafted By:** MEXICQ (b)(6) Mexico City)\n" in out
    assert "+**Drafted By:** MEXICO (b)(6) Mexico City)\n" in out
    assert "Would fix 2 findings in 1 file." in err
    cable.write_bytes(FIXED_SEED)
    assert run(capsys, "--diff", str(cable))[:2] == (0, "")


def test_unsafe_fixes_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cable = tmp_path / "madrid.txt"
    cable.write_bytes(E0_LABEL)
    assert run(capsys, "--fix", str(cable))[0] == 1
    assert cable.read_bytes() == E0_LABEL
    assert run(capsys, "--fix", "--unsafe-fixes", str(cable))[0] == 0
    assert cable.read_bytes() == MADRID


def test_fix_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--unsafe-fixes", str(SEED)], ["--fix", "-"], ["--fix", "--diff", str(SEED)]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2, argv
    capsys.readouterr()


def test_a_file_that_cannot_be_written_back_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cable = tmp_path / "mixed.txt"
    data = SEED_BYTES + "\u00e9".encode() + b"\xb6 1.\n"
    cable.write_bytes(data)
    code, out, err = run(capsys, "--fix", str(cable))
    assert cable.read_bytes() == data
    assert f"{cable}: not fixed: its bytes mix UTF-8 and cp1252" in err
    assert code == 1 and "T001" in out


def test_a_failed_write_leaves_the_file_and_no_temporary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cable = tmp_path / "seed.txt"
    cable.write_bytes(SEED_BYTES)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        main(["--fix", str(cable)])
    capsys.readouterr()
    assert cable.read_bytes() == SEED_BYTES
    assert [p.name for p in tmp_path.iterdir()] == ["seed.txt"]


def test_a_symlink_stays_a_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "seed.txt"
    target.write_bytes(SEED_BYTES)
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    run(capsys, "--fix", str(link))
    assert link.is_symlink() and target.read_bytes() == FIXED_SEED


def test_web_page_fix_of_a_double_escaped_entity() -> None:
    """A rule's fix in the extracted text ('&amp;' -> '&') lands on the page's own
    '&amp;amp;' and is written escaped, as a page must hold '&'."""
    from cablelint.engine import Fix
    from cablelint.fixes import Stored
    from cablelint.parse import parse_bytes

    page = TEHRAN.read_bytes().replace(b"FM AMEMBASSY TEHRAN", b"FM AMEMBASSY TEHRAN &amp;amp; CO")
    cable = parse_bytes("page.html", page)
    start = cable.text.index("&amp; CO")
    assert cable.decoded is not None
    stored = Stored.read(page, cable.decoded)
    assert isinstance(stored, Stored)
    fixed_text, applied = stored.apply(cable, [Fix("&", start, start + 5, True)])
    assert applied == 1
    assert stored.encode(fixed_text) == page.replace(b"&amp;amp; CO", b"&amp; CO")


@pytest.mark.parametrize("newline", [b"&#x000A;", b"&#10;", b"\n"])
def test_web_page_fix_writes_line_ends_as_the_page_does(newline: bytes) -> None:
    """An unsafe fix that writes a line end (page-break-split joining a paragraph across a
    page break) writes it as the page's <pre> does: an entity where the page uses entities
    (trial12: smart9-web and tele11 pages got raw line ends among their "&#x000A;")."""
    page = TEHRAN.read_bytes().replace(b"&#x000A;", newline)
    before = b"SHERRY CASE, " + newline + b"HIGHLIGHT"
    assert page.count(before) == 1
    split = page.replace(before, b"SHERRY CASE, " + (newline + b" ") * 2 + newline + b"HIGHLIGHT")
    result = fix_bytes("page.html", split, Settings(select=["S002"]), unsafe=True)
    assert (result.skipped, result.applied) == (None, 1)
    assert result.after == page.replace(before, b"SHERRY CASE," + newline + b"HIGHLIGHT")


def test_diff_of_a_crlf_file_keeps_its_line_ends(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`patch -p0` applies the diff to the file as stored: its lines end in CRLF."""
    cable = tmp_path / "crlf.txt"
    cable.write_bytes(SEED_BYTES.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    code, out, _ = run(capsys, "--diff", str(cable))
    assert code == 1
    assert "-**Drafted By:** MEXICQ (b)(6) Mexico City)\r\n" in out
    assert "+**Drafted By:** MEXICO (b)(6) Mexico City)\r\n" in out


@pytest.mark.parametrize("name, encode", [
    ("cp1252.txt", lambda text: text.encode("cp1252")),           # the diff in the file's bytes
    ("cr.txt", lambda text: text.replace("\n", "\r").encode()),  # one line to patch, as GNU diff
])
def test_diff_is_in_the_files_own_bytes(tmp_path: Path, name: str, encode,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """`patch -p0` applies the diff of a cp1252 file (it was printed in UTF-8, so the hunks
    around a non-ASCII letter did not match) and of a file of CR line ends (its hunks were
    joined by CRs: a malformed patch)."""
    text = SEED_BYTES.decode("utf-8").replace("Mexico City)", "Mexico C\u00edty)")
    monkeypatch.chdir(tmp_path)
    cable = tmp_path / name
    cable.write_bytes(encode(text))
    code = main([*RULES, "--diff", name])
    out = capsysbinary.readouterr().out
    want = encode(text.replace("MEXICQ", "MEXICO"))
    assert code == 1
    assert out.startswith(b"--- %s\n+++ %s\n@@ " % (name.encode(), name.encode()))
    if name == "cp1252.txt":
        assert b"-**Drafted By:** MEXICQ (b)(6) Mexico C\xedty)\n" in out
        assert b"+**Drafted By:** MEXICO (b)(6) Mexico C\xedty)\n" in out
    else:
        assert out.count(b"\n") == 7, "header, hunk, one line each side, two no-newline notes"
        assert b"\n+" + want + b"\n\\ No newline at end of file\n" in out
    if shutil.which("patch"):
        subprocess.run(["patch", "-s", "-p0"], input=out, cwd=tmp_path, check=True)
        assert cable.read_bytes() == want
