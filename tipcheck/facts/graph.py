"""The union-find graph of the project facts: where each value may be.

Keys are tuples (``("var", module, scope, name)``, ``("ret", module, function)``, ...). Keys
that may hold the same object are merged into one class (Steensgaard style: an assignment or a
binding unifies both sides), and every class has fields: attributes, dict entries
(``"['key']"``, and ``"[*]"`` for those read by a non-literal key), tuple items (``"#0"``).
Merging two classes merges their fields, recursively.

Fields named with "@" are relations the facts derive (``TRAINS``), not attributes: walks over
what a value holds (``reachable``, ``reachable_from_all``, the spread of an escape) skip them.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Set

from tipcheck.facts.flow import Key, KeyPath

# The optimizer's relation to the model whose parameters it updates.
TRAINS = "@trains"


class Graph:
    """Union-find over keys, where every class has fields (attributes, dict entries, tuple items)."""

    def __init__(self) -> None:
        self.parent: Dict[Key, Key] = {}
        self.fields: Dict[Key, Dict[str, Key]] = {}
        self._count = 0

    def find(self, key: Key) -> Key:
        parent = self.parent
        if key not in parent:
            return key  # a root (most keys are)
        root = key
        while root in parent:
            root = parent[root]
        while key in parent and parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    def field(self, key: Key, name: str) -> Key:
        root = self.find(key)
        fields = self.fields.get(root)
        if fields is None:
            fields = self.fields[root] = {}
        child = fields.get(name)
        if child is None:
            self._count += 1
            child = fields[name] = ("field", self._count)
            return child  # a new key: its own root
        return self.find(child)

    def node(self, path: KeyPath) -> Key:
        key, names = path
        key = self.find(key)
        for name in names:
            key = self.field(key, name)
        return key

    def existing(self, path: KeyPath) -> Optional[Key]:
        """Like node(), without creating fields that nothing assigned."""
        key, names = path
        key = self.find(key)
        for name in names:
            fields = self.fields.get(key, {})
            child = fields.get(name)
            if child is None and name.startswith("[") and "[*]" in fields:
                child = fields["[*]"]  # `loaders["train"]` of a dict built by a comprehension
            if child is None:
                return None
            key = self.find(child)
        return key

    def union(self, a: Key, b: Key) -> None:
        rx, ry = self.find(a), self.find(b)
        if rx == ry:
            return  # one class already (most unions of a run)
        work = [(a, b)]
        while work:
            x, y = work.pop()
            rx, ry = self.find(x), self.find(y)
            if rx == ry:
                continue
            self.parent[ry] = rx
            moved = self.fields.pop(ry, None)
            if moved:
                target = self.fields.setdefault(rx, {})
                for name, child in moved.items():
                    if name in target:
                        work.append((target[name], child))
                    else:
                        target[name] = child

    def reachable_from_all(self, keys: Iterable[Key]) -> Set[Key]:
        """The roots reachable from any of ``keys``: one walk for all of them (a key reached
        from one of them is not walked again from another)."""
        seen: Set[Key] = set()
        for key in keys:
            start = self.find(key)
            if start not in seen:
                seen.add(start)
                stack = [start]
                while stack:
                    for name, child in self.fields.get(stack.pop(), {}).items():
                        if name.startswith("@"):
                            continue  # a relation, not an attribute (see reachable)
                        child = self.find(child)
                        if child not in seen:
                            seen.add(child)
                            stack.append(child)
        return seen

    def reachable(self, root: Key) -> Iterable[Key]:
        seen = {root}
        stack = [root]
        while stack:
            key = stack.pop()
            yield key
            for name, child in self.fields.get(key, {}).items():
                if name.startswith("@"):
                    continue  # a relation, not an attribute: the optimizer does not hold the model
                child = self.find(child)
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
