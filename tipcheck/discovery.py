"""Which files to lint: walk the given paths, skip what a Python project never wants linted.

What `.gitignore` ignores is read by tipcheck.gitignore (git itself is not run).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from tipcheck.gitignore import IgnoreRules

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
    # (path, message) for what exists but cannot be read: a path given that cannot be looked at,
    # a folder of the walk that cannot be listed ("cannot read folder: Permission denied").
    unreadable: List[Tuple[str, str]] = field(default_factory=list)
    # Folders of the walk with a .gitignore that does not apply: they are in no git work tree
    # (as in git and Ruff, .gitignore files apply inside one only). The CLI warns once.
    unapplied_gitignores: List[str] = field(default_factory=list)

    def problems(self) -> List[Tuple[str, str]]:
        """Every path given or met that could not be linted, with its message."""
        return [(path, "cannot read file: no such file or directory") for path in self.missing] + self.unreadable


def _is_virtualenv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return exc.strerror or str(exc)


def _walk(
    directory: str,
    respect_gitignore: bool,
    excluded: Optional[Callable[[str], bool]] = None,
    unreadable: Optional[List[Tuple[str, str]]] = None,
    unapplied_gitignores: Optional[List[str]] = None,
) -> Iterable[str]:
    """The Python files under ``directory``: regular files only (a FIFO would block the run, a
    device never ends), or a link to one, or a broken link (reported when read). Folder links are
    not followed. A folder that cannot be listed goes to ``unreadable``; one with a .gitignore
    outside any git work tree to ``unapplied_gitignores``."""
    stack: List[Tuple[str, Optional[IgnoreRules]]] = [(directory, None)]
    while stack:
        folder, parent_rules = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            if unreadable is not None:
                unreadable.append((folder, f"cannot read folder: {_reason(exc)}"))
            continue
        rules: Optional[IgnoreRules] = None
        if respect_gitignore:
            if parent_rules is None:
                rules = IgnoreRules.for_folder(folder)
            else:
                rules = parent_rules.enter(folder, [entry.name for entry in entries])
            if rules.root is None and unapplied_gitignores is not None and any(e.name == ".gitignore" for e in entries):
                unapplied_gitignores.append(folder)
        subfolders = []
        for entry in entries:
            name = entry.name
            path = os.path.join(folder, name)
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                if (
                    name in SKIPPED_DIRS
                    or name.endswith(".egg-info")
                    or entry.is_symlink()
                    or _is_virtualenv(path)
                    or (rules is not None and rules.ignored(path, True))
                    or (excluded and excluded(path))
                ):
                    continue
                subfolders.append(path)
                continue
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            if not is_file and not (entry.is_symlink() and not os.path.exists(path)):
                continue  # a FIFO, a device, a socket: not source
            if rules is not None and rules.ignored(path, False):
                continue
            if excluded and excluded(path):
                continue
            yield path
        stack.extend((sub, rules) for sub in reversed(subfolders))


def discover(
    paths: Iterable[str], respect_gitignore: bool = True, excluded: Optional[Callable[[str], bool]] = None
) -> Discovery:
    """Files to lint, in a deterministic order, each file once: a file reached under two names (a
    symbolic link and its target, hard links) is listed under one, so it is linted, reported and
    fixed once. ``excluded`` (the config's exclude) prunes what the walk finds; a file named
    explicitly is always linted, as in Ruff, and so is what a folder named explicitly holds, even if
    .gitignore or a default exclusion names the folder itself (but not what they name inside it)."""
    found = Discovery()
    chosen: Dict[object, str] = {}  # one name per file
    for given in paths:
        try:
            info = os.stat(given)
        except (FileNotFoundError, NotADirectoryError):
            if os.path.lexists(given):
                candidates: Iterable[str] = [given]  # a broken link: reported when read
            else:
                found.missing.append(given)
                continue
        except (OSError, ValueError) as exc:  # a folder above that cannot be entered, a loop
            reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
            found.unreadable.append((given, f"cannot read file: {reason}"))
            continue
        else:
            if stat.S_ISDIR(info.st_mode):
                candidates = _walk(given, respect_gitignore, excluded, found.unreadable, found.unapplied_gitignores)
            else:
                candidates = [given]  # named explicitly: always linted (read tells a FIFO apart)
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
