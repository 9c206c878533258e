"""Glob patterns translated to regular expressions, in the two dialects tipcheck reads:

- ``GLOBSET``: the config's ``exclude`` and ``per-file-ignores`` globs, with the semantics of Rust's
  globset (Ruff's matcher): ``*`` and ``?`` also match ``/``, ``**/`` matches zero or more
  folders, ``[...]`` takes its body as written (an unclosed ``[`` is a literal), ``{a,b}``
  alternatives. :class:`GlobPattern` matches one as Ruff does (the relative path, or the name).
- ``GITIGNORE``: the lines of ignore files (tipcheck.gitignore), as git's wildmatch: ``*``, ``?``
  and ``[...]`` never match ``/``; ``**`` only between slashes (or at either end) spans folders;
  a backslash escapes inside ``[...]``; an unclosed ``[`` matches nothing (re.error); no ``{}``.

Both share one translator (:func:`translate`): the star runs, the bracket scanning and the
escapes; a :class:`Dialect` says what differs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from typing import List, Optional


@dataclass(frozen=True)
class Dialect:
    name: str
    star: str  # the regex of `*` (and of a `**` that spans no folders)
    any_char: str  # the regex of `?`
    class_escapes: bool  # `\` escapes the next character inside `[...]`
    unclosed_class_is_literal: bool  # an unclosed `[` is a literal `[` (else re.error)
    alternation: bool  # `{a,b}`


GLOBSET = Dialect(
    "globset", star=".*", any_char=".", class_escapes=False, unclosed_class_is_literal=True, alternation=True
)
GITIGNORE = Dialect(
    "gitignore", star="[^/]*", any_char="[^/]", class_escapes=True, unclosed_class_is_literal=False, alternation=False
)


def _class_end(pattern: str, i: int, dialect: Dialect) -> Optional[int]:
    """The index of the `]` that closes the class opened at ``pattern[i]`` (a `]` right after the
    `[` or `[!`/`[^` is a member), or None when it is not closed."""
    n = len(pattern)
    j = i + 1
    if j < n and pattern[j] in "!^":
        j += 1
    if j < n and pattern[j] == "]":
        j += 1
    while j < n and pattern[j] != "]":
        j += 2 if dialect.class_escapes and pattern[j] == "\\" else 1
    return j if j < n else None


def _class_regex(body: str, dialect: Dialect) -> str:
    """The regex of a class's body (what is between the brackets)."""
    negate = body[:1] in ("!", "^")
    if not dialect.class_escapes:  # globset: the body as written, `!` negating as `^`
        if negate:
            body = "^" + body[1:]
        return "[" + body.replace("\\", "\\\\") + "]"
    if negate:
        body = body[1:]
    chars: List[str] = []
    k = 0
    while k < len(body):
        ch = body[k]
        if ch == "\\" and k + 1 < len(body):
            k += 1
            chars.append(re.escape(body[k]))
        elif ch == "-":
            chars.append("-")
        else:
            chars.append(re.escape(ch))
        k += 1
    return "(?!/)[" + ("^" if negate else "") + "".join(chars) + "]"


def _alternatives(pattern: str, i: int) -> Optional[list]:
    """The alternatives of the `{...}` opened at ``pattern[i]`` (nested braces kept whole),
    followed by the index of its closing `}`; None when it is not closed."""
    n = len(pattern)
    depth, j = 0, i
    while j < n:
        if pattern[j] == "{":
            depth += 1
        elif pattern[j] == "}":
            depth -= 1
            if depth == 0:
                break
        j += 1
    if j >= n:
        return None
    parts, depth, start = [], 0, i + 1
    for k in range(i + 1, j):
        if pattern[k] == "{":
            depth += 1
        elif pattern[k] == "}":
            depth -= 1
        elif pattern[k] == "," and depth == 0:
            parts.append(pattern[start:k])
            start = k + 1
    parts.append(pattern[start:j])
    return parts + [j]


