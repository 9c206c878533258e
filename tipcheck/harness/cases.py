"""The harness's shared case types: a case (a fixture's original, its fixed copy, its expectation),
its name, and what a prepared folder holds (its manifest and the runtime modules it carries).
Used by both the runner and tipcheck.harness.prepare."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from tipcheck.harness.expectations import Expectation

MANIFEST = "manifest.json"
#: The modules a prepared folder carries: all that `python -m tipcheck.harness.run` imports.
RUNTIME_MODULES = (
    "__init__.py",
    "cases.py",
    "checks.py",
    "checks_ranks.py",
    "checks_schedules.py",
    "checks_saves.py",
    "command.py",
    "errors.py",
    "expectations.py",
    "forkserver.py",
    "instrument.py",
    "machine.py",
    "observables.py",
    "pretend_cuda.py",
    "processes.py",
    "record_arguments.py",
    "record_devices.py",
    "record_loaders.py",
    "record_saves.py",
    "record_schedulers.py",
    "record_weights.py",
    "report.py",
    "runner.py",
    "run.py",
)


@dataclass
class Case:
    """A fixture to judge: its original script, the fixed copy, the expectation, what the fix did."""

    name: str
    original: str
    fixed: str
    expectation: Expectation
    fix: Dict[str, Any] = field(default_factory=dict)
    source: Optional[str] = None  # the fixture itself
    error: Optional[str] = None  # why no fixed copy could be made (the case is an error)


def case_name(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]
