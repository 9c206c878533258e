"""Which files to parse, and for which rules: decided on the text alone, before any parsing.

A rule names the words a file must contain for it to apply (`Rule.needs_text`, or its own
`wanted`). Project rules (the training-script facts) also need the modules on the other side of an
import: a training loop in train.py whose sampler comes from data.py, or a main.py that calls
`engine.train_one_epoch`. Those are found by following imports in the text, a little way.
"""

from __future__ import annotations

import re
from typing import Dict, List, Sequence, Set

from tipcheck.facts.training import module_name_for
from tipcheck.rules.base import Rule
from tipcheck.source import SourceFile

_IMPORTED = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+))", re.MULTILINE)
_FROM_PACKAGE = re.compile(r"^[ \t]*from[ \t]+[\w.]*[ \t]+import[ \t]+\(?([\w, \t]+)", re.MULTILINE)


_TRAINING_WORDS = re.compile(r"\.step\(|\.backward\(|set_epoch|[Ll]oader|[Ss]ampler|[Ss]cheduler|[Oo]ptimizer")
_DEFINES_MODEL = re.compile(r"\bnn\.Module\b")


def _imported_names(text: str) -> Set[str]:
    """The last components of the modules a file imports (`from pkg.engine import x`: engine;
    `from pkg import engine`: engine too, as it may be a module)."""
    names: Set[str] = set()
    for match in _IMPORTED.finditer(text):
        modules = [match.group(1)] if match.group(1) else match.group(2).split(",")
        for module in modules:
            module = module.strip().split(" ", 1)[0]
            if module:
                names.add(module.rsplit(".", 1)[-1])
    for match in _FROM_PACKAGE.finditer(text):
        names.update(part.strip().split(" ", 1)[0] for part in match.group(1).split(","))
    return names


def _related_to(texts: Dict[str, str], anchors: Dict[str, str], levels: int = 2) -> Set[str]:
    """Paths of the files in ``texts`` linked to the ``anchors`` files by imports, either way.

    Cross-module facts need the modules on both sides of an import: a training loop in train.py
    that imports its sampler from data.py, or a main.py that calls `engine.train_one_epoch`. A file
    that mentions nothing a project rule looks for is parsed when it is linked that way, up to
    ``levels`` imports away. This works on the text, before anything is parsed.
    """
    related: Set[str] = set()
    frontier = dict(anchors)
    # Only files that could take part in training are worth parsing for it; a file that only
    # defines models (`class Net(nn.Module)`) counts when a training file imports it directly.
    models = {path for path, text in texts.items() if _DEFINES_MODEL.search(text)}
    texts = {path: text for path, text in texts.items() if _TRAINING_WORDS.search(text) or path in models}
    module_of = {path: module_name_for(path).rsplit(".", 1)[-1] for path in texts}
    for level in range(levels):
        if level:
            texts = {path: text for path, text in texts.items() if path not in models or _TRAINING_WORDS.search(text)}
        names = {module_name_for(path).rsplit(".", 1)[-1] for path in frontier} - {""}
        imported = set().union(*(_imported_names(text) for text in frontier.values())) if frontier else set()
        found = {
            path
            for path, text in texts.items()
            if path not in related and (module_of[path] in imported or names & _imported_names(text))
        }
        if not found:
            break
        related |= found
        frontier = {path: texts[path] for path in found}
    return related


def rules_per_file(sources: Sequence[SourceFile], rules: Sequence[Rule]) -> Dict[str, List[Rule]]:
    """For each source, the rules to run on it (an empty list: not worth parsing)."""
    wanted = {source.path: [rule for rule in rules if rule.wanted(source.text)] for source in sources}
    # A project rule that some file wants runs on every file of the project: its finding may be
    # anchored in a file that does not mention what it looks for (a helper call in train.py).
    active = [rule for rule in rules if rule.project and any(rule in chosen for chosen in wanted.values())]
    if active:
        anchors = {s.path: s.text for s in sources if any(rule.project for rule in wanted[s.path])}
        others = {s.path: s.text for s in sources if s.path not in anchors}
        related = _related_to(others, anchors)
        for path in wanted:
            if path in related or any(rule.project for rule in wanted[path]):
                wanted[path] = [rule for rule in rules if rule in wanted[path] or rule in active]
    return wanted
