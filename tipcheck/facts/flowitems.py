"""What the flow summary (tipcheck.facts.flow) notes about containers, branches and generators.

A mixin of ``FlowBuilder``, kept apart so that the builder's core stays small:

- values the facts do not track that a key path may hold besides tracked ones (``others``):
  `sampler = None`, `RandomSampler(ds) if ... else DistributedSampler(ds)` (the call is tracked,
  the None is not), a parameter's None default: a value that is one of several classes;
- loop and comprehension targets that take the items of what they iterate, through ``zip`` too
  (`for d, s in zip(datasets, samplers)`, `[DataLoader(d, sampler=s) for s in samplers]`), and the
  values of a dict's ``items()`` (`for name, opt in optimizers.items()`);
- a dict built from (key, value) pairs (`dict([(k, build(o)) for k, o in ...])`): its items are the
  pairs' values, and `dict` hands nothing else on;
- the loops of a generator that hold a `yield` (``yields``): a generator that walks a DataLoader
  forever (`while True: for batch in loader: yield batch`) begins a pass over it where its
  consumer pulls (`next(batches)`); so does `yield from loader` (``yield_froms``).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from tipcheck.facts.scopes import dotted_name, is_none, resolve

ITEMS = "[*]"  # tipcheck.facts.flow.ANY_ITEM


def dict_of_pairs(call: cst.Call, callee: Optional[str]) -> bool:
    """Whether a call builds a dict from a literal list, comprehension or generator of pairs
    (`dict([(key, value) for ...])`, `dict((k, v) for ...)`)."""
    if callee != "dict" or len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return False
    value = call.args[0].value
    if isinstance(value, (cst.ListComp, cst.GeneratorExp)):
        return isinstance(value.elt, cst.Tuple) and len(value.elt.elements) == 2
    return isinstance(value, (cst.List, cst.Tuple)) and all(
        isinstance(e.value, cst.Tuple) and len(e.value.elements) == 2 for e in value.elements
    )


class ItemFlow:
    """Mixin of FlowBuilder: see the module docstring (uses its keypath, union, func, loops)."""

    def note_other(self, target, expr: Optional[cst.BaseExpression]) -> None:
        """``target`` may hold ``expr``, which the facts do not track: "None", or "?"."""
        if target is not None and expr is not None:
            self.summary.others.append((target, "None" if is_none(expr) else "?"))

    def union_or_other(self, target, expr: cst.BaseExpression) -> None:
        """``target`` may hold what ``expr`` is: a tracked value, or something noted in ``others``."""
        path = self.keypath(expr)
        if path is not None:
            self.union(target, path)
        else:
            self.note_other(target, expr)

    def assign_other(self, target: cst.BaseExpression, expr: cst.BaseExpression) -> None:
        """`name = None`, `self.x = 3`: the target may hold something the facts do not track."""
        if isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)):
            self.note_other(self.keypath(target), expr)

    def note_none_defaults(self, params: cst.Parameters, scope_uid) -> None:
        """`def train(loader, sampler=None)`: the parameter may be None."""
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if is_none(param.default):
                self.note_other((("var", self.module_id, scope_uid, param.name.value), ()), param.default)

    def bind_items(self, target: cst.BaseExpression, expr: cst.BaseExpression, comprehension: bool) -> None:
        """A loop's or comprehension's target takes the items of what it iterates: a name in a
        comprehension (a `for` statement does that itself), each name of a tuple over `zip(...)`."""
        if comprehension and isinstance(target, cst.Name):
            path = self.keypath(expr)
            if path is not None:
                self.union(self.keypath(target), (path[0], path[1] + (ITEMS,)))
            return
        if not (isinstance(target, (cst.Tuple, cst.List)) and isinstance(expr, cst.Call)):
            return
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value == "items" and not expr.args:
            values = target.elements[1].value if len(target.elements) == 2 else None
            receiver = self.keypath(func.value)
            if isinstance(values, cst.Name) and receiver is not None:  # `for name, opt in opts.items()`
                self.union(self.keypath(values), (receiver[0], receiver[1] + (ITEMS,)))
            return
        if (resolve(expr.func, self.scope) or dotted_name(expr.func)) != "zip":
            return
        args = [arg.value for arg in expr.args if arg.keyword is None and not arg.star]
        if len(args) != len(target.elements) or len(args) != len(expr.args):
            return
        for element, arg in zip(target.elements, args):
            path = self.keypath(arg)
            if path is not None and isinstance(element.value, cst.Name):
                self.union(self.keypath(element.value), (path[0], path[1] + (ITEMS,)))

    def note_dict_of_pairs(self, call: cst.Call, callee: Optional[str], result, args) -> None:
        """`dict([(key, value) for ...])`: the dict's items are the pairs' values."""
        if dict_of_pairs(call, callee) and args and args[0] is not None:
            self.union((result, (ITEMS,)), (args[0][0], args[0][1] + (ITEMS, "#1")))

    def visit_Yield(self, node: cst.Yield) -> None:
        if self.func[0] == "func" and self.loops:
            self.summary.yields.append((self.func, self.loops[-1]))
        if self.func[0] == "func" and isinstance(node.value, cst.From):  # `yield from loader`
            path = self.keypath(node.value.item)
            if path is not None:
                self.summary.yield_froms.append((self.ctx(), path))
