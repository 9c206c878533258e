"""What `.gitignore` ignores, read from the ignore files themselves: git is never run.

Running `git ls-files` fails where tipcheck must not: git missing from PATH, or refusing a
repository it does not own (the "dubious ownership" check, common in Docker and CI). So the rules
are read here, as Ruff and ripgrep read them:

- Only inside a git work tree: a folder with a ``.git`` entry (a folder, or a file as in
  submodules and worktrees), or a folder below one. A ``.gitignore`` outside any repository is
  not used (git would not use it either). ``GIT_CEILING_DIRECTORIES`` is honoured when looking up.
- The sources, lowest precedence first: the global excludes file at its default place
  (``$XDG_CONFIG_HOME/git/ignore``, else ``~/.config/git/ignore``; a ``core.excludesFile`` set in
  a git config is not read), the repository's ``info/exclude``, then the ``.gitignore`` of each
  folder from the repository's root down to the file. The deepest file that has a matching line
  decides, and within a file the last matching line wins (``!`` re-includes).
- Patterns as git's gitignore(5): blank lines and ``#`` comments are skipped; ``\\#``, ``\\!``
  and ``\\ `` escape; unescaped trailing spaces are dropped; a ``/`` at the start or in the middle
  anchors the pattern to the folder of its file (otherwise it matches a name at any depth); a
  trailing ``/`` matches folders only; ``*``, ``?`` and ``[...]`` do not match ``/``; ``**/``,
  ``/**/`` and ``/**`` match any number of folders.
- A file or folder whose parent folder is ignored is ignored (the walk does not enter an ignored
  folder, and git cannot re-include below it). A nested repository starts afresh with its own
  rules; whether it is entered at all is decided by its parent's.
- Unlike ``git ls-files``, a tracked file that matches is ignored too (as in Ruff and ripgrep).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from tipcheck.globs import gitignore_regex

__all__ = ["IgnoreRules", "Pattern", "parse_lines", "repository_root"]


@dataclass(frozen=True)
class Pattern:
    """One line of an ignore file."""

    regex: "re.Pattern[str]"
    negated: bool  # `!pattern`: re-include
    dir_only: bool  # `pattern/`: folders only
    anchored: bool  # matched against the path from the file's folder, not just the name

    def matches(self, relative: str, name: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        return bool(self.regex.fullmatch(relative if self.anchored else name))


def _strip_trailing_spaces(line: str) -> str:
    end = len(line)
    while end and line[end - 1] == " ":
        backslashes = 0
        k = end - 2
        while k >= 0 and line[k] == "\\":
            backslashes += 1
            k -= 1
        if backslashes % 2:  # `\ `: an escaped space stays
            break
        end -= 1
    return line[:end]


def parse_line(line: str) -> Optional[Pattern]:
    """The pattern of one line, or None for a blank line, a comment or a pattern git rejects."""
    line = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/") and not line.endswith("\\/")
    if dir_only:
        line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    if line.startswith("/"):
        line = line[1:]
    try:
        regex = re.compile(gitignore_regex(line), re.DOTALL)
    except re.error:  # `[z-a]`, an unclosed `[`: git matches nothing with it
        return None
    return Pattern(regex, negated, dir_only, anchored)


def parse_lines(lines: Sequence[str]) -> Tuple[Pattern, ...]:
    return tuple(p for p in map(parse_line, lines) if p is not None)


def _read_patterns(path: str) -> Tuple[Pattern, ...]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(1024 * 1024)
    except OSError:
        return ()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return parse_lines(data.decode("utf-8", "surrogateescape").split("\n"))


@dataclass(frozen=True)
class _IgnoreFile:
    base: str  # the folder of the file, relative to the repository root ("" for the root), posix
    patterns: Tuple[Pattern, ...]

    def decide(self, relative: str, name: str, is_dir: bool) -> Optional[bool]:
        """True: ignored, False: re-included, None: no line matches (``relative`` is from the root)."""
        if self.base:
            if not relative.startswith(self.base) or relative[len(self.base) : len(self.base) + 1] != "/":
                return None
            relative = relative[len(self.base) + 1 :]
        for pattern in reversed(self.patterns):
            if pattern.matches(relative, name, is_dir):
                return not pattern.negated
        return None


def _global_excludes() -> Tuple[Pattern, ...]:
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return _read_patterns(os.path.join(config, "git", "ignore"))


def _git_dir(root: str) -> Optional[str]:
    """The git folder of a work tree's root: `.git` itself, or where a `.git` file points
    (`gitdir: ...`), then its common folder for a linked worktree."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        git_dir = dot_git
    else:
        try:
            with open(dot_git, "r", encoding="utf-8", errors="surrogateescape") as handle:
                first = handle.readline().strip()
        except OSError:
            return None
        if not first.startswith("gitdir:"):
            return None
        git_dir = os.path.join(root, first[len("gitdir:") :].strip())
    try:
        with open(os.path.join(git_dir, "commondir"), "r", encoding="utf-8", errors="surrogateescape") as handle:
            git_dir = os.path.join(git_dir, handle.readline().strip())
    except OSError:
        pass
    return git_dir


