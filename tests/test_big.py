"""Big corpora: the result cache, --jobs, the progress bar, CSV and JSONL containers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from cablelint import cache as cache_mod
from cablelint import containers, progress, runner
from cablelint.cache import ResultCache, config_key
from cablelint.cli import main
from cablelint.config import Settings, from_mapping
from cablelint.runner import lint
from conftest import SAMPLES, SEED

CAPETOWN = SAMPLES / "telegram" / "09CAPETOWN204.txt"
_CLASSIFICATION = re.compile(
    r"^(?:UNCLAS|UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\b", re.MULTILINE)

#: The tests are about caching and containers: a fixed set of rules keeps their expected
#: findings when rules are added to the catalog.
RULES = ["E", "P001", "M001", "H001", "D001", "T001"]


def pinned() -> Settings:
    return Settings(select=list(RULES))


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for src in (SEED, CAPETOWN, SAMPLES / "telegram" / "08KUALALUMPUR317.txt"):
        shutil.copy(src, folder / src.name)
    return folder


def texts(result: runner.Result) -> list[str]:
    return [f"{f.location}:{f.line}:{f.column}: {f.code} {f.message}" for f in result.findings]


def age(path: Path, seconds: int = 3600) -> None:
    """Make a file look untouched for an hour (its stamp is then trusted)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


# -- the result cache ------------------------------------------------------------------------


def test_a_warm_run_reads_every_finding_from_the_cache(tmp_path: Path) -> None:
    files, settings = corpus(tmp_path), pinned()
    cold = lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    warm = lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    assert (cold.cached, warm.cached) == (0, 3)
    assert texts(warm) == texts(cold) and len(cold.findings) == 3
    assert warm.findings == cold.findings  # fingerprints and fixes too
    assert warm.files == cold.files == 3


def test_a_changed_file_is_linted_again(tmp_path: Path) -> None:
    files, settings = corpus(tmp_path), pinned()
    target = files / SEED.name
    for f in files.iterdir():
        age(f)
    lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    # the same size, and the modification time put back: only the bytes differ
    mtime = target.stat().st_mtime_ns
    target.write_bytes(target.read_bytes().replace(b"MEXICQ", b"MEXICO"))
    os.utime(target, ns=(mtime, mtime))
    again = lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    assert again.cached == 2
    assert not any(f.code == "T001" for f in again.findings)


def test_an_unchanged_file_with_a_new_stamp_is_still_a_hit(tmp_path: Path) -> None:
    files, settings = corpus(tmp_path), pinned()
    lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    for f in files.iterdir():
        f.touch()
    assert lint([str(files)], settings, 1,
                cache=ResultCache(tmp_path / "c", settings)).cached == 3


def test_configuration_changes_miss_the_cache(tmp_path: Path) -> None:
    files = corpus(tmp_path)
    base = pinned()
    lint([str(files)], base, 1, cache=ResultCache(tmp_path / "c", base))
    ignoring = from_mapping({"ignore": ["ocr-confusion"]}, None)
    result = lint([str(files)], ignoring, 1, cache=ResultCache(tmp_path / "c", ignoring))
    assert result.cached == 0 and not any(f.code == "T001" for f in result.findings)
    optioned = from_mapping({"rules": {"dtg-date-mismatch": {"de_max_days": 9}}}, None)
    severe = from_mapping({"severity": {"ocr-confusion": "error"}}, None)
    keys = {config_key(s) for s in (base, ignoring, optioned, severe)}
    assert len(keys) == 4
    assert config_key(pinned()) == config_key(base)


