"""Bad input: each bad file gets one clear finding (or the run one clear message), the run goes on
to the other files, and the user never sees a traceback.

Note on the prefilter: a file is parsed only when some enabled rule can match its text (TIP201
needs "torchvision"), so the syntax-error files below mention torchvision. A file that does not
parse but does not mention torchvision is not parsed at all and gets no finding (see
``test_a_syntax_error_is_not_reported_in_a_file_no_rule_reads``). Reading and decoding happen
before the prefilter: undecodable, binary and wrongly-declared files are reported either way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest
from click.testing import CliRunner
from conftest import invoke

import tipcheck.cli
from tipcheck.cli import cli
from tipcheck.rules.tip201_deprecated_pretrained import DeprecatedPretrained

FINDING = "from torchvision import models\nmodel = models.resnet18(pretrained=True)\n"
FIXED = (
    "from torchvision import models\nfrom torchvision.models import ResNet18_Weights\n"
    "model = models.resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)\n"
)

# name -> (bytes, expected code, a word the message must contain, row, column)
BAD_FILES = {
    "py2_print.py": (b"import torchvision\nprint 'hello'\n", "invalid-syntax", "print", 2, 1),
    "async_kw.py": (b"import torchvision\nf(async=True)\n", "invalid-syntax", "SyntaxError", 2, 3),
    "undecodable.py": (b"import torchvision\nname = '\xff\xfe\xfa'\n", "io-error", "decode", 1, 1),
    "bad_coding.py": (b"# -*- coding: nonexistent -*-\nimport torchvision\n", "io-error", "nonexistent", 1, 1),
    "binary.py": (b"\x7fELF\x02\x01\x01\x00\x00\x00torchvision\x00\x00", "io-error", "binary", 1, 1),
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint_json(*args: str):
    result = invoke("lint", "--format", "json", *args)
    return result, json.loads(result.stdout)


def one_finding(items: List[dict], name: str) -> dict:
    found = [i for i in items if os.path.basename(i["filename"]) == name]
    assert len(found) == 1, (name, found)
    return found[0]


# -- each case on its own --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_gets_one_clear_finding(project, name):
    data, code, word, row, column = BAD_FILES[name]
    (project / name).write_bytes(data)
    result, items = lint_json(name)
    assert result.exit_code == 1
    item = one_finding(items, name)
    assert item["code"] == code
    assert word in item["message"]
    assert item["location"] == {"row": row, "column": column}
    assert item["fix"] is None
    # The default (full) format shows the same one finding, with path, row and column.
    full = invoke("lint", name)
    assert full.exit_code == 1
    assert full.stdout.startswith(f"{name}:{row}:{column}: {code} ")
    assert full.stdout.endswith("Found 1 error.\n")


def test_python2_print_points_at_the_statement(project):
    (project / "old.py").write_text("import torchvision\n\nif True:\n    print 'epoch', 3\n")
    _, items = lint_json("old.py")
    item = one_finding(items, "old.py")
    assert item["code"] == "invalid-syntax"
    assert item["location"] == {"row": 4, "column": 5}
    assert item["message"].startswith("SyntaxError: Missing parentheses in call to 'print'")


def test_async_keyword_argument_points_at_the_keyword(project):
    (project / "loader.py").write_text("import torchvision\nloader = make(dataset, async=True)\n")
    _, items = lint_json("loader.py")
    assert one_finding(items, "loader.py")["location"] == {"row": 2, "column": 24}


def test_unclosed_bracket_at_the_end_of_the_file(project):
    (project / "cut.py").write_text("import torchvision\nmodel = build(\n    depth=18,\n")
    result = invoke("lint", "--format", "concise", "cut.py")
    assert result.exit_code == 1
    assert result.stdout.startswith("cut.py:2:14: invalid-syntax SyntaxError: '(' was never closed\n")


def test_a_syntax_error_is_reported_in_a_file_no_rule_reads(project):
    # The prefilter: TIP201 needs "torchvision" in the text, so with only TIP201 enabled the file
    # is never parsed by LibCST; Python's own parser still checks it, and says the same.
    (project / "py2.py").write_text("print 'hello'\n")
    result = invoke("lint", "--select", "TIP201", "--format", "concise", "py2.py")
    assert result.exit_code == 1
    assert result.stdout.startswith("py2.py:1:1: invalid-syntax SyntaxError: Missing parentheses")
    # Once the text mentions torchvision the file is parsed, and the error is found the same way.
    (project / "py2.py").write_text("# torchvision\nprint 'hello'\n")
    result = invoke("lint", "--select", "TIP201", "--format", "concise", "py2.py")
    assert result.exit_code == 1
    assert result.stdout.startswith("py2.py:2:1: invalid-syntax SyntaxError: Missing parentheses")


@pytest.mark.parametrize("select", [(), ("--select", "TIP201"), ("--ignore", "ALL")])
def test_every_file_is_checked_for_syntax(project, select):
    # The README's promise: a syntax error is reported in any file, whatever the rules read.
    (project / "broken.py").write_text("import os\ndef f(:\n")
    (project / "fine.py").write_text("import os\n\n\ndef f():\n    return 1 if True else 2\n")
    for _ in range(2):  # the second run answers from the cache
        result = invoke("lint", "--format", "concise", *select, ".")
        assert result.exit_code == 1
        assert result.stdout == "broken.py:2:7: invalid-syntax SyntaxError: invalid syntax\nFound 1 error.\n"
    # The same finding as for a file a rule reads (LibCST's path).
    (project / "broken.py").write_text("import torchvision\ndef f(:\n")
    result = invoke("lint", "--format", "concise", ".")
    assert result.stdout == "broken.py:2:7: invalid-syntax SyntaxError: invalid syntax\nFound 1 error.\n"
    (project / "broken.py").write_text("import os\n")  # fixed: the cached answer is not reused
    assert invoke("lint", *select, ".").stdout == "All checks passed!\n"


@pytest.mark.parametrize(
    "text",
    [
        "x = " + " + ".join(["a"] * 20000) + "\n",  # RecursionError in Python's parser
        "x = " + "-" * 100000 + "1\n",  # MemoryError in Python's parser
    ],
)
def test_a_file_python_cannot_check_is_not_called_a_syntax_error(project, text):
    (project / "deep.py").write_text(text)
    result = invoke("lint", "--format", "concise", "--select", "TIP201", "deep.py")
    assert "invalid-syntax" not in result.stdout
    assert "Traceback" not in result.output


def test_only_parser_errors_are_reported_not_compiler_checks(project):
    # `return` outside a function compiles to a SyntaxError but parses: LibCST's path does not
    # report it either, so neither path does.
    (project / "script.py").write_text("return 1\n")
    result = invoke("lint", "script.py")
    assert result.exit_code == 0, result.stdout


def test_undecodable_file_is_reported_even_without_torchvision(project):
    (project / "latin.py").write_bytes(b"name = 'caf\xe9'\n")  # latin-1 without a coding line
    (project / "bin.py").write_bytes(b"\x00\x01\x02")
    (project / "enc.py").write_bytes(b"# coding: nonexistent\n")
    result, items = lint_json(".")
    assert result.exit_code == 1
    assert sorted((os.path.basename(i["filename"]), i["code"]) for i in items) == [
        ("bin.py", "io-error"),
        ("enc.py", "io-error"),
        ("latin.py", "io-error"),
    ]


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_an_empty_file_has_no_finding(project, command):
    (project / "empty.py").write_bytes(b"")
    result = invoke(command, "empty.py")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"
    assert (project / "empty.py").read_bytes() == b""


def test_a_path_that_does_not_exist(project):
    (project / "train.py").write_text(FINDING)
    result = invoke("lint", "--format", "concise", "does_not_exist.py", "train.py", "no_dir/")
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert out[:3] == [
        "does_not_exist.py:1:1: io-error cannot read file: no such file or directory",
        "no_dir:1:1: io-error cannot read file: no such file or directory",
        "train.py:2:25: TIP201 [*] `resnet18(pretrained=True)` uses the deprecated `pretrained` parameter",
    ]
    assert out[3] == "Found 3 errors."


def test_only_a_path_that_does_not_exist(project):
    result = invoke("lint", "nope.py")
    assert result.exit_code == 1
    assert result.stdout.startswith("nope.py:1:1: io-error cannot read file: no such file or directory\n")
    assert "No Python files found" not in result.stderr


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_a_folder_with_no_python_files(project, command):
    (project / "data").mkdir()
    (project / "data" / "labels.txt").write_text("cat\ndog\n")
    result = invoke(command, "data")
    assert result.exit_code == 0
    assert result.stderr == "warning: No Python files found under the given path(s)\n"
    assert result.stdout == "All checks passed!\n"


def test_an_unreadable_file(project, monkeypatch):
    # Simulated, so that it also holds when the tests run as root (who can read a 0o000 file).
    import tipcheck.source

    real_open = os.open

    def fake_open(path, *args, **kwargs):
        if os.path.basename(str(path)) == "secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    (project / "secret.py").write_text(FINDING)
    (project / "train.py").write_text(FINDING)
    monkeypatch.setattr(tipcheck.source.os, "open", fake_open)
    result = invoke("lint", "--format", "concise", ".")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "secret.py:1:1: io-error cannot read file: Permission denied\ntrain.py:2:25: TIP201 [*] "
    )


# -- all together: the run goes on ------------------------------------------------------------


def _everything(project: Path) -> None:
    for name, (data, *_rest) in BAD_FILES.items():
        (project / name).write_bytes(data)
    (project / "empty.py").write_bytes(b"")
    (project / "good.py").write_text(FINDING)
    (project / "nothing_here").mkdir()


@pytest.mark.parametrize("output_format", ["full", "concise", "json"])
def test_bad_files_do_not_stop_the_run(project, output_format):
    _everything(project)
    result = invoke("lint", "--format", output_format, ".", "missing.py", "nothing_here")
    assert result.exit_code == 1
    assert result.stderr == ""
    if output_format == "json":
        items = json.loads(result.stdout)
        assert sorted((os.path.basename(i["filename"]), i["code"]) for i in items) == sorted(
            [(name, code) for name, (_, code, *_rest) in BAD_FILES.items()]
            + [("good.py", "TIP201"), ("missing.py", "io-error")]
        )
    else:
        assert "good.py:2:25: TIP201 [*]" in result.stdout
        for name in [*BAD_FILES, "missing.py"]:
            assert result.stdout.count(f"{name}:") == 1, name
        assert "Found 7 errors.\n[*] 1 fixable with `tipcheck fix`.\n" in result.stdout


def test_fix_goes_on_past_bad_files_and_leaves_them_alone(project):
    _everything(project)
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    result = invoke("fix", ".")
    assert result.exit_code == 1
    assert (project / "good.py").read_text() == FIXED
    for name, data in before.items():
        if name != "good.py":
            assert (project / name).read_bytes() == data, name
    assert result.stdout.endswith("Found 6 errors (1 fixed, 5 remaining).\n")


def test_bad_input_through_the_real_entry_point(project):
    _everything(project)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(
        [sys.executable, "-m", "tipcheck", "lint", ".", "missing.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "Found 7 errors." in done.stdout


# -- internal errors ---------------------------------------------------------------------------


@pytest.fixture
def rule_crashes_on_bad_py(monkeypatch):
    original = DeprecatedPretrained.check

    def check(self, ctx):
        if os.path.basename(ctx.source.path) == "bad.py":
            raise ZeroDivisionError("boom in the rule")
        return original(self, ctx)

    monkeypatch.setattr(DeprecatedPretrained, "check", check)


def test_an_internal_error_in_a_rule_is_reported_for_that_file_and_the_run_goes_on(project, rule_crashes_on_bad_py):
    for name in ("a.py", "bad.py", "c.py"):
        (project / name).write_text(FINDING)
    result = invoke("lint", "--format", "concise", ".")
    assert result.exit_code == 2
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "TIP201" in line] == ["a.py", "c.py"]
    assert "error: internal error in TIP201 on bad.py: ZeroDivisionError('boom in the rule')" in result.stderr
    assert "--verbose" in result.stderr


def test_an_internal_error_in_fix_mode(project, rule_crashes_on_bad_py):
    for name in ("a.py", "bad.py"):
        (project / name).write_text(FINDING)
    result = invoke("fix", ".")
    assert result.exit_code == 2
    assert (project / "a.py").read_text() == FIXED
    assert (project / "bad.py").read_text() == FINDING
    assert "internal error in TIP201 on bad.py" in result.stderr


def test_verbose_shows_the_traceback_of_an_internal_error(project, rule_crashes_on_bad_py):
    (project / "bad.py").write_text(FINDING)
    result = CliRunner().invoke(cli, ["lint", "--verbose", "bad.py"])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "ZeroDivisionError: boom in the rule" in result.stderr


def test_an_unexpected_crash_of_the_whole_run_exits_2_without_traceback(project, monkeypatch, capsys):
    def explode(*args, **kwargs):
        raise RuntimeError("discovery exploded")

    monkeypatch.setattr(tipcheck.cli, "discover", explode)
    monkeypatch.setattr(sys, "argv", ["tipcheck", "lint", "."])
    with pytest.raises(SystemExit) as exit_info:
        tipcheck.cli.main()
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "error: internal error: RuntimeError('discovery exploded')" in captured.err


def test_syntax_error_location_ignores_warnings_of_the_file(project):
    # An invalid escape sequence makes Python warn; even when warnings are errors, the finding is
    # the syntax error on line 3, not the warning on line 2.
    import warnings

    (project / "w.py").write_text("import torchvision\npattern = '\\d+'\nprint 'x'\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, items = lint_json("w.py")
    item = one_finding(items, "w.py")
    assert item["location"] == {"row": 3, "column": 1}
    assert "Missing parentheses" in item["message"]
