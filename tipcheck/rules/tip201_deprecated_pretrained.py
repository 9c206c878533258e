"""TIP201 deprecated-pretrained: torchvision's `pretrained=` becomes the exact `weights=` member.

The builder-to-enum table (tipcheck/data/torchvision_builders.json) is generated from the
installed torchvision by scripts/generate_torchvision_table.py and records the member torchvision's
own legacy handler picks, which is often not `.DEFAULT`.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Set, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.data import Builder, LegacyCase, LegacyParam, torchvision_table
from tipcheck.diagnostics import Applicability, Edit, Fix
from tipcheck.facts import Scope, dotted_name, resolve
from tipcheck.facts.versions import old_branch_calls
from tipcheck.fixes.imports import reach
from tipcheck.rules._tip201_lookups import Lookups, lookup_fix
from tipcheck.rules._tip201_wrappers import forwarding_wrappers
from tipcheck.rules.base import Rule

GET_MODEL = {"torchvision.models.get_model", "torchvision.models._api.get_model"}

_UNKNOWN = object()  # an argument whose value the linter cannot know
_ABSENT = object()


def literal(node: cst.BaseExpression) -> object:
    """The value of a literal True/False/None, string or integer; _UNKNOWN otherwise."""
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else _UNKNOWN
    if isinstance(node, cst.Integer):
        return int(node.value, 0) if node.value.isdigit() or node.value.startswith("0") else _UNKNOWN
    return _UNKNOWN


class _Call:
    """A builder call's arguments, keyed by the parameter each one binds."""

    def __init__(self, call: cst.Call, builder: Builder, positional_params: bool, via=None) -> None:
        self.call = call
        self.builder = builder
        self.via = via  # the module's wrapper the call goes through (tipcheck.rules._tip201_wrappers)
        self.has_star = any(arg.star for arg in call.args)
        self.keywords: Dict[str, cst.Arg] = {}
        self.positional: List[cst.Arg] = []
        for arg in call.args:
            if arg.star:
                continue
            if arg.keyword is not None:
                self.keywords[arg.keyword.value] = arg
            else:
                self.positional.append(arg)
        # kwonly_to_pos_or_kw maps positional arguments onto the keyword-only parameters, in order.
        self.by_param: Dict[str, cst.Arg] = dict(self.keywords)
        self.positional_ok = positional_params and len(self.positional) <= len(builder.params)
        if self.positional_ok:
            for param, arg in zip(builder.params, self.positional):
                self.by_param.setdefault(param, arg)

    def value_of(self, param: str) -> object:
        arg = self.by_param.get(param)
        if arg is None:
            return _UNKNOWN if self.has_star else _ABSENT
        return literal(arg.value)


def is_flag(ctx: RuleContext, scope: Scope, node: cst.BaseExpression, depth: int = 0) -> bool:
    """Whether a value is a boolean flag: ``not x``, a comparison, ``bool(x)``, ``and``/``or`` of
    flags, or a name bound once, to a flag or as a parameter with a boolean default or annotation.
    Passed positionally to a builder, only a flag is the legacy ``pretrained`` (torchvision takes a
    string, an enum member or None there as the weights themselves)."""
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return True
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, cst.Not)
    if isinstance(node, cst.Comparison):
        return True
    if isinstance(node, cst.BooleanOperation):
        return is_flag(ctx, scope, node.left, depth) and is_flag(ctx, scope, node.right, depth)
    if isinstance(node, cst.Call):
        return isinstance(node.func, cst.Name) and node.func.value == "bool" and scope.lookup("bool") is None
    if not isinstance(node, cst.Name) or depth > 2 or scope.lookup(node.value) != [None]:
        return False
    values = ctx.facts.values()
    param = values.parameter(node.value, scope)
    if param is not None:
        annotation = param.annotation.annotation if param.annotation is not None else None
        if isinstance(annotation, cst.Name) and annotation.value == "bool":
            return True
        return param.default is not None and isinstance(literal(param.default), bool)
    value = values.single_value(node.value, scope)
    where = scope.lookup_scope(node.value)
    return value is not None and where is not None and is_flag(ctx, where, value, depth + 1)


def _same(value: object, expected: object) -> bool:
    """torchvision tests flags such as `quantize` for truth (`quantize=None` is false)."""
    return bool(value) == expected if isinstance(expected, bool) else value == expected


