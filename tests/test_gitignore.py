""".gitignore is read by tipcheck itself (tipcheck.gitignore), so it applies where git cannot run:
git missing from PATH, or git refusing the repository ("dubious ownership", common in Docker and
CI). The matching is checked against git's own answers where git is installed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import List

import pytest
from click.testing import CliRunner

from tipcheck.cli import cli
from tipcheck.discovery import discover
from tipcheck.gitignore import IgnoreRules, parse_line

HAS_GIT = shutil.which("git") is not None


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty current folder; no repository above it and no user-wide git configuration."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def touch(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_repo(root: Path) -> None:
    """A work tree as git makes it, without running git: only `.git` matters to tipcheck."""
    (root / ".git" / "info").mkdir(parents=True)


def files(*paths: str) -> List[str]:
    return discover(paths or (".",)).files


BROKEN = "import os\ndef f(:\n"  # a finding (invalid-syntax) in any file that is linted


def broken_files(*args: str) -> List[str]:
    """The files a CLI run lints (each holds a syntax error, so each linted file shows up)."""
    result = CliRunner().invoke(cli, ["lint", "--no-cache", "--format", "concise", *args])
    assert "Traceback" not in result.output
    return sorted(line.split(":")[0] for line in result.stdout.splitlines() if "invalid-syntax" in line)


# -- git cannot run: the rules still apply -------------------------------------------------------


def _ignored_repo(project: Path) -> None:
    make_repo(project)
    touch(project / ".gitignore", "ignored.py\ngenerated/\n")
    for name in ("train.py", "ignored.py", "generated/layers.py", "pkg/model.py"):
        touch(project / name, BROKEN)


def test_gitignore_applies_when_git_is_not_on_path(project, monkeypatch, tmp_path):
    _ignored_repo(project)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert files() == ["pkg/model.py", "train.py"]
    assert broken_files() == ["pkg/model.py", "train.py"]


def test_gitignore_applies_when_git_refuses_the_repository(project, monkeypatch, tmp_path):
    # What git says in a container whose checkout belongs to another user.
    _ignored_repo(project)
    fake = tmp_path / "fake-bin"
    fake.mkdir()
    script = fake / "git"
    script.write_text("#!/bin/sh\necho \"fatal: detected dubious ownership in repository at '$PWD'\" >&2\nexit 128\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ.get('PATH', '')}")
    assert files() == ["pkg/model.py", "train.py"]
    assert broken_files() == ["pkg/model.py", "train.py"]


def test_gitignore_outside_a_work_tree_is_not_used(project):
    touch(project / ".gitignore", "ignored.py\n")
    touch(project / "ignored.py")
    touch(project / "train.py")
    assert files() == ["ignored.py", "train.py"]


def test_a_gitignore_that_does_not_apply_is_warned_about_once(project):
    # Outside a work tree git ignores it, and so does tipcheck (as Ruff does); it says so once.
    touch(project / ".gitignore", "ignored.py\n")
    touch(project / "sub" / ".gitignore", "other.py\n")
    touch(project / "ignored.py", BROKEN)
    result = CliRunner().invoke(cli, ["lint", "--no-cache", "--format", "concise", "."])
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert ".gitignore (and 1 more) not applied: not inside a git repository" in warnings[0]
    assert "ignored.py" in result.stdout
    make_repo(project)
    result = CliRunner().invoke(cli, ["lint", "--no-cache", "--format", "concise", "."])
    assert "not applied" not in result.stderr
    assert "ignored.py" not in result.stdout


def test_a_work_tree_whose_dot_git_is_a_file(project):
    # A submodule or a linked worktree: `.git` is a file naming the git folder, which holds
    # info/exclude.
    git_dir = project.parent / "elsewhere.git"
    (git_dir / "info").mkdir(parents=True)
    (git_dir / "info" / "exclude").write_text("local_*.py\n")
    (project / ".git").write_text(f"gitdir: {git_dir}\n")
    touch(project / ".gitignore", "ignored.py\n")
    for name in ("train.py", "ignored.py", "local_notes.py"):
        touch(project / name)
    assert files() == ["train.py"]


def test_a_nested_repository_starts_afresh(project):
    make_repo(project)
    touch(project / ".gitignore", "*_pb2.py\nvendor/skip/\n")
    nested = project / "vendor" / "lib"
    make_repo(nested)
    touch(nested / ".gitignore", "wip.py\n")
    touch(nested / "model_pb2.py")  # the parent's pattern does not reach into another repository
    touch(nested / "wip.py")
    touch(nested / "main.py")
    touch(project / "vendor" / "skip" / "x.py")
    make_repo(project / "vendor" / "skip")  # a repository the parent ignores is not entered
    touch(project / "msg_pb2.py")
    assert files() == ["vendor/lib/main.py", "vendor/lib/model_pb2.py"]


def test_a_folder_named_explicitly_is_walked_even_if_ignored(project):
    # As a file named explicitly is linted (and as Ruff walks a folder it is given); the patterns
    # of the folders above still apply inside it.
    make_repo(project)
    touch(project / ".gitignore", "generated/\n*_pb2.py\n")
    touch(project / "generated" / "layers.py")
    touch(project / "generated" / "ops_pb2.py")
    assert files() == []
    assert files("generated") == ["generated/layers.py"]


def test_global_excludes_file_at_its_default_place(project, tmp_path, monkeypatch):
    make_repo(project)
    config = tmp_path / "config"
    touch(config / "git" / "ignore", "scratch_*.py\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    touch(project / "scratch_1.py")
    touch(project / "keep.py")
    touch(project / ".gitignore", "!scratch_keep.py\n")
    touch(project / "scratch_keep.py")  # a .gitignore overrides the global file
    assert files() == ["keep.py", "scratch_keep.py"]


def test_ceiling_directories_stop_the_search_for_a_repository(project, tmp_path, monkeypatch):
    make_repo(project)
    touch(project / ".gitignore", "ignored.py\n")
    touch(project / "sub" / "ignored.py")
    assert files("sub") == []
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(project))
    assert IgnoreRules.for_folder(str(project / "sub")).root is None
    assert files("sub") == ["sub/ignored.py"]


# -- the patterns, against git ----------------------------------------------------------------

GITIGNORE = r"""
# a comment, then a blank line

