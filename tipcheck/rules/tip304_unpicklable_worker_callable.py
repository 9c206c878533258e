"""TIP304 unpicklable-worker-callable: a lambda or nested function that a loader's workers must pickle."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from tipcheck.context import RuleContext
from tipcheck.diagnostics import Applicability, Edit, Fix
from tipcheck.facts.loaders import datasets_of, loader_arg, workers
from tipcheck.facts.pickling import PickleCheck, Unpicklable, closes_over
from tipcheck.facts.training import ProjectFacts
from tipcheck.fixes.statements import indentation
from tipcheck.rules.base import ProjectRule

LOADER_CALLABLES = ("collate_fn", "worker_init_fn")


def findings(project: ProjectFacts) -> Dict[str, List[Tuple[Unpicklable, str]]]:
    """Every unpicklable callable a loader with workers hands them, by module: (what, how it gets
    there). Worked out once for the project."""
    cached = project.__dict__.get("_tip304")
    if cached is not None:
        return cached
    found: Dict[str, List[Tuple[Unpicklable, str]]] = {}
    seen = set()
    check = PickleCheck(project)
    for loader in project.values_of_kind("loader"):
        count = workers(loader, _texts(project, loader.module_id))
        if not count:
            continue  # no workers (0, or not known): nothing is pickled
        for name in LOADER_CALLABLES:
            arg = loader_arg(loader, name)
            if arg is not None:
                for item in check.loader_callables(loader, arg):
                    _add(found, seen, item, f"`{name}=` of a DataLoader with `num_workers={count}`")
        dataset = loader_arg(loader, "dataset")
        if dataset is not None:
            for item in check.dataset(loader, dataset, datasets_of(project, loader)):
                _add(found, seen, item, f"the dataset of a DataLoader with `num_workers={count}`")
    project.__dict__["_tip304"] = found
    return found


def _texts(project: ProjectFacts, module_id: str) -> str:
    """The loader's module first, then the others: where an argparse default may be found."""
    summaries = project.summaries
    first = summaries[module_id].text if module_id in summaries else ""
    return first + "\n" + "\n".join(s.text for m, s in summaries.items() if m != module_id and "add_argument" in s.text)


def _add(found, seen, item: Unpicklable, how: str) -> None:
    if id(item.node) not in seen:
        seen.add(id(item.node))
        found.setdefault(item.module_id, []).append((item, how))


class UnpicklableWorkerCallable(ProjectRule):
    code = "TIP304"
    name = "unpicklable-worker-callable"
    finds = "a lambda or nested function reaching a `DataLoader` with workers (spawn/forkserver cannot pickle it)"
    fix_safety = "safe"
    summary = (
        "A lambda or nested function reaches a DataLoader's workers: under spawn or forkserver it cannot be pickled"
    )
    needs_text = ("lambda", "DataLoader", "Dataset")
    fixable = "sometimes"

    def check(self, ctx: RuleContext) -> None:
        project: ProjectFacts = ctx.project
        for item, how in findings(project).get(ctx.source.path, ()):
            ctx.report(
                item.node,
                f"{item.what[0].upper()}{item.what[1:]} reaches {how}: under the spawn and forkserver start "
                "methods (macOS, Windows, Linux from Python 3.14) the workers cannot pickle it and the loader "
                "fails with a pickling error",
                self._fix(ctx, item),
            )

    @staticmethod
    def _fix(ctx: RuleContext, item: Unpicklable) -> Optional[Fix]:
        """A lambda handed to the loader as `collate_fn=`/`worker_init_fn=` that reads no name of an
        enclosing function becomes a module-level function of that name, defined before the
        top-level statement that holds it."""
        node = item.node
        if not isinstance(node, cst.Lambda):
            return None
        arg = _keyword_holding(ctx.module, node)
        if arg is None or closes_over(ctx.facts.scope_of, node) is not False:
            return None
        # One name per lambda of this keyword in the module, in source order: the fixes are made
        # from the same text, so two lambdas must not both become `_collate_fn`.
        keyword = arg.keyword.value
        same = [a.value for a in _args(ctx.module) if a.keyword is not None and a.keyword.value == keyword]
        index = next(i for i, value in enumerate(same) if value is node)
        name = f"_{keyword}" if index == 0 else f"_{keyword}_{index + 1}"
        if ctx.facts.is_bound(name) or any(p.default is not None or p.annotation for p in node.params.params):
            return None
        if node.params.star_arg is not cst.MaybeSentinel.DEFAULT or node.params.star_kwarg is not None:
            return None
        if node.params.kwonly_params or node.params.posonly_params:
            return None
        top = next((s for s in ctx.module.body if _contains(s, node)), None)
        if top is None or indentation(ctx, top):
            return None
        params = ", ".join(p.name.value for p in node.params.params)
        body = cst.Module(body=[]).code_for_node(node.body)
        newline = ctx.source.newline
        definition = f"def {name}({params}):{newline}    return {body}{newline}{newline}{newline}"
        start, end = ctx.range(node)
        edits = (Edit.insert(ctx.range(top)[0], definition), Edit(start, end, name))
        return Fix(edits, f"Move the lambda to a module-level function `{name}`", Applicability.SAFE)


def _keyword_holding(module: cst.Module, node: cst.Lambda) -> Optional[cst.Arg]:
    for arg in _args(module):
        if arg.value is node and arg.keyword is not None and arg.keyword.value in LOADER_CALLABLES:
            return arg
    return None


def _args(module: cst.Module):
    from tipcheck.facts.walk import nodes_in

    return (n for n in nodes_in(module) if isinstance(n, cst.Arg))


def _contains(stmt: cst.CSTNode, node: cst.CSTNode) -> bool:
    from tipcheck.facts.walk import nodes_in

    return any(n is node for n in nodes_in(stmt))
