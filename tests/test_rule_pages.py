"""Every rule has a page, rules/CODE/CODE.md (beside its corpus cases), shaped like a Ruff rule page, and its examples are true:
the Example is reported, the Use instead is not, and fixing the Example gives the Use instead."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import pytest
from click.testing import CliRunner
from conftest import fix, lint

from tipcheck.cli import cli
from tipcheck.rules import ALL_RULES

PAGES = Path(__file__).resolve().parent.parent / "rules"
HEADINGS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## References"]
RULES = pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])


def page(rule) -> str:
    path = PAGES / rule.code / f"{rule.code}.md"
    assert path.is_file(), f"{rule.code} has no page at rules/{rule.code}/{rule.code}.md"
    return path.read_text(encoding="utf-8")


def sections(text: str) -> Dict[str, str]:
    """The text under each `## ` heading (code blocks may hold `#` lines: only fences are tracked)."""
    found: Dict[str, List[str]] = {}
    current = None
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            current = line
            found[current] = []
        elif current is not None:
            found[current].append(line)
    return {heading: "\n".join(lines) for heading, lines in found.items()}


def python_block(text: str, heading: str) -> str:
    blocks = re.findall(r"^```python\n(.*?)^```$", sections(text)[heading], flags=re.S | re.M)
    assert len(blocks) == 1, f"{heading}: expected one ```python block, found {len(blocks)}"
    return blocks[0]


@RULES
def test_page_headings(rule):
    text = page(rule)
    assert text.splitlines()[0] == f"# {rule.name} ({rule.code})"
    assert list(sections(text)) == HEADINGS
    for heading, body in sections(text).items():
        assert body.strip(), f"{rule.code}: {heading} is empty"
    assert re.search(r"\]\(https?://", sections(text)["## References"]), f"{rule.code}: References has no link"


@RULES
def test_example_is_reported(rule):
    example = python_block(page(rule), "## Example")
    codes = [d.code for d in lint(example, select=(rule.code,))]
    assert rule.code in codes, f"{rule.code}: its Example is not reported"


@RULES
def test_use_instead_is_clean(rule):
    use_instead = python_block(page(rule), "## Use instead")
    compile(use_instead, f"{rule.code}-use-instead.py", "exec")
    assert lint(use_instead, select=(rule.code,)) == []


@RULES
def test_fixing_the_example_gives_use_instead(rule):
    if rule.fixable == "never":
        pytest.skip(f"{rule.code} has no fix")
    text = page(rule)
    example, use_instead = python_block(text, "## Example"), python_block(text, "## Use instead")
    assert fix(example, unsafe=True, select=(rule.code,)) == use_instead


@RULES
def test_cli_prints_the_page(rule):
    result = CliRunner().invoke(cli, ["rule", rule.code.lower()])
    assert result.exit_code == 0, result.output
    assert result.output == page(rule)


def test_cli_prints_tip201():
    result = CliRunner().invoke(cli, ["rule", "TIP201"])
    assert result.exit_code == 0
    assert result.output.startswith("# deprecated-pretrained (TIP201)\n")
    assert "weights=ResNet50_Weights.IMAGENET1K_V1" in result.output


def test_every_page_belongs_to_a_rule():
    codes = {rule.code for rule in ALL_RULES}
    assert {path.stem for path in PAGES.glob("TIP*/TIP*.md")} <= codes
    assert all(path.parent.name == path.stem for path in PAGES.glob("*/TIP*.md"))


def test_readme_rule_table_lists_every_rule():
    """The README's rule table keeps up with the registry."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in ALL_RULES:
        assert f"| [{rule.code}](rules/{rule.code}/{rule.code}.md) | {rule.name} |" in readme, rule.code
