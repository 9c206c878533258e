#!/usr/bin/env python
"""Generate ``tipcheck/data/torchvision_builders.json`` from the installed torchvision.

The table drives rule TIP201 (deprecated ``pretrained=`` -> exact ``weights=``).  It is
never edited by hand: every row is read out of torchvision itself.

For each model builder this script records

* where the builder object is publicly reachable (``paths``),
* the keyword-only parameters of the undecorated builder (``params``; this is the order
  ``kwonly_to_pos_or_kw`` uses to map deprecated positional arguments),
* for every key of the builder's ``@handle_legacy_interface(...)`` decorator, the weights
  enum member that ``<pretrained_param>=True`` resolves to (``legacy``), including the
  case split for callable defaults (quantized builders depend on ``quantize``, the
  detection backbone helpers on ``backbone_name``).

Decorator internals are read from the closure of torchvision's ``inner_wrapper``
(identified by code object, not by name), and callable defaults are evaluated by
calling them with a recording dict.

Usage::

    python scripts/generate_torchvision_table.py             # (re)write the table
    python scripts/generate_torchvision_table.py --output X  # write elsewhere
    python scripts/generate_torchvision_table.py --check     # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import difflib
import functools
import importlib
import inspect
import itertools
import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "tipcheck" / "data" / "torchvision_builders.json"
GENERATED_BY = "scripts/generate_torchvision_table.py"

# Public namespaces, in the order used to pick an enum's public path.  The defining
# module of a builder is added to this list when collecting its paths.
PUBLIC_MODULES = (
    "torchvision.models",
    "torchvision.models.detection",
    "torchvision.models.segmentation",
    "torchvision.models.video",
    "torchvision.models.quantization",
    "torchvision.models.optical_flow",
)

# Builders that are not in the model registry but still take ``pretrained=``.
UNREGISTERED_BUILDERS = (
    ("torchvision.models.detection.backbone_utils", "resnet_fpn_backbone"),
    ("torchvision.models.detection.backbone_utils", "mobilenet_backbone"),
)


class GenerationError(RuntimeError):
    """torchvision does something this generator does not know how to tabulate."""


class _Absent:
    """Marks a kwarg that is left out of a combination."""

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<absent>"


ABSENT = _Absent()


class RecordingDict(dict):
    """A dict that logs every key looked up through ``[]``, ``get`` and ``in``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads: list[str] = []

    def __getitem__(self, key: Any) -> Any:
        self.reads.append(key)
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        self.reads.append(key)
        return super().get(key, default)

    def __contains__(self, key: Any) -> bool:
        self.reads.append(key)
        return super().__contains__(key)


# --------------------------------------------------------------------------------------
# torchvision introspection helpers
# --------------------------------------------------------------------------------------


def _torchvision():
    import torchvision  # noqa: F401  (imported lazily so --help works without it)
    import torchvision.models  # noqa: F401
    import torchvision.models.detection  # noqa: F401
    import torchvision.models.detection.backbone_utils  # noqa: F401
    import torchvision.models.optical_flow  # noqa: F401
    import torchvision.models.quantization  # noqa: F401
    import torchvision.models.segmentation  # noqa: F401
    import torchvision.models.video  # noqa: F401

    return torchvision


def torchvision_version() -> str:
    """The installed torchvision version without a local suffix (``0.29.1+cu130`` -> ``0.29.1``)."""
    return _torchvision().__version__.split("+", 1)[0]


@functools.lru_cache(maxsize=None)
def _wrapper_codes():
    """Code objects of the wrappers created by ``handle_legacy_interface`` / ``kwonly_to_pos_or_kw``.

    All wrappers made by one decorator share a code object, so decorating a dummy gives a
    reliable way to recognise them (names are copied by ``functools.wraps``, so they are not).
    """
    from torchvision.models._utils import handle_legacy_interface, kwonly_to_pos_or_kw

    def dummy(*, weights: Any = None) -> None:  # pragma: no cover - never called
        return None

    legacy_outer = handle_legacy_interface(weights=("pretrained", None))(dummy)
    legacy_inner = legacy_outer.__wrapped__
    kwonly = kwonly_to_pos_or_kw(dummy)
    return legacy_inner.__code__, kwonly.__code__


def _unwrap_chain(fn: Callable) -> list[Callable]:
    chain = [fn]
    seen = {id(fn)}
    while hasattr(chain[-1], "__wrapped__"):
        nxt = chain[-1].__wrapped__
        if id(nxt) in seen:  # pragma: no cover - defensive
            raise GenerationError(f"cycle in __wrapped__ chain of {fn!r}")
        seen.add(id(nxt))
        chain.append(nxt)
    return chain


