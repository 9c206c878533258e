"""IPython syntax in notebook cells, replaced line for line by placeholder lines that parse (see
tipcheck.notebook for the rules): which cells are Python at all (a cell magic, automagic), and
for those the lines that are IPython syntax (magics, shell escapes, help, autocall escapes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

# The comment must not read as a suppression directive (tipcheck's own or a bare `noqa` one).
PLACEHOLDER = "pass  # tipcheck placeholder for IPython syntax"
_ASSIGN_PLACEHOLDER = "None  # tipcheck placeholder for IPython syntax"

# Cell magics whose body is Python run in the notebook's namespace (Ruff's list).
PYTHON_CELL_MAGICS = frozenset({"capture", "debug", "ipytest", "prun", "pypy", "python", "python3", "time", "timeit"})
# A cell whose first line starts with one of these (and no assignment operator follows) uses
# automagic: the cell is shell-like, not Python (Ruff's list).
AUTOMAGICS = frozenset(
    """alias alias_magic autoawait autocall automagic bookmark cd code_wrap colors conda config debug
    dhist dirs doctest_mode edit env gui history killbgscripts load load_ext loadpy logoff logon
    logstart logstate logstop lsmagic macro magic mamba matplotlib micromamba notebook page pastebin
    pdb pdef pdoc pfile pinfo pinfo2 pip popd pprint precision prun psearch psource pushd pwd pycat
    pylab quickref recall rehashx reload_ext rerun reset reset_selective run save sc set_env sx
    system tb time timeit unalias unload_ext who who_ls whos xdel xmode""".split()
)
_ASSIGN_OPS = frozenset({"=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^="})

_ASSIGN_MAGIC = re.compile(r"([A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*)[ \t]*=[ \t]*[!%]")


_NEWLINE = re.compile(r"\r\n|\r|\n")


def line_ending(line: str) -> str:
    """The line ending a line ends with (CR LF, CR or LF), or "" for none."""
    match = _NEWLINE.search(line)
    return match.group(0) if match else ""


def _first_token(line: str) -> str:
    parts = line.split()
    return parts[0] if parts else ""


def cell_kind(lines: Sequence[str]) -> Tuple[bool, Optional[int]]:
    """(whether the cell is Python, the index of a first-line Python-bodied cell magic)."""
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return True, None
    if first == 0:
        tokens = lines[0].split()
        if tokens and tokens[0] in AUTOMAGICS and not (len(tokens) > 1 and tokens[1] in _ASSIGN_OPS):
            return False, None
    magic_line: Optional[int] = None
    token = _first_token(lines[first])
    if token.startswith("%%"):
        if token[2:] not in PYTHON_CELL_MAGICS:
            return False, None
        magic_line = first
    for k, line in enumerate(lines):
        if k != magic_line and len(_first_token(line)) >= 2 and _first_token(line).startswith("%%"):
            return False, None
    return True, magic_line


@dataclass
class _ScanState:
    string: Optional[str] = None  # the open quote: ', ", ''' or """
    depth: int = 0  # open brackets
    continued: bool = False  # the previous line ended with a backslash

    @property
    def at_statement_start(self) -> bool:
        return self.string is None and self.depth == 0 and not self.continued


def _scan(line: str, state: _ScanState) -> Tuple[_ScanState, str]:
    """The state after ``line`` and the last character of its code (outside strings and comments)."""
    string, depth = state.string, state.depth
    last = ""
    i, n = 0, len(line)
    comment = False
    while i < n:
        c = line[i]
        if string is not None:
            if c == "\\":
                i += 2
                continue
            if line.startswith(string, i):
                i += len(string)
                string = None
                last = c
                continue
            i += 1
            continue
        if c == "#":
            comment = True
            break
        if c in "'\"":
            string = c * 3 if line.startswith(c * 3, i) else c
            i += len(string)
            last = c
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        if c not in " \t\r\n\f\\":
            last = c
        i += 1
    content = line.rstrip("\r\n")
    if string is not None and len(string) == 1 and not content.endswith("\\"):
        string = None  # an unterminated one-line string: a syntax error, not our business
    continued = string is None and not comment and content.endswith("\\")
    return _ScanState(string, depth, continued), last


def placeholders(lines: List[str], magic_line: Optional[int]) -> Tuple[List[str], List[bool]]:
    """The cell's lines with IPython lines replaced, and which lines were replaced."""
    out = list(lines)
    magic = [False] * len(lines)
    state = _ScanState()
    carry: Optional[str] = None  # the indentation of a magic continued with a backslash
    for k, line in enumerate(lines):
        end = line_ending(line)
        content = line[: len(line) - len(end)]
        stripped = content.lstrip(" \t")
        indent = content[: len(content) - len(stripped)]
        if carry is not None:
            out[k], magic[k] = f"{carry}{PLACEHOLDER}{end}", True
            carry = carry if content.endswith("\\") else None
            continue
        if k == magic_line:
            out[k], magic[k] = f"{indent}{PLACEHOLDER}{end}", True
            carry = indent if content.endswith("\\") else None
            continue
        if state.at_statement_start and stripped:
            assign = _ASSIGN_MAGIC.match(stripped)
            if stripped[0] in "%!?/,;":
                out[k], magic[k] = f"{indent}{PLACEHOLDER}{end}", True
                carry = indent if content.endswith("\\") else None
                continue
            if assign is not None:
                out[k], magic[k] = f"{indent}{assign.group(1)} = {_ASSIGN_PLACEHOLDER}{end}", True
                carry = indent if content.endswith("\\") else None
                continue
            after, last = _scan(line, state)
            if last == "?" and after.at_statement_start:
                out[k], magic[k] = f"{indent}{PLACEHOLDER}{end}", True
                continue
            state = after
            continue
        state, _ = _scan(line, state)
    return out, magic
