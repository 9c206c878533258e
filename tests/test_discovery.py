"""Which files are linted: `.py` files under the given paths (default `.`), minus version-control,
virtualenv, cache, build and dist folders and what `.gitignore` ignores inside a git repository; a
file named explicitly is always linted; the output order does not depend on the argument order.

Git repositories are real ones, made with `git init` in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List

import pytest
from click.testing import CliRunner

from tipcheck.cli import cli
from tipcheck.discovery import discover

FINDING = "from torchvision import models\nmodel = models.resnet18(pretrained=True)\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty current folder; git sees no repository above it and no user configuration."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path.parent))  # no global excludesFile
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def touch(path: Path, text: str = FINDING) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def files(*paths: str, respect_gitignore: bool = True) -> List[str]:
    return discover(paths or ("."), respect_gitignore=respect_gitignore).files


def linted(*args: str) -> List[str]:
    """The files `tipcheck lint` reports on, in output order (every file has one finding)."""
    result = CliRunner().invoke(cli, ["lint", "--format", "concise", *args])
    assert "Traceback" not in result.output
    return [line.split(":")[0] for line in result.stdout.splitlines() if ": " in line and "TIP201" in line]


# -- plain folders ---------------------------------------------------------------------------


def test_py_files_under_a_folder_and_nothing_else(project):
    touch(project / "train.py")
    touch(project / "stubs.pyi", "from torchvision import models\n")
    touch(project / "pkg" / "__init__.py", "")
    touch(project / "pkg" / "deep" / "model.py")
    touch(project / "notes.txt")
    touch(project / "script")  # no suffix: only linted when named
    touch(project / "train.py.orig")
    (project / "pkg" / "model.pyc").write_bytes(b"\x00\x01")
    assert files() == ["pkg/__init__.py", "pkg/deep/model.py", "stubs.pyi", "train.py"]
    assert files("pkg") == ["pkg/__init__.py", "pkg/deep/model.py"]
    assert linted() == ["pkg/deep/model.py", "train.py"]


@pytest.mark.parametrize(
    "folder",
    [
        ".git",
        ".hg",
        "__pycache__",
        "build",
        "dist",
        "venv",
        ".venv",
        ".tox",
        ".mypy_cache",
        "node_modules",
        "tipcheck.egg-info",
        "pkg/build",  # at any depth
    ],
)
def test_skipped_folders(project, folder):
    touch(project / "train.py")
    touch(project / folder / "skipped.py")
    touch(project / folder / "inner" / "skipped.py")
    assert files() == ["train.py"]


def test_a_virtualenv_under_any_name_is_skipped(project):
    touch(project / "train.py")
    touch(project / "my-env" / "pyvenv.cfg", "home = /usr/bin\n")
    touch(project / "my-env" / "lib" / "python3.11" / "site-packages" / "torchvision_thing.py")
    touch(project / "my-env" / "bin" / "tool.py")
    assert files() == ["train.py"]


def test_a_file_named_explicitly_is_always_linted(project):
    touch(project / "build" / "generated.py")
    touch(project / "venv" / "lib" / "patched.py")
    touch(project / "train")  # a script without suffix
    touch(project / "model.txt")
    assert files("build/generated.py", "venv/lib/patched.py", "train", "model.txt") == [
        "build/generated.py",
        "model.txt",
        "train",
        "venv/lib/patched.py",
    ]
    assert linted("train", "build/generated.py") == ["build/generated.py", "train"]


def test_a_skipped_folder_named_explicitly_is_walked(project):
    touch(project / "build" / "lib" / "x.py")
    assert files("build") == ["build/lib/x.py"]


# -- git repositories ------------------------------------------------------------------------


def _repo(project: Path) -> None:
    git(project, "init", "-q")
    touch(project / ".gitignore", "ignored.py\ngenerated/\n*_pb2.py\n")
    touch(project / "train.py")
    touch(project / "ignored.py")
    touch(project / "model_pb2.py")
    touch(project / "generated" / "layers.py")
    touch(project / "pkg" / "model.py")
    touch(project / "pkg" / "scratch.py")
    touch(project / "pkg" / ".gitignore", "scratch.py\n")
    touch(project / "pkg" / "untracked.py")
    git(project, "add", ".gitignore", "train.py", "pkg/model.py", "pkg/.gitignore")
    git(project, "commit", "-q", "-m", "init")


def test_gitignore_is_respected_in_a_git_repository(project):
    _repo(project)
    # Tracked and untracked-but-not-ignored files are linted; ignored ones, at any level, are not.
    assert files() == ["pkg/model.py", "pkg/untracked.py", "train.py"]
    assert linted() == ["pkg/model.py", "pkg/untracked.py", "train.py"]
    assert linted(".") == ["pkg/model.py", "pkg/untracked.py", "train.py"]


def test_gitignore_of_the_repository_applies_to_a_subfolder(project, monkeypatch):
    _repo(project)
    touch(project / "pkg" / "ops_pb2.py")  # ignored by the root .gitignore
    assert files("pkg") == ["pkg/model.py", "pkg/untracked.py"]
    monkeypatch.chdir(project / "pkg")
    assert files() == ["model.py", "untracked.py"]
    assert files("..") == ["../pkg/model.py", "../pkg/untracked.py", "../train.py"]


def test_git_info_exclude_is_respected(project):
    _repo(project)
    (project / ".git" / "info").mkdir(exist_ok=True)
    (project / ".git" / "info" / "exclude").write_text("pkg/untracked.py\n")
    assert files() == ["pkg/model.py", "train.py"]


def test_no_respect_gitignore(project):
    _repo(project)
    expected = [
        "generated/layers.py",
        "ignored.py",
        "model_pb2.py",
        "pkg/model.py",
        "pkg/scratch.py",
        "pkg/untracked.py",
        "train.py",
    ]
    assert files(respect_gitignore=False) == expected
    assert linted("--no-respect-gitignore") == expected


def test_a_gitignored_file_named_explicitly_is_linted(project):
    _repo(project)
    assert files("ignored.py", "generated/layers.py") == ["generated/layers.py", "ignored.py"]
    assert linted("ignored.py", "pkg/scratch.py", ".") == [
        "ignored.py",
        "pkg/model.py",
        "pkg/scratch.py",
        "pkg/untracked.py",
        "train.py",
    ]


def test_gitignore_outside_a_git_repository_is_not_used(project):
    # Only git decides what is ignored: a .gitignore outside any repository changes nothing.
    touch(project / ".gitignore", "ignored.py\n")
    touch(project / "ignored.py")
    touch(project / "train.py")
    assert files() == ["ignored.py", "train.py"]


def test_the_dot_git_folder_of_a_repository_is_skipped(project):
    git(project, "init", "-q")
    touch(project / ".git" / "hooks" / "hook.py")
    touch(project / "train.py")
    assert files(respect_gitignore=False) == ["train.py"]
    assert files() == ["train.py"]


def test_a_nested_repository_is_linted_with_its_own_gitignore(project):
    _repo(project)
    nested = project / "third_party" / "detr"
    touch(nested / "main.py")
    touch(nested / "wip.py")
    touch(nested / ".gitignore", "wip.py\n")
    git(nested, "init", "-q")
    # An ignored nested repository is skipped.
    ignored = project / "generated" / "other"
    touch(ignored / "x.py")
    git(ignored, "init", "-q")
    assert files() == ["pkg/model.py", "pkg/untracked.py", "third_party/detr/main.py", "train.py"]


# -- order, duplicates, missing paths --------------------------------------------------------


def test_output_order_does_not_depend_on_the_argument_order(project):
    for name in ("b.py", "a.py", "sub/c.py", "sub/a.py", "z.py", "x/d.py"):
        touch(project / name, "from torchvision import models\n\nm = models.alexnet(pretrained=True)\n" + FINDING)
    spellings = [
        ["."],
        ["z.py", "sub", "."],
        [str(project / "z.py"), "./a.py", "b.py", "sub", "x", str(project / "sub" / "a.py")],
        ["x", "sub/../sub", "b.py", "a.py", str(project), "z.py", "a.py"],
    ]
    outputs = [CliRunner().invoke(cli, ["lint", "--format", "concise", *args]).stdout for args in spellings]
    assert all(out == outputs[0] for out in outputs), outputs
    rows = [line.split(": ")[0].split(":") for line in outputs[0].splitlines() if "TIP201" in line]
    keys = [(path, int(row), int(column)) for path, row, column in rows]
    assert keys == sorted(keys)
    assert len(keys) == 12  # every file once, with two findings each
    assert [path for path, _, _ in keys[::2]] == ["a.py", "b.py", "sub/a.py", "sub/c.py", "x/d.py", "z.py"]


def test_duplicates_are_linted_once(project):
    touch(project / "a.py")
    assert files("a.py", "./a.py", str(project / "a.py"), ".") == ["a.py"]
    assert linted("a.py", "a.py", ".") == ["a.py"]


def test_a_missing_path_is_reported_and_the_others_are_linted(project):
    touch(project / "a.py")
    found = discover(["nope.py", "a.py", "gone/"])
    assert found.files == ["a.py"]
    assert found.missing == ["nope.py", "gone/"]


def test_a_broken_symlink_named_explicitly_is_reported_not_crashed_on(project):
    os.symlink(project / "nowhere.py", project / "link.py")
    result = CliRunner().invoke(cli, ["lint", "--format", "concise", "link.py"])
    assert result.exit_code == 1
    assert result.stdout.startswith("link.py:1:1: io-error cannot read file: no such file or directory")
    assert "Traceback" not in result.output
