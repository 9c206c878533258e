"""Where each node of a module lies in its text (LibCST's PositionProvider ranges), computed one
top-level statement at a time.

A rule asks for the place of a node only when it reports it (tipcheck.context.RuleContext.range).
LibCST's own way, `MetadataWrapper(module).resolve(PositionProvider)`, visits the whole tree
(rebuilding every node, as LibCST's visits do) and then generates its code; here the code of each
top-level statement is generated on its own with LibCST's position-recording codegen state, which
gives the same ranges relative to the statement's first line. Shifted by the lines before the
statement, they are the module's. What is computed for a statement is kept with the statement
object: a module re-parsed from an earlier one (tipcheck.reparse) shares the statements an edit did
not touch, and their positions are not computed again (`Positions(module, earlier)`). The line
counts of the statements also say where each statement starts (`starts`), which is what the
re-parse needs.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst._position import CodePosition, CodeRange
from libcst.metadata.position_provider import NEWLINE_RE, PositionProvider, PositionProvidingCodegenState

from tipcheck.facts.walk import children

# A statement's positions relative to its own first line, and how many lines its code takes.
_Table = Tuple[Dict[cst.CSTNode, CodeRange], int]


class Positions:
    def __init__(self, module: cst.Module, earlier: Optional["Positions"] = None) -> None:
        self.module = module
        kept = earlier._tables if earlier is not None else {}
        # By id of the statement, with the statement itself (the id stays its own while it is kept).
        self._tables: Dict[int, Tuple[cst.CSTNode, _Table]] = {
            id(stmt): kept[id(stmt)] for stmt in module.body if id(stmt) in kept and kept[id(stmt)][0] is stmt
        }
        # How many lines a statement's code takes, where its table is not made (see _lines).
        lines = earlier._lines_of if earlier is not None else {}
        self._lines_of: Dict[int, Tuple[cst.CSTNode, int]] = {
            id(stmt): lines[id(stmt)] for stmt in module.body if id(stmt) in lines and lines[id(stmt)][0] is stmt
        }
        self._starts: Optional[List[int]] = None
        self._whole: Optional[Dict[cst.CSTNode, CodeRange]] = None
        self._holders: Dict[cst.CSTNode, Optional[int]] = {}  # the answers of ``holder`` so far

    def _table(self, stmt: cst.CSTNode) -> _Table:
        known = self._tables.get(id(stmt))
        if known is None:
            provider = PositionProvider()
            state = PositionProvidingCodegenState(
                default_indent=self.module.default_indent,
                default_newline=self.module.default_newline,
                provider=provider,
            )
            stmt._codegen(state)
            known = self._tables[id(stmt)] = (stmt, (provider._computed, state.line - 1))
        return known[1]

    def starts(self) -> List[int]:
        """The 1-based line on which each top-level statement begins (its leading blank lines
        and comments included), and last the line on which the footer begins."""
        if self._starts is None:
            line = 1 + len(self.module.header)
            starts = []
            for stmt in self.module.body:
                starts.append(line)
                line += self._lines(stmt)
            starts.append(line)
            self._starts = starts
        return self._starts

    def _lines(self, stmt: cst.CSTNode) -> int:
        """How many lines the code of a top-level statement takes: from its table when it is made,
        else counted on its code, generated without recording positions (a third of the cost: the
        statement an edit touched needs its table only when a finding lies in it). Lines are counted
        token by token, as the positions' codegen state counts them."""
        known = self._tables.get(id(stmt))
        if known is not None:
            return known[1][1]
        counted = self._lines_of.get(id(stmt))
        if counted is None:
            state = CodegenState(default_indent=self.module.default_indent, default_newline=self.module.default_newline)
            stmt._codegen(state)
            count = 0
            for token in state.tokens:
                if "\n" in token or "\r" in token:
                    count += len(NEWLINE_RE.split(token)) - 1
            counted = self._lines_of[id(stmt)] = (stmt, count)
        return counted[1]

    def known_lines(self, stmt: cst.CSTNode) -> Optional[int]:
        """How many lines a statement takes, when that is known without generating its code."""
        known = self._tables.get(id(stmt))
        if known is not None and known[0] is stmt:
            return known[1][1]
        counted = self._lines_of.get(id(stmt))
        return counted[1] if counted is not None and counted[0] is stmt else None

    def note_lines(self, stmt: cst.CSTNode, count: int) -> None:
        """Take how many lines a statement of the module takes from the text it was parsed from
        (tipcheck.reparse), so that neither its positions nor its code need be made to say where
        the statements after it start."""
        if id(stmt) not in self._tables:
            self._lines_of[id(stmt)] = (stmt, count)

    def holder(self, node: cst.CSTNode) -> Optional[int]:
        """The index of the top-level statement whose code holds ``node`` (None: the module, its
        header or footer). The statements whose positions are known are looked at first: a node is
        in one statement only, and the others' positions are then not computed."""
        if node in self._holders:
            return self._holders[node]
        found = None
        tables = self._tables
        body = self.module.body
        for index, stmt in enumerate(body):
            known = tables.get(id(stmt))
            if known is not None and known[0] is stmt and node in known[1][0]:
                found = index
                break
        else:  # the other statements are searched, and only the one that holds it gets its positions
            for index, stmt in enumerate(body):
                if id(stmt) not in tables and _holds(stmt, node):
                    found = index
                    break
            else:  # whitespace, which that search skips: the positions of each statement, in turn
                for index, stmt in enumerate(body):
                    if node in self._table(stmt)[0]:
                        found = index
                        break
        self._holders[node] = found
        return found

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        index = self.holder(node)
        if index is None:
            return self._module_positions()[node]  # the module itself, its header or footer
        found = self._table(self.module.body[index])[0][node]
        shift = self.starts()[index] - 1
        return CodeRange(
            CodePosition(found.start.line + shift, found.start.column),
            CodePosition(found.end.line + shift, found.end.column),
        )

    def _module_positions(self) -> Dict[cst.CSTNode, CodeRange]:
        if self._whole is None:
            provider = PositionProvider()
            state = PositionProvidingCodegenState(
                default_indent=self.module.default_indent,
                default_newline=self.module.default_newline,
                provider=provider,
            )
            self.module._codegen(state)
            self._whole = provider._computed
        return self._whole


def _holds(stmt: cst.CSTNode, node: cst.CSTNode) -> bool:
    """Whether ``node`` is ``stmt`` or under it, whitespace left out: a walk of the tree, without
    generating its code."""
    stack = [stmt]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(children(current))
    return False
