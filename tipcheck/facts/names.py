"""Names across the project's modules: what a qualified name in one module refers to.

A mixin of ``CombinedProject`` (tipcheck.facts.combine), kept apart so that the combine step stays
small. It reads ``summaries`` (by module id), ``modules`` (tipcheck.facts.modules: files by dotted
name, with the importer's import roots), ``funcs`` and ``classes``:

- ``_split_qualified``: (file, names inside it) for a qualified name (`pkg.mod.fn`, `.mod.fn`,
  `$.fn` for the importer's own), where a package's __init__.py that rebinds a submodule's name
  (`from .build import build`) wins over the submodule;
- ``_definition``: the project function or class a name refers to, through the re-exports of
  packages (`from .loader import build_loader` in __init__.py);
- ``_star_definition``: what a bare name means under several star imports (`from models import *`,
  `from utils import *`): the one definition among them, when every one is a project module.
"""

from __future__ import annotations

import os
from typing import List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.facts.flow import CallSite, Key


class ProjectNames:
    """Mixin: see the module docstring."""

    def _split_qualified(self, qualified: str, importer: str) -> Optional[Tuple[str, List[str]]]:
        """(module id, attribute names) for a qualified name that points into the project.

        ``from pkg import build`` where ``pkg/build.py`` exists and ``pkg/__init__.py`` binds
        ``build`` to something else (`from .build import build`, a function named like its module):
        the package's attribute is that binding, not the submodule."""
        split = self._split_plain(qualified, importer)
        if split is None or split[1] or os.path.basename(split[0]) == "__init__.py":
            return split
        init = os.path.join(os.path.dirname(split[0]), "__init__.py")
        summary = self.summaries.get(init)
        stem = os.path.splitext(os.path.basename(split[0]))[0]
        bindings = summary.module_scope.bindings.get(stem) if summary and summary.module_scope else None
        if not bindings or len(set(bindings)) != 1 or not bindings[0]:
            return split
        if not bindings[0].startswith("$") and self._split_plain(bindings[0], init) == split:
            return split  # `from . import build`: the submodule itself
        return init, [stem]

    _splits: Optional[dict] = None  # (qualified, importer) -> what _split_plain answered

    def _split_plain(self, qualified: str, importer: str) -> Optional[Tuple[str, List[str]]]:
        """(file, names in it) for a qualified name read in ``importer``: an answer of the module
        index (``self.modules``, made once for these facts), asked once per name and importer."""
        splits = self._splits
        if splits is None:
            splits = self._splits = {}
        key = (qualified, importer)
        if key not in splits:
            splits[key] = self._split_uncached(qualified, importer)
        return splits[key]

    def _split_uncached(self, qualified: str, importer: str) -> Optional[Tuple[str, List[str]]]:
        if qualified.startswith("$."):
            return importer, qualified[2:].split(".")
        if qualified.startswith("."):
            level = len(qualified) - len(qualified.lstrip("."))
            return self.modules.resolve(self.modules.absolute(qualified.lstrip("."), level, importer))
        return self.modules.resolve(qualified, importer)  # the importer's sys.path roots count

    def _definition(self, qualified: str, importer: str, depth: int = 0) -> Optional[Key]:
        """The project function or class a qualified name refers to."""
        split = self._split_qualified(qualified, importer)
        if split is None or not split[1]:
            return None
        module_id, names = split
        local = "$." + ".".join(names)
        for kind in ("func", "class"):
            key = (kind, module_id, local)
            if key in self.funcs or key in self.classes:
                return key
        return self._reexported(module_id, names, depth)

    def _reexported(self, module_id: str, names: List[str], depth: int) -> Optional[Key]:
        """A name a module imports from another one and hands on (`from .loader import
        build_loader` in a package's __init__.py): the definition it names there."""
        summary = self.summaries.get(module_id)
        bindings = summary.module_scope.bindings.get(names[0]) if summary and summary.module_scope else None
        if depth >= 5 or not bindings or len(set(bindings)) != 1 or not bindings[0] or bindings[0].startswith("$"):
            return None
        return self._definition(".".join([bindings[0], *names[1:]]), module_id, depth + 1)

    def _star_target(self, site: CallSite, importer: str) -> Optional[Key]:
        """What a call of a bare name that nothing in its module binds runs, under several star
        imports (see ``_star_definition``)."""
        summary = self.summaries.get(importer)
        scope = summary.module_scope if summary is not None else None
        func = site.node.func
        if not isinstance(func, cst.Name) or site.func_path is not None or scope is None:
            return None
        if site.callee not in (None, func.value):
            return None  # the flow names it (a builtin such as `len` is its own name)
        if len(scope.star_imports) < 2:
            return None  # one star import: the flow names the callee already
        return self._star_definition(scope.star_imports, site.node.func.value, importer)

    def _star_definition(self, stars: Sequence[str], name: str, importer: str) -> Optional[Key]:
        """The one definition of ``name`` among the star-imported modules ``stars``, when each of
        them is a project module that star-imports nothing itself (so that what it does not define,
        it does not hand on); None when none or several define it."""
        found: List[Key] = []
        for module in stars:
            split = self._split_qualified(module, importer)
            summary = self.summaries.get(split[0]) if split is not None and not split[1] else None
            if summary is None or summary.module_scope is None or summary.module_scope.star_imports:
                return None
            if name in summary.module_scope.bindings:
                definition = self._definition(f"{module}.{name}", importer)
                if definition is None:
                    return None  # bound there to something else (an import from outside, a value)
                found.append(definition)
        return found[0] if len(set(found)) == 1 else None
