"""What the facts derive and may keep from one lint run to the next in a long-lived process (the
editor server: tipcheck.memo owns one ``Kept`` and hands it to the project facts of each run,
``ProjectFacts.kept``; a command-line run has none and derives everything afresh).

Two kinds of entries, each the result of a plain function of what it is keyed by, so that a kept
result is always the one a cold run computes:

- by top-level statement: what a fact computes from one top-level statement of a module alone
  (the blocks a walk of it finds), keyed by the statement object itself and by the name of what
  was computed (with the inputs from outside the statement it read, e.g. a set of names). A module
  re-parsed after an edit (tipcheck.reparse) shares the statements the edit did not touch: their
  results are found here, and only the touched statement is walked again. The statement is kept
  with its results, so that its id stays its own while the entry lives.
- by content: a result keyed by the text (or other plain values) it was computed from, under the
  path it belongs to, one entry per (path, name): an edit of the file replaces it.

``keep_only`` drops what belongs to statements and files that are no longer linted; the memo calls
it after each run with the trees it keeps, so the store holds no more than the project's trees.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Hashable, Iterable, Sequence, Tuple, TypeVar

import libcst as cst

T = TypeVar("T")


class Kept:
    def __init__(self) -> None:
        # id(statement) -> (the statement, {what: result})
        self._statements: Dict[int, Tuple[cst.CSTNode, Dict[Hashable, Any]]] = {}
        # (path, name) -> (key, result)
        self._contents: Dict[Tuple[str, str], Tuple[Hashable, Any]] = {}

    def statement(self, stmt: cst.CSTNode, what: Hashable, make: Callable[[cst.CSTNode], T]) -> T:
        """``make(stmt)``, computed once for this statement object and ``what``."""
        entry = self._statements.get(id(stmt))
        if entry is None or entry[0] is not stmt:
            entry = self._statements[id(stmt)] = (stmt, {})
        results = entry[1]
        if what not in results:
            results[what] = make(stmt)
        return results[what]

    def content(self, path: str, name: str, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, computed once while ``key`` (what it is a function of) stays the same."""
        known = self._contents.get((path, name))
        if known is not None and known[0] == key:
            return known[1]
        value = make()
        self._contents[(path, name)] = (key, value)
        return value

    def keep_only(self, bodies: Iterable[Sequence[cst.CSTNode]], paths: Iterable[str]) -> None:
        """Forget the statements outside ``bodies`` (the modules' top-level statements) and the
        contents of files outside ``paths``."""
        live = {id(stmt): stmt for body in bodies for stmt in body}
        self._statements = {key: entry for key, entry in self._statements.items() if live.get(key) is entry[0]}
        kept = set(paths)
        self._contents = {key: entry for key, entry in self._contents.items() if key[0] in kept}


def per_statement(
    kept: "Kept | None", body: Sequence[cst.CSTNode], what: Hashable, make: Callable[[cst.CSTNode], Iterable[T]]
) -> list:
    """The results of ``make`` for every statement of ``body``, joined in order; each statement's
    taken from ``kept`` where it is there (without a store: computed)."""
    found: list = []
    for stmt in body:
        found.extend(make(stmt) if kept is None else kept.statement(stmt, what, make))
    return found
