"""A file's tree and facts as plain data, so that the cache can keep them without pickle.

The cache folder lies in the repository, where anyone can commit a file at the exact path a run
will read, so nothing read from it may run code (pickle would). Here the object graph of a
(LibCST module, tipcheck.facts.ModuleFacts) pair becomes a `marshal` of plain values:

    (FORMAT, class names, counts, columns, tuples, root)

- The objects (LibCST nodes and tipcheck's own fact records) are numbered class by class:
  ``counts[k]`` objects of the class ``class names[k]``, one after the other.
- ``columns[k]`` holds, for each field the class declares, in order, that field of all its
  objects: ``(kind, list)``, where kind "R" is a list of object numbers, "P" of plain values
  (str, bool, float, None), "N" of object numbers, None or a sentinel's name, "T" of numbers in
  the tuple table, "V" of any values.
- ``tuples`` is the tuple table: each tuple once, its items before it, so that a tuple shared in
  the graph (a block's statements, a key) is one tuple again: ``("R", [object numbers])``,
  ``("P", [plain values])``, ``("M", [n, ...])`` (objects and tuples: ``n >= 0`` is object ``n``,
  ``n < 0`` tuple ``~n``) or ``("V", [values])``.
- A value is a str, bool, float or None as itself; an int is an object number; anything else is a
  list whose first item says what it is: ``["r", n]`` tuple ``n`` of the table, ``["l", ...]`` a
  list, ``["d", key, value, ...]`` a dict, ``["s", ...]`` a set, ``["f", ...]`` a frozenset,
  ``["i", n]`` an int, ``["e", name]`` one of LibCST's sentinels.

Reading it back (`decode`) creates only instances of the classes of a fixed whitelist (LibCST's
concrete node classes and the fact records), with ``object.__new__``, and sets only the fields
the class declares, with ``object.__setattr__``: no constructor, no ``__setstate__``, no callable
named by the data. `marshal` builds plain values only (it can build a code object, which is then
rejected like any other unexpected type; nothing is ever called). Anything that does not fit
raises `InvalidData`, which the cache treats as a miss. The fields are set a column at a time,
with the loops in C (``map``), which makes reading back as fast as unpickling (the 109 trees of
lightning 2.6.6: about 1 s either way); writing takes 1.5 to 2 times as long as pickling (it
happens once per changed file, in the workers).

Between tipcheck's own processes (tipcheck.pool) trees still travel pickled: nothing there is
read from disk.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import marshal
from collections import deque
from itertools import chain, count, repeat
from operator import attrgetter
from typing import Any, Callable, Dict, List, Tuple

FORMAT = 1

_PLAIN = frozenset({str, bool, float, type(None)})
# How a column (one field of all the objects of a class) or a tuple of the table is written.
_REFS, _PLAIN_VALUES, _TUPLES, _OPTIONAL, _MIXED, _VALUES = "R", "P", "T", "N", "M", "V"


class InvalidData(Exception):
    """The data is not a tree and facts that this version of tipcheck wrote."""


class Unencodable(Exception):
    """The object graph holds something this format does not carry (the tree is not cached)."""


# name -> (class, its fields in order, whether its instances have slots and no __dict__)
_CLASSES: Dict[str, Tuple[type, Tuple[str, ...], bool]] = {}
_FIELDS: Dict[type, Callable[[Any], tuple]] = {}  # class -> the values of its fields, as a tuple
_NAMES: Dict[type, str] = {}
_SENTINELS: Dict[str, Any] = {}
_SENTINEL_NAMES: Dict[Any, str] = {}
# class -> attributes of its instances that are never carried (ModuleFacts.TRANSIENT)
_TRANSIENT: Dict[type, frozenset] = {}


def _tables() -> None:
    """Fill the whitelist on first use (it needs LibCST and the facts imported)."""
    if _CLASSES:
        return
    import libcst as cst

    from tipcheck.facts import ModuleFacts
    from tipcheck.facts.flow import CallSite, ClassRecord, Context, FuncRecord, LoopRecord, ModuleSummary
    from tipcheck.facts.scopes import Scope

    classes: Dict[str, Tuple[type, Tuple[str, ...]]] = {}
    for name, value in vars(cst).items():
        concrete = isinstance(value, type) and issubclass(value, cst.CSTNode) and not inspect.isabstract(value)
        if concrete and dataclasses.is_dataclass(value):
            classes[f"cst.{name}"] = (value, tuple(f.name for f in dataclasses.fields(value)))
    for record in (Scope, Context, LoopRecord, CallSite, FuncRecord, ClassRecord, ModuleSummary):
        classes[f"facts.{record.__name__}"] = (record, tuple(f.name for f in dataclasses.fields(record)))
    classes["facts.ModuleFacts"] = (
        ModuleFacts,
        ("module", "module_scope", "calls", "scope_of", "_flow", "_values", "positions"),
    )
    for sentinel in (cst.MaybeSentinel, cst.RemovalSentinel):
        for member in sentinel:
            _SENTINELS[f"{sentinel.__name__}.{member.name}"] = member
            _SENTINEL_NAMES[member] = f"{sentinel.__name__}.{member.name}"
    _NAMES.update({cls: name for name, (cls, _) in classes.items()})
    for cls, fields in classes.values():
        if len(fields) > 1:
            _FIELDS[cls] = attrgetter(*fields)
        elif fields:  # attrgetter of one name gives the value itself, of none is an error
            _FIELDS[cls] = lambda obj, get=attrgetter(fields[0]): (get(obj),)
        else:
            _FIELDS[cls] = lambda obj: ()
    # The values index (facts/values.py) and the positions (tipcheck.positions) are derived from the
    # tree and rebuilt on demand: kept as None.
    _FIELDS[ModuleFacts] = lambda f: (f.module, f.module_scope, f.calls, f.scope_of, f._flow, None, None)
    # What the facts hand on from version to version in one process (tipcheck.facts.parts): left out.
    _TRANSIENT[ModuleFacts] = frozenset(ModuleFacts.TRANSIENT)
    for name, (cls, fields) in classes.items():  # last: a filled table means all is ready
        _CLASSES[name] = (cls, fields, not hasattr(object.__new__(cls), "__dict__"))


# -- writing -------------------------------------------------------------------------------------
def encode(root: Any) -> bytes:
    """The graph under ``root`` as marshalled plain data; `Unencodable` if it holds anything else
    (or shares a list, dict or set between two places, which reading back would not keep)."""
    _tables()
    try:
        return _encode(root)
    except RecursionError:
        raise Unencodable("nested too deeply") from None


def _encode(root: Any) -> bytes:
    classes, class_names, sentinel_names, field_values = _CLASSES, _NAMES, _SENTINEL_NAMES, _FIELDS
    transient = _TRANSIENT
    # 1. Find every object of the graph, grouped by class (without recursion: trees can be deep).
    by_class: Dict[type, List[Any]] = {}
    rows: Dict[type, List[tuple]] = {}  # the values of their fields, object by object
    seen = set()
    mutable = set()
    stack = [root]
    pop = stack.pop
    while stack:
        v = pop()
        kind = type(v)
        if kind is str or v is None:  # most values
            continue
        if kind in class_names:
            if id(v) in seen:
                continue
            seen.add(id(v))
            group = by_class.get(kind)
            if group is None:
                group = by_class[kind] = []
                rows[kind] = []
            group.append(v)
            attributes = getattr(v, "__dict__", None)
            fields = classes[class_names[kind]][1]
            if attributes is not None and attributes.keys() - transient.get(kind, ()) != set(fields):
                raise Unencodable(f"a {kind.__name__} with other attributes than its fields")
            row = field_values[kind](v)
            rows[kind].append(row)
            stack.extend(row)
        elif kind is tuple:
            stack.extend(v)
        elif kind is list or kind is set or kind is frozenset or kind is dict:
            if id(v) in mutable:
                raise Unencodable(f"a {kind.__name__} shared between two places")
            mutable.add(id(v))
            stack.extend(v)
            if kind is dict:
                stack.extend(v.values())
        elif not (kind is bool or kind is float or kind is int or v in sentinel_names):
            raise Unencodable(f"cannot keep a {kind.__name__} in the cache")
    # 2. Number them class by class; write each field of a class as one column.
    index: Dict[int, int] = dict(zip(map(id, chain.from_iterable(by_class.values())), count()))
    number = index.__getitem__  # of an object's id
    tuples: List[Any] = []
    tuple_index: Dict[int, int] = {}

    def table(t: tuple) -> int:
        """The number of tuple ``t`` in the table, adding it (after its items) the first time."""
        position = tuple_index.get(id(t))
        if position is not None:
            return position
        types = set(map(type, t))
        if types <= class_names.keys():
            entry = (_REFS, list(map(number, map(id, t))))
        elif types <= _PLAIN:
            entry = (_PLAIN_VALUES, list(t))
        elif types <= class_names.keys() | {tuple}:  # objects and tuples: ~n is tuple n
            entry = (_MIXED, [~table(item) if type(item) is tuple else index[id(item)] for item in t])
        else:
            entry = (_VALUES, [value(item) for item in t])
        position = tuple_index[id(t)] = len(tuples)
        tuples.append(entry)
        return position

    def value(v: Any) -> Any:
        kind = type(v)
        if kind is str or v is None or kind is bool or kind is float:
            return v
        if kind in class_names:
            return index[id(v)]
        if kind is tuple:
            return ["r", table(v)]
        if kind is list:
            return ["l", *[value(item) for item in v]]
        if kind is dict:
            flat: List[Any] = ["d"]
            for key, item in v.items():
                flat.append(value(key))
                flat.append(value(item))
            return flat
        if kind is set:
            return ["s", *[value(item) for item in v]]
        if kind is frozenset:
            return ["f", *[value(item) for item in v]]
        if kind is int:
            return ["i", v]
        return ["e", sentinel_names[v]]

    names, counts, columns = [], [], []
    for kind, group in by_class.items():
        name = class_names[kind]
        names.append(name)
        counts.append(len(group))
        group_columns = []
        for values in zip(*rows[kind]):  # a column: one field of every object of the class
            types = set(map(type, values))
            if types <= class_names.keys():
                group_columns.append((_REFS, list(map(number, map(id, values)))))
            elif types <= _PLAIN:
                group_columns.append((_PLAIN_VALUES, list(values)))
            elif types == {tuple}:
                group_columns.append((_TUPLES, [table(v) for v in values]))
            elif all(v is None or type(v) in class_names or isinstance(v, enum.Enum) for v in values):
                optional = [
                    index[id(v)] if type(v) in class_names else None if v is None else sentinel_names[v] for v in values
                ]
                group_columns.append((_OPTIONAL, optional))
            else:
                group_columns.append((_VALUES, [value(v) for v in values]))
        columns.append(tuple(group_columns))
    root_value = value(root)
    return marshal.dumps((FORMAT, tuple(names), tuple(counts), tuple(columns), tuples, root_value))


# -- reading -------------------------------------------------------------------------------------
def decode(data: bytes) -> Any:
    """The graph that `encode` wrote; `InvalidData` for anything else (nothing in it is run)."""
    _tables()
    try:
        entry = marshal.loads(data)
    except Exception as exc:  # EOFError, ValueError, TypeError: not marshal data
        raise InvalidData(f"not a cache entry: {exc}") from None
    if type(entry) is not tuple or len(entry) != 6 or entry[0] != FORMAT:
        raise InvalidData("not a tree entry of this format")
    try:
        return _decode(*entry[1:])
    except InvalidData:
        raise
    except Exception as exc:  # IndexError, TypeError (unhashable key), RecursionError, ...
        raise InvalidData(f"malformed tree entry: {exc!r}") from None


def _check(condition: bool, what: str = "malformed tree entry") -> None:
    if not condition:
        raise InvalidData(what)


def _decode(names: Any, counts: Any, columns: Any, tuple_table: Any, root_value: Any) -> Any:
    _check(type(names) is tuple and type(counts) is tuple and type(columns) is tuple and type(tuple_table) is list)
    _check(len(names) == len(counts) == len(columns) == len(set(names)))
    classes = []
    for name, number in zip(names, counts):
        _check(type(name) is str and name in _CLASSES, f"class not allowed in a tree entry: {name!r}")
        _check(type(number) is int and number >= 0)
        classes.append(_CLASSES[name])
    # 1. Every object, empty: object.__new__ of a whitelisted class (none of its code runs).
    new = object.__new__
    objects: List[Any] = []
    for (cls, _, _), number in zip(classes, counts):
        objects.extend(map(new, repeat(cls, number)))
    get = objects.__getitem__  # an object number: any int names one of these objects
    sentinels = _SENTINELS
    tuples: List[tuple] = []

    def value(v: Any) -> Any:
        kind = type(v)
        if kind is int:
            return objects[v]
        if kind is str or v is None or kind is bool or kind is float:
            return v
        _check(kind is list and len(v) > 0, f"unexpected {kind.__name__} in a tree entry")
        tag = v[0]
        if tag == "r" and len(v) == 2 and type(v[1]) is int and 0 <= v[1] < len(tuples):
            return tuples[v[1]]
        if tag == "l":
            return [value(item) for item in v[1:]]
        if tag == "d" and len(v) % 2 == 1:
            items = [value(item) for item in v[1:]]
            return dict(zip(items[0::2], items[1::2]))
        if tag == "s":
            return {value(item) for item in v[1:]}
        if tag == "f":
            return frozenset([value(item) for item in v[1:]])
        if tag == "i" and len(v) == 2 and type(v[1]) is int:
            return v[1]
        if tag == "e" and len(v) == 2 and type(v[1]) is str and v[1] in sentinels:
            return sentinels[v[1]]
        raise InvalidData("malformed value")

    # 2. The tuple table, in order (a tuple's items come before it). An object number that is not
    # an int fails the indexing with a TypeError (a bool is 0 or 1: an object like any other).
    append = tuples.append
    for entry in tuple_table:
        if type(entry) is not tuple or len(entry) != 2 or type(entry[1]) is not list:
            raise InvalidData("malformed tuple")
        kind, items = entry
        if kind == _REFS:
            append(tuple(map(get, items)))
        elif kind == _MIXED:  # n >= 0: object n; n < 0: tuple ~n, already built
            append(tuple([get(n) if n >= 0 else tuples[~n] for n in items]))
        elif kind == _PLAIN_VALUES:
            _check(set(map(type, items)) <= _PLAIN)
            append(tuple(items))
        else:
            _check(kind == _VALUES)
            append(tuple([value(item) for item in items]))
    get_tuple = tuples.__getitem__
    # 3. The fields, a column at a time (the loops run in C: map over object.__setattr__).
    setattr_ = object.__setattr__
    start = 0
    for (cls, fields, _), number, group_columns in zip(classes, counts, columns):
        group = objects[start : start + number]
        start += number
        _check(type(group_columns) is tuple and len(group_columns) == len(fields))
        for field, column in zip(fields, group_columns):
            _check(type(column) is tuple and len(column) == 2 and type(column[1]) is list and len(column[1]) == number)
            kind, raw = column
            if kind == _REFS:
                values = list(map(get, raw))
            elif kind == _PLAIN_VALUES:
                _check(set(map(type, raw)) <= _PLAIN)
                values = raw
            elif kind == _TUPLES:
                _check(set(map(type, raw)) <= {int} and (not raw or (min(raw) >= 0 and max(raw) < len(tuples))))
                values = list(map(get_tuple, raw))
            elif kind == _OPTIONAL:  # a node, None or a sentinel (by name): the optional parts of nodes
                values = [get(v) if type(v) is int else None if v is None else sentinels[v] for v in raw]
            else:
                _check(kind == _VALUES)
                values = [value(v) for v in raw]
            deque(map(setattr_, group, repeat(field, number), values), maxlen=0)
    return value(root_value)


def decode_tree(data: bytes) -> Tuple[Any, Any]:
    """A (module, facts) pair read back with `decode`; `InvalidData` when it is anything else."""
    import libcst as cst

    from tipcheck.facts import ModuleFacts

    tree = decode(data)
    if type(tree) is not tuple or len(tree) != 2 or type(tree[0]) is not cst.Module or type(tree[1]) is not ModuleFacts:
        raise InvalidData("not a (module, facts) pair")
    return tree
