"""Data generated from third-party packages (see scripts/), loaded lazily and cached."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True)
class LegacyCase:
    when: Dict[str, object]  # argument values this case needs; absent keys must be absent
    enum: str  # dotted path of the weights enum class
    member: str

    @property
    def module(self) -> str:
        return self.enum.rsplit(".", 1)[0]

    @property
    def class_name(self) -> str:
        return self.enum.rsplit(".", 1)[1]


@dataclass(frozen=True)
class LegacyParam:
    weights_param: str  # "weights", "weights_backbone"
    pretrained_param: str  # "pretrained", "pretrained_backbone"
    depends_on: Tuple[str, ...]
    cases: Tuple[LegacyCase, ...]


@dataclass(frozen=True)
class Builder:
    name: str
    registry_name: Optional[str]
    paths: Tuple[str, ...]
    params: Tuple[str, ...]  # keyword-only parameters, in the order positional arguments map to
    legacy: Tuple[LegacyParam, ...]


@dataclass(frozen=True)
class TorchvisionTable:
    version: str
    by_path: Dict[str, Builder]
    by_registry_name: Dict[str, Builder]

    @property
    def builders(self) -> List[Builder]:
        unique = {id(b): b for b in self.by_path.values()}
        return sorted(unique.values(), key=lambda b: b.paths[0])

    def in_namespace(self, package: str) -> List[Builder]:
        """The builders a package of torchvision holds (what ``package.__dict__[name]`` and
        ``getattr(package, name)`` can reach), read from their public paths; empty for a module that
        is not a package (``torchvision.models.resnet`` also holds what it imports). A package is a
        module that another path goes through. tests/test_torchvision_table.py checks that nothing
        else a package holds can be called with ``pretrained=``."""
        return _in_package(self, package)


_PACKAGES: Dict[Tuple[int, str], List[Builder]] = {}


def _in_package(table: "TorchvisionTable", package: str) -> List[Builder]:
    key = (id(table), package)
    if key not in _PACKAGES:
        holders = {path.rsplit(".", 1)[0] for path in table.by_path}
        found: Dict[int, Builder] = {}
        if any(holder.startswith(package + ".") for holder in holders):
            found = {id(b): b for path, b in table.by_path.items() if path.rsplit(".", 1)[0] == package}
        _PACKAGES[key] = sorted(found.values(), key=lambda b: b.paths[0])
    return _PACKAGES[key]


@functools.lru_cache(maxsize=None)
def torchvision_table() -> TorchvisionTable:
    raw = json.loads(resources.files(__package__).joinpath("torchvision_builders.json").read_text("utf-8"))
    by_path: Dict[str, Builder] = {}
    by_registry: Dict[str, Builder] = {}
    for entry in raw["builders"]:
        builder = Builder(
            name=entry["name"],
            registry_name=entry["registry_name"],
            paths=tuple(entry["paths"]),
            params=tuple(entry["params"]),
            legacy=tuple(
                LegacyParam(
                    weights_param=legacy["weights_param"],
                    pretrained_param=legacy["pretrained_param"],
                    depends_on=tuple(legacy["depends_on"]),
                    cases=tuple(LegacyCase(**case) for case in legacy["cases"]),
                )
                for legacy in entry["legacy"]
            ),
        )
        for path in builder.paths:
            by_path[path] = builder
        if builder.registry_name:
            by_registry[builder.registry_name] = builder
    return TorchvisionTable(raw["torchvision_version"], by_path, by_registry)
