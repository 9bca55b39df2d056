"""SARIF 2.1.0 (the OASIS Static Analysis Results Interchange Format) for code-scanning
services: one run, the rules' metadata from the registry, one result per finding with its
region, ``partialFingerprints`` and its fix.

Lines and columns are 1-based and count characters (``columnKind: unicodeCodePoints``);
``endColumn`` is the column after the region, as SARIF wants. Paths are relative to the
folder cablelint ran in (``%SRCROOT%``), the repository root in CI.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..engine import Finding, Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: cablelint's severities as SARIF levels.
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: The key of cablelint's fingerprint in ``partialFingerprints`` (versioned, as SARIF asks).
FINGERPRINT_KEY = "cablelint/v1"


def render(findings: Sequence[Finding]) -> str:
    from ..checks import REGISTRY

    rules = list(REGISTRY)
    index = {rule.code: i for i, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cablelint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_descriptor(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index.get(f.code)) for f in findings],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule: type[Rule]) -> dict[str, Any]:
    documentation = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _prose(documentation)},
        "help": {"text": documentation},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"severity": rule.severity, "fixes": list(rule.fixes)},
    }


def _prose(documentation: str) -> str:
    """The documentation before its examples, one line a paragraph."""
    prose = documentation.split("\nFailing", 1)[0].strip()
    return "\n\n".join(" ".join(par.split()) for par in prose.split("\n\n"))


def artifact_location(path: str) -> dict[str, str]:
    from . import project_path

    shown = project_path(path)
    if shown.startswith("/"):
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown), "uriBaseId": "%SRCROOT%"}


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line,
            "endColumn": end_column}


def _result(finding: Finding, rule_index: int | None) -> dict[str, Any]:
    location = artifact_location(finding.path)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": location,
            "region": _region(finding.line, finding.column, finding.end_line,
                              finding.end_column),
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    if finding.fix is not None:
        fix = finding.fix
        start, end = fix["location"], fix["end_location"]
        kind = "safe" if fix["safe"] else "unsafe: review it"
        result["fixes"] = [{
            "description": {"text": f"replace with '{fix['replacement']}' ({kind})"},
            "artifactChanges": [{
                "artifactLocation": location,
                "replacements": [{
                    "deletedRegion": _region(start["line"], start["column"], end["line"],
                                             end["column"]),
                    "insertedContent": {"text": fix["replacement"]},
                }],
            }],
        }]
    return result
