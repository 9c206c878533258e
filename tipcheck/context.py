"""What a rule sees of one file: its source, tree and facts, and the means to report on it."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from tipcheck.diagnostics import Diagnostic, Fix
from tipcheck.facts import ModuleFacts
from tipcheck.positions import Positions
from tipcheck.source import SourceFile


class RuleContext:
    def __init__(self, source: SourceFile, module: cst.Module, facts: ModuleFacts, project=None) -> None:
        self.source = source
        self.module = module
        self.facts = facts
        self.project = project  # tipcheck.facts.training.ProjectFacts, for project rules
        # What the facts keep from run to run in a long-lived process (tipcheck.facts.kept: results
        # kept with the top-level statements an edit did not touch); None on the command line.
        self.kept = getattr(project, "kept", None)
        self.diagnostics: List[Diagnostic] = []
        self._positions: Optional[Dict[cst.CSTNode, object]] = None
        self._rule = None  # the rule running now (set_rule)
        self._once: Dict[str, object] = {}

    # -- the rule running ----------------------------------------------------------------------
    def set_rule(self, rule) -> None:
        """Make ``rule`` (a tipcheck.rules.base.Rule) the one whose code and name report() gives
        the findings; the engine calls it before it runs each rule on this context."""
        self._rule = rule

    @property
    def rule(self):
        """The rule running now (None before the first)."""
        return self._rule

    def once(self, name: str, make):
        """``make(self)``, computed once for this file and run: what a rule or fix derives from the
        whole module (its device variable) and asks for again at each finding."""
        if name not in self._once:
            self._once[name] = make(self)
        return self._once[name]

    # -- positions, computed only when a rule reports something (tipcheck.positions) ---------
    def range(self, node: cst.CSTNode) -> Tuple[int, int]:
        """Start and end offsets of a node in the source text."""
        if self._positions is None:
            if self.facts.positions is None or self.facts.positions.module is not self.module:
                self.facts.positions = Positions(self.module)
            self._positions = self.facts.positions
        code_range = self._positions[node]
        return (
            self.source.offset(code_range.start.line, code_range.start.column),
            self.source.offset(code_range.end.line, code_range.end.column),
        )

    def holder(self, node: cst.CSTNode) -> Optional[int]:
        """The index of the top-level statement that holds ``node`` in the module's body, None when
        no statement does (tipcheck.positions)."""
        self.range(node)  # the positions, made as range makes them
        return self._positions.holder(node)

    def text(self, node: cst.CSTNode) -> str:
        """The node's source text, exactly as written."""
        start, end = self.range(node)
        return self.source.text[start:end]

    def report(self, node: cst.CSTNode, message: str, fix: Optional[Fix] = None) -> None:
        start, end = self.range(node)
        start_loc = self.source.location(start)
        self.diagnostics.append(
            Diagnostic(
                code=self._rule.code,
                name=self._rule.name,
                message=message,
                path=self.source.path,
                start=start_loc,
                end=self.source.location(end),
                fix=fix,
                source_line=self.source.line_text(start_loc.row),
            )
        )
