"""cablelint.regex: patterns rebuilt from the disk cache are the patterns re.compile makes."""

from __future__ import annotations

import json
import re

import pytest

from cablelint import regex
from cablelint.parse import body, telegram

PATTERNS = [
    (body._LINE_RE.first.pattern, body._LINE_RE.first.flags),
    (telegram._HEADER_RE.pattern, telegram._HEADER_RE.flags),
    (r"(?i)^[*_\[ ]*(?:page \d+|end (?:summary|note)\b)", 0),
    (r"(?P<d>\d ?\d) ?Z(?:\b|(?=[A-Z]{3}\d))", re.VERBOSE),
]
TEXTS = ["1. (SBU) Text.", "UNCLASSIFIED", "### **(C) Heading**", "SUBJECT: X", "Page 2",
         "P 262103Z FEB 07", "E.O. 12958: N/A", "12 Z JAN", "  2. text", "End Note."]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CABLELINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex, "_entries", None)
    monkeypatch.setattr(regex, "_used", set())
    monkeypatch.setattr(regex, "_file", None)
    monkeypatch.setattr(regex, "_changed", False)
    monkeypatch.setattr(regex, "_added", True)  # no atexit hook from a test
    return tmp_path


def behaviour(pattern: re.Pattern[str]) -> list:
    return [(pattern.flags, pattern.groups, pattern.groupindex)] + [
        (m.regs, m.lastgroup) if (m := pattern.match(t)) else None for t in TEXTS]


@pytest.mark.parametrize(("source", "flags"), PATTERNS)
def test_a_pattern_rebuilt_from_the_cache_is_the_compiled_pattern(fresh_cache, source, flags):
    first = regex.compile(source, flags)
    regex._save()
    stored = json.loads(next(fresh_cache.glob("regex-*.json")).read_text())
    assert f"{int(flags)}:{source}" in stored["patterns"]
    regex._entries = None  # a new run: the entry is read from the file
    rebuilt = regex.compile(source, flags)
    assert rebuilt is not first
    reference = re.compile(source, flags)
    assert rebuilt == reference  # same flags, text and program
    assert behaviour(rebuilt) == behaviour(reference) == behaviour(first)


def test_a_damaged_or_foreign_cache_is_not_used(fresh_cache):
    source = r"\d{6}Z [A-Z]{3}"
    regex.compile(source)
    regex._save()
    path = next(fresh_cache.glob("regex-*.json"))
    stored = json.loads(path.read_text())
    stored["patterns"][f"0:{source}"][1] = [0, 1, 2]  # a broken program
    path.write_text(json.dumps(stored))
    regex._entries = None
    assert regex.compile(source) == re.compile(source)
    stored["ident"] = "another Python"
    stored["patterns"][f"0:{source}"] = "nonsense"
    path.write_text(json.dumps(stored))
    regex._entries = None
    assert regex.compile(source) == re.compile(source)
    path.write_text("{not json")
    regex._entries = None
    assert regex.compile(source) == re.compile(source)


def test_a_cache_past_its_size_keeps_only_this_runs_patterns(fresh_cache, monkeypatch):
    monkeypatch.setattr(regex, "SLACK", 0)
    kept = regex.compile(r"kept \d+")
    regex._entries.update({f"0:old {i}": regex._entries[f"0:{kept.pattern}"] for i in range(9)})
    regex._used.add("0:asked for but never cached")  # e.g. a pattern re.compile had to make
    regex._save()
    stored = json.loads(next(fresh_cache.glob("regex-*.json")).read_text())
    assert list(stored["patterns"]) == [f"0:{kept.pattern}"]


def test_a_run_that_reads_an_oversized_cache_prunes_it_at_exit(fresh_cache, monkeypatch):
    monkeypatch.setattr(regex, "SLACK", 0)
    for i in range(9):
        regex.compile(f"old {i}")
    regex._save()  # a cache of 9 patterns; a new run asks for one of them
    monkeypatch.setattr(regex, "_entries", None)
    monkeypatch.setattr(regex, "_used", set())
    regex.compile("old 3")
    regex._save()  # what the exit hook does: nothing was added, but it is oversized
    stored = json.loads(next(fresh_cache.glob("regex-*.json")).read_text())
    assert list(stored["patterns"]) == ["0:old 3"]


