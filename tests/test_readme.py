"""The README's rules table is the registry's."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_readme_rules_table_matches_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- rules-table:start -->\n")[1].split("<!-- rules-table:end -->")[0]
    generated = subprocess.run(
        [sys.executable, "-m", "cablelint", "rules", "--format", "markdown"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout
    assert table == generated
