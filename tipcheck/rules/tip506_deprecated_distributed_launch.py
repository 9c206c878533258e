"""TIP506 deprecated-distributed-launch: `torch.distributed.launch` used from Python.

Reported: an import of the module (`import torch.distributed.launch`, `from torch.distributed
import launch`, `from torch.distributed.launch import main`), and a command that runs it, written
in the arguments of `subprocess.*`, `os.system`, `os.popen`, `os.exec*` / `os.spawn*` or
`runpy.run_module` (`[sys.executable, "-m", "torch.distributed.launch", ...]`,
`f"python -m torch.distributed.launch --nproc_per_node={n} train.py"`), directly or through a name
assigned once in the same scope. Not reported: `torch.distributed.run`, `torchrun`,
`torch.distributed.launcher` (the elastic API torchrun is built on), and the module named in any
other string (a help text, a print). Detection only: the migration is on the page.
"""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.facts.scopes import Scope, resolve
from tipcheck.facts.walk import nodes_in
from tipcheck.rules.base import Rule

MODULE = "torch.distributed.launch"
_MENTION = re.compile(r"(?<![\w.])torch\.distributed\.launch(?![\w.])")
RUNNERS = {
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "os.system",
    "os.popen",
    "runpy.run_module",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
}
_OS_PREFIXES = ("os.exec", "os.spawn", "os.posix_spawn")

MESSAGE_IMPORT = (
    "`torch.distributed.launch` is deprecated: launch with `torchrun` (or `python -m torch.distributed.run`), "
    'and read the rank from `os.environ["LOCAL_RANK"]`'
)
MESSAGE_RUN = (
    "This command runs the deprecated `torch.distributed.launch`: use `torchrun` (or `-m torch.distributed.run`), "
    "which passes `LOCAL_RANK` in the environment, not `--local_rank` in argv"
)


def _mentions(node: cst.CSTNode) -> bool:
    """Whether a string in the expression (plain, concatenated or f-string text) names the module."""
    for child in nodes_in(node):
        if isinstance(child, cst.SimpleString):
            value = child.evaluated_value
            text = value if isinstance(value, str) else value.decode("latin-1")
        elif isinstance(child, cst.FormattedStringText):
            text = child.value
        else:
            continue
        if _MENTION.search(text):
            return True
    return False


def _runner(call: cst.Call, scope: Scope) -> Optional[str]:
    name = resolve(call.func, scope)
    if name is None:
        return None
    if name in RUNNERS or name.startswith(_OS_PREFIXES):
        return name
    return None


class DeprecatedDistributedLaunch(Rule):
    code = "TIP506"
    name = "deprecated-distributed-launch"
    finds = "`torch.distributed.launch` imported, or run through `subprocess` / `os.system`"
    fix_safety = "none"
    summary = (
        "`torch.distributed.launch` is deprecated: launch with `torchrun`, which sets LOCAL_RANK in the environment"
    )
    needs_text = ("launch",)
    fixable = "never"

    def check(self, ctx: RuleContext) -> None:
        for node in nodes_in(ctx.module):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    name = _dotted(alias.name)
                    if name is not None and (name == MODULE or name.startswith(MODULE + ".")):
                        ctx.report(alias, MESSAGE_IMPORT)
            elif isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
                base = _dotted(node.module)
                if base == MODULE or (base or "").startswith(MODULE + "."):
                    ctx.report(node, MESSAGE_IMPORT)
                elif base == "torch.distributed" and not isinstance(node.names, cst.ImportStar):
                    for alias in node.names:
                        if _dotted(alias.name) == "launch":
                            ctx.report(alias, MESSAGE_IMPORT)
        values = None
        for call, scope in ctx.facts.calls:
            if _runner(call, scope) is None:
                continue
            for arg in call.args:
                if _mentions(arg.value):
                    ctx.report(call, MESSAGE_RUN)
                    break
                if isinstance(arg.value, cst.Name):
                    values = values or ctx.facts.values()
                    value = values.single_value(arg.value.value, scope)
                    if value is not None and _mentions(value):
                        ctx.report(call, MESSAGE_RUN)
                        break


def _dotted(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None
