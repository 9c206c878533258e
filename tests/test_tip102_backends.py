"""TIP102 and distributed-only code in a project whose process groups are all NCCL
(tipcheck.facts.backends): which backends count as NCCL, and which keep the placements reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tipcheck import engine
from tipcheck.rules import select_rules

CASE = Path(__file__).resolve().parent.parent / "rules" / "TIP102" / "n102_xmod_dist_ready_helper"
START = '    args.dist_backend = "nccl"\n    dist.init_process_group(backend=args.dist_backend, init_method="env://")\n'


def _findings(folder: Path):
    paths = sorted(str(p) for p in folder.rglob("*.py"))
    results = engine.lint_paths(paths, select_rules(["TIP102"]), jobs=1)
    return sorted((Path(r.path).name, d.start.row) for r in results for d in r.diagnostics)


def _case(tmp_path: Path, start: str) -> Path:
    tree = tmp_path / "case"
    shutil.copytree(CASE, tree)
    helper = tree / "dist_utils.py"
    text = helper.read_text()
    assert START in text
    helper.write_text(text.replace(START, start))
    return tree


def _placement_line(tree: Path) -> int:
    lines = (tree / "dist_utils.py").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if 'device="cuda"' in line)


@pytest.mark.parametrize(
    "start",
    [
        '    dist.init_process_group("nccl", init_method="env://")\n',
        '    backend = "nccl"\n    dist.init_process_group(backend)\n',
        START,
        # a docstring that shows another backend is no process group
        '    """Call `init_process_group(backend="YOUR BACKEND")` first."""\n' + START,
    ],
)
def test_nccl_backends_make_distributed_code_gpu_only(tmp_path, start):
    assert _findings(_case(tmp_path, start)) == []


@pytest.mark.parametrize(
    "start",
    [
        '    dist.init_process_group(init_method="env://")\n',  # no backend: gloo and NCCL both
        '    dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")\n',
        '    dist.init_process_group(backend=os.environ.get("BACKEND", "nccl"))\n',
        "    dist.init_process_group(backend=args.dist_backend)\n",  # set nowhere that is read
        '    backend = "nccl"\n    if args.cpu:\n        backend = args.cpu_backend\n    dist.init_process_group(backend)\n',
    ],
)
def test_other_or_unknown_backends_keep_the_placement_reported(tmp_path, start):
    tree = _case(tmp_path, start)
    assert _findings(tree) == [("dist_utils.py", _placement_line(tree))]


def test_a_process_group_in_a_file_tipcheck_does_not_parse_counts(tmp_path):
    # The extra script mentions no CUDA: TIP102 does not parse it, yet its process group is seen.
    tree = _case(tmp_path, START)
    (tree / "cpu_worker.py").write_text(
        "import sys\n\nimport torch.distributed as dist\n\ndist.init_process_group(backend=sys.argv[1])\n"
    )
    assert _findings(tree) == [("dist_utils.py", _placement_line(tree))]


def test_a_parameter_default_counts_unless_a_call_passes_another_backend(tmp_path):
    start = '    join(args)\n\n\ndef join(args, backend="nccl"):\n    dist.init_process_group(backend, init_method="env://")\n'
    tree = _case(tmp_path, start)
    assert _findings(tree) == []
    (tree / "dist_utils.py").write_text(
        (tree / "dist_utils.py").read_text().replace("join(args)\n", "join(args, args.backend)\n", 1)
    )
    assert _findings(tree) == [("dist_utils.py", _placement_line(tree))]