def test_a_derivation_is_rebuilt_when_its_source_changes_and_replaces_its_file(
        tmp_path, monkeypatch):
    from cablelint.packs import cached_derivation

    monkeypatch.setenv("CABLELINT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.yaml"
    calls = []

    def build():
        calls.append(source.read_text())
        return {"words": source.read_text().split()}

    source.write_text("ONE TWO")
    assert cached_derivation("words", [source], build) == {"words": ["ONE", "TWO"]}
    assert cached_derivation("words", [source], build) == {"words": ["ONE", "TWO"]}
    assert calls == ["ONE TWO"]  # the second came from the cache
    source.write_text("ONE TWO THREE")  # another size: an edit
    assert cached_derivation("words", [source], build) == {"words": ["ONE", "TWO", "THREE"]}
    assert len(calls) == 2
    assert len(list((tmp_path / "cache").iterdir())) == 1  # the edit replaced the file


def test_tables_kept_as_built_are_rebuilt_when_a_source_changes_or_the_file_is_damaged(
        tmp_path, monkeypatch):
    """cached_tables: tuples and frozensets come back as built; an edited source, a damaged
    or foreign file, or one that fails the caller's check is rebuilt, silently, and
    rewritten."""
    from cablelint.packs import cached_tables

    cache = tmp_path / "cache"
    monkeypatch.setenv("CABLELINT_CACHE_DIR", str(cache))
    source = tmp_path / "ocr.yaml"
    calls = []

    def build():
        calls.append(source.read_text())
        words = source.read_text().split()
        return {"pairs": {w: (w.lower(), True) for w in words}, "words": frozenset(words)}

    def valid(value):
        return isinstance(value, dict) and set(value) == {"pairs", "words"}

    expected = {"pairs": {"ONE": ("one", True), "TWO": ("two", True)},
                "words": frozenset({"ONE", "TWO"})}
    source.write_text("ONE TWO")
    assert cached_tables("t", [source], build, valid) == expected
    assert cached_tables("t", [source], build, valid) == expected
    assert calls == ["ONE TWO"]  # the second came from the cache, tuples and all
    (path,) = cache.iterdir()
    good = path.read_bytes()
    for damage in (b"", b"\x00garbage", good[: len(good) // 2], good[:-1] + b"\xff"):
        path.write_bytes(damage)
        assert cached_tables("t", [source], build, valid) == expected
    assert len(calls) == 5
    assert path.read_bytes() == good  # rewritten whole
    assert cached_tables("t", [source], build, lambda value: False) == expected  # fails check
    assert len(calls) == 6
    source.write_text("ONE TWO THREE")  # an edit
    assert cached_tables("t", [source], build, valid)["words"] == frozenset(
        {"ONE", "TWO", "THREE"})
    assert len(calls) == 7
    assert len(list(cache.iterdir())) == 1  # the edit replaced the file
    path.unlink()
    path.mkdir()  # unreadable and unwritable: built, no error
    assert cached_tables("t", [source], build, valid)["words"] == frozenset(
        {"ONE", "TWO", "THREE"})
    assert len(calls) == 8


def test_the_ocr_tables_read_back_from_the_cache_are_the_tables_built(tmp_path, monkeypatch):
    """confusions(): the tables read from the disk cache are those built from the packs."""
    from cablelint import confusions as C

    monkeypatch.setenv("CABLELINT_CACHE_DIR", str(tmp_path))
    C.confusions.cache_clear()
    try:
        built = C.confusions()
        C.confusions.cache_clear()
        read = C.confusions()
        assert read is not built and read.state() == built.state() == C._build_state()
        assert read.texts_read == [0] and read.state().keys() == C._STATE
        assert read.find("FM AMEMBASSY MEXICQ\n", None).anywhere == {"MEXICQ"}
    finally:
        C.confusions.cache_clear()
