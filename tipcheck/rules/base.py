"""The shape of a rule. Each rule lives in its own module, tipcheck/rules/tipNNN_*.py, and has its page and
corpus cases in rules/CODE/ at the repository root."""

from __future__ import annotations

from typing import ClassVar, Tuple

from tipcheck.context import RuleContext


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one line, for `tipcheck rules`
    # The cheap prefilter: a file is parsed for this rule only if its text contains one of these.
    needs_text: ClassVar[Tuple[str, ...]]
    # Whether some findings of this rule come with a fix ("always", "sometimes", "never").
    fixable: ClassVar[str] = "never"
    # Its row in the README's rule table (scripts/rule_table.py): what it finds, how safe its fix is.
    finds: ClassVar[str]
    fix_safety: ClassVar[str]
    project: ClassVar[bool] = False  # needs the project-wide training facts
    # A preview rule (an opinion or a performance hint, new): off unless preview mode is on or its
    # exact code is selected (tipcheck.config.Settings.enabled_codes), as Ruff's preview rules.
    preview: ClassVar[bool] = False

    def check(self, ctx: RuleContext) -> None:
        raise NotImplementedError

    def wanted(self, text: str) -> bool:
        return any(token in text for token in self.needs_text)


class ProjectRule(Rule):
    """A rule that reads the training-script facts of the whole linted project (ctx.project)."""

    project: ClassVar[bool] = True
    # Whether the files this rule wants pull in the modules linked to them by imports (tipcheck.prefilter):
    # a training loop in train.py needs the sampler built in data.py. A rule that only asks the project
    # about files it wants itself (TIP102: the callers of a helper, in scripts that mention CUDA too)
    # leaves that out, and costs the project step only its own files.
    expands: ClassVar[bool] = True
    # A project rule that needs the texts of every linted file (ProjectFacts.linted), not only those it reads.
    reads_linted: ClassVar[bool] = False
    # A project rule that needs the deployment configurations near the files (ProjectFacts.gpu_deployed).
    reads_deployment: ClassVar[bool] = False
