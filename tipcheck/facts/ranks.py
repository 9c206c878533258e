"""Facts about which processes of a DDP run execute a statement, and how the process group ends.

- `Stacks`: for each call of a module, the nodes around it (module, functions, `if`s, statements).
- `rank_test(code)`: an `if` test that picks some ranks (`rank == 0`, `dist.get_rank() == 0`,
  `is_main_process()`, `local_rank in [-1, 0]`, `args.rank % ngpus == 0`, `if master:`, `gpu == 0`).
- `RankGuards.guarded(call)`: the call runs on the chosen ranks only, or it cannot be told: under
  an `if` with a rank test (itself, or through a name assigned from one: `save_to_disk =
  get_rank() == 0`), after an early exit of its function on one (`if rank != 0: return`),
  in a function decorated `@rank_zero_only`, or in a function whose every reference in the module
  (calls, and `mp.spawn(fn, ...)` / `Process(target=fn)`) is itself guarded; a function the
  module never refers to is unknown, taken as guarded (precision first), unless it initialises
  the process group itself (an entry point every rank runs).
- `conditional(stack, start)`: an `if`, `try` or loop between a scope and the call.

TIP504 (checkpoint written by every rank) and TIP505 (process group never destroyed) read them.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst

from tipcheck.facts.backends import exits
from tipcheck.facts.nodecode import code
from tipcheck.facts.walk import walk

_RANK = re.compile(
    r"rank|main_process|is_main|\bmain\b|master|primary|global_zero|chief|leader|\bgpu\b|process_index"
    r"|is_local_main|local_process_zero|world_process_zero",
    re.IGNORECASE,
)
_RANK_DECORATOR = re.compile(r"rank_zero|main_process|master_only|rank0", re.IGNORECASE)


def code_of(node: cst.CSTNode) -> str:
    return code(node)


def rank_test(text: str) -> bool:
    """Whether an `if` test (its source) looks at the rank or asks for the main process."""
    return bool(_RANK.search(text.replace("__main__", "").replace("__name__", "")))


class Stacks(cst.CSTVisitor):
    """The chain of nodes around every call of a module (outermost first), and what the module
    assigns to each name or attribute (`save_to_disk = get_rank() == 0`, `self.is_master = ...`),
    by its text."""

    def __init__(self) -> None:
        self.stack: List[cst.CSTNode] = []
        self.of: Dict[int, Tuple[cst.CSTNode, ...]] = {}
        self.calls: List[cst.Call] = []
        self.assigned: Dict[str, List[cst.BaseExpression]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        if isinstance(node, cst.Call):
            self.of[id(node)] = tuple(self.stack)
            self.calls.append(node)
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, (cst.Name, cst.Attribute)):
                    self.assigned.setdefault(code_of(target.target), []).append(node.value)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


def stacks_of(module: cst.Module) -> Stacks:
    stacks = Stacks()
    walk(module, stacks)
    return stacks


def _exits(block: cst.BaseSuite) -> bool:
    """A block that leaves: what tipcheck.facts.backends.exits counts (return, raise, sys.exit(...)),
    or `continue` (the loop's next turn)."""
    if exits(block):
        return True
    body = getattr(block, "body", None)
    last = body[-1] if body else None
    return isinstance(last, cst.SimpleStatementLine) and bool(last.body) and isinstance(last.body[-1], cst.Continue)


def _in_body(stack: Sequence[cst.CSTNode], index: int) -> bool:
    """Whether the node after stack[index] (an If) is its body (not its test or else)."""
    return index + 1 < len(stack) and stack[index + 1] is stack[index].body


def enclosing_function(stack: Sequence[cst.CSTNode]) -> Optional[int]:
    for index in range(len(stack) - 1, -1, -1):
        if isinstance(stack[index], (cst.FunctionDef, cst.Lambda)):
            return index
    return None


def conditional(stack: Sequence[cst.CSTNode], start: int) -> bool:
    """An `if`, `try`, loop, `with` handler or conditional expression between stack[start] and the call."""
    kinds = (cst.If, cst.Else, cst.Try, cst.For, cst.While, cst.IfExp, cst.ExceptHandler, cst.BooleanOperation)
    return any(isinstance(node, kinds) for node in stack[start + 1 :])


class RankGuards:
    """Whether calls of one module run on the chosen ranks only (see the module's docstring)."""

    def __init__(self, module: cst.Module, stacks: Optional[Stacks] = None) -> None:
        self.module = module
        self.stacks = stacks or stacks_of(module)

    def names_rank(self, node: cst.BaseExpression) -> bool:
        """An expression that looks at the rank, itself or through a name the module assigns from
        one (`save_to_disk = get_rank() == 0`; `path = "final{}.pth".format(gpu)`)."""
        if rank_test(code_of(node)):
            return True
        names = set()

        class Visit(cst.CSTVisitor):
            def visit_Name(self, n: cst.Name) -> None:
                names.add(n.value)

            def visit_Attribute(self, n: cst.Attribute) -> None:
                names.add(code_of(n))

        walk(node, Visit())
        return any(rank_test(code_of(v)) for name in names for v in self.stacks.assigned.get(name, ()))

    def guarded(self, call: cst.Call) -> bool:
        return self._guarded(self.stacks.of.get(id(call), ()), 0, set())

    def _guarded(self, stack: Sequence[cst.CSTNode], depth: int, seen: set) -> bool:
        for index in range(len(stack) - 1, -1, -1):
            node = stack[index]
            if isinstance(node, (cst.If, cst.IfExp)) and self.names_rank(node.test):
                return True
            if isinstance(node, cst.Lambda):
                return True  # who calls it is not known
            if isinstance(node, cst.FunctionDef):
                return self._function_guarded(node, stack, index, depth, seen)
            if isinstance(node, cst.ClassDef):
                return False
        return False

    def _function_guarded(self, func: cst.FunctionDef, stack, index: int, depth: int, seen: set) -> bool:
        if any(_RANK_DECORATOR.search(code_of(d.decorator)) for d in func.decorators):
            return True
        body = getattr(func.body, "body", ())
        first = stack[index + 2] if index + 2 < len(stack) else None  # FunctionDef > IndentedBlock > stmt
        for stmt in body:
            if stmt is first:
                break
            if isinstance(stmt, cst.If) and self.names_rank(stmt.test) and _exits(stmt.body):
                return True
        if depth >= 4 or id(func) in seen:
            return True  # too far or recursive: unknown
        seen = seen | {id(func)}
        references = self.references(func.name.value)
        if not references:
            # Never referred to here: an entry point that sets up the group itself runs on every
            # rank (`def train(rank, world): init_process_group(...)`); anything else is unknown.
            return "init_process_group" not in code_of(func)
        return all(self._guarded(self.stacks.of[id(ref)], depth + 1, seen) for ref in references)

    def references(self, name: str) -> List[cst.Call]:
        """Calls of `name` (`name(...)`, `x.name(...)`), and calls that take it as an argument."""
        found = []
        for call in self.stacks.calls:
            func = call.func
            if (isinstance(func, cst.Name) and func.value == name) or (
                isinstance(func, cst.Attribute) and func.attr.value == name
            ):
                found.append(call)
            elif any(
                (isinstance(a.value, cst.Name) and a.value.value == name)
                or (isinstance(a.value, cst.Attribute) and a.value.attr.value == name)
                for a in call.args
            ):
                found.append(call)
        return found


def statement_of(stack: Sequence[cst.CSTNode]) -> Optional[cst.CSTNode]:
    """The innermost statement in a stack."""
    for node in reversed(stack):
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return node
    return None


def is_main_guard(node: cst.CSTNode) -> bool:
    """`if __name__ == "__main__":`."""
    if not isinstance(node, cst.If):
        return False
    text = code_of(node.test).replace("'", '"')
    return "__name__" in text and '"__main__"' in text
