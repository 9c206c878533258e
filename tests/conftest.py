"""Shared helpers for the tests: lint or fix a source string in memory; run the CLI in-process."""

from __future__ import annotations

from typing import Iterable, List

import pytest
from click.testing import CliRunner, Result

from tipcheck.cli import cli
from tipcheck.diagnostics import Diagnostic
from tipcheck.engine import check_source
from tipcheck.fixing import fix_source
from tipcheck.rules import select_rules
from tipcheck.source import SourceFile


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Each test gets a cache of its own (CLI runs use the cache by default): nothing is written
    into the repository, and no test sees what another one left."""
    monkeypatch.setenv("TIPCHECK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("TIPCHECK_NO_CACHE", raising=False)


def _rules(select: Iterable[str]):
    rules = select_rules(list(select))
    assert rules, f"no rule selected by {select!r}"
    return rules


def lint(source: str, select=("TIP201",)) -> List[Diagnostic]:
    """The findings of the selected rules on ``source``; internal errors fail the test."""
    result = check_source(SourceFile(path="t.py", text=source), _rules(select))
    assert not result.errors, [e.trace for e in result.errors]
    return result.diagnostics


def fix(source: str, unsafe: bool = False, select=("TIP201",)) -> str:
    """``source`` after the selected rules' fixes (safe ones, unsafe ones too when asked)."""
    result = fix_source(SourceFile(path="t.py", text=source), _rules(select), unsafe)
    assert not result.errors, [e.trace for e in result.errors]
    assert not result.dropped_fixes, result.dropped_fixes
    return source if result.fixed_text is None else result.fixed_text


def invoke(*args: str) -> Result:
    """Run the CLI in-process (click's CliRunner) with ``args``."""
    result = CliRunner().invoke(cli, list(args))
    # An exception other than SystemExit escaping the command is always a bug.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result
