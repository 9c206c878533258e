"""Where the passes over a DataLoader begin, and what a value may be besides tracked ones.

A mixin of ``ProjectFacts`` (tipcheck.facts.training) with the queries TIP501 asks beyond the
textbook `for batch in loader:` inside `for epoch in ...:`:

- a pass over a loader begins where a loop iterates it, where `iter(loader)` makes an iterator
  that a training loop pulls with `next()` (`batches = iter(loader)` ... `next(batches)`, again
  in `except StopIteration:`), and where a generator walks it (`def sample_data(loader): while
  True: for batch in loader: yield batch`), which trains when its consumer does (`next(gen)` or
  `for batch in gen` in a loop with an optimizer step);
- a loop over a container of loaders (`for loader in loaders:`) is none of their epoch loops;
- a value that is one of several classes: what else than the tracked values a variable may hold
  (`RandomSampler(ds) if ... else DistributedSampler(ds)`, None), from the notes of
  tipcheck.facts.flowitems and the calls whose result flows there.
"""

from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst

from tipcheck.facts.combine import Loop
from tipcheck.facts.flow import ANY_ITEM, ITER_WRAPPERS, PASS_THROUGH, SELF_RETURNING, CallSite, Key
from tipcheck.facts.scopes import dotted_name


class PassQueries:
    """Mixin of ProjectFacts: see the module docstring."""

    # -- passes over a loader ------------------------------------------------------------------
    def _calls_named(self, callee: str) -> Dict[Key, List[CallSite]]:
        """Calls of a builtin (`next`, `iter`) by the root of their first argument."""
        cache = self.__dict__.setdefault("_calls_named_index", {})
        index = cache.get(callee)
        if index is None:
            index = cache[callee] = {}
            for summary in self.summaries.values():
                for site in summary.calls:
                    if site.callee == callee and site.args and site.args[0] is not None:
                        index.setdefault(self.root(site.args[0]), []).append(site)
                    elif site.method == callee == "next" and not site.args and site.receiver is not None:
                        index.setdefault(self.root(site.receiver), []).append(site)  # `batches.next()`
        return index

    def pulls_train(self, root: Key) -> bool:
        """Whether `next(x)` on the value at ``root`` runs in a loop that trains: the innermost
        loop around it (an evaluation loop inside a training epoch pulls batches that nobody
        trains on)."""
        return any(
            self.runs_backward_or_step(loop)
            for site in self._calls_named("next").get(root, ())
            for loop in self.innermost(self.loops_running(site.ctx))
        )

    def iter_passes(self, root: Key) -> List[CallSite]:
        """`iter(loader)` calls on the loader at ``root`` whose iterator a training loop pulls
        with `next()`: each begins a pass over the loader (`iter` returns what it is given, for
        the facts, so `next(batches)` pulls from the loader's root)."""
        if not self.pulls_train(root):
            return []
        # `next(iter(loader))` takes one batch of a fresh pass (a fixed batch to show or to
        # probe shapes, as often as not): no pass is walked there.
        firsts = {id(s.node.args[0].value) for s in self._calls_named("next").get(root, ()) if s.node.args}
        return [site for site in self._calls_named("iter").get(root, ()) if id(site.node) not in firsts]

    def pulled_in_own_loop(self, site: CallSite, root: Key) -> bool:
        """Whether `next()` on the loader at ``root`` runs in the innermost loop around ``site``
        (a step loop that re-makes its iterator), not in a loop of its own inside it."""
        if not site.ctx.loops:
            return False
        record = site.ctx.loops[-1]
        return any(s.ctx.loops and s.ctx.loops[-1] is record for s in self._calls_named("next").get(root, ()))

    def generator_of(self, loop: Loop) -> Optional[Key]:
        """The root of the generators a function makes, when ``loop`` holds one of its `yield`s."""
        func = loop.record.ctx.func
        for summary_func, record in self._yields().get(func, ()):
            if record is loop.record or loop.record in record.ctx.loops:
                return self.graph.find(("ret",) + func[1:])
        return None

    def _yields(self) -> Dict[Key, list]:
        index = getattr(self, "_yield_index", None)
        if index is None:
            index = self._yield_index = {}
            for summary in self.summaries.values():
                for func, record in getattr(summary, "yields", ()):
                    index.setdefault(func, []).append((func, record))
        return index

    def pass_trains(self, loop: Loop) -> bool:
        """Whether a loop over a loader trains: an optimizer step or `.backward()` runs in it, or
        it yields to a consumer that trains (pulls with `next()`, or loops over the generator)."""
        if self.runs_backward_or_step(loop):
            return True
        generator = self.generator_of(loop)
        return generator is not None and self.generator_trains(generator)

    def generator_trains(self, generator: Key) -> bool:
        """Whether what a generator yields (its root: ``generator_of``) is trained on."""
        return self.pulls_train(generator) or any(
            self.runs_backward_or_step(other) for other in self.loops if self._iterates_root(other, generator)
        )

    def yield_from_passes(self, root: Key) -> list:
        """The contexts of `yield from loader` on the loader at ``root`` in generators whose
        consumers train: each begins a pass over the loader."""
        index = getattr(self, "_yield_from_index", None)
        if index is None:
            index = self._yield_from_index = {}
            for summary in self.summaries.values():
                for ctx, path in getattr(summary, "yield_froms", ()):
                    index.setdefault(self.root(path), []).append(ctx)
        return [ctx for ctx in index.get(root, ()) if self.generator_trains(self.graph.find(("ret",) + ctx.func[1:]))]

    def _iterates_root(self, loop: Loop, root: Key) -> bool:
        for path in loop.record.iterated:
            node = self.graph.existing(path)
            if node is not None and self.graph.find(node) == root:
                return True
        return False

    def loop_takes_items(self, loop: Loop, root: Key) -> bool:
        """Whether a loop takes its target from the items of a container holding the value at
        ``root`` (`for loader in loaders:` takes DataLoaders: it is no epoch loop of theirs)."""
        for path in loop.record.iterated:
            node = self.graph.existing((path[0], path[1] + (ANY_ITEM,)))
            if node is not None and self.graph.find(node) == root:
                return True
        return False

    def other_sources(self, root: Optional[Key]) -> List[str]:
        """What the value at ``root`` may be besides the tracked values there (``values_at``): a
        value that is one of several classes. "None" (a None literal or default), "?" (an
        expression the facts do not track), "call:QUALIFIED" (the result of a torch or library
        call that is no tracked class: `RandomSampler(ds)` on the other branch), "call:?" (of a
        call to something unknown), "class:KEY" (an instance of a project class that is no
        tracked kind). Empty when the tracked values are all it can be. Helpers of the project
        and identity-keeping calls (`iter`, `tqdm`, `.to()`) add nothing: what they return is
        already at ``root``."""
        if root is None:
            return []
        index = getattr(self, "_others_by_root", None)
        if index is None:
            index = self._others_by_root = {}
            for summary in self.summaries.values():
                for path, what in getattr(summary, "others", ()):
                    node = self.graph.existing(path)
                    if node is not None:
                        found = index.setdefault(self.graph.find(node), [])
                        if what not in found:
                            found.append(what)
        found = list(index.get(root, ()))
        tracked = {id(value.site) for value in self.values_at(root)}
        for site in self.sites_with_result(root):
            what = None if id(site) in tracked else self._source_of(site)
            if what is not None and what not in found:
                found.append(what)
        return found

    def _source_of(self, site: CallSite) -> Optional[str]:
        """What a call whose result is at some root puts there (see ``other_sources``)."""
        target = self.call_targets.get(id(site))
        if target is not None:
            if site.method is None and target[2].endswith(".__init__"):
                return "class:" + target[2].rsplit(".", 1)[0]
            return None  # a project helper: what it returns is at the root already
        if site.method is not None and site.method in SELF_RETURNING:
            return None
        if site.callee in PASS_THROUGH or ITER_WRAPPERS.get(site.callee or "") == "first":
            return None
        return "call:" + (site.callee or "?")

    # -- naming a loader in a fix --------------------------------------------------------------
    def loader_expression(self, root: Key, func: Key, loader: Optional[Key] = None) -> Optional[str]:
        """Like ``expression_for``: a name or attribute that refers to the value at ``root`` (a
        DataLoader, or what it holds) from inside ``func``, but not through one bound to an
        iterator or progress bar over the loader at ``loader`` (default: ``root``): `batches =
        iter(loader)`, `pbar = tqdm(loader)`, which the facts merge with the loader."""
        wrapped = self._wrapper_names(root if loader is None else loader)
        for candidate in self.expressions_for(root, func):
            if candidate not in wrapped and candidate.split(".", 1)[0] not in wrapped:
                return candidate
        return None

    def _wrapper_names(self, root: Key) -> set:
        names = set()
        for site in self.sites_with_result(root):
            if site.callee in PASS_THROUGH or ITER_WRAPPERS.get(site.callee or "") == "first":
                stmt = site.ctx.stmt
                for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                    if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is site.node:
                        targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                        names.update(dotted_name(t) for t in targets if dotted_name(t))
        return names

    def expressions_for(self, root: Key, func: Key) -> List[str]:
        """Every name, then every attribute of a name, that ``expression_for`` could answer."""
        scope = self.scope_of_func(func)
        module_id = func[1]
        graph = self.graph
        candidates: List[str] = []
        attributes: List[str] = []
        while scope is not None:
            if scope.kind != "class":
                for name in sorted(scope.bindings):
                    node = graph.existing((("var", module_id, scope.uid, name), ()))
                    if node is None:
                        continue
                    if graph.find(node) == root:
                        candidates.append(name)
                    for attr, child in sorted(graph.fields.get(graph.find(node), {}).items()):
                        if not attr.startswith(("[", "#")) and graph.find(child) == root:
                            attributes.append(f"{name}.{attr}")
            scope = scope.parent
        return candidates + attributes

    # -- one factory, several calls ------------------------------------------------------------
    def call_contexts(self, value) -> List[tuple]:
        """For a value built in a project function that several calls return (`loader, sampler =
        make_loader(...)` for two splits: the facts merge what all the calls return): each call
        with the names its statement binds to the parts of the result, {name: field} (field ""
        for the whole result, "#i" for item i of a tuple). Empty for a function called once."""
        func = value.site.ctx.func
        callers = self.callers.get(func, []) if func[0] == "func" else []
        if len(callers) < 2:
            return []
        found = []
        for call in callers:
            stmt = call.ctx.stmt
            names: Dict[str, str] = {}
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Assign) and small.value is call.node and len(small.targets) == 1:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        names[target.value] = ""
                    elif isinstance(target, cst.Tuple):
                        for index, element in enumerate(target.elements):
                            if isinstance(element.value, cst.Name):
                                names[element.value.value] = f"#{index}"
            found.append((call, names))
        return found

    def returned_fields(self, func: Key, root: Key) -> set:
        """The parts of what ``func`` returns that hold the value at ``root``: "" (the whole) or "#i"."""
        ret = self.graph.find(("ret",) + func[1:])
        fields = {name for name, child in self.graph.fields.get(ret, {}).items() if self.graph.find(child) == root}
        return fields | ({""} if ret == root else set())
