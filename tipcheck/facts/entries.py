"""Entry scripts that are GPU-only by design, and the modules only they reach (TIP102).

- *A GPU-only entry script* (``gpu_only_entry``): a script (it mentions `__main__`) whose
  `if __name__ == "__main__":` block calls functions of its own, each of whose bodies only runs on
  GPUs (tipcheck.facts.cuda_checks: a GPU-only statement or an `if` GPU-only whichever way it goes
  governs the body, or the body stops without CUDA), or calls them only under a CUDA check. The
  `main()` that wraps the model in `DataParallel(model, device_ids=gpus)`, or whose only launch
  is `mp.spawn(main_worker, nprocs=torch.cuda.device_count())` with `else: raise`, is such a body.
  So is a script that requires a CUDA-only library (`from apex.parallel import ...`, not optional):
  it does not even start without CUDA (tipcheck.facts.gpu_design).
- *A module reached only from GPU-only entries* (``only_from_gpu_entries``): every linted file
  that imports it (read from the text, taking every file an import may mean), and every file that
  imports those in turn, is a GPU-only entry or a module imported that way, and one GPU-only entry
  at least is among them. A script that is not GPU-only, a file imported by nothing linted (a
  library's root, a `hubconf.py`, a package used from outside), or a file the project step did not
  read among them keeps the module reported: a helper imported by a GPU-only entry and by a plain
  demo script still crashes through the demo.
"""

from __future__ import annotations

import os
import re
from functools import partial
from typing import Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

import libcst as cst

from tipcheck.facts.gpu_design import (
    cuda_extension_names,
    imported_names,
    imports_cuda_only_library,
    may_need_cuda,
    required_imports,
)
from tipcheck.facts.modules import TextImports
from tipcheck.facts.nodecode import code

_MAIN_TEST = re.compile(r"""^__name__\s*==\s*["']__main__["']$|^["']__main__["']\s*==\s*__name__$""")


def main_block(module_body) -> Optional[cst.If]:
    """The top-level `if __name__ == "__main__":` of a module."""
    for stmt in module_body:
        if isinstance(stmt, cst.If) and _MAIN_TEST.match(code(stmt.test).strip()):
            return stmt
    return None


def gpu_only_entry(checks) -> bool:
    """Whether the module of ``checks`` (tipcheck.facts.cuda_checks.ModuleChecks) is a GPU-only
    entry script (see the module docstring)."""
    if checks.gpu_only_module():
        return True  # it cannot even be imported without a CUDA-only library (apex)
    block = main_block(checks.module_body)
    if block is None:
        return False
    summary = checks.summary
    called = 0
    for site in summary.calls:
        path = site.ctx.stmt_path
        if not path or path[0][0] is not block or site.ctx.func[0] != "module":
            continue
        target = ("func", summary.module_id, site.callee) if site.callee else None
        record = summary.funcs.get(target) if target is not None else None
        if record is None or record.class_key is not None:
            continue  # a library call (`parse_args()`, `torch.manual_seed`): no project code
        if not (checks.checked_where(site) or checks.body_on_gpus(target)):
            return False
        called += 1
    return called > 0


