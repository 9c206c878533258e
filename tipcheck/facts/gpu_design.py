"""Modules and classes whose CUDA placements need no check (TIP102), decided from what they are.

- *A module that cannot run without CUDA because of what it imports*: a module-level import of a
  CUDA-only library (NVIDIA apex, pytorch_quantization, TensorRT, PyCUDA, CuPy) that is not optional
  (not inside a `try` whose `except ImportError` carries on; one that re-raises keeps it required).
  Everything in such a module is GPU-only by design.
- *A CUDA kernel test*: a `test*.py` module that checks a compiled op with
  `torch.autograd.gradcheck`/`gradgradcheck`. An evaluation script named `test.py` is no such thing.

Module classes that hold nothing to move are another fact's (tipcheck.facts.stateless).
"""

from __future__ import annotations

import os
import re
from typing import Sequence

import libcst as cst

from tipcheck.facts.flow import CallSite, ModuleSummary

_CUDA_ONLY_LIBRARIES = frozenset({"apex", "pytorch_quantization", "tensorrt", "pycuda", "cupy"})
_GRADCHECK = re.compile(r"^torch\.autograd\.(?:gradcheck\.)?(?:gradcheck|gradgradcheck)$")
_TEST_NAME = re.compile(r"^test[^/]*\.py$")


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


# -- modules that import a CUDA-only library --------------------------------------------------
def imports_cuda_only_library(module_body: Sequence[cst.CSTNode]) -> bool:
    """A module-level import of a CUDA-only library that the module cannot do without."""
    for stmt in module_body:
        if isinstance(stmt, cst.SimpleStatementLine) and any(_cuda_only_import(s) for s in stmt.body):
            return True
        if isinstance(stmt, cst.Try) and _reraises_import_error(stmt):
            body = getattr(stmt.body, "body", ())
            if any(isinstance(s, cst.SimpleStatementLine) and any(_cuda_only_import(x) for x in s.body) for s in body):
                return True
    return False


def _cuda_only_import(small: cst.BaseSmallStatement) -> bool:
    if isinstance(small, cst.Import):
        return any(_code(alias.name).split(".")[0] in _CUDA_ONLY_LIBRARIES for alias in small.names)
    if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
        return _code(small.module).split(".")[0] in _CUDA_ONLY_LIBRARIES
    return False


def _reraises_import_error(stmt: cst.Try) -> bool:
    """Every handler that catches ImportError (or everything) ends by raising: the import is required."""
    handlers = [h for h in stmt.handlers if h.type is None or "ImportError" in _code(h.type)]
    if not handlers:
        return False
    for handler in handlers:
        body = getattr(handler.body, "body", ())
        last = body[-1] if body else None
        if not (isinstance(last, cst.SimpleStatementLine) and last.body and isinstance(last.body[-1], cst.Raise)):
            return False
    return True


# -- CUDA kernel tests ------------------------------------------------------------------------
def kernel_test(summary: ModuleSummary) -> bool:
    """A `test*.py` module that runs gradcheck over an op (a compiled CUDA extension's, in practice)."""
    name = os.path.basename(summary.module_id.replace(os.sep, "/"))
    if not _TEST_NAME.match(name) or "gradcheck" not in summary.text:
        return False
    return any(site.callee and _GRADCHECK.match(site.callee) for site in summary.calls)


# -- devices kept as parameter defaults -------------------------------------------------------
def default_always_passed(param: cst.Param, record, callers: Sequence[CallSite]) -> bool:
    """Every known call of the function (one at least) passes the parameter whose default this is:
    the default is never used."""
    if not callers:
        return False
    name = param.name.value
    position = record.params.index(name) if name in record.params else None
    if position is not None and record.class_key is not None and not record.is_static:
        position -= 1  # `obj.method(a)`: self is not among the arguments
    for caller in callers:
        args = caller.node.args
        if any(a.star for a in args) or any(a.keyword is not None and a.keyword.value == name for a in args):
            continue
        positional = sum(1 for a in args if a.keyword is None)
        if position is None or positional <= position:
            return False
    return True


# -- recovery from a CUDA out-of-memory error ------------------------------------------------
_OOM_TYPE = re.compile(r"\bOutOfMemoryError\b")
_OOM_HANDLING = re.compile(r"cuda\.empty_cache\(|out of memory|\bOOM\b", re.IGNORECASE)


def in_cuda_oom_handler(stmt_path) -> bool:
    """A statement in an `except` handler that recovers from a CUDA out-of-memory error: it catches
    `torch.cuda.OutOfMemoryError`, or `RuntimeError` and frees the CUDA cache (`empty_cache()`) or
    says it ran out of memory. It only runs after the GPU ran out of memory."""
    for index in range(1, len(stmt_path)):
        stmt, block = stmt_path[index - 1][0], stmt_path[index][1]
        if not isinstance(stmt, cst.Try):
            continue
        for handler in stmt.handlers:
            if getattr(handler.body, "body", None) is not block or handler.type is None:
                continue
            caught = _code(handler.type)
            if _OOM_TYPE.search(caught):
                return True
            if "RuntimeError" in caught and _OOM_HANDLING.search(_code(handler)):
                return True
    return False
