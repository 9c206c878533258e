"""Module names and imports: which file of the linted project a dotted or relative name means.

A file's dotted name comes from its package folders (those with an ``__init__.py``) and its stem
(tipcheck.modulenames). An import names a module by its full dotted name, or by the end of one when
the tree is linted from inside a package (``engine`` for ``pkg.engine``), or relative to the
importing file's package (``from ..data import build``). The longest prefix of the name that means
a file wins; what follows it are names defined in that file.

Python finds more than packages, and so does the index:

- a folder without ``__init__.py`` is a namespace package: ``lib/models/net.py`` is also
  ``models.net`` and ``lib.models.net`` (the folder names above its package, while they are
  identifiers), for ``from lib.models import net``; a ``src/`` layout is the same case;
- the folders a module puts on ``sys.path`` (tipcheck.facts.syspath; ``import _init_paths`` reads the
  sibling module that does it), and the folder of a script (a module outside any package), are
  import roots: a name found under them means that file. A module that adds roots searches those
  put in front of the path first, then its folder, then those appended; another script (it mentions
  ``__main__``) its folder, then every root some module adds (in no order: not knowing which script
  runs); any other module its folder and those roots together. Two files found in one of those
  places mean nothing.

Two users, one index (``ModuleIndex``):

- the training facts (tipcheck.facts.combine) link a name to the one file it means
  (``resolve``): an exact name, or the end of exactly one file's name;
- the prefilter (tipcheck.prefilter) reads imports in the text, before anything is parsed, and
  wants every file an import may mean (``candidates``): all the files of that exact name, or all
  those whose name ends with it.
"""

from __future__ import annotations

import os
import re
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

from tipcheck.facts import syspath
from tipcheck.modulenames import disk_generation, module_name_for

_LIBRARIES = frozenset({"torch", "torchvision"})  # never a project file, whatever the folders say
_AMBIGUOUS = object()


def _folder_aliases(path: str, name: str) -> List[str]:
    """The longer names of a file, through the folders (without __init__.py) above its package:
    ``lib/models/net.py`` -> ``models.net``, ``lib.models.net``, ... while folder names are identifiers."""
    parts = name.split(".") if name else []
    directory = os.path.dirname(os.path.abspath(path))
    for _ in range(len(parts) - (0 if os.path.basename(path) == "__init__.py" else 1)):
        directory = os.path.dirname(directory)
    aliases: List[str] = []
    while len(aliases) < 8:
        directory, folder = os.path.split(directory)
        if not folder.isidentifier():
            break
        parts = [folder, *parts]
        aliases.append(".".join(parts))
    return aliases


def _nearest(files: Sequence[str], importer: Optional[str]) -> str:
    """Of the files of one name (a tree that holds two copies of a program), the one in the folders
    nearest the importer's: its own copy (`import trainer` in ``train/code/main.py`` means
    ``train/code/trainer.py``, not ``test/code/trainer.py``); the last when none is nearer."""
    if len(files) == 1 or importer is None:
        return files[-1]
    here = os.path.dirname(os.path.abspath(importer)).split(os.sep)

    def shared(path: str) -> int:
        there = os.path.dirname(os.path.abspath(path)).split(os.sep)
        count = 0
        for a, b in zip(here, there):
            if a != b:
                break
            count += 1
        return count

    depths = [shared(path) for path in files]
    best = max(depths)
    return files[depths.index(best)] if depths.count(best) == 1 else files[-1]


_Names = Tuple[Dict[str, str], Dict[str, List[str]], Dict[str, List[str]], Dict[str, List[str]], Dict[str, str]]
# The names of the last few sets of paths indexed: one run indexes them several times, and a process
# that keeps a memo (the editor server) at every run. What they say of the disk (which
# folders are packages) is read again once the disk may have changed (modulenames.disk_changed).
_NAMES: Dict[Tuple[int, Tuple[str, ...]], _Names] = {}


def _names(paths: Tuple[str, ...]) -> _Names:
    """For ``paths``: each file's dotted name; the files of each name, in the order given; the
    names that end with each shorter name ("b.c" and "c" -> the names ending with ".b.c" / ".c": a
    tree linted from inside a package, so that a name is resolved without a scan of every module);
    the files of each longer name through namespace folders ("lib.models.net"); each file by its
    absolute path."""
    key = (disk_generation(), paths)
    known = _NAMES.get(key)
    if known is not None:
        return known
    name_of: Dict[str, str] = {path: module_name_for(path) for path in paths}  # reads the disk once
    files: Dict[str, List[str]] = {}
    by_suffix: Dict[str, List[str]] = {}
    by_alias: Dict[str, List[str]] = {}
    by_abs: Dict[str, str] = {}
    for path, name in name_of.items():
        same = files.setdefault(name, [])
        if not same:
            parts = name.split(".")
            for cut in range(1, len(parts)):
                by_suffix.setdefault(".".join(parts[cut:]), []).append(name)
        same.append(path)
        by_abs[os.path.abspath(path)] = path
        for alias in _folder_aliases(path, name):
            by_alias.setdefault(alias, []).append(path)
    if len(_NAMES) >= 8:
        _NAMES.pop(next(iter(_NAMES)))
    found = _NAMES[key] = (name_of, files, by_suffix, by_alias, by_abs)
    return found


