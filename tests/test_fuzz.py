"""A seeded fuzz test of the whole command (issue 11): generated training-script-like projects with
random nesting, long expressions, odd encodings and line endings.

For each round, a folder of generated files goes through the real `tipcheck` command:
- `lint` never exits 2 and never dies (no internal error, no traceback, no signal);
- `fix --unsafe-fixes` never exits 2; every file it rewrote still parses (in its own encoding) and
  keeps its encoding, BOM and line endings; every file `lint` found nothing in is byte-identical;
- a second `fix` changes nothing (idempotent).

The budget is fixed: ``ROUNDS`` rounds of ``FILES`` files with seeds 0, 1, ... so a failure is
reproducible (the seed is in the test id). `TIPCHECK_FUZZ_ROUNDS=200` runs more locally.
"""

from __future__ import annotations

import ast
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

ROUNDS = int(os.environ.get("TIPCHECK_FUZZ_ROUNDS", "6"))
FILES = 14

# -- pieces of training scripts ------------------------------------------------------------------

IMPORTS = [
    "import torch",
    "import torch.nn as nn",
    "import torchvision",
    "from torchvision import models",
    "from torch.utils.data import DataLoader, DistributedSampler",
    "from torch.optim.lr_scheduler import StepLR, OneCycleLR, ReduceLROnPlateau",
    "import torch.distributed as dist",
    "import os, sys",
]

MODELS = [
    "model = models.resnet18(pretrained=True)",
    "model = torchvision.models.vgg16(pretrained={flag})",
    "model = nn.Linear({n}, 2).cuda()",
    "model = nn.Sequential(nn.Linear({n}, {n}), nn.ReLU()).to('cuda')",
    "model = nn.Linear({n}, 2)",
    "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nmodel = nn.Linear({n}, 2).to(device)",
]

SETUP = [
    "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)",
    "scheduler = StepLR(optimizer, step_size={n})",
    "scheduler = OneCycleLR(optimizer, max_lr=0.1, total_steps={n})",
    "plateau = ReduceLROnPlateau(optimizer)",
    "dist.init_process_group('gloo')\nsampler = DistributedSampler(dataset)\nloader = DataLoader(dataset, sampler=sampler)",
    "loader = DataLoader(dataset, batch_size={n}, shuffle=True)",
]

LOOP_BODIES = [
    ["optimizer.zero_grad()", "loss = model(x).sum()", "loss.backward()", "optimizer.step()"],
    ["scheduler.step()", "optimizer.step()"],
    ["if (i + 1) % {n}:", "    continue", "optimizer.step()", "optimizer.zero_grad()"],
    ["x = x.cuda()", "y = model(x)"],
    ["plateau.step()"],
    ["scheduler.step(epoch)", "optimizer.step()"],
    ["if i < {n}:", "    continue", "scheduler.step()", "optimizer.step()"],
]

ODD_TEXT = ["é", "日本語", "Ω≈ç√", "\u00a0", "🙂", "tab\there", "\\N{{BULLET}}"]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(n=rng.randint(1, 64), flag=rng.choice(["True", "False", "args.pretrained"]))


def _deep_expression(rng: random.Random) -> str:
    kind = rng.randrange(6)
    size = rng.choice([1, 3, 20, 150, 420, 700, 2500])
    if kind == 0:
        return " + ".join(["a"] * size)
    if kind == 1:
        depth = min(size, rng.choice([5, 50, 190, 260, 1200]))
        return "(" * depth + "1" + ")" * depth
    if kind == 2:
        return "(" + " ".join(['"s"'] * size) + ")"
    if kind == 3:
        return "f" + "()" * min(size, 900)
    if kind == 4:
        return " or ".join(["a"] * size)
    return "[" + ", ".join(str(i) for i in range(size)) + "]"


def _loop(rng: random.Random, indent: str) -> List[str]:
    lines = [f"{indent}for epoch in range({rng.randint(1, 9)}):"]
    inner = indent + "    "
    if rng.random() < 0.7:
        lines.append(f"{inner}for i, (x, y) in enumerate(loader):")
        inner += "    "
    body = rng.sample(LOOP_BODIES, rng.randint(1, 3))
    for piece in body:
        lines.extend(inner + _fill(rng, line) for line in piece)
    if rng.random() < 0.3:
        lines.append(f"{indent}    scheduler.step()")
    return lines


def _elif_chain(rng: random.Random, indent: str) -> List[str]:
    lines = [f"{indent}if a == 0:", f"{indent}    pass"]
    for i in range(1, rng.choice([2, 30, 420])):
        lines += [f"{indent}elif a == {i}:", f"{indent}    pass"]
    return lines


