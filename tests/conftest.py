"""Shared paths and helpers for the tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus_samples"
SEED = SAMPLES / "smart" / "000_e7dac46e8b561614.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests' derived packs and compiled patterns go to a folder of their own (also for
    the cablelint processes they start), not into the user's cache: the hundreds of packs
    and patterns the tests make would make every later run of cablelint read them."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CABLELINT_CACHE_DIR", str(tmp_path_factory.mktemp("cablelint-cache")))
        yield


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests lint afresh (a test may patch what the cache cannot see); the cache's own
    tests name a --cache-dir or remove this variable."""
    monkeypatch.setenv("CABLELINT_NO_CACHE", "1")