def legacy_weights_spec(fn: Callable) -> dict[str, tuple[str, Any]]:
    """The ``weights`` mapping given to ``handle_legacy_interface`` for *fn* (``{}`` if undecorated)."""
    legacy_code, _ = _wrapper_codes()
    specs = []
    for layer in _unwrap_chain(fn):
        if getattr(layer, "__code__", None) is legacy_code:
            nonlocals = inspect.getclosurevars(layer).nonlocals
            if "weights" not in nonlocals:
                raise GenerationError(f"cannot read the legacy weights mapping of {fn!r}")
            specs.append(nonlocals["weights"])
    if len(specs) > 1:
        raise GenerationError(f"{fn!r} is decorated with handle_legacy_interface more than once")
    return dict(specs[0]) if specs else {}


def keyword_only_params(fn: Callable) -> list[str]:
    """Keyword-only parameters of the undecorated builder, in order, without ``**kwargs``."""
    builder = inspect.unwrap(fn)
    params = list(inspect.signature(builder, follow_wrapped=False).parameters.values())
    var_keyword = {p.name for p in params if p.kind == p.VAR_KEYWORD}
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    if positional:
        # kwonly_to_pos_or_kw would then map positional args with an offset this table
        # cannot express.  No torchvision builder does this today; fail loudly if one starts.
        raise GenerationError(f"{fn.__module__}.{fn.__name__} has positional parameters {positional}")
    names = [p.name for p in params if p.kind == p.KEYWORD_ONLY]

    # Cross-check against what kwonly_to_pos_or_kw actually captured.
    _, kwonly_code = _wrapper_codes()
    for layer in _unwrap_chain(fn):
        if getattr(layer, "__code__", None) is kwonly_code:
            nonlocals = inspect.getclosurevars(layer).nonlocals
            captured = [n for n in nonlocals["keyword_only_params"] if n not in var_keyword]
            if nonlocals["keyword_only_start_idx"] != 0 or captured != names:
                raise GenerationError(
                    f"kwonly_to_pos_or_kw of {fn.__name__} maps {nonlocals['keyword_only_params']!r} "
                    f"from index {nonlocals['keyword_only_start_idx']}, signature says {names!r}"
                )
    return names


def builder_paths(fn: Callable) -> list[str]:
    """Every public dotted path (plus the defining module) under which *fn* itself is reachable."""
    modules = list(PUBLIC_MODULES)
    if fn.__module__ not in modules:
        modules.append(fn.__module__)
    paths = set()
    for mod_name in modules:
        module = importlib.import_module(mod_name)
        if getattr(module, fn.__name__, None) is fn:
            paths.add(f"{mod_name}.{fn.__name__}")
    if not paths:
        raise GenerationError(f"{fn!r} is not reachable from any known module")
    return sorted(paths, key=lambda p: (len(p), p))


def enum_public_path(cls: type) -> str:
    for mod_name in PUBLIC_MODULES:
        module = importlib.import_module(mod_name)
        if getattr(module, cls.__name__, None) is cls:
            return f"{mod_name}.{cls.__name__}"
    module = importlib.import_module(cls.__module__)
    if getattr(module, cls.__name__, None) is not cls:
        raise GenerationError(f"{cls!r} is not reachable from its defining module")
    return f"{cls.__module__}.{cls.__name__}"


def kwarg_domains() -> dict[str, list[Any]]:
    """The values tried for each kwarg a callable legacy default may read."""
    from torchvision.models import list_models

    return {
        "quantize": [True, False],
        "backbone_name": sorted(list_models()),
    }


def _call_default(default: Callable, pretrained_param: str, combo: dict[str, Any]):
    """Call a legacy default the way ``inner_wrapper`` does for ``pretrained_param=True``.

    Returns ``(result_or_None, keys_read)``.  Exceptions mean "torchvision would raise".
    """
    kwargs = RecordingDict({pretrained_param: True})
    dict.update(kwargs, combo)
    try:
        result = default(kwargs)
    except Exception:  # noqa: BLE001 - any error means no weights for this combination
        result = None
    # The deprecated parameter itself is always present (it is what triggers the call) and
    # is fixed to True for this table, so reading it is not a dependency.  (keypointrcnn
    # reads kwargs["pretrained"] to special-case the string "legacy".)
    reads = {k for k in kwargs.reads if k != pretrained_param}
    return result, reads


def _combinations(keys: list[str], domains: dict[str, list[Any]]) -> Iterable[dict[str, Any]]:
    options = []
    for key in keys:
        if key not in domains:
            raise GenerationError(
                f"legacy default reads kwarg {key!r}, which has no known value domain; teach kwarg_domains() about it"
            )
        options.append([ABSENT, *domains[key]])
    for values in itertools.product(*options):
        yield {k: v for k, v in zip(keys, values) if v is not ABSENT}


