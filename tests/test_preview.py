"""Preview rules (as Ruff's): off by default, on with preview mode or their exact code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tipcheck.cli import cli
from tipcheck.config import Overrides, Settings
from tipcheck.docs import rule_page
from tipcheck.rules import ALL_RULES

PREVIEW = sorted(rule.code for rule in ALL_RULES if rule.preview)
STABLE = sorted(rule.code for rule in ALL_RULES if not rule.preview)

POSITIVE = """\
import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(TensorDataset(torch.randn(8, 2), torch.randn(8, 1)), batch_size=4, shuffle=True)
model = torch.nn.Linear(2, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x.to(device)), y.to(device)).backward()
        optimizer.step()
"""


def test_there_are_preview_rules():
    assert "TIP305" in PREVIEW and "TIP306" in PREVIEW
    assert {"TIP301", "TIP302", "TIP303", "TIP304"} <= set(STABLE)


def _enabled(**options) -> frozenset:
    return Settings.default().with_overrides(Overrides(**options)).enabled_codes


def test_off_by_default_and_with_a_prefix():
    assert not set(PREVIEW) & _enabled()
    assert not set(PREVIEW) & _enabled(select=["TIP3"])
    assert not set(PREVIEW) & _enabled(select=["ALL"])
    assert set(STABLE) == set(_enabled())


def test_on_with_preview_mode_or_the_exact_code():
    assert set(PREVIEW) <= _enabled(preview=True)
    assert "TIP305" in _enabled(select=["TIP305"]) and "TIP306" not in _enabled(select=["TIP305"])
    assert "TIP305" in _enabled(extend_select=["TIP305"])
    assert "TIP305" not in _enabled(preview=True, ignore=["TIP305"])
    tip3 = {code for code in PREVIEW if code.startswith("TIP3")}  # TIP507 is a preview rule of another family
    assert set(PREVIEW) & _enabled(preview=True, select=["TIP3"]) == tip3


def test_preview_key_in_the_config(tmp_path: Path):
    config = tmp_path / "tipcheck.toml"
    config.write_text("preview = true\n")
    assert set(PREVIEW) <= Settings.from_file(str(config)).enabled_codes
    config.write_text("preview = false\n")
    assert not set(PREVIEW) & Settings.from_file(str(config)).enabled_codes


def test_lint_reports_a_preview_rule_only_when_enabled(tmp_path: Path):
    script = tmp_path / "train.py"
    script.write_text(POSITIVE)
    runner = CliRunner()
    args = ["lint", "--no-cache", "--format", "concise", str(script)]
    default = runner.invoke(cli, args)
    assert "TIP305" not in default.output, default.output
    for extra in (["--preview"], ["--select", "TIP305"], ["--extend-select", "TIP305"]):
        result = runner.invoke(cli, [*args, *extra])
        assert result.exit_code == 1 and "train.py:5:10: TIP305" in result.output, (extra, result.output)
    (tmp_path / "tipcheck.toml").write_text("preview = true\n")
    assert "TIP305" in runner.invoke(cli, args).output


def test_rules_lists_them_as_preview():
    runner = CliRunner()
    listed = {line.split()[0]: line for line in runner.invoke(cli, ["rules"]).output.splitlines()}
    for code in PREVIEW:
        assert "(preview" in listed[code]
    for code in STABLE:
        assert "(preview" not in listed[code]
    items = json.loads(runner.invoke(cli, ["rules", "--format", "json"]).output)
    assert sorted(item["code"] for item in items if item["preview"]) == PREVIEW


@pytest.mark.parametrize("code", PREVIEW)
def test_the_page_says_preview(code):
    assert "This rule is in preview" in rule_page(code)
