"""Project functions and classes by name, in every linted file: those the project step read and,
read on demand, the others.

A project rule sees only the files it asked for (TIP102 reads the files that mention CUDA), but what
a name in them means may be defined elsewhere: a loss class in a module that never says "cuda", a
factory in a config module, a package ``__init__.py`` that hands names on. ``Definitions.find``
follows a qualified name (as the flow facts write it: ``pkg.losses.Focal``, ``$.Focal`` for the
module's own, ``.misc.Focal`` relative) to the project function or class it means:

- through the project facts (tipcheck.facts.combine) first;
- else through the import names of every linted file (tipcheck.facts.modules), parsing the file it
  lands in when the project step did not read it (once, and only when asked);
- through a package's re-exports: a name the module imports and hands on (`from .triplet import
  TripletLoss`), or one a star import brings (`from .misc import *`: the last star import that
  defines it, as Python binds them).

A name it cannot follow (two bindings, a name bound by an assignment, a file that does not parse)
means nothing: ``find`` answers None.
"""

from __future__ import annotations

from functools import partial
from typing import Dict, List, Mapping, Optional, Tuple

import libcst as cst

from tipcheck.facts import ModuleFacts
from tipcheck.facts.flow import ModuleSummary
from tipcheck.facts.modules import ModuleIndex

Key = Tuple[str, ...]
_DEPTH = 6


class Definitions:
    """Definitions by name: ``project`` (ProjectFacts, or None) and its ``summaries`` (module id ->
    ModuleSummary), with ``linted`` (path -> text of every linted file, or None) read on demand."""

    def __init__(self, project, summaries: Mapping[str, ModuleSummary], linted: Optional[Mapping[str, str]]) -> None:
        self.project = project
        self.summaries = summaries
        self.linted = linted or {}
        self._index: Optional[ModuleIndex] = None
        self._parsed: Dict[str, Optional[ModuleSummary]] = {}
        self._named: Dict[str, bool] = {}

    @classmethod
    def of_project(cls, project) -> "Definitions":
        return cls(project, project.summaries, getattr(project, "linted", None))

    # -- modules ---------------------------------------------------------------------------
    def summary(self, module_id: str) -> Optional[ModuleSummary]:
        """The flow summary of a linted module: the project's, or one made now from its text."""
        found = self.summaries.get(module_id)
        if found is not None or module_id not in self.linted:
            return found
        if module_id not in self._parsed:
            text = self.linted[module_id]
            # In a long-lived process, made once for each text of the file (tipcheck.facts.kept).
            kept = getattr(self.project, "kept", None)
            self._parsed[module_id] = (
                _summarise(module_id, text)
                if kept is None
                else kept.content(module_id, "summary", text, partial(_summarise, module_id, text))
            )
        return self._parsed[module_id]

    def record(self, key: Key):
        """The ClassRecord or FuncRecord of a key ``find`` gave."""
        summary = self.summary(key[1])
        if summary is None:
            return None
        return (summary.classes if key[0] == "class" else summary.funcs).get(key)

    # -- names -----------------------------------------------------------------------------
    def find(self, qualified: Optional[str], importer: str, depth: int = 0) -> Optional[Key]:
        """("class" | "func", module id, "$.Name") for the project definition ``qualified`` names in
        ``importer``; None when it names none (a library's, or one that cannot be followed)."""
        if not qualified or depth > _DEPTH:
            return None
        if self.project is not None and importer in self.summaries:
            key = self.project._definition(qualified, importer)
            if key is not None:
                return key
        split = self._split(qualified, importer)
        if split is None or not split[1]:
            return None
        return self._in_module(split[0], split[1], depth)

    def _split(self, qualified: str, importer: str) -> Optional[Tuple[str, List[str]]]:
        if qualified.startswith("$."):
            return importer, qualified[2:].split(".")
        if not self.linted or not self._defined_somewhere(qualified.rsplit(".", 1)[-1]):
            return None
        if self._index is None:
            self._index = ModuleIndex(list(self.linted), self.linted)
        index = self._index
        if qualified.startswith("."):
            level = len(qualified) - len(qualified.lstrip("."))
            return index.resolve(index.absolute(qualified.lstrip("."), level, importer))
        return index.resolve(qualified, importer)

    def _defined_somewhere(self, name: str) -> bool:
        """Some linted file defines (or imports as) ``name``: the index of every linted file is
        worth building (on a large tree, it takes a while)."""
        if name not in self._named:
            shapes = (f"class {name}", f"def {name}", f"as {name}")
            self._named[name] = any(shape in text for text in self.linted.values() for shape in shapes)
        return self._named[name]

    def _in_module(self, module_id: str, names: List[str], depth: int) -> Optional[Key]:
        summary = self.summary(module_id)
        if summary is None:
            return None
        local = "$." + ".".join(names)
        for key in (("class", module_id, local), ("func", module_id, local)):
            if key in summary.classes or key in summary.funcs:
                return key
        scope = summary.module_scope
        if scope is None:
            return None
        bindings = scope.bindings.get(names[0])
        if bindings:  # `from .triplet import TripletLoss` handed on
            if len(set(bindings)) != 1 or not bindings[0] or bindings[0].startswith("$"):
                return None
            return self.find(".".join([bindings[0], *names[1:]]), module_id, depth + 1)
        for star in reversed(scope.star_imports):  # `from .misc import *`: the last one binding it
            sep = "" if star.endswith(".") else "."
            key = self.find(f"{star}{sep}{'.'.join(names)}", module_id, depth + 1)
            if key is not None:
                return key
        return None


def _summarise(module_id: str, text: str) -> Optional[ModuleSummary]:
    try:
        return ModuleFacts(cst.parse_module(text)).flow(module_id, text)
    except Exception:  # a file that does not parse (or that the flow facts cannot read) means nothing
        return None
