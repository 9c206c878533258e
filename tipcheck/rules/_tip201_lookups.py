"""TIP201 on builders picked at run time: which torchvision builders a callee can be, and the fix.

Training scripts often pick the architecture by name:

    model = models.__dict__[args.arch](pretrained=True)        # the ImageNet example
    model = getattr(torchvision.models, name)(pretrained=True)
    BACKBONES = {"r18": models.resnet18, "r50": models.resnet50}
    model = BACKBONES[cfg.backbone](pretrained=True)       # or BACKBONES.get(cfg.backbone)(...)

``Lookups.reach`` says which builders of the table (tipcheck/data) such a callee can be: every
builder a torchvision module holds (``in_namespace``), or the one a literal name picks, or the values
of a dict literal that are all torchvision builders. A name bound once to one of these is followed,
and so is a dict kept in a class body and read through the class or ``self``
(``self.__factory[depth]``, ``ResNet.__factory[depth]``: inside the class the private name is
written unmangled).
Anything else is not a lookup: a module that is not torchvision's (``pretrainedmodels.__dict__``),
a dict holding anything but torchvision builders, ``getattr`` with a default.

The fix cannot name an enum class (which one depends on the name), but torchvision resolves a
string against the builder's own enum (``ResNet50_Weights.verify("IMAGENET1K_V1")``): when every
builder the lookup can reach loads a member of the same name, ``weights="IMAGENET1K_V1"`` loads
exactly what ``pretrained=True`` does, whichever builder runs (tests/test_tip201.py runs it for every
builder of the table). Builders for which torchvision has no legacy weights raise on the deprecated
call already; they do not count. When the members differ, the fix is unsafe and says what it picks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.data import Builder, TorchvisionTable
from tipcheck.diagnostics import Applicability
from tipcheck.facts import Scope, resolve

_SHOWN = 3


def _key(node: cst.BaseExpression) -> object:
    """The literal string of a key, or None when it is not a literal."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class Lookups:
    """Finds the builders a callee expression can be, for one module."""

    def __init__(self, ctx, table: TorchvisionTable) -> None:
        self.ctx = ctx
        self.table = table

    def reach(self, func: cst.BaseExpression, scope: Scope, depth: int = 0) -> Optional[Tuple[str, List[Builder]]]:
        """(the callee as written, the builders it can be) for a lookup; None otherwise."""
        builders = self._builders(func, scope, depth)
        if not builders:
            return None
        text = self.ctx.text(func)
        return (text if len(text) <= 50 and "\n" not in text else text[:47] + "..."), builders

    def _builders(self, func: cst.BaseExpression, scope: Scope, depth: int) -> Optional[List[Builder]]:
        if isinstance(func, cst.Subscript):
            if len(func.slice) != 1 or not isinstance(func.slice[0].slice, cst.Index):
                return None
            key = func.slice[0].slice.value
            holder = func.value
            if isinstance(holder, cst.Attribute) and holder.attr.value == "__dict__":
                return self._in_module(holder.value, key, scope)
            if isinstance(holder, cst.Name):
                return self._in_dict(holder.value, key, scope)
            if isinstance(holder, cst.Attribute):
                return self._in_class_dict(holder, key, scope)
            return None
        if (
            isinstance(func, cst.Call)
            and isinstance(func.func, cst.Attribute)
            and func.func.attr.value == "get"
            and isinstance(func.func.value, cst.Name)
            and len(func.args) == 1
            and not (func.args[0].keyword or func.args[0].star)
        ):
            return self._in_dict(func.func.value.value, func.args[0].value, scope)  # BACKBONES.get(name)
        if isinstance(func, cst.Call) and isinstance(func.func, cst.Name) and func.func.value == "getattr":
            args = func.args
            if scope.lookup("getattr") is not None or len(args) != 2 or any(a.keyword or a.star for a in args):
                return None  # rebound, or with a default (the lookup may give something else)
            return self._in_module(args[0].value, args[1].value, scope)
        if isinstance(func, cst.Name) and depth == 0:
            value = self._single_value(func.value, scope)
            if value is not None:
                return self._builders(value, scope, depth + 1)
        return None

    def _in_module(self, module: cst.BaseExpression, key: cst.BaseExpression, scope: Scope) -> Optional[List[Builder]]:
        qualified = resolve(module, scope)
        if qualified is None or not (qualified == "torchvision" or qualified.startswith("torchvision.")):
            return None
        name = _key(key)
        if isinstance(name, str):
            builder = self.table.by_path.get(f"{qualified}.{name}")
            return [builder] if builder is not None else None
        return self.table.in_namespace(qualified) or None

    def _in_dict(self, name: str, key: cst.BaseExpression, scope: Scope) -> Optional[List[Builder]]:
        return self._in_dict_value(self._single_value(name, scope), scope.lookup_scope(name) or scope, key)

    def _in_class_dict(self, holder: cst.Attribute, key: cst.BaseExpression, scope: Scope):
        """``self.__factory[key]`` / ``Net.__factory[key]``: a dict bound once in the class body."""
        if not isinstance(holder.value, cst.Name):
            return None
        owner = self._class_scope(holder.value.value, scope)
        attr = holder.attr.value
        if owner is None or attr not in owner.bindings:
            return None
        return self._in_dict_value(self._single_value(attr, owner), owner, key)

    def _class_scope(self, name: str, scope: Scope) -> Optional[Scope]:
        """The scope of the class that ``self``/``cls`` (in one of its methods) or its name denotes."""
        if name in ("self", "cls"):
            in_method = scope.kind == "function" and scope.parent is not None and scope.parent.kind == "class"
            return scope.parent if in_method and scope.bindings.get(name) == [None] else None
        where = scope.lookup_scope(name)
        bound = where.bindings[name] if where is not None else []
        if len(bound) != 1 or not (bound[0] or "").startswith("$."):
            return None  # not bound once, by a class statement
        found = [
            owned
            for node, owned in self.ctx.facts.scope_of.items()
            if isinstance(node, cst.ClassDef) and node.name.value == name and owned.parent is where
        ]
        return found[0] if len(found) == 1 else None

    def _in_dict_value(self, value, where: Scope, key: cst.BaseExpression) -> Optional[List[Builder]]:
        if not isinstance(value, cst.Dict) or not value.elements:
            return None
        entries: List[Tuple[object, Builder]] = []
        for element in value.elements:
            if not isinstance(element, cst.DictElement):
                return None  # `**other`: unknown entries
            qualified = resolve(element.value, where)
            builder = self.table.by_path.get(qualified) if qualified is not None else None
            if builder is None:
                return None  # a value that is not a torchvision builder: not ours to judge
            entries.append((_key(element.key), builder))
        wanted = _key(key)
        if isinstance(wanted, str):
            picked = [builder for entry_key, builder in entries if entry_key == wanted]
            if picked:
                return picked[-1:]
        unique = {id(builder): builder for _, builder in entries}
        return list(unique.values())

    def _single_value(self, name: str, scope: Scope) -> Optional[cst.BaseExpression]:
        """The value of a name bound once, by one plain assignment in the scope it is read from."""
        if scope.lookup(name) != [None]:
            return None  # checked first: it is cheap, and most callees are not bound this way
        return self.ctx.facts.values().single_value(name, scope)


