"""TIP102 cuda-without-fallback: CUDA-only placement that crashes on a machine without CUDA."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Edit, Fix
from tipcheck.facts.devices import DeviceFacts, Placement, code
from tipcheck.fixes.devices import device_variable
from tipcheck.rules.base import Rule

IDIOM = 'torch.device("cuda" if torch.cuda.is_available() else "cpu")'

MESSAGES = {
    "cuda()": "`.cuda()` with no CUDA check: this crashes on a machine without CUDA",
    "to": "`.to(\"cuda\")` with no CUDA check: this crashes on a machine without CUDA",
    "device": "`torch.device(\"cuda\")` with no CUDA check: this crashes on a machine without CUDA",
    "device=": "`device=\"cuda\"` with no CUDA check: this crashes on a machine without CUDA",
    "accelerator": (
        "`torch.accelerator.current_accelerator()` without `check_available=True` answers cuda on a CUDA "
        "build with no GPU: placement on it crashes there"
    ),
}


class CudaWithoutFallback(Rule):
    code = "TIP102"
    name = "cuda-without-fallback"
    summary = "`.cuda()`, `.to(\"cuda\")`, `torch.device(\"cuda\")` or `device=\"cuda\"` with no CUDA check: crashes without a GPU"
    needs_text = ("cuda", "current_accelerator")
    fixable = "sometimes"
    _PATTERN = re.compile(r"""\.cuda\(|["']cuda(?::\d+)?["']|current_accelerator""")

    def wanted(self, text: str) -> bool:
        return "cuda" in text and bool(self._PATTERN.search(text)) or "current_accelerator" in text

    def check(self, ctx: RuleContext) -> None:
        summary = ctx.facts.flow(ctx.source.path)
        devices = DeviceFacts(ctx.source.text, ctx.module, summary)
        if devices.gpu_only:
            return
        for placement in devices.cuda_placements():
            if devices.governed(placement.site):
                continue
            ctx.report(placement.anchor, MESSAGES[placement.form], self._fix(ctx, placement))

    @staticmethod
    def _fix(ctx: RuleContext, placement: Placement) -> Optional[Fix]:
        call = placement.site.node
        if placement.form == "accelerator":
            return None
        if placement.form == "device":
            if len(call.args) != 1:
                return None  # torch.device("cuda", 1): an explicit index is the author's to keep
            start, end = ctx.range(call)
            return Fix((Edit(start, end, IDIOM),), f"Replace with `{IDIOM}`", Applicability.UNSAFE)
        variable = device_variable(ctx, placement.site)
        if variable is None:
            return None
        name, idiom_edits = variable
        if placement.form in ("to", "device="):
            start, end = ctx.range(placement.literal)
            return Fix((Edit(start, end, name), *idiom_edits), f"Use `{name}`, CUDA when it is available", Applicability.UNSAFE)
        # x.cuda(...) -> x.to(device, ...), keeping keyword arguments such as non_blocking=True.
        if not isinstance(call.func, cst.Attribute):
            return None
        keywords = [f"{a.keyword.value}={code(a.value)}" for a in call.args if a.keyword is not None and a.keyword.value != "device"]
        if any(a.star for a in call.args):
            return None
        start = ctx.range(call.func.attr)[0]
        end = ctx.range(call)[1]
        replacement = f"to({', '.join([name, *keywords])})"
        return Fix((Edit(start, end, replacement), *idiom_edits), f"Replace with `.{replacement}`", Applicability.UNSAFE)
