"""TIP503 local-rank-from-argv-only: `--local_rank` parsed from argv, which torchrun never passes."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Fix
from tipcheck.facts.local_rank import (
    LocalRankOption,
    code,
    local_rank_options,
    option_function,
    process_group_calls,
    reads_local_rank_env,
    reassigns_attribute,
    scripts_parsing_with,
    spawns,
)
from tipcheck.facts.modules import TextImports
from tipcheck.fixes.arguments import add_keyword, set_value
from tipcheck.fixes.imports import reach_module
from tipcheck.rules.base import ProjectRule


class LocalRankFromArgvOnly(ProjectRule):
    code = "TIP503"
    name = "local-rank-from-argv-only"
    finds = (
        "`--local_rank` / `--local-rank` read from argparse with no fallback to `os.environ['LOCAL_RANK']`, "
        "in a script that initialises a process group"
    )
    fix_safety = "safe"
    summary = "`--local_rank` comes from argv only: under torchrun (which sets LOCAL_RANK) every rank gets the default"
    needs_text = ("local_rank", "local-rank")
    fixable = "sometimes"
    # The option may be in a helper module's parser factory; the scripts that call it are found in
    # the linted texts (tipcheck.facts.local_rank.scripts_parsing_with), not in the training facts.
    expands = False
    reads_linted = True

    def check(self, ctx: RuleContext) -> None:
        facts = ctx.facts
        if reads_local_rank_env(facts) or spawns(ctx.source.text):
            return  # LOCAL_RANK is read, or this module starts its ranks itself
        if reassigns_attribute(facts, "local_rank"):
            return  # `args.local_rank = ...` after parsing: the value comes from elsewhere
        options = local_rank_options(facts)
        if not options:
            return
        if process_group_calls(facts):
            for option in options:
                self._report(ctx, option, "")
            return
        # A parser built by a function of a helper module: the scripts that call it start the group.
        linted = getattr(ctx.project, "linted", None) or {}
        for option in options:
            function = option_function(ctx.module, option.call)
            if function is None or not linted:
                continue
            users = scripts_parsing_with(ctx.source.path, function, linted, _imports(ctx.project, linted))
            if users:
                more = f" (and {len(users) - 1} more)" if len(users) > 1 else ""
                self._report(
                    ctx, option, f" `{users[0]}`{more} parses it with `{function}()` and starts a process group;"
                )

    def _report(self, ctx: RuleContext, option: LocalRankOption, users: str) -> None:
        ctx.report(
            option.call,
            f"`--local_rank` is read from the command line only:{users} torchrun passes no such argument (it "
            "sets the LOCAL_RANK environment variable), so every rank gets the default and they all pick one GPU",
            self._fix(ctx, option),
        )

    def _fix(self, ctx: RuleContext, option: LocalRankOption) -> Optional[Fix]:
        """`default=int(os.environ.get("LOCAL_RANK", N))` for an integer default N;
        `default=int(os.environ["LOCAL_RANK"]) if "LOCAL_RANK" in os.environ else OLD` for any
        other default (None when there is none): without LOCAL_RANK the default is what it was.
        Not for a required option (its default is never used)."""
        if option.required or any(a.star for a in option.call.args):
            return None
        keywords = {a.keyword.value for a in option.call.args if a.keyword is not None}
        if keywords & {"action", "nargs", "dest"} and not _plain_store(option.call):
            return None
        found = reach_module(ctx, option.scope, "os")
        if found is None:
            return None
        os_name, edits = found
        old = option.default.value if option.default is not None else None
        if old is not None and _integer(old):
            value = f'int({os_name}.environ.get("LOCAL_RANK", {code(old)}))'
        else:
            previous = code(old) if old is not None else "None"
            value = f'int({os_name}.environ["LOCAL_RANK"]) if "LOCAL_RANK" in {os_name}.environ else {previous}'
        if option.default is not None:
            edit = set_value(ctx, option.default, value)
        else:
            edit = add_keyword(ctx, option.call, "default", value)
            if edit is None:
                return None
        return Fix((*edits, edit), "Default to the LOCAL_RANK environment variable torchrun sets", Applicability.SAFE)


def _imports(project, linted):
    """What the linted files import, read from their text (made once per project)."""
    return project.derived("tip503-imports", lambda _: TextImports(list(linted)))


def _integer(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, cst.Integer)


def _plain_store(call: cst.Call) -> bool:
    """An option whose `action` is "store" and that has no `nargs` (its value is one item); a `dest=`
    alone is fine."""
    for arg in call.args:
        if arg.keyword is None:
            continue
        if arg.keyword.value == "nargs":
            return False
        if arg.keyword.value == "action":
            if not (isinstance(arg.value, cst.SimpleString) and arg.value.evaluated_value == "store"):
                return False
    return True
