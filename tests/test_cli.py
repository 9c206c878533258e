"""The command line, following Ruff: `tipcheck lint`, `tipcheck fix`, `tipcheck rules`, output formats,
rule selection, exit codes and the entry points.

Most tests run the click group in-process with ``CliRunner``; a few run the installed
``tipcheck`` script and ``python -m tipcheck`` in a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
from conftest import invoke

import tipcheck
from tipcheck.rules import ALL_RULES

# One safe fix (a literal) and one unsafe fix (a non-literal flag).
MIXED = """\
import argparse
import torchvision
from torchvision import models

args = argparse.Namespace(pretrained=True)
model = models.resnet18(pretrained=True)
backbone = models.resnet18(pretrained=args.pretrained)
"""

MIXED_SAFE_FIXED = """\
import argparse
import torchvision
from torchvision.models import ResNet18_Weights
from torchvision import models

args = argparse.Namespace(pretrained=True)
model = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)
backbone = models.resnet18(pretrained=args.pretrained)
"""

MIXED_ALL_FIXED = """\
import argparse
import torchvision
from torchvision.models import ResNet18_Weights
from torchvision import models

args = argparse.Namespace(pretrained=True)
model = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)
backbone = models.resnet18(weights=(ResNet18_Weights.IMAGENET1K_V1 if args.pretrained else None))
"""

SAFE_ONLY = """\
from torchvision import models

model = models.resnet18(pretrained=True)
"""

UNSAFE_ONLY = """\
from torchvision import models


def build(flag):
    return models.resnet18(pretrained=flag)
"""

CLEAN = """\
from torchvision import models
from torchvision.models import ResNet18_Weights

model = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)
"""


# -- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty folder (not in a git repository) that is the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def lines(text: str) -> List[str]:
    return text.splitlines()


def apply_json_edits(text: str, fixes: List[Dict]) -> str:
    """Apply the edits of Ruff-style JSON fixes (1-based row/column locations) to ``text``.

    An edit carried by several fixes (the same import added by two fixes) is applied once."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(loc: Dict[str, int]) -> int:
        return starts[loc["row"] - 1] + loc["column"] - 1

    edits = sorted(
        {(offset(e["location"]), offset(e["end_location"]), e["content"]) for fix in fixes for e in fix["edits"]}
    )
    for (_, end, _), (start, _, _) in zip(edits, edits[1:]):
        assert end <= start, f"overlapping edits: {edits}"
    for start, end, content in reversed(edits):
        text = text[:start] + content + text[end:]
    return text


# -- lint: the full format, markers and summary -------------------------------------------------


def test_lint_full_format_marks_safe_fixes_and_prints_the_summary(project):
    write(project / "train.py", MIXED)
    result = invoke("lint", "train.py")
    assert result.exit_code == 1
    out = result.stdout
    heads = [line for line in lines(out) if line.startswith("train.py:")]
    assert heads == [
        "train.py:6:25: TIP201 [*] `resnet18(pretrained=True)` uses the deprecated `pretrained` parameter",
        "train.py:7:28: TIP201 `resnet18(pretrained=args.pretrained)` uses the deprecated `pretrained` parameter",
    ]
    # The source line, carets under the argument, and the fix as a help line.
    assert "6 | model = models.resnet18(pretrained=True)\n" in out
    assert "  |                         ^^^^^^^^^^^^^^^ TIP201\n" in out
    assert "  = help: Replace with `weights=ResNet18_Weights.IMAGENET1K_V1`\n" in out
    assert (
        "  = help: Replace with `weights=(ResNet18_Weights.IMAGENET1K_V1 if args.pretrained else None)` (unsafe)\n"
        in out
    )
    assert out.endswith(
        "Found 2 errors.\n"
        "[*] 1 fixable with `tipcheck fix` (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
    )


def test_lint_with_unsafe_fixes_marks_every_fixable_finding(project):
    write(project / "train.py", MIXED)
    result = invoke("lint", "--unsafe-fixes", "--format", "concise", "train.py")
    assert result.exit_code == 1
    assert [line.split(" ")[2] for line in lines(result.stdout)[:2]] == ["[*]", "[*]"]
    assert result.stdout.endswith("Found 2 errors.\n[*] 2 fixable with `tipcheck fix`.\n")
    assert "hidden" not in result.stdout


