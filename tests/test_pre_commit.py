"""The pre-commit hooks, run by the real pre-commit (`pre-commit try-repo`) against a temporary repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

BAD = """import torchvision.models as models

model = models.resnet18(pretrained=True)
"""

CLEAN = """import torchvision.models as models

model = models.resnet18(weights=None)
"""


def _pre_commit() -> list:
    exe = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (it comes with the test extra)")
    return [exe]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("project")
    _git(path, "init", "-q")
    _git(path, "config", "user.email", "test@example.com")
    _git(path, "config", "user.name", "test")
    return path


def _try_repo(project: Path, hook: str, *files: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(project.parent / "pre-commit-home"), PRE_COMMIT_COLOR="never")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    return subprocess.run(
        [*_pre_commit(), "try-repo", str(REPO), hook, "--files", *files],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hooks_fail_fix_and_pass(project):
    bad = project / "train.py"
    bad.write_text(BAD, encoding="utf-8")
    clean = project / "clean.py"
    clean.write_text(CLEAN, encoding="utf-8")
    _git(project, "add", "train.py", "clean.py")

    lint_bad = _try_repo(project, "tipcheck", "train.py")
    assert lint_bad.returncode == 1, lint_bad.stdout + lint_bad.stderr
    assert "TIP201" in lint_bad.stdout

    lint_clean = _try_repo(project, "tipcheck", "clean.py")
    assert lint_clean.returncode == 0, lint_clean.stdout + lint_clean.stderr

    fixing = _try_repo(project, "tipcheck-fix", "train.py")
    # pre-commit fails a hook that modified files, so that the fix is reviewed and staged.
    assert fixing.returncode == 1, fixing.stdout + fixing.stderr
    assert "files were modified by this hook" in fixing.stdout
    assert "weights=ResNet18_Weights.IMAGENET1K_V1" in bad.read_text(encoding="utf-8")

    _git(project, "add", "train.py")
    after = _try_repo(project, "tipcheck", "train.py")
    assert after.returncode == 0, after.stdout + after.stderr
