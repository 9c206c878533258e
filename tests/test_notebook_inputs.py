"""Notebooks as inputs: a notebook whose kernel is not Python is skipped (as Ruff skips it), and a
notebook piped through stdin (`--stdin-filename x.ipynb -`) is read, reported and written back as a
notebook, not as Python source."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tipcheck.cli import cli
from tipcheck.engine import Skipped, check_file, read
from tipcheck.fixing import fix_file

# R's torch and torchvision packages: words the prefilter picks, code Python cannot parse.
R_CELLS = [
    "library(torch)\n",
    "library(torchvision)\n",
    "model <- model_resnet18(pretrained = TRUE)\n",
    "optimizer <- optim_adam(model$parameters, lr = 0.01)\n",
]
PY_CELLS = ["from torchvision import models\n", "model = models.resnet18(pretrained=True)\n"]


def notebook_text(cells, **metadata) -> str:
    data = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": cells},
        ],
        "metadata": metadata,
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data, indent=1) + "\n"


R_KERNEL = {"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}}
R_INFO = {"language_info": {"name": "R"}}
PY_KERNEL = {
    "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
    "language_info": {"name": "python"},
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, input=None):
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


# -- another kernel: skipped -------------------------------------------------------------------


@pytest.mark.parametrize("metadata", [R_KERNEL, R_INFO, {**R_KERNEL, **R_INFO}])
def test_a_notebook_in_another_language_is_skipped(project, metadata):
    (project / "analysis.ipynb").write_text(notebook_text(R_CELLS, **metadata))
    before = (project / "analysis.ipynb").read_bytes()
    result = invoke("lint", "analysis.ipynb")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"
    assert result.stderr == ""
    result = invoke("fix", "analysis.ipynb")
    assert result.exit_code == 0
    assert (project / "analysis.ipynb").read_bytes() == before


def test_verbose_says_why_a_notebook_was_skipped(project):
    (project / "analysis.ipynb").write_text(notebook_text(R_CELLS, **R_KERNEL))
    (project / "train.ipynb").write_text(notebook_text(PY_CELLS, **PY_KERNEL))
    result = invoke("lint", "-v", "--format", "concise", ".")
    assert result.exit_code == 1
    assert result.stdout.startswith("train.ipynb:cell 2:2:25: TIP201 ")
    assert "analysis.ipynb" not in result.stdout
    assert "note: analysis.ipynb skipped: not a Python notebook (language: R)\n" in result.stderr


def test_the_engine_reports_the_skip(project):
    (project / "analysis.ipynb").write_text(notebook_text(R_CELLS, **R_KERNEL))
    skipped = read("analysis.ipynb")
    assert isinstance(skipped, Skipped)
    for result in (check_file("analysis.ipynb", []), fix_file("analysis.ipynb", [], False)):
        assert result.skipped == "not a Python notebook (language: R)"
        assert result.diagnostics == [] and result.errors == []


def test_a_python_notebook_or_one_that_says_nothing_is_linted(project):
    (project / "a.ipynb").write_text(notebook_text(PY_CELLS, **PY_KERNEL))
    (project / "b.ipynb").write_text(notebook_text(PY_CELLS))
    result = invoke("lint", "--format", "concise", ".")
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()[:2]] == ["a.ipynb", "b.ipynb"]


# -- stdin ---------------------------------------------------------------------------------------


def test_lint_reads_stdin_as_a_notebook_when_so_named(project):
    result = invoke(
        "lint", "--format", "concise", "--stdin-filename", "train.ipynb", "-", input=notebook_text(PY_CELLS)
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("train.ipynb:cell 2:2:25: TIP201 [*] `resnet18(pretrained=True)`")
    assert "invalid-syntax" not in result.stdout


def test_fix_writes_the_notebook_back_to_stdout(project):
    text = notebook_text(PY_CELLS, **PY_KERNEL)
    result = invoke("fix", "--stdin-filename", "train.ipynb", "-", input=text)
    assert result.exit_code == 0, result.stderr
    fixed = json.loads(result.stdout)
    original = json.loads(text)
    assert fixed["metadata"] == original["metadata"]
    assert fixed["cells"][0] == original["cells"][0]  # the markdown cell
    assert "".join(fixed["cells"][1]["source"]).endswith("models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)\n")
    # The fixed notebook lints clean, as a file.
    (project / "train.ipynb").write_text(result.stdout)
    assert invoke("lint", "train.ipynb").exit_code == 0


@pytest.mark.parametrize(
    "command, texts",
    [
        (("fix",), (notebook_text(["x = 1\n"], **PY_KERNEL), notebook_text(R_CELLS, **R_KERNEL))),
        # (A Python notebook with nothing to add is issue 11's item 6, --add-noqa on stdin.)
        (("lint", "--add-noqa"), (notebook_text(R_CELLS, **R_KERNEL),)),
    ],
)
def test_stdin_notebook_with_nothing_to_change_comes_back_byte_identical(project, command, texts):
    for text in texts:
        result = CliRunner().invoke(cli, [*command, "--stdin-filename", "nb.ipynb", "-"], input=text.encode())
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == text.encode()


def test_add_noqa_on_a_stdin_notebook_echoes_the_notebook(project):
    result = invoke("lint", "--add-noqa", "--stdin-filename", "train.ipynb", "-", input=notebook_text(PY_CELLS))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["cells"][1]["source"][1] == "model = models.resnet18(pretrained=True)  # noqa: TIP201\n"


def test_a_broken_notebook_on_stdin_is_one_clear_error(project):
    result = invoke("lint", "--stdin-filename", "nb.ipynb", "-", input='{"cells": [')
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot read stdin: not valid JSON")


def test_stdin_with_another_name_is_still_python(project):
    result = invoke("lint", "--format", "concise", "--stdin-filename", "train.py", "-", input="".join(PY_CELLS))
    assert result.stdout.startswith("train.py:2:25: TIP201 ")


# -- syntax, when no rule reads the notebook -------------------------------------------------------


def test_a_syntax_error_in_a_notebook_no_rule_reads_is_reported_in_its_cell(project):
    (project / "nb.ipynb").write_text(notebook_text(["import os\n", "def f(:\n"], **PY_KERNEL))
    result = invoke("lint", "--format", "concise", "nb.ipynb")
    assert result.exit_code == 1
    assert result.stdout == "nb.ipynb:cell 2:2:7: invalid-syntax SyntaxError: invalid syntax\nFound 1 error.\n"


def test_a_notebook_python_cannot_check_is_not_called_a_syntax_error(project):
    deep = "x = " + " + ".join(["a"] * 20000) + "\n"  # RecursionError in Python's parser
    (project / "nb.ipynb").write_text(notebook_text([deep], **PY_KERNEL))
    result = invoke("lint", "--format", "concise", "nb.ipynb")
    assert "invalid-syntax" not in result.stdout