def test_lint_summary_when_only_unsafe_fixes_exist(project):
    write(project / "train.py", UNSAFE_ONLY)
    result = invoke("lint", "--format", "concise", "train.py")
    assert result.exit_code == 1
    assert "[*]" not in result.stdout
    assert result.stdout.endswith(
        "Found 1 error.\nNo fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
    )


def test_lint_clean_file_passes_with_exit_0(project):
    write(project / "train.py", CLEAN)
    result = invoke("lint", "train.py")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"


def test_lint_concise_format_is_one_line_per_finding(project):
    write(project / "train.py", MIXED)
    result = invoke("lint", "--format", "concise", "train.py")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        "train.py:6:25: TIP201 [*] `resnet18(pretrained=True)` uses the deprecated `pretrained` parameter",
        "train.py:7:28: TIP201 `resnet18(pretrained=args.pretrained)` uses the deprecated `pretrained` parameter",
        "Found 2 errors.",
        "[*] 1 fixable with `tipcheck fix` (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]


def test_lint_defaults_to_the_current_folder(project):
    write(project / "train.py", SAFE_ONLY)
    write(project / "pkg" / "model.py", SAFE_ONLY)
    result = invoke("lint", "--format", "concise")
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in lines(result.stdout)[:2]] == ["pkg/model.py", "train.py"]


# -- the JSON format -------------------------------------------------------------------------


def _check_location(loc):
    assert isinstance(loc, dict) and set(loc) >= {"row", "column"}
    assert type(loc["row"]) is int and type(loc["column"]) is int
    assert loc["row"] >= 1 and loc["column"] >= 1


def _check_json_item(item):
    assert isinstance(item, dict)
    for key in ("code", "message", "filename", "location", "end_location", "fix", "url"):
        assert key in item, key
    assert isinstance(item["code"], str) and item["code"]
    assert isinstance(item["message"], str) and item["message"]
    assert isinstance(item["filename"], str) and os.path.isabs(item["filename"])
    _check_location(item["location"])
    _check_location(item["end_location"])
    assert (item["location"]["row"], item["location"]["column"]) <= (
        item["end_location"]["row"],
        item["end_location"]["column"],
    )
    assert item["url"] is None or (isinstance(item["url"], str) and item["url"].startswith("https://"))
    fix = item["fix"]
    if fix is not None:
        assert set(fix) >= {"applicability", "message", "edits"}
        assert fix["applicability"] in ("safe", "unsafe")
        assert isinstance(fix["message"], str) and fix["message"]
        assert isinstance(fix["edits"], list) and fix["edits"]
        for edit in fix["edits"]:
            assert isinstance(edit["content"], str)
            _check_location(edit["location"])
            _check_location(edit["end_location"])


def test_json_format_has_ruffs_shape(project):
    path = write(project / "train.py", MIXED)
    result = invoke("lint", "--format", "json", "train.py")
    assert result.exit_code == 1
    items = json.loads(result.stdout)  # the summary is not printed in JSON mode
    assert isinstance(items, list) and len(items) == 2
    for item in items:
        _check_json_item(item)
    first, second = items
    assert first["code"] == "TIP201" and first["filename"] == str(path.resolve())
    assert first["location"] == {"row": 6, "column": 25}
    assert first["end_location"] == {"row": 6, "column": 40}
    assert first["fix"]["applicability"] == "safe"
    assert first["url"].endswith("TIP201.md")
    assert second["fix"]["applicability"] == "unsafe"


def test_json_format_of_findings_without_fix_and_of_engine_findings(project):
    write(project / "broken.py", "import torchvision\nprint 'hello'\n")
    write(project / "odd.py", "from torchvision import models\nm = models.resnet18(*a, pretrained=True)\n")
    result = invoke("lint", "--format", "json", "broken.py", "odd.py", "missing.py")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    for item in items:
        _check_json_item(item)
    assert [(i["code"], os.path.basename(i["filename"]), i["fix"]) for i in items] == [
        ("invalid-syntax", "broken.py", None),
        ("io-error", "missing.py", None),
        ("TIP201", "odd.py", None),
    ]


