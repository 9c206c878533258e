"""What a DataLoader is given and what it feeds (the TIP3xx rules).

- *Its arguments* (``loader_arg``, ``literal``, ``has_sampler``): by keyword or by position, in the
  order of `DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler, num_workers,
  collate_fn, pin_memory, drop_last, timeout, worker_init_fn, multiprocessing_context, generator)`.
- *Whether it feeds training* (``feeds_training``, ``training_loops``, ``training_loaders``: those of
  a module): a loop over it that steps
  an optimizer or runs `.backward()` (in the loop or in what the loop calls), `iter(loader)` pulled
  by such a loop with `next()`, or a generator over it whose consumer trains
  (tipcheck.facts.passes). A variable that may hold another loader too is not known to train.
- *Its dataset* (``datasets_of``, ``dataset_style``): "map" when every value the `dataset`
  argument may hold is a map-style dataset the facts know (a torchvision dataset, `TensorDataset`,
  `Subset`, a project class deriving from `Dataset`), "iterable" when all are `IterableDataset`s,
  "sampling" for a project dataset that draws its own random item in `__getitem__`, None when
  anything else may be there (a value from outside the project, a parameter no call fills).
- *Its workers* (``workers``): the `num_workers` as far as the code says it: 0 when left out, an
  int literal, the literal default of the argparse option it is read from, or None (unknown).
- *What trains on it* (``ddp_training``, ``shards_elsewhere``, ``cuda_training``,
  ``non_blocking_copies``): a DistributedDataParallel model, code that shards the data without a
  sampler (accelerate, DeepSpeed, Lightning, `split_dataset_by_node`), a loop that may run on a
  GPU, and `non_blocking=True` copies of its batches.
"""

from __future__ import annotations

import re
from typing import List, Optional

import libcst as cst

from tipcheck.facts.catalogue import ITERABLE_DATASETS
from tipcheck.facts.combine import Value

POSITIONS = {
    name: index
    for index, name in enumerate(
        (
            "dataset",
            "batch_size",
            "shuffle",
            "sampler",
            "batch_sampler",
            "num_workers",
            "collate_fn",
            "pin_memory",
            "drop_last",
            "timeout",
            "worker_init_fn",
            "multiprocessing_context",
            "generator",
        )
    )
}


def loader_arg(loader: Value, name: str) -> Optional[cst.Arg]:
    """The argument ``name`` of a DataLoader construction, by keyword or by position."""
    return loader.kwarg(name, POSITIONS.get(name))


def literal(arg: Optional[cst.Arg]):
    """The value of an argument that is a literal True/False/None or int; ``...`` otherwise."""
    if arg is None:
        return ...
    value = arg.value
    if isinstance(value, cst.Name) and value.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[value.value]
    if isinstance(value, cst.Integer):
        return int(value.value)
    return ...


def feeds_training(project, loader: Value) -> bool:
    """Whether the loader's batches are trained on (see the module docstring). A loader whose
    variable may hold another loader too (`evaluate(model, loader)` called with the training and
    the validation loader merges them) is not known to be the one trained on: False."""
    root = project.root_of(loader)
    if sum(v.kind == "loader" for v in project.values_at(root)) != 1:
        return False
    if any(project.pass_trains(loop) for loop in project.loops_iterating(loader)):
        return True
    return project.pulls_train(root) or bool(project.iter_passes(root)) or bool(project.yield_from_passes(root))


def training_loaders(project, module_id: str) -> List[Value]:
    """The DataLoaders built in a module whose batches are trained on (``feeds_training``), as far
    as the facts know them: one loader per variable, and no `*args`/`**kwargs` in the call (what
    they pass is unknown)."""
    found = []
    for loader, _ in project.anchored("loader", module_id, at_helper=False):
        if loader.module_id != module_id or not project.unambiguous(loader):
            continue
        if not any(a.star for a in loader.site.node.args) and feeds_training(project, loader):
            found.append(loader)
    return found


def datasets_of(project, loader: Value) -> Optional[List[Value]]:
    """The dataset values the loader may hold, None when something else may be there too."""
    root = project.field_root(loader, "dataset")
    if root is None:
        return None
    values = [v for v in project.values_at(root) if v.kind == "dataset"]
    if not values or len(values) != len(project.values_at(root)) or project.other_sources(root):
        return None
    return values


def dataset_style(project, loader: Value) -> Optional[str]:
    """ "map", "iterable" or None (see the module docstring); "sampling" for a project dataset
    whose `__getitem__` draws its own random item (`torch.multinomial`, `random.choice`): the
    order the loader asks for does not decide what it gets."""
    values = datasets_of(project, loader)
    if values is None:
        return None
    if all(v.cls in ITERABLE_DATASETS for v in values):
        return "iterable"
    if any(v.cls in ITERABLE_DATASETS for v in values):
        return None
    if any(_samples_itself(project, v) for v in values):
        return "sampling"
    return "map"


