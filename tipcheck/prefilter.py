"""Which files to parse, and for which rules: decided on the text alone, before any parsing.

A rule names the words a file must contain for it to apply (`Rule.needs_text`, or its own
`wanted`). Project rules (the training-script facts) also need the modules on the other side of an
import: a training loop in train.py whose sampler comes from data.py, or a main.py that calls
`engine.train_one_epoch`. Those are found by following imports in the text, a little way.
"""

from __future__ import annotations

import re
from typing import Dict, List, Sequence, Set, Tuple

from tipcheck.facts.modules import ModuleIndex
from tipcheck.facts.modules import TextImports as _Modules
from tipcheck.rules.base import Rule
from tipcheck.source import SourceFile

# Words of a training script (Loader/loader, Sampler/sampler, epoch loops, ...): plain substring tests, which
# are much faster than one regular expression over a large tree.
_TRAINING_WORDS = (".step(", ".backward(", "epoch", "oader", "ampler", "cheduler", "ptimizer")
_DEFINES_MODEL = re.compile(r"\bnn\.Module\b")


def _training(text: str) -> bool:
    return any(word in text for word in _TRAINING_WORDS)


# `from .fit import fit` in a package's __init__.py: `from pkg import fit` elsewhere means the
# function, not the module pkg/fit.py, and only the __init__ says so (tipcheck.facts.combine).
_SAME_NAME_REEXPORT = re.compile(r"^[ \t]*from[ \t]+\.(\w+)[ \t]+import[ \t]+[^\n]*\b\1\b", re.MULTILINE)


def _reexports_same_name(path: str, text: str) -> bool:
    return path.endswith("__init__.py") and "import" in text and bool(_SAME_NAME_REEXPORT.search(text))


def _defines_model(text: str) -> bool:
    return "nn.Module" in text and bool(_DEFINES_MODEL.search(text))


# A module imported by more files than this is library code (see _related_to).
_HUB_IMPORTERS = 20


_STAR_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\*", re.MULTILINE)


def _star_imported(texts: Dict[str, str], anchors: Dict[str, str]) -> Set[str]:
    """The files that training files import with `from module import *`: what a bare name means
    there depends on every one of them, training code or not (a `utils.py` of plotting helpers)."""
    importers = {p: t for p, t in {**texts, **anchors}.items() if "import *" in t and (p in anchors or _training(t))}
    if not importers:
        return set()
    index = ModuleIndex([*anchors, *texts])
    found: Set[str] = set()
    for path, text in importers.items():
        for match in _STAR_IMPORT.finditer(text):
            dots, module = match.group(1), match.group(2)
            module = index.absolute(module, len(dots), path) if dots else module
            if module:
                found |= index.candidates(module)
    return found


def _related_to(texts: Dict[str, str], anchors: Dict[str, str], levels: int = 2) -> Set[str]:
    """Paths of the files in ``texts`` linked to the ``anchors`` files by imports, either way.

    Cross-module facts need the modules on both sides of an import: a training loop in train.py
    that imports its sampler from data.py, or a main.py that calls `engine.train_one_epoch`. A file
    that mentions nothing a project rule looks for is parsed when it is linked that way, up to
    ``levels`` imports away. This works on the text, before anything is parsed.
    """
    # Only files that could take part in training are worth parsing for it; a file that only
    # defines models (`class Net(nn.Module)`) counts when a training file imports it directly.
    models = {path for path, text in texts.items() if _defines_model(text)}
    starred = _star_imported(texts, anchors)
    texts = {
        path: text
        for path, text in texts.items()
        if _training(text) or path in models or path in starred or _reexports_same_name(path, text)
    }
    modules = _Modules([*anchors, *texts])
    imports = {path: modules.imported_by(path, text) for path, text in {**texts, **anchors}.items()}
    importers: Dict[str, Set[str]] = {}
    for path, imported in imports.items():
        for target in imported:
            importers.setdefault(target, set()).add(path)
    # A module imported from all over (a package's __init__, a library's base classes) is library
    # code, not part of a training script: it is left out (what it defines is unknown to the
    # analysis, which then stays silent about what goes through it), and what imports it is not
    # followed. Anchors are always in.
    hubs = {path for path, found in importers.items() if len(found) > _HUB_IMPORTERS}
    related: Set[str] = set()
    frontier = set(anchors)
    for level in range(levels):
        candidates = {path for path in texts if not level or path not in models or _training(texts[path])}
        linked = (
            set().union(*(imports[path] | (set() if path in hubs else importers.get(path, set())) for path in frontier))
            if frontier
            else set()
        )
        found = (linked & candidates) - related - hubs
        # A package's `__init__.py` that re-exports a helper (`from .build import make_loader`)
        # is no step of its own: what imports it is linked at the same level.
        packages = {path for path in found if path.endswith("__init__.py")}
        found |= (set().union(*(importers.get(path, set()) for path in packages)) & candidates) - related - hubs
        if not found:
            break
        related |= found
        frontier = found
    return related


# The rules each text wants, by the rules asked and the text: a long-lived process (the editor
# server) plans the same unchanged files again at every edit. Only the texts of the last call are
# kept, so this holds no more than the project's texts.
_WANTED: Dict[Tuple[Tuple[str, ...], str], Tuple[bool, ...]] = {}


def _wanted_by_text(sources: Sequence[SourceFile], rules: Sequence[Rule]) -> Dict[str, List[Rule]]:
    codes = tuple(rule.code for rule in rules)
    found: Dict[Tuple[Tuple[str, ...], str], Tuple[bool, ...]] = {}
    wanted: Dict[str, List[Rule]] = {}
    for source in sources:
        key = (codes, source.text)
        answers = _WANTED.get(key) or found.get(key)
        if answers is None:
            answers = tuple(rule.wanted(source.text) for rule in rules)
        found[key] = answers
        wanted[source.path] = [rule for rule, answer in zip(rules, answers) if answer]
    _WANTED.clear()
    _WANTED.update(found)
    return wanted


def rules_per_file(sources: Sequence[SourceFile], rules: Sequence[Rule]) -> Dict[str, List[Rule]]:
    """For each source, the rules to run on it (an empty list: not worth parsing)."""
    wanted = _wanted_by_text(sources, rules)
    # A project rule that some file wants runs on every file of the project: its finding may be
    # anchored in a file that does not mention what it looks for (a helper call in train.py).
    active = [rule for rule in rules if rule.project and any(rule in chosen for chosen in wanted.values())]
    if active:
        # Only the rules that need the modules linked to their files by imports pull those in.
        anchors = {s.path: s.text for s in sources if any(rule.project and rule.expands for rule in wanted[s.path])}
        others = {s.path: s.text for s in sources if s.path not in anchors}
        related = _related_to(others, anchors) if anchors else set()
        for path in wanted:
            if path in related or any(rule.project for rule in wanted[path]):
                wanted[path] = [rule for rule in rules if rule in wanted[path] or rule in active]
    return wanted