def _matching_case(legacy: LegacyParam, call: _Call) -> Tuple[Optional[LegacyCase], Optional[str]]:
    """The case torchvision's legacy handler would pick, or (None, why not)."""
    values = {key: call.value_of(key) for key in legacy.depends_on}
    unknown = [key for key, value in values.items() if value is _UNKNOWN]
    if unknown:
        return None, f"the weights depend on `{unknown[0]}`, which is not a literal"
    for case in legacy.cases:
        if all(
            (key in case.when and values[key] is not _ABSENT and _same(values[key], case.when[key]))
            or (key not in case.when and values[key] is _ABSENT)
            for key in legacy.depends_on
        ):
            return case, None
    return None, None


def _may_pass_flag(call: cst.Call) -> bool:
    """A cheap first look: a ``pretrained*=`` keyword, or a first argument that may be a flag."""
    first = call.args[0]
    if first.keyword is None and not first.star:
        return isinstance(first.value, (cst.Name, cst.UnaryOperation, cst.Comparison, cst.BooleanOperation))
    return any(arg.keyword is not None and arg.keyword.value.startswith("pretrained") for arg in call.args)


def _reach_text(pairs) -> str:
    names = sorted({b.name for b, _ in pairs})
    return f"`{names[0]}`" if len(names) == 1 else f"one of {len(names)} builders"


