"""The habits Ruff users bring (issue 17): `--exit-zero`, `--output-format`, `-q/--quiet`,
`-s/--silent`, `tipcheck check`, `lint --fix`, `lint --watch`; and the short cold path: a run
whose findings all come from the cache imports neither LibCST nor the rules.

Most tests run the click group in-process; watching and the cold path need a process of their own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import invoke

from tipcheck import ruleinfo
from tipcheck.rules import ALL_RULES

# TIP201 with a safe fix (a literal flag) and TIP201 with an unsafe one (a variable flag).
MIXED = """\
import argparse
from torchvision import models

args = argparse.Namespace(pretrained=True)
model = models.resnet18(pretrained=True)
backbone = models.resnet18(pretrained=args.pretrained)
"""

CLEAN = "x = 1\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.py").write_text(MIXED, encoding="utf-8")
    return tmp_path


# -- --exit-zero ------------------------------------------------------------------------------------


def test_exit_zero_turns_findings_into_0_but_not_errors(project):
    assert invoke("lint", "train.py").exit_code == 1
    found = invoke("lint", "--exit-zero", "train.py")
    assert found.exit_code == 0 and "Found 2 errors." in found.stdout  # still reported
    assert invoke("lint", "-e", "missing.py").exit_code == 0  # an io-error finding, as Ruff's E902
    assert invoke("lint", "--exit-zero", "--select", "NOPE", "train.py").exit_code == 2
    assert invoke("fix", "--exit-zero", "--diff", "train.py").exit_code == 0  # would fix: 1 without it
    assert invoke("fix", "--diff", "train.py").exit_code == 1


# -- --output-format ------------------------------------------------------------------------------


def test_output_format_is_the_name_and_format_still_works(project):
    new = invoke("lint", "--output-format", "json", "train.py")
    old = invoke("lint", "--format", "json", "train.py")
    assert new.exit_code == old.exit_code == 1
    assert new.stdout == old.stdout and len(json.loads(new.stdout)) == 2
    assert invoke("lint", "--format", "json", "--output-format", "json", "train.py").stdout == new.stdout
    clash = invoke("lint", "--format", "json", "--output-format", "concise", "train.py")
    assert clash.exit_code == 2 and "disagree" in clash.output
    help_text = invoke("lint", "--help").stdout
    assert "--output-format" in help_text and "--format" not in help_text.replace("--output-format", "")


# -- -q/--quiet, -s/--silent ----------------------------------------------------------------------


def test_quiet_prints_the_findings_and_nothing_else(project):
    full = invoke("lint", "--output-format", "concise", "train.py")
    quiet = invoke("lint", "-q", "--output-format", "concise", "train.py")
    assert quiet.exit_code == full.exit_code == 1
    findings = [line for line in full.stdout.splitlines() if line.startswith("train.py:")]
    assert len(findings) == 2 and quiet.stdout.splitlines() == findings  # no "Found 2 errors."
    (project / "empty").mkdir()
    assert "No Python files" in invoke("lint", "empty").stderr
    assert invoke("lint", "-q", "empty").stderr == ""  # warnings are not printed either
    statistics = invoke("lint", "-q", "--statistics", "train.py")
    assert "TIP201" in statistics.stdout  # what stands for the findings is printed


def test_quiet_fix_prints_no_summary(project):
    fixed = invoke("fix", "-q", "train.py")
    assert fixed.exit_code == 1  # the unsafe fix remains
    assert "Found" not in fixed.output and fixed.stdout.count("TIP201") >= 1
    assert "weights=" in (project / "train.py").read_text(encoding="utf-8")


def test_silent_prints_nothing_but_errors_and_keeps_the_exit_code(project):
    silent = invoke("lint", "-s", "train.py")
    assert silent.exit_code == 1 and silent.output == ""
    (project / "clean.py").write_text(CLEAN, encoding="utf-8")
    assert invoke("lint", "--silent", "clean.py").exit_code == 0
    out = project / "out.json"
    assert invoke("lint", "-s", "--output-format", "json", "-o", str(out), "train.py").exit_code == 1
    assert not out.exists()  # nothing is written, as Ruff's printer in silent mode
    broken = invoke("lint", "-s", "--select", "NOPE", "train.py")
    assert broken.exit_code == 2 and "unknown rule selector" in broken.stderr  # why it failed
    assert invoke("fix", "-s", "--diff", "train.py").output == ""
    # Both: silent wins.
    assert invoke("lint", "-q", "-s", "train.py").output == ""


# -- tipcheck check, lint --fix -------------------------------------------------------------------


def test_check_is_lint(project):
    lint = invoke("lint", "--output-format", "concise", "train.py")
    check = invoke("check", "--output-format", "concise", "train.py")
    assert (check.exit_code, check.stdout) == (lint.exit_code, lint.stdout)
    assert "check" in invoke("--help").stdout


@pytest.mark.parametrize("options", [[], ["--unsafe-fixes"], ["--diff"], ["--unsafe-fixes", "--diff"]])
def test_lint_fix_is_fix(tmp_path, monkeypatch, options):
    """`lint --fix` (and `lint --diff`) do what `fix` does to the same file set: the same files
    written, the same output and exit code."""
    outcomes = []
    for command in (["fix"], ["lint", "--fix"], ["check", "--fix"]):
        folder = tmp_path / command[0]
        folder.mkdir()
        (folder / "train.py").write_text(MIXED, encoding="utf-8")
        monkeypatch.chdir(folder)
        result = invoke(*command, *options, "train.py")
        outcomes.append((result.exit_code, result.stdout, (folder / "train.py").read_text(encoding="utf-8")))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    code, _, text = outcomes[0]
    if "--diff" in options:
        assert text == MIXED and code == 1
    else:
        assert text != MIXED and code == (0 if "--unsafe-fixes" in options else 1)
    if options == ["--diff"]:  # `lint --diff` alone is `fix --diff`
        monkeypatch.chdir(tmp_path / "fix")
        assert invoke("lint", "--diff", "train.py").stdout == outcomes[0][1]


def test_lint_fix_with_statistics_counts_what_remains(project):
    result = invoke("lint", "--fix", "--statistics", "train.py")
    assert result.exit_code == 1
    [row] = [line for line in result.stdout.splitlines() if "TIP201" in line]
    assert row.split()[0] == "1"  # the safe fix was applied, the unsafe one remains


def test_fix_and_add_noqa_do_not_combine(project):
    result = invoke("lint", "--fix", "--add-noqa", "train.py")
    assert result.exit_code == 2 and "--add-noqa" in result.output
    assert (project / "train.py").read_text(encoding="utf-8") == MIXED
    assert invoke("lint", "--watch", "-").exit_code == 2


# -- --watch ----------------------------------------------------------------------------------------


def _tipcheck(*args: str) -> list:
    return [sys.executable, "-c", "from tipcheck.cli import run; run()", *args]


class _Lines:
    """The lines a process prints, read on a thread as they come."""

    def __init__(self, stream) -> None:
        self.lines: list = []
        threading.Thread(target=lambda: self.lines.extend(iter(stream.readline, "")), daemon=True).start()

    def wait_for(self, needle: str, count: int, timeout: float = 60) -> str:
        """All the text so far, once ``needle`` has been printed ``count`` times (or the timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and "".join(self.lines).count(needle) < count:
            time.sleep(0.05)
        return "".join(self.lines)


def test_watch_runs_again_on_a_change_and_stops_on_ctrl_c(tmp_path):
    (tmp_path / "train.py").write_text(MIXED, encoding="utf-8")
    env = {**os.environ, "TIPCHECK_WATCH_INTERVAL": "0.05", "TIPCHECK_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        _tipcheck("lint", "--watch", "--output-format", "concise", "train.py"),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # Ctrl-C as in a terminal
    )
    output = _Lines(proc.stdout)
    try:
        first = output.wait_for("Watching for file changes.", 1)
        assert "Starting linter in watch mode..." in first and "Found 2 errors." in first, first
        assert "File change detected" not in first
        time.sleep(0.2)  # a new modification time, whatever the file system's resolution
        (tmp_path / "train.py").write_text(CLEAN, encoding="utf-8")
        both = output.wait_for("Watching for file changes.", 2)
        second = both[len(first) :]
        assert "File change detected..." in second and "All checks passed!" in second, both
        assert "TIP201" not in second
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            errors = proc.communicate(timeout=30)[1]
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, errors
    assert "Traceback" not in errors and "interrupted" not in errors


def test_watch_ends_when_its_first_run_fails(tmp_path):
    done = subprocess.run(
        _tipcheck("lint", "--watch", "--select", "NOPE", "."),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TIPCHECK_WATCH_INTERVAL": "0.05"},
    )
    assert done.returncode == 2 and "unknown rule selector" in done.stderr


# -- the cold path ----------------------------------------------------------------------------------

# Runs `tipcheck lint ARGS` and reports, on its last line of stderr, the heavy modules it imported.
WRAPPER = textwrap.dedent(
    """
    import sys
    from tipcheck.cli import cli
    try:
        cli(["lint", *sys.argv[1:]], prog_name="tipcheck")
    except SystemExit as exc:
        code = exc.code
    heavy = sorted(m for m in sys.modules if m.split(".")[0] == "libcst" or m.startswith("tipcheck.rules"))
    print("IMPORTED " + " ".join(heavy), file=sys.stderr)
    sys.exit(code)
    """
)


def _imported(tmp_path: Path, *args: str):
    env = {
        **os.environ,
        "TIPCHECK_CACHE_DIR": str(tmp_path / "cache"),
        "TIPCHECK_CACHE_SECRET_DIR": str(tmp_path / "user"),  # the catalogue of the rules is kept there too
    }
    env.pop("TIPCHECK_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env
    )
    *_, last = done.stderr.splitlines()
    assert last.startswith("IMPORTED"), done.stderr
    return done, set(last.split()[1:])


def test_a_run_answered_by_the_cache_imports_neither_libcst_nor_the_rules(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "data.py").write_text("from torch.utils.data import DataLoader\n", encoding="utf-8")
    (tmp_path / "train.py").write_text(MIXED, encoding="utf-8")
    (tmp_path / "notes.py").write_text("x = 1  # noqa: TIP201\n", encoding="utf-8")  # TIP001: the policy runs
    args = ("--output-format", "json", ".")
    cold, imported = _imported(tmp_path, *args)
    assert cold.returncode == 1
    assert "libcst" in imported and "tipcheck.rules" in imported  # the wrapper sees them when they come
    warm, imported = _imported(tmp_path, *args)
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    assert imported == set(), imported
    # A file edited: it is analysed again, and that needs them.
    (tmp_path / "train.py").write_text(MIXED + "y = 2\n", encoding="utf-8")
    edited, imported = _imported(tmp_path, *args)
    assert edited.returncode == 1 and "libcst" in imported


def test_the_rule_catalogue_says_what_the_rules_say(tmp_path, monkeypatch):
    assert ruleinfo.catalogue() == tuple(ruleinfo._info(rule) for rule in ALL_RULES)
    assert [info.code for info in ruleinfo.catalogue()] == [rule.code for rule in ALL_RULES]
    assert {info.code for info in ruleinfo.catalogue() if info.preview} == {r.code for r in ALL_RULES if r.preview}
    assert ruleinfo.implementations(ruleinfo.catalogue()) == list(ALL_RULES)
    # Kept and read back; anything else at its place is a miss (rebuilt from the rules).
    path = str(tmp_path / "rules-x.json")
    ruleinfo._write(path, ruleinfo.catalogue())
    assert ruleinfo._read(path) == ruleinfo.catalogue()
    for broken in ("", "[]", "{}", '[{"code": "TIP101"}]', json.dumps([{**_entry(), "preview": "no"}])):
        Path(path).write_text(broken, encoding="utf-8")
        assert ruleinfo._read(path) is None, broken


def _entry() -> dict:
    return {"code": "TIP101", "name": "x", "preview": False, "project": False, "reads_linted": False}


def test_watching_sees_a_file_added_beside_the_linted_ones_and_a_config_edited(tmp_path):
    from tipcheck import watch

    (tmp_path / "a.py").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.tipcheck]\n", encoding="utf-8")
    paths = watch.watched([str(tmp_path / "a.py"), str(tmp_path / "pyproject.toml")])
    assert paths == {str(tmp_path / "a.py"), str(tmp_path / "pyproject.toml"), str(tmp_path)}
    os.utime(tmp_path, ns=(0, 0))  # the folder's time in the past: adding a file changes it
    before = watch.snapshot(paths)
    assert watch.snapshot(paths) == before
    (tmp_path / "b.py").write_text(CLEAN, encoding="utf-8")
    assert watch.snapshot(paths) != before
    before = watch.snapshot(paths)
    (tmp_path / "pyproject.toml").write_text("[tool.tipcheck]\nselect = ['TIP2']\n", encoding="utf-8")
    assert watch.snapshot(paths) != before  # its size changed, whatever the clock's resolution