\#hash.py
\!bang.py
trailing.py   
space\ .py
*.gen.py
!keep.gen.py
/anchored.py
dironly/
nested/deep/
**/anywhere/x.py
top/**/bottom.py
everything/**
a?c.py
[bc]at.py
[!m]ouse.py
[a-c]ange.py
x*/y.py
literal[.py
shut/
!shut/keep.py
logs/**
!logs/keep.py
**/cache
mid/**/
Case.py
"""

SUB_GITIGNORE = """
!re_included.gen.py
local.py
/sub_anchored.py
"""

PATHS = [
    "#hash.py",
    "!bang.py",
    "hash.py",
    "bang.py",
    "trailing.py",
    "space .py",
    "space.py",
    "a.gen.py",
    "sub/b.gen.py",
    "keep.gen.py",
    "sub/re_included.gen.py",
    "anchored.py",
    "sub/anchored.py",
    "dironly/f.py",
    "sub/dironly/f.py",
    "dironly.py",
    "nested/deep/f.py",
    "deep/f.py",
    "sub/nested/deep/f.py",
    "anywhere/x.py",
    "a/b/anywhere/x.py",
    "anywhere/y.py",
    "top/bottom.py",
    "top/a/b/bottom.py",
    "sub/top/bottom.py",
    "everything/a/b.py",
    "abc.py",
    "ac.py",
    "a/c.py",
    "bat.py",
    "cat.py",
    "rat.py",
    "house.py",
    "mouse.py",
    "bange.py",
    "dange.py",
    "xa/y.py",
    "x/y.py",
    "xa/b/y.py",
    "literal[.py",
    "sub/local.py",
    "local.py",
    "sub/sub_anchored.py",
    "sub/deeper/sub_anchored.py",
    "plain.py",
    "sub/plain.py",
    "shut/keep.py",
    "shut/other.py",
    "logs/keep.py",
    "logs/a/b.py",
    "cache/x.py",
    "a/cache/y.py",
    "mid/top.py",
    "mid/x/y.py",
    "Case.py",
    "case.py",
]


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_patterns_match_what_git_ignores(project):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, capture_output=True)
    touch(project / ".gitignore", GITIGNORE)
    touch(project / "sub" / ".gitignore", SUB_GITIGNORE)
    for path in PATHS:
        touch(project / path)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--others", "--exclude-standard"], cwd=project, check=True, capture_output=True
    ).stdout.decode()
    expected = sorted(name for name in listed.split("\0") if name.endswith(".py"))
    assert len(expected) > 10 and len(PATHS) - len(expected) > 20  # both sides are exercised
    assert files() == expected


@pytest.mark.parametrize(
    "line, kept",
    [
        ("", False),
        ("# comment", False),
        ("   ", False),
        ("!", False),
        ("/", False),
        ("[z-a].py", False),
        ("[ab.py", False),
        ("x.py", True),
    ],
)
def test_lines_that_are_not_patterns(line, kept):
    assert (parse_line(line) is not None) == kept


def test_no_respect_gitignore_lints_ignored_files(project):
    _ignored_repo(project)
    assert broken_files("--no-respect-gitignore") == ["generated/layers.py", "ignored.py", "pkg/model.py", "train.py"]