def test_json_of_a_clean_run_is_an_empty_list(project):
    write(project / "train.py", CLEAN)
    result = invoke("lint", "--format", "json", "train.py")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_json_edits_reproduce_what_fix_writes(project, unsafe):
    path = write(project / "train.py", MIXED)
    flags = ["--unsafe-fixes"] if unsafe else []
    items = json.loads(invoke("lint", "--format", "json", "train.py").stdout)
    wanted = {"safe", "unsafe"} if unsafe else {"safe"}
    fixes = [i["fix"] for i in items if i["fix"] is not None and i["fix"]["applicability"] in wanted]
    from_json = apply_json_edits(MIXED, fixes)

    result = invoke("fix", *flags, "train.py")
    assert result.exit_code == (0 if unsafe else 1)
    written = path.read_text("utf-8")
    assert written == from_json
    assert written == (MIXED_ALL_FIXED if unsafe else MIXED_SAFE_FIXED)


def test_json_of_what_remains_after_fix_is_located_in_the_fixed_file(project):
    # The safe fix adds an import line: the remaining unsafe fix must be located in the new text.
    path = write(project / "train.py", MIXED)
    result = invoke("fix", "--format", "json", "train.py")
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert len(items) == 1
    _check_json_item(items[0])
    assert items[0]["location"] == {"row": 8, "column": 28}
    assert path.read_text("utf-8") == MIXED_SAFE_FIXED
    assert apply_json_edits(MIXED_SAFE_FIXED, [items[0]["fix"]]) == MIXED_ALL_FIXED


def test_json_filenames_are_absolute_and_the_same_however_the_path_is_spelled(project):
    write(project / "sub" / "train.py", SAFE_ONLY)
    a = json.loads(invoke("lint", "--format", "json", "sub/train.py").stdout)
    b = json.loads(invoke("lint", "--format", "json", str(project / "sub" / "train.py")).stdout)
    assert a == b
    assert a[0]["filename"] == str((project / "sub" / "train.py").resolve())


# -- fix -------------------------------------------------------------------------------------


def test_fix_applies_safe_fixes_and_reports_what_remains(project):
    path = write(project / "train.py", MIXED)
    result = invoke("fix", "train.py")
    assert result.exit_code == 1
    assert path.read_text("utf-8") == MIXED_SAFE_FIXED
    out = result.stdout
    assert "train.py:8:28: TIP201 `resnet18(pretrained=args.pretrained)`" in out
    assert "pretrained=True" not in out
    assert out.endswith(
        "Found 2 errors (1 fixed, 1 remaining).\n"
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
    )


def test_fix_with_unsafe_fixes_fixes_everything_and_exits_0(project):
    path = write(project / "train.py", MIXED)
    result = invoke("fix", "--unsafe-fixes", "train.py")
    assert result.exit_code == 0, result.output
    assert path.read_text("utf-8") == MIXED_ALL_FIXED
    assert result.stdout == "Found 2 errors (2 fixed, 0 remaining).\n"


def test_fix_of_a_clean_file(project):
    path = write(project / "train.py", CLEAN)
    result = invoke("fix", "train.py")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"
    assert path.read_text("utf-8") == CLEAN


def test_fix_diff_prints_a_unified_diff_and_writes_nothing(project):
    path = write(project / "train.py", MIXED)
    before = path.read_bytes()
    result = invoke("fix", "--diff", "train.py")
    assert path.read_bytes() == before
    assert result.exit_code == 1
    diff = result.stdout
    assert diff.startswith("--- a/train.py\n+++ b/train.py\n@@ ")
    assert "+from torchvision.models import ResNet18_Weights\n" in diff
    assert "-model = models.resnet18(pretrained=True)\n" in diff
    assert "+model = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)\n" in diff
    assert "args.pretrained else None" not in diff  # unsafe: not without --unsafe-fixes
    assert "Would fix 1 error." in result.stderr

    result = invoke("fix", "--diff", "--unsafe-fixes", "train.py")
    assert path.read_bytes() == before
    assert (
        "+backbone = models.resnet18(weights=(ResNet18_Weights.IMAGENET1K_V1 if args.pretrained else None))\n"
        in result.stdout
    )
    assert "Would fix 2 errors." in result.stderr


def test_fix_diff_with_nothing_to_fix(project):
    write(project / "train.py", CLEAN)
    result = invoke("fix", "--diff", "train.py")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No errors would be fixed." in result.stderr


