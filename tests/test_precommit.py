"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run by the real pre-commit on a
temporary corpus repository: a commit of a broken cable is refused with its findings shown,
a clean one passes, and the fix hook repairs ``MEXICQ``.

pre-commit installs the hooks from a commit of this repository. When the working tree has
uncommitted changes to tracked files, they are committed into a temporary clone first, as
``pre-commit try-repo`` does, so that the hooks run the code being tested.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, SEED

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (it is in the test extra: "
                       "pip install '.[test]')"),
    pytest.mark.skipif(not (ROOT / ".git").exists(),
                       reason="pre-commit installs hooks from a git repository; this "
                       "checkout is not one"),
]

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
CLEAN = SAMPLES / "telegram" / "08KUALALUMPUR317.txt"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    proc = _run(["git", *args], cwd, env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _hooks_repository(tmp_path: Path, env: dict[str, str]) -> tuple[str, str]:
    """This repository and a commit holding its working tree (tracked files)."""
    head = _git(ROOT, env, "rev-parse", "HEAD")
    diff = _run(["git", "diff", "HEAD", "--binary"], ROOT, env).stdout
    if not diff:
        return str(ROOT), head
    shadow = tmp_path / "shadow"
    _git(tmp_path, env, "clone", "-q", str(ROOT), str(shadow))
    _git(shadow, env, "checkout", "-q", head)
    proc = subprocess.run(["git", "apply", "--binary", "-"], cwd=shadow, env=env, input=diff,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    _git(shadow, env, "commit", "-qam", "uncommitted changes")
    return str(shadow), _git(shadow, env, "rev-parse", "HEAD")


def _config(repo: str, rev: str, hook: str) -> str:
    return f"repos:\n-   repo: {repo}\n    rev: {rev}\n    hooks:\n    -   id: {hook}\n"


def test_hooks_refuse_a_broken_cable_pass_a_clean_one_and_fix(tmp_path: Path) -> None:
    env = _env(tmp_path)
    repo, rev = _hooks_repository(tmp_path, env)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _git(corpus, env, "init", "-q")
    (corpus / ".pre-commit-config.yaml").write_text(_config(repo, rev, "cablelint"))
    # The corpus's own rule selection (the seed has other true findings, e.g. page breaks).
    (corpus / ".cablelint.yaml").write_text("select: [E, P001, M001, H001, D001, T001]\n")
    (corpus / "README.md").write_text("# A corpus\n\nNot a cable: --force-exclude skips it.\n")
    (corpus / "cables").mkdir()
    (corpus / "cables" / "clean.txt").write_bytes(CLEAN.read_bytes())
    proc = _run([*PRE_COMMIT, "install"], corpus, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # A clean cable (and a README) is committed.
    _git(corpus, env, "add", ".")
    proc = _run(["git", "commit", "-m", "a clean cable"], corpus, env)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "cablelint" in output and "Passed" in output

    # A broken cable is refused, with its findings shown.
    seed = corpus / "cables" / "seed.txt"
    seed.write_bytes(SEED.read_bytes())
    _git(corpus, env, "add", ".")
    proc = _run(["git", "commit", "-m", "a broken cable"], corpus, env)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Failed" in output
    assert "cables/seed.txt:93:17: T001 [ocr-confusion] 'MEXICQ' is an OCR misreading of " \
        "'MEXICO'" in output
    assert _git(corpus, env, "rev-list", "--count", "HEAD") == "1", "the commit was refused"

    # The fix hook repairs MEXICQ: the commit stops (files were modified), then passes.
    (corpus / ".pre-commit-config.yaml").write_text(_config(repo, rev, "cablelint-fix"))
    _git(corpus, env, "add", ".")
    proc = _run(["git", "commit", "-m", "with the fix hook"], corpus, env)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "files were modified by this hook" in output
    assert seed.read_bytes() == SEED.read_bytes().replace(b"MEXICQ", b"MEXICO")
    _git(corpus, env, "add", ".")
    proc = _run(["git", "commit", "-m", "a repaired cable"], corpus, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _git(corpus, env, "rev-list", "--count", "HEAD") == "2"


def test_try_repo_runs_this_repository_hooks(tmp_path: Path) -> None:
    """``pre-commit try-repo`` on this repository, as its README tells a corpus to try it."""
    env = _env(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _git(corpus, env, "init", "-q")
    (corpus / "seed.txt").write_bytes(SEED.read_bytes())
    _git(corpus, env, "add", ".")
    proc = _run([*PRE_COMMIT, "try-repo", str(ROOT), "cablelint-fix"], corpus, env)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "files were modified by this hook" in output
    assert (corpus / "seed.txt").read_bytes() == SEED.read_bytes().replace(b"MEXICQ", b"MEXICO")