_RANDOM = re.compile(r"\brandom\b|randint|randperm|multinomial|\bchoice\(|\bshuffle\(")


def _samples_itself(project, dataset: Value) -> bool:
    """A project dataset class whose `__getitem__` (or a method it inherits) draws at random."""
    if not dataset.custom:
        return False
    callee = dataset.site.callee
    key = project._definition(callee, dataset.module_id) if callee else None
    seen = set()
    while key is not None and key not in seen and key in project.classes:
        seen.add(key)
        cls = project.classes[key]
        getitem = cls.methods.get("__getitem__")
        if getitem is not None and getitem in project.funcs:
            node = project.funcs[getitem].node
            return bool(_RANDOM.search(cst.Module(body=[node]).code))
        bases = [project._definition(b, key[1]) for b in cls.bases if b]
        key = next((b for b in bases if b is not None and b[0] == "class"), None)
    return False


_ARGPARSE_DEFAULT = r"""add_argument\(\s*['"]-{{1,2}}{name}['"][^)]*?default\s*=\s*(-?\d+)"""


def workers(loader: Value, text: str) -> Optional[int]:
    """The loader's `num_workers` as far as the code says (see the module docstring); 0 when it
    is not given."""
    arg = loader_arg(loader, "num_workers")
    if arg is None:
        return 0
    found = literal(arg)
    if isinstance(found, int) and not isinstance(found, bool):
        return found
    value = arg.value
    name = (
        value.attr.value if isinstance(value, cst.Attribute) else value.value if isinstance(value, cst.Name) else None
    )
    if name is None:
        return None
    for option in (name, name.replace("_", "-")):
        match = re.search(_ARGPARSE_DEFAULT.format(name=re.escape(option)), text, re.S)
        if match:
            return int(match.group(1))
    return None


def training_loops(project, loader: Value) -> list:
    """The loops over the loader that train (tipcheck.facts.passes.pass_trains)."""
    return [loop for loop in project.loops_iterating(loader) if project.pass_trains(loop)]


def has_sampler(loader: Value) -> bool:
    """A `sampler=` or `batch_sampler=` other than a literal None: the order is the sampler's."""
    args = (loader_arg(loader, name) for name in ("sampler", "batch_sampler"))
    return any(arg is not None and literal(arg) is not None for arg in args)


# Code that shards the data for each rank without a DistributedSampler on the loader: Hugging Face
# datasets' `split_dataset_by_node`, `.shard(num_shards, index)`, and frameworks that shard the
# loaders they are given (accelerate's `prepare`, DeepSpeed, Lightning).
_SHARDS_ELSEWHERE = re.compile(
    r"split_dataset_by_node|\.shard\(|\bAccelerator\b|\.prepare\(|deepspeed|lightning|idist\.auto_dataloader"
)
DDP = "DistributedDataParallel"


def ddp_training(project, loader: Value, loops: list) -> bool:
    """Whether the loops that train on the loader train a DistributedDataParallel model: a DDP
    wrapper is called in one of them, or built in the loader's module or a loop's module."""
    modules = {loader.module_id} | {loop.module_id for loop in loops}
    if any(v.cls == DDP and v.module_id in modules for v in project.values_of_kind("wrapper")):
        return True
    return any(
        v.kind == "wrapper" and v.cls == DDP
        for loop in loops
        for root in project.models_called_in(loop)
        for v in project.values_at(root)
    )


def shards_elsewhere(project, loader: Value, loops: list) -> bool:
    """Whether the code around the loader or its training loops shards the data another way."""
    modules = {loader.module_id} | {loop.module_id for loop in loops}
    return any(_SHARDS_ELSEWHERE.search(getattr(project.summaries.get(m), "text", "") or "") for m in modules)


def cuda_training(project, loader: Value, loops: list) -> bool:
    """Whether a training loop over the loader may run on a GPU: its module, or the loader's,
    speaks of CUDA (`.cuda()`, `torch.device("cuda" ...)`, `torch.cuda.is_available()`)."""
    modules = {loader.module_id} | {loop.module_id for loop in loops}
    return any("cuda" in (getattr(project.summaries.get(m), "text", "") or "") for m in modules)


def non_blocking_copies(project, loops: list) -> list:
    """The `.to(..., non_blocking=True)` / `.cuda(non_blocking=True)` calls in the bodies of the loops."""
    found = []
    for loop in loops:
        summary = project.summaries.get(loop.module_id)
        for site in summary.calls if summary is not None else ():
            if loop.record not in site.ctx.loops or site.method not in ("to", "cuda"):
                continue
            if any(
                a.keyword is not None and a.keyword.value == "non_blocking" and literal(a) is True
                for a in site.node.args
            ):
                found.append(site)
    return found