class DeprecatedPretrained(Rule):
    code = "TIP201"
    name = "deprecated-pretrained"
    finds = "torchvision `pretrained=` / `pretrained_backbone=`: rewritten to the exact `weights=` member torchvision's legacy handler loads (not `.DEFAULT`)"
    fix_safety = "safe for literals, unsafe otherwise"
    summary = "torchvision `pretrained=` is deprecated: use the exact `weights=` enum member"
    needs_text = ("torchvision",)
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        table = torchvision_table()
        guarded: List[Set[int]] = []

        def old_torchvision_only(call: cst.Call) -> bool:
            # the old side of a torchvision version check: the project handles both APIs
            if not guarded:
                guarded.append(old_branch_calls(ctx.facts, "torchvision"))
            return id(call) in guarded[0]

        for call, scope, qualified in ctx.facts.calls_to("torchvision"):
            builder = table.by_path.get(qualified)
            positional_params = True
            if builder is None and qualified in GET_MODEL:
                builder = self._builder_from_get_model(call, table)
                positional_params = False  # get_model(name, **config): config is keyword-only
            if builder is None or not call.args or old_torchvision_only(call):
                continue
            args = _Call(call, builder, positional_params)
            for legacy in builder.legacy:
                self._check_param(ctx, scope, args, legacy)
        wrappers = forwarding_wrappers(ctx, table) if "**" in ctx.source.text else {}
        lookups = None
        for call, scope in ctx.facts.calls:
            wrapper = wrappers.get(resolve(call.func, scope) or "") if wrappers and call.args else None
            if wrapper is not None and not old_torchvision_only(call):
                args = _Call(call, wrapper.builder, wrapper.positional, via=wrapper)
                for legacy in wrapper.builder.legacy:
                    self._check_param(ctx, scope, args, legacy)
                continue
            if isinstance(call.func, cst.Attribute) or not call.args or not _may_pass_flag(call):
                continue  # a lookup is a subscript, a getattr() call or a name; it passes the flag
            lookups = lookups or Lookups(ctx, table)
            reached = lookups.reach(call.func, scope)
            if reached is not None and not old_torchvision_only(call):
                self._check_lookup(ctx, call, scope, *reached)

    @staticmethod
    def _builder_from_get_model(call: cst.Call, table) -> Optional[Builder]:
        name_arg = next((a for a in call.args if a.keyword and a.keyword.value == "name"), None)
        if name_arg is None and call.args and not call.args[0].keyword and not call.args[0].star:
            name_arg = call.args[0]
        if name_arg is None:
            return None
        name = literal(name_arg.value)
        return table.by_registry_name.get(name) if isinstance(name, str) else None

    def _check_param(self, ctx: RuleContext, scope: Scope, call: _Call, legacy: LegacyParam) -> None:
        pretrained = call.keywords.get(legacy.pretrained_param)
        weights = call.by_param.get(legacy.weights_param)
        if pretrained is not None:
            anchor, value = pretrained, literal(pretrained.value)
            if weights is not None:
                ctx.report(
                    anchor,
                    f"`{legacy.pretrained_param}` and `{legacy.weights_param}` are both passed to "
                    f"`{call.builder.name}`: torchvision forwards `{legacy.pretrained_param}` to the model, "
                    f"which raises a TypeError; keep only `{legacy.weights_param}`",
                )
                return
        elif (
            weights is not None and literal(weights.value) in (True, False) and isinstance(literal(weights.value), bool)
        ):
            # `weights=True` or a positional `resnet18(True)`: the legacy boolean in disguise.
            anchor, value = weights, literal(weights.value)
        elif weights is not None and weights.keyword is None and is_flag(ctx, scope, weights.value):
            # `vgg16(not opt.load_path)`, `vgg16(pretrained)` with `def f(pretrained=True)`: a flag.
            anchor, value = weights, _UNKNOWN
        else:
            return
        shown = self._arg_text(ctx, anchor)
        if anchor.keyword is None:
            message = (
                f"`{call.builder.name}({shown})` passes the deprecated `{legacy.pretrained_param}` flag positionally"
            )
        elif anchor.keyword.value == legacy.weights_param:
            message = (
                f"`{call.builder.name}({shown})` passes a boolean as `{legacy.weights_param}`, "
                f"the deprecated `{legacy.pretrained_param}` interface"
            )
        else:
            message = f"`{call.builder.name}({shown})` uses the deprecated `{legacy.pretrained_param}` parameter"
        if call.via is not None:
            name = call.via.name[2:]
            message = message.replace(f"`{call.builder.name}(", f"`{name}(", 1)
            message += f" (`{name}` hands it on to torchvision's `{call.builder.name}`)"
        target, applicability, why_not = self._target(ctx, scope, call, legacy, value)
        if target is None:
            ctx.report(anchor, f"{message}; {why_not}" if why_not else message)
            return
        expression, import_edits = target
        edits = self._rewrite(ctx, call, legacy, anchor, expression)
        if edits is None:
            ctx.report(anchor, message)
            return
        fix = Fix(
            edits=tuple(edits) + import_edits,
            message=f"Replace with `{legacy.weights_param}={expression}`",
            applicability=applicability,
        )
        ctx.report(anchor, message, fix)

    def _check_lookup(
        self, ctx: RuleContext, call: cst.Call, scope: Scope, label: str, builders: List[Builder]
    ) -> None:
        """A call of a builder picked at run time (``models.__dict__[arch]``, ``getattr(models, name)``,
        a dict of builders): reported like a direct call; the fix names the weights as a string,
        which every builder resolves against its own enum (see tipcheck.rules.tip201_lookups)."""
        keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
        anchors: List[Tuple[cst.Arg, Callable]] = [
            (anchor, lambda lp, name=name: lp.pretrained_param == name) for name, anchor in keywords.items()
        ]
        first = call.args[0]
        weights_params = {b.params[0] if b.params else None for b in builders}
        if first.keyword is None and not first.star and len(weights_params) == 1:
            # A positional first argument binds the first keyword-only parameter of every builder
            # (torchvision's kwonly_to_pos_or_kw); a flag there is the legacy `pretrained`.
            (weights_param,) = weights_params
            legacy_names = {
                n
                for b in builders
                for lp in b.legacy
                if lp.weights_param == weights_param
                for n in (lp.pretrained_param, lp.weights_param)
            }
            if not legacy_names & set(keywords) and is_flag(ctx, scope, first.value):
                anchors.append((first, lambda lp: lp.weights_param == weights_param))
        for anchor, binds in anchors:
            pairs = [(b, lp) for b in builders for lp in b.legacy if binds(lp)]
            if not pairs:
                continue
            pretrained_param = anchor.keyword.value if anchor.keyword else pairs[0][1].pretrained_param
            weights_params = {lp.weights_param for _, lp in pairs}
            message = (
                f"`{label}(...)` calls a torchvision builder picked at run time ({_reach_text(pairs)}) with "
                f"the deprecated `{pretrained_param}` {'parameter' if anchor.keyword else 'flag, passed positionally'}"
            )
            if len(weights_params) != 1 or (weights_params & set(keywords) and anchor.keyword is not None):
                ctx.report(anchor, message)
                continue
            weights_param = weights_params.pop()
            calls = [(_Call(call, b, positional_params=False), lp) for b, lp in pairs]
            condition = self._condition(ctx, anchor, positional_flag=True)
            outcome = lookup_fix(calls, anchor, literal(anchor.value), _matching_case, condition)
            if outcome.expression is None:
                ctx.report(anchor, f"{message}; {outcome.why}" if outcome.why else message)
                continue
            start, end = ctx.range(anchor.value)
            if anchor.keyword is None:
                edits = [Edit(start, end, f"{weights_param}={outcome.expression}")]
            else:
                edits = [Edit(start, end, outcome.expression)]
            if anchor.keyword is not None and pretrained_param != weights_param:
                k_start, k_end = ctx.range(anchor.keyword)
                edits.append(Edit(k_start, k_end, weights_param))
            fix = Fix(
                edits=tuple(edits),
                message=f"Replace with `{weights_param}={outcome.expression}`{outcome.note}",
                applicability=outcome.applicability,
            )
            ctx.report(anchor, f"{message}{outcome.why and '; ' + outcome.why}", fix)

    @staticmethod
    def _arg_text(ctx: RuleContext, arg: cst.Arg) -> str:
        text = f"{arg.keyword.value}={ctx.text(arg.value)}" if arg.keyword else ctx.text(arg.value)
        return text if len(text) <= 60 and "\n" not in text else text.split("\n", 1)[0][:57] + "..."

    def _target(self, ctx, scope, call: _Call, legacy: LegacyParam, value):
        """((expression, import edits), applicability, None) or (None, None, why there is no fix)."""
        if call.has_star:
            return None, None, "no fix: `*args`/`**kwargs` may also pass the weights"
        if value is _UNKNOWN or value not in (True, False, None):
            arg = call.by_param.get(legacy.pretrained_param) or call.by_param.get(legacy.weights_param)
            condition = self._condition(ctx, arg, positional_flag=arg is not None and arg.keyword is None)
            if condition is None:
                return None, None, None
        else:
            condition = None
        if value in (False, None) and condition is None:
            return ("None", ()), Applicability.SAFE, None
        case, why = _matching_case(legacy, call)
        if case is None:
            why = why or (
                f"torchvision raises here: `{call.builder.name}` has no legacy weights for these "
                f"arguments; pick a `{legacy.weights_param}=` enum member explicitly"
            )
            return None, None, why
        head = call.via.head if call.via is not None else dotted_name(call.call.func).split(".", 1)[0]
        reached = reach(ctx, scope, head, case.module, case.class_name, at=ctx.range(call.call)[0])
        if reached is None:
            return None, None, None
        enum_expr, import_edits = reached
        member = f"{enum_expr}.{case.member}"
        if condition is None:
            return (member, import_edits), Applicability.SAFE, None
        return (f"({member} if {condition} else None)", import_edits), Applicability.UNSAFE, None

    @staticmethod
    def _condition(ctx: RuleContext, arg: Optional[cst.Arg], positional_flag: bool = False) -> Optional[str]:
        if arg is None or (arg.keyword is None and not positional_flag):
            return None  # a non-literal positional value may already be a weights enum
        text = ctx.text(arg.value)
        if isinstance(arg.value, (cst.IfExp, cst.Lambda, cst.NamedExpr)):
            text = f"({text})"
        return text

    @staticmethod
    def _rewrite(
        ctx: RuleContext, call: _Call, legacy: LegacyParam, anchor: cst.Arg, expression: str
    ) -> Optional[List[Edit]]:
        start, end = ctx.range(anchor.value)
        if anchor.keyword is not None:
            edits = [Edit(start, end, expression)]
            if anchor.keyword.value != legacy.weights_param:
                k_start, k_end = ctx.range(anchor.keyword)
                edits.append(Edit(k_start, k_end, legacy.weights_param))
            return edits
        # Positional: name every positional argument, so that none follows a keyword one.
        if not call.positional_ok:
            return None
        others = {lp.weights_param: lp.pretrained_param for lp in call.builder.legacy}
        edits = []
        for param, arg in zip(call.builder.params, call.positional):
            a_start, a_end = ctx.range(arg.value)
            if arg is anchor:
                edits.append(Edit(a_start, a_end, f"{legacy.weights_param}={expression}"))
            elif param in others and isinstance(literal(arg.value), bool):
                # Fixed on the next pass. A replacement, not an insertion: the other flag's own fix
                # replaces this same range, and the two must conflict so that one waits a pass.
                edits.append(Edit(a_start, a_end, f"{others[param]}={ctx.text(arg.value)}"))
            else:
                edits.append(Edit.insert(a_start, f"{param}="))
        return edits
