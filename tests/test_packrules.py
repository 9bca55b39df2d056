"""Rule packs a user writes: each kind, loading from a configuration, validation, plugins."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint.checks import REGISTRY
from cablelint.cli import main
from cablelint.config import ConfigError, load
from cablelint.engine import RuleSelection, run_rules
from cablelint.packrules import PackRule, builtin_pack_rules, load_user_pack
from cablelint.packs import PackError
from cablelint.parse import parse_text
from cablelint.plugins import ENV_VAR

CABLE = textwrap.dedent("""\
    P 262103Z FEB 07
    FM AMEMBASSY BOGOTA
    TO SECSTATE WASHDC
    UNCLAS BOGOTA 001339

    E.O. 12958: N/A
    TAGS: PGOV CO
    SUBJECT: THE EMBASADOR MEETS THE GOC

    1. (SBU) The Embasador met the Government of Colombia (GOC) on
    Monday. The GOC agreed. The Colombian government will reply.

    2. (SBU) The GOB asked for a visa.
    """)


def write_pack(tmp_path: Path, rules: str, name: str = "corp.yaml") -> Path:
    path = tmp_path / name
    path.write_text("rules:\n" + textwrap.indent(textwrap.dedent(rules), "  "),
                    encoding="utf-8")
    return path


def findings(tmp_path: Path, rules: str, text: str = CABLE) -> list[tuple[int, str]]:
    pack = load_user_pack(write_pack(tmp_path, rules))
    cable = parse_text("case.txt", text)
    return [(f.line, f.message) for f in run_rules(cable, RuleSelection(list(pack)))]


HEAD = """\
- code: XCORP{n}
  name: corp-rule-{n}
  severity: warning
  summary: A corpus convention
