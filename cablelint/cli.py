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
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .config import ConfigError, Settings, find_config, from_mapping, load
from .engine import SEVERITIES, Finding, Rule, matches, severity_rank
from .packs import PackError
from .plugins import ENV_VAR, allowed_by_environment
from .report import FORMATS, Report
from .report.text_format import summary

INPUT_ERROR = "E001"  # an input that cannot be read: exit status 2, never baselined
VERBS = ("check", "rules", "rule", "extract", "suite", "report")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, given the terminal's width. argparse makes a formatter for
    every argument added and, left to find the width itself, imports ``shutil`` (and with it
    ``bz2`` and ``lzma``): 2% of a one-file run."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         _columns() - 2 if width is None else width)  # as argparse does


def _columns() -> int:
    """The terminal's width, found as ``shutil.get_terminal_size`` finds it."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):  # no terminal
            columns = 0
    return columns or 80


def _lint_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cablelint", formatter_class=_HelpFormatter,
        description="Lint corpora of US diplomatic cables. Verbs: check (default), rules, rule, "
                    "extract, suite, report.",
        epilog="To lint a path named like a verb: cablelint check rules, or cablelint ./rules. "
               "Exit status (with --statistics too): 0 when no finding reaches --fail-on, 1 "
               "when one does, 2 on a usage, configuration or input error.",
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
    _config_options(p)
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
    _gate_arguments(p)
    p.add_argument("--version", action="version", version=f"cablelint {__version__}")
    return p


def _gate_arguments(p: argparse.ArgumentParser) -> None:
    """Reports to files, statistics, baselines and fixes."""
    p.add_argument("--output-file", "-o", action="append", default=[], metavar="FORMAT=PATH",
                   help="also write a report in FORMAT to PATH (repeatable; formats: "
                   f"{', '.join(FORMATS)})")
    p.add_argument("--statistics", action="store_true",
                   help="print the count of findings per rule instead of the findings "
                   "(the exit status is as without it)")
    p.add_argument("--baseline", type=Path, metavar="FILE",
                   help="ignore the findings listed in FILE; list its entries no longer found "
                   "(of the files linted and the rules run)")
    p.add_argument("--write-baseline", type=Path, metavar="FILE",
                   help="record the findings in FILE (with --baseline, only those it lists, "
                   "and its entries of files not linted and rules not run; never input "
                   "errors, E001) and print one line saying how many, instead of the "
                   "findings; exit 0 (2 when an input cannot be read)")
    p.add_argument("--force-exclude", action="store_true",
                   help="skip named files that exclude or suffixes would skip in a folder "
                   "(for pre-commit, which names every changed file)")
    p.add_argument("--fix", action="store_true", help="apply the safe fixes to the files")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff, apply the unsafe fixes too")
    p.add_argument("--diff", action="store_true",
                   help="print the fixes as a unified diff; write nothing")


def _config_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="use this configuration file")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--pack", action="append", default=[], metavar="FILE",
                   help="also run the rules of this YAML rule pack (repeatable)")
    p.add_argument("--allow-python-plugins", action="store_true",
                   help="import the Python plugins the configuration names (they run code; "
                        f"or set {ENV_VAR}=1)")


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
            if verb == "extract":
                return _extract(rest)
            if verb == "suite":
                return _suite(rest)
            if verb == "report":
                return _report(rest)
            return _lint(rest)
        return _lint(args)
    except (ConfigError, PackError) as exc:  # a BaselineError is a ConfigError
        print(f"cablelint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. `cablelint . | head`
        return EXIT_CLEAN


def _split(value: str | None) -> list[str]:
    return [s.strip() for s in value.split(",") if s.strip()] if value else []


def _base_settings(args: argparse.Namespace, start: str) -> Settings:
    """The configuration (found upward from ``start``), the packs named with ``--pack``, and
    the plugins when the user opts in."""
    allow = bool(args.allow_python_plugins) or allowed_by_environment()
    if args.config is not None:
        settings = load(args.config, allow_plugins=allow)
    elif args.isolated:
        settings = Settings(allow_plugins=allow)
    else:
        found = find_config(Path(start))
        settings = load(found, allow_plugins=allow) if found else Settings(allow_plugins=allow)
    if args.pack:
        settings.add_extensions([Path(p).resolve() for p in args.pack], [], "--pack")
    if settings.skipped_plugins:
        print(f"cablelint: warning: {settings.path} names Python plugins that were not loaded "
              f"({', '.join(settings.skipped_plugins)}): they run code, so they are loaded "
              f"only with --allow-python-plugins or {ENV_VAR}=1", file=sys.stderr)
    return settings


def _settings(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Settings:
    settings = _base_settings(args, next((p for p in args.paths if p != "-"), "."))
    overrides: dict[str, object] = {}
    if args.select:
        overrides["select"] = _split(args.select)
    if args.extend_select:
        overrides["extend-select"] = _split(args.extend_select)
    if args.ignore:
        overrides["ignore"] = settings.ignore + _split(args.ignore)
    if overrides:
        try:
            checked = from_mapping(overrides, None, base=settings)
        except ConfigError as exc:  # one line, as for a configuration file: not the usage
            raise ConfigError(str(exc).replace("configuration: ", "")) from None
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
    named = bool(args.paths)
    args.paths = args.paths or ["."]
    settings = _settings(args, parser)
    if args.force_exclude:
        args.paths = _force_exclude(args.paths, settings)
        if named and not args.paths:
            return EXIT_CLEAN  # every named file is excluded: nothing to lint
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    outputs = _output_files(args, parser)
    _check_fix_arguments(args, parser)
    _check_targets(args, outputs, settings)
    missing = [p for p in args.paths if p != "-" and not Path(p).exists()]
    result = lint(args.paths, settings, args.jobs, cache=_cache(args, settings),
                  progress=not (args.quiet or args.no_progress) and progress_wanted())
    if args.fix or args.diff:
        changed = _fix(args, settings, result.findings)
        if args.diff:
            return EXIT_ERROR if missing or result.input_errors else changed
        if changed:  # the findings left, corpus-wide rules included
            result = lint(args.paths, settings, args.jobs, cache=_cache(args, settings))
    findings = result.findings
    paths = ["<stdin>" if p == "-" else p for p in result.paths]
    if args.stdin_filename:
        findings = [_rename(f, args.stdin_filename) for f in findings]
        paths = [args.stdin_filename if p == "<stdin>" else p for p in paths]
    # A file that could not be read (E001: missing, binary) was not linted.
    checked = max(result.files - result.input_errors, 0)
    ran = _ran(settings, corpus=result.files > 1)
    findings, accepted, written = _apply_baseline(args, findings, paths, ran)
    report = Report(findings, paths)
    if args.write_baseline is not None:
        # As ruff's --add-noqa: the findings went to the baseline, a line says how many.
        _write_reports(args, report, outputs, stdout=False)
        if not args.quiet:
            _baseline_summary(args, result.findings, findings, accepted, written, checked)
        return EXIT_ERROR if missing or result.input_errors else EXIT_CLEAN
    _write_reports(args, report, outputs)
    if not args.quiet:
        readable = [f for f in findings if f.code != INPUT_ERROR]
        if readable or checked or not result.input_errors:
            line = summary(readable, checked)
        else:
            line = "Nothing checked."
        if accepted:
            line += f" {accepted} more in the baseline."
        if result.input_errors:
            line += " " + _unreadable(result.input_errors) + "."
        print(line, file=sys.stderr)
    if missing or result.input_errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    threshold = severity_rank(settings.fail_on)
    failing = any(severity_rank(f.severity) >= threshold for f in findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _unreadable(count: int) -> str:
    """Why the exit status is 2: said in the summary, which the E001 lines may not be near."""
    return (f"{count} input{'s' * (count != 1)} could not be read (E001): exit status 2")


def _check_targets(args: argparse.Namespace, outputs: list[tuple[str, Path]],
                   settings: Settings) -> None:
    """Refuse to write a baseline or a report over one of the files being linted (a
    cable named by mistake where the baseline's name was meant)."""
    targets = [(f"--output-file {fmt}={path}", path) for fmt, path in outputs]
    if args.write_baseline is not None:
        targets.insert(0, (f"--write-baseline {args.write_baseline}", args.write_baseline))
    if not targets:
        return
    from .runner import among_inputs

    for option, path in targets:
        if among_inputs(str(path), args.paths, settings):
            raise ConfigError(f"{option}: {path} is one of the files being linted; writing "
                              "there would overwrite it (choose another file)")


def _ran(settings: Settings, corpus: bool) -> Callable[[str, str], bool]:
    """Whether a rule (its code) ran on a file: the selection, per-file ignores applied;
    the corpus-wide rules run only when more than one cable was linted."""
    def codes(for_path: str | None) -> frozenset[str]:
        return frozenset(rule.code for rule in settings.selection(for_path).rules
                         if corpus or not getattr(rule, "corpus", False))

    if not settings.per_file_ignores:
        every = codes(None)
        return lambda path, code: code in every
    known: dict[str, frozenset[str]] = {}

    def ran(path: str, code: str) -> bool:
        if path not in known:
            known[path] = codes(path)
        return code in known[path]

    return ran


def _cache(args: argparse.Namespace, settings: Settings):  # type: ignore[no-untyped-def]
    if args.no_cache or (os.environ.get("CABLELINT_NO_CACHE") and args.cache_dir is None):
        return None
    from .cache import ResultCache, default_folder

    return ResultCache(args.cache_dir or default_folder(settings), settings)


def _rename(finding, path: str):  # type: ignore[no-untyped-def]

    return finding._replace(path=path) if finding.path == "<stdin>" else finding


def _force_exclude(paths: list[str], settings: Settings) -> list[str]:
    """The named paths without the files a folder walk would skip (hidden, excluded, or
    without a linted suffix); folders and standard input are kept."""
    kept = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and not path.is_dir() and (
            path.name.startswith(".")
            or path.suffix.lower() not in settings.suffixes
            or settings.excluded(path)
        ):
            continue
        kept.append(raw)
    return kept


def _output_files(args: argparse.Namespace,
                  parser: argparse.ArgumentParser) -> list[tuple[str, Path]]:
    """``--output-file FORMAT=PATH`` values, checked."""
    outputs = []
    for value in args.output_file:
        fmt, sep, path = value.partition("=")
        if not sep or not path:
            parser.error(f"--output-file takes FORMAT=PATH, not '{value}'")
        if fmt not in FORMATS:
            parser.error(f"--output-file: unknown format '{fmt}' (choose from "
                         f"{', '.join(FORMATS)})")
        outputs.append((fmt, Path(path)))
    return outputs


def _write_reports(args: argparse.Namespace, report: Report,
                   outputs: list[tuple[str, Path]], stdout: bool = True) -> None:
    """The report on standard output (or the statistics), and each ``--output-file``."""
    if not stdout:
        out = ""
    elif args.statistics:
        from .report.statistics import render

        out = render(report.findings)
    else:
        out = FORMATS[args.format](report)
    if out:
        sys.stdout.write(out)
        sys.stdout.flush()
    for fmt, path in outputs:
        from .fixes import write_atomic

        write_atomic(str(path), FORMATS[fmt](report).encode("utf-8"))


def _apply_baseline(args: argparse.Namespace, findings: list[Finding], linted: list[str],
                    ran: Callable[[str, str], bool]) -> tuple[list[Finding], int, dict[str, int]]:
    """Drop the findings the baseline lists (reporting its stale entries), and write a new
    baseline when asked. Returns the findings left, how many the baseline accepted, and,
    when one was written, the entries written, dropped (stale) and kept."""
    if args.baseline is None and args.write_baseline is None:
        return findings, 0, {}
    from . import baseline

    if args.baseline is None:
        return findings, 0, {"written": baseline.write(args.write_baseline, findings)}
    base = baseline.load(args.baseline)
    if base.skipped:
        print(f"cablelint: warning: {args.baseline}: skipped {base.skipped} "
              f"E001 entr{'y' if base.skipped == 1 else 'ies'} (input errors, which a baseline "
              "does not record); rewriting the baseline drops "
              f"{'it' if base.skipped == 1 else 'them'}", file=sys.stderr)
    outcome = base.filter(findings, linted, ran)
    if args.write_baseline is not None:
        # Shrink: the accepted findings, and the entries of files, or rules, this run did
        # not check.
        written = baseline.write(args.write_baseline, outcome.accepted, base,
                                 outcome.elsewhere + outcome.unchecked)
        return outcome.new, len(outcome.accepted), {
            "written": written, "dropped": len(outcome.stale),
            "files": len(outcome.elsewhere), "rules": len(outcome.unchecked)}
    if outcome.stale and not args.quiet:
        print(baseline.describe_stale(base, outcome.stale), file=sys.stderr)
    return outcome.new, len(outcome.accepted), {}


def _baseline_summary(args: argparse.Namespace, found: list[Finding], new: list[Finding],
                      accepted: int, counts: dict[str, int], files: int) -> None:
    """The line ``--write-baseline`` prints instead of the findings (on standard error, as
    the summary): how many entries went where, what was dropped and what was not taken; and,
    before it, the files that could not be read (the exit status is 2)."""
    unreadable = [f for f in found if f.code == INPUT_ERROR]
    for finding in unreadable:
        print(FORMATS["text"](Report([finding], [])).rstrip("\n"), file=sys.stderr)
    new = [f for f in new if f.code != INPUT_ERROR]
    written = counts["written"]
    line = (f"Wrote {written} finding{'s' * (written != 1)} to the baseline "
            f"{args.write_baseline} ({files} file{'s' * (files != 1)} linted")
    if args.baseline is not None:
        if counts["files"]:
            line += f"; {counts['files']} kept for files not linted"
        if counts["rules"]:
            line += f"; {counts['rules']} kept for rules not run"
        dropped = counts["dropped"]
        if dropped:
            line += f"; dropped {dropped} entr{'y' if dropped == 1 else 'ies'} no longer found"
        if new:
            one = len(new) == 1
            line += (f"; {len(new)} new finding{'' if one else 's'} not recorded: "
                     f"`cablelint --baseline {args.baseline}` shows {'it' if one else 'them'}")
    if unreadable:
        line += "; " + _unreadable(len(unreadable))
    print(line + ").", file=sys.stderr)


def _check_fix_arguments(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.unsafe_fixes and not (args.fix or args.diff):
        parser.error("--unsafe-fixes applies with --fix or --diff")
    if (args.fix or args.diff) and "-" in args.paths:
        parser.error("--fix and --diff work on files, not on standard input")
    if args.fix and args.diff:
        parser.error("--diff shows the fixes without writing them: give --fix or --diff")


def _fix(args: argparse.Namespace, settings: Settings, findings: list[Finding]) -> int:
    """Fix the files whose findings offer a fix: write them, or print the diff. Returns 1
    when a file was (or, with --diff, would be) changed, else 0."""
    from .fixes import fix_file, unified_diff, write_atomic

    unsafe = args.unsafe_fixes
    candidates = sorted({f.path for f in findings
                         if f.fix is not None and (f.fix["safe"] or unsafe)})
    written, fixes = 0, 0
    for path in candidates:
        fixed = fix_file(path, settings, unsafe)
        why = fixed.skipped
        if why is None and fixed.changed:
            if args.diff:
                sys.stdout.flush()  # the diff is bytes in the file's own encoding
                sys.stdout.buffer.write(unified_diff(fixed))
            else:
                why = write_atomic(path, fixed.after, expected=fixed.before)
            if why is None:
                written += 1
                fixes += fixed.applied
        if why is not None:
            print(f"cablelint: {path}: not fixed: {why}", file=sys.stderr)
    if not args.quiet:
        verb = "Would fix" if args.diff else "Fixed"
        print(f"{verb} {fixes} finding{'s' * (fixes != 1)} in {written} "
              f"file{'s' * (written != 1)}.", file=sys.stderr)
    return EXIT_FINDINGS if written else EXIT_CLEAN


def _rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="cablelint rules", description="List every rule.",
                                formatter_class=_HelpFormatter)
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--select", help="only these codes, prefixes or names")
    _config_options(p)
    args = p.parse_args(argv)
    registry = _base_settings(args, ".").registry
    rules = [r for r in registry if not args.select or matches(r, _split(args.select))]
    if args.format == "json":
        import json

        print(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity,
                           "fixes": list(r.fixes), "summary": r.summary,
                           "options": dict(r.options)} for r in rules], indent=2))
    elif args.format == "markdown":
        print("| Code | Name | Severity | Fix | Checks |\n| --- | --- | --- | --- | --- |")
        for r in rules:
            print(f"| {r.code} | `{r.name}` | {r.severity} | {_fixes(r)} | {r.summary} |")
    else:
        code = max((len(r.code) for r in rules), default=4)
        width = max((len(r.name) for r in rules), default=4)
        print(f"{'Code':<{code}}  {'Name':<{width}}  {'Severity':<8}  {'Fix':<11}  Checks")
        for r in rules:
            print(f"{r.code:<{code}}  {r.name:<{width}}  {r.severity:<8}  "
                  f"{_fixes(r) or '-':<11}  {r.summary}")
    return EXIT_CLEAN


