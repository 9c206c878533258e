"""Module names and imports: which file of the linted project a dotted or relative name means.

A file's dotted name comes from its package folders (those with an ``__init__.py``) and its stem.
An import names a module by its full dotted name, or by the end of one when the tree is linted
from inside a package (``engine`` for ``pkg.engine``), or relative to the importing file's
package (``from ..data import build``). The longest prefix of the name that means a file wins;
what follows it are names defined in that file.

Two users, one index (``ModuleIndex``):

- the training facts (tipcheck.facts.combine) link a name to the one file it means
  (``resolve``): an exact name, or the end of exactly one file's name;
- the prefilter (tipcheck.prefilter) reads imports in the text, before anything is parsed, and
  wants every file an import may mean (``candidates``): all the files of that exact name, or all
  those whose name ends with it.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence, Set, Tuple


def module_name_for(path: str) -> str:
    """The dotted module name of a file: its package folders (those with __init__.py) and stem."""
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    parts = [os.path.splitext(filename)[0]]
    if parts[0] == "__init__":
        parts = []
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts)


class ModuleIndex:
    """The dotted names of the project's files, indexed by name and by the ends of names."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.name_of: Dict[str, str] = {path: module_name_for(path) for path in paths}  # reads the disk once
        self.files: Dict[str, List[str]] = {}  # dotted name -> its files, in the order given
        # "b.c" and "c" -> the dotted names that end with ".b.c" / ".c" (a tree linted from inside
        # a package), so that a name is resolved without a scan of every module.
        self.by_suffix: Dict[str, List[str]] = {}
        for path, name in self.name_of.items():
            files = self.files.setdefault(name, [])
            if not files:
                parts = name.split(".")
                for cut in range(1, len(parts)):
                    self.by_suffix.setdefault(".".join(parts[cut:]), []).append(name)
            files.append(path)

    def absolute(self, module: str, level: int, importer: str) -> str:
        """The dotted name of ``from <level dots><module> import ...`` written in ``importer``."""
        package = (self.name_of.get(importer) or module_name_for(importer)).split(".")
        base = package if os.path.basename(importer) == "__init__.py" else package[:-1]
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, module]).strip(".")

    def resolve(self, dotted: str) -> Optional[Tuple[str, List[str]]]:
        """(file, names defined in it) for the longest prefix of ``dotted`` that means one file:
        its exact name (of two files with one name, the last), or the end of one name only."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            files = self.files.get(name)
            if files is None:
                names = self.by_suffix.get(name, ())
                files = self.files[names[0]] if len(names) == 1 else None
            if files is not None:
                return files[-1], parts[cut:]
        return None

    def candidates(self, dotted: str) -> Set[str]:
        """Every file ``dotted`` may mean: for the longest prefix that names any, all the files of
        that exact name, or else all those whose name ends with it."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            files = self.files.get(name)
            if files is None and name in self.by_suffix:
                files = [path for longer in self.by_suffix[name] for path in self.files[longer]]
            if files:
                return set(files)
        return set()
