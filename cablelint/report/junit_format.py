"""JUnit XML for CI test reports: one test case per cable, failing with that cable's
findings (an unreadable file is an error rather than a failure)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ..engine import Finding

if TYPE_CHECKING:
    from . import Report

#: The input rule whose findings mean the file could not be read at all.
UNREADABLE = "E001"


def render(report: Report) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_path[f.path].append(f)
    paths = list(dict.fromkeys([*report.paths, *by_path]))  # named paths first, in order
    failures = sum(1 for p in paths if by_path[p] and not _unreadable(by_path[p]))
    errors = sum(1 for p in paths if _unreadable(by_path[p]))
    counts = {"tests": str(len(paths)), "failures": str(failures), "errors": str(errors)}
    suites = ET.Element("testsuites", name="cablelint", **counts)
    suite = ET.SubElement(suites, "testsuite", name="cablelint", skipped="0", **counts)
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname="cablelint", name=path, file=path)
        found = by_path[path]
        if not found:
            continue
        tag = "error" if _unreadable(found) else "failure"
        worst = max(found, key=lambda f: ("info", "warning", "error").index(f.severity))
        element = ET.SubElement(
            case, tag, type=worst.severity,
            message=f"{len(found)} finding{'s' * (len(found) != 1)}: {found[0].message}",
        )
        element.text = "".join(
            f"{f.path}:{f.line}:{f.column}: {f.code} [{f.rule}] {f.message}\n" for f in found
        )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _unreadable(findings: list[Finding]) -> bool:
    return any(f.code == UNREADABLE for f in findings)
