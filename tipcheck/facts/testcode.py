"""Unit tests: a module under `tests/` (or named `test_*.py`) that holds test code (`def test...`,
a `TestCase`, an import of pytest or unittest).

A test runs where its author chose, on purpose: it trains a tiny model on the CPU to check exact
values (TIP101), or checks a CUDA kernel on a GPU (TIP102). Neither is the slip the device rules
look for in training code.
"""

from __future__ import annotations

import os
import re

_TEST_FILE = re.compile(r"(?:^|/)(?:tests?/[^/]*|test_[^/]*)\.py$")
_TEST_CODE = re.compile(r"^\s*def test|\bTestCase\b|^\s*import (?:pytest|unittest)", re.M)


def is_test_module(module_id: str, text: str) -> bool:
    return bool(_TEST_FILE.search(module_id.replace(os.sep, "/"))) and bool(_TEST_CODE.search(text))
