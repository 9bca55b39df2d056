"""The cheap pre-tests of ocr-confusion (T001) agree with the patterns they stand for."""

import pytest

from cablelint.checks.ocr import _LOWER_DIGIT_RE, _digit_between_small


@pytest.mark.parametrize("text", [
    "Washingt0n", "po1icy", "Mini5try", "x1y", "1ab", "ab1", "ab5", "a0", "0a", "", "0",
    "H1N1", "mp3", "21st", "F16s", "a 1 b", "a2b", "A1b", "a1B", "é1a", "a1é", "ab10cd",
])
def test_digit_between_small_agrees_with_the_pattern(text: str) -> None:
    assert _digit_between_small(text) == bool(_LOWER_DIGIT_RE.search(text))
    assert _digit_between_small(f"UNCLASSIFIED {text} END") == bool(
        _LOWER_DIGIT_RE.search(f"UNCLASSIFIED {text} END"))