# The answers of ``ModuleIndex.resolve``, shared by the indexes of the same files (the same names,
# see _names) with the same import roots: a long-lived process makes such an index several times a
# run, and every run. One entry per set of names; the newest few kept.
_ANSWERS: Dict[Tuple[int, tuple], Tuple[_Names, Dict[Tuple[str, Optional[str]], object]]] = {}
_UNKNOWN = object()
_MOST_ANSWERS = 100_000


def _answers(names: _Names, signature: tuple) -> Dict[Tuple[str, Optional[str]], object]:
    key = (id(names), signature)
    known = _ANSWERS.get(key)
    if known is None or known[0] is not names:
        if len(_ANSWERS) >= 8:
            _ANSWERS.pop(next(iter(_ANSWERS)))
        known = _ANSWERS[key] = (names, {})
    return known[1]


class ModuleIndex:
    """The dotted names of the project's files, indexed by name and by the ends of names, with the
    longer names folders give them and the roots the modules add to ``sys.path`` (``texts``: the
    modules' sources, by path)."""

    def __init__(self, paths: Sequence[str], texts: Optional[Mapping[str, str]] = None) -> None:
        # The names of the files (read from the disk: their package folders), shared by the indexes
        # of one set of paths (see _names): never changed once made.
        names = _names(tuple(paths))
        self.name_of, self.files, self.by_suffix, self.by_alias, self._by_abs = names
        self.front: List[str] = []  # roots any module puts in front of sys.path
        self.back: List[str] = []  # roots any module appends to it
        self.roots_of: Dict[str, Tuple[List[str], List[str]]] = {}  # a module's own (front, back)
        self._unlisted: Dict[str, List[str]] = {}
        self._scripts: Set[str] = set()  # modules that run as a script (`__main__`)
        for path, text in (texts or {}).items():
            self._add_roots(path, text)
            if "__main__" in text:
                self._scripts.add(path)
        self._resolved = _answers(names, self._roots_signature())

    def _roots_signature(self) -> tuple:
        """All that ``resolve`` reads besides the files' names: the import roots and the scripts."""
        own = tuple(sorted((path, tuple(front), tuple(back)) for path, (front, back) in self.roots_of.items()))
        return tuple(self.front), tuple(self.back), own, frozenset(self._scripts)

    def _add_roots(self, path: str, text: str) -> None:
        found = syspath.added_roots(path, text)
        folder = os.path.dirname(os.path.abspath(path))
        for name in self._unlinted(folder):
            if syspath.imports_bare(text, name):
                sibling = os.path.join(folder, name + ".py")
                try:
                    with open(sibling, encoding="utf-8") as handle:
                        found += syspath.added_roots(sibling, handle.read())
                except (OSError, UnicodeDecodeError):
                    continue
        if not found:
            return
        own: Tuple[List[str], List[str]] = ([], [])
        for where, folders in found:
            for roots in (own[0], self.front) if where == "front" else (own[1], self.back):
                roots.extend(folder for folder in folders if folder not in roots)
        self.roots_of[path] = own

    def _unlinted(self, folder: str) -> List[str]:
        """The modules in a folder that are not among the indexed files (``_init_paths.py``, which
        mentions nothing a rule looks for), read from the disk once per folder."""
        if folder not in self._unlisted:
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                names = []
            self._unlisted[folder] = [
                name[:-3]
                for name in names
                if name.endswith(".py") and name[:-3].isidentifier() and os.path.join(folder, name) not in self._by_abs
            ]
        return self._unlisted[folder]

    def _from_roots(self, parts: List[str], importer: str) -> object:
        """(file, names) for the longest prefix found under the import roots, _AMBIGUOUS when two
        files are found in one place, None when none is."""
        # A script outside any package has its folder on the path; a module that adds roots searches
        # them around it. Another module outside a package may have been imported from its folder,
        # or from a root above it: its folder and every root some script adds are one group, in no
        # order (scripts run in processes of their own).
        here = [os.path.dirname(os.path.abspath(importer))] if "." not in (self.name_of.get(importer) or ".") else []
        own = self.roots_of.get(importer)
        if own:
            groups = [own[0], here, own[1]]
        elif importer in self._scripts:
            groups = [here, self.front + self.back]
        else:
            groups = [here + self.front + self.back]
        for cut in range(len(parts), 0, -1):
            relative = os.path.join(*parts[:cut])
            for roots in groups:
                found = []
                for root in roots:
                    for candidate in (
                        os.path.join(root, relative, "__init__.py"),
                        os.path.join(root, relative + ".py"),
                    ):
                        path = self._by_abs.get(candidate)
                        if path is not None:
                            if path not in found:
                                found.append(path)
                            break
                if len(found) == 1:
                    return found[0], parts[cut:]
                if found:
                    return _AMBIGUOUS
        return None

    def absolute(self, module: str, level: int, importer: str) -> str:
        """The dotted name of ``from <level dots><module> import ...`` written in ``importer``."""
        package = (self.name_of.get(importer) or module_name_for(importer)).split(".")
        base = package if os.path.basename(importer) == "__init__.py" else package[:-1]
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, module]).strip(".")

    def resolve(self, dotted: str, importer: Optional[str] = None) -> Optional[Tuple[str, List[str]]]:
        """(file, names defined in it) for the longest prefix of ``dotted`` that means one file:
        found under the import roots of ``importer`` (see the module docstring), or its exact name
        (of two files with one name, see below), or the end of one name only, or the longer name
        (through namespace folders) of one file only. Of two files with one name, the one nearest
        the importer wins (its own copy of the program), or else the last. Answered once for the
        indexes of the same files and roots (see _answers)."""
        key = (dotted, importer)
        found = self._resolved.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            if len(self._resolved) >= _MOST_ANSWERS:
                self._resolved.clear()
            found = self._resolved[key] = self._resolve(dotted, importer)
        return found  # type: ignore[return-value]

    def _resolve(self, dotted: str, importer: Optional[str]) -> Optional[Tuple[str, List[str]]]:
        parts = dotted.split(".")
        if parts[0] in _LIBRARIES:
            return None
        if importer is not None:
            located = self._from_roots(parts, importer)
            if located is _AMBIGUOUS:
                return None
            if located is not None:
                return located  # type: ignore[return-value]
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            files = self.files.get(name)
            if files is None:
                names = self.by_suffix.get(name, ())
                files = self.files[names[0]] if len(names) == 1 else None
            if files is None:
                longer = self.by_alias.get(name, ())
                files = list(longer) if len(longer) == 1 else None
            if files is not None:
                return _nearest(files, importer), parts[cut:]
        return None

    def candidates(self, dotted: str) -> Set[str]:
        """Every file ``dotted`` may mean: for the longest prefix that names any, all the files of
        that exact name, or else all those whose name ends with it, or else all those of that
        longer name (through namespace folders)."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            files = self.files.get(name)
            if files is None and name in self.by_suffix:
                files = [path for longer in self.by_suffix[name] for path in self.files[longer]]
            if not files and name in self.by_alias:
                files = self.by_alias[name]
            if files:
                return set(files)
        return set()


# -- imports read from the text ----------------------------------------------------------------
_IMPORT_FROM = re.compile(
    r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(?:\(([\w, \t\n#]*)|([\w, \t]+|\*))", re.MULTILINE
)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w., \t]+)", re.MULTILINE)


def _import_lines(text: str):
    """The start of every line that contains the word "import": found with str.find, which is
    much faster than a regular expression anchored at each line start over a whole file."""
    seen = -1
    at = text.find("import")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        if start != seen:
            seen = start
            yield start
        at = text.find("import", at + 6)


class TextImports:
    """Which files an import statement in a file's text can mean (read from the text, before parsing; used by tipcheck.prefilter)."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.index = ModuleIndex(paths)

    def imported_by(self, path: str, text: str) -> Set[str]:
        """The files that the imports in ``text`` (the file at ``path``) may refer to. Names are
        read as the training facts read them (``ModuleIndex``), but where the facts need the one
        file a name means, this takes every file it may mean (``ModuleIndex.candidates``)."""
        found: Set[str] = set()
        for dotted in self._imported(path, text):
            found |= self.index.candidates(dotted)
        found.discard(path)
        return found

    def module_names(self, path: str, text: str) -> List[str]:
        """The dotted names the imports in ``text`` (the file at ``path``) bring in, absolute."""
        return self._imported(path, text)

    def _imported(self, path: str, text: str) -> List[str]:
        names: List[str] = []
        froms = []
        for start in _import_lines(text):
            match = _IMPORT.match(text, start)
            if match is not None:
                for part in match.group(1).split(","):
                    module = part.strip().split(" ", 1)[0]
                    if module:
                        names.append(module)
                continue
            match = _IMPORT_FROM.match(text, start)
            if match is not None:
                froms.append(match)
        for match in froms:
            dots, module = match.group(1), match.group(2)
            imported = match.group(3) if match.group(3) is not None else match.group(4)
            if dots:
                module = self.index.absolute(module, len(dots), path)
            if not module:
                continue
            parts = [p.strip().split(" ", 1)[0] for p in imported.split(",")]
            # `from pkg import engine`: engine may be a module; the longest match wins below.
            # `from models import *`: the module itself.
            names.extend([f"{module}.{part}" for part in parts if part and part != "*"] or [module])
        return names
