"""Deep and long code (issue 11, items 9 and 17): tipcheck never crashes, never loses the findings of
a file it can analyse, says so for a file it cannot, and never says "All checks passed!" for a file
it did not check.

The runs go through the installed `tipcheck` command in a subprocess: a crash of LibCST's native
parser kills the process (exit 139), and the deep stack is set up by the command's entry point.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

import tipcheck.cli
from tipcheck import limits
from tipcheck.engine import check_source
from tipcheck.rules import RULES_BY_CODE
from tipcheck.source import SourceFile

# Every file holds one finding that the analysis must not lose: TIP102 on line 2.
HEADER = "import torch\nmodel = torch.nn.Linear(2, 2).cuda()\n"


def sum_of(n: int) -> str:
    return "x = " + " + ".join(["a"] * n) + "\n"


def joined_strings(n: int) -> str:
    return "x = (" + " ".join(['"a"'] * n) + ")\n"


def elif_chain(n: int) -> str:
    return "if a == 0:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n" for i in range(1, n))


def brackets(n: int) -> str:
    return "x = " + "(" * n + "1" + ")" * n + "\n"


def call_chain(n: int) -> str:
    return "x = f" + "()" * n + "\n"


def run_lint(folder: Path, *names: str, timeout: int = 120) -> subprocess.CompletedProcess:
    # The timeout only stops a hang (minutes before the change): it is not a speed goal.
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import tipcheck.cli; tipcheck.cli.run()",
            "lint",
            "--no-cache",
            "--format",
            "json",
            *names,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def findings(result: subprocess.CompletedProcess) -> Dict[str, List[dict]]:
    by_file: Dict[str, List[dict]] = {}
    for item in json.loads(result.stdout):
        by_file.setdefault(Path(item["filename"]).name, []).append(item)
    return by_file


@pytest.mark.parametrize(
    "body",
    [sum_of(400), joined_strings(400), elif_chain(400), brackets(150), call_chain(300)],
    ids=["400-term sum", "400 joined strings", "400-branch elif", "150 brackets", "300-call chain"],
)
def test_deep_code_that_python_and_libcst_accept_is_analysed_in_full(tmp_path, body):
    (tmp_path / "deep.py").write_text(HEADER + body)
    result = run_lint(tmp_path, "deep.py")
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr
    [finding] = findings(result)["deep.py"]
    assert finding["code"] == "TIP102"
    assert finding["location"]["row"] == 2


def test_nesting_that_crashes_libcst_is_a_syntax_error_and_the_other_files_are_checked(tmp_path):
    # 1,500 brackets: CPython refuses them; LibCST's native parser overflowed the C stack (exit 139).
    (tmp_path / "nested.py").write_text(HEADER + brackets(1500))
    (tmp_path / "good.py").write_text(HEADER)
    result = run_lint(tmp_path, "nested.py", "good.py")
    assert result.returncode == 1, (result.returncode, result.stderr)
    found = findings(result)
    [nested] = found["nested.py"]
    assert nested["code"] == "invalid-syntax"
    assert "too many nested parentheses" in nested["message"]
    assert [f["code"] for f in found["good.py"]] == ["TIP102"]


@pytest.mark.parametrize(
    "body, row",
    [(sum_of(20_000), 3), (call_chain(3_000), 3), ("def f():\n    return " + sum_of(5_000)[4:], 3)],
    ids=["20,000-term sum", "3,000-call chain", "5,000-term sum in a function"],
)
def test_code_too_deep_to_analyse_gets_one_finding_at_its_statement(tmp_path, body, row):
    # LibCST took minutes on these (more than 300 s on the 20,000 terms) or ran out of stack.
    (tmp_path / "deep.py").write_text(HEADER + body)
    (tmp_path / "good.py").write_text(HEADER)
    result = run_lint(tmp_path, "deep.py", "good.py", timeout=60)
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr
    found = findings(result)
    [deep] = found["deep.py"]
    assert deep["code"] == "too-complex"
    assert deep["location"]["row"] == row
    assert f"more than {limits.MAX_DEPTH} levels" in deep["message"]
    assert [f["code"] for f in found["good.py"]] == ["TIP102"]


def test_what_python_accepts_and_libcst_cannot_parse_is_not_called_a_syntax_error(tmp_path):
    # LibCST's parser gives up on 5,000 joined strings, which CPython accepts.
    (tmp_path / "strings.py").write_text(HEADER + joined_strings(5_000))
    result = run_lint(tmp_path, "strings.py")
    assert result.returncode == 1, result.stderr
    [finding] = findings(result)["strings.py"]
    assert finding["code"] == "too-complex"
    assert "Python accepts this file" in finding["message"]


def test_the_full_output_never_says_passed_for_a_file_it_did_not_check(tmp_path):
    (tmp_path / "deep.py").write_text(HEADER + sum_of(20_000))
    result = subprocess.run(
        [sys.executable, "-c", "import tipcheck.cli; tipcheck.cli.run()", "lint", "--no-cache", "deep.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "All checks passed" not in result.stdout
    assert "too-complex" in result.stdout


def test_a_recursion_error_in_a_rule_is_one_too_complex_finding_not_an_internal_error(monkeypatch):
    rule = RULES_BY_CODE["TIP102"]

    def check(ctx):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(rule, "check", check)
    result = check_source(SourceFile("deep.py", HEADER + HEADER), [rule, RULES_BY_CODE["TIP201"]])
    assert result.errors == []
    assert [d.code for d in result.diagnostics] == ["too-complex"]


def test_an_internal_error_keeps_the_summary_from_saying_passed(tmp_path, monkeypatch):
    from click.testing import CliRunner

    rule = RULES_BY_CODE["TIP102"]

    def check(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(rule, "check", check)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text(HEADER)
    for command in (["lint"], ["fix"]):
        result = CliRunner().invoke(tipcheck.cli.cli, [*command, "--no-cache", "a.py"])
        assert result.exit_code == 2
        assert "All checks passed" not in result.output
        assert "1 file could not be checked" in result.output


def test_the_depth_check_is_iterative_and_finds_the_statement():
    tree = compile("y = 1\n" + sum_of(800), "<t>", "exec", 0x400)  # ast.PyCF_ONLY_AST
    problem = limits.too_deep(tree)
    assert problem is not None and problem.row == 2 and problem.column == 1
    assert limits.too_deep(compile(sum_of(limits.MAX_DEPTH // 2), "<t>", "exec", 0x400)) is None


def test_run_with_deep_stack_returns_and_raises_like_a_call():
    def deep(n):
        return 0 if n == 0 else 1 + deep(n - 1)

    assert limits.run_with_deep_stack(lambda: deep(20_000)) == 20_000
    with pytest.raises(SystemExit):
        limits.run_with_deep_stack(lambda: sys.exit(3))