def test_rule_data_and_code_are_part_of_the_key(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from cablelint import packs

    rules = tmp_path / "rules"
    shutil.copytree(packs.rules_dir(), rules)
    monkeypatch.setattr(packs, "rules_dir", lambda: rules)
    cache_mod.code_digest.cache_clear()
    before = config_key(pinned())
    with (rules / "ocr.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# a corpus's own edit\n")
    cache_mod.code_digest.cache_clear()
    try:
        assert config_key(pinned()) != before
        monkeypatch.setattr(cache_mod, "__version__", "99.0")
        cache_mod.code_digest.cache_clear()
        assert config_key(pinned()) != before
    finally:
        monkeypatch.undo()
        cache_mod.code_digest.cache_clear()


@pytest.mark.parametrize("garbage", [b"\x00\xff not json", b"[1, 2]", b'{"x": 1}',
                                     b"BROKEN", b'{"PATH": ["d", "x", [[1]], null]}'])
def test_a_corrupt_cache_is_ignored(tmp_path: Path, garbage: bytes) -> None:
    files, settings = corpus(tmp_path), pinned()
    cold = lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    shards = list((tmp_path / "c").glob("v*/*.json"))
    assert shards
    for shard in shards:
        entries = json.loads(shard.read_text())
        text = garbage.replace(b"PATH", next(iter(entries)).encode())
        shard.write_bytes(text)
    again = lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    assert texts(again) == texts(cold) and again.cached == 0
    third = lint([str(files)], settings, 1, cache=ResultCache(tmp_path / "c", settings))
    assert third.cached == 3  # rewritten


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    files, settings = corpus(tmp_path), pinned()
    blocker = tmp_path / "c"
    blocker.write_text("a file where the cache folder should be")
    result = lint([str(files)], settings, 1, cache=ResultCache(blocker, settings))
    assert len(result.findings) == 3


def test_the_cli_caches_by_default_and_no_cache_turns_it_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CABLELINT_NO_CACHE")
    files = corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["--select", ",".join(RULES), "--no-cache", "corpus"]) == 1
    assert not (tmp_path / ".cablelint_cache").exists()
    uncached = capsys.readouterr().out
    first = (main(["--select", ",".join(RULES), "corpus"]), capsys.readouterr().out)
    folder = tmp_path / ".cablelint_cache"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").is_file()
    assert (main(["--select", ",".join(RULES), "corpus"]), capsys.readouterr().out) == first
    assert first[1] == uncached and first[1].count("\n") == 3 and files.name in first[1]


def test_the_cache_sits_next_to_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".cablelint.yaml").write_text("ignore: [non-utf8]\n")
    sub = tmp_path / "deep"
    sub.mkdir()
    from cablelint.config import find_config, load

    found = find_config(sub)
    assert found is not None
    assert cache_mod.default_folder(load(found)) == tmp_path / ".cablelint_cache"


# -- jobs ------------------------------------------------------------------------------------


def test_output_order_does_not_depend_on_jobs(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 4)
    monkeypatch.setattr(runner, "CHUNK", 2)
    folder = tmp_path / "many"
    shutil.copytree(SAMPLES, folder)
    csv_file = folder / "cables.csv"
    write_csv(csv_file, [row_for(p) for p in sorted((SAMPLES / "telegram").glob("*.txt"))])
    runs = [texts(lint([str(folder)], pinned(), jobs)) for jobs in (1, 2, 3)]
    assert runs[0] == runs[1] == runs[2]
    assert any(":09CAPETOWN204:" in line for line in runs[0]) and len(runs[0]) > 20


