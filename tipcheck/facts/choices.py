"""Values that are one of several classes: the queries the scheduler rules ask about them.

A variable may hold a value of one class on one branch and of another on the other branch, or a
value built by a class picked from a dict of classes or by name at run time
(tipcheck.facts.dynamic): the facts keep every construction at the variable's root in the
union-find graph, and these queries tell the rules which classes it may have, so that a rule can
report a finding when it holds for every class, once for the variable, and check its fix against
every class. ``ProjectFacts`` (tipcheck.facts.training) inherits them.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

from tipcheck.facts.catalogue import ANY_CLASS
from tipcheck.facts.combine import Value
from tipcheck.facts.flow import Key


class ClassChoices:
    """Queries over the classes a variable may have (mixed into ``ProjectFacts``)."""

    def classes_of(self, value: Value) -> Optional[Tuple[str, ...]]:
        """The classes the variable holding ``value`` may have (a scheduler built as a `StepLR`
        on one branch and a `MultiStepLR` on the other, or picked from a dict of classes), in the
        order of ``values``; None when it may also hold a value of another kind. ``ANY_CLASS``
        stands for a class chosen at run time (`getattr(lr_scheduler, name)`)."""
        found: Dict[str, None] = {}
        for other in self.values_at(self.root_of(value)):
            if other.kind != value.kind:
                return None
            found[other.cls] = None
        return tuple(found)

    def class_label(self, value: Value) -> str:
        """How a message names the classes of ``classes_of``: "`StepLR`", "`StepLR` or `MultiStepLR`",
        "chosen at run time"."""
        classes = self.classes_of(value) or (value.cls,)
        if ANY_CLASS in classes:
            return "chosen at run time"
        names: Dict[str, None] = {}
        for other in self.values_at(self.root_of(value)):
            own = self.own_class(other)
            names[f"`{own}` (a `{other.cls}`)" if own != other.cls else f"`{other.cls}`"] = None
        return " or ".join(names) if names else f"`{value.cls}`"

    @staticmethod
    def own_class(value: Value) -> str:
        """The class a value is built from as the code names it: a project subclass's own name
        (`WarmupPolyLR`), where ``cls`` is the torch class it derives from (`LRScheduler`)."""
        callee = value.site.callee
        return callee.rsplit(".", 1)[-1] if value.custom and callee and value.cls != "inferred" else value.cls

    def tracked_roots(self, kind: str, module_id: str) -> List[Tuple[Value, Tuple[str, ...]]]:
        """Non-escaping values of a kind built in ``module_id``, one for each variable that holds
        them (the first of the branches or of the classes a dict offers), with the classes that
        variable may have (``classes_of``). Instances of one project class share a root (their
        `self`): those built in different modules (two scripts) are reported apart."""
        cache = self.__dict__.setdefault("_tracked_roots", {})
        by_module = cache.get(kind)
        if by_module is None:
            by_module = cache[kind] = {}
            seen: Set[Tuple[Key, str]] = set()
            for value in self.values_of_kind(kind):
                root = self.root_of(value)
                if (root, value.module_id) in seen:
                    continue
                seen.add((root, value.module_id))
                classes = self.classes_of(value)
                if classes is not None and root not in self.escaped:
                    by_module.setdefault(value.module_id, []).append((value, classes))
        return list(by_module.get(module_id, ()))
