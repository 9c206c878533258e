"""Event-driven training loops (pytorch-ignite) as loop positions.

An ignite ``Engine`` runs a loop the project does not write: for each epoch, the handlers of
``Events.EPOCH_STARTED``, then for each batch the handlers of ``ITERATION_STARTED``, the update
function given to ``Engine(update)`` (where ``optimizer.step()`` is), the handlers of
``ITERATION_COMPLETED``; then those of ``EPOCH_COMPLETED``. A handler is registered with the
decorator ``@trainer.on(Events.X)`` or with ``trainer.add_event_handler(Events.X, handler)``.
``create_supervised_trainer(model, optimizer, ...)`` builds an engine whose update steps that
optimizer.

What runs in a handler of an event that fires before the update (``EPOCH_STARTED``,
``ITERATION_STARTED``) runs, in each pass of that loop, before the update's optimizer step: that is
all this module answers (``handler_before_update``). Filtered events (``Events.EPOCH_STARTED(every=2)``,
``once=``) and combined ones (``A | B``) fire on some passes only: they are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from tipcheck.facts.flow import CallSite, Key
from tipcheck.facts.scopes import dotted_name, resolve
from tipcheck.facts.walk import walk

ENGINES = frozenset({"ignite.engine.Engine", "ignite.engine.engine.Engine", "ignite.engine.DeterministicEngine"})
SUPERVISED_TRAINERS = frozenset(
    {"ignite.engine.create_supervised_trainer", "ignite.engine.engine.create_supervised_trainer"}
)
BEFORE_UPDATE = frozenset({"EPOCH_STARTED", "ITERATION_STARTED"})


@dataclass(eq=False)
class Handler:
    """A handler registered on an engine for an event (its function, or a lambda in ``owner``)."""

    engine: Key  # the engine's root
    event: str
    func: Optional[Key]
    calls: Optional[Set[int]] = None  # for a lambda: ids of the Call nodes in its body
    owner: Optional[Key] = None  # for a lambda: the function it is written in


@dataclass(eq=False)
class Engine:
    root: Key
    updates: Tuple[Key, ...] = ()  # the update (process) function: what it may be
    optimizer: Optional[Key] = None  # the root of the optimizer a built-in trainer steps


def _event(expr: cst.BaseExpression) -> Optional[str]:
    """`EPOCH_STARTED` for `Events.EPOCH_STARTED` (not for a filtered or combined event)."""
    name = dotted_name(expr)
    if name is None or "." not in name:
        return None
    owner, _, event = name.rpartition(".")
    return event if owner.rsplit(".", 1)[-1] == "Events" else None


def _function(project, expr: cst.BaseExpression, site: CallSite) -> Optional[Key]:
    """The project function an expression names, seen from where ``site`` is."""
    scope = project.scope_of_func(site.ctx.func)
    qualified = resolve(expr, scope) if scope is not None else None
    if qualified is None:
        return None
    target = project._definition(qualified, site.ctx.func[1])
    return target if target is not None and target[0] == "func" else None


def _update_functions(project, expr: cst.BaseExpression, site: CallSite) -> Tuple[Key, ...]:
    """The project function an engine's update is: named (`Engine(update)`), or returned by a
    project function that defines it (`Engine(make_update(model, optimizer))`)."""
    if not isinstance(expr, cst.Call):
        func = _function(project, expr, site)
        return (func,) if func is not None else ()
    maker = _function(project, expr.func, site)
    if maker is None:
        return ()
    found = []
    for func, path in project.summaries[maker[1]].returns:
        base, fields = path
        if func == maker and not fields and base[0] == "var":
            nested = ("func", maker[1], f"{maker[2]}.{base[3]}")
            if nested in project.funcs:
                found.append(nested)
    return tuple(found)


def engines(project) -> Dict[Key, Engine]:
    """The ignite engines of the project, by root."""
    cached = project.__dict__.get("_ignite_engines")
    if cached is not None:
        return cached
    found: Dict[Key, Engine] = {}
    for summary in project.summaries.values():
        for site in summary.calls:
            if site.callee in ENGINES:
                engine = found.setdefault(project.graph.find(site.result), Engine(project.graph.find(site.result)))
                arg = _arg(site.node, 0, "process_function")
                if arg is not None:
                    engine.updates = _update_functions(project, arg, site)
            elif site.callee in SUPERVISED_TRAINERS:
                engine = found.setdefault(project.graph.find(site.result), Engine(project.graph.find(site.result)))
                path = site.args[1] if len(site.args) > 1 else site.kwargs.get("optimizer")
                engine.optimizer = project.root(path)
    project.__dict__["_ignite_engines"] = found
    return found


def _arg(call: cst.Call, position: int, keyword: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position].value if len(positional) > position else None


def handlers(project) -> List[Handler]:
    """The handlers registered on the project's ignite engines."""
    cached = project.__dict__.get("_ignite_handlers")
    if cached is not None:
        return cached
    known = engines(project)
    found: List[Handler] = []
    if known:
        for site, _, root in project.all_method_calls("add_event_handler"):
            event = _event(_arg(site.node, 0, "event_name") or cst.Name("_"))
            handler = _arg(site.node, 1, "handler")
            if root not in known or event is None or handler is None:
                continue
            if isinstance(handler, cst.Lambda):
                calls: Set[int] = set()
                walk(handler.body, _Calls(calls))
                found.append(Handler(root, event, None, calls, site.ctx.func))
            else:
                func = _function(project, handler, site)
                if func is not None:
                    found.append(Handler(root, event, func))
        for key, record in project.funcs.items():
            for decorator in record.node.decorators:
                call = decorator.decorator
                if not (
                    isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "on"
                ):
                    continue
                site = project.site_of(call, key[1])
                root = project.root(site.receiver) if site is not None else None
                event = _event(call.args[0].value) if call.args else None
                if root in known and event is not None:
                    found.append(Handler(root, event, key))
    project.__dict__["_ignite_handlers"] = found
    return found


class _Calls(cst.CSTVisitor):
    def __init__(self, ids: Set[int]) -> None:
        self.ids = ids

    def visit_Call(self, node: cst.Call) -> None:
        self.ids.add(id(node))


def _runs_in(project, site: CallSite, handler: Handler) -> bool:
    if handler.func is not None:
        return site.ctx.func in project.reachable_funcs(handler.func)
    return site.ctx.func == handler.owner and id(site.node) in (handler.calls or ())


def handler_before_update(
    project, site: CallSite, optimizer: Optional[Key], opt_steps: Sequence[CallSite]
) -> Optional[Handler]:
    """The handler, of an event that fires before each update, in which ``site`` runs, when the
    update of its engine steps the optimizer (one of ``opt_steps``, or the built-in trainer's
    ``optimizer``); None if there is none, or if ``site`` also runs in a handler of another event."""
    known = engines(project)
    if not known:
        return None
    mine = [h for h in handlers(project) if _runs_in(project, site, h)]
    if len(mine) != 1 or mine[0].event not in BEFORE_UPDATE:
        return None
    engine = known[mine[0].engine]
    if engine.optimizer is not None and engine.optimizer == optimizer:
        return mine[0]
    for update in engine.updates:
        reached = project.reachable_funcs(update)
        if any(step.ctx.func in reached for step in opt_steps):
            return mine[0]
    return None