def legacy_entry(weights_param: str, pretrained_param: str, default: Any) -> dict[str, Any]:
    from torchvision.models._api import WeightsEnum

    def case(when: dict[str, Any], member: WeightsEnum) -> dict[str, Any]:
        return {"when": when, "enum": enum_public_path(type(member)), "member": member.name}

    if isinstance(default, WeightsEnum):
        return {
            "weights_param": weights_param,
            "pretrained_param": pretrained_param,
            "depends_on": [],
            "cases": [case({}, default)],
        }
    if default is None:
        return {
            "weights_param": weights_param,
            "pretrained_param": pretrained_param,
            "depends_on": [],
            "cases": [],
        }
    if not callable(default):
        raise GenerationError(f"unexpected legacy default {default!r} for {weights_param!r}")

    # Discover the kwargs the default reads.  Iterate to a fixpoint so a key that is only
    # read on some branch (depending on the value of another key) is still found.
    domains = kwarg_domains()
    depends: set[str] = set()
    while True:
        found = set(depends)
        for combo in _combinations(sorted(depends), domains):
            _, reads = _call_default(default, pretrained_param, combo)
            found |= reads
        if found == depends:
            break
        depends = found
    keys = sorted(depends)

    cases = []
    for combo in _combinations(keys, domains):
        result, _ = _call_default(default, pretrained_param, combo)
        if isinstance(result, WeightsEnum):
            cases.append(case(combo, result))
    return {
        "weights_param": weights_param,
        "pretrained_param": pretrained_param,
        "depends_on": keys,
        "cases": cases,
    }


def iter_builders() -> list[tuple[Optional[str], Callable]]:
    """``(registry_name, builder)`` for all registered builders and the backbone helpers."""
    _torchvision()
    from torchvision.models import get_model_builder, list_models

    builders: list[tuple[Optional[str], Callable]] = [(name, get_model_builder(name)) for name in list_models()]
    for mod_name, attr in UNREGISTERED_BUILDERS:
        builders.append((None, getattr(importlib.import_module(mod_name), attr)))
    return builders


def builder_row(registry_name: Optional[str], fn: Callable) -> dict[str, Any]:
    spec = legacy_weights_spec(fn)
    return {
        "name": fn.__name__,
        "registry_name": registry_name,
        "paths": builder_paths(fn),
        "params": keyword_only_params(fn),
        "legacy": [
            legacy_entry(weights_param, pretrained_param, default)
            for weights_param, (pretrained_param, default) in spec.items()
        ],
    }


def generate_table() -> dict[str, Any]:
    """The full table as a JSON-ready dict."""
    rows = [builder_row(name, fn) for name, fn in iter_builders()]
    rows.sort(key=lambda row: row["paths"][0])
    first_paths = [row["paths"][0] for row in rows]
    if len(set(first_paths)) != len(first_paths):
        raise GenerationError("two builders share a first path")
    return {
        "generated_by": GENERATED_BY,
        "torchvision_version": torchvision_version(),
        "builders": rows,
    }


def render(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=2, sort_keys=False) + "\n"


def generate_text() -> str:
    return render(generate_table())


def _diff_summary(old: str, new: str, path: Path) -> str:
    lines = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), f"{path} (on disk)", f"{path} (generated)", lineterm="", n=2
        )
    )
    summary = []
    try:
        old_rows = {r["paths"][0]: r for r in json.loads(old).get("builders", [])}
        new_rows = {r["paths"][0]: r for r in json.loads(new)["builders"]}
        added = sorted(set(new_rows) - set(old_rows))
        removed = sorted(set(old_rows) - set(new_rows))
        changed = sorted(p for p in set(old_rows) & set(new_rows) if old_rows[p] != new_rows[p])
        summary.append(f"builders: {len(added)} added, {len(removed)} removed, {len(changed)} changed")
        for label, items in (("added", added), ("removed", removed), ("changed", changed)):
            for item in items[:20]:
                summary.append(f"  {label}: {item}")
            if len(items) > 20:
                summary.append(f"  ... and {len(items) - 20} more {label}")
    except (ValueError, KeyError, TypeError, AttributeError):
        summary.append("on-disk file is not a valid table")
    if len(lines) > 200:
        lines = lines[:200] + [f"... ({len(lines) - 200} more diff lines)"]
    return "\n".join(summary + lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the table")
    parser.add_argument(
        "--check", action="store_true", help="don't write; exit 1 if the file differs from what would be generated"
    )
    args = parser.parse_args(argv)

    text = generate_text()
    if args.check:
        try:
            current = args.output.read_text(encoding="utf-8")
        except FileNotFoundError:
            print(f"{args.output}: missing; run {GENERATED_BY}", file=sys.stderr)
            return 1
        if current != text:
            print(f"{args.output} is out of date; run {GENERATED_BY}", file=sys.stderr)
            print(_diff_summary(current, text, args.output), file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    n = len(json.loads(text)["builders"])
    print(f"wrote {args.output} ({n} builders, torchvision {torchvision_version()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
