"""The cache folder is in the repository: nothing read from it may run code (issue 11, item 2).

An entry is planted at the exact path a run reads (a committed `.tipcheck_cache/`, or a shared
$TIPCHECK_CACHE_DIR): a pickle whose loading would create a marker file, a broken or wrongly
typed JSON entry, a tree entry naming a class outside the whitelist. Each run must read that path
(the test watches the reads), create no marker, and report exactly what a run without the cache
reports, with the same exit code.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest
from click.testing import CliRunner
from test_cache_and_jobs import _project as training_project  # the tests folder is on the path

import tipcheck
from tipcheck import cache as cache_module
from tipcheck.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CODE = Path(tipcheck.__file__).resolve().parent.parent  # what a fresh `python -m tipcheck` must import
KINDS = ("files", "trees", "project", "plan")


class _Hostile:
    """Unpickling this creates ``marker`` (standing for any code an attacker would run)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _project(folder: Path) -> Path:
    """File rules with a fix (TIP201) and project rules across two modules (TIP501): the cache
    tests' training project, plus a script with a deprecated `pretrained=`."""
    training_project(folder)
    shutil.copy(FIXTURES / "seed_tip2_pretrained.py", folder / "pretrained.py")
    return folder


def _lint(project: Path, cache_dir: Path, *extra: str):
    """`tipcheck lint` on the project, in this process (so that the reads can be watched)."""
    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(
            cli, ["lint", ".", "--format", "json", "--cache-dir", str(cache_dir), *extra], catch_exceptions=False
        )
    finally:
        os.chdir(old)


def _entries(cache_dir: Path, kind: str) -> List[Path]:
    return sorted(p for p in cache_dir.rglob("*") if p.is_file() and p.parent.parent.name == kind)


@pytest.fixture
def primed(tmp_path):
    """A project, its findings without a cache, and a cache primed by one run."""
    project = _project(tmp_path / "p")
    reference = _lint(project, tmp_path / "unused", "--no-cache")
    findings = json.loads(reference.output)
    assert reference.exit_code == 1 and {"TIP201", "TIP501"} <= {f["code"] for f in findings}
    assert any(f["fix"] for f in findings)  # a fix goes through the files entries too
    cache_dir = tmp_path / "cache"
    assert _lint(project, cache_dir).output == reference.output
    for kind in KINDS:
        assert _entries(cache_dir, kind), kind
    return project, cache_dir, reference


@pytest.fixture
def reads(monkeypatch):
    """The paths of the cache entries a run reads."""
    seen: List[str] = []
    original = cache_module.Cache.get_bytes

    def get_bytes(self, kind, entry_key):
        seen.append(self._path(kind, entry_key))
        return original(self, kind, entry_key)

    monkeypatch.setattr(cache_module.Cache, "get_bytes", get_bytes)
    return seen


def _plant(cache_dir: Path, kind: str, data: bytes) -> List[Path]:
    planted = _entries(cache_dir, kind)
    for entry in planted:
        entry.write_bytes(data)
    if kind == "trees":  # the trees are read when the project findings are not in the cache
        for entry in _entries(cache_dir, "project"):
            entry.unlink()
    return planted


@pytest.mark.parametrize("kind", KINDS)
def test_planted_pickle_is_never_loaded(primed, reads, tmp_path, kind):
    project, cache_dir, reference = primed
    marker = tmp_path / "marker"
    planted = _plant(cache_dir, kind, pickle.dumps(_Hostile(str(marker))))
    pickle.loads(pickle.dumps(_Hostile(str(marker))))  # the payload works: loading it makes the marker
    assert marker.exists()
    marker.unlink()
    result = _lint(project, cache_dir)
    assert not marker.exists(), f"a {kind} entry from the cache folder ran code"
    assert {str(p) for p in planted} <= set(reads)  # the run did read the planted entries
    assert (result.exit_code, result.output) == (reference.exit_code, reference.output)


def _wrong_types(value):
    """The same JSON shape with every leaf of the wrong type."""
    if isinstance(value, dict):
        return {k: _wrong_types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wrong_types(v) for v in value]
    if isinstance(value, str):
        return 1
    if value is None or isinstance(value, bool):
        return "x"
    return str(value)


@pytest.mark.parametrize("kind", ["files", "project", "plan"])
@pytest.mark.parametrize("damage", ["not json", "wrong types", "other shape"])
def test_broken_json_entries_are_misses(primed, reads, kind, damage):
    project, cache_dir, reference = primed
    for entry in _entries(cache_dir, kind):
        value = json.loads(entry.read_bytes())
        if damage == "not json":
            data = entry.read_bytes()[:-3] + b"\xff{"
        elif damage == "wrong types":
            data = json.dumps(_wrong_types(value)).encode()
        else:
            data = json.dumps({"path": 1, "x": [value]} if not isinstance(value, dict) else [value]).encode()
        entry.write_bytes(data)
    planted = _entries(cache_dir, kind)
    result = _lint(project, cache_dir)
    assert {str(p) for p in planted} <= set(reads)
    assert (result.exit_code, result.output) == (reference.exit_code, reference.output)


