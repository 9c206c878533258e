"""A module's scopes and flow summary built a top-level statement at a time, and handed on with
the statement objects to the module's next version (the editor server: tipcheck.reparse keeps the
statements an edit did not touch, so only the touched one is walked again).

``ModuleFacts`` (tipcheck.facts) is assembled from one ``Part`` per top-level statement:

- its scopes: what ScopeBuilder makes of the statement alone, walked with a stand-in for the
  module scope: the bindings the statement gives the module (in order), its imports, star imports
  and globals, merged into the module scope statement by statement; the scopes of its functions,
  classes, lambdas and comprehensions, the outermost of which are then put under the module
  scope; its calls with the scope of each. A function of the statement alone.
- its flow summary (tipcheck.facts.flow): what FlowBuilder records walking the statement with the
  module scope the parts made. It reads the module's bindings (a name is an import, or a variable
  of the module scope), so it is reused only while they are the same (``names_key``: the module
  scope's bindings, star imports and globals; with the module id). Its contexts hold the module
  body the statement is in: set to the new body when the part is reused. What FlowBuilder
  resolves after its walk (comprehension elements, in rounds: an element may hold another) is
  kept by round and assembled after the walks of every statement, round by round, so that the
  summary lists its records in the order one walk of the module does: the union-find of the
  project facts sees the same unions in the same order.
- what each of its calls calls (``callees``), kept while the module's names are the same.

Reuse changes a part (the parents of its outer scopes, its contexts), so parts are handed on, never
shared: ``ModuleFacts(module, previous)`` takes them from ``previous``, which gives them up. Without
a previous version (the command line; a fix loop, which must not take them from the buffers'
analyses) every part is built afresh, in the order of one walk of the module: the same scope ids
and fresh keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.facts.flow import ANY_ITEM, Context, FlowBuilder, ModuleSummary
from tipcheck.facts.scopes import Scope, ScopeBuilder, resolve
from tipcheck.facts.walk import walk

# The list fields of a ModuleSummary, concatenated part by part.
_LISTS = ("unions", "calls", "loops", "returns", "others", "yields", "yield_froms", "annotated")


@dataclass(eq=False)
class Part:
    stmt: cst.CSTNode
    stand_in: Scope  # stood for the module scope while the statement was walked
    scope_of: Dict[cst.CSTNode, Scope]
    calls: List[Tuple[cst.Call, Scope]]
    outer: List[Scope]  # its scopes directly under the module scope
    # The flow summary's part, for ``flow_key``: the walk's records, those of each later round,
    # every context made (with the module body they hold).
    flow_key: Any = None
    walked: Optional[ModuleSummary] = None
    late: List[ModuleSummary] = field(default_factory=list)
    contexts: List[Context] = field(default_factory=list)
    body: Any = None
    # The qualified name each of its calls' callee resolves to (tipcheck.facts.scopes.resolve), for
    # ``callee_key`` (the module's names they were resolved with).
    callee_key: Any = None
    callees: List[Optional[str]] = field(default_factory=list)


def scope_part(stmt: cst.CSTNode) -> Part:
    stand_in = Scope("module", uid=-1)  # never seen outside: takes no scope id
    stand_in.direct_lines = {stmt}
    builder = ScopeBuilder(stand_in)
    walk(stmt, builder)
    outer = [scope for scope in builder.scope_of.values() if scope.parent is stand_in]
    return Part(stmt, stand_in, builder.scope_of, builder.calls, outer)


def merge_scopes(module: cst.Module, parts: Sequence[Part], module_scope: Scope):
    """Fills ``module_scope`` from the parts, in order; their scopes and calls, as one walk of the
    module would have listed them."""
    module_scope.direct_lines = set(module.body)
    bindings = module_scope.bindings
    scope_of: Dict[cst.CSTNode, Scope] = {}
    calls: List[Tuple[cst.Call, Scope]] = []
    for part in parts:
        stand_in = part.stand_in
        for name, bound in stand_in.bindings.items():
            known = bindings.get(name)
            if known is None:
                bindings[name] = list(bound)
            else:
                known.extend(bound)
        module_scope.globals.update(stand_in.globals)
        module_scope.nonlocals.update(stand_in.nonlocals)
        module_scope.star_imports.extend(stand_in.star_imports)
        module_scope.import_lines.update(stand_in.import_lines)
        for top, line in stand_in.first_import_lines.items():
            module_scope.first_import_lines.setdefault(top, line)
        for scope in part.outer:
            scope.parent = module_scope
        scope_of.update(part.scope_of)
        calls.extend((call, module_scope if scope is stand_in else scope) for call, scope in part.calls)
    return scope_of, calls


def names_key(scope: Scope) -> tuple:
    """What a statement's flow summary and callees read from outside it: the module scope's names."""
    names = tuple((name, tuple(bound)) for name, bound in scope.bindings.items())
    return (names, tuple(scope.star_imports), tuple(sorted(scope.globals)))


def callees(parts: Sequence[Part], module_scope: Scope, key) -> List[Optional[str]]:
    """What every call of the module calls (``resolve``), in the order of the module's calls: those
    of the parts resolved with the same module names (``key``) taken from them."""
    found: List[Optional[str]] = []
    for part in parts:
        if part.callee_key is not key:
            stand_in = part.stand_in
            part.callees = [
                resolve(call.func, module_scope if scope is stand_in else scope) for call, scope in part.calls
            ]
            part.callee_key = key
        found.extend(part.callees)
    return found


class _Builder(FlowBuilder):
    """FlowBuilder that notes the contexts it makes."""

    def __init__(self, module_id, module_scope, scope_of, numbers) -> None:
        super().__init__(module_id, module_scope, scope_of, numbers)
        self.pending_comp = []
        self._calls_seen = {}
        self.contexts: List[Context] = []

    def ctx(self) -> Context:
        made = super().ctx()
        self.contexts.append(made)
        return made


def _late_round(builder: _Builder, module_id: str, module_scope: Scope) -> ModuleSummary:
    """Resolves the comprehension elements found so far (those found meanwhile wait for the next
    round); returns what that recorded."""
    pending, builder.pending_comp = builder.pending_comp, []
    builder.summary = ModuleSummary(module_id, module_scope=module_scope)
    for key, comprehension, expr in pending:
        saved = builder.scope
        builder.scope = builder.scope_of.get(comprehension, saved)
        builder.union((key, (ANY_ITEM,)), builder.keypath(expr))
        builder.scope = saved
    return builder.summary


def _add(summary: ModuleSummary, piece: ModuleSummary) -> None:
    for name in _LISTS:
        getattr(summary, name).extend(getattr(piece, name))
    summary.funcs.update(piece.funcs)
    summary.classes.update(piece.classes)
    summary.ext_names.update(piece.ext_names)


def build_flow(module_id: str, module: cst.Module, parts: Sequence[Part], module_scope: Scope, scope_of, numbers, key):
    """The module's flow summary from its parts: those built for ``key`` reused, the others walked."""
    body = module.body
    fresh: List[Tuple[Part, _Builder]] = []
    for part in parts:
        if part.walked is not None and part.flow_key == key:  # (module id, names): names compared by identity first
            if part.body is not body:
                for made in part.contexts:
                    path = made.stmt_path
                    if path:
                        made.stmt_path = ((path[0][0], body),) + path[1:]
                part.body = body
            continue
        builder = _Builder(module_id, module_scope, scope_of, numbers)
        builder._blocks[id(part.stmt)] = body
        walk(part.stmt, builder)
        part.flow_key, part.walked, part.late, part.body = key, builder.summary, [], body
        part.contexts = builder.contexts
        fresh.append((part, builder))
    while any(builder.pending_comp for _, builder in fresh):
        for part, builder in fresh:
            part.late.append(_late_round(builder, module_id, module_scope))
    summary = ModuleSummary(module_id, module_scope=module_scope)
    for part in parts:
        _add(summary, part.walked)
    for round_ in range(max((len(part.late) for part in parts), default=0)):
        for part in parts:
            if round_ < len(part.late):
                _add(summary, part.late[round_])
    return summary


def whole_flow(module_id: str, module: cst.Module, module_scope: Scope, scope_of, numbers) -> ModuleSummary:
    """The flow summary from one walk of the module (facts that came through pickling, without
    their parts)."""
    builder = _Builder(module_id, module_scope, scope_of, numbers)
    walk(module, builder)
    summary = builder.summary
    while builder.pending_comp:
        _add(summary, _late_round(builder, module_id, module_scope))
    summary.module_scope = module_scope
    return summary
