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
