"""Which files to lint: walk the given paths, skip what a Python project never wants linted."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Set

PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")

# Folder names that are never walked into (a file named explicitly is still linted).
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".eggs",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tipcheck_cache",
        ".ipynb_checkpoints",
        "build",
        "dist",
        "node_modules",
        "site-packages",
        "__pypackages__",
    }
)


@dataclass
class Discovery:
    files: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)  # paths given that do not exist


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _git_visible_files(directory: str) -> Optional[Set[str]]:
    """Absolute paths of the files git does not ignore under ``directory``; None outside a repo."""
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            cwd=directory,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:  # not a git work tree, or git refused
        return None
    base = os.path.abspath(directory)
    return {
        os.path.normpath(os.path.join(base, name))
        for name in result.stdout.decode("utf-8", "surrogateescape").split("\0")
        if name
    }


def _walk(directory: str, respect_gitignore: bool, excluded: Optional[Callable[[str], bool]] = None) -> Iterable[str]:
    # The files git shows, per folder: a nested repository (a submodule, or a clone inside the
    # project) is listed by its parent only as a folder, so it gets its own `git ls-files`.
    visible_in = {directory: _git_visible_files(directory) if respect_gitignore else None}
    for root, dirs, files in os.walk(directory):
        visible = visible_in.pop(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and not d.endswith(".egg-info")
            and not _is_virtualenv(os.path.join(root, d))
            and not (excluded and excluded(os.path.join(root, d)))
        )
        for d in list(dirs):
            sub = os.path.join(root, d)
            visible_in[sub] = visible
            if visible is not None and os.path.lexists(os.path.join(sub, ".git")):
                if os.path.normpath(os.path.abspath(sub)) in visible:
                    visible_in[sub] = _git_visible_files(sub)
                else:  # a repository that the parent's .gitignore ignores
                    dirs.remove(d)
                    del visible_in[sub]
        for name in sorted(files):
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            path = os.path.join(root, name)
            if visible is not None and os.path.normpath(os.path.abspath(path)) not in visible:
                continue
            if excluded and excluded(path):
                continue
            yield path


def discover(
    paths: Iterable[str], respect_gitignore: bool = True, excluded: Optional[Callable[[str], bool]] = None
) -> Discovery:
    """Files to lint, in a deterministic order, each file once: a file reached under two names (a
    symbolic link and its target, hard links) is listed under one, so it is linted, reported and
    fixed once. ``excluded`` (the config's exclude) prunes what the walk finds; a file named
    explicitly is always linted, as in Ruff."""
    found = Discovery()
    chosen: Dict[object, str] = {}  # one name per file
    for given in paths:
        if os.path.isdir(given):
            candidates = _walk(given, respect_gitignore, excluded)
        elif os.path.lexists(given):
            candidates = [given]  # named explicitly: always linted, whatever its name
        else:
            found.missing.append(given)
            continue
        for path in candidates:
            path = os.path.normpath(path)
            key = _identity(path)
            if key not in chosen or _rank(path) < _rank(chosen[key]):
                chosen[key] = path
    found.files = sorted(chosen.values())
    return found


def _identity(path: str) -> object:
    """What makes two names one file: its device and inode (a symbolic link and its target, two
    hard links), else, for a name that cannot be stat'ed, its absolute path."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return os.path.abspath(path)
    return (info.st_dev, info.st_ino)


def _rank(path: str) -> bool:
    """Of two names of one file, the one to show: a name reached through no symbolic link, else
    the first found."""
    return os.path.realpath(path) != os.path.abspath(path)