# -- --select / --ignore ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, found",
    [
        ([], True),
        (["--select", "TIP201"], True),
        (["--select", "TIP2"], True),
        (["--select", "TIP"], True),
        (["--select", "tip201"], True),
        (["--select", "TIP2,TIP201"], True),
        (["--select", "TIP201", "--select", "TIP2"], True),
        (["--ignore", "TIP201"], False),
        (["--ignore", "TIP2"], False),
        (["--ignore", "TIP2,TIP201"], False),
        (["--select", "TIP2", "--ignore", "TIP201"], False),
        # As in Ruff, the more specific selector wins.
        (["--select", "TIP201", "--ignore", "TIP2"], True),
    ],
)
def test_select_and_ignore(project, options, found):
    write(project / "train.py", SAFE_ONLY)
    result = invoke("lint", "--format", "concise", *options, "train.py")
    assert result.exit_code == (1 if found else 0), result.output
    assert ("TIP201" in result.stdout) == found


@pytest.mark.parametrize("command", ["lint", "fix"])
@pytest.mark.parametrize("option, code", [("--select", "TIP999"), ("--ignore", "XYZ1"), ("--select", "TIP201,BOGUS")])
def test_unknown_rule_code_is_a_usage_error(project, command, option, code):
    path = write(project / "train.py", SAFE_ONLY)
    result = invoke(command, option, code, "train.py")
    assert result.exit_code == 2
    bad = code.split(",")[-1]
    assert f"unknown rule selector `{bad}`" in result.stderr
    assert path.read_text("utf-8") == SAFE_ONLY  # nothing was fixed


# -- other usage errors, --version, rules ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["lint", "--format", "xml"], ["lint", "--no-such-option"], ["no-such-command"], ["rule", "TIP999"]],
)
def test_usage_errors_exit_2(project, args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Error:" in result.stderr


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    result = invoke(flag)
    assert result.exit_code == 0
    assert result.stdout == f"tipcheck, version {tipcheck.__version__}\n"


def test_rules_lists_every_rule():
    result = invoke("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in lines(result.stdout)]
    assert listed == [rule.code for rule in ALL_RULES]
    for rule in ALL_RULES:
        assert rule.name in result.stdout and rule.summary in result.stdout


def test_rules_json():
    result = invoke("rules", "--format", "json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert [item["code"] for item in items] == [rule.code for rule in ALL_RULES]
    for item, rule in zip(items, ALL_RULES):
        assert item == {
            "code": rule.code,
            "name": rule.name,
            "summary": rule.summary,
            "fix": rule.fixable,
            "preview": rule.preview,
            "url": f"https://github.com/tipcheck/tipcheck/blob/main/rules/{rule.code}/{rule.code}.md",
        }
        assert item["fix"] in ("always", "sometimes", "never")


# -- the entry points, in a subprocess -------------------------------------------------------


def _run(argv: List[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60, env=env)


def _script() -> str:
    beside = Path(sys.executable).with_name("tipcheck")
    found = str(beside) if beside.exists() else shutil.which("tipcheck")
    if found is None:
        pytest.skip("the tipcheck script is not installed")
    return found


def test_installed_script(tmp_path):
    write(tmp_path / "train.py", MIXED)
    version = _run([_script(), "--version"], tmp_path)
    assert version.returncode == 0 and tipcheck.__version__ in version.stdout
    lint = _run([_script(), "lint", "--format", "concise", "."], tmp_path)
    assert lint.returncode == 1, lint.stderr
    assert lint.stdout.startswith("train.py:6:25: TIP201 [*] ")
    assert "Traceback" not in lint.stdout + lint.stderr


def test_python_dash_m(tmp_path):
    path = write(tmp_path / "train.py", MIXED)
    done = _run([sys.executable, "-m", "tipcheck", "fix", "--unsafe-fixes", "train.py"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "Found 2 errors (2 fixed, 0 remaining).\n"
    assert path.read_text("utf-8") == MIXED_ALL_FIXED
    usage = _run([sys.executable, "-m", "tipcheck", "lint", "--select", "NOPE", "train.py"], tmp_path)
    assert usage.returncode == 2
    assert "unknown rule selector `NOPE`" in usage.stderr
    assert "Traceback" not in usage.stdout + usage.stderr