# -- the progress bar ------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_in_a_pipe_or_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in progress.CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress.wanted(FakeTerminal())
    assert not progress.wanted(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted(FakeTerminal())
    monkeypatch.setenv("CI", "false")
    assert progress.wanted(FakeTerminal())
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert not progress.wanted(FakeTerminal())


def test_the_cli_draws_no_bar_when_stderr_is_captured(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    main(["--exit-zero", str(SAMPLES)])
    err = capsys.readouterr().err
    assert "\r" not in err and "cables" not in err and "[" not in err


def test_the_bar_waits_draws_and_erases_itself() -> None:
    now = [0.0]
    term = FakeTerminal()
    bar = progress.Progress(1000, term, clock=lambda: now[0])
    bar.advance(100, 1)
    assert term.getvalue() == ""  # not yet half a second
    now[0] = 2.0
    bar.advance(400, 4)
    drawn = term.getvalue()
    assert "50%" in drawn and "5 cables" in drawn and drawn.startswith("\r")
    bar.close()
    assert term.getvalue().endswith("\r\x1b[K")


# -- containers ------------------------------------------------------------------------------


def row_for(path: Path, **metadata: str) -> list[str]:
    """A Cablegate row for a telegram file: the routing header, then the text from its
    classification line on."""
    text = path.read_bytes().decode("utf-8", "replace")
    m = _CLASSIFICATION.search(text)
    head, body = (text[: m.start()], text[m.start():]) if m else ("", text)
    return [metadata.get("id", "1"), metadata.get("date", "2/4/2009 10:12"), path.stem,
            metadata.get("origin", "Embassy Cape Town"),
            metadata.get("classification", "UNCLASSIFIED"), "", head, body]


def write_csv(target: Path, rows: list[list[str]], header: list[str] | None = None) -> None:
    with target.open("w", newline="", encoding="utf-8") as fh:
        if header:
            csv.writer(fh, lineterminator="\n").writerow(header)
            csv.writer(fh, lineterminator="\n").writerows(rows)
        else:  # as cables.csv: every field quoted, backslash escapes
            csv.writer(fh, quoting=csv.QUOTE_ALL, escapechar="\\", doublequote=False,
                       lineterminator="\n").writerows(rows)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--select", ",".join(RULES), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_csv_row_is_named_by_its_refid_with_lines_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cables.csv"
    write_csv(target, [row_for(SAMPLES / "telegram" / "08KUALALUMPUR317.txt"),
                       row_for(CAPETOWN, id="2")])
    code, out, err = run(capsys, str(target))
    plain = run(capsys, str(CAPETOWN))[1]
    assert code == 1
    # the same finding at the same line and column as in the cable's own file
    assert out == plain.replace(str(CAPETOWN), f"{target}:09CAPETOWN204")
    assert out.startswith(f"{target}:09CAPETOWN204:27:2: P001")
    assert "in 1 of 2 files" in err
    data = json.loads(run(capsys, "--format", "json", str(target))[1])
    assert (data[0]["path"], data[0]["cable"], data[0]["line"]) == (
        str(target), "09CAPETOWN204", 27)
    single = json.loads(run(capsys, "--format", "json", str(SEED))[1])
    assert single[0]["cable"] is None


def test_a_csv_row_fills_the_cable_metadata(tmp_path: Path) -> None:
    target = tmp_path / "cables.csv"
    row = row_for(CAPETOWN, id="7", date="2/4/2009 10:12", classification="CONFIDENTIAL",
                  origin="Consulate Cape Town")
    write_csv(target, [row])
    with target.open("rb") as fh:
        (record,) = list(containers.records(fh, str(target)))
    assert record.cable == "09CAPETOWN204"
    assert record.metadata == {"id": "7", "date": "2/4/2009 10:12", "refid": "09CAPETOWN204",
                               "origin": "Consulate Cape Town",
                               "classification": "CONFIDENTIAL", "references": ""}
    assert record.data.decode().startswith(row[6]) and record.data.decode().endswith(row[7])


def test_the_linted_cable_carries_the_metadata(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    real = runner.parse_bytes

    def spy(path: str, data: bytes):  # type: ignore[no-untyped-def]
        cable = real(path, data)
        seen.append(cable)
        return cable

    monkeypatch.setattr(runner, "parse_bytes", spy)
    target = tmp_path / "cables.csv"
    write_csv(target, [row_for(CAPETOWN, classification="SECRET")])
    lint([str(target)], pinned(), 1)
    assert seen[0].metadata["classification"] == "SECRET"
    assert seen[0].path == f"{target}:09CAPETOWN204"
    assert seen[0].format == "telegram"


def test_quotes_backslashes_and_crlf_survive_the_dump_dialect(tmp_path: Path) -> None:
    target = tmp_path / "cables.csv"
    body = 'UNCLAS CAPE TOWN 000204\r\n\r\nSUBJECT: "QUOTED" A\\B\r\n'
    target.write_bytes(b'"1","2/4/2009 10:12","09CAPETOWN204","Embassy","UNCLASSIFIED","",'
                       b'"R 041012Z FEB 09\r\n","'
                       + body.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"\r\n')
    with target.open("rb") as fh:
        (record,) = list(containers.records(fh, str(target)))
    assert record.data.decode() == "R 041012Z FEB 09\r\n" + body


def test_blank_lines_before_the_first_row_are_skipped(tmp_path: Path) -> None:
    # cables.csv split into pieces (one file a post) keeps the line break before each row
    target = tmp_path / "embassy.csv"
    write_csv(target, [row_for(CAPETOWN, id="7"), row_for(CAPETOWN, id="8")])
    target.write_bytes(b"\n\n" + target.read_bytes())
    with target.open("rb") as fh:
        records = list(containers.records(fh, str(target)))
    assert [(r.cable, r.metadata["id"], r.error) for r in records] == [
        ("09CAPETOWN204", "7", None), ("09CAPETOWN204", "8", None)]
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"\n \n")
    with blank.open("rb") as fh, pytest.raises(containers.ContainerError, match="empty CSV"):
        list(containers.records(fh, str(blank)))


def test_a_csv_with_a_header_row_is_read_by_column_name(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    row = row_for(CAPETOWN)
    write_csv(target, [[row[7], row[2], row[1], row[6]]],
              header=["content", "refid", "date", "header"])
    result = lint([str(target)], pinned(), 1)
    assert [(f.cable, f.line, f.code) for f in result.findings] == [
        ("09CAPETOWN204", 27, "P001")]


def test_a_csv_not_in_the_cablegate_layout_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "index.csv"
    target.write_text("name,size\nfoo.txt,12\n")
    code, out, _ = run(capsys, str(target), str(SEED))
    assert code == 2
    assert (f"{target}:1:1: E001 [unreadable-input] not in the Cablegate cables.csv layout "
            "(id, date, refid, origin, classification, references, header, content): the first "
            "row has 2 columns") in out
    assert "T001" in out  # the run went on


def test_bad_rows_are_reported_and_the_rest_is_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cables.csv"
    good = row_for(CAPETOWN)
    write_csv(target, [good, ["2", "x", "", "too few"], good[:2] + ["", *good[3:]]])
    code, out, _ = run(capsys, str(target))
    assert code == 2
    # a row without a refid is named by its id column, a malformed one by its number
    assert out.splitlines() == [
        f"{target}:#2:1:1: E001 [unreadable-input] row 2 has 4 columns, expected 8",
        f"{target}:09CAPETOWN204:27:2: P001 [paragraph-sequence] paragraph 1 is used twice",
        f"{target}:1:27:2: P001 [paragraph-sequence] paragraph 1 is used twice",
    ]
    write_csv(target, [["", "", "", "", "", "", "", "UNCLAS\n"], ["only one"]])
    assert run(capsys, str(target))[1].splitlines()[-1] == (
        f"{target}:#2:1:1: E001 [unreadable-input] row 2 has 1 column, expected 8")


def test_an_unclosed_quote_stops_the_file_not_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(containers, "FIELD_LIMIT", 20_000)
    target = tmp_path / "cables.csv"
    write_csv(target, [row_for(CAPETOWN)])
    with target.open("a", encoding="utf-8") as fh:
        fh.write('"2","x","y","z","u","","",' + '"never closed ' + "X" * 50_000)
    code, out, _ = run(capsys, str(target), str(SEED))
    assert code == 2
    assert f"{target}:#2:1:1: E001 [unreadable-input] row 2: field larger than field " \
           "limit (20000); the rest of the file is not linted" in out
    assert f"{target}:09CAPETOWN204:27:2: P001" in out and "T001" in out


def test_a_binary_or_empty_container_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary, empty = tmp_path / "a.csv", tmp_path / "b.jsonl"
    binary.write_bytes(b"PK\x03\x04\x00\x00 zip data")
    empty.write_bytes(b"")
    code, out, _ = run(capsys, str(binary), str(empty))
    assert code == 2
    assert f"{binary}:1:1: E001 [unreadable-input] binary file (NUL bytes)" in out
    assert f"{empty}:1:1: E001 [unreadable-input] empty JSONL file: no cables" in out


def test_jsonl_records_name_their_cables(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cables.jsonl"
    text = CAPETOWN.read_bytes().decode("utf-8", "replace")
    lines = [json.dumps({"refid": "09CAPETOWN204", "body": text, "date": "2009-02-04"}),
             "",
             json.dumps({"body": text, "pages": 3}),
             "{not json",
             json.dumps({"refid": "X", "text": "no body"}),
             json.dumps(["a list"])]
    target.write_text("\n".join(lines) + "\n")
    (tmp_path / ".cablelint.yaml").write_text("jsonl-text-field: body\njsonl-id-field: refid\n")
    code, out, _ = run(capsys, str(target))
    assert code == 2
    found = [line.split(" [")[0] for line in out.splitlines()]
    assert found == [
        f"{target}:#3:27:2: P001",
        f"{target}:#4:1:1: E001",
        f"{target}:#6:1:1: E001",
        f"{target}:09CAPETOWN204:27:2: P001",
        f"{target}:X:1:1: E001",
    ]
    assert "line 4 is not valid JSON" in out and "line 5 has no 'body' field" in out
    with target.open("rb") as fh:
        first = next(containers.records(fh, str(target), "body", "refid"))
    assert first.metadata == {"refid": "09CAPETOWN204", "date": "2009-02-04"}


def test_a_jsonl_record_s_header_is_read_before_its_text(tmp_path: Path) -> None:
    # an API's Cablegate record keeps the routing header apart, as the CSV does ("header",
    # then "text"): without it the cable would lack its DTG, FM and TO (H001 x3)
    target = tmp_path / "cables.jsonl"
    row = row_for(CAPETOWN)
    target.write_text(json.dumps({"id": "09CAPETOWN204", "header": row[6].rstrip("\n"),
                                  "text": row[7], "origin": "Embassy Cape Town"}) + "\n")
    with target.open("rb") as fh:
        (record,) = list(containers.records(fh, str(target)))
    assert record.data.decode() == row[6] + row[7]
    assert record.metadata == {"id": "09CAPETOWN204", "origin": "Embassy Cape Town"}
    result = lint([str(target)], pinned(), 1)
    assert [(f.cable, f.line, f.code) for f in result.findings] == [
        ("09CAPETOWN204", 27, "P001")]


def test_containers_are_found_in_folders_and_cached(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    write_csv(folder / "cables.csv", [row_for(CAPETOWN)])
    (folder / "more.jsonl").write_text(json.dumps({"text": SEED.read_text()}) + "\n")
    settings = pinned()
    cold = lint([str(folder)], settings, 1, cache=ResultCache(tmp_path / "k", settings))
    warm = lint([str(folder)], settings, 1, cache=ResultCache(tmp_path / "k", settings))
    assert {f.cable for f in cold.findings} == {"09CAPETOWN204", "#1"}
    assert (cold.cached, warm.cached) == (0, 2) and warm.findings == cold.findings
    write_csv(folder / "cables.csv", [row_for(CAPETOWN), row_for(CAPETOWN, id="2")])
    third = lint([str(folder)], settings, 1, cache=ResultCache(tmp_path / "k", settings))
    assert third.cached == 1 and third.files == 3


def test_per_file_ignores_apply_to_a_container_by_its_file_name(tmp_path: Path) -> None:
    target = tmp_path / "cables.csv"
    write_csv(target, [row_for(CAPETOWN)])
    settings = from_mapping({"select": RULES, "per-file-ignores": {"cables.csv": ["P001"]}}, None)
    assert lint([str(target)], settings, 1).findings == []


def test_a_monster_jsonl_line_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(containers, "LINE_LIMIT", 2**20)
    target = tmp_path / "cables.jsonl"
    good = json.dumps({"id": "ok", "text": CAPETOWN.read_text(errors="replace")})
    target.write_text(json.dumps({"text": "X" * 3 * 2**20}) + "\n" + good + "\n")
    with target.open("rb") as fh:
        first, second = containers.records(fh, str(target))
    assert (first.cable, first.error) == ("#1", "line 1 is longer than 1 MB: not read")
    assert second.cable == "ok" and second.error is None


def test_a_container_named_twice_is_linted_once(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from cablelint.run import Run

    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(runner, "CHUNK", 1)
    target = tmp_path / "cables.csv"
    write_csv(target, [row_for(CAPETOWN), row_for(CAPETOWN, id="2")])
    for jobs in (1, 2):
        result = lint([str(target), str(target)], pinned(), jobs)
        assert result.files == 2 and len(result.findings) == 2
        # A run given the path twice keeps each reading's cables apart (by a number).
        result = Run(pinned(), None, False).lint([str(target), str(target)], jobs)
        assert result.files == 4 and len(result.findings) == 4


def test_a_rows_metadata_is_checked_against_its_cable(tmp_path: Path) -> None:
    """header-conflict compares the row's date, classification and origin with the text."""
    target = tmp_path / "cables.csv"
    write_csv(target, [row_for(CAPETOWN, date="9/15/2009 16:39", classification="SECRET",
                               origin="Consulate Cape Town")])
    result = lint([str(target)], Settings(select=["H005"]), 1)
    assert [(f.cable, f.code) for f in result.findings] == [("09CAPETOWN204", "H005")]
    assert "'SECRET'" in result.findings[0].message


def test_a_run_restores_the_garbage_collectors_threshold() -> None:
    import gc

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        lint([str(SEED)], Settings(), jobs=1)
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_findings_survive_pickling_for_worker_processes() -> None:
    """Workers send findings pickled; a Finding unpickles (by tuple.__new__) as itself."""
    import pickle

    from cablelint.engine import Finding

    findings = lint([str(SEED)], pinned(), jobs=1).findings
    assert any(f.fix for f in findings)
    copy = pickle.loads(pickle.dumps(findings))
    assert copy == findings and all(type(f) is Finding for f in copy)
    assert [f.sort_key for f in copy] == [f.sort_key for f in findings]
