"""tipcheck.byobject: what is derived from an unchanging object is made once per object, never
handed to another object (even an equal one, or one that took a freed object's id), and the store
stays within its bound."""

from __future__ import annotations

from tipcheck.byobject import ByObject


def test_made_once_per_object_and_bounded():
    made = []

    def make(obj):
        made.append(obj)
        return len(made)

    store = ByObject(2)
    a, b, c = ["a"], ["a"], ["c"]  # a and b are equal, not the same object
    assert store.get(a, make) == 1
    assert store.get(a, make) == 1  # kept
    assert store.get(b, make) == 2  # an equal object is another object
    assert store.get(c, make) == 3  # past the bound: the oldest (a) goes
    assert len(store._kept) == 2
    assert store.get(a, make) == 4
    assert made == [a, b, c, a]


def test_an_id_taken_again_is_not_mistaken_for_the_old_object():
    store = ByObject(10)
    first = object()
    store._kept[id(first)] = (first, "old")
    stand_in = object()
    store._kept[id(stand_in)] = (first, "old")  # as if stand_in had the id of a freed object
    assert store.get(stand_in, lambda obj: "new") == "new"
