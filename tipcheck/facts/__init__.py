"""Facts about a module that every rule shares: built once per parsed file."""

from __future__ import annotations

from typing import Dict, List, Tuple

import libcst as cst

from tipcheck.facts.scopes import Scope, ScopeBuilder, dotted_name, resolve
from tipcheck.facts.walk import walk


class ModuleFacts:
    """Names, imports and calls of one module, computed in a single pass over its tree."""

    def __init__(self, module: cst.Module) -> None:
        builder = ScopeBuilder()
        walk(module, builder)
        self.module = module
        self.module_scope: Scope = builder.module_scope
        self.calls: List[Tuple[cst.Call, Scope]] = builder.calls
        self.scope_of: Dict[cst.CSTNode, Scope] = builder.scope_of
        self._flow = None
        self._values = None
        # Where its nodes lie (tipcheck.positions), made when a rule first reports one and shared by
        # every rule that runs on this module; not kept in the cache nor sent between processes.
        self.positions = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["positions"] = None
        return state

    def values(self):
        """Single assignments and parameters (tipcheck.facts.values), built on first use."""
        if self._values is None:
            from tipcheck.facts.values import Values

            self._values = Values(self.module, self.module_scope, self.scope_of)
        return self._values

    def flow(self, module_id: str, text: str = ""):
        """The module's flow summary (tipcheck.facts.flow), built on first use."""
        if self._flow is None:
            from tipcheck.facts.flow import build_summary

            self._flow = build_summary(module_id, self.module, self.module_scope, self.scope_of)
        if text:
            self._flow.text = text
        return self._flow

    def calls_to(self, prefix: str):
        """(call, scope, qualified name) for every call whose callee resolves under ``prefix``."""
        dotted_prefix = prefix + "."
        for call, scope in self.calls:
            name = resolve(call.func, scope)
            if name is not None and (name == prefix or name.startswith(dotted_prefix)):
                yield call, scope, name

    def is_bound(self, name: str) -> bool:
        """Whether ``name`` is bound anywhere in the module (any scope)."""
        return any(name in scope.bindings for scope in self._all_scopes())

    def _all_scopes(self):
        yield self.module_scope
        yield from self.scope_of.values()


__all__ = ["ModuleFacts", "Scope", "dotted_name", "resolve"]
