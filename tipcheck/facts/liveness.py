"""Methods that never run: a project method that nothing calls, nor can call.

The combine step (tipcheck.facts.combine) takes a function no analysed code calls for one called
from outside (a framework hook, an API), and keeps what it does. For some methods that cannot
be: `MultiOptimizer.scheduler()`, the only place that steps the schedulers a project's
optimizer wrapper keeps, where no script ever calls `optimizer.scheduler()`. A method never runs
(``never_runs``) when

- no analysed call links to it;
- its class is a plain project class: defined at the top of its module, without decorators, and
  whose bases are project classes of the same sort, or `object` (no framework base whose code
  calls its methods by name, as `nn.Module` calls `forward`);
- its name is no dunder, and it has no decorators (a `property` runs on attribute access);
- no instance of the class reaches code the analysis does not see (an escaped value), and the
  analysed code builds its instances, at the top of a module or in functions it calls (a class
  that only outside code builds is an API: `Learner.lr_find()` of a library);
- no linted file names it as an attribute or in quotes (`.scheduler`, `getattr(o, "scheduler")`):
  a text test over every linted file, which also covers a bound method handed on
  (`callbacks.append(opt.scheduler)`) and files the project step did not read.
"""

from __future__ import annotations

import re
from typing import Optional, Set

from tipcheck.facts.flow import Key
from tipcheck.facts.scopes import dotted_name

_MAX_BASES = 5  # levels of project base classes followed


def never_runs(project, func_key: Key) -> bool:
    """Whether the project function ``func_key`` is a method that never runs (module docstring)."""
    cache = project.__dict__.setdefault("_never_runs", {})
    if func_key not in cache:
        cache[func_key] = _never_runs(project, func_key)
    return cache[func_key]


def _never_runs(project, func_key: Key) -> bool:
    func = project.funcs.get(func_key)
    if func is None or func.class_key is None or project.callers.get(func_key):
        return False
    name = func_key[2].rsplit(".", 1)[-1]
    if name.startswith("__") or func.node.decorators or not _plain_class(project, func.class_key, set()):
        return False
    if project.graph.find(("self",) + func.class_key[1:]) in project.escaped:
        return False
    if not _built_by_running_code(project, func.class_key):
        return False  # a class for code outside the analysis to use (a library's API)
    mention = re.compile(rf"\.\s*{re.escape(name)}\b|[\"']{re.escape(name)}[\"']")
    texts = project.linted or {module_id: summary.text for module_id, summary in project.summaries.items()}
    return not any(text and mention.search(text) for text in texts.values())


def _built_by_running_code(project, class_key: Key) -> bool:
    """Whether the analysed code builds the class, and only where its own code runs: at the top of
    a module, or in functions that it calls."""
    init = project._lookup_method(("class",) + class_key[1:], "__init__", set())
    sites = (
        [site for site in project.callers.get(init, ()) if project.call_targets.get(id(site)) == init] if init else []
    )
    return bool(sites) and all(site.ctx.func[0] == "module" or project.callers.get(site.ctx.func) for site in sites)


def _plain_class(project, class_key: Key, seen: Set[Key]) -> bool:
    record = project.classes.get(class_key)
    if record is None or class_key in seen or len(seen) >= _MAX_BASES:
        return False
    if record.node.decorators or class_key[2].count(".") != 1:
        return False
    seen.add(class_key)
    if any(arg.keyword is not None or arg.star for arg in record.node.bases):
        return False  # a metaclass
    for arg, base in zip(record.node.bases, record.bases):
        if dotted_name(arg.value) == "object":
            continue
        target: Optional[Key] = project._definition(base, class_key[1]) if base else None
        if target is None or target[0] != "class" or not _plain_class(project, target, seen):
            return False
    return True
