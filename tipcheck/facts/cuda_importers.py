"""Helper classes that only GPU-only code builds (TIP102, tipcheck.facts.cuda_checks).

A placement in a method of a project class (`MixUpWrapper.__iter__` moves each batch with
`.cuda()`, a memory bank's `update()`) has no caller the call graph can see: the methods are called
through the object. What decides whether it runs is where the object is built. The placement is
governed when

- the class is defined at the top level of its module;
- it is built at least once in the project, and every place that builds it (`MixUpWrapper(...)`,
  through any import or package re-export, `from .helpers import *` too) runs only where CUDA is (tipcheck.facts.cuda_checks:
  under a CUDA check, in a block that a GPU-only statement governs, or in a function whose every
  caller does);
- nothing else in the linted files names it: a file that mentions the class's name and is not read
  by the project step (a CPU demo that tipcheck did not parse, an importer with no CUDA in it), or a
  mention that is no construction (the class handed on as a value, a subclass), keeps it reported.

The texts of every linted file are known to the engine (``linted``); only the files that name the
class are looked at, and only when a method placement is otherwise unguarded.
"""

from __future__ import annotations

import re
from typing import Dict, List, Mapping, Optional, Tuple

from tipcheck.facts.flow import CallSite
from tipcheck.facts.modules import ModuleIndex

Key = Tuple[str, ...]

# `import` lines (their names are no use of the class); a name in quotes (`__all__`) is none either,
# nor one in a docstring or a comment.
_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|.*)$", re.MULTILINE)
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import\b.*(?:\n(?:[ \t]+.*|\)))*", re.MULTILINE)

_TRIPLE_QUOTED = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'')
# A comment: on a line of its own, or after code with no quote after the `#` (not a "#" in a string).
_COMMENT = re.compile(r"^[ \t]*#.*$|[ \t]+#[^'\"\n]*$", re.MULTILINE)


class ConstructionIndex:
    """Where each project class is built: the call sites whose callee resolves to it."""

    def __init__(self, project) -> None:
        self.project = project
        self._sites: Optional[Dict[Key, List[CallSite]]] = None
        self._linted_index: Optional[ModuleIndex] = None
        self.answers: Dict[Tuple[str, str], bool] = {}  # (home, name) -> _only_on_gpus at the first level

    def _resolve(self, callee: str, module_id: str, names: Dict[str, List[Key]]) -> Optional[Key]:
        """The project class ``callee`` names: through the project's modules, or else through a
        package's __init__.py that the project step did not read (`from .prefetch import Loader`)."""
        target = self.project._definition(callee, module_id)
        if target is not None or not self.project.linted:
            return target
        linted = self.project.linted
        if self._linted_index is None:
            self._linted_index = ModuleIndex(list(linted))
        index = self._linted_index
        found = index.resolve(callee, module_id)
        if found is None or len(found[1]) != 1 or found[0] not in linted:
            return None
        path, (name,) = found
        homes = set()
        for match in _FROM_IMPORT.finditer(linted[path]):
            imported = re.split(r"[\s,()]+", match.group(2).split("#")[0].strip())
            if name not in imported and (imported != ["*"] or name.startswith("_")):
                continue  # `from .train_helper import *` re-exports every public name it defines
            dots = len(match.group(1)) - len(match.group(1).lstrip("."))
            dotted = index.absolute(match.group(1).lstrip("."), dots, path) if dots else match.group(1)
            home = index.resolve(dotted, path)
            homes.update(key for key in names.get(name, ()) if home is not None and not home[1] and home[0] == key[1])
        return homes.pop() if len(homes) == 1 else None  # two modules that both define it: unknown

    def sites(self, class_key: Key) -> List[CallSite]:
        if self._sites is None:
            found: Dict[Key, List[CallSite]] = {}
            classes = self.project.classes
            names: Dict[str, List[Key]] = {}
            for key in classes:
                names.setdefault(key[2].rsplit(".", 1)[-1], []).append(key)
            for module_id, summary in self.project.summaries.items():
                for site in summary.calls:
                    callee = site.callee
                    if not callee or callee.rsplit(".", 1)[-1] not in names:
                        continue
                    target = self._resolve(callee, module_id, names)
                    if target is not None and target in classes:
                        found.setdefault(target, []).append(site)
            self._sites = found
        return self._sites.get(class_key, [])

    def calls_into(self, path: str, function: str) -> List[CallSite]:
        """The project's calls of ``function``, a top-level function of ``path``, a linted file the
        project step did not read (found through the linted files' module names)."""
        if not self.project.linted:
            return []
        if self._linted_index is None:
            self._linted_index = ModuleIndex(list(self.project.linted))
        found: List[CallSite] = []
        for module_id, summary in self.project.summaries.items():
            for site in summary.calls:
                callee = site.callee
                if callee and callee.rsplit(".", 1)[-1] == function:
                    if self._linted_index.resolve(callee, module_id) == (path, [function]):
                        found.append(site)
        return found