def script(rng: random.Random) -> str:
    """A training-script-like module: imports, a model, setup, loops (some in functions or
    classes), deep expressions and odd text in comments and strings."""
    lines: List[str] = []
    if rng.random() < 0.3:
        lines.append(f"# {rng.choice(ODD_TEXT)} {rng.choice(ODD_TEXT)}")
    lines += rng.sample(IMPORTS, rng.randint(1, len(IMPORTS)))
    lines.append("dataset = list(range(10))")
    lines += _fill(rng, rng.choice(MODELS)).splitlines()
    for template in rng.sample(SETUP, rng.randint(0, len(SETUP))):
        lines += _fill(rng, template).splitlines()
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(4)
        if where == 0:
            lines += _loop(rng, "")
        elif where == 1:
            lines.append(f"def train_{rng.randint(0, 99)}(model, loader, optimizer):")
            lines += _loop(rng, "    ")
        elif where == 2:
            lines.append("class Trainer:")
            lines.append("    def fit(self):")
            lines += _loop(rng, "        ")
        else:
            lines += _elif_chain(rng, "")
    if rng.random() < 0.6:
        lines.append(f"value = {_deep_expression(rng)}")
    if rng.random() < 0.3:
        lines.append(f"label = {rng.choice(ODD_TEXT)!r}")
    if rng.random() < 0.15:
        lines.append("def broken(:")  # a syntax error: reported, never fixed
    return "\n".join(lines) + "\n"


ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252"]
NEWLINES = ["\n", "\r\n", "\r"]


def encode(rng: random.Random, text: str) -> Tuple[bytes, str, str]:
    """The bytes of a generated file, with its encoding (declared where needed) and line ending."""
    encoding = rng.choice(ENCODINGS)
    newline = rng.choice(NEWLINES)
    if encoding in ("latin-1", "cp1252"):
        text = f"# -*- coding: {encoding} -*-\n" + text
        text = "".join(ch if ch.encode(encoding, "ignore") else "?" for ch in text)
    if rng.random() < 0.1:
        text = text.rstrip("\n")  # no final newline
    body = text.replace("\n", newline)
    data = body.encode("utf-8" if encoding == "utf-8-sig" else encoding)
    if encoding == "utf-8-sig":
        data = b"\xef\xbb\xbf" + data
    return data, encoding, newline


# -- running the command -------------------------------------------------------------------------


def tipcheck(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import tipcheck.cli; tipcheck.cli.run()", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )


def assert_no_crash(result: subprocess.CompletedProcess, what: str) -> None:
    assert result.returncode in (0, 1), f"{what}: exit {result.returncode}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-3000:]


def decode(data: bytes, encoding: str) -> str:
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf"), "the BOM was lost"
    return data.decode(encoding)


@pytest.mark.parametrize("seed", range(ROUNDS))
def test_fuzz_round(tmp_path, seed):
    rng = random.Random(seed)
    files: Dict[str, Tuple[bytes, str, str]] = {}
    for index in range(FILES):
        name = f"gen_{seed}_{index}.py"
        files[name] = encode(rng, script(rng))
        (tmp_path / name).write_bytes(files[name][0])

    lint = tipcheck(tmp_path, "lint", "--no-cache", "--format", "json", ".")
    assert_no_crash(lint, "lint")
    flagged = {Path(item["filename"]).name for item in json.loads(lint.stdout)}

    fixed = tipcheck(tmp_path, "fix", "--no-cache", "--unsafe-fixes", ".")
    assert_no_crash(fixed, "fix")
    after: Dict[str, bytes] = {}
    for name, (original, encoding, newline) in files.items():
        data = (tmp_path / name).read_bytes()
        after[name] = data
        if name not in flagged:
            assert data == original, f"{name} had no finding but was changed"
            continue
        if data == original:
            continue
        text = decode(data, encoding)
        assert newline in text or "\n" not in text.replace("\r\n", "").replace("\r", "")
        try:
            ast.parse(text.lstrip("\ufeff"))
        except RecursionError:
            pass  # too deep for CPython's own AST builder here: the fix loop checked it with LibCST
        except SyntaxError as exc:  # a fixed file must parse
            pytest.fail(f"{name} no longer parses after the fix: {exc}")

    again = tipcheck(tmp_path, "fix", "--no-cache", "--unsafe-fixes", ".")
    assert_no_crash(again, "second fix")
    for name in files:
        assert (tmp_path / name).read_bytes() == after[name], f"{name}: the fix is not idempotent"


def test_the_generator_makes_what_it_promises():
    """The generated files really hold the odd cases (else the fuzz test tests little)."""
    rng = random.Random(1234)
    made = [encode(rng, script(rng)) for _ in range(200)]
    assert {encoding for _, encoding, _ in made} == set(ENCODINGS)
    assert {newline for _, _, newline in made} == set(NEWLINES)
    texts = [data.decode("utf-8" if enc == "utf-8-sig" else enc) for data, enc, _ in made]
    assert any(" + a" * 400 in text for text in texts)
    assert any("(" * 1200 in text for text in texts)
    assert any("elif a == 400" in text for text in texts)
    assert any("def broken(:" in text for text in texts)
