"""Shared paths and helpers for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus_samples"
SEED = SAMPLES / "smart" / "000_e7dac46e8b561614.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests lint afresh (a test may patch what the cache cannot see); the cache's own
    tests name a --cache-dir or remove this variable."""
    monkeypatch.setenv("CABLELINT_NO_CACHE", "1")
