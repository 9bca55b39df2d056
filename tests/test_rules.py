"""Per-rule cases from tests/rule_cases/<rule-name>.yaml: each case asserts code, line and
message (and, where given, the fix) of every finding of its rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cablelint.checks import CABLE_RULES, REGISTRY, by_name_or_code
from cablelint.engine import RuleSelection, run_rules
from cablelint.parse import parse_text

CASES_DIR = Path(__file__).parent / "rule_cases"


def _load() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            cases.append((data["rule"], case))
    return cases


CASES = _load()


@pytest.mark.parametrize(
    ("rule_name", "case"), CASES, ids=[f"{r}: {c['name']}" for r, c in CASES]
)
def test_rule_case(rule_name: str, case: dict[str, Any]) -> None:
    rule = by_name_or_code(rule_name)
    assert rule is not None, f"unknown rule {rule_name}"
    cable = parse_text("case.txt", case["text"])
    findings = run_rules(cable, RuleSelection([rule]))
    got = [(f.code, f.line, f.message) for f in findings]
    want = [(rule.code, e["line"], e["message"]) for e in case["expect"]]
    assert got == want
    for finding, expected in zip(findings, case["expect"], strict=True):
        if "fix" in expected:
            assert finding.fix is not None
            assert finding.fix["replacement"] == expected["fix"]
            assert finding.fix["safe"] is expected.get("safe", finding.fix["safe"])


@pytest.mark.parametrize("rule", sorted(CABLE_RULES, key=lambda r: r.code), ids=lambda r: r.name)
def test_every_rule_has_failing_and_passing_cases(rule: type) -> None:
    mine = [c for name, c in CASES if name == rule.name]
    assert any(c["expect"] for c in mine), f"{rule.name} has no failing case"
    assert any(not c["expect"] for c in mine), f"{rule.name} has no passing case"


def test_every_rule_declares_the_fixes_its_cases_show() -> None:
    """``Rule.fixes`` (the Fix column of ``cablelint rules``) is what the rule does: each kind
    of fix (safe, unsafe) a rule's findings carry in its cases is declared, and each declared
    kind is shown by a case."""
    shown: dict[str, set[str]] = {}
    for rule_name, case in CASES:
        rule = by_name_or_code(rule_name)
        for finding in run_rules(parse_text("case.txt", case["text"]), RuleSelection([rule])):
            if finding.fix is not None:
                shown.setdefault(finding.code, set()).add(
                    "safe" if finding.fix["safe"] else "unsafe")
    declared = {r.code: set(r.fixes) for r in CABLE_RULES if r.fixes}
    assert declared == shown
    assert all(list(r.fixes) == sorted(r.fixes) for r in REGISTRY)


def test_registry_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.code for r in REGISTRY]
    names = [r.name for r in REGISTRY]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in REGISTRY:
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.severity in ("error", "warning", "info")
        assert rule.summary and rule.__doc__
        doc = rule.documentation()
        assert "Failing" in doc and "Passing" in doc, f"{rule.name} lacks examples"


def test_a_finding_ends_where_its_end_offset_is_over_line_ends() -> None:
    # The engine places a finding's end from the matched text: over 0, 1 and 2 line ends
    # it must agree with a look-up of the end offset.
    from cablelint.engine import Diagnostic, Rule, _finding

    cable = parse_text("x.txt", "AB\nCDE\n\nFGHI\n")

    class Span(Rule):
        code, name, severity = "Z999", "span", "info"

    for start, end in ((0, 2), (1, 5), (4, 10), (3, 13), (5, 5)):
        got = _finding(cable, Span, "info", Diagnostic(start, end, "m"), {})
        want = cable.locate(end) if end > start else cable.locate(start)
        assert (got.end_line, got.end_column) == want, (start, end)
    assert _finding(cable, Span, "info", Diagnostic(4, 10, "m"), {})[1:5] == (2, 2, 4, 3)
