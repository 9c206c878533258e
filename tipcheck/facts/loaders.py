"""What a DataLoader is given and what it feeds (the TIP3xx rules).

- *Its arguments* (``loader_arg``): by keyword or by position, in the order of
  `DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler, num_workers, collate_fn,
  pin_memory, drop_last, timeout, worker_init_fn, multiprocessing_context, generator)`.
- *Whether it feeds training* (``feeds_training``): a loop over it that steps an optimizer or
  runs `.backward()` (in the loop or in what the loop calls), `iter(loader)` pulled by such a loop
  with `next()`, or a generator over it whose consumer trains (tipcheck.facts.passes).
- *Its dataset* (``dataset_style``): "map" when every value the `dataset` argument may hold is a
  map-style dataset the facts know (a torchvision dataset, `TensorDataset`, `Subset`, a project
  class deriving from `Dataset`), "iterable" when one of them is an `IterableDataset`, None when
  anything else may be there (a value from outside the project, a parameter no call fills).
- *Its workers* (``workers``): the `num_workers` as far as the code says it: an int literal, the
  literal default of the parameter or argparse option it comes from, or None (unknown).
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
    """Whether the loader's batches are trained on (see the module docstring)."""
    root = project.root_of(loader)
    if any(project.pass_trains(loop) for loop in project.loops_iterating(loader)):
        return True
    return project.pulls_train(root) or bool(project.iter_passes(root)) or bool(project.yield_from_passes(root))


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
    """"map", "iterable" or None (see the module docstring)."""
    values = datasets_of(project, loader)
    if values is None:
        return None
    if any(v.cls in ITERABLE_DATASETS for v in values):
        return "iterable"
    return "map"


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
    name = value.attr.value if isinstance(value, cst.Attribute) else value.value if isinstance(value, cst.Name) else None
    if name is None:
        return None
    for option in (name, name.replace("_", "-")):
        match = re.search(_ARGPARSE_DEFAULT.format(name=re.escape(option)), text, re.S)
        if match:
            return int(match.group(1))
    return None
