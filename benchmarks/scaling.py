"""How `tipcheck lint` scales with the number of files (issue 11, item 18).

    python benchmarks/scaling.py [--sizes 300,1000,3000] [--layouts flat,packages] [--repeat 3]
                                 [--jobs 1,default] [--tipcheck-path DIR] [--timeout S]
    python benchmarks/scaling.py --generate DIR --layout packages --size 300   # just write a tree

Two generated layouts of small training scripts, written into a temporary folder:

- ``flat``: N independent scripts, each with its own model class, optimizer, LR scheduler,
  DataLoader over a DistributedSampler and an epoch loop around a batch loop;
- ``packages``: packages of 100 scripts each (N / 100 packages, each with an ``__init__.py``),
  every script importing the model and loader builders from its package's ``common.py``.

The scripts vary (see ``VARIANTS``) so that several project rules fire: a scheduler that is
never stepped (TIP401), stepped before the optimizer (TIP402), a DistributedSampler without
``set_epoch`` (TIP501), a model never moved to the device (TIP101), and clean ones.

Every measurement is a fresh process, ``python -m tipcheck lint DIR --no-cache --format concise
--no-respect-gitignore`` with ``-j1`` or the default job count, timed on the wall clock and in
CPU seconds (user + system of the process and its workers: less sensitive to a machine shared
with other work); the repeats are interleaved. The tables give the median (min-max) seconds and
the ratio of the largest size to the smallest (the target: 3,000 files in <= 10x the time of
300). ``--tipcheck-path``
puts another checkout first on PYTHONPATH (to measure the code before a change). A run past
``--timeout`` seconds is stopped and shown as ">TIMEOUT". It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE_SIZE = 100

# (name, the rules it is meant to trigger)
VARIANTS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("clean", ()),
    ("never_stepped", ("TIP401",)),
    ("step_before", ("TIP402",)),
    ("no_set_epoch", ("TIP501",)),
    ("no_device", ("TIP101",)),
)


def variant(index: int) -> str:
    return VARIANTS[index % len(VARIANTS)][0]


def expected_codes(index: int) -> Tuple[str, ...]:
    return VARIANTS[index % len(VARIANTS)][1]


def _loop(kind: str, index: int, indent: str) -> str:
    """The epoch loop of a script of the given variant."""
    lines = ["for epoch in range(%d):" % (3 + index % 7)]
    if kind == "step_before":
        lines.append("    scheduler.step()")
    if kind != "no_set_epoch":
        lines.append("    sampler.set_epoch(epoch)")
    lines += [
        "    model.train()",
        "    for inputs, targets in loader:",
    ]
    if kind != "no_device":  # that variant never mentions a device
        lines.append("        inputs, targets = inputs.to(device), targets.to(device)")
    lines += [
        "        optimizer.zero_grad()",
        "        loss = nn.functional.cross_entropy(model(inputs), targets)",
        "        loss.backward()",
        "        optimizer.step()",
    ]
    if kind not in ("step_before", "never_stepped"):
        lines.append("    scheduler.step()")
    lines.append("    print(epoch, loss.item())")
    return "".join(indent + line + "\n" for line in lines)


def flat_script(index: int) -> str:
    """A self-contained training script."""
    kind = variant(index)
    width = 8 + index % 13
    to_device = "" if kind == "no_device" else ".to(device)"
    return (
        "import torch\n"
        "import torch.nn as nn\n"
        "from torch.utils.data import DataLoader, DistributedSampler, TensorDataset\n"
        "\n"
        "\n"
        f"class Net{index}(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        f"        self.fc = nn.Linear({width}, 2)\n"
        "\n"
        "    def forward(self, x):\n"
        "        return self.fc(x)\n"
        "\n"
        "\n"
        "def main():\n"
        + ("" if kind == "no_device" else '    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")\n')
        + f"    model = Net{index}(){to_device}\n"
        f"    dataset = TensorDataset(torch.randn(64, {width}), torch.randint(0, 2, (64,)))\n"
        "    sampler = DistributedSampler(dataset)\n"
        "    loader = DataLoader(dataset, batch_size=8, sampler=sampler)\n"
        f"    optimizer = torch.optim.SGD(model.parameters(), lr=0.{1 + index % 9})\n"
        f"    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size={2 + index % 5})\n"
        + _loop(kind, index, "    ")
        + "\n\n"
        'if __name__ == "__main__":\n'
        "    main()\n"
    )


COMMON = (
    '"""Builders shared by the package\'s scripts."""\n'
    "import torch\n"
    "import torch.nn as nn\n"
    "from torch.utils.data import DataLoader, DistributedSampler, TensorDataset\n"
    "\n"
    "\n"
    "class Net(nn.Module):\n"
    "    def __init__(self, width):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(width, 2)\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "\n"
    "\n"
    "def build_model(width):\n"
    "    return Net(width)\n"
    "\n"
    "\n"
    "def build_loader(width):\n"
    "    dataset = TensorDataset(torch.randn(64, width), torch.randint(0, 2, (64,)))\n"
    "    sampler = DistributedSampler(dataset)\n"
    "    loader = DataLoader(dataset, batch_size=8, sampler=sampler)\n"
    "    return loader, sampler\n"
)


