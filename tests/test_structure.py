"""The shape of the code itself: no import cycle in tipcheck/, no module too large to read, and
one place for each fact (codes, output format names, rule selection, line offsets, globs).

The import graph is read from the sources with ``ast`` (every ``import`` and ``from ... import``,
the ones inside functions too: a lazy import that closes a cycle is still a cycle)."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path
from typing import Dict, List, Set

import pytest

import tipcheck

PACKAGE = Path(tipcheck.__file__).resolve().parent
ROOT = PACKAGE.parent

MAX_LINES = 600
# Modules allowed to be longer, and why (each is another piece of work's to split).
LONG_MODULES: Dict[str, str] = {}


def _modules() -> Dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        found[name] = path
    return found


def import_graph() -> Dict[str, Set[str]]:
    """module -> the tipcheck modules it imports (anywhere in it: module level or in a function)."""
    modules = _modules()
    graph: Dict[str, Set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: Set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - (node.level - 1)])
                    source = f"{base}.{node.module}" if node.module else base
                else:
                    source = node.module or ""
                for alias in node.names:  # `from tipcheck import engine` imports a module
                    submodule = f"{source}.{alias.name}"
                    targets.add(submodule if submodule in modules else source)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_tipcheck():
    graph = import_graph()
    assert "tipcheck.engine" in graph and "tipcheck.analysis" in graph["tipcheck.engine"]  # the graph is read
    found = cycles(graph)
    described = [
        " -> ".join(members) + ": " + "; ".join(f"{m} imports {sorted(graph[m] & set(members))}" for m in members)
        for members in found
    ]
    assert not found, "import cycles:\n" + "\n".join(described)


def test_no_module_is_too_long():
    long = {}
    for path in _modules().values():
        relative = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and relative not in LONG_MODULES:
            long[relative] = lines
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_package_inits_hold_no_code():
    """The harness's and the output's __init__ only re-export (the code is in named modules)."""
    for init in (PACKAGE / "harness" / "__init__.py", PACKAGE / "output" / "__init__.py"):
        defined = [
            node.name
            for node in ast.parse(init.read_text(encoding="utf-8")).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))
        ]
        assert defined in ([], ["render"]), (init, defined)


# -- one place for each fact -------------------------------------------------------------------------


def test_each_code_is_listed_once_and_tip001_has_one_source():
    from tipcheck import codes, config, diagnostics, suppression
    from tipcheck.rules import ALL_RULES, RULES_BY_CODE

    assert list(config.all_codes()) == [rule.code for rule in ALL_RULES]
    assert len(set(config.all_codes())) == len(config.all_codes())
    tip001 = RULES_BY_CODE[codes.UNUSED_SUPPRESSION]
    assert tip001.name == codes.UNUSED_SUPPRESSION_NAME
    assert not hasattr(config, "ENGINE_CODES")  # the engine's codes are codes.ENGINE_CODES only
    assert not hasattr(diagnostics, "ENGINE_CODES")
    assert (
        not hasattr(suppression, "UNUSED_SUPPRESSION_NAME")
        or suppression.UNUSED_SUPPRESSION_NAME is codes.UNUSED_SUPPRESSION_NAME
    )


def test_output_format_names_have_one_source():
    from click.testing import CliRunner

    from tipcheck import config, output
    from tipcheck.cli import cli
    from tipcheck.output import formats

    assert config.OUTPUT_FORMATS is formats.FORMATS and output.FORMATS is formats.FORMATS
    help_text = CliRunner().invoke(cli, ["lint", "--help"], terminal_width=200).output
    assert "[" + "|".join(formats.FORMATS) + "]" in help_text
    cli_source = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    assert '"full", "concise"' not in cli_source  # the human formats are formats.HUMAN_FORMATS


@pytest.mark.parametrize(
    "select, ignore",
    [(["ALL"], ["TI"]), (["ALL"], ["T"]), (["TIP4"], ["TIP401"]), (["TIP401"], ["TIP4"]), (["ALL"], ["TIP0"])],
)
def test_registry_and_config_select_alike(select, ignore):
    """One selection: ALL is the least specific selector for the registry too (it was as specific
    as a three-letter prefix there, so `--ignore TI` lost to ALL in one place and won in the other)."""
    from tipcheck.config import Settings
    from tipcheck.rules import select_rules

    settings = Settings.from_mapping({"select": select, "ignore": ignore})
    assert [rule.code for rule in settings.enabled_rules()] == [rule.code for rule in select_rules(select, ignore)]


def test_suppressions_use_the_sources_line_offsets():
    from tipcheck import suppression
    from tipcheck.source import SourceFile
    from tipcheck.suppression import Suppressions

    source = SourceFile("t.py", "import os  # noqa: TIP201\r\nx = 1\rimport sys  # noqa\n")
    found = Suppressions.from_source(source)
    assert found.source is source
    assert found._offset(3, 0) == source.offset(3, 0) and found._line(3) == source.line_text(3)
    assert not hasattr(suppression, "_NEWLINE")  # no line splitting of its own
    alone = Suppressions.parse(source.text)
    assert alone.source.line_starts == source.line_starts


def test_both_glob_dialects_share_one_translator():
    from tipcheck import globs
    from tipcheck.config import GlobPattern

    assert globs.globset_regex("a/*/[!b]?") == globs.translate("a/*/[!b]?", globs.GLOBSET) == r"a/.*/[^b]."
    assert (
        globs.gitignore_regex("a/*/[!b]?") == globs.translate("a/*/[!b]?", globs.GITIGNORE) == r"a/[^/]*/(?!/)[^b][^/]"
    )
    assert globs.gitignore_regex("**/x/**") == r"(?:.*/)?x/.*"
    assert globs.globset_regex("{a,b}[") == r"(?:a|b)\["
    with pytest.raises(re.error):
        globs.gitignore_regex("a[b")
    assert GlobPattern is globs.GlobPattern
    gitignore_source = (PACKAGE / "gitignore.py").read_text(encoding="utf-8")
    assert "def _translate" not in gitignore_source


# -- modules with one job ----------------------------------------------------------------------------


def test_fork_server_client_and_server_are_one_module():
    from tipcheck.harness import forkserver, instrument

    assert callable(forkserver.serve) and isinstance(forkserver.ForkServer, type)
    assert not hasattr(instrument, "serve")


def test_prepared_folder_carries_every_module_the_runtime_imports():
    from tipcheck.harness.cases import RUNTIME_MODULES

    graph = import_graph()
    seen, todo = set(), ["tipcheck.harness.run", "tipcheck.harness"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        # prepare needs the linter: the runner imports it only to make fixed copies, never in a
        # prepared folder.
        todo.extend(t for t in graph[module] if t.startswith("tipcheck.harness") and t != "tipcheck.harness.prepare")
    files = {"__init__.py" if m == "tipcheck.harness" else m.rpartition(".")[2] + ".py" for m in seen}
    assert files <= set(RUNTIME_MODULES), files - set(RUNTIME_MODULES)
    assert "prepare.py" not in RUNTIME_MODULES


def test_names_say_what_things_are():
    from tipcheck.analysis import FileAnalysis, Task
    from tipcheck.context import RuleContext

    task_fields = {f.name for f in dataclasses.fields(Task)}
    assert not task_fields & {"pickle_tree", "tree_data"}  # those are the functions' names
    assert {"send_tree", "encode_tree"} <= task_fields
    assert {"tree", "pickled_tree", "encoded_tree"} <= {f.name for f in dataclasses.fields(FileAnalysis)}
    assert callable(RuleContext.set_rule)
    analysis_source = (PACKAGE / "analysis.py").read_text(encoding="utf-8")
    assert "ctx._rule" not in analysis_source