def _code_only(text: str) -> str:
    """``text`` without its import statements, docstrings (triple-quoted strings) and comments: a
    class named in prose (`for x in BatchBlender(...)` in a docstring) is no use of it."""
    text = _TRIPLE_QUOTED.sub('""', text)
    return _COMMENT.sub("", _IMPORT_LINE.sub("", text))


def _mentions(text: str, name: str) -> int:
    """How often ``name`` stands as a word in ``text``, outside import statements, quotes and
    `super(name, self)`."""
    if name not in text:
        return 0
    pattern = re.compile(r"(?<![\w'\"])" + re.escape(name) + r"(?![\w'\"])")
    stripped = _code_only(text)
    # `super(Name, self)` in its own methods names no other use.
    supers = len(re.findall(r"\bsuper\(\s*" + re.escape(name) + r"\b", stripped))
    return len(pattern.findall(stripped)) - supers


def _index(facts) -> ConstructionIndex:
    return facts.derived("construction index", ConstructionIndex)


def constructions(checks, class_key: Key) -> List[CallSite]:
    """Where the project builds the class ``class_key`` (`FaceAlignment(...)`, also through a package
    re-export that the project step did not read); nothing without project facts."""
    if checks.project is None:
        return []
    return _index(checks.project.project).sites(class_key)


def built_only_on_gpus(checks, site: CallSite, linted: Optional[Mapping[str, str]]) -> bool:
    """Whether ``site`` (a placement in module ``checks``) stands in a method of a top-level class
    that only GPU-only code builds (see the module docstring)."""
    project_checks = checks.project
    if project_checks is None or linted is None:
        return False
    func = site.ctx.func
    record = checks.summary.funcs.get(func)
    while record is not None and record.class_key is None and func[2].count(".") > 1:
        func = (func[0], func[1], func[2].rsplit(".", 1)[0])  # a function nested in a method: the method
        record = checks.summary.funcs.get(func)
    class_key = record.class_key if record is not None else None
    if class_key is None or not class_key[2].startswith("$.") or "." in class_key[2][2:]:
        return False
    index = _index(project_checks.project)
    asked = (checks.summary.module_id, class_key[2][2:])
    if asked not in index.answers:
        index.answers[asked] = _only_on_gpus(project_checks, index, *asked, index.sites(class_key), linted, 0)
    return index.answers[asked]


def _only_on_gpus(project_checks, index: ConstructionIndex, home: str, name: str, sites, linted, depth: int) -> bool:
    """Whether every use of the top-level ``name`` of ``home`` runs only on GPUs: ``sites`` (the
    calls of it the project step sees) are governed, and every other mention of it in the linted
    files stands in a top-level function of a file the project step did not read (`get_criterion()`
    of a loss module that builds the wrapper), whose own uses are so in turn (two levels at most)."""
    by_module: Dict[str, int] = {}
    for built in sites:
        by_module[built.ctx.func[1]] = by_module.get(built.ctx.func[1], 0) + 1
    unread: List[Tuple[str, str]] = []
    summaries = project_checks.project.summaries
    for path, text in linted.items():
        count = _mentions(text, name) - (1 if path == home else 0)  # less its own `class`/`def`
        if count <= by_module.get(path, 0):
            continue
        if depth >= 2 or path == home or path in summaries:
            return False  # named where tipcheck does not see it used: handed on, subclassed
        functions = _enclosing_functions(text, name)
        if functions is None or len(functions) != count or name in functions:
            return False
        unread.extend((path, function) for function in sorted(set(functions)))
    if not sites and not unread:
        return False
    for built in sites:
        builder = project_checks.checks_for(built)
        if builder is None:
            return False
        if not (builder.checked_where(built) or builder.function_governed(built.ctx.func, set())):
            return False
    for path, function in unread:
        calls = index.calls_into(path, function)
        if not _only_on_gpus(project_checks, index, path, function, calls, linted, depth + 1):
            return False
    return True


_TOP_LEVEL = re.compile(r"^(?![ \t#@)\]}\n])(.*)$", re.MULTILINE)
_DEF = re.compile(r"(?:async[ \t]+)?def[ \t]+(\w+)")


def _enclosing_functions(text: str, name: str) -> Optional[List[str]]:
    """For each mention of ``name`` in ``text`` (outside imports and quotes), the top-level function
    it stands in; None when one stands anywhere else (the top level, a class)."""
    stripped = _code_only(text)
    pattern = re.compile(r"(?<![\w'\"])" + re.escape(name) + r"(?![\w'\"])")
    found: List[str] = []
    for match in pattern.finditer(stripped):
        heads = list(_TOP_LEVEL.finditer(stripped, 0, match.start()))
        head = heads[-1] if heads else None
        defined = _DEF.match(head.group(1)) if head is not None else None
        if defined is None or head.start() == stripped.rfind("\n", 0, match.start()) + 1:
            return None  # at the top level itself, or in a class
        found.append(defined.group(1))
    return found
