"""Output formats (tipcheck.output): full/concise with and without colour, json-lines, SARIF 2.1.0
(validated against the vendored OASIS schema), GitHub annotations, statistics, colour detection,
the progress line and the render() dispatch."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from tipcheck import output
from tipcheck.codes import INVALID_SYNTAX, IO_ERROR, TOO_COMPLEX
from tipcheck.diagnostics import (
    Applicability,
    Diagnostic,
    Edit,
    Fix,
    Location,
)
from tipcheck.engine import check_source
from tipcheck.notebook import Notebook
from tipcheck.output import (
    FORMATS,
    Progress,
    fingerprints,
    render,
    statistics,
    statistics_json,
    strip_ansi,
    use_color,
)
from tipcheck.rules import ALL_RULES, select_rules
from tipcheck.source import SourceFile

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

TRAIN = """\
import torchvision.models as models

model = models.resnet50(pretrained=True)
backbone = models.resnet18(pretrained=flag)
"""


def _lint(path: str, text: str = TRAIN):
    source = SourceFile(path=path, text=text)
    result = check_source(source, select_rules(["TIP201"]))
    assert not result.errors
    return result.diagnostics, {path: source}


def _diag(
    code="TIP102", name="cuda-without-fallback", message="msg", path="a.py", row=1, col=1, line="x = 1", fix=None
):
    return Diagnostic(code, name, message, path, Location(row, col), Location(row, col + 3), fix, line)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository (a `.git` folder is enough) with train.py in a subfolder; cwd elsewhere."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "src dir").mkdir()
    train = tmp_path / "repo" / "src dir" / "train.py"
    train.write_text(TRAIN)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    output._ROOTS.clear()
    yield train
    output._ROOTS.clear()


def _validate(log: dict) -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


# -- full and concise ------------------------------------------------------------------------------
def test_concise_and_full_are_plain_without_colour_and_coloured_with_it():
    diags, sources = _lint("train.py")
    plain = render("concise", diags, sources, False)
    assert plain.splitlines()[0] == (
        "train.py:3:25: TIP201 [*] `resnet50(pretrained=True)` uses the deprecated `pretrained` parameter"
    )
    assert "\x1b[" not in plain and "\x1b[" not in render("full", diags, sources, False)
    for fmt in ("concise", "full"):
        coloured = render(fmt, diags, sources, False, color=True)
        assert "\x1b[" in coloured
        assert strip_ansi(coloured) == render(fmt, diags, sources, False)


def test_full_shows_the_line_carets_and_help():
    diags, sources = _lint("train.py")
    text = render("full", diags[:1], sources, False)
    assert text == (
        "train.py:3:25: TIP201 [*] `resnet50(pretrained=True)` uses the deprecated `pretrained` parameter\n"
        "  |\n"
        "3 | model = models.resnet50(pretrained=True)\n"
        "  |                         ^^^^^^^^^^^^^^^ TIP201\n"
        "  |\n"
        "  = help: Replace with `weights=ResNet50_Weights.IMAGENET1K_V1`\n"
        "\n"
    )


def test_old_call_forms_still_work():
    diags, sources = _lint("train.py")
    assert output.concise(diags, False) == render("concise", diags, sources, False)
    assert output.full(diags, True) == render("full", diags, sources, True)
    assert output.json_format(diags, sources) == render("json", diags, sources, False)


# -- json and json-lines ---------------------------------------------------------------------------
def test_json_lines_has_the_json_objects_one_per_line():
    diags, sources = _lint("train.py")
    items = json.loads(render("json", diags, sources, False))
    lines = render("json-lines", diags, sources, False).splitlines()
    assert [json.loads(line) for line in lines] == items
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert render("json-lines", [], {}, False) == ""
    assert render("json", [], {}, False) == "[]\n"


# -- sarif -----------------------------------------------------------------------------------------
def test_sarif_validates_and_lists_every_rule(repo):
    diags, sources = _lint(str(repo))
    broken = Diagnostic(
        INVALID_SYNTAX, INVALID_SYNTAX, "SyntaxError: x", str(repo), Location(2, 1), Location(2, 1), None, "def ("
    )
    missing = Diagnostic(
        IO_ERROR, IO_ERROR, "cannot read file", str(repo.parent / "gone.py"), Location(1, 1), Location(1, 1)
    )
    log = json.loads(render("sarif", diags + [broken, missing], sources, False))
    _validate(log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tipcheck"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [rule.code for rule in ALL_RULES] + [INVALID_SYNTAX, IO_ERROR, TOO_COMPLEX]
    tip201 = driver["rules"][ids.index("TIP201")]
    assert tip201["name"] == "deprecated-pretrained"
    assert tip201["helpUri"].endswith("/rules/TIP201/TIP201.md")
    assert tip201["fullDescription"]["text"].startswith("Checks for calls to torchvision model builders")
    assert "## Why is this bad?" not in tip201["fullDescription"]["text"]
    levels = {result["ruleId"]: result["level"] for result in run["results"]}
    assert levels == {"TIP201": "warning", INVALID_SYNTAX: "error", IO_ERROR: "error"}
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_locations_are_relative_to_the_repository_root(repo):
    diags, sources = _lint(str(repo))
    run = json.loads(render("sarif", diags, sources, False))["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (repo.parent.parent.as_uri() + "/")
    first = run["results"][0]
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "src%20dir/train.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 3, "startColumn": 25, "endLine": 3, "endColumn": 40}
    assert first["message"]["text"].startswith("`resnet50(pretrained=True)`")
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "TIP201"


def test_sarif_outside_a_repository_is_relative_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output._ROOTS.clear()
    (tmp_path / "pkg").mkdir()
    diags, sources = _lint(os.path.join("pkg", "train.py"))
    run = json.loads(render("sarif", diags, sources, False))["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/train.py"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    output._ROOTS.clear()


def test_sarif_fixes_describe_the_edits(repo):
    diags, sources = _lint(str(repo))
    run = json.loads(render("sarif", diags, sources, False))["runs"][0]
    safe, unsafe = run["results"]
    change = safe["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "src%20dir/train.py"
    texts = [r["insertedContent"]["text"] for r in change["replacements"]]
    assert "from torchvision.models import ResNet50_Weights\n" in texts
    assert safe["fixes"][0]["properties"] == {"applicability": "safe", "applied": True}
    assert unsafe["fixes"][0]["description"]["text"].endswith("(unsafe)")
    assert unsafe["fixes"][0]["properties"]["applied"] is False


def test_sarif_full_description_falls_back_to_the_summary(monkeypatch, repo):
    monkeypatch.setattr(output.machine, "rule_page", lambda code: None)
    log = json.loads(render("sarif", [], {}, False))
    _validate(log)
    for rule, descriptor in zip(ALL_RULES, log["runs"][0]["tool"]["driver"]["rules"]):
        assert descriptor["fullDescription"]["text"] == rule.summary
        assert "help" not in descriptor
    assert log["runs"][0]["results"] == []


def test_sarif_describes_codes_outside_the_registry(repo):
    odd = Diagnostic("TIP999", "some-new-check", "m", str(repo), Location(1, 1), Location(1, 2))
    run = json.loads(render("sarif", [odd], {}, False))["runs"][0]
    _validate({"version": "2.1.0", "runs": [run]})
    descriptor = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert (descriptor["id"], descriptor["name"]) == ("TIP999", "some-new-check")
    assert "helpUri" not in descriptor  # no page


def test_sarif_descriptions_from_a_page_are_unwrapped(monkeypatch, repo):
    page = "# some-check (TIP998)\n\n## What it does\n\nChecks for a\nthing. More.\n\n- one\n- two\n\n## Why\n\nx\n"
    monkeypatch.setattr(output.machine, "rule_page", lambda code: page if code == "TIP998" else None)
    odd = Diagnostic("TIP998", "ignored-name", "m", str(repo), Location(1, 1), Location(1, 2))
    run = json.loads(render("sarif", [odd], {}, False))["runs"][0]
    descriptor = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert descriptor["name"] == "some-check"
    assert descriptor["shortDescription"] == {"text": "Checks for a thing."}
    assert descriptor["fullDescription"] == {"text": "Checks for a thing. More.\n\n- one\n- two"}


def test_fingerprints_survive_moved_lines_and_separate_identical_lines():
    line = "x = torch.zeros(3).cuda()"
    before = [_diag(row=5, line=line), _diag(row=9, line="    " + line), _diag(row=12, line="y.cuda()")]
    after = [_diag(row=15, line=line), _diag(row=40, line=line), _diag(row=2, line="y.cuda()")]
    a, b = fingerprints(before), fingerprints(after)
    assert a == b
    assert a[0].endswith(":1") and a[1].endswith(":2") and a[0].split(":")[0] == a[1].split(":")[0]
    assert fingerprints([_diag(code="TIP103", line=line)])[0] != a[0]  # the rule id counts
    assert fingerprints([_diag(line=line, path="b.py")])[0] == a[0]  # counted per file
    assert all(len(f.split(":")[0]) == 16 for f in a)


# -- github ----------------------------------------------------------------------------------------
def test_github_annotations_escape_data_and_properties():
    diag = Diagnostic(
        "TIP201",
        "deprecated-pretrained",
        "50% done,\r\nnext: x",
        os.path.join("a,b", "c:d.py"),
        Location(3, 25),
        Location(4, 2),
        None,
        "",
    )
    assert render("github", [diag], {}, False) == (
        "::error file=a%2Cb/c%3Ad.py,line=3,col=25,endLine=4,endColumn=2,title=TIP201::50%25 done,%0D%0Anext: x\n"
    )
    assert render("github", [], {}, False) == ""


# -- notebooks -------------------------------------------------------------------------------------
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Train"]},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [],
            "source": ["import torchvision.models as models\n", "%matplotlib inline"],
        },
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {},
            "outputs": [],
            "source": ["!nvidia-smi\n", "model = models.resnet50(pretrained=True)"],
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_notebook_findings_are_shown_by_cell(repo):
    path = str(repo.parent / "train.ipynb")
    raw = json.dumps(NOTEBOOK, indent=1, sort_keys=True) + "\n"
    Path(path).write_text(raw)
    notebook = Notebook.read(path)
    source = notebook.source_file()
    diags = check_source(source, select_rules(["TIP201"])).diagnostics
    sources, notebooks = {path: source}, {path: notebook}
    concise = render("concise", diags, sources, False, notebooks=notebooks)
    assert concise.startswith(f"{output.display_path(path)}:cell 3:2:25: TIP201 [*] ")
    assert "\n2 | model = models.resnet50(pretrained=True)\n" in render(
        "full", diags, sources, False, notebooks=notebooks
    )
    item = json.loads(render("json", diags, sources, False, notebooks=notebooks))[0]
    assert (item["cell"], item["location"], item["noqa_row"]) == (3, {"row": 2, "column": 25}, 2)
    log = json.loads(render("sarif", diags, sources, False, notebooks=notebooks))
    _validate(log)
    result = log["runs"][0]["results"][0]
    file_line = raw.splitlines().index('    "model = models.resnet50(pretrained=True)"') + 1
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": file_line}
    assert result["properties"] == {"cell": 3, "cellRow": 2, "cellColumn": 25}
    assert "fixes" not in result
    annotation = render("github", diags, sources, False, notebooks=notebooks)
    assert f",line={file_line},title=TIP201::cell 3:2:25: `resnet50" in annotation


# -- statistics ------------------------------------------------------------------------------------
def _fix(applicability=Applicability.SAFE):
    return Fix((Edit(0, 0, ""),), "do it", applicability)


def test_statistics_table_sorted_by_count_then_code():
    diags = [
        _diag("TIP201", "deprecated-pretrained", fix=_fix()),
        _diag("TIP102", "cuda-without-fallback"),
        _diag("TIP102", "cuda-without-fallback"),
        _diag("TIP101", "model-not-on-device", fix=_fix()),
        _diag("TIP101", "model-not-on-device"),
        _diag(INVALID_SYNTAX, INVALID_SYNTAX),
        _diag("TIP401", "scheduler-never-stepped", fix=_fix(Applicability.UNSAFE)),
    ]
    assert statistics(diags) == (
        "2\tTIP101\t[-] model-not-on-device\n"
        "2\tTIP102\t[ ] cuda-without-fallback\n"
        "1\t      \t[ ] invalid-syntax\n"
        "1\tTIP201\t[*] deprecated-pretrained\n"
        "1\tTIP401\t[ ] scheduler-never-stepped\n"
    )
    assert "1\tTIP401\t[*] scheduler-never-stepped\n" in statistics(diags, unsafe=True)
    rows = json.loads(statistics_json(diags))
    assert rows[0] == {
        "code": "TIP101",
        "name": "model-not-on-device",
        "count": 2,
        "fixable": False,
        "fixable_count": 1,
    }


def test_statistics_without_fixes_has_no_marker_column_and_aligns_counts():
    diags = [_diag("TIP102", "cuda-without-fallback")] * 12 + [_diag("TIP501", "distributed-sampler-without-set-epoch")]
    assert statistics(diags) == "12\tTIP102\tcuda-without-fallback\n 1\tTIP501\tdistributed-sampler-without-set-epoch\n"
    assert statistics([]) == ""
    assert strip_ansi(statistics(diags, color=True)) == statistics(diags)


# -- colour and progress ---------------------------------------------------------------------------
class _Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize(
    "env, tty, expected",
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, False, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ({"TERM": "dumb"}, True, False),
    ],
)
def test_use_color(monkeypatch, env, tty, expected):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_color(_Stream(tty)) is expected


def test_progress_draws_only_on_a_terminal_for_long_runs():
    quiet = _Stream(tty=False)
    with Progress(500, quiet) as progress:
        for _ in range(500):
            progress.update(label="a.py")
    assert quiet.getvalue() == ""
    short = _Stream(tty=True)
    with Progress(50, short) as progress:
        progress.update()
    assert short.getvalue() == ""
    tty = _Stream(tty=True)
    progress = Progress(120, tty, interval=0)
    progress.update(label="train.py")
    assert tty.getvalue().endswith("[  1/120] train.py")
    progress.close()
    assert tty.getvalue().endswith("\r\x1b[K")


# -- dispatch --------------------------------------------------------------------------------------
def test_render_knows_every_format_and_rejects_others():
    diags, sources = _lint("train.py")
    assert FORMATS == ("full", "concise", "json", "json-lines", "sarif", "github")
    for fmt in FORMATS:
        assert render(fmt, diags, sources, False)
    with pytest.raises(ValueError, match="unknown output format"):
        render("xml", diags, sources, False)
