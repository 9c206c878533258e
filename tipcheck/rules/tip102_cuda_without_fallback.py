"""TIP102 cuda-without-fallback: CUDA-only placement that crashes on a machine without CUDA."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Edit, Fix
from tipcheck.facts.cuda_checks import ModuleChecks, project_checks
from tipcheck.facts.cuda_importers import built_only_on_gpus, constructions
from tipcheck.facts.device_names import kept_cuda_strings, kept_device_name
from tipcheck.facts.devices import DeviceFacts, Placement, code, is_plain_cuda
from tipcheck.fixes.devices import device_variable, idiom
from tipcheck.rules.base import ProjectRule

CRASHES = "with no CUDA check: this crashes on a machine without CUDA"
ACCELERATOR = (
    "`torch.accelerator.current_accelerator()` without `check_available=True` answers cuda on a CUDA "
    "build with no GPU: placement on it crashes there"
)


def message(placement: Placement) -> str:
    """The message, quoting the placement as written (`.cuda(1)`, `"cuda:1"`)."""
    if placement.form == "accelerator":
        return ACCELERATOR
    if placement.form == "cuda()":
        args = ", ".join(code(a).rstrip(", ") for a in placement.site.node.args)
        return f"`.cuda({args})` {CRASHES}"
    if placement.form == "device":
        return f"`{code(placement.site.node)}` {CRASHES}"
    if placement.form == "name":
        name = kept_device_name(placement.site)
        use = {"to": f".to({name})"}.get(placement.site.method or "", f"device={name}")
        if placement.site.callee == "torch.device":
            use = f"torch.device({name})"
        return f"`{code(placement.literal)}` kept in `{name}` for `{use}` {CRASHES}"
    shown = code(placement.literal)
    return f"`.to({shown})` {CRASHES}" if placement.form == "to" else f"`device={shown}` {CRASHES}"


class CudaWithoutFallback(ProjectRule):
    code = "TIP102"
    name = "cuda-without-fallback"
    finds = '`.cuda()`, `.to("cuda")`, `torch.device("cuda")`, `device="cuda"` with no CUDA check'
    fix_safety = "unsafe"
    summary = (
        '`.cuda()`, `.to("cuda")`, `torch.device("cuda")` or `device="cuda"` with no CUDA check: crashes without a GPU'
    )
    needs_text = ("cuda", "CUDA_VISIBLE_DEVICES", "current_accelerator", "nccl", "device_ids")
    # The project view serves the callers of a helper and the backends of the process groups: scripts
    # that place on CUDA or are GPU-only by design (an NCCL group, `set_device`, `device_ids`,
    # `CUDA_VISIBLE_DEVICES`) are read for this rule; nothing more is pulled in.
    expands = False
    # ... but the files that name a helper class are looked for in every linted text (cuda_importers).
    reads_linted = True
    reads_deployment = True  # a Cog predictor whose cog.yaml asks for a GPU (tipcheck.deployment)
    fixable = "sometimes"
    # "cuda", "cuda:1", "cuda:{}".format(...); the GPU-only statements of tipcheck.facts.cuda_checks:
    # plain substrings (str's search is much faster than one regular expression of alternatives),
    # and the quoted "cuda".
    _WORDS = (".cuda(", "current_accelerator", "'nccl'", '"nccl"', "set_device(", "device_ids", "CUDA_VISIBLE_DEVICES")
    _CUDA_STRING = re.compile(r"""["']cuda[:"']""")

    def wanted(self, text: str) -> bool:
        return any(word in text for word in self.needs_text) and (
            any(word in text for word in self._WORDS) or bool(self._CUDA_STRING.search(text))
        )

    def check(self, ctx: RuleContext) -> None:
        path = ctx.source.path
        checks = project_checks(ctx.project).module(path, ctx.module.body) if ctx.project is not None else None
        if checks is None:  # no project facts: this module's own checks and callers
            checks = ModuleChecks(DeviceFacts(ctx.source.text, ctx.facts.flow(path)), ctx.module.body, None)
        kept = kept_cuda_strings(checks.devices, ctx.facts, lambda func: _calls_of(checks, func))
        reported = set()  # a string kept in a name: one finding for all the placements through it
        for placement in checks.devices.cuda_placements() + kept:
            if id(placement.anchor) in reported:
                continue
            if placement.form in ("cuda()", "to") and checks.parameterless(placement.site):
                continue  # Module.cuda() on a module with nothing to move: it needs no CUDA
            if placement.form == "device" and checks.default_unused(placement.site):
                continue  # a parameter default that every call overrides
            if checks.governed(placement.site):
                continue
            if ctx.project is not None and built_only_on_gpus(checks, placement.site, ctx.project.linted):
                continue  # a method of a class that only GPU-only code builds
            reported.add(id(placement.anchor))
            ctx.report(placement.anchor, message(placement), self._fix(ctx, placement))

    @staticmethod
    def _fix(ctx: RuleContext, placement: Placement) -> Optional[Fix]:
        call = placement.site.node
        if placement.form == "accelerator":
            return None
        if placement.form == "name":
            return _kept_string_fix(ctx, placement)
        if placement.form == "device":
            if len(call.args) != 1 or not is_plain_cuda(call.args[0].value):
                return None  # torch.device("cuda", 1), "cuda:1": an explicit index is the author's to keep
            torch = _torch_name(ctx, placement)
            if torch is None:
                return None  # `device("cuda")` imported from torch: no name of torch to write the idiom with
            start, end = ctx.range(call)
            return Fix((Edit(start, end, idiom(torch)),), f"Replace with `{idiom(torch)}`", Applicability.UNSAFE)
        variable = device_variable(ctx, placement.site)
        if variable is None:
            return None
        name, idiom_edits = variable
        if placement.form in ("to", "device="):
            if not (is_plain_cuda(placement.literal) or _plain_cuda_device(placement.literal)):
                return None  # "cuda:1": the index is the author's to keep
            start, end = ctx.range(placement.literal)
            return Fix(
                (Edit(start, end, name), *idiom_edits), f"Use `{name}`, CUDA when it is available", Applicability.UNSAFE
            )
        # x.cuda(...) -> x.to(device, ...), keeping keyword arguments such as non_blocking=True.
        if not isinstance(call.func, cst.Attribute):
            return None
        if any(a.keyword is None or a.keyword.value == "device" for a in call.args):
            return None  # .cuda(1), .cuda(args.gpu): the index is the author's to keep
        keywords = [f"{a.keyword.value}={code(a.value)}" for a in call.args]
        start = ctx.range(call.func.attr)[0]
        end = ctx.range(call)[1]
        replacement = f"to({', '.join([name, *keywords])})"
        return Fix(
            (Edit(start, end, replacement), *idiom_edits), f"Replace with `.{replacement}`", Applicability.UNSAFE
        )


def _torch_name(ctx: RuleContext, placement: Placement) -> Optional[str]:
    """For `torch.device("cuda")` (`th.device(...)` with `import torch as th`): the name of torch
    it is called through, which the idiom then uses in its place."""
    func = placement.site.node.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
        return None
    summary = ctx.facts.flow(ctx.source.path)
    record = summary.funcs.get(placement.site.ctx.func)
    scope = record.scope if record is not None else ctx.facts.module_scope
    bound = scope.lookup(func.value.value)
    return func.value.value if bound and all(b == "torch" for b in bound) else None


def _plain_cuda_device(node: cst.BaseExpression) -> bool:
    """`torch.device("cuda")`, passed to `.to(...)` or `device=`."""
    return (
        isinstance(node, cst.Call)
        and code(node.func) == "torch.device"
        and len(node.args) == 1
        and is_plain_cuda(node.args[0].value)
    )


def _kept_string_fix(ctx: RuleContext, placement: Placement) -> Optional[Fix]:
    """`device = "cuda"` -> `device = "cuda" if torch.cuda.is_available() else "cpu"`, where the module
    imports torch under its name; a device index ("cuda:1") is the author's to keep."""
    bound = ctx.facts.module_scope.bindings.get("torch")
    if not is_plain_cuda(placement.literal) or not bound or any(b != "torch" for b in bound):
        return None
    quote = placement.literal.quote
    choice = f"{quote}cuda{quote} if torch.cuda.is_available() else {quote}cpu{quote}"
    start, end = ctx.range(placement.literal)
    return Fix((Edit(start, end, choice),), f"Replace with `{choice}`", Applicability.UNSAFE)


def _calls_of(checks: ModuleChecks, func: tuple) -> list:
    """The known calls of a function, none when some are out of sight; for the `__init__` of a
    class, also where the project builds the class through names the call graph does not follow
    (a package's re-export)."""
    if not checks.all_calls_known(func):
        return []  # handed to code outside the project: its defaults may be used there
    calls = list(checks.callers(func))
    record = checks.summary.funcs.get(func)
    if record is not None and record.class_key is not None and func[2].endswith(".__init__"):
        known = {id(site) for site in calls}
        calls += [site for site in constructions(checks, record.class_key) if id(site) not in known]
    return calls
