"""Re-parsing only what an edit touched (tipcheck.reparse) gives the tree a full parse gives, and
positions computed a statement at a time (tipcheck.positions) are LibCST's own."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from tipcheck.facts.walk import nodes_in
from tipcheck.positions import Positions
from tipcheck.reparse import changed_span, reparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from server_project import training_script  # noqa: E402

SAMPLES = {
    "generated train.py": training_script(400),
    "TIP501 case": (ROOT / "rules" / "TIP501" / "p501_xmod_build_loader" / "train.py").read_text(),
    "harness fixture": (ROOT / "fixtures" / "seed_tip5_distributed.py").read_text(),
    "crlf and comments": "import os\r\n\r\n# one\r\ndef f():\r\n    x = 1\r\n    # in\r\n# out\r\n\r\ny = 2  # end\r\n# footer\r\n",
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_positions_are_libcsts(name):
    module = cst.parse_module(SAMPLES[name])
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = Positions(module)
    for node in nodes_in(module):
        assert positions[node] == expected[node], node


@pytest.mark.parametrize("name", sorted(SAMPLES) + ["old mac"])
def test_statement_starts_counted_without_positions_are_the_positions(name):
    """Where each statement starts is counted on its code when its positions are not made (the
    statement an edit touched, with no finding in it): the same lines as its positions say; and
    with the positions of the other statements known, a node of the last statement has the place
    LibCST gives it, with no positions made for the statement before it."""
    text = SAMPLES.get(name) or 'import os\r\rdef f():\r    s = """a\r\rb"""\r    return s\r\ry = 2\r'
    module = cst.parse_module(text)
    counted = Positions(module).starts()
    made = Positions(module)
    for stmt in module.body:
        made[stmt]  # every statement's positions made
    assert counted == made.starts()
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    last, before = module.body[-1], module.body[-2]
    earlier = Positions(module)
    for stmt in module.body:
        if stmt is not before:
            earlier[stmt]
    fresh = Positions(module, earlier)
    assert fresh[last] == expected[last]
    assert id(before) not in fresh._tables


def test_changed_span():
    assert changed_span("abcdef", "abXdef") == (2, 3, 3)
    assert changed_span("abc", "abc") == (3, 3, 3)
    assert changed_span("aaa", "aaaa") == (3, 3, 4)  # the common end never overlaps the start
    assert changed_span("", "x") == (0, 0, 1)
    assert changed_span("x = 1\n", "") == (0, 6, 0)


SNIPPETS = ("x", "(", ")", ":", "\n", "    ", "#", '"', "'''", "\\", "pass\n", "    y = 2\n", "\r\n", "\t", "é")


def _edit(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    if rng.random() < 0.6:
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    return text[:at] + text[at + rng.randrange(1, 12) :]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_reparsed_tree_is_the_full_parse(name):
    """Random edits, valid or not, one after the other: each tree `reparse` gives equals the full
    parse of the new text, with the same code and positions; for edits it declines the caller
    parses in full. On a large file, a good share of random edits (half of them break the syntax)
    are handled."""
    rng = random.Random(name)
    text = SAMPLES[name]
    module = cst.parse_module(text)
    positions = Positions(module)
    handled = 0
    edits = 100
    for _ in range(edits):
        new = _edit(rng, text)
        done = reparse(text, module, positions, new)
        try:
            full = cst.parse_module(new)
        except Exception:
            full = None
        if done is not None:
            handled += 1
            assert full is not None, "a tree for a text that does not parse"
            module, positions = done
            assert module.code == new
            assert module.deep_equals(full)
            # Where each statement starts, from the lines the re-parse noted and those kept, before
            # any position is asked: the lines of a full parse.
            assert positions.starts() == Positions(full).starts()
            expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
            for node in list(nodes_in(module))[::7]:
                assert positions[node] == expected[node]
            text = new
        elif full is not None:
            module, positions, text = full, Positions(full), new
    if name == "generated train.py":
        assert handled >= edits // 5, handled
