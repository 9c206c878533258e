"""Paths that are not plain readable source files: a FIFO or a device (which would block the run
or never end), a file over the size cap, a folder that cannot be listed, a path under a folder
that cannot be entered. Each gets one clear io-error finding, or is skipped during a walk, and the
run goes on.

The runs that could hang or eat the memory on a regression run in a subprocess with a timeout and
a memory limit. Permission cases are simulated in-process (the tests may run as root, who can
read a 0o000 folder), and also tried for real when not root.
"""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke

import tipcheck
import tipcheck.discovery
from tipcheck.discovery import discover
from tipcheck.source import MAX_NOTEBOOK_BYTES, MAX_SOURCE_BYTES, SourceError, read_bytes

FINDING = "from torchvision import models\nmodel = models.resnet18(pretrained=True)\n"
TIP201_LINE = "train.py:2:25: TIP201 [*] `resnet18(pretrained=True)` uses the deprecated `pretrained` parameter"
HAS_FIFO = hasattr(os, "mkfifo")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.py").write_text(FINDING)
    return tmp_path


def _limit_memory() -> None:  # in the child: a regression fails with MemoryError, not the machine
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_tipcheck(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """The real entry point, bounded in time and memory."""
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(tipcheck.__file__)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PYTHONPATH"] = package_parent + os.pathsep + env.get("PYTHONPATH", "")
    env["TIPCHECK_NO_CACHE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "tipcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        preexec_fn=_limit_memory,
    )


# -- FIFOs and devices -------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_FIFO, reason="no FIFOs here")
def test_a_fifo_found_in_a_walk_is_skipped(project):
    os.mkfifo(project / "pipe.py")  # nobody ever writes to it: reading it would block forever
    assert discover(["."]).files == ["train.py"]
    done = run_tipcheck(project, "lint", "--format", "concise", ".")
    assert done.returncode == 1, done.stderr
    assert done.stdout == TIP201_LINE + "\nFound 1 error.\n[*] 1 fixable with `tipcheck fix`.\n"


@pytest.mark.skipif(not HAS_FIFO, reason="no FIFOs here")
def test_a_fifo_named_explicitly_is_reported(project):
    os.mkfifo(project / "pipe.py")
    done = run_tipcheck(project, "lint", "--format", "concise", "pipe.py", "train.py")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(
        "pipe.py:1:1: io-error cannot read file: not a regular file (a FIFO)\n" + TIP201_LINE + "\n"
    )
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("command", ["lint", "fix"])
def test_a_device_named_explicitly_is_reported_not_read(project, command):
    done = run_tipcheck(project, command, "--format", "concise", "/dev/zero", "train.py")
    assert done.returncode == 1, done.stderr
    assert "/dev/zero:1:1: io-error cannot read file: not a regular file (a character device)\n" in done.stdout
    assert "Traceback" not in done.stderr + done.stdout


def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path):
    with pytest.raises(SourceError, match="is a directory"):
        read_bytes(str(tmp_path))
    if os.path.exists("/dev/null"):
        with pytest.raises(SourceError, match=r"not a regular file \(a character device\)"):
            read_bytes("/dev/null")


# -- the size cap --------------------------------------------------------------------------------


def test_a_file_over_the_cap_is_reported_and_the_run_goes_on(project):
    line = b"# " + b"x" * 1021 + b"\n"  # 1 KiB
    (project / "huge.py").write_bytes(line * (MAX_SOURCE_BYTES // len(line)) + b"x = 1\n")
    (project / "at_cap.py").write_bytes(line * (MAX_SOURCE_BYTES // len(line)))  # exactly the cap
    assert (project / "at_cap.py").stat().st_size == MAX_SOURCE_BYTES
    size = (project / "huge.py").stat().st_size
    result = invoke("lint", "--no-cache", "--format", "concise", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        f"huge.py:1:1: io-error cannot read file: file too large ({size} bytes; the limit is 10 MiB)",
        TIP201_LINE,
    ]


def test_read_bytes_reads_at_most_the_cap(tmp_path, monkeypatch):
    # A file that grows after it was looked at (or lies about its size) is still cut off.
    path = tmp_path / "growing.py"
    path.write_bytes(b"x = 1\n" * 10)
    real_fstat = os.fstat

    class Small:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 0

    monkeypatch.setattr(tipcheck.source.os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(SourceError, match=r"file too large \(over 20 bytes; the limit is 20 bytes\)"):
        read_bytes(str(path), limit=20)
    assert read_bytes(str(path), limit=60) == b"x = 1\n" * 10


def test_notebooks_have_a_larger_cap():
    assert MAX_NOTEBOOK_BYTES > MAX_SOURCE_BYTES


# -- folders that cannot be read -----------------------------------------------------------------


def _deny(monkeypatch, name: str) -> None:
    """Make the folder ``name`` unreadable to tipcheck: listing it and looking inside it fail."""
    real_scandir, real_stat = os.scandir, os.stat

    def denied(path) -> bool:
        return name in Path(os.fspath(path)).parts

    def scandir(path="."):
        if denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def stat(path, *args, **kwargs):
        parts = Path(os.fspath(path)).parts
        if name in parts and parts[-1] != name:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(tipcheck.discovery.os, "scandir", scandir)
    monkeypatch.setattr(tipcheck.discovery.os, "stat", stat)


def test_a_folder_that_cannot_be_listed_is_reported(project, monkeypatch):
    (project / "secret").mkdir()
    (project / "secret" / "model.py").write_text(FINDING)
    _deny(monkeypatch, "secret")
    found = discover(["."])
    assert found.files == ["train.py"]
    assert found.unreadable == [("./secret", "cannot read folder: Permission denied")]
    result = invoke("lint", "--format", "concise", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == ["secret:1:1: io-error cannot read folder: Permission denied", TIP201_LINE]


def test_a_file_in_a_folder_that_cannot_be_entered_is_not_called_missing(project, monkeypatch):
    (project / "secret").mkdir()
    (project / "secret" / "model.py").write_text(FINDING)
    _deny(monkeypatch, "secret")
    result = invoke("lint", "--format", "concise", "secret/model.py", "train.py", "nope.py")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:3] == [
        "nope.py:1:1: io-error cannot read file: no such file or directory",
        "secret/model.py:1:1: io-error cannot read file: Permission denied",
        TIP201_LINE,
    ]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_a_real_unreadable_folder(project):
    secret = project / "secret"
    secret.mkdir()
    (secret / "model.py").write_text(FINDING)
    secret.chmod(0)
    try:
        result = invoke("lint", "--format", "concise", ".")
        assert result.stdout.splitlines()[:2] == [
            "secret:1:1: io-error cannot read folder: Permission denied",
            TIP201_LINE,
        ]
        result = invoke("lint", "--format", "concise", "secret/model.py")
        assert result.stdout.startswith("secret/model.py:1:1: io-error cannot read file: Permission denied\n")
    finally:
        secret.chmod(0o755)