def _tree_entry(data: bytes, change) -> bytes:
    entry = list(marshal.loads(data))
    change(entry)
    return marshal.dumps(tuple(entry))


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "class outside the whitelist",
        "code object",
        "reference out of range",
        "wrong field count",
        "not a tree",
    ],
)
def test_broken_tree_entries_are_misses(primed, reads, damage):
    from tipcheck import treedata

    project, cache_dir, reference = primed
    for entry in _entries(cache_dir, "trees"):
        data = entry.read_bytes()
        if damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "class outside the whitelist":
            data = _tree_entry(data, lambda e: e.__setitem__(1, ("builtins.eval",) + e[1][1:]))
        elif damage == "code object":
            data = _tree_entry(data, lambda e: e.__setitem__(5, compile("open('x', 'w')", "<planted>", "exec")))
        elif damage == "reference out of range":
            data = _tree_entry(data, lambda e: e.__setitem__(5, 10**9))
        elif damage == "wrong field count":
            data = _tree_entry(data, lambda e: e.__setitem__(3, tuple(c[:-1] for c in e[3])))
        else:
            data = marshal.dumps((treedata.FORMAT, (), (), (), [], ["l", "a"]))
        entry.write_bytes(data)
    for entry in _entries(cache_dir, "project"):  # so that the project rules need the trees
        entry.unlink()
    planted = _entries(cache_dir, "trees")
    result = _lint(project, cache_dir)
    assert {str(p) for p in planted} <= set(reads)
    assert (result.exit_code, result.output) == (reference.exit_code, reference.output)


def test_decoding_creates_only_whitelisted_classes():
    from tipcheck import treedata

    # A record of a class that is not a LibCST node or a fact record: refused before any object
    # is made, whatever the class would do.
    for name in ("builtins.eval", "os.system", "cst.CSTNode", "cst.BaseExpression", "facts.Nonexistent"):
        with pytest.raises(treedata.InvalidData):
            treedata.decode(marshal.dumps((treedata.FORMAT, (name,), (1,), ((),), [], 0)))
    with pytest.raises(treedata.InvalidData):
        treedata.decode(pickle.dumps(("not", "marshal")))


def test_tree_data_round_trip_keeps_the_tree_and_shared_parts():
    import libcst as cst

    from tipcheck import treedata
    from tipcheck.facts import ModuleFacts

    text = (FIXTURES / "tip402_step_before_optimizer.py").read_text()
    module = cst.parse_module(text)
    facts = ModuleFacts(module)
    facts.flow("t.py", text)
    back_module, back_facts = treedata.decode_tree(treedata.encode((module, facts)))
    assert back_module.code == text and back_module.deep_equals(module)
    assert back_facts.module is back_module  # one graph: the facts point into the tree read back
    nodes = set(map(id, _walk(back_module)))
    assert all(id(node) in nodes for node in back_facts.scope_of)
    assert all(id(call) in nodes for call, _ in back_facts.calls)
    summary, original = back_facts._flow, facts._flow
    assert len(summary.calls) == len(original.calls) and summary.funcs.keys() == original.funcs.keys()
    assert all(id(site.node) in nodes for site in summary.calls)


def test_a_tree_whose_value_index_was_built_is_still_kept():
    # Rules build facts.values() (TIP201's flags); the index is derived from the tree, so the cache
    # keeps the tree without it and it is rebuilt when asked for. Keeping nothing made every warm run
    # parse every file again for the project rules.
    import libcst as cst

    from tipcheck import treedata
    from tipcheck.facts import ModuleFacts

    text = (FIXTURES / "tip402_step_before_optimizer.py").read_text()
    facts = ModuleFacts(cst.parse_module(text))
    facts.flow("t.py", text)
    assert facts.values() is not None
    back_module, back_facts = treedata.decode_tree(treedata.encode((facts.module, facts)))
    assert back_facts._values is None
    assert back_facts.values().parameter("epochs", back_facts.module_scope) is None


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def test_no_pickle_read_from_the_cache_in_a_real_run(tmp_path):
    """End to end, as CI would run it: every entry of a primed cache replaced by a hostile pickle,
    then `python -m tipcheck lint .` in a fresh process."""
    project = _project(tmp_path / "p")
    env = {**os.environ, "TIPCHECK_CACHE_DIR": str(project / ".tipcheck_cache"), "PYTHONPATH": str(CODE)}
    command = [sys.executable, "-m", "tipcheck", "lint", ".", "--format", "concise"]
    first = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 1 and "TIP501" in first.stdout and "TIP201" in first.stdout
    marker = tmp_path / "marker"
    planted = [p for p in (project / ".tipcheck_cache").rglob("*") if p.is_file() and p.parent.parent.name in KINDS]
    assert {p.parent.parent.name for p in planted} == set(KINDS)
    for entry in planted:
        entry.write_bytes(pickle.dumps(_Hostile(str(marker))))
    again = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert not marker.exists()
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)