def package_script(package: str, index: int) -> str:
    """A script of a package: its model and loader come from the package's common.py."""
    kind = variant(index)
    width = 8 + index % 13
    to_device = "" if kind == "no_device" else ".to(device)"
    # Half the scripts import relatively, half absolutely: both resolve to the same module.
    source = ".common" if index % 2 else f"{package}.common"
    return (
        "import torch\n"
        "import torch.nn as nn\n"
        f"from {source} import build_loader, build_model\n"
        "\n"
        "\n"
        "def main():\n"
        + ("" if kind == "no_device" else '    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")\n')
        + f"    model = build_model({width}){to_device}\n"
        f"    loader, sampler = build_loader({width})\n"
        f"    optimizer = torch.optim.SGD(model.parameters(), lr=0.{1 + index % 9})\n"
        f"    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size={2 + index % 5})\n"
        + _loop(kind, index, "    ")
        + "\n\n"
        'if __name__ == "__main__":\n'
        "    main()\n"
    )


def generate(root: str, layout: str, size: int, package_size: int = PACKAGE_SIZE) -> List[str]:
    """Write ``size`` scripts of ``layout`` under ``root``; the paths of the scripts, in order
    (the packages' common.py and __init__.py files come on top). The ``packages`` layout puts
    ``package_size`` scripts in each package."""
    os.makedirs(root, exist_ok=True)
    paths = []
    if layout == "flat":
        for index in range(size):
            path = os.path.join(root, f"train_{index:05d}.py")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(flat_script(index))
            paths.append(path)
    elif layout == "packages":
        for first in range(0, size, package_size):
            package = f"pkg_{first // package_size:03d}"
            folder = os.path.join(root, package)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "__init__.py"), "w", encoding="utf-8") as handle:
                handle.write("")
            with open(os.path.join(folder, "common.py"), "w", encoding="utf-8") as handle:
                handle.write(COMMON)
            for index in range(first, min(size, first + package_size)):
                path = os.path.join(folder, f"train_{index:05d}.py")
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(package_script(package, index))
                paths.append(path)
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return paths