def translate(pattern: str, dialect: Dialect) -> str:
    """A glob as a regular expression (to be matched whole) in ``dialect``."""
    out: List[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            at_segment_start = i == 0 or pattern[i - 1] == "/"
            if j - i >= 2 and at_segment_start and j < n and pattern[j] == "/":
                out.append("(?:.*/)?")  # `**/`: zero or more folders
                j += 1
            elif j - i >= 2 and at_segment_start and j == n:
                out.append(".*")  # `/**` at the end (or a lone `**`): everything below
            else:
                out.append(dialect.star)
            i = j
            continue
        if c == "?":
            out.append(dialect.any_char)
        elif c == "[":
            j = _class_end(pattern, i, dialect)
            if j is None:
                if not dialect.unclosed_class_is_literal:  # git's wildmatch matches nothing with it
                    raise re.error("unclosed character class")
                out.append(re.escape(c))
            else:
                out.append(_class_regex(pattern[i + 1 : j], dialect))
                i = j
        elif c == "{" and dialect.alternation:
            found = _alternatives(pattern, i)
            if found is None:
                out.append(re.escape(c))
            else:
                *parts, j = found
                out.append("(?:" + "|".join(translate(p, dialect) for p in parts) + ")")
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def globset_regex(pattern: str) -> str:
    """A config glob as a regex, with globset's default semantics (``*`` crosses ``/``)."""
    return translate(pattern, GLOBSET)


def gitignore_regex(pattern: str) -> str:
    """A gitignore glob (without its anchoring `/` or trailing `/`) as a regex; re.error for an
    unclosed ``[``."""
    return translate(pattern, GITIGNORE)


def glob_problem(pattern: str) -> Optional[str]:
    """Why ``pattern`` is not a valid glob (as globset would refuse it), or None when it is."""
    if not pattern:
        return "empty glob"
    i, n, depth = 0, len(pattern), 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = _class_end(pattern, i, GLOBSET)
            if j is None:
                return "unclosed character class: missing `]`"
            i = j + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if not depth:
                return "`}` without an opening `{` (write `[}]` for the character)"
            depth -= 1
        i += 1
    if depth:
        return "unclosed alternation: missing `}`"
    try:
        re.compile(translate(pattern, GLOBSET))
    except re.error as exc:
        return f"invalid glob ({exc.msg})"
    return None


def _posix(path: str) -> str:
    return path.replace(os.sep, "/") if os.sep != "/" else path


@dataclass(frozen=True)
class GlobPattern:
    """A glob as Ruff matches it: against the path relative to ``root``, or the file name alone.

    An absolute pattern is matched against the absolute path instead of the relative one. A
    pattern ending with ``/`` (``legacy/``) matches folders only, as in .gitignore.
    """

    pattern: str  # as written (without a leading `!`)
    root: str

    @cached_property
    def _absolute(self) -> bool:
        return os.path.isabs(self.pattern)

    @cached_property
    def dir_only(self) -> bool:
        return self.pattern.endswith("/") and bool(self.pattern.rstrip("/"))

    @cached_property
    def _body(self) -> str:
        """The pattern without the trailing `/` of a folder-only pattern."""
        return self.pattern.rstrip("/") if self.dir_only else self.pattern

    @cached_property
    def _path_regex(self) -> "re.Pattern[str]":
        pattern = _posix(self._body)
        if not self._absolute:
            while pattern.startswith("./"):
                pattern = pattern[2:]
        else:
            pattern = _posix(os.path.normpath(self._body))
        return re.compile(globset_regex(pattern), re.DOTALL)

    @cached_property
    def _name_regex(self) -> "re.Pattern[str]":
        return re.compile(globset_regex(_posix(self._body)), re.DOTALL)

    def matches(self, path: str) -> bool:
        """Whether ``path`` (absolute, or relative to the current folder) matches."""
        return self.matches_absolute(os.path.abspath(path))

    def matches_absolute(self, absolute: str, is_dir: Optional[bool] = None) -> bool:
        """Whether ``absolute`` matches; ``is_dir`` (None: look at the file system, only when it
        matters) says whether it is a folder, for a folder-only pattern."""
        if not self._matches_path(absolute):
            return False
        if not self.dir_only:
            return True
        return os.path.isdir(absolute) if is_dir is None else is_dir

    def _matches_path(self, absolute: str) -> bool:
        if self._name_regex.fullmatch(os.path.basename(absolute)):
            return True
        if self._absolute:
            return bool(self._path_regex.fullmatch(_posix(absolute)))
        relative = relative_to(absolute, self.root)
        return relative is not None and bool(self._path_regex.fullmatch(relative))


def relative_to(absolute: str, root: str) -> Optional[str]:
    """``absolute`` relative to ``root`` in posix form, or None when it is not under ``root``."""
    if absolute == root:
        return ""
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not absolute.startswith(prefix):
        return None
    return _posix(absolute[len(prefix) :])