def test_findings_come_back_whole_and_every_field_is_kept():
    from dataclasses import fields

    from tipcheck import cachedata
    from tipcheck.analysis import FileAnalysis, InternalError
    from tipcheck.diagnostics import Applicability, Diagnostic, Edit, Fix, Location

    # A field added to a finding must be kept by the cache too (or this fails).
    assert [f.name for f in fields(Diagnostic)] == list(cachedata._DIAGNOSTIC_KEYS)
    assert [f.name for f in fields(InternalError)] == ["path", "rule", "detail", "trace"]
    assert [f.name for f in fields(Fix)] == ["edits", "message", "applicability"]
    assert [f.name for f in fields(Edit)] == ["start", "end", "content"]
    assert [f.name for f in fields(Location)] == ["row", "column"]
    assert [f.name for f in fields(FileAnalysis)] == [
        "path",
        "diagnostics",
        "errors",
        "parsed",
        "tree",
        "pickled_tree",
        "encoded_tree",
    ]
    fix = Fix((Edit(3, 5, "é\udcff"), Edit.insert(0, "import torch\n")), "Use weights=", Applicability.UNSAFE)
    diag = Diagnostic("TIP201", "deprecated-pretrained", "msg", "a.py", Location(2, 3), Location(2, 9), fix, "line")
    error = InternalError("a.py", None, "RecursionError()", "Traceback ...")
    analysis = FileAnalysis(
        "a.py", [diag, Diagnostic("TIP101", "n", "m", "a.py", Location(1, 1), Location(1, 1))], [error], True
    )
    stored = json.loads(json.dumps(cachedata.dump_file(analysis)))
    back = cachedata.load_file(stored, "a.py")
    assert back.diagnostics == analysis.diagnostics and back.errors == [error] and back.parsed
    assert back.diagnostics[0].source_line == "line" and back.diagnostics[0].fix.applicability is Applicability.UNSAFE
    assert cachedata.load_file(stored, "b.py") is None  # another file's entry
    stored["diagnostics"][0]["start"] = [True, 3]  # a bool is not a row
    assert cachedata.load_file(stored, "a.py") is None


def _hide_findings(cache_dir: Path) -> int:
    """Rewrite every findings entry to claim no findings: what a committed entry would say to hide
    a finding in CI. Returns how many entries were rewritten."""
    changed = 0
    for entry in _entries(cache_dir, "files") + _entries(cache_dir, "project"):
        value = json.loads(entry.read_bytes())
        for findings in [value] if "parsed" in value else value.values():
            findings["diagnostics"] = []
        entry.write_text(json.dumps(value))
        changed += 1
    return changed


def test_an_entry_made_with_another_users_secret_is_never_read(primed, monkeypatch, tmp_path):
    """Keys include a secret kept outside the checkout: a cache folder made elsewhere (committed to
    the repository, say) and doctored to hide the findings is not even found."""
    project, cache_dir, reference = primed
    assert _hide_findings(cache_dir)
    # With the secret the entries were made with, the doctored entries are believed (so the test
    # can tell): the findings are gone.
    assert json.loads(_lint(project, cache_dir).output) == []
    monkeypatch.setenv(cache_module.SECRET_ENV_VAR, str(tmp_path / "another-user"))
    result = _lint(project, cache_dir)
    assert result.output == reference.output and result.exit_code == 1
    secret = tmp_path / "another-user" / "secret"
    assert secret.stat().st_mode & 0o077 == 0  # private to its user


def test_the_secret_is_made_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv(cache_module.SECRET_ENV_VAR, str(tmp_path / "s"))
    first = cache_module._secret()
    assert len(first) == 64 and cache_module._secret() == first
    monkeypatch.setenv(cache_module.SECRET_ENV_VAR, str(tmp_path / "t"))
    assert cache_module._secret() != first


def test_editing_a_module_of_tipcheck_changes_the_keys():
    """In a development install the version stays the same while a rule changes: the cache must
    not bring back what the old rule found."""
    module = Path(cache_module.__file__).resolve().parent / "rules" / "__init__.py"
    before = cache_module.code_stamp()
    info = module.stat()
    try:
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        assert cache_module.code_stamp() != before
    finally:
        os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cache_module.code_stamp() == before
