"""How far tipcheck goes into a file, and the stack it runs on.

LibCST's parser and the tree walks after it (LibCST's visitors, the fact builders) recurse once per
level of nesting. Two kinds of input defeat them:

- nesting beyond what CPython accepts (1,500 brackets): LibCST's native parser overflows the C
  stack and the whole process dies (exit 139, no output for any file);
- deep but valid expressions (a chain of 20,000 `+`, a 3,000-link `a.b.c…` or call chain): LibCST
  parses them in time that grows faster than quadratically (minutes), and the walks after it hit
  Python's recursion limit.

So every text is first parsed by CPython (`precheck`), which is about a tenth of the cost of LibCST's
parse: its syntax errors are reported as they are, and a tree deeper than ``MAX_DEPTH`` levels is
reported as `too-complex` without being handed to LibCST. Real code stays far below the limit (the
deepest file of torch.nn is 22 levels deep). Up to that depth the analysis runs on a thread with a
large stack and a high recursion limit (`run_with_deep_stack`), so that nested code LibCST can parse
(400 chained `+`, a 400-branch `elif`, 400 implicit string concatenations) is analysed in full; a
RecursionError that still happens is turned into the same `too-complex` finding by the engine.
"""

from __future__ import annotations

import ast
import sys
import threading
import warnings
from dataclasses import dataclass
from typing import Callable, Optional, TypeVar, Union

# The deepest AST tipcheck hands to LibCST. LibCST parses a 500-deep chain in well under a second
# (a 1,000-deep call chain takes 3 s, 3,000 links 50 s).
MAX_DEPTH = 500

# The stack and recursion limit of the thread the command runs on. A level of LibCST visiting costs
# about six Python frames, some of them through C (generators): 40,000 frames cover the deepest tree
# that passes ``MAX_DEPTH`` (implicit string concatenations and boolean chains are flat in CPython's
# tree but nested in LibCST's) and stay well inside 512 MiB of stack.
STACK_SIZE = 512 * 1024 * 1024
RECURSION_LIMIT = 40_000

# CPython's own limits on nesting: the messages of the syntax errors it raises for them.
NESTING_ERRORS = ("too many nested parentheses", "too many levels of indentation", "too many statically nested blocks")


NESTED_TOO_DEEPLY = "the code nests too deeply for tipcheck's analysis (a RecursionError): this file is not checked"


@dataclass(frozen=True)
class TooComplex:
    """Why a file is not analysed, and where."""

    message: str
    row: int = 1
    column: int = 1


@dataclass(frozen=True)
class Verdict:
    """CPython's verdict on a text, before LibCST sees it."""

    python_accepts: bool  # CPython parsed it
    problem: Union[None, SyntaxError, TooComplex] = None  # why LibCST must not see it


def precheck(text: str) -> Verdict:
    """Parse a text with CPython and say whether LibCST may parse it.

    ``problem`` is a SyntaxError only for nesting beyond CPython's limits, which LibCST's parser
    must never see; for any other syntax error (code for a newer Python than this one, say) LibCST
    may try, as it may accept it. It is a `TooComplex` for a tree deeper than ``MAX_DEPTH``."""
    try:
        with warnings.catch_warnings():  # e.g. invalid escape sequences: not ours to report here
            warnings.simplefilter("ignore")
            tree = compile(text, "<tipcheck>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        nesting = any(message in str(exc.msg) for message in NESTING_ERRORS)
        return Verdict(False, exc if nesting else None)
    except (RecursionError, MemoryError):
        return Verdict(
            False,
            TooComplex(
                f"the file nests too deeply for Python's own parser (tipcheck analyses up to {MAX_DEPTH} levels)"
            ),
        )
    except (ValueError, TypeError):  # null bytes and the like: LibCST reports them
        return Verdict(False)
    return Verdict(True, too_deep(tree))


def too_deep(tree: ast.AST) -> Optional[TooComplex]:
    """A `TooComplex` at the statement that holds the first node deeper than ``MAX_DEPTH``
    levels, else None. Iterative: the tree may be deeper than Python's recursion limit."""
    stack = [(tree, 1, tree)]
    iter_child_nodes = ast.iter_child_nodes
    while stack:
        node, depth, statement = stack.pop()
        if depth == 2:
            statement = node  # a top-level statement locates the finding
        if depth > MAX_DEPTH:
            return TooComplex(
                f"this statement nests more than {MAX_DEPTH} levels deep: tipcheck does not analyse this file",
                getattr(statement, "lineno", 1) or 1,
                (getattr(statement, "col_offset", 0) or 0) + 1,
            )
        depth += 1
        stack.extend((child, depth, statement) for child in iter_child_nodes(node))
    return None


T = TypeVar("T")


def run_with_deep_stack(function: Callable[[], T]) -> T:
    """Run ``function`` on a thread with a large stack and a high recursion limit, and return what
    it returns (or raise what it raises). Worker processes forked from that thread keep its stack.
    Where no such thread can be made, ``function`` runs here as it is."""
    previous_limit = sys.getrecursionlimit()
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    try:
        previous_size = threading.stack_size(STACK_SIZE)
    except (ValueError, RuntimeError):
        return function()
    try:
        sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
        thread = threading.Thread(target=target, name="tipcheck", daemon=True)
        try:
            thread.start()
        except RuntimeError:  # no memory for that stack
            sys.setrecursionlimit(previous_limit)
            return function()
        thread.join()
    finally:
        threading.stack_size(previous_size)
        sys.setrecursionlimit(previous_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