class EntryReach:
    """Which linted files only GPU-only entry scripts reach through imports. ``linted``: the text
    of every linted file; ``entry(path)``: whether the file at ``path`` is a GPU-only entry (False
    when the project step did not read it)."""

    def __init__(self, linted: Mapping[str, str], entry, kept=None) -> None:
        self.linted = linted
        self.entry = entry
        self.kept = kept  # tipcheck.facts.kept.Kept: what a module's text decides, from run to run
        self._importers: Optional[Dict[str, Set[str]]] = None
        self._answers: Dict[str, bool] = {}
        self._modules: Optional[TextImports] = None
        self._libraries: Dict[str, bool] = {}  # linted modules: whether each requires a CUDA-only library
        self._extensions: Optional[FrozenSet[str]] = None
        self._candidates: Optional[Set[str]] = None
        self._read: Dict[str, Tuple[bool, Tuple[Tuple[str, int], ...]]] = {}  # what each text decides
        self._working: Set[str] = set()  # modules being worked out (an import cycle)
        self._cut = False  # an answer met a module being worked out

    def extensions(self) -> FrozenSet[str]:
        """The CUDA extensions the linted setup scripts build (tipcheck.facts.gpu_design)."""
        if self._extensions is None:
            self._extensions = cuda_extension_names(self.linted.values())
        return self._extensions

    def modules(self) -> TextImports:
        if self._modules is None:
            self._modules = TextImports(list(self.linted))
        return self._modules

    def importers(self, path: str) -> Set[str]:
        if self._importers is None:
            modules = self.modules()
            found: Dict[str, Set[str]] = {}
            for importer, text in self.linted.items():
                if "import" in text:
                    for target in modules.imported_by(importer, text):
                        found.setdefault(target, set()).add(importer)
            self._importers = found
        return self._importers.get(path, set())

    def requires_cuda_library(self, small, importer: str) -> bool:
        """Whether the import statement ``small`` of ``importer`` brings in a linted module that
        cannot be imported without CUDA (tipcheck.facts.gpu_design): one that requires a CUDA-only
        library itself, or requires (the same way: at its top level, not optional) a module that
        does, however deep (`from models.generator import Net`, which imports `layers`, which
        imports `op`, which compiles `.cu` sources as it loads)."""
        return any(self._requires(path) for path in self._targets(imported_names(small), importer))

    def _targets(self, names, importer: str) -> List[str]:
        """The linted modules that imported names (`(dotted, leading dots)`) of ``importer`` are."""
        index = self.modules().index
        found_paths = []
        for dotted, dots in names:
            dotted = index.absolute(dotted, dots, importer) if dots else dotted
            found = index.resolve(dotted, importer) if dotted else None
            if found is not None and found[0] != importer and found[0] in self.linted:
                found_paths.append(found[0])
        return found_paths

    def package_requires(self, path: str) -> bool:
        """Whether a package the module is imported from cannot be imported without CUDA: importing
        `modules.misc` runs `modules/__init__.py` first, and that one requires a CUDA-only module
        (`from .bn import InPlaceABN`, compiled from `.cu` sources). A script, run on its own, is
        no part of a package."""
        if self.script(path):
            return False
        folder = os.path.dirname(path)
        while folder:
            init = os.path.join(folder, "__init__.py")
            if init not in self.linted:
                return False  # the top of the package (or a namespace package: no code runs)
            if init != path and self._requires(init):
                return True
            folder = os.path.dirname(folder)
        return False

    def _requires(self, path: str) -> bool:
        """Whether the linted module at ``path`` cannot be imported without CUDA. Along an import
        cycle, a module already being worked out counts as no; an answer no reached that way is not
        kept (asked again later, from the top, it may be yes), so the answers do not depend on the
        order of the questions."""
        if path in self._libraries:
            return self._libraries[path]
        if path not in self._may_require():
            self._libraries[path] = False  # no import chain leads to a module that could
            return False
        if path in self._working:
            self._cut = True
            return False
        self._working.add(path)
        cut, self._cut = self._cut, False
        itself, names = self._requirements(path)
        found = itself or any(self._requires(target) for target in self._targets(names, path))
        if found or not self._cut:
            self._libraries[path] = found
        self._cut = cut or (self._cut and not found)
        self._working.discard(path)
        return found

    def _requirements(self, path: str) -> Tuple[bool, Tuple[Tuple[str, int], ...]]:
        if path not in self._read:
            text, extensions = self.linted[path], self.extensions()
            make = partial(_import_requirements, text, extensions)
            self._read[path] = (
                make() if self.kept is None else self.kept.content(path, "requires", (text, extensions), make)
            )
        return self._read[path]

    def _may_require(self) -> Set[str]:
        """The linted modules whose text may require a CUDA-only library, and those that import
        them, directly or not: only these are parsed to find out."""
        if self._candidates is None:
            extensions = self.extensions()

            def needs(path: str, text: str) -> bool:
                if self.kept is None:
                    return may_need_cuda(text, extensions)
                return self.kept.content(
                    path, "may need cuda", (text, extensions), partial(may_need_cuda, text, extensions)
                )

            found = {path for path, text in self.linted.items() if needs(path, text)}
            frontier = list(found)
            while frontier:
                for importer in self.importers(frontier.pop()):
                    if importer not in found:
                        found.add(importer)
                        frontier.append(importer)
            self._candidates = found
        return self._candidates

    def script(self, path: str) -> bool:
        return "__main__" in self.linted.get(path, "")

    def only_from_gpu_entries(self, path: str) -> bool:
        """Whether every way into the module at ``path`` goes through a GPU-only entry script."""
        if path not in self._answers:
            self._answers[path] = self._reached(path)
        return self._answers[path]

    def _reached(self, path: str) -> bool:
        if path not in self.linted or self.script(path):
            return False  # a script runs on its own: its own checks decide
        seen = {path}
        frontier = [path]
        entries = 0
        while frontier:
            current = frontier.pop()
            importers = self.importers(current)
            if not importers:
                return False  # imported by nothing linted: used from outside, as far as we know
            for importer in importers - seen:
                seen.add(importer)
                if self.entry(importer):
                    entries += 1  # a GPU-only entry: what imports it in turn runs it on GPUs too
                elif self.script(importer):
                    return False
                else:
                    frontier.append(importer)
        return entries > 0


def _import_requirements(text: str, extensions: FrozenSet[str]) -> Tuple[bool, Tuple[Tuple[str, int], ...]]:
    """What a module's text decides on its own (kept by text in the server): whether it requires a
    CUDA-only library itself (tipcheck.facts.gpu_design), and the names its required imports bring
    in, to follow into the project's modules."""
    try:
        body = cst.parse_module(text).body
    except cst.ParserSyntaxError:
        return False, ()
    names = tuple(name for small in required_imports(body) for name in imported_names(small))
    return imports_cuda_only_library(body, extensions=extensions), names
