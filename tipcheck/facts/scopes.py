"""Light name resolution: scopes, bindings and imports, in one pass over the module.

LibCST's ScopeProvider and QualifiedNameProvider answer the same question in general, at about
ten times the cost of the parse. A linter of training scripts only needs to know, for a name or a
dotted attribute, which imported thing it refers to, and to say "don't know" whenever a name is
bound in more than one way. That is all this module does.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple, Union

import libcst as cst

from tipcheck.facts.walk import walk

# A binding is either the qualified name an import gives the name, or OTHER (any other binding:
# assignment, parameter, def, class, loop target, ...).
OTHER = None


_SCOPE_UIDS = itertools.count()


@dataclass(eq=False)
class Scope:
    kind: str  # "module", "function", "class", "lambda", "comprehension"
    parent: Optional["Scope"] = None
    bindings: Dict[str, List[Optional[str]]] = field(default_factory=dict)
    globals: Set[str] = field(default_factory=set)
    nonlocals: Set[str] = field(default_factory=set)
    star_imports: List[str] = field(default_factory=list)
    # name -> the statement line of the (last) import that binds it here; fixes add imports beside it
    import_lines: Dict[str, cst.SimpleStatementLine] = field(default_factory=dict)
    # top-level package -> the first import of it that stands directly in this scope's body
    first_import_lines: Dict[str, cst.SimpleStatementLine] = field(default_factory=dict)
    direct_lines: Set[cst.CSTNode] = field(default_factory=set)  # the statement lines of the body
    # Tells scopes apart in the keys of the flow facts. Unlike id(), it survives pickling (trees
    # and facts travel between processes and through the cache).
    uid: int = field(default_factory=lambda: next(_SCOPE_UIDS))

    def bind(self, name: str, qualified: Optional[str] = OTHER) -> None:
        if name in self.globals:
            self.module.bindings.setdefault(name, []).append(qualified)
        else:
            self.bindings.setdefault(name, []).append(qualified)

    @property
    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup_scope(self, name: str) -> Optional["Scope"]:
        """The scope whose binding of ``name`` a read in this scope sees, following Python's rules."""
        if name in self.globals:
            module = self.module
            return module if name in module.bindings else None
        if name in self.bindings:
            return self
        scope = self.parent
        while scope is not None:
            # Class bodies are not visible from the functions nested in them.
            if scope.kind != "class" and name in scope.bindings:
                return scope
            scope = scope.parent
        return None

    def lookup(self, name: str) -> Optional[List[Optional[str]]]:
        """The bindings a name read in this scope refers to."""
        scope = self.lookup_scope(name)
        return scope.bindings[name] if scope is not None else None

    def star_import_for(self, name: str) -> Optional[str]:
        scope: Optional[Scope] = self
        stars: List[str] = []
        while scope is not None:
            stars.extend(scope.star_imports)
            scope = scope.parent
        return f"{stars[0]}.{name}" if len(stars) == 1 else None


