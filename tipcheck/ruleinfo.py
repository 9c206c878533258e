"""What the command line, the config and the engine's cached path know about the rules without
importing them.

Importing the rules (tipcheck.rules) imports LibCST and every rule module, a good part of a second
on a slow machine, which a run whose findings all come from the cache does not otherwise need.
Selection needs each rule's code and preview flag; the cached path needs its code, whether it is
a project rule, whether it reads every linted file, and whether it reads deployment configurations. Those are read from the rule classes (the
one place that says them) once per version of tipcheck's modules (tipcheck.cache's code stamp:
sizes and times), and kept as JSON in the user's tipcheck folder (tipcheck.cache.user_dir, outside
any checkout, beside the cache's secret). A catalogue that is not exactly what this module writes
is rebuilt; where none can be kept, the rules are imported every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

from tipcheck import __version__
from tipcheck.cache import code_stamp, user_dir, write_atomically

if TYPE_CHECKING:
    from tipcheck.rules.base import Rule

_PREFIX = "rules-"
_KEPT = 8  # catalogues kept for other installs (venvs, checkouts) of the same user


@dataclass(frozen=True)
class RuleInfo:
    """A rule as selection and the cached path see it (the attributes of tipcheck.rules.base.Rule)."""

    code: str
    name: str
    preview: bool = False
    project: bool = False
    reads_linted: bool = False
    reads_deployment: bool = False


def _info(rule) -> RuleInfo:
    return RuleInfo(
        rule.code,
        rule.name,
        bool(rule.preview),
        bool(rule.project),
        bool(getattr(rule, "reads_linted", False)),
        bool(getattr(rule, "reads_deployment", False)),
    )


_FIELDS = {f.name: f.type for f in fields(RuleInfo)}
_LOADED: List[Tuple[RuleInfo, ...]] = []  # this process's catalogue, once made


def catalogue() -> Tuple[RuleInfo, ...]:
    """Every rule, in the registry's order (by code)."""
    if not _LOADED:
        _LOADED.append(_make())
    return _LOADED[0]


def _make() -> Tuple[RuleInfo, ...]:
    if "tipcheck.rules" in sys.modules:  # imported already: its rules are the ones that run
        return _from_rules()
    path = _path()
    found = _read(path) if path else None
    if found is not None:
        return found
    made = _from_rules()
    if path:
        _write(path, made)
    return made


def _from_rules() -> Tuple[RuleInfo, ...]:
    from tipcheck.rules import ALL_RULES

    return tuple(_info(rule) for rule in ALL_RULES)


def _path() -> Optional[str]:
    try:
        stamp = hashlib.blake2b(f"{__version__} {code_stamp()}".encode(), digest_size=12).hexdigest()
        return os.path.join(user_dir(), f"{_PREFIX}{stamp}.json")
    except (OSError, RuntimeError):  # no home folder
        return None


def _read(path: str) -> Optional[Tuple[RuleInfo, ...]]:
    """The catalogue kept at ``path``, or None when it is absent or not what _write writes."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    if type(data) is not list or not data:
        return None
    infos = []
    for item in data:
        if type(item) is not dict or set(item) != set(_FIELDS):
            return None
        if any(type(item[name]) is not (str if kind == "str" else bool) for name, kind in _FIELDS.items()):
            return None
        infos.append(RuleInfo(**item))
    return tuple(infos)


def _write(path: str, infos: Sequence[RuleInfo]) -> None:
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        write_atomically(path, json.dumps([asdict(info) for info in infos]).encode())
        kept = sorted(
            (os.path.join(folder, n) for n in os.listdir(folder) if n.startswith(_PREFIX) and n.endswith(".json")),
            key=os.path.getmtime,
            reverse=True,
        )
        for old in kept[_KEPT:]:
            os.unlink(old)
    except OSError:
        pass  # not kept: the next run imports the rules again


def implementations(rules: Sequence) -> List["Rule"]:
    """The Rule objects for rules or their catalogue entries (this imports the rules, and LibCST)."""
    if not any(isinstance(rule, RuleInfo) for rule in rules):
        return list(rules)
    from tipcheck.rules import RULES_BY_CODE

    return [RULES_BY_CODE[rule.code] if isinstance(rule, RuleInfo) else rule for rule in rules]
