"""The editor server's incremental path (tipcheck.memo: a file analysed again from its last tree,
what was derived from its unchanged statements and from the unchanged files kept) gives, after any
sequence of edits, exactly the findings and fixes of a cold run over the same texts.

The project is the benchmark's generated training project (benchmarks/server_project.py, small)
with a module of TIP102's shapes beside it (stream blocks, spawns, distributed branches, the choice
of the visible GPUs, CUDA checks up front: rules/TIP102's cases). Random line-sized edits, most of
them valid code, go to the training script, to that module and to the project's `utils/dist.py`;
after each, the edited file then the others are linted through the memo, as the server does, and
every file's findings are compared with those of `check_sources` without a memo.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from tipcheck.engine import check_sources
from tipcheck.memo import Memo
from tipcheck.rules import ALL_RULES
from tipcheck.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from server_project import generate  # noqa: E402

CASES = (
    "n102_cuda_stream_prefetcher.py",
    "n102_spawn_per_gpu.py",
    "p102_single_process_branch.py",
    "n102_visible_devices_main_block.py",
    "p102_nccl_branch_cpu_path.py",
    "n102_cuda_device_context.py",
    "n102_assert_cuda_main.py",
    "p102_optional_stream_prefetcher.py",
)
# Statements that change what TIP102 (and the distributed rules) decide, put in with the indentation
# of the line they are put before.
STATEMENTS = (
    "torch.cuda.set_device(0)",
    "x = torch.zeros(1).cuda()",
    "model = model.to('cuda')",
    "dist.init_process_group('nccl')",
    "dist.init_process_group(backend='gloo')",
    'os.environ["CUDA_VISIBLE_DEVICES"] = "0,1"',
    "if not torch.cuda.is_available(): raise SystemExit(1)",
    "if world_size == 1: return",
    "if args.distributed: torch.cuda.set_device(args.gpu)",
    "self.stream = torch.cuda.Stream()",
    "stream = None",
    "mp.spawn(main_worker, nprocs=torch.cuda.device_count())",
    "assert torch.cuda.is_available()",
    "import apex",
    "def is_dist_avail_and_initialized(): return dist.is_available() and dist.is_initialized()",
    "use_cuda = False",
    "device = 'cuda'",
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _gpu_module() -> str:
    parts = []
    for name in CASES:
        text = (ROOT / "rules" / "TIP102" / name).read_text()
        parts.append("\n".join(line for line in text.splitlines() if not line.startswith("from __future__")))
    return "\n\n".join(parts) + "\n"


def _edit(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    index = rng.randrange(len(lines))
    line = lines[index]
    lead = line[: len(line) - len(line.lstrip())]
    kind = rng.random()
    if kind < 0.3:  # a character typed into a name
        words = list(_NAME.finditer(line))
        if not words:
            return text
        word = rng.choice(words)
        at = rng.randrange(word.start(), word.end() + 1)
        lines[index] = line[:at] + rng.choice("abxyz_1") + line[at:]
    elif kind < 0.45:  # a line removed
        del lines[index]
    elif kind < 0.55:  # a line copied
        lines.insert(index, line)
    else:  # a statement that matters to the rules
        lines.insert(index, f"{lead}{rng.choice(STATEMENTS)}\n")
    return "".join(lines)


MODULE_LEVEL = (
    "import torch",
    "torch = None",
    "from torch.utils.data import DataLoader",
    "from torch.utils.data import DataLoader as Loader",
    "DataLoader = make_loader",
    "from helpers import *",
    "import torch.distributed as dist",
    "dist = None",
    "global model",
    "model = build()",
    "loader = DataLoader(dataset, batch_size=4)",
    "def make_loader(ds): return DataLoader(ds)",
    "class Dataset: pass",
    "device = 'cuda'",
)


def _module_edit(rng: random.Random, text: str) -> str:
    """A module-level line put in, removed or changed (an import renamed)."""
    lines = text.splitlines(keepends=True)
    tops = [i for i, line in enumerate(lines) if line.strip() and not line[0].isspace() and not line.startswith(")")]
    kind = rng.random()
    if kind < 0.5:  # put before a top-level statement (never inside a bracket)
        lines.insert(rng.choice(tops), rng.choice(MODULE_LEVEL) + "\n")
    elif kind < 0.75:
        imports = [i for i in tops if lines[i].startswith(("import ", "from ")) and "(" not in lines[i]]
        if imports:
            del lines[rng.choice(imports)]
    else:
        imports = [i for i in tops if lines[i].startswith("import ") and " as " in lines[i]]
        if imports:
            index = rng.choice(imports)
            lines[index] = lines[index].rstrip("\n") + "x\n"
    return "".join(lines)


def _findings(results):
    return {
        result.path: [(d.code, d.start, d.end, d.message, d.fix) for d in result.diagnostics] + result.errors
        for result in results
    }


def test_incremental_findings_are_those_of_a_cold_run(tmp_path: Path):
    train = generate(str(tmp_path), files=12, train_lines=250)
    (tmp_path / "gpu_tools.py").write_text(_gpu_module())
    texts = {str(path): path.read_text() for path in sorted(tmp_path.rglob("*.py"))}
    edited = [train, str(tmp_path / "gpu_tools.py"), str(tmp_path / "utils" / "dist.py")]
    originals = {path: texts[path] for path in edited}
    rng = random.Random(1017)
    memo = Memo()
    check_sources([SourceFile(p, t) for p, t in texts.items()], ALL_RULES, memo=memo)
    for step in range(24):
        path = rng.choice(edited[:2] * 3 + edited[2:])
        texts[path] = originals[path] if rng.random() < 0.1 else _edit(rng, texts[path])
        sources = [SourceFile(p, t) for p, t in texts.items()]
        # As the server does: the edited file first, then the files that read the project.
        first = check_sources(sources, ALL_RULES, memo=memo, report={path})
        rest = check_sources(sources, ALL_RULES, memo=memo, report=set(texts) - {path})
        cold = check_sources([SourceFile(p, t) for p, t in texts.items()], ALL_RULES)
        assert _findings(first + rest) == _findings(cold), (step, path)


def _lint_through_memo(memo: Memo, texts, path: str):
    sources = [SourceFile(p, t) for p, t in texts.items()]
    first = check_sources(sources, ALL_RULES, memo=memo, report={path})
    return _findings(first + check_sources(sources, ALL_RULES, memo=memo, report=set(texts) - {path}))


def test_what_is_kept_of_an_unchanged_file_follows_the_files_it_reads(tmp_path: Path):
    """dist_utils.py is not edited, but whether its `Meter.sync` runs distributed-only depends on
    helpers.py's `dist_ready()` answering about the process group (the project's predicates):
    what was kept of dist_utils.py's statements must follow helpers.py's edits."""
    case = ROOT / "rules" / "TIP102" / "n102_xmod_dist_ready_helper"
    utils = (case / "dist_utils.py").read_text()
    utils = utils.replace(
        "def dist_ready():\n    return dist.is_available() and dist.is_initialized()\n\n\n", ""
    ).replace(
        "import torch.distributed as dist\n", "import torch.distributed as dist\n\nfrom helpers import dist_ready\n"
    )
    helper = (
        "import torch\nimport torch.distributed as dist\n\n\ndef dist_ready():\n    return {answer}\n\n\n"
        "def pick(rank):\n    torch.cuda.set_device(rank)\n"
    )
    paths = {name: str(tmp_path / name) for name in ("train.py", "dist_utils.py", "helpers.py")}
    texts = {
        paths["train.py"]: (case / "train.py").read_text(),
        paths["dist_utils.py"]: utils,
        paths["helpers.py"]: helper.format(answer="dist.is_available() and dist.is_initialized()"),
    }
    memo = Memo()
    seen = []
    for answer in ("dist.is_available() and dist.is_initialized()", "True", "dist.is_initialized()", "False"):
        texts[paths["helpers.py"]] = helper.format(answer=answer)
        found = _lint_through_memo(memo, texts, paths["helpers.py"])
        assert found == _findings(check_sources([SourceFile(p, t) for p, t in texts.items()], ALL_RULES)), answer
        seen.append([d[0] for d in found[paths["dist_utils.py"]]].count("TIP102"))
    assert seen == [0, 1, 0, 1]


def test_values_collected_a_scope_at_a_time_are_those_of_one_walk_of_the_module():
    """tipcheck.facts.values collects each scope's assignments and parameters when a read first
    needs them: for every scope of the rules' corpus files, what it collects is what one walk of
    the whole module gives that scope."""
    import libcst as cst

    from tipcheck.facts import ModuleFacts
    from tipcheck.facts.values import Values, _Collector
    from tipcheck.facts.walk import walk

    files = sorted((ROOT / "rules").rglob("*.py"))[::7]
    assert len(files) > 50
    for path in files:
        module = cst.parse_module(path.read_text())
        facts = ModuleFacts(module)
        whole = _Collector(facts.module_scope, facts.scope_of)
        walk(module, whole)
        values = Values(module, facts.module_scope, facts.scope_of)
        for scope in [facts.module_scope, *facts.scope_of.values()]:
            values._collect(scope)
        assert values.assigned == whole.assigned, path
        assert values.params == whole.params, path
        assert values.classes == whole.classes, path


def test_the_code_of_a_plain_dotted_name_is_libcsts():
    """tipcheck.facts.nodecode.code reads a plain dotted name without generating its code, and
    keeps the code it generates with the node: the same text as LibCST's, spaces, brackets and line
    continuations included, asked once or again, for a node of a tree that was edited since."""
    import libcst as cst

    from tipcheck.facts.nodecode import code
    from tipcheck.facts.walk import nodes_in

    texts = ["a . b\nx = (a).b\ny = (a.b)\nz = a.\\\n  b\nw = a.b.c\nv = ( a ).b\nf(a, b)[0]\n"]
    texts += [path.read_text() for path in sorted((ROOT / "rules" / "TIP102").glob("*.py"))]
    libcst = cst.Module([])
    for text in texts:
        module = cst.parse_module(text)
        nodes = [node for node in nodes_in(module) if isinstance(node, cst.BaseExpression)]
        for node in nodes + nodes:
            assert code(node) == libcst.code_for_node(node)
        edited = module.with_changes(body=[*module.body[1:], module.body[0]])
        for node in nodes_in(edited):
            if isinstance(node, cst.BaseExpression):
                assert code(node) == libcst.code_for_node(node)


def test_module_level_edits_that_kept_statements_read(tmp_path: Path):
    """The flow summary of a statement an edit did not touch reads the module's names (an import,
    a module-level variable): kept only while they are the same (tipcheck.facts.parts). Imports
    put in, removed and renamed, module-level names bound, star imports and globals, then the
    findings through the memo compared with a cold run's."""
    train = generate(str(tmp_path), files=8, train_lines=200)
    (tmp_path / "gpu_tools.py").write_text(_gpu_module())
    texts = {str(path): path.read_text() for path in sorted(tmp_path.rglob("*.py"))}
    edited = [train, str(tmp_path / "gpu_tools.py")]
    rng = random.Random(2017)
    memo = Memo()
    check_sources([SourceFile(p, t) for p, t in texts.items()], ALL_RULES, memo=memo)
    for step in range(16):
        path = rng.choice(edited)
        texts[path] = _module_edit(rng, texts[path]) if step % 3 else _edit(rng, texts[path])
        found = _lint_through_memo(memo, texts, path)
        cold = check_sources([SourceFile(p, t) for p, t in texts.items()], ALL_RULES)
        assert found == _findings(cold), (step, path)


def test_an_import_a_kept_function_reads_changes(tmp_path: Path):
    """`main` is not edited, but what its calls call comes from the module's names: its kept flow
    summary must follow them (the TIP501 finding goes when `DistributedSampler` is bound to
    something else at the end of the module, which only that last statement is parsed again
    for, and comes back when that goes)."""
    text = (ROOT / "rules" / "TIP501" / "p501_args_sampler.py").read_text()
    rebound = text + "\n\nDistributedSampler = make_sampler\n"
    path = str(tmp_path / "train.py")
    memo = Memo()
    seen = []
    for version in (text, rebound, text, rebound + "x = 1\n", rebound):
        found = _lint_through_memo(memo, {path: version}, path)
        assert found == _findings(check_sources([SourceFile(path, version)], ALL_RULES))
        seen.append([d[0] for d in found[path]].count("TIP501"))
    assert seen == [1, 0, 1, 0, 0]
