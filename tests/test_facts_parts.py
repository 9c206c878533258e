"""The scopes and flow summary a module's facts take over from its last version (tipcheck.facts.parts,
``ModuleFacts(module, previous)``) are those a cold build of the same tree makes: after every random
edit (re-parsed as the server does, tipcheck.reparse), the scopes of every node, the module scope's
bindings, imports and calls, and every record of the flow summary (unions, call sites with their
contexts, loops, functions, classes, returns, ...) in order, and what every call calls, with the
scope ids and fresh keys of either side renamed by what they stand for (a scope by its node, a
fresh key by its first use).

Edits include the module-level ones (test_incremental_findings._module_edit) a kept statement's summary reads: imports added, removed and
renamed, names bound at module level (``torch = None``, ``DataLoader = make``), star imports and
globals.
"""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import libcst as cst

from tipcheck.facts import ModuleFacts
from tipcheck.facts.scopes import Scope
from tipcheck.positions import Positions
from tipcheck.reparse import reparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
from server_project import generate  # noqa: E402
from test_incremental_findings import _edit, _gpu_module, _module_edit  # noqa: E402


class _Canon:
    """Renames what differs between two builds of the same facts: scope ids (by the scope's node)
    and fresh keys (by their first use)."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.owner = {facts.module_scope.uid: "module"}
        self.owner.update({scope.uid: id(node) for node, scope in facts.scope_of.items()})
        self.fresh: dict = {}

    def scope(self, scope: Scope):
        return self.owner[scope.uid] if scope is not None else None

    def __call__(self, value):
        if isinstance(value, tuple):
            if len(value) == 4 and value[0] == "var":
                return ("var", value[1], self.owner[value[2]], value[3])
            if len(value) == 3 and value[0] in ("new", "lambda") and isinstance(value[2], int):
                return (value[0], self.fresh.setdefault(value, len(self.fresh)))
            return tuple(self(item) for item in value)
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, dict):
            return [(self(k), self(v)) for k, v in value.items()]
        if isinstance(value, (set, frozenset)):
            return sorted(map(repr, value))
        if isinstance(value, Scope):
            return ("scope", self.scope(value))
        if isinstance(value, cst.CSTNode):
            return ("node", id(value))
        if dataclasses.is_dataclass(value):
            fields = [f.name for f in dataclasses.fields(value) if f.name not in ("text", "module_scope")]
            if type(value).__name__ == "LoopRecord":  # its context holds the loops around it: no cycle
                fields = [name for name in fields if name != "ctx"] + ["ctx_of_loop"]
                return (type(value).__name__, [self(getattr(value, n)) for n in fields[:-1]], self._ctx(value.ctx))
            return (type(value).__name__, [self(getattr(value, name)) for name in fields])
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        return ("id", id(value))

    def _ctx(self, ctx):
        return (
            self(ctx.func),
            [id(loop.node) for loop in ctx.loops],
            id(ctx.stmt),
            [(id(stmt), id(block)) for stmt, block in ctx.stmt_path],
            [id(c) for c in ctx.conditions],
        )


def _facts_form(facts: ModuleFacts, module_id: str):
    canon = _Canon(facts)
    scopes = [
        (id(node), scope.kind, canon.scope(scope.parent), canon(scope.bindings), sorted(scope.globals))
        for node, scope in facts.scope_of.items()
    ]
    top = facts.module_scope
    module = (
        canon(top.bindings),
        sorted(top.globals),
        list(top.star_imports),
        [(name, id(line)) for name, line in top.import_lines.items()],
        [(name, id(line)) for name, line in top.first_import_lines.items()],
        sorted(map(id, top.direct_lines)),
    )
    calls = [(id(call), canon.scope(scope)) for call, scope in facts.calls]
    calls.append([(id(call), canon.scope(scope), name) for call, scope, name in facts.callees()])
    summary = facts.flow(module_id)
    sites = [(canon(site), canon._ctx(site.ctx)) for site in summary.calls]
    return scopes, module, calls, sites, canon(summary)


def test_facts_handed_on_across_edits_are_a_cold_builds(tmp_path: Path):
    train = generate(str(tmp_path), files=6, train_lines=250)
    texts = [
        Path(train).read_text(),
        _gpu_module(),
        (ROOT / "rules" / "TIP101" / "n101_helper_places_model.py").read_text(),
    ]
    rng = random.Random(2017)
    compared = 0
    for start in texts:
        text = start
        module = cst.parse_module(text)
        positions = Positions(module)
        facts = ModuleFacts(module)
        facts.flow("m.py")
        for step in range(30):
            new = _module_edit(rng, text) if rng.random() < 0.4 else _edit(rng, text)
            try:
                done = reparse(text, module, positions, new)
            except Exception:
                done = None
            if done is None:
                try:
                    cst.parse_module(new)
                except Exception:
                    continue  # not valid code: the server keeps the last facts
                module = cst.parse_module(new)
                positions, facts = Positions(module), ModuleFacts(module)
            else:
                module, positions = done
                facts = ModuleFacts(module, facts)
            if rng.random() < 0.8:  # now and then a version whose flow no rule asked for
                assert _facts_form(facts, "m.py") == _facts_form(ModuleFacts(module), "m.py"), (step, new)
                compared += 1
            text = new
    assert compared > 40