"""


def rule(n: int, body: str) -> str:
    return HEAD.format(n=n) + textwrap.indent(textwrap.dedent(body), "  ")


# -- the kinds ------------------------------------------------------------------------------

def test_existence_flags_each_token_with_word_boundaries(tmp_path: Path) -> None:
    got = findings(tmp_path, rule(1, """\
        kind: existence
        scope: body
        message: "'{match}' is the old name; write the full name"
        tokens: [GOB, Government of Colombia]
        """))
    # 'GOB' in the body only (not 'GOB' inside a word), a phrase across a line break too
    assert got == [(10, "'Government of Colombia' is the old name; write the full name"),
                   (13, "'GOB' is the old name; write the full name")]


def test_existence_passes_a_cable_without_the_tokens(tmp_path: Path) -> None:
    assert findings(tmp_path, rule(1, """\
        kind: existence
        scope: body
        message: "'{match}' found"
        tokens: [GOVT, AMEMB]
        """)) == []


def test_existence_scope_subject_and_ignorecase(tmp_path: Path) -> None:
    got = findings(tmp_path, rule(1, """\
        kind: existence
        scope: subject
        ignorecase: true
        message: "'{match}' in the subject"
        tokens: [goc]
        """))
    assert got == [(8, "'GOC' in the subject")]


def test_substitution_is_a_fix(tmp_path: Path) -> None:
    pack = load_user_pack(write_pack(tmp_path, rule(2, """\
        kind: substitution
        scope: text
        ignorecase: true
        safe: true
        message: "'{match}' is misspelt; write '{expected}'"
        swap: {embasador: Ambassador}
        """)))
    got = run_rules(parse_text("case.txt", CABLE), RuleSelection(list(pack)))
    assert [(f.line, f.message) for f in got] == [
        (8, "'EMBASADOR' is misspelt; write 'AMBASSADOR'"),
        (10, "'Embasador' is misspelt; write 'Ambassador'"),
    ]
    assert [(f.fix or {}).get("replacement") for f in got] == ["AMBASSADOR", "Ambassador"]
    assert all((f.fix or {}).get("safe") is True for f in got)
    assert pack[0].fixes == ("safe",)  # the Fix column of `cablelint rules`
    unsafe = load_user_pack(write_pack(tmp_path, rule(2, """\
        kind: substitution
        scope: text
        message: "write '{expected}'"
        swap: {embasador: Ambassador}
        """), "unsafe.yaml"))
    existence = load_user_pack(write_pack(tmp_path, rule(1, """\
        kind: existence
        scope: body
        message: "'{match}' found"
        tokens: [GOB]
        """), "existence.yaml"))
    assert (unsafe[0].fixes, existence[0].fixes) == (("unsafe",), ())


def test_substitution_passes_the_preferred_form(tmp_path: Path) -> None:
    assert findings(tmp_path, rule(2, """\
        kind: substitution
        scope: body
        message: "write '{expected}'"
        swap: {Colombian government: Government of Colombia}
        """), CABLE.replace("Colombian government", "Government of Colombia")) == []


def test_occurrence_max_and_min(tmp_path: Path) -> None:
    assert findings(tmp_path, rule(3, """\
        kind: occurrence
        scope: body
        max: 1
        message: "'{match}' is used {count} times, {expected}"
        tokens: [GOC]
        """)) == [(11, "'GOC' is used 2 times, at most 1")]
    assert findings(tmp_path, rule(3, """\
        kind: occurrence
        scope: field:TAGS
        min: 1
        message: "TAGS name no country: {count} '{match}', {expected}"
        tokens: [CO]
        """), CABLE.replace("PGOV CO", "PGOV")) == [(7, "TAGS name no country: 0 'CO', at least 1")]
    assert findings(tmp_path, rule(3, """\
        kind: occurrence
        scope: field:TAGS
        min: 1
        max: 1
        message: "{count}"
        tokens: [CO]
        """)) == []


def test_conditional_first_needs_second(tmp_path: Path) -> None:
    declared = rule(4, """\
        kind: conditional
        scope: body
        message: "'{match}' is used, but '{expected}' is never spelt out"
        first: [GOC]
        second: [Government of Colombia]
        """)
    assert findings(tmp_path, declared) == []  # spelt out once
    swapped = CABLE.replace("Government of Colombia (GOC)", "GOC")
    assert findings(tmp_path, declared, swapped) == [
        (10, "'GOC' is used, but 'Government of Colombia' is never spelt out"),
        (11, "'GOC' is used, but 'Government of Colombia' is never spelt out"),
    ]


def test_consistency_reports_the_later_variant(tmp_path: Path) -> None:
    declared = rule(5, """\
        kind: consistency
        scope: body
        message: "'{match}' and '{expected}' both name the post's host government"
        either: {GOC: Colombian government}
        """)
    assert findings(tmp_path, declared) == [
        (11, "'Colombian government' and 'GOC' both name the post's host government")]
    assert findings(tmp_path, declared, CABLE.replace("Colombian government", "GOC")) == []


def test_one_alternation_per_rule_and_a_guard(tmp_path: Path) -> None:
    (pack,) = load_user_pack(write_pack(tmp_path, rule(1, """\
        kind: existence
        scope: body
        message: "'{match}'"
        tokens: [alpha, beta, gamma delta]
        """)))
    assert issubclass(pack, PackRule)
    compiled = pack._compile()
    assert compiled.regex.pattern.count("|") == 2  # one compiled alternation of three
    assert compiled.guard == (("alpha", False), ("beta", False), ("gamma", False))


# -- configuration and the command line -----------------------------------------------------

def corpus(tmp_path: Path, config: str) -> Path:
    (tmp_path / "cables").mkdir()
    (tmp_path / "cables" / "a.txt").write_text(CABLE, encoding="utf-8")
    (tmp_path / "packs").mkdir()
    write_pack(tmp_path / "packs", rule(1, """\
        kind: existence
        scope: body
        message: "'{match}' is an abbreviation"
        tokens: [GOB]
        """))
    (tmp_path / ".cablelint.yaml").write_text(config, encoding="utf-8")
    return tmp_path / "cables"


def test_packs_named_in_the_config_run_like_built_in_rules(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cables = corpus(tmp_path, "packs: [packs/corp.yaml]\nselect: [XCORP, S001]\n")
    assert main([str(cables)]) == 1
    out = capsys.readouterr().out
    assert out == f"{cables / 'a.txt'}:13:14: XCORP1 [corp-rule-1] 'GOB' is an abbreviation\n"
    monkeypatch.chdir(tmp_path)
    assert main(["rules"]) == 0
    listed = capsys.readouterr().out
    assert "XCORP1  corp-rule-1" in listed and "S001" in listed
    assert main(["rule", "corp-rule-1"]) == 0
    shown = capsys.readouterr().out
    assert "XCORP1 corp-rule-1 (default severity: warning)" in shown
    assert "tokens: [GOB]" in shown  # the declaration is the documentation
    assert "corp.yaml (an existence rule)::" in shown  # not 'a existence rule'


def test_pack_rules_obey_ignore_severity_and_per_file_ignores(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cables = corpus(tmp_path, "packs: [packs/corp.yaml]\nseverity: {corp-rule-1: error}\n")
    assert main(["--select", "XCORP1", "--format", "json", str(cables)]) == 1
    assert '"severity": "error"' in capsys.readouterr().out
    assert main(["--select", "XCORP1", "--ignore", "corp-rule-1", str(cables)]) == 0
    (tmp_path / ".cablelint.yaml").write_text(
        "packs: [packs/corp.yaml]\nper-file-ignores: {'cables/a.txt': [XCORP]}\n")
    assert main(["--select", "XCORP1", str(cables)]) == 0


def test_pack_option_on_the_command_line(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    cables = corpus(tmp_path, "ignore: [T001]\n")
    pack = tmp_path / "packs" / "corp.yaml"
    # an unknown rule without the pack
    assert main(["--select", "corp-rule-1", str(cables)]) == 2
    assert "unknown rule 'corp-rule-1'" in capsys.readouterr().err
    assert main(["--pack", str(pack), "--select", "corp-rule-1", str(cables)]) == 1
    assert "XCORP1 [corp-rule-1]" in capsys.readouterr().out


def test_settings_with_packs_survive_pickling_for_worker_processes(tmp_path: Path) -> None:
    corpus(tmp_path, "packs: [packs/corp.yaml]\n")
    settings = load(tmp_path / ".cablelint.yaml")
    settings.selection()
    copy = pickle.loads(pickle.dumps(settings))
    assert [r.code for r in copy.extra_rules] == ["XCORP1"]
    assert "XCORP1" in [r.code for r in copy.selection().rules]


# -- validation -----------------------------------------------------------------------------

GOOD = {"code": "XCORP1", "name": "corp-rule", "kind": "existence", "severity": "warning",
        "summary": "x", "message": "'{match}'", "scope": "body", "tokens": "[A]"}


def declared(**changes: str | None) -> str:
    keys = {**GOOD, **changes}
    return "".join(f"  {k}: {v}\n" for k, v in keys.items() if v is not None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rules:\n- " + declared(kind="exists")[2:], "rule 'corp-rule': 'kind' must be one of"),
        ("rules:\n- " + declared(code="corp1")[2:], "'code' 'corp1' must be two to five"),
        ("rules:\n- " + declared(code="PX001")[2:], "starts with 'P', the letter of built-in"),
        ("rules:\n- " + declared(name="Corp Rule")[2:], "must be kebab-case"),
        ("rules:\n- " + declared(name="summary-unclosed")[2:], "already used by a built-in"),
        ("rules:\n- " + declared(scope="footer")[2:], "'scope' must be one of"),
        ("rules:\n- " + declared(severity="fatal")[2:], "'severity' must be one of"),
        ("rules:\n- " + declared(message="'{found}'")[2:], "unknown placeholder {found}"),
        ("rules:\n- " + declared(tokens=None)[2:], "lacks the required key 'tokens'"),
        ("rules:\n- " + declared(summary=None)[2:], "lacks the required key 'summary'"),
        ("rules:\n- " + declared(swap="{a: b}")[2:], "'swap' is not a key of this kind"),
        ("rules:\n- " + declared(tokens="A")[2:], "'tokens' must be a list"),
        ("rules:\n- " + declared(kind="conditional", tokens=None, first="[A]")[2:],
         "lacks the required key 'second'"),
        ("rules:\n- " + declared(kind="conditional", tokens=None, first="[A]",
                                 second="[B]", order="before")[2:],
         "'order' must be one of anywhere, after"),
        ("rules: {}\n", "a rule pack is a mapping with a list of 'rules'"),
        ("rules: [\n", "invalid YAML"),
    ],
)
def test_a_bad_pack_is_exit_2_naming_the_file_rule_and_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "a.txt").write_text(CABLE, encoding="utf-8")
    (tmp_path / ".cablelint.yaml").write_text("packs: [bad.yaml]\n", encoding="utf-8")
    assert main([str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err
    assert message in err and str(tmp_path / "bad.yaml") in err


def test_a_missing_pack_and_two_packs_with_one_code(tmp_path: Path) -> None:
    (tmp_path / ".cablelint.yaml").write_text("packs: [nope.yaml]\n")
    with pytest.raises(PackError, match="nope.yaml: cannot read the rule pack"):
        load(tmp_path / ".cablelint.yaml")
    write_pack(tmp_path, rule(1, "kind: existence\nscope: body\nmessage: x\ntokens: [A]\n"),
               "one.yaml")
    write_pack(tmp_path, rule(1, "kind: existence\nscope: body\nmessage: x\ntokens: [B]\n"),
               "two.yaml")
    (tmp_path / ".cablelint.yaml").write_text("packs: [one.yaml, two.yaml]\n")
    with pytest.raises(PackError, match="two.yaml: rule 'corp-rule-1': 'XCORP1' is already "
                                        "used by rule 'corp-rule-1' of .*one.yaml"):
        load(tmp_path / ".cablelint.yaml")


def test_built_in_pack_rules_are_in_the_registry() -> None:
    assert builtin_pack_rules()
    for pack_rule in builtin_pack_rules():
        assert pack_rule in REGISTRY
        assert pack_rule.source.startswith("rules/packs/")


# -- Python plugins -------------------------------------------------------------------------

PLUGIN = '''\
from pathlib import Path

from cablelint.engine import Diagnostic, Rule

Path(__file__).with_name("imported.flag").write_text("the plugin ran")


class LongSubject(Rule):
    """A subject longer than 20 characters.

    Failing::

        SUBJECT: THE EMBASADOR MEETS THE GOC

    Passing::

        SUBJECT: SHORT
    """

    code = "XP1"
    name = "long-subject"
    severity = "info"
    summary = "The subject is short"

    def check(self, cable, options):
        for field in cable.get("SUBJECT"):
            if field.end - field.start > 20:
                yield Diagnostic(field.start, field.end, "the subject is long")
'''


def plugin_corpus(tmp_path: Path, config: str) -> Path:
    (tmp_path / "plugin.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "a.txt").write_text(CABLE, encoding="utf-8")
    (tmp_path / ".cablelint.yaml").write_text(config, encoding="utf-8")
    return tmp_path / "a.txt"


def test_a_plugin_is_not_loaded_without_the_users_opt_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    cable = plugin_corpus(tmp_path, "plugins: ['plugin.py:LongSubject']\n")
    main([str(cable)])
    out, err = capsys.readouterr()
    assert not (tmp_path / "imported.flag").exists()
    assert "XP1" not in out
    assert "names Python plugins that were not loaded (plugin.py:LongSubject)" in err


def test_a_configuration_cannot_opt_in_for_the_user(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cable = plugin_corpus(tmp_path, "allow-python-plugins: true\n"
                                    "plugins: ['plugin.py:LongSubject']\n")
    assert main([str(cable)]) == 2
    assert "'allow-python-plugins' cannot be set in a configuration file" in (
        capsys.readouterr().err)
    assert not (tmp_path / "imported.flag").exists()


def test_a_plugin_runs_with_the_flag_or_the_environment(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cable = plugin_corpus(tmp_path, "plugins: ['plugin.py:LongSubject']\n"
                                    "select: [XP1]\n")
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert main(["--allow-python-plugins", str(cable)]) == 1
    assert capsys.readouterr().out == f"{cable}:8:10: XP1 [long-subject] the subject is long\n"
    assert (tmp_path / "imported.flag").exists()
    monkeypatch.setenv(ENV_VAR, "1")
    assert main([str(cable)]) == 1
    assert "XP1 [long-subject]" in capsys.readouterr().out


def test_a_bad_plugin_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cable = plugin_corpus(tmp_path, "plugins: ['plugin.py:Nothing']\n")
    assert main(["--allow-python-plugins", str(cable)]) == 2
    assert "plugin 'plugin.py:Nothing' is not a subclass of cablelint.engine.Rule" in (
        capsys.readouterr().err)
    (tmp_path / ".cablelint.yaml").write_text("plugins: ['plugin.py']\n")
    with pytest.raises(PackError, match="must be written 'module:Class'"):
        load(tmp_path / ".cablelint.yaml", allow_plugins=True)
    with pytest.raises(ConfigError, match="'plugins' must be a list"):
        (tmp_path / ".cablelint.yaml").write_text("plugins: plugin.py:LongSubject\n")
        load(tmp_path / ".cablelint.yaml", allow_plugins=True)


# -- the documented example -----------------------------------------------------------------

def test_the_documented_example_pack_does_what_the_docs_say(tmp_path: Path) -> None:
    from conftest import ROOT

    doc = (ROOT / "docs" / "rule-packs.md").read_text(encoding="utf-8")
    block = doc.split("<!-- example-pack:start -->\n```yaml\n")[1].split("```")[0]
    pack = tmp_path / "corpus.yaml"
    pack.write_text(block, encoding="utf-8")
    rules = load_user_pack(pack)
    assert [r.kind for r in rules] == ["existence", "substitution", "occurrence",
                                       "conditional", "consistency"]
    body = doc.split("example stays true")[0].split("```\n1. (SBU)")[1].split("```")[0]
    text = CABLE.split("1. (SBU)")[0] + "1. (SBU)" + body
    got = run_rules(parse_text("case.txt", text), RuleSelection(list(rules)))
    expected = doc.split("```\nXC002")[1].split("```")[0]
    assert [f"{f.code} [{f.rule}] {f.message}" for f in got] == (
        "XC002" + expected).strip().splitlines()


# -- the anchored scan finds what a full regex pass finds ----------------------------------

@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["End", "end", "SUMMARY", "Summary:", "summary.", " ", "\n",
                                 "spend", "(Note:", "(NOTE.", "Comment.", "x", "İ", ".",
                                 "End of", "comment:", "BEGIN", "begin summary"]),
                max_size=40).map("".join))
def test_anchored_scan_equals_a_full_regex_pass(text: str) -> None:
    from cablelint.packrules import scan

    (rule_cls,) = [r for r in builtin_pack_rules() if r.code == "S001"]
    compiled = rule_cls._compile()
    cable = parse_text("case.txt", text)
    got = [(m.start(), m.end(), m.lastgroup) for m in scan(cable, compiled, 0, len(text))]
    want = [(m.start(), m.end(), m.lastgroup)
            for m in compiled.regex.finditer(text, 0, len(text))]
    assert got == want
