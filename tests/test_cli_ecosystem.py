"""The CLI with config files, suppression comments, stdin, notebooks and the extra output formats."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from tipcheck.cli import cli

BAD = "import torchvision.models as models\n\nmodel = models.resnet18(pretrained=True)\n"
CUDA = "import torch\n\nx = torch.randn(3).cuda()\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def codes_of(result) -> list:
    return [line.split(": ")[1].split()[0] for line in result.output.splitlines() if ": TIP" in line]


def test_pyproject_config_ignore_and_closest_config_wins(project):
    (project / "pyproject.toml").write_text('[tool.tipcheck]\nignore = ["TIP102"]\n')
    (project / "a.py").write_text(
        CUDA + BAD.replace("import torchvision.models as models\n", "import torchvision.models as models\n", 1)
    )
    sub = project / "sub"
    sub.mkdir()
    (sub / "tipcheck.toml").write_text('select = ["TIP102"]\n')
    (sub / "b.py").write_text(CUDA + BAD)
    result = run("lint", "--format", "concise")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": TIP" in line]
    assert [line.split(":")[0] for line in lines] == ["a.py", os.path.join("sub", "b.py")]
    assert "TIP201" in lines[0] and "TIP102" in lines[1]  # each file: its closest config


def test_config_option_applies_one_file_everywhere(project):
    (project / "strict.toml").write_text('select = ["TIP201"]\n')
    (project / "a.py").write_text(CUDA + BAD)
    result = run("lint", "--format", "concise", "--config", "strict.toml", "a.py")
    assert codes_of(result) == ["TIP201"]


def test_unknown_key_is_a_clear_error(project):
    (project / "tipcheck.toml").write_text("selectt = ['TIP2']\n")
    (project / "a.py").write_text(BAD)
    result = run("lint", "a.py")
    assert result.exit_code == 2
    assert "tipcheck.toml" in result.output and "selectt" in result.output
    assert "Traceback" not in result.output


def test_unknown_code_on_the_command_line_is_exit_2(project):
    (project / "a.py").write_text(BAD)
    assert run("lint", "--select", "TIP999", "a.py").exit_code == 2


def test_per_file_ignores_and_extend_exclude(project):
    (project / "pyproject.toml").write_text(
        '[tool.tipcheck]\nper-file-ignores = { "legacy_*.py" = ["TIP2"] }\nextend-exclude = ["vendored"]\n'
    )
    (project / "legacy_train.py").write_text(BAD)
    (project / "train.py").write_text(BAD)
    (project / "vendored").mkdir()
    (project / "vendored" / "x.py").write_text(BAD)
    result = run("lint", "--format", "concise")
    assert [line.split(":")[0] for line in result.output.splitlines() if ": TIP" in line] == ["train.py"]


def test_show_settings(project):
    (project / "tipcheck.toml").write_text('ignore = ["TIP4"]\n')
    result = run("lint", "--show-settings", ".")
    assert result.exit_code == 0
    assert 'ignore = ["TIP4"]' in result.output and "tipcheck.toml" in result.output


def test_noqa_suppresses_and_unused_noqa_is_reported_and_fixed(project):
    path = project / "a.py"
    path.write_text(
        "import torchvision.models as models\n"
        "a = models.resnet18(pretrained=True)  # noqa: TIP201\n"
        "b = models.resnet18(weights=None)  # noqa: TIP201\n"
    )
    result = run("lint", "--format", "concise", "a.py")
    assert codes_of(result) == ["TIP001"] and ":3:" in result.output
    run("fix", "a.py")
    assert path.read_text().splitlines()[2] == "b = models.resnet18(weights=None)"
    assert path.read_text().splitlines()[1].endswith("# noqa: TIP201")


def test_file_ignore(project):
    (project / "a.py").write_text("# tipcheck: file-ignore[TIP2]\n" + BAD)
    assert run("lint", "a.py").exit_code == 0


def test_add_noqa_then_clean(project):
    path = project / "a.py"
    path.write_text(BAD + CUDA.replace("import torch\n\n", "import torch\n"))
    result = run("lint", "--add-noqa", "a.py")
    assert result.exit_code == 0 and "Added 2 noqa directives" in result.output
    assert run("lint", "a.py").exit_code == 0
    before = path.read_bytes()
    run("lint", "--add-noqa", "a.py")
    assert path.read_bytes() == before  # nothing more to add


def test_stdin_lint_and_fix(project):
    result = run("lint", "-", "--stdin-filename", "train.py", "--format", "concise", input=BAD)
    assert result.exit_code == 1 and result.output.startswith("train.py:3:")
    fixed = CliRunner().invoke(cli, ["fix", "-", "--stdin-filename", "train.py"], input=BAD, catch_exceptions=False)
    assert fixed.exit_code == 0
    assert "weights=ResNet18_Weights.IMAGENET1K_V1" in fixed.stdout
    assert "from torchvision.models import ResNet18_Weights" in fixed.stdout


@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif", "github"])
def test_machine_formats_and_output_file(project, fmt):
    (project / "a.py").write_text(BAD)
    result = run("lint", "--format", fmt, "--output-file", "out.txt", "a.py")
    assert result.exit_code == 1
    text = (project / "out.txt").read_text()
    if fmt == "json":
        assert json.loads(text)[0]["code"] == "TIP201"
    elif fmt == "json-lines":
        assert json.loads(text.splitlines()[0])["code"] == "TIP201"
    elif fmt == "sarif":
        sarif = json.loads(text)
        assert sarif["version"] == "2.1.0"
        [res] = sarif["runs"][0]["results"]
        assert res["ruleId"] == "TIP201" and "primaryLocationLineHash" in res["partialFingerprints"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.py"
    else:
        assert text.startswith("::error file=a.py,line=3,col=25,") and "title=TIP201::" in text


def test_statistics(project):
    (project / "a.py").write_text(BAD + "m2 = models.resnet50(pretrained=True)\n")
    result = run("lint", "--statistics", "a.py")
    assert result.output.splitlines()[0].split()[:2] == ["2", "TIP201"]


def test_no_color_when_not_a_terminal_and_with_no_color(project, monkeypatch):
    (project / "a.py").write_text(BAD)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run("lint", "a.py").output
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("lint", "a.py").output


def _notebook(cells) -> str:
    return (
        json.dumps(
            {
                "cells": [
                    {"cell_type": "code", "execution_count": i, "metadata": {}, "outputs": [], "source": src}
                    for i, src in enumerate(cells, 1)
                ],
                "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            },
            indent=1,
        )
        + "\n"
    )


def test_notebook_lint_and_fix_across_cells(project):
    path = project / "train.ipynb"
    path.write_text(
        _notebook(
            [
                ["%matplotlib inline\n", "import torch\n", "import torchvision.models as models"],
                [
                    "model = models.resnet18(pretrained=True)\n",
                    "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n",
                    "sched = torch.optim.lr_scheduler.StepLR(opt, 5)",
                ],
                [
                    "!nvidia-smi\n",
                    "for epoch in range(3):\n",
                    "    for x, y in torch.utils.data.DataLoader(data):\n",
                    "        opt.zero_grad()\n",
                    "        model(x).sum().backward()\n",
                    "        opt.step()",
                ],
            ]
        )
    )
    result = run("lint", "--format", "concise", "--select", "TIP201,TIP401", "train.ipynb")
    assert "train.ipynb:cell 2:1:25: TIP201" in result.output
    assert "train.ipynb:cell 2:3:9: TIP401" in result.output  # the loop that never steps it is in cell 3
    run("fix", "--unsafe-fixes", "--select", "TIP201,TIP401", "train.ipynb")
    fixed = json.loads(path.read_text())
    cells = ["".join(c["source"]) for c in fixed["cells"]]
    assert cells[0].startswith("%matplotlib inline\n")
    code = cells[0] + "\n" + cells[1]  # the import lands at the cell boundary, before its first use
    assert code.index("from torchvision.models import ResNet18_Weights") < code.index("model = models.resnet18(")
    assert "weights=ResNet18_Weights.IMAGENET1K_V1" in cells[1]
    assert cells[2].startswith("!nvidia-smi\n") and cells[2].rstrip().endswith("sched.step()")
    assert run("lint", "--select", "TIP201,TIP401", "train.ipynb").exit_code == 0


def test_notebook_with_nothing_to_fix_is_untouched(project):
    path = project / "clean.ipynb"
    path.write_text(_notebook([["import torch\n", "x = torch.ones(3)"]]))
    before = path.read_bytes()
    assert run("fix", "clean.ipynb").exit_code == 0
    assert path.read_bytes() == before