def dotted_name(node: cst.BaseExpression) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: List[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def _module_name(node: Union[cst.Attribute, cst.Name, None]) -> str:
    return dotted_name(node) if node is not None else ""


def is_none(node: Optional[cst.BaseExpression]) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


class ScopeBuilder(cst.CSTVisitor):
    """Builds the scope tree and records, for every call, the scope it is evaluated in."""

    def __init__(self, module_scope: Optional[Scope] = None) -> None:
        self.module_scope = module_scope if module_scope is not None else Scope("module")
        self.scope = self.module_scope
        self.calls: List[Tuple[cst.Call, Scope]] = []
        self.scope_of: Dict[cst.CSTNode, Scope] = {}  # function/class/lambda node -> its scope
        self._line: Optional[cst.SimpleStatementLine] = None
        self._def_path: List[str] = []  # names of the enclosing defs and classes

    # -- helpers ---------------------------------------------------------------------------
    def _bind_target(self, target: cst.BaseExpression, scope: Optional[Scope] = None) -> None:
        scope = scope or self.scope
        if isinstance(target, cst.Name):
            scope.bind(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, scope)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, scope)

    def _push(self, kind: str, owner: cst.CSTNode) -> Scope:
        scope = Scope(kind, parent=self.scope)
        self.scope_of[owner] = scope
        self.scope = scope
        return scope

    def _pop(self) -> None:
        assert self.scope.parent is not None
        self.scope = self.scope.parent

    def _bind_params(self, params: cst.Parameters) -> None:
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self.scope.bind(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.scope.bind(star.name.value)

    # -- imports ---------------------------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._line = None

    def visit_Module(self, node: cst.Module) -> None:
        self.module_scope.direct_lines = set(node.body)

    def _bind_import(self, name: str, qualified: str) -> None:
        self.scope.bind(name, qualified)
        line = self._line
        if line is not None:
            self.scope.import_lines[name] = line
            if line in self.scope.direct_lines:
                self.scope.first_import_lines.setdefault(qualified.split(".", 1)[0], line)

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            full = _module_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind_import(alias.asname.name.value, full)
            else:
                top = full.split(".", 1)[0]
                self._bind_import(top, top)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = "." * len(node.relative) + _module_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            self.scope.star_imports.append(module)
            return False
        for alias in node.names:
            name = _module_name(alias.name)
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            sep = "" if module.endswith(".") else "."
            self._bind_import(bound, f"{module}{sep}{name}")
        return False

    # -- other bindings --------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if is_none(node.value):
            return  # `x = None` cannot make x refer to anything else callable
        for target in node.targets:
            self._bind_target(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if not is_none(node.value):
            self._bind_target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name)

    def visit_ExceptStarHandler(self, node) -> None:
        if node.name is not None:
            self._bind_target(node.name.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        scope = self.scope
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        self._bind_target(node.target, scope)

    def visit_Del(self, node: cst.Del) -> None:
        self._bind_target(node.target)

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.scope.nonlocals.update(item.name.value for item in node.names)

    def visit_MatchAs(self, node) -> None:
        if node.name is not None:
            self._bind_target(node.name)

    def visit_MatchStar(self, node) -> None:
        if node.name is not None:
            self._bind_target(node.name)

    def visit_MatchMapping(self, node) -> None:
        if node.rest is not None:
            self._bind_target(node.rest)

    # -- scopes ----------------------------------------------------------------------------
    def _local_name(self, name: str) -> str:
        """Defs and classes of the module are bound to ``$.path.name`` (``$`` is this module)."""
        return ".".join(["$", *self._def_path, name])

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.scope.bind(node.name.value, self._local_name(node.name.value))
        for decorator in node.decorators:
            walk(decorator, self)
        walk(node.params, self)  # defaults and annotations run in the enclosing scope
        if node.returns is not None:
            walk(node.returns, self)
        scope = self._push("function", node)
        if isinstance(node.body, cst.IndentedBlock):
            scope.direct_lines = set(node.body.body)
        self._bind_params(node.params)
        self._def_path.append(node.name.value)
        walk(node.body, self)
        self._def_path.pop()
        self._pop()
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        walk(node.params, self)
        self._push("lambda", node)
        self._bind_params(node.params)
        walk(node.body, self)
        self._pop()
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.scope.bind(node.name.value, self._local_name(node.name.value))
        for decorator in node.decorators:
            walk(decorator, self)
        for arg in (*node.bases, *node.keywords):
            walk(arg, self)
        self._push("class", node)
        self._def_path.append(node.name.value)
        walk(node.body, self)
        self._def_path.pop()
        self._pop()
        return False

    def _visit_comprehension(self, node, parts) -> bool:
        # The first iterable is evaluated in the enclosing scope.
        walk(node.for_in.iter, self)
        self._push("comprehension", node)
        for_in = node.for_in
        first = True
        while for_in is not None:
            if not first:
                walk(for_in.iter, self)
            first = False
            self._bind_target(for_in.target)
            for condition in for_in.ifs:
                walk(condition, self)
            for_in = for_in.inner_for_in
        for part in parts:
            walk(part, self)
        self._pop()
        return False

    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return self._visit_comprehension(node, [node.elt])

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return self._visit_comprehension(node, [node.elt])

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return self._visit_comprehension(node, [node.elt])

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return self._visit_comprehension(node, [node.key, node.value])

    # -- uses ------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append((node, self.scope))


def resolve(expr: cst.BaseExpression, scope: Scope) -> Optional[str]:
    """The qualified name an expression such as ``models.resnet18`` refers to, if certain."""
    dotted = dotted_name(expr)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    bindings = scope.lookup(head)
    if bindings is None:
        qualified = scope.star_import_for(head)
    elif len(set(bindings)) == 1 and bindings[0] is not OTHER:
        qualified = bindings[0]
    else:
        return None  # bound by something other than one import: don't guess
    if qualified is None:
        return None
    return f"{qualified}.{rest}" if rest else qualified


# Builtins that walk or pull from an iterable: a star import (`from heads import *`) does not hide
# them, since a module that redefines `iter` or `next` is not something real code does.
ITERATION_BUILTINS = frozenset({"iter", "next", "enumerate", "zip", "reversed", "len"})


def resolve_call(func: cst.BaseExpression, scope: Scope) -> Optional[str]:
    """``resolve`` for what a call calls, where a bare iteration builtin that nothing in scope
    binds stays the builtin even under a star import."""
    if isinstance(func, cst.Name) and func.value in ITERATION_BUILTINS and scope.lookup(func.value) is None:
        return func.value
    return resolve(func, scope)


def annotation_name(annotation: Optional[cst.Annotation], scope: Scope) -> Optional[str]:
    """The qualified name of a parameter's annotation when it names one class (`Trainer`,
    `engine.Trainer`, `"Trainer"`), resolved where the function is defined; None for anything else
    (`Optional[Trainer]`, `List[...]`, a union)."""
    if annotation is None:
        return None
    node = annotation.annotation
    if isinstance(node, cst.SimpleString):
        text = node.evaluated_value
        if not isinstance(text, str) or not all(part.isidentifier() for part in text.split(".")):
            return None
        try:
            node = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return None
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    return resolve_call(node, scope)