def _ceilings() -> Tuple[str, ...]:
    value = os.environ.get("GIT_CEILING_DIRECTORIES", "")
    return tuple(os.path.normpath(os.path.abspath(p)) for p in value.split(os.pathsep) if p)


def repository_root(folder: str) -> Optional[str]:
    """The root of the git work tree that holds ``folder`` (absolute), or None."""
    current = os.path.normpath(os.path.abspath(folder))
    ceilings = _ceilings()
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current or parent in ceilings:
            return None
        current = parent


class IgnoreRules:
    """The ignore rules in force in one folder of a walk (see the module docstring).

    ``IgnoreRules.for_folder(path)`` starts a walk; ``rules.enter(sub, names)`` gives the rules
    inside a sub-folder from its entry names; ``rules.ignored(path, is_dir)`` answers for an
    entry of the folder. Outside a repository nothing is ignored until a repository is entered.
    """

    def __init__(self, root: Optional[str], files: Tuple[_IgnoreFile, ...]) -> None:
        self.root = root  # the repository's root (absolute), None outside any repository
        self.files = files

    @classmethod
    def for_folder(cls, folder: str) -> "IgnoreRules":
        """The rules in force inside ``folder``: those of its repository, from the root down."""
        folder = os.path.normpath(os.path.abspath(folder))
        root = repository_root(folder)
        if root is None:
            return cls(None, ())
        rules = cls._repository(root)
        if folder != root:
            relative = os.path.relpath(folder, root)
            current = root
            for part in relative.split(os.sep):
                current = os.path.join(current, part)
                rules = rules._with_gitignore(current)
        return rules

    @classmethod
    def _repository(cls, root: str) -> "IgnoreRules":
        files = [_IgnoreFile("", _global_excludes())]
        git_dir = _git_dir(root)
        if git_dir is not None:
            files.append(_IgnoreFile("", _read_patterns(os.path.join(git_dir, "info", "exclude"))))
        rules = cls(root, tuple(f for f in files if f.patterns))
        return rules._with_gitignore(root)

    def _with_gitignore(self, folder: str) -> "IgnoreRules":
        patterns = _read_patterns(os.path.join(folder, ".gitignore"))
        if not patterns or self.root is None:
            return self
        base = self._relative(folder)
        return IgnoreRules(self.root, self.files + (_IgnoreFile(base, patterns),))

    def enter(self, folder: str, names: Sequence[str]) -> "IgnoreRules":
        """The rules inside ``folder`` (an entry this walk did not ignore), given its entries'
        names: a ``.git`` entry starts a repository, a ``.gitignore`` adds its lines."""
        folder = os.path.normpath(os.path.abspath(folder))
        if ".git" in names and folder != self.root:
            return IgnoreRules._repository(folder)
        if ".gitignore" in names:
            return self._with_gitignore(folder)
        return self

    def _relative(self, path: str) -> str:
        relative = os.path.relpath(path, self.root)
        return "" if relative == "." else relative.replace(os.sep, "/")

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether the entry ``path`` (of the folder these rules are for) is ignored."""
        if self.root is None or not self.files:
            return False
        absolute = os.path.abspath(path)
        prefix = self.root if self.root.endswith(os.sep) else self.root + os.sep
        if not absolute.startswith(prefix):
            return False  # the root itself, or outside the repository
        relative = absolute[len(prefix) :]
        if os.sep != "/":
            relative = relative.replace(os.sep, "/")
        name = relative.rsplit("/", 1)[-1]
        for ignore_file in reversed(self.files):
            decision = ignore_file.decide(relative, name, is_dir)
            if decision is not None:
                return decision
        return False
