"""What a function derives from an object that never changes (a LibCST node, a module body, a
text), kept with the object: a long-lived process (the editor server) asks again at every run about
the objects an edit did not touch, which are the same objects from run to run.

An entry is found by the object's id and holds the object itself, so that the id stays its own
while the entry lives; the oldest entries go past a bound, which bounds the memory held. No
dependency: the engine's cold path (tipcheck.source) uses it too.
"""

from __future__ import annotations

from typing import Callable, Dict, Generic, Tuple, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ByObject(Generic[K, V]):
    def __init__(self, most: int) -> None:
        self._most = most
        self._kept: Dict[int, Tuple[K, V]] = {}

    def get(self, obj: K, make: Callable[[K], V]) -> V:
        """``make(obj)``, made once while the entry lives."""
        known = self._kept.get(id(obj))
        if known is not None and known[0] is obj:
            return known[1]
        value = make(obj)
        if len(self._kept) >= self._most:
            self._kept.pop(next(iter(self._kept)))
        self._kept[id(obj)] = (obj, value)
        return value