@dataclass
class Outcome:
    expression: Optional[str]  # the new value of the weights argument; None: no fix
    applicability: Applicability = Applicability.SAFE
    why: str = ""  # added to the message
    note: str = ""  # added to the fix message


def lookup_fix(
    calls: Sequence[Tuple[object, object]],
    anchor: cst.Arg,
    value: object,
    matching_case: Callable,
    condition: Optional[str],
) -> Outcome:
    """The fix for a deprecated flag passed to any of several builders: ``calls`` holds, for each
    builder the lookup can reach, its arguments (``_Call``) and legacy parameter."""
    call = calls[0][0]
    if call.has_star:  # type: ignore[attr-defined]
        return Outcome(None, why="no fix: `*args`/`**kwargs` may also pass the weights")
    positional = call.positional  # type: ignore[attr-defined]
    if positional and not (len(positional) == 1 and positional[0] is anchor):
        return Outcome(None, why="no fix: positional arguments bind different parameters in different builders")
    literal_flag = value in (True, False, None) and isinstance(value, (bool, type(None)))
    if literal_flag and not value:
        return Outcome("None")
    if not literal_flag and condition is None:
        return Outcome(None)
    members: Counter = Counter()
    by_member: Dict[str, List[str]] = {}
    for builder_call, legacy in calls:
        case, why = matching_case(legacy, builder_call)
        if why is not None:
            return Outcome(None, why=why)
        if case is None:
            continue  # torchvision has no legacy weights here: the deprecated call raises already
        members[case.member] += 1
        by_member.setdefault(case.member, []).append(builder_call.builder.name)  # type: ignore[attr-defined]
    if not members:
        return Outcome(None, why="torchvision has no legacy weights for any builder this can be")
    member, count = members.most_common(1)[0]
    text = f'"{member}"' if literal_flag else f'("{member}" if {condition} else None)'
    if len(members) == 1:
        return Outcome(text, Applicability.SAFE if literal_flag else Applicability.UNSAFE)
    others = sorted(name for other, names in by_member.items() if other != member for name in names)
    shown = ", ".join(f"`{name}`" for name in others[:_SHOWN]) + (", ..." if len(others) > _SHOWN else "")
    why = f"the builders it can be load different weights: `{member}` for {count} of them, another member for {shown}"
    return Outcome(text, Applicability.UNSAFE, why=why, note=f" (picks `{member}`; wrong for {shown})")
