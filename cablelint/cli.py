"""The command line: ``cablelint [check] PATH...``, ``cablelint rules``, ``cablelint rule NAME``.

A first argument that is a verb selects it; to lint a path that is spelled like a verb, write
``cablelint check rules``, ``cablelint ./rules`` or ``cablelint -- rules``.

Exit status: 0 no finding reaches the failing severity, 1 one does, 2 usage, configuration or
unreadable-input errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .checks import REGISTRY, by_name_or_code
from .config import ConfigError, Settings, find_config, from_mapping, load
from .engine import SEVERITIES, matches, severity_rank
from .packs import PackError
from .report import FORMATS
from .report.text_format import summary

VERBS = ("check", "rules", "rule")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _lint_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cablelint",
        description="Lint corpora of US diplomatic cables. Verbs: check (default), rules, rule.",
        epilog="To lint a path named like a verb: cablelint check rules, or cablelint ./rules.",
    )
    p.add_argument("paths", nargs="*", default=None, metavar="PATH",
                   help="files or folders to lint, '-' for standard input (default: .)")
    p.add_argument("--format", "--output-format", dest="format", choices=sorted(FORMATS),
                   default="text", help="report format (default: text)")
    p.add_argument("--select", help="comma-separated codes, code prefixes or names to run")
    p.add_argument("--extend-select", help="add these to the configured selection")
    p.add_argument("--ignore", help="comma-separated codes, code prefixes or names to skip")
    p.add_argument("--fail-on", choices=SEVERITIES,
                   help="lowest severity that makes the exit status 1 (default: info)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when there are findings")
    p.add_argument("--config", type=Path, help="use this configuration file")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="processes to lint with (default: all cores)")
    p.add_argument("--no-cache", action="store_true",
                   help="lint every file again; do not read or write .cablelint_cache/")
    p.add_argument("--cache-dir", type=Path,
                   help="the result cache's folder (default: .cablelint_cache/ next to the "
                        "configuration file, else in the working folder)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar (it is shown only on a terminal, never in CI)")
    p.add_argument("--stdin-filename", help="the path to report for standard input")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary on standard error")
    p.add_argument("--version", action="version", version=f"cablelint {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "--":
            return _lint(args[1:] or ["--"])
        if args and args[0] in VERBS:
            verb, rest = args[0], args[1:]
            if verb == "rules":
                return _rules(rest)
            if verb == "rule":
                return _rule(rest)
            return _lint(rest)
        return _lint(args)
    except (ConfigError, PackError) as exc:
        print(f"cablelint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. `cablelint . | head`
        return EXIT_CLEAN


def _split(value: str | None) -> list[str]:
    return [s.strip() for s in value.split(",") if s.strip()] if value else []


def _settings(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Settings:
    if args.config is not None:
        settings = load(args.config)
    elif args.isolated:
        settings = Settings()
    else:
        first = next((p for p in args.paths if p != "-"), ".")
        found = find_config(Path(first))
        settings = load(found) if found else Settings()
    overrides: dict[str, object] = {}
    if args.select:
        overrides["select"] = _split(args.select)
    if args.extend_select:
        overrides["extend-select"] = _split(args.extend_select)
    if args.ignore:
        overrides["ignore"] = settings.ignore + _split(args.ignore)
    if overrides:
        try:
            checked = from_mapping(overrides, None)
        except ConfigError as exc:
            parser.error(str(exc).replace("configuration: ", ""))
        for key in ("select", "extend_select", "ignore"):
            if getattr(checked, key) != getattr(Settings(), key):
                setattr(settings, key, getattr(checked, key))
    if args.fail_on:
        settings.fail_on = args.fail_on
    return settings


def _lint(argv: list[str]) -> int:
    from .progress import wanted as progress_wanted
    from .runner import lint  # the linting machinery is not needed by the other verbs

    parser = _lint_parser()
    args = parser.parse_args(argv if argv != ["--"] else [])
    args.paths = args.paths or ["."]
    settings = _settings(args, parser)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    missing = [p for p in args.paths if p != "-" and not Path(p).exists()]
    result = lint(args.paths, settings, args.jobs, cache=_cache(args, settings),
                  progress=not (args.quiet or args.no_progress) and progress_wanted())
    findings = result.findings
    if args.stdin_filename:
        findings = [_rename(f, args.stdin_filename) for f in findings]
    out = FORMATS[args.format](findings)
    if out:
        sys.stdout.write(out)
        sys.stdout.flush()
    if not args.quiet:
        print(summary(findings, result.files), file=sys.stderr)
    if missing or result.input_errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    threshold = severity_rank(settings.fail_on)
    failing = any(severity_rank(f.severity) >= threshold for f in findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _cache(args: argparse.Namespace, settings: Settings):  # type: ignore[no-untyped-def]
    if args.no_cache or (os.environ.get("CABLELINT_NO_CACHE") and args.cache_dir is None):
        return None
    from .cache import ResultCache, default_folder

    return ResultCache(args.cache_dir or default_folder(settings), settings)


def _rename(finding, path: str):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(finding, path=path) if finding.path == "<stdin>" else finding


def _rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="cablelint rules", description="List every rule.")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--select", help="only these codes, prefixes or names")
    args = p.parse_args(argv)
    rules = [r for r in REGISTRY if not args.select or matches(r, _split(args.select))]
    if args.format == "json":
        import json

        print(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity,
                           "summary": r.summary, "options": dict(r.options)} for r in rules],
                         indent=2))
    elif args.format == "markdown":
        print("| Code | Name | Severity | Checks |\n| --- | --- | --- | --- |")
        for r in rules:
            print(f"| {r.code} | `{r.name}` | {r.severity} | {r.summary} |")
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            print(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.summary}")
    return EXIT_CLEAN


def _rule(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="cablelint rule", description="Show a rule's documentation.")
    p.add_argument("name", help="a rule's code or name")
    args = p.parse_args(argv)
    rule = by_name_or_code(args.name)
    if rule is None:
        print(f"cablelint: error: no rule named '{args.name}' (see: cablelint rules)",
              file=sys.stderr)
        return EXIT_ERROR
    print(f"{rule.code} {rule.name} (default severity: {rule.severity})\n")
    print(rule.summary + ".\n")
    print(rule.documentation())
    if rule.options:
        print(f"\nOptions (set under [tool.cablelint.rules.{rule.name}]):")
        for key, value in rule.options.items():
            print(f"  {key} = {value!r}")
    return EXIT_CLEAN
