"""Writing fixes back: the file's encoding, BOM and line endings are kept byte for byte; a file with
nothing to fix is not touched; writes are atomic and keep the permission mode; a second run changes
nothing; fixes are re-applied until nothing changes; a fix that would break the code is dropped.

Writing through links, once per file, keeping the owner; read-only files and folders refused (as
root too: the tests run as root in CI); `lint --add-noqa` on notebooks and stdin; `fix --diff -o`;
`tipcheck clean` removing only what tipcheck wrote.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import List

import libcst as cst
import pytest
from click.testing import CliRunner
from conftest import invoke

from tipcheck import fixing
from tipcheck.cli import cli
from tipcheck.diagnostics import Applicability, Edit, Fix
from tipcheck.rules.tip201_deprecated_pretrained import DeprecatedPretrained

SOURCE = "import torchvision\nfrom torchvision import models\n\nmodel = models.resnet18(pretrained=True)\n"
FIXED = (
    "import torchvision\nfrom torchvision.models import ResNet18_Weights\nfrom torchvision import models\n\n"
    "model = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)\n"
)
UNSAFE_ONLY = "from torchvision import models\n\n\ndef build(flag):\n    return models.resnet18(pretrained=flag)\n"
OLD_MTIME_NS = 1_000_000_000 * 10**9  # 2001-09-09

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def untouched(path: Path, data: bytes) -> bool:
    return path.read_bytes() == data and path.stat().st_mtime_ns == OLD_MTIME_NS


# -- encodings and line endings ---------------------------------------------------------------


@pytest.mark.parametrize(
    "bom, newline",
    [(b"", "\r\n"), (BOM, "\n"), (BOM, "\r\n")],
    ids=["crlf", "bom", "bom+crlf"],
)
def test_bom_and_line_endings_are_kept(project, bom, newline):
    path = put(project / "train.py", bom + SOURCE.replace("\n", newline).encode("utf-8"))
    result = invoke("fix", "train.py")
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    assert data == bom + FIXED.replace("\n", newline).encode("utf-8")
    assert data.startswith(BOM) == bool(bom)
    assert data.count(BOM) == len(bom) // 3
    if newline == "\r\n":
        assert data.count(b"\n") == data.count(b"\r\n") == FIXED.count("\n")


def test_latin1_file_with_a_coding_line_round_trips(project):
    source = (
        "# -*- coding: latin-1 -*-\n"
        "# Modèle de démo, entraîné à Genève\n"
        "import torchvision\n"
        "from torchvision import models\n"
        "model = models.resnet18(pretrained=True)  # réseau pré-entraîné\n"
        "label = 'café'\n"
    )
    data = source.encode("latin-1")
    assert b"\xe8" in data  # not UTF-8
    path = put(project / "demo.py", data)
    result = invoke("fix", "demo.py")
    assert result.exit_code == 0, result.output
    expected = (
        source.replace("import torchvision\n", "import torchvision\nfrom torchvision.models import ResNet18_Weights\n")
        .replace("pretrained=True", "weights=ResNet18_Weights.IMAGENET1K_V1")
        .encode("latin-1")
    )
    assert path.read_bytes() == expected


def test_utf8_non_ascii_columns_and_fix(project):
    source = "from torchvision import models\nmodèle = models.resnet18(pretrained=True)  # é\n"
    path = put(project / "t.py", source.encode("utf-8"))
    lint = invoke("lint", "--format", "concise", "t.py")
    assert lint.stdout.startswith("t.py:2:26: TIP201 [*]")  # columns count characters
    assert invoke("fix", "t.py").exit_code == 0
    assert path.read_text("utf-8") == (
        "from torchvision import models\nfrom torchvision.models import ResNet18_Weights\n"
        "modèle = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)  # é\n"
    )


# -- files that are not changed ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"import torch\n",
        BOM + b"from torchvision import models\r\nm = models.resnet18(weights=None)\r\n",
        "# coding: latin-1\nimport torchvision  # \xe9\n".encode("latin-1"),
        UNSAFE_ONLY.encode(),  # only an unsafe fix, and no --unsafe-fixes
        b"",
    ],
    ids=["no-torchvision", "bom-crlf-clean", "latin1-clean", "unsafe-only", "empty"],
)
def test_a_file_with_nothing_to_fix_stays_byte_identical(project, data):
    path = put(project / "train.py", data)
    result = invoke("fix", "train.py")
    assert result.exit_code in (0, 1)
    assert untouched(path, data)
    assert sorted(os.listdir(project)) == ["train.py"]


def test_only_the_files_with_fixes_are_written(project):
    fixed = put(project / "a.py", SOURCE.encode())
    clean = put(project / "b.py", b"import torchvision\n")
    result = invoke("fix", ".")
    assert result.exit_code == 0
    assert fixed.read_text() == FIXED and fixed.stat().st_mtime_ns != OLD_MTIME_NS
    assert untouched(clean, b"import torchvision\n")


# -- atomic writes -----------------------------------------------------------------------------


def test_write_keeps_the_mode_and_leaves_no_temporary_file(project):
    path = put(project / "train.py", SOURCE.encode())
    path.chmod(0o754)
    inode = path.stat().st_ino
    result = invoke("fix", "train.py")
    assert result.exit_code == 0
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o754
    assert sorted(os.listdir(project)) == ["train.py"]
    # Replaced by a rename, not rewritten in place.
    assert path.stat().st_ino != inode


def test_a_failed_write_leaves_the_file_and_no_temporary_file(project, monkeypatch):
    path = put(project / "train.py", SOURCE.encode())
    other = put(project / "z.py", SOURCE.encode())

    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if os.path.basename(dst) == "train.py":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    result = invoke("fix", ".")
    assert result.exit_code == 2
    assert "error: cannot write train.py: No space left on device" in result.stderr
    assert "internal error" not in result.stderr and "please report" not in result.stderr
    assert untouched(path, SOURCE.encode())
    assert other.read_text() == FIXED  # the run went on
    assert sorted(os.listdir(project)) == ["train.py", "z.py"]
    # Not counted as fixed: its finding remains, located in the file as it is.
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.stdout
    assert "train.py:4:25: TIP201" in result.stdout and "z.py:" not in result.stdout


# -- idempotence and repeated passes -----------------------------------------------------------


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_a_second_fix_run_changes_nothing(project, unsafe):
    source = SOURCE + "\n\ndef build(flag):\n    return models.resnet18(pretrained=flag)\n"
    path = put(project / "train.py", (BOM + source.replace("\n", "\r\n").encode()))
    flags = ["--unsafe-fixes"] if unsafe else []
    first = invoke("fix", *flags, "train.py")
    assert first.exit_code == (0 if unsafe else 1)
    after_first = path.read_bytes()
    assert after_first != BOM + source.replace("\n", "\r\n").encode()
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))

    second = invoke("fix", *flags, "train.py")
    assert second.exit_code == first.exit_code
    assert untouched(path, after_first)
    if unsafe:
        assert second.stdout == "All checks passed!\n"
    else:
        assert "Found 1 error" in second.stdout  # the unsafe fix is left, as in the first run
    assert invoke("fix", "--diff", *flags, "train.py").stdout == ""


def _names(module: cst.Module, value: str) -> List[cst.Name]:
    found: List[cst.Name] = []

    class Finder(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value == value:
                found.append(node)

    module.visit(Finder())
    return found


@pytest.fixture
def one_rename_per_pass(monkeypatch):
    """TIP201 also reports the first `OLD` name only, with a safe fix renaming it to `NEW`: fixing
    every `OLD` takes one pass each."""
    original = DeprecatedPretrained.check

    def check(self, ctx):
        original(self, ctx)
        names = _names(ctx.module, "OLD")
        if names:
            start, end = ctx.range(names[0])
            ctx.report(names[0], "OLD is old", Fix((Edit(start, end, "NEW"),), "Rename to NEW", Applicability.SAFE))

    monkeypatch.setattr(DeprecatedPretrained, "check", check)


def test_fix_relints_until_nothing_changes(project, one_rename_per_pass):
    path = put(project / "train.py", (SOURCE + "OLD = 1\nsteps = OLD + OLD * OLD\n").encode())
    result = invoke("fix", "train.py")
    assert result.exit_code == 0, result.output
    assert path.read_text() == FIXED + "NEW = 1\nsteps = NEW + NEW * NEW\n"
    assert result.stdout == "Found 5 errors (5 fixed, 0 remaining).\n"


def test_fix_passes_are_bounded(project, one_rename_per_pass):
    count = fixing.MAX_FIX_PASSES + 2
    path = put(project / "train.py", ("import torchvision\n" + "OLD\n" * count).encode())
    result = invoke("fix", "train.py")
    assert result.exit_code == 1
    assert path.read_text() == "import torchvision\n" + "NEW\n" * fixing.MAX_FIX_PASSES + "OLD\n" * 2
    assert f"({fixing.MAX_FIX_PASSES} fixed, 1 remaining)" in result.stdout


# -- a fix that would break the code ---------------------------------------------------------


@pytest.fixture
def breaking_fix(monkeypatch):
    """TIP201 also reports every `steps = ...` statement with a 'safe' fix that does not parse."""
    original = DeprecatedPretrained.check

    def check(self, ctx):
        original(self, ctx)
        for statement in ctx.module.body:
            if ctx.text(statement).startswith("steps ="):
                start, end = ctx.range(statement)
                fix = Fix((Edit(start, end, "steps = ("),), "Break the code", Applicability.SAFE)
                ctx.report(statement, "steps is suspicious", fix)

    monkeypatch.setattr(DeprecatedPretrained, "check", check)


def test_a_fix_that_breaks_the_code_is_dropped_and_reported(project, breaking_fix):
    data = b"import torchvision\nsteps = 1\n"
    path = put(project / "train.py", data)
    result = invoke("fix", "train.py")
    assert result.exit_code == 1
    assert untouched(path, data)
    assert result.stderr.count("fix dropped") == 1
    assert "warning: train.py:2:1: TIP201 fix dropped: it would have made the file unparseable\n" in result.stderr
    assert "train.py:2:1: TIP201 [*] steps is suspicious" in result.stdout  # the finding remains
    assert sorted(os.listdir(project)) == ["train.py"]

    diff = invoke("fix", "--diff", "train.py")
    assert diff.stdout == ""
    assert "fix dropped" in diff.stderr
    assert untouched(path, data)


def test_a_breaking_fix_is_dropped_and_the_other_fixes_are_applied(project, breaking_fix):
    path = put(project / "train.py", (SOURCE + "steps = 1\n").encode())
    result = invoke("fix", "train.py")
    assert result.exit_code == 1
    assert path.read_text() == FIXED + "steps = 1\n"
    # Reported once, at its place in the file as written (one line lower: an import was added).
    assert result.stderr.count("fix dropped") == 1
    assert "warning: train.py:6:1: TIP201 fix dropped" in result.stderr
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.stdout


# -- links -------------------------------------------------------------------------------------


def test_fix_through_a_symbolic_link_writes_the_file_it_points_to(project):
    (project / "real").mkdir()
    target = put(project / "real" / "train.py", SOURCE.encode())
    (project / "link.py").symlink_to(os.path.join("real", "train.py"))
    result = invoke("fix", "link.py")
    assert result.exit_code == 0, result.output
    assert (project / "link.py").is_symlink()
    assert os.readlink(project / "link.py") == os.path.join("real", "train.py")
    assert target.read_text() == FIXED
    assert sorted(os.listdir(project / "real")) == ["train.py"]  # the temporary file beside the target


def test_add_noqa_through_a_symbolic_link_writes_the_file_it_points_to(project):
    target = put(project / "target.py", SOURCE.encode())
    (project / "link.py").symlink_to("target.py")
    result = invoke("lint", "--add-noqa", "link.py")
    assert result.exit_code == 0, result.output
    assert (project / "link.py").is_symlink()
    assert target.read_text().splitlines()[3].endswith("# noqa: TIP201")


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_file_reached_under_two_names_is_linted_and_fixed_once(project, link):
    (project / "real").mkdir()
    target = put(project / "real" / "train.py", SOURCE.encode())
    if link == "symbolic":
        (project / "link.py").symlink_to(os.path.join("real", "train.py"))
    else:
        os.link(target, project / "link.py")
    linted = invoke("lint", "--format", "concise", ".")
    assert linted.exit_code == 1
    findings = [line for line in linted.stdout.splitlines() if "TIP201" in line]
    # Once, and under its own name rather than the symbolic link's.
    assert len(findings) == 1
    assert findings[0].startswith("link.py:" if link == "hard" else os.path.join("real", "train.py") + ":")
    fixed = invoke("fix", ".")
    assert fixed.exit_code == 0
    assert fixed.stdout == "Found 1 error (1 fixed, 0 remaining).\n"
    assert target.read_text() == FIXED


def test_a_hard_linked_file_is_written_in_place(project):
    path = put(project / "train.py", SOURCE.encode())
    os.link(path, project / "other_name.txt")  # not a Python name: the walk does not list it
    inode = path.stat().st_ino
    result = invoke("fix", "train.py")
    assert result.exit_code == 0
    assert path.stat().st_ino == inode and path.stat().st_nlink == 2
    assert (project / "other_name.txt").read_text() == FIXED
    assert sorted(os.listdir(project)) == ["other_name.txt", "train.py"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_write_keeps_the_owner(project):
    path = put(project / "train.py", SOURCE.encode())
    os.chown(path, 4321, 4321)
    path.chmod(0o640)
    result = invoke("fix", "train.py")
    assert result.exit_code == 0, result.output
    assert path.read_text() == FIXED
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4321, 0o640)


def test_a_file_whose_owner_cannot_be_kept_by_a_rename_is_written_in_place(project, monkeypatch):
    """Not root, writing another user's file that this user may write: the owner cannot be copied
    onto a new file, so the file itself is overwritten (it keeps its owner and its inode)."""
    path = put(project / "train.py", SOURCE.encode())
    real_stat = os.stat

    def foreign_owner(target, *args, **kwargs):  # the file looks as if another user owned it
        info = real_stat(target, *args, **kwargs)
        if os.path.basename(os.fspath(target)) != "train.py":
            return info
        fields = list(info)
        fields[stat.ST_UID] += 1
        return os.stat_result(fields)

    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "stat", foreign_owner)
    monkeypatch.setattr(os, "fchown", refused)
    inode = real_stat(path).st_ino
    result = invoke("fix", "train.py")
    assert result.exit_code == 0, result.output
    assert path.read_text() == FIXED
    assert real_stat(path).st_ino == inode
    assert sorted(os.listdir(project)) == ["train.py"]


# -- permissions -------------------------------------------------------------------------------


def test_a_read_only_file_is_not_written_and_the_run_goes_on(project):
    read_only = put(project / "a.py", SOURCE.encode())
    read_only.chmod(0o444)
    other = put(project / "b.py", SOURCE.encode())
    result = invoke("fix", ".")
    assert result.exit_code == 2
    assert untouched(read_only, SOURCE.encode()) and stat.S_IMODE(read_only.stat().st_mode) == 0o444
    assert other.read_text() == FIXED
    assert "error: cannot write a.py: Permission denied (the file is read-only)" in result.stderr
    assert "internal error" not in result.stderr
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.stdout
    assert "a.py:4:25: TIP201" in result.stdout

    noqa = invoke("lint", "--add-noqa", "a.py")
    assert noqa.exit_code == 2
    assert "Added 0 noqa directives." in noqa.stdout and "cannot write a.py: Permission denied" in noqa.stderr
    assert untouched(read_only, SOURCE.encode())


def test_a_fix_in_a_read_only_folder_is_an_error_for_that_file(project):
    folder = project / "locked"
    folder.mkdir()
    path = put(folder / "train.py", SOURCE.encode())
    folder.chmod(0o555)
    try:
        result = invoke("fix", "locked")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert untouched(path, SOURCE.encode())
    assert sorted(os.listdir(folder)) == ["train.py"]
    assert (
        f"error: cannot write {os.path.join('locked', 'train.py')}: Permission denied (its folder is read-only"
        in result.stderr
    )
    assert "internal error" not in result.stderr and "please report" not in result.stderr
    assert "Found 1 error (0 fixed, 1 remaining)." in result.stdout


# -- lint --add-noqa ---------------------------------------------------------------------------


def _notebook(*cells) -> dict:
    return {
        "cells": list(cells),
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_add_noqa_on_a_notebook_comments_the_line_in_its_cell_and_keeps_the_rest(project):
    import json

    output = {"name": "stdout", "output_type": "stream", "text": ["ok\n"]}
    nb = _notebook(
        {"cell_type": "markdown", "metadata": {}, "source": ["# Training\n", "A model."]},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [],
            "source": ["import torchvision\n", "from torchvision import models"],
        },
        {"cell_type": "markdown", "metadata": {"tags": ["x"]}, "source": ["Build it:"]},
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {"scrolled": True},
            "outputs": [output],
            "source": ["%matplotlib inline\n", "model = models.resnet18(pretrained=True)\n", "print(model)"],
        },
    )
    path = put(project / "nb.ipynb", (json.dumps(nb, indent=1) + "\n").encode())
    result = invoke("lint", "--add-noqa", "nb.ipynb")
    assert result.exit_code == 0, result.output
    assert "Added 1 noqa directive." in result.stdout
    written = json.loads(path.read_text())
    expected = json.loads(json.dumps(nb))
    expected["cells"][3]["source"][1] = "model = models.resnet18(pretrained=True)  # noqa: TIP201\n"
    assert written == expected  # markdown, outputs, metadata and the magic line kept
    assert invoke("lint", "nb.ipynb").exit_code == 0


def test_add_noqa_on_stdin_always_echoes_the_source(project):
    clean = "import torchvision\r\nx = 1\r\n"
    result = CliRunner().invoke(cli, ["lint", "--add-noqa", "-", "--stdin-filename", "train.py"], input=clean.encode())
    assert result.exit_code == 0
    assert result.stdout_bytes == clean.encode()
    assert "Added 0 noqa directives." in result.stderr

    with_finding = CliRunner().invoke(cli, ["lint", "--add-noqa", "-", "--stdin-filename", "train.py"], input=SOURCE)
    assert with_finding.exit_code == 0
    assert with_finding.stdout == SOURCE.replace("(pretrained=True)\n", "(pretrained=True)  # noqa: TIP201\n")


# -- fix --diff -o -----------------------------------------------------------------------------


def test_fix_diff_goes_to_the_output_file(project):
    path = put(project / "train.py", SOURCE.encode())
    result = invoke("fix", "--diff", "-o", "changes.diff", "train.py")
    assert result.exit_code == 1
    assert result.stdout == ""
    diff = (project / "changes.diff").read_text()
    assert diff.startswith("--- a/train.py\n+++ b/train.py\n")
    assert "+model = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)\n" in diff
    assert untouched(path, SOURCE.encode())


# -- tipcheck clean ----------------------------------------------------------------------------


def test_clean_leaves_a_folder_with_another_tools_cache_tag(project):
    target = project / "target"
    target.mkdir()
    tag = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by cargo.\n"
    (target / "CACHEDIR.TAG").write_text(tag)
    (target / "build.bin").write_bytes(b"\x00data")
    result = invoke("clean", "--cache-dir", "target")
    assert result.exit_code == 2 and "not a tipcheck cache" in result.stderr
    assert sorted(os.listdir(target)) == ["CACHEDIR.TAG", "build.bin"]
    assert (target / "CACHEDIR.TAG").read_text() == tag


def test_clean_removes_only_what_tipcheck_wrote(project):
    target = project / "target"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    put(project / "train.py", SOURCE.encode())
    assert invoke("lint", "--cache-dir", "target", "train.py").exit_code == 1
    assert {"CACHEDIR.TAG", ".gitignore", "notes.txt"} < set(os.listdir(target))
    result = invoke("clean", "--cache-dir", "target")
    assert result.exit_code == 0
    assert os.listdir(target) == ["notes.txt"]
    assert "kept the folder" in result.stdout

    # A folder holding nothing but the cache goes entirely.
    assert invoke("lint", "--cache-dir", "cache", "train.py").exit_code == 1
    assert invoke("clean", "--cache-dir", "cache").exit_code == 0
    assert not (project / "cache").exists()


def test_clean_through_a_symbolic_link_removes_the_cache_it_points_to(project):
    put(project / "train.py", SOURCE.encode())
    (project / "elsewhere").mkdir()
    (project / "cache").symlink_to("elsewhere")
    assert invoke("lint", "--cache-dir", "cache", "train.py").exit_code == 1
    assert os.listdir(project / "elsewhere")
    result = invoke("clean", "--cache-dir", "cache")
    assert result.exit_code == 0
    assert os.listdir(project / "elsewhere") == []
    assert (project / "cache").is_symlink()  # kept, so it still points where the cache should go
    assert invoke("lint", "--cache-dir", "cache", "train.py").exit_code == 1
    assert os.listdir(project / "elsewhere")