def _fixes(rule: type[Rule]) -> str:
    """The kinds of fix a rule's findings may carry: ``safe`` (--fix applies them), ``unsafe``
    (only with --unsafe-fixes), ``safe/unsafe`` (some of each), or nothing."""
    return "/".join(kind for kind in ("safe", "unsafe") if kind in rule.fixes)


def _rule(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="cablelint rule", description="Show a rule's documentation.",
                                formatter_class=_HelpFormatter)
    p.add_argument("name", help="a rule's code or name")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _config_options(p)
    args = p.parse_args(argv)
    rule = _base_settings(args, ".").rule_for(args.name)
    if rule is None:
        print(f"cablelint: error: no rule named '{args.name}' (see: cablelint rules)",
              file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        import json

        print(json.dumps({"code": rule.code, "name": rule.name, "severity": rule.severity,
                          "fixes": list(rule.fixes), "summary": rule.summary,
                          "options": dict(rule.options),
                          "documentation": rule.documentation()}, indent=2))
        return EXIT_CLEAN
    fix = {"safe": "safe (applied by --fix)",
           "unsafe": "unsafe (applied with --unsafe-fixes)",
           "safe/unsafe": "safe (applied by --fix) or unsafe (with --unsafe-fixes)",
           "": "none"}[_fixes(rule)]
    print(f"{rule.code} {rule.name} (default severity: {rule.severity})")
    print(f"Fix: {fix}{', on some findings' if rule.fixes else ''}\n")
    print(rule.documentation())  # (it opens with its own one-line statement)
    if rule.options:
        print(f"\nOptions (set under [tool.cablelint.rules.{rule.name}]):")
        for key, value in rule.options.items():
            print(f"  {key} = {value!r}")
    return EXIT_CLEAN



def _corpus_parser(prog: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=description,
                                formatter_class=_HelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of cables")
    _config_options(p)
    return p


def _extract(argv: list[str]) -> int:
    from .extract import COLUMNS, FORMATS, format_for, read_corpus, rows_of, write

    p = _corpus_parser("cablelint extract", "Write the metadata table: one row per cable "
                       "(columns: " + ", ".join(c.name for c in COLUMNS) + ").")
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="the table to write (.csv, .jsonl or .parquet)")
    p.add_argument("--format", choices=sorted(set(FORMATS.values())),
                   help="table format (default: from the output's suffix)")
    args = p.parse_args(argv)
    try:
        fmt = format_for(args.output, args.format)
    except ValueError as exc:
        p.error(str(exc))
    settings = _base_settings(args, args.paths[0])
    errors: list[str] = []
    try:
        count = write(rows_of(read_corpus(args.paths, settings, errors)), args.output, fmt)
    except (OSError, ValueError) as exc:
        print(f"cablelint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for error in errors:
        print(f"cablelint: error: {error}", file=sys.stderr)
    print(f"Wrote {count} row{'s' * (count != 1)} to {args.output}.", file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_CLEAN


def _suite(argv: list[str]) -> int:
    from .extract import read_corpus, rows_of
    from .suite import SuiteError, load_suite, run_suite, summary

    p = _corpus_parser("cablelint suite", "Validate the corpus's metadata table with a Great "
                       "Expectations suite (needs: pip install 'cablelint[suite]').")
    p.add_argument("--suite", type=Path, help="the suite's YAML file (default: the built-in one)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the validation result here")
    p.add_argument("--docs", type=Path, metavar="DIR", help="build Data Docs HTML in this folder")
    args = p.parse_args(argv)
    settings = _base_settings(args, args.paths[0])
    errors: list[str] = []
    try:
        spec = load_suite(args.suite)
        rows = list(rows_of(read_corpus(args.paths, settings, errors)))
        result = run_suite(rows, spec, args.docs)
    except SuiteError as exc:
        print(f"cablelint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for error in errors:
        print(f"cablelint: error: {error}", file=sys.stderr)
    print(summary(result, spec, len(rows)))
    if args.json is not None:
        import json

        from .atomic import atomic_target

        with atomic_target(args.json) as tmp:
            tmp.write_text(json.dumps(result.raw, indent=2, default=str) + "\n",
                           encoding="utf-8")
    if result.docs_index is not None:
        print(f"Data Docs: {result.docs_index}")
    if errors:
        return EXIT_ERROR
    return EXIT_CLEAN if result.success else EXIT_FINDINGS


def _report(argv: list[str]) -> int:
    from .atomic import atomic_target
    from .htmlreport import build, render

    p = _corpus_parser("cablelint report", "Write the corpus report: one self-contained HTML "
                       "file (charts per rule, year and post; the worst cables; every finding).")
    p.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    p.add_argument("--title", default="cablelint report", help="the report's title")
    args = p.parse_args(argv)
    settings = _base_settings(args, args.paths[0])
    errors: list[str] = []
    summaries = build(args.paths, settings, args.output.parent, errors)
    try:
        with atomic_target(args.output) as tmp:
            tmp.write_text(render(summaries, args.title), encoding="utf-8")
    except OSError as exc:
        print(f"cablelint: error: {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    for error in errors:
        print(f"cablelint: error: {error}", file=sys.stderr)
    found = sum(len(s.findings) for s in summaries)
    print(f"Wrote {args.output}: {len(summaries)} cables, {found} findings.", file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_CLEAN