def run_once(
    folder: str, jobs: Optional[int], tipcheck_path: str, timeout: float
) -> Tuple[Optional[float], Optional[float]]:
    """Wall-clock and CPU seconds (user + system, its worker processes included) of one
    `tipcheck lint` of ``folder``; None, None past the timeout."""
    command = [
        sys.executable,
        "-m",
        "tipcheck",
        "lint",
        folder,
        "--no-cache",
        "--format",
        "concise",
        "--no-respect-gitignore",
    ]
    if jobs is not None:
        command += ["-j", str(jobs)]
    env = dict(os.environ, PYTHONPATH=tipcheck_path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        completed = subprocess.run(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, cwd=folder
        )
    except subprocess.TimeoutExpired:
        return None, None
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode not in (0, 1):
        sys.stderr.write(completed.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"tipcheck exited {completed.returncode} on {folder}")
    return elapsed, cpu


def _fmt(times: List[Optional[float]], timeout: float) -> str:
    done = [t for t in times if t is not None]
    if not done:
        return f">{timeout:.0f}"
    median = statistics.median(done)
    text = f"{median:.2f}" if len(done) == 1 else f"{median:.2f} ({min(done):.2f}-{max(done):.2f})"
    return text + (f" [{len(times) - len(done)} >{timeout:.0f}]" if len(done) < len(times) else "")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,1000,3000", help="numbers of scripts (default 300,1000,3000)")
    parser.add_argument("--layouts", default="flat,packages", help="flat, packages or both")
    parser.add_argument("--jobs", default="1,default", help="job counts: numbers and/or 'default'")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is stopped")
    parser.add_argument("--tipcheck-path", default=ROOT, help="checkout to run (put first on PYTHONPATH)")
    parser.add_argument("--keep", metavar="DIR", help="write the trees here and keep them")
    parser.add_argument("--generate", metavar="DIR", help="only write one tree (with --layout, --size)")
    parser.add_argument("--layout", default="flat")
    parser.add_argument("--size", type=int, default=300)
    args = parser.parse_args(argv)
    if args.generate:
        paths = generate(args.generate, args.layout, args.size)
        print(f"wrote {len(paths)} scripts under {args.generate}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s]
    layouts = [s for s in args.layouts.split(",") if s]
    jobs_list: List[Optional[int]] = [None if j == "default" else int(j) for j in args.jobs.split(",") if j]
    base = args.keep or tempfile.mkdtemp(prefix="tipcheck-scaling-")
    print(
        f"tipcheck from {os.path.abspath(args.tipcheck_path)}; {os.cpu_count()} CPUs; repeats {args.repeat}; timeout {args.timeout:.0f} s"
    )
    folders: Dict[Tuple[str, int], str] = {}
    for layout in layouts:
        for size in sizes:
            folder = os.path.join(base, f"{layout}-{size}")
            if not os.path.isdir(folder):
                generate(folder, layout, size)
            folders[layout, size] = folder
    times: Dict[Tuple[str, int, Optional[int]], List[Optional[float]]] = {}
    cpu_times: Dict[Tuple[str, int, Optional[int]], List[Optional[float]]] = {}
    try:
        for _ in range(args.repeat):
            for layout in layouts:
                for jobs in jobs_list:
                    for size in sizes:
                        key = (layout, size, jobs)
                        if times.get(key) and times[key][-1] is None:
                            times[key].append(None)  # timed out before: do not wait again
                            cpu_times[key].append(None)
                            continue
                        seconds, cpu = run_once(folders[layout, size], jobs, args.tipcheck_path, args.timeout)
                        times.setdefault(key, []).append(seconds)
                        cpu_times.setdefault(key, []).append(cpu)
                        shown = (
                            f"{seconds:.2f} s (CPU {cpu:.2f} s)" if seconds is not None else f">{args.timeout:.0f} s"
                        )
                        print(f"  {layout:8} {size:6} files  -j {jobs or 'default':7}  {shown}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    for title, table in (("Wall clock", times), ("CPU (user + system, workers included)", cpu_times)):
        print(f"\n{title}: median (min-max) seconds of {args.repeat} runs\n")
        header = "| layout | jobs | " + " | ".join(f"{size} files" for size in sizes) + f" | {sizes[-1]} / {sizes[0]} |"
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        for layout in layouts:
            for jobs in jobs_list:
                cells = [_fmt(table[layout, size, jobs], args.timeout) for size in sizes]
                first = [t for t in table[layout, sizes[0], jobs] if t is not None]
                last = [t for t in table[layout, sizes[-1], jobs] if t is not None]
                ratio = f"{statistics.median(last) / statistics.median(first):.1f}" if first and last else "n/a"
                print(f"| {layout} | {jobs or 'default'} | " + " | ".join(cells) + f" | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
