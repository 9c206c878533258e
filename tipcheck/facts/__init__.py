"""Facts about a module that every rule shares: built once per parsed file."""

from __future__ import annotations

import itertools
from typing import Dict, List, Optional, Tuple

import libcst as cst

from tipcheck.facts.scopes import Scope, dotted_name, resolve


class ModuleFacts:
    """Names, imports and calls of one module, computed in a single pass over its tree."""

    # What is handed on from version to version in one process (tipcheck.facts.parts), never
    # carried by the cache (tipcheck.treedata sets only the fields it carries) nor by pickling:
    # facts that came that way have none.
    TRANSIENT = ("_parts", "_names_key", "_numbers", "_callees")
    _parts: Optional[list] = None
    _names_key: Optional[tuple] = None
    _numbers = None
    _callees = None

    def __init__(self, module: cst.Module, previous: Optional["ModuleFacts"] = None) -> None:
        """With ``previous``, the facts of this module's last version (the editor server's memo):
        what they derived from the top-level statements they share with ``module`` is taken
        from them, which give it up (tipcheck.facts.parts)."""
        from tipcheck.facts.parts import merge_scopes, scope_part

        old = previous._give_up_parts() if previous is not None else {}
        self.module = module
        # The module scope keeps its id from version to version: the flow keys of its names hold it.
        self.module_scope: Scope = (
            Scope("module") if previous is None else Scope("module", uid=previous.module_scope.uid)
        )
        parts = []
        for stmt in module.body:
            part = old.get(id(stmt))
            parts.append(part if part is not None and part.stmt is stmt else scope_part(stmt))
        self._parts = parts
        self.scope_of: Dict[cst.CSTNode, Scope]
        self.calls: List[Tuple[cst.Call, Scope]]
        self.scope_of, self.calls = merge_scopes(module, parts, self.module_scope)
        # Numbers the fresh keys of the flow summary, continued by the next version (no key twice).
        self._numbers = previous._numbers if previous is not None else itertools.count(1)
        self._names_key = previous._names_key if previous is not None else None
        self._callees = None
        self._flow = None
        self._values = None
        # Where its nodes lie (tipcheck.positions), made when a rule first reports one and shared by
        # every rule that runs on this module; not kept in the cache nor sent between processes.
        self.positions = None

    def _give_up_parts(self) -> dict:
        parts, self._parts = self._parts, None
        return {id(part.stmt): part for part in parts} if parts is not None else {}

    def __getstate__(self):
        state = dict(self.__dict__)
        state["positions"] = None
        for name in self.TRANSIENT:  # handed on within a process only
            state.pop(name, None)
        return state

    def values(self):
        """Single assignments and parameters (tipcheck.facts.values), built on first use."""
        if self._values is None:
            from tipcheck.facts.values import Values

            self._values = Values(self.module, self.module_scope, self.scope_of)
        return self._values

    def flow(self, module_id: str, text: str = ""):
        """The module's flow summary (tipcheck.facts.flow), built on first use: a top-level
        statement at a time, with what the last version built for the statements it shares
        (tipcheck.facts.parts)."""
        if self._flow is None:
            from tipcheck.facts.parts import build_flow, whole_flow

            if self._numbers is None:
                self._numbers = itertools.count(1)
            if self._parts is None:  # facts that came from the cache or through pickling
                self._flow = whole_flow(module_id, self.module, self.module_scope, self.scope_of, self._numbers)
            else:
                key = (module_id, self._names())
                self._flow = build_flow(
                    module_id, self.module, self._parts, self.module_scope, self.scope_of, self._numbers, key
                )
        if text:
            self._flow.text = text
        return self._flow

    def _names(self) -> tuple:
        """The module's names (tipcheck.facts.parts.names_key): the last version's object while
        they are the same, so that the parts built with them are found by identity."""
        from tipcheck.facts.parts import names_key

        key = names_key(self.module_scope)
        if key != self._names_key:
            self._names_key = key
        return self._names_key

    def callees(self) -> List[Tuple[cst.Call, Scope, Optional[str]]]:
        """(call, scope, the qualified name its callee resolves to, or None) for every call, in
        order: ``resolve(call.func, scope)``, made once per module version, and taken from the last
        version for the statements it shares while the module's names are the same."""
        if self._callees is None:
            if self._parts is None:  # facts that came from the cache or through pickling
                names = [resolve(call.func, scope) for call, scope in self.calls]
            else:
                from tipcheck.facts.parts import callees

                names = callees(self._parts, self.module_scope, self._names())
            self._callees = [(call, scope, name) for (call, scope), name in zip(self.calls, names)]
        return self._callees

    def calls_to(self, prefix: str):
        """(call, scope, qualified name) for every call whose callee resolves under ``prefix``."""
        dotted_prefix = prefix + "."
        for call, scope, name in self.callees():
            if name is not None and (name == prefix or name.startswith(dotted_prefix)):
                yield call, scope, name

    def is_bound(self, name: str) -> bool:
        """Whether ``name`` is bound anywhere in the module (any scope)."""
        return any(name in scope.bindings for scope in self._all_scopes())

    def _all_scopes(self):
        yield self.module_scope
        yield from self.scope_of.values()


__all__ = ["ModuleFacts", "Scope", "dotted_name", "resolve"]
