"""Scripts whose deployment runs them on a GPU, by their deployment's configuration (TIP102).

A Cog project (`cog.yaml` beside the code) packs a model into a container: `build: gpu: true`
gives the container a GPU, and `predict: "predict.py:Predictor"` (or `train: "train.py:train"`)
names the module it runs there. Such a module is GPU-only by design, as a module that requires a
CUDA-only library is: its `.cuda()` calls need no check. A `cog.yaml` without `gpu: true`, or a
module it does not name, is no such thing.

The configuration files are read from the folders of the linted files and the folders above them
(``deployment_configs``); their texts go into the project step's cache key, so an edit of one
is seen. That happens before the cache is asked, so this module stays out of tipcheck.facts (which
imports LibCST: a run answered by the cache imports neither it nor the rules).
"""

from __future__ import annotations

import os
import re
from typing import Dict, Iterable, Set

_NAME = "cog.yaml"
_MAX_BYTES = 256 * 1024
_LEVELS = 8  # folders above a linted file to look in
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*(?:#.*)?$")
_GPU = re.compile(r"^[ \t]+gpu[ \t]*:[ \t]*(true|yes|on)[ \t]*(?:#.*)?$", re.IGNORECASE)
_ENTRY = re.compile(r"""^["']?([^"':]+\.py):\w+["']?$""")


def deployment_configs(paths: Iterable[str]) -> Dict[str, str]:
    """The text of every `cog.yaml` in the folders of ``paths`` and up to a few folders above
    them, by absolute path. One that cannot be read or decoded is left out."""
    found: Dict[str, str] = {}
    seen: Set[str] = set()
    for path in paths:
        folder = os.path.dirname(os.path.abspath(path))
        for _ in range(_LEVELS):
            if folder in seen:
                break
            seen.add(folder)
            candidate = os.path.join(folder, _NAME)
            text = _read(candidate)
            if text is not None:
                found[candidate] = text
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return found


def _read(path: str):
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > _MAX_BYTES:
            return None
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def gpu_deployed(configs: Dict[str, str]) -> Set[str]:
    """The absolute paths of the modules that a configuration runs on a GPU: the `predict` and
    `train` entries of a `cog.yaml` whose `build` section sets `gpu: true`."""
    modules: Set[str] = set()
    for config, text in configs.items():
        section = None
        gpu = False
        entries = []
        for line in text.splitlines():
            top = _TOP_KEY.match(line)
            if top is not None:
                section = top.group(1)
                if section in ("predict", "train") and top.group(2):
                    entry = _ENTRY.match(top.group(2))
                    if entry is not None:
                        entries.append(entry.group(1))
            elif section == "build" and _GPU.match(line):
                gpu = True
        if gpu:
            folder = os.path.dirname(config)
            modules.update(os.path.normpath(os.path.join(folder, entry)) for entry in entries)
    return modules
