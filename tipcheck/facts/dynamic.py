"""Classes picked at run time: what a call of a class held in a variable constructs.

``SCHEDULERS[cfg.name](optimizer, ...)`` with ``SCHEDULERS = {"step": StepLR, "cosine":
CosineAnnealingLR}``; ``cls = StepLR if ... else MultiStepLR``, then ``cls(optimizer)``; a class
handed to a helper as a parameter, or with arguments bound by ``functools.partial``; ``getattr(torch.optim.lr_scheduler, name)(optimizer, ...)``
and ``torch.optim.__dict__[name](params)``; ``getattr(lr_policies, name)`` on a project module whose public
definitions are all schedulers (or all optimizers): one of them, or of the torch classes it imports. The combine step (tipcheck.facts.combine) links these
calls once every union is made, and asks ``dynamic_classes`` what they construct: one value for
each class the callee may be (the facts then hold "one of these classes", see
``ProjectFacts.classes_of``), or one of class ``ANY_CLASS`` when any class of a torch module may
be named.

Precision first: the callee's class in the union-find graph must hold nothing but names of
catalogued torch classes, of project classes deriving from one, and aliases of them (variables,
fields, returns, conditional expressions). A call's result, a lambda, a function, or an outside
class the catalogue does not know makes the answer None, and the call stays an unknown one.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from tipcheck.facts.catalogue import ANY_CLASS, classify_torch
from tipcheck.facts.flow import ANY_ITEM, CallSite, Key

# Modules whose attributes are all classes of one kind, for `getattr(module, name)`.
CLASS_MODULES = {"torch.optim.lr_scheduler": "scheduler", "torch.optim": "optimizer"}
KINDS = ("scheduler", "optimizer")  # the kinds a picked class is tracked as

Found = Tuple[str, str, Optional[Key]]  # (kind, class name, the project class's key or None)


def qualified_of(path) -> Optional[str]:
    """``torch.optim.lr_scheduler`` for the key path of an expression naming an imported module."""
    if path is None or path[0][0] != "ext" or any(name.startswith(("[", "#")) for name in path[1]):
        return None
    return ".".join((path[0][1], *path[1]))


def _by_name(
    project, qualified: Optional[str], name: Optional[cst.BaseExpression], importer: str
) -> Optional[List[Found]]:
    """The class `getattr(module, name)` picks: a literal name, or any class of a class module (of
    torch's, or a project module of such classes)."""
    if qualified is None:
        return None
    if isinstance(name, cst.SimpleString) and isinstance(name.evaluated_value, str):
        known = classify_torch(f"{qualified}.{name.evaluated_value}")
        if known is None:
            key = project._definition(f"{qualified}.{name.evaluated_value}", importer)
            known = project._class_kind(key) if key is not None and key[0] == "class" else None
            return [(known[0], known[1], key)] if known is not None and known[0] in KINDS else None
        return [(known[0], known[1], None)] if known[0] in KINDS else None
    kind = CLASS_MODULES.get(qualified)
    if kind is not None:
        return [(kind, ANY_CLASS, None)]
    return project_class_module(project, qualified, importer)


def project_class_module(project, qualified: str, importer: str) -> Optional[List[Found]]:
    """The classes `getattr(module, name)` may pick from a project module of schedulers (or of
    optimizers), by a name given at run time (`getattr(utils.lr_scheduler, cfg["type"])`): every
    public class it defines, when all derive from torch classes of one tracked kind, and the
    classes of that kind it imports; None when it defines anything else public (a function, a
    class of another kind), which the name might pick."""
    split = project._split_qualified(qualified, importer)
    if split is None or split[1] or project.summaries.get(split[0]) is None:
        return None
    module_id = split[0]
    found: Dict[Tuple[str, str], Found] = {}
    for name, bound in project.summaries[module_id].module_scope.bindings.items():
        if name.startswith("_"):
            continue
        local = ("class", module_id, "$." + name)
        if ("func", module_id, "$." + name) in project.funcs:
            return None
        if local in project.classes:
            kind = project._class_kind(local)
            if kind is None or kind[0] not in KINDS:
                return None
            found.setdefault((kind[0], name), (kind[0], kind[1], local))
            continue
        known = classify_torch(bound[-1]) if len(set(bound)) == 1 and bound[-1] else None
        if known is not None and known[0] in KINDS:  # `from torch.optim.lr_scheduler import StepLR`
            found.setdefault(known, (known[0], known[1], None))
    if not found or len({kind for kind, _, _ in found.values()}) != 1:
        return None
    return list(found.values())


def dynamic_classes(project, site: CallSite, site_of_node: Dict[int, CallSite]) -> Optional[List[Found]]:
    """What a call of a class chosen at run time constructs (see the module docstring), or None."""
    func = site.node.func
    if isinstance(func, cst.Call):  # getattr(torch.optim.lr_scheduler, name)(optimizer, ...)
        inner = site_of_node.get(id(func))
        if inner is None or inner.callee != "getattr" or len(func.args) != 2 or not inner.args:
            return None
        return _by_name(project, qualified_of(inner.args[0]), func.args[1].value, site.ctx.func[1])
    path = site.func_path
    if path is None:
        return None
    if len(path[1]) >= 2 and path[1][-2] == "__dict__":  # torch.optim.__dict__[name](params)
        index = func.slice[0].slice if isinstance(func, cst.Subscript) and len(func.slice) == 1 else None
        name = index.value if isinstance(index, cst.Index) else None
        return _by_name(project, qualified_of((path[0], path[1][:-2])), name, site.ctx.func[1])
    graph = project.graph
    node = graph.existing(path)
    if node is not None:
        roots = [graph.find(node)]
    elif path[1] and path[1][-1] == ANY_ITEM:  # `SCHEDULERS[name]`: any entry of the dict
        holder = graph.existing((path[0], path[1][:-1]))
        fields = graph.fields.get(graph.find(holder), {}) if holder is not None else {}
        roots = list(dict.fromkeys(graph.find(child) for name, child in fields.items() if name.startswith("[")))
    else:
        return None
    found: Dict[Tuple[str, str], Found] = {}
    for root in roots:
        held = _classes_held(project, root)
        if held is None:
            return None
        for item in held:
            found.setdefault(item[:2], item)
    if not found or len({kind for kind, _, _ in found.values()}) != 1:
        return None
    return list(found.values())


def _classes_held(project, root: Key) -> Optional[List[Found]]:
    """The classes the value at ``root`` may be, if it holds nothing else (see the module docstring)."""
    found: Dict[Tuple[str, str], Found] = {}
    names, wanted, _ = _index(project)
    if root not in wanted:
        return None  # it holds no class of a tracked kind
    for qualified in names.get(root, ()):
        known = classify_torch(qualified)
        if known is not None and known[0] in KINDS:
            found.setdefault(known, (known[0], known[1], None))
            continue
        split = project.modules.resolve(qualified) if not qualified.startswith((".", "$")) else None
        if split is None or project._definition(qualified, split[0]) is None:
            return None  # an outside name the catalogue does not know
        # else a project class: its module's binding (a "var" member) says which
    for key in _members(project, root):
        tag = key[0]
        if tag == "var":
            top = _top_level(project, key)
            if top is not None and top[0] == "class":
                kind = project._class_kind(top)
                if kind is None or kind[0] not in KINDS:
                    return None
                found.setdefault((kind[0], key[3]), (kind[0], kind[1], top))
            elif top is not None:
                return None  # a project function: what it returns is not a class picked here
        elif tag == "new" and key in project._site_by_result():
            if project._site_by_result()[key].callee != "functools.partial":
                return None  # a call's result: a factory's product, not a class
        elif tag not in ("ext", "field", "ret", "new"):
            return None  # `self`, a module, a class's instances
    if not found or len({kind for kind, _, _ in found.values()}) != 1:
        return None
    return list(found.values())


def _top_level(project, key: Key) -> Optional[Key]:
    """The project class or function a module-level variable key is the definition of."""
    summary = project.summaries.get(key[1])
    if summary is None or key[2] != summary.module_scope.uid:
        return None
    for tag in ("class", "func"):
        definition = (tag, key[1], "$." + key[3])
        if definition in project.classes or definition in project.funcs:
            return definition
    return None


def _index(project) -> Tuple[Dict[Key, List[str]], Set[Key], Dict[Key, List[Key]]]:
    """Root -> the qualified names it holds (imports and their attributes); the roots that hold a
    tracked class; and room for their members (``_members``). Built once, after every union."""
    cached = getattr(project, "_dynamic_index", None)
    if cached is not None:
        return cached
    graph = project.graph
    names: Dict[Key, List[str]] = {}
    wanted: Set[Key] = set()
    stack = [
        (graph.find(("ext", name)), name, 0) for summary in project.summaries.values() for name in summary.ext_names
    ]
    while stack:
        root, qualified, depth = stack.pop()
        held = names.setdefault(root, [])
        if qualified in held:
            continue
        held.append(qualified)
        known = classify_torch(qualified)
        if known is not None and known[0] in KINDS:
            wanted.add(root)
        if depth < 3:
            for attr, child in graph.fields.get(root, {}).items():
                if attr.isidentifier():
                    stack.append((graph.find(child), f"{qualified}.{attr}", depth + 1))
    for class_key in project.classes:
        if class_key[2].count(".") == 1 and (project._class_kind(class_key) or ("",))[0] in KINDS:
            scope = project.summaries[class_key[1]].module_scope
            var = ("var", class_key[1], scope.uid, class_key[2][2:])
            if var in graph.parent or var in graph.fields:
                wanted.add(graph.find(var))
    project._dynamic_index = (names, wanted, {})
    return project._dynamic_index


def _members(project, root: Key) -> List[Key]:
    """The keys of the class of ``root``, a root holding a tracked class: one walk over the graph,
    made only when a call of such a value is met, for all of them at once."""
    names, wanted, members = _index(project)
    if not members and wanted:
        graph = project.graph
        members.update((held, [held]) for held in wanted)
        for key in graph.parent:
            found = graph.find(key)
            if found in wanted:
                members[found].append(key)
    return members.get(root, [])
