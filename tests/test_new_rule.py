"""Adding a rule needs only what ``scripts/new_rule.py`` writes.

In a copy of the repository, ``python scripts/new_rule.py TIP399 demo-rule`` writes the skeleton; with
nothing else edited, ``tipcheck rules`` lists the rule, ``tipcheck rule TIP399`` prints its page, the
README's rule table has its row (``scripts/rule_table.py --check`` passes), and the rule-page, corpus
and harness tests collect it: its page and cases pass, and the corpus asks for more cases of the new
family (the reason a skeleton is not a finished rule; the harness, likewise, asks for a fix).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKELETON = [
    "tipcheck/rules/tip399_demo_rule.py",
    "rules/TIP399/TIP399.md",
    "rules/TIP399/p399_demo_rule.py",
    "rules/TIP399/n399_demo_rule.py",
    "fixtures/tip399_demo_rule.py",
    "fixtures/tip399_demo_rule.expect.json",
]


def _run(args, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd), "TIPCHECK_NO_CACHE": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kwargs)


def _project_files():
    """The files of the working tree that git tracks or would (not ignored), or None without git."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    names = [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
    return [name for name in names if (ROOT / name).is_file()] or None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A copy of the repository (its working tree, without caches) with the TIP399 skeleton added."""
    copy = tmp_path_factory.mktemp("new_rule") / "repo"
    ignore = shutil.ignore_patterns(".git", "__pycache__", ".tipcheck_cache", ".pytest_cache", "*.egg-info", "reports")
    listed = _project_files()
    if listed is None:
        shutil.copytree(ROOT, copy, ignore=ignore)
    else:  # what git sees: not CI's virtual environment (.ci-venv, gigabytes) nor the real-world sources
        for name in listed:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    done = _run([sys.executable, "scripts/new_rule.py", "TIP399", "demo-rule"], copy)
    assert done.returncode == 0, done.stdout + done.stderr
    return copy


def test_the_script_writes_the_skeleton_and_the_readme_row(scratch):
    for path in SKELETON:
        assert (scratch / path).is_file(), path
    before = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    after = (scratch / "README.md").read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert added == [
        "| [TIP399](rules/TIP399/TIP399.md) | demo-rule | TODO what it finds (the README's rule table) | none |"
    ]
    assert after.index(added[0]) == after.index(next(line for line in after if line.startswith("| [TIP401]"))) - 1
    assert _run([sys.executable, "scripts/rule_table.py", "--check"], scratch).returncode == 0


def test_the_new_rule_is_listed_and_its_page_printed(scratch):
    listed = _run([sys.executable, "-m", "tipcheck", "rules"], scratch)
    assert listed.returncode == 0, listed.stderr
    codes = [line.split()[0] for line in listed.stdout.splitlines()]
    assert "TIP399" in codes and codes == sorted(codes)
    page = _run([sys.executable, "-m", "tipcheck", "rule", "TIP399"], scratch)
    assert page.returncode == 0 and page.stdout.startswith("# demo-rule (TIP399)\n"), page.stdout + page.stderr
    lint = _run([sys.executable, "-m", "tipcheck", "lint", "--select", "TIP399", "rules/TIP399", "fixtures"], scratch)
    assert lint.returncode == 1
    assert "p399_demo_rule.py:8:1: TIP399" in lint.stdout and "tip399_demo_rule.py" in lint.stdout
    assert "n399_demo_rule.py" not in lint.stdout


def test_the_rule_corpus_and_page_tests_see_it(scratch):
    done = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rA",
            "tests/test_rule_pages.py",
            "tests/test_corpus.py",
            "tests/test_harness.py",
            "-k",
            "(TIP3 or 399_ or every_fixture_has or every_page) and not cpu_and_gloo",
        ],
        scratch,
    )
    lines = done.stdout.splitlines()
    passed = {line.split()[1] for line in lines if line.startswith("PASSED ")}
    failed = {line.split()[1].split(" ")[0] for line in lines if line.startswith("FAILED ")}
    for test in (
        "test_page_headings",
        "test_example_is_reported",
        "test_use_instead_is_clean",
        "test_cli_prints_the_page",
    ):
        assert f"tests/test_rule_pages.py::{test}[TIP399]" in passed, done.stdout
    assert "tests/test_corpus.py::test_case_findings[p399_demo_rule.py]" in passed, done.stdout
    assert "tests/test_corpus.py::test_case_findings[n399_demo_rule.py]" in passed, done.stdout
    assert "tests/test_harness.py::test_every_fixture_has_a_valid_expectation" in passed, done.stdout
    # The skeleton is not a finished rule: its family has one positive and one negative case. (It
    # has no fix yet, `fixable = "never"`: its fixture is judged as a detection-only rule's, TIP506's.)
    assert failed == {"tests/test_corpus.py::test_corpus_size_and_balance[TIP3]"}, done.stdout
    assert "('TIP399', 1, 1)" in done.stdout


def test_the_harness_collects_its_fixture(scratch):
    """The harness fixture is run by test_harness (only collected here: running it takes the whole harness)."""
    done = _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "tests/test_harness.py"],
        scratch,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tests/test_harness.py::test_fixture_cpu_and_gloo[tip399_demo_rule-cpu]" in done.stdout.splitlines()
