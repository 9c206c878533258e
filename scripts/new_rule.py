#!/usr/bin/env python
"""Write the skeleton of a new rule: everything a rule is, so that it is picked up everywhere.

    python scripts/new_rule.py TIP301 loader-without-workers

writes

* ``tipcheck/rules/tip301_loader_without_workers.py``: the rule (collected by ``tipcheck.rules``);
* ``rules/TIP301/TIP301.md``: its page (``tipcheck rule TIP301``; its examples are tested);
* ``rules/TIP301/p301_loader_without_workers.py`` and ``n301_loader_without_workers.py``: one positive
  and one negative corpus case (tests/test_corpus.py selects the TIP3 rules for them, from the name);
* ``fixtures/tip301_loader_without_workers.py`` and its ``.expect.json``: a harness fixture;

and regenerates the README's rule table (scripts/rule_table.py). The skeleton rule reports calls to a
placeholder function, ``tip301_placeholder()``, so that every piece works end to end before the real
check is written; each file says, in a TODO, what to replace. Until then the corpus test asks for more
cases of the rule (three positive and three negative) and the harness test for a fix.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

REPO_ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"^TIP[1-9]\d{2}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

RULE_MODULE = '''"""{code} {name}: TODO one line on the mistake this rule finds."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from tipcheck.context import RuleContext
from tipcheck.rules.base import Rule

# TODO: the skeleton reports calls to this placeholder; replace it with the real check.
PLACEHOLDER = "{placeholder}"


class {cls}(Rule):
    code = "{code}"
    name = "{name}"
    finds = "TODO what it finds (the README's rule table)"
    fix_safety = "none"  # the README's rule table: "safe", "unsafe", "none", or a sentence
    summary = "TODO one line, for `tipcheck rules`"
    needs_text = (PLACEHOLDER,)  # a file is parsed for this rule only if its text contains one of these
    fixable = "never"  # "always", "sometimes" or "never"

    def check(self, ctx: RuleContext) -> None:
        for call in m.findall(ctx.module, m.Call(func=m.Name(PLACEHOLDER))):
            assert isinstance(call, cst.Call)
            ctx.report(call, f"`{{PLACEHOLDER}}()` is called (TODO: the message)")
'''

PAGE = """# {name} ({code})

## What it does
TODO: what the rule reports. The skeleton reports calls to `{placeholder}()`.

## Why is this bad?
TODO: what goes wrong at run time, and when.

## Example
```python
{placeholder}()
```

## Use instead
```python
pass
```

## Fix safety
TODO: no fix yet.

## References
- [PyTorch documentation](https://pytorch.org/docs/stable/index.html)
"""

POSITIVE = '''"""[{code}] TODO: where this mistake comes from (real-world: a link, or synthetic). Each expect states the fix its finding carries: [safe-fix], [unsafe-fix] or [no-fix]."""


def {placeholder}():
    pass


{placeholder}()  # expect: {code}[no-fix]
'''

NEGATIVE = '''# expect: none
"""[{code}] TODO: the nearby correct code this rule must not report (real-world: a link, or synthetic)."""


def train():
    pass


train()
'''

FIXTURE = '''"""{code}: TODO what goes wrong when this script runs, and what the fix changes.

Small, in-memory, CPU-only: runs in well under a second.
"""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset


def {placeholder}():
    pass


torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
inputs = torch.randn(32, 8)
targets = inputs @ torch.randn(8, 1) + 0.1 * torch.randn(32, 1)
loader = DataLoader(TensorDataset(inputs, targets), batch_size=8, shuffle=True)

model = nn.Linear(8, 1).to(device)
criterion = nn.MSELoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)

for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    {placeholder}()
    print(f"epoch {{epoch}}: loss {{loss.item():.4f}}")
'''

EXPECT = """{{
  "rule": "{code}",
  "about": "TODO: what the checks show before the fix, and after it.",
  "before": [
    "exit_ok",
    "loss_finite"
  ],
  "after": [
    "exit_ok",
    "loss_finite"
  ]
}}
"""


class NewRuleError(ValueError):
    """A code or name new_rule.py cannot use."""


def skeleton(code: str, name: str, root: Path = REPO_ROOT) -> Dict[Path, str]:
    """The files of a new rule, path -> text (nothing is written)."""
    code = code.upper()
    if not CODE.match(code):
        raise NewRuleError(f"`{code}` is not a rule code: TIP and three digits, TIP100 or above (TIP301)")
    if not NAME.match(name):
        raise NewRuleError(f"`{name}` is not a rule name: lower-case words joined by `-` (loader-without-workers)")
    digits, snake = code[3:], name.replace("-", "_")
    taken = sorted((root / "tipcheck" / "rules").glob(f"tip{digits}_*.py"))
    if taken:
        raise NewRuleError(f"{code} exists already: {taken[0].relative_to(root)}")
    values = {
        "code": code,
        "name": name,
        "cls": "".join(word.capitalize() for word in name.split("-")),
        "placeholder": f"tip{digits}_placeholder",
    }
    files = {
        root / "tipcheck" / "rules" / f"tip{digits}_{snake}.py": RULE_MODULE,
        root / "rules" / code / f"{code}.md": PAGE,
        root / "rules" / code / f"p{digits}_{snake}.py": POSITIVE,
        root / "rules" / code / f"n{digits}_{snake}.py": NEGATIVE,
        root / "fixtures" / f"tip{digits}_{snake}.py": FIXTURE,
        root / "fixtures" / f"tip{digits}_{snake}.expect.json": EXPECT,
    }
    out = {path: template.format(**values) for path, template in files.items()}
    existing = [path for path in out if path.exists()]
    if existing:
        raise NewRuleError(f"{existing[0].relative_to(root)} exists already")
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("code", help="the new rule's code, e.g. TIP301")
    parser.add_argument("name", help="its name, lower-case words joined by `-`, e.g. loader-without-workers")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="the repository (default: this script's)")
    args = parser.parse_args(argv)
    try:
        files = skeleton(args.code, args.name, args.root)
    except NewRuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(args.root)}")
    table = subprocess.run(
        [sys.executable, str(args.root / "scripts" / "rule_table.py"), "--readme", str(args.root / "README.md")],
        cwd=args.root,
    )
    if table.returncode != 0:
        print("error: the README's rule table was not regenerated (see above)", file=sys.stderr)
        return 1
    print(f"next: write the check in {next(iter(files)).relative_to(args.root)}, then the page and the cases (TODOs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
